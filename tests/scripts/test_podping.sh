#!/bin/sh
# test_podping.sh PODPUB SOURCE_DIR WORK_DIR
#
# publish.podping: {token_env, url}: the feed says
# <podcast:podping usesPodping="true"/>; after a publish that changed the
# feed, podpub GETs URL?url=FEED with the token from the environment as
# Authorization, to an HTTP server on 127.0.0.1 started here (Python's
# http.server, which records each request's path and Authorization).
# The token appears in no output, not even with -v -v, nor in the feed
# or at the target. Without the variable: a warning, the publish still
# succeeds. A publish that changed nothing sends nothing. A token written
# into podcast.yaml instead of a variable's name is refused.
set -u

me=test_podping
. "$(dirname "$0")/lib/common.sh"
init "$@"

TOKEN='pp-secret-7f3a9c1e'
S=$WORK/show
make_show "$S"

# The server: one line per request, "PATH<TAB>AUTHORIZATION".
cat >"$WORK/server.py" <<'PYEOF'
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write("%s\t%s\n" % (self.path, self.headers.get("Authorization", "")))
        body = b"Success!"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 1
open(sys.argv[2], "w").write(str(s.server_address[1]))
import time
deadline = time.time() + 300           # stops by itself
while time.time() < deadline:
    s.handle_request()
PYEOF
"$PY" "$WORK/server.py" "$WORK/requests" "$WORK/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$WORK/port") || fail "the test server did not start"
: >"$WORK/requests"

grep -q '^publish:' "$S/feed/podcast.yaml" &&
    fail "the example's podcast.yaml has a publish: mapping already"
cat >>"$S/feed/podcast.yaml" <<EOF
publish:
  podping:
    token_env: PODPING_TEST_TOKEN
    url: http://127.0.0.1:$PORT/
EOF

# 1. A token in podcast.yaml instead of a name: refused, named.
cp "$S/feed/podcast.yaml" "$WORK/good.yaml"
sed -i "s/token_env: PODPING_TEST_TOKEN/token_env: \"$TOKEN!\"/" \
    "$S/feed/podcast.yaml"
"$PODPUB" -C "$S" build >"$WORK/bad.out" 2>"$WORK/bad.err" &&
    fail "a token in token_env was accepted"
grep -q 'publish.podping.token_env' "$WORK/bad.err" ||
    { dump "$WORK/bad.err" stderr; fail "the error does not name the field"; }
ok "a token written as token_env is refused: $(head -n 1 "$WORK/bad.err")"
cp "$WORK/good.yaml" "$S/feed/podcast.yaml"

# 2. The feed says so.
"$PODPUB" -C "$S" build >/dev/null 2>"$WORK/build.err" ||
    { dump "$WORK/build.err" stderr; fail "build failed"; }
grep -q '<podcast:podping usesPodping="true"/>' "$S/public/feed.xml" ||
    fail "no podcast:podping in the feed"
ok "the feed has <podcast:podping usesPodping=\"true\"/>"

# 3. Publish with the token: one GET naming the feed, the token sent.
T=$WORK/www
PODPING_TEST_TOKEN=$TOKEN "$PODPUB" -v -v -C "$S" publish \
    --target "file://$T/" >"$WORK/pub1.out" 2>"$WORK/pub1.err" ||
    { dump "$WORK/pub1.err" stderr; fail "publish failed"; }
FEED=https%3A%2F%2Fmedia.example.org%2Fvoorbij-het-rode-licht%2Ffeed.xml
want="/?url=$FEED	$TOKEN"
[ "$(cat "$WORK/requests")" = "$want" ] ||
    { dump "$WORK/requests" got; fail "podping request is not '$want'"; }
ok "podping: GET /?url=<feed> with the token as Authorization, once"
if grep -rl "$TOKEN" "$WORK/pub1.out" "$WORK/pub1.err" "$S/public" "$T" \
    "$S/.podpub" 2>/dev/null; then
    fail "the token appears in the files above"
fi
ok "the token is in no output (-v -v), feed, public/ or target file"

# 4. Nothing changed: nothing sent.
: >"$WORK/requests"
PODPING_TEST_TOKEN=$TOKEN "$PODPUB" -C "$S" publish --target "file://$T/" \
    >/dev/null 2>"$WORK/pub2.err" || fail "second publish failed"
[ ! -s "$WORK/requests" ] || fail "a publish that changed nothing sent podping"
ok "no change, no podping"

# 5. Without the variable: a warning, exit 0.
sed -i 's/^title: .*/title: Voorbij het rode licht (podping)/' \
    "$S/feed/podcast.yaml"
env -u PODPING_TEST_TOKEN "$PODPUB" -C "$S" publish --target "file://$T/" \
    >/dev/null 2>"$WORK/pub3.err" ||
    { dump "$WORK/pub3.err" stderr; fail "publish without the token failed"; }
grep -q 'podping not sent: \$PODPING_TEST_TOKEN' "$WORK/pub3.err" ||
    { dump "$WORK/pub3.err" stderr; fail "no warning without the token"; }
[ ! -s "$WORK/requests" ] || fail "podping sent without a token"
ok "without \$PODPING_TEST_TOKEN: $(grep podping "$WORK/pub3.err")"
echo "$me: ok"
