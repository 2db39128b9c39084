# nginx.sh: sourced by the test scripts that serve files with Debian's
# nginx on loopback (not a test). Needs common.sh first (for $PY).

# pick_ports N: N distinct free TCP ports on 127.0.0.1 in 20000-32000.
pick_ports() {
    "$PY" - "$1" <<'PYEOF'
import random, socket, sys
want, got = int(sys.argv[1]), []
for _ in range(1000):
    p = random.randint(20000, 32000)
    if p in got:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    got.append(p)
    if len(got) == want:
        print(" ".join(map(str, got)))
        break
else:
    raise SystemExit("no %d free ports in 20000-32000" % want)
PYEOF
}

# nginx_conf_head STATE: the start of an nginx.conf that keeps all its
# state (pid, logs, temp files) in STATE, up to the open "http {" block
# with its temp paths; the caller adds types, servers and the two "}".
nginx_conf_head() {
    cat <<CONF
daemon off;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 256; }
http {
    access_log $1/access.log;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
CONF
}
