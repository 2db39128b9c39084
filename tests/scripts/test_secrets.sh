#!/bin/sh
# test_secrets.sh PODPUB SOURCE_DIR WORK_DIR
#
# Credentials in the environment never show up in podpub's output or in
# what it writes, even with -v -v (libcurl's trace included).
#   - planted: AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, PODPUB_PASSWORD
#     (and PODPUB_USER, AWS_ACCESS_KEY_ID), each a distinctive value
#   - run with -v -v: build, check, list, publish --dry-run to file://,
#     publish to file://, publish to an unreachable s3://bucket/
#     (AWS_ENDPOINT_URL=http://127.0.0.1:1: connection refused at once),
#     an unreachable ftp:// and WebDAV target; then publish to local
#     stand-in servers (Python, 127.0.0.1): S3 and WebDAV with basic auth
#     over HTTP (GET 404, writes 200), and FTP as far as the login (PASS
#     is refused), so that requests that carry the secrets (the session
#     token header, "Authorization: Basic ...", "PASS ...") are really
#     sent and traced
#   - grep every stdout and stderr, public/, .podpub/, the file:// target
#     folder and the whole show for each secret, a 12-character piece of
#     it, and the base64 forms "user:password" and "password" that basic
#     auth sends -> none may appear
#   - the stand-in servers must have received the session token, the
#     basic auth header and the FTP password: proof that the secrets were
#     on the wire while podpub traced
set -u

me=test_secrets
. "$(dirname "$0")/lib/common.sh"
init "$@"

S=$WORK/show
SITE=$WORK/site
OUTS=$WORK/outputs
mkdir -p "$SITE" "$OUTS" || fail "cannot create folders"
make_show "$S"
rm -rf "$S/public" "$S/.podpub"

AWS_ACCESS_KEY_ID=AKIAPODPUBTESTKEY0001
AWS_SECRET_ACCESS_KEY=sEcReTaWs-Zq8Vn3Lp6Xr1Tb9Kd4Wm7Hs2Jf5Gc0Yu
AWS_SESSION_TOKEN=tOkEnSeSsIoN-Pe3Ra8Mv1Qx6Nz4Lw9Bk2Hd7Fj5Ty0Ug
AWS_REGION=eu-west-1
PODPUB_USER=podpubuser
PODPUB_PASSWORD=pAsSwOrD-Yc4Wn7Rt2Kb9Lm6Qv1Xs8Df3Gh5Jz0
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION \
    PODPUB_USER PODPUB_PASSWORD
unset AWS_ENDPOINT_URL AWS_PROFILE 2>/dev/null

b64() { printf '%s' "$1" | base64 -w0; }
# The needles: each secret, a piece from its middle, and basic auth's forms.
NEEDLES=$WORK/needles
{
    for v in "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$PODPUB_PASSWORD"; do
        echo "$v"
        echo "$v" | cut -c 10-21
    done
    b64 "$PODPUB_USER:$PODPUB_PASSWORD"; echo
    b64 "$PODPUB_PASSWORD"; echo
    # base64 of the password at another alignment inside "user:password"
    b64 "$PODPUB_USER:$PODPUB_PASSWORD" | cut -c 16-40
} >"$NEEDLES"

# run NAME [ENV=VALUE...] -- ARGS...: podpub -v -v ARGS in the show, its
# stdout and stderr kept as $OUTS/NAME.out and .err; the exit status is
# printed, not judged (failing publishes are part of the test).
run() {
    name=$1
    shift
    envs=
    while [ "$1" != -- ]; do envs="$envs $1"; shift; done
    shift
    t0=$(date +%s)
    # shellcheck disable=SC2086
    env $envs "$PODPUB" -C "$S" -v -v "$@" >"$OUTS/$name.out" 2>"$OUTS/$name.err"
    rc=$?
    note "$name: exit $rc in $(( $(date +%s) - t0 )) s ($(wc -l <"$OUTS/$name.err") lines of stderr)"
}

# ---- the stand-in server: answers GET/HEAD 404 and every write 200/201,
# records which credentials it was sent (not their values).
SRVLOG=$WORK/server.log
PORTFILE=$WORK/server.port
"$PY" - "$PORTFILE" "$SRVLOG" "$AWS_SESSION_TOKEN" \
    "$(b64 "$PODPUB_USER:$PODPUB_PASSWORD")" "$PODPUB_PASSWORD" <<'PYEOF' &
import http.server, os, sys
portfile, log, token, basic = sys.argv[1:5]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def note(self, status):
        seen = []
        if self.headers.get("x-amz-security-token") == token:
            seen.append("session-token")
        if self.headers.get("Authorization", "") == "Basic " + basic:
            seen.append("basic-auth")
        if self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256"):
            seen.append("sigv4")
        with open(log, "a") as f:
            f.write("%s %s %d %s\n" % (self.command, self.path, status, ",".join(seen)))
    def answer(self, status, body=b""):
        n = int(self.headers.get("Content-Length") or 0)
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            n -= len(chunk)
        self.note(status)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"0"')
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    def do_GET(self): self.answer(404, b"<Error><Code>NoSuchKey</Code></Error>")
    def do_HEAD(self): self.answer(404)
    def do_PUT(self): self.answer(200)
    def do_DELETE(self): self.answer(204)
    def do_MKCOL(self): self.answer(201)
    def do_MOVE(self): self.answer(201)
    def do_COPY(self): self.answer(201)
    def do_PROPFIND(self): self.answer(404)
    def do_POST(self): self.answer(200)
    def log_message(self, *a): pass
