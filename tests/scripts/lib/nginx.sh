# nginx.sh: sourced by the test scripts that serve files with Debian's
# nginx on loopback (not a test). Needs common.sh first.

# Free ports: ts_pick_port from tests/servers/lib.sh, as the server tests
# pick theirs.
. "$(dirname "$0")/../servers/lib.sh"

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
