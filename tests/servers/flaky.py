#!/usr/bin/python3
"""flaky.py: a small WebDAV-like HTTP store on 127.0.0.1 that misbehaves
on purpose, for the publish fault tests. Standard library only.

    flaky.py --root DIR --port-file FILE --log FILE [--port N]
             [--user U --password P] [--mode MODE] [--n N] [--status S]
             [--stall-paths GLOB]

    flaky.py --proxy HOST:PORT --rate BYTES_PER_S --port-file FILE [--port N]

Store (no --proxy): GET/HEAD, PUT (parent folders created), DELETE, MKCOL,
MOVE (Destination, Overwrite) on files under --root; the URL path is the
path under DIR. Basic auth for everything but GET/HEAD when --user is
given (401 otherwise): reads are public, as from a CDN.
Every request is logged to --log as "METHOD PATH STATUS", flushed at once
("-" as STATUS when no answer was given).

Modes:
  ok               behave.
  die-after-puts   answer the first N PUTs (lock, media...) normally; on
                   the next PUT, read nothing, answer nothing, and exit at
                   once: a server that went away in the middle of a publish.
  fail-first       every (method, path) is answered STATUS (default 503)
                   the first N times, then served normally.
  stall-puts       a PUT (whose path matches --stall-paths, default every
                   path) is accepted and then never read nor answered: the
                   connection stays open until the client gives up.

Proxy (--proxy): a TCP relay from 127.0.0.1:PORT to HOST:PORT that passes
bytes towards the server at most BYTES_PER_S (answers unthrottled), so an
upload through it takes a predictable time. When the server goes away,
the relay closes the client's connection.

The port is picked by the kernel unless --port is given, and written to
--port-file once the socket listens (write then rename: a reader never
sees half of it). Runs in the foreground; stop it with SIGTERM/SIGKILL.
"""
import argparse
import base64
import fnmatch
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
COUNTS = {}
PUTS = [0]


def log(line):
    with LOCK:
        with open(ARGS.log, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()


def write_port(port):
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % port)
    os.rename(tmp, ARGS.port_file)