import socketserver, threading
password = sys.argv[5]
class F(socketserver.StreamRequestHandler):
    """FTP as far as the login: 220, 331 for USER, 530 for PASS."""
    def handle(self):
        self.wfile.write(b"220 stand-in\r\n")
        for line in self.rfile:
            cmd = line.decode("latin-1").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            with open(log, "a") as f:
                f.write("FTP %s %s\n" % (verb, "ftp-password" if verb == "PASS" and cmd[5:] == password else ""))
            if verb == "USER":
                self.wfile.write(b"331 password please\r\n")
            elif verb == "PASS":
                self.wfile.write(b"530 Login incorrect\r\n")
                return
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"500 no\r\n")
socketserver.ThreadingTCPServer.allow_reuse_address = True
ftp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), F)
ftp.daemon_threads = True
threading.Thread(target=ftp.serve_forever, daemon=True).start()
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d" % (srv.server_address[1], ftp.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
PYEOF
SRVPID=$!
trap 'kill $SRVPID 2>/dev/null' EXIT
trap 'exit 1' INT TERM
i=0
while [ ! -s "$PORTFILE" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$PORTFILE" ] || fail "the stand-in server did not start"
read -r PORT FTPPORT <"$PORTFILE"
note "stand-in servers on 127.0.0.1: HTTP $PORT, FTP $FTPPORT"

echo "== podpub -v -v, with secrets in the environment"
run build -- build
run check -- check
run list -- list
run dry-run -- publish --dry-run --target "file://$SITE/"
run publish-file -- publish --target "file://$SITE/"
run publish-s3-refused AWS_ENDPOINT_URL=http://127.0.0.1:1 -- \
    publish --target s3://bucket/ --retries 0
run publish-ftp-refused -- publish --target ftp://127.0.0.1:1/show/ --retries 0
run publish-webdav-refused -- \
    publish --target http://127.0.0.1:1/show/ --retries 0
run publish-s3-server "AWS_ENDPOINT_URL=http://127.0.0.1:$PORT" -- \
    publish --target s3://bucket/show/ --retries 0
run publish-webdav-server -- \
    publish --target "http://127.0.0.1:$PORT/dav/" --retries 0
run publish-ftp-server -- \
    publish --target "ftp://127.0.0.1:$FTPPORT/show/" --retries 0

echo "== were the secrets on the wire?"
if grep -q 'session-token' "$SRVLOG" 2>/dev/null; then
    note "ok: the server was sent the session token ($(grep -c session-token "$SRVLOG") requests)"
else
    dump "$OUTS/publish-s3-server.err" s3-stderr
    fail "the stand-in S3 server never received x-amz-security-token: the S3 publish did not send requests, so the trace was not tested"
fi
if grep -q 'basic-auth' "$SRVLOG" 2>/dev/null; then
    note "ok: the server was sent basic auth ($(grep -c basic-auth "$SRVLOG") requests)"
else
    dump "$OUTS/publish-webdav-server.err" webdav-stderr
    fail "the stand-in WebDAV server never received the basic auth header: the trace was not tested"
fi
if grep -q 'ftp-password' "$SRVLOG" 2>/dev/null; then
    note "ok: the FTP server was sent the password ($(grep -c ftp-password "$SRVLOG") logins)"
else
    dump "$OUTS/publish-ftp-server.err" ftp-stderr
    fail "the stand-in FTP server never received PASS with the password: the trace was not tested"
fi
grep -q 'Authorization\|authorization' "$OUTS"/publish-*-server.err ||
    note "(the -v -v trace shows no Authorization header at all)"

echo "== looking for the secrets"
found=0
check_in() {   # check_in LABEL PATH...: greps PATHs (files or folders)
    label=$1
    shift
    hits=$(grep -rlaF -f "$NEEDLES" "$@" 2>/dev/null)
    if [ -n "$hits" ]; then
        found=1
        for h in $hits; do
            echo "$me: LEAK in $label: $h" >&2
            grep -naoF -f "$NEEDLES" "$h" | head -n 3 | sed 's/^/    /' >&2
        done
    else
        note "ok: nothing in $label"
    fi
}
check_in "stdout/stderr of every command" "$OUTS"
check_in "public/" "$S/public"
check_in ".podpub/" "$S/.podpub"
check_in "the file:// target" "$SITE"
check_in "the whole show" "$S"
[ $found -eq 0 ] || fail "a planted secret appears in podpub's output or files (listed above)"

echo "$me: ok"
exit 0
