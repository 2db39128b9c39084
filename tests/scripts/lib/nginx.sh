# nginx.sh: sourced by the test scripts that serve files with Debian's
# nginx on loopback (not a test). Needs common.sh first.

# Free ports: ts_pick_port from tests/servers/lib.sh, as the server tests
# pick theirs.
. "$(dirname "$0")/../servers/lib.sh"

# Debian's nginx, which scripts/setup test installs; a test without it
# fails saying so.
NGINX=/usr/sbin/nginx
[ -x "$NGINX" ] || fail "$NGINX is missing: run scripts/setup test (it installs nginx)"

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

# wait_served URL TOKEN [LOG]: waits up to 10 s until URL answers with the
# text TOKEN (the server is up and serves the test's own folder) and, given
# LOG, until LOG reads "ready" (a helper server's first line). Status 1
# when either never happens.
wait_served() {
    "$PY" - "$@" <<'EOF'
import sys, time, urllib.request
url, token = sys.argv[1:3]
log = sys.argv[3] if len(sys.argv) > 3 else None
for _ in range(100):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.read().decode().strip() != token:
                sys.exit(1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(1)
for _ in range(100):
    if log is None or open(log).read().strip() == "ready":
        sys.exit(0)
    time.sleep(0.1)
sys.exit(1)
EOF
}

# The servers a test starts: "SERVERS="$SERVERS $!"" after each, and
# stop_servers (run on exit too, after stop_servers_on_exit) stops them.
SERVERS=
stop_servers() {
    for p in $SERVERS; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    SERVERS=
}
stop_servers_on_exit() {
    trap stop_servers EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