class Store(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "flaky/1"

    def log_message(self, fmt, *args):   # no stderr chatter
        pass

    # --- helpers ---------------------------------------------------------

    def local(self, urlpath):
        path = urllib.parse.unquote(urllib.parse.urlsplit(urlpath).path)
        parts = [p for p in path.split("/") if p not in ("", ".")]
        if ".." in parts:
            return None
        return os.path.join(ARGS.root, *parts) if parts else ARGS.root

    def answer(self, status, body=b"", headers=None):
        log("%s %s %d" % (self.command, self.path, status))
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        chunks = []
        while n > 0:
            b = self.rfile.read(min(n, 1 << 16))
            if not b:
                raise ConnectionError("client went away")
            chunks.append(b)
            n -= len(b)
        return b"".join(chunks)

    def authorized(self):
        # Reads are public, as from a CDN or a public-read bucket.
        if not ARGS.user or self.command in ("GET", "HEAD"):
            return True
        want = base64.b64encode(
            ("%s:%s" % (ARGS.user, ARGS.password)).encode()).decode()
        return self.headers.get("Authorization", "") == "Basic " + want

    def fault(self):
        """True when the request was handled by the fault of the mode."""
        mode = ARGS.mode
        if mode == "fail-first":
            key = (self.command, urllib.parse.urlsplit(self.path).path)
            with LOCK:
                COUNTS[key] = COUNTS.get(key, 0) + 1
                seen = COUNTS[key]
            if seen <= ARGS.n:
                if self.command == "PUT":
                    self.read_body()
                self.answer(ARGS.status, b"try again later\n",
                            {"Retry-After": "0"})
                return True
        if self.command != "PUT":
            return False
        if mode == "die-after-puts":
            with LOCK:
                PUTS[0] += 1
                over = PUTS[0] > ARGS.n
            if over:
                log("%s %s -" % (self.command, self.path))
                os._exit(0)   # the listener and every connection close
        if mode == "stall-puts" and fnmatch.fnmatch(
                urllib.parse.urlsplit(self.path).path, ARGS.stall_paths):
            log("%s %s -" % (self.command, self.path))
            while True:       # hold the connection, read nothing
                time.sleep(3600)
        return False

    # --- methods ----------------------------------------------------------

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True

    def dispatch(self):
        if not self.authorized():
            if self.command == "PUT":
                self.read_body()
            self.answer(401, b"unauthorized\n",
                        {"WWW-Authenticate": 'Basic realm="flaky"'})
            return
        if self.fault():
            return
        op = getattr(Store, "op_" + self.command, None)
        if op is None:
            self.answer(405)
        else:
            op(self)

    def op_GET(self):
        p = self.local(self.path)
        if p is None or not os.path.isfile(p):
            self.answer(404, b"not found\n")
            return
        with open(p, "rb") as f:
            body = f.read()
        self.answer(200, body, {"Content-Type": "application/octet-stream"})

    op_HEAD = op_GET

    def op_PUT(self):
        body = self.read_body()
        p = self.local(self.path)
        if p is None or p.endswith("/") or os.path.isdir(p):
            self.answer(409)
            return
        existed = os.path.exists(p)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        tmp = "%s.flaky-%d.tmp" % (p, threading.get_ident())
        with open(tmp, "wb") as f:
            f.write(body)
        os.rename(tmp, p)
        self.answer(204 if existed else 201)

    def op_DELETE(self):
        p = self.local(self.path)
        if p is None or not os.path.isfile(p):
            self.answer(404)
            return
        os.unlink(p)
        self.answer(204)

    def op_MKCOL(self):
        p = self.local(self.path)
        if p is None:
            self.answer(403)
        elif os.path.exists(p):
            self.answer(405)
        elif not os.path.isdir(os.path.dirname(p.rstrip("/"))):
            self.answer(409)
        else:
            os.mkdir(p)
            self.answer(201)

    def op_MOVE(self):
        src = self.local(self.path)
        dest = self.local(self.headers.get("Destination", ""))
        if src is None or dest is None or not os.path.isfile(src):
            self.answer(404 if src and dest else 400)
            return
        existed = os.path.exists(dest)
        if existed and self.headers.get("Overwrite", "T").upper() == "F":
            self.answer(412)
            return
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.rename(src, dest)
        self.answer(204 if existed else 201)

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)


def relay(src, dst, rate):
    """Copies src to dst, at most 'rate' bytes a second (0: no limit)."""
    t0, sent = time.monotonic(), 0
    try:
        while True:
            b = src.recv(16384 if not rate else max(1, min(16384, rate // 10)))
            if not b:
                break
            dst.sendall(b)
            sent += len(b)
            if rate:
                ahead = sent / rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def proxy(listener, host, port, rate):
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection((host, port), timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            continue
        threading.Thread(target=relay, args=(client, upstream, rate),
                         daemon=True).start()
        threading.Thread(target=relay, args=(upstream, client, 0),
                         daemon=True).start()


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root")
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password", default="")
    ap.add_argument("--mode", default="ok",
                    choices=["ok", "die-after-puts", "fail-first",
                             "stall-puts"])
    ap.add_argument("--n", type=int, default=0)
    ap.add_argument("--status", type=int, default=503)
    ap.add_argument("--stall-paths", default="*")
    ap.add_argument("--proxy")
    ap.add_argument("--rate", type=int, default=0)
    ARGS = ap.parse_args()

    if ARGS.proxy:
        host, _, port = ARGS.proxy.rpartition(":")
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", ARGS.port))
        ls.listen(64)
        write_port(ls.getsockname()[1])
        proxy(ls, host, int(port), ARGS.rate)
        return
    if not ARGS.root:
        ap.error("--root is needed (or --proxy)")
    ARGS.root = os.path.abspath(ARGS.root)
    os.makedirs(ARGS.root, exist_ok=True)
    open(ARGS.log, "a").close()
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Store)
    write_port(srv.server_address[1])
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
