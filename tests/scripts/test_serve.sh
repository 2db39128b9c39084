#!/bin/sh
# test_serve.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub serve on a copy of the example show (--port 0: a free port,
# read from the "serving URL" line; TMPDIR in WORK_DIR), with curl:
#   - it listens on 127.0.0.1 only (ss), and prints its URL and the first
#     build's summary
#   - GET / and /index.html: 200 text/html with the show's title; GET
#     /feed.xml: 200 application/rss+xml, every URL in it under the served
#     URL; every enclosure answers 200 with its length in bytes and its
#     type as Content-Type, byte-identical to the file in episodes/; the
#     artwork is image/jpeg
#   - ranged GETs of an episode: bytes=100-199 and bytes=-50 answer 206
#     with Content-Range and exactly those bytes; bytes=SIZE- answers 416
#     with "bytes */SIZE"; HEAD gives the length and no body
#   - what the feed does not name is not served: feed/podcast.yaml, an
#     episode's .md, a path with ..: 404; POST: 405
#   - an episode's title edited: the served feed has it within 2 s
#   - a bad edit (a date that is not one): the error with file:line:col
#     and "still serving the last good build" within 2 s; the feed is
#     still served, with the last good title; fixed: served again
#   - SIGTERM: exits 0 within 3 s and leaves no temporary folder
#   - --bind 127.0.0.2: listens there, and the feed's URLs name it
set -u

me=test_serve
. "$(dirname "$0")/lib/common.sh"
init "$@"
. "$LIB/serve.sh"
need curl ss

SHOW=$WORK/show
make_show "$SHOW"
mkdir -p "$WORK/tmp" || fail "mkdir"
OUT=$WORK/stdout
ERR=$WORK/stderr

show_output() { dump "$OUT" "stdout"; dump "$ERR" "stderr"; }
start_serve() { start_podpub_serve "$SHOW" "$OUT" "$ERR" "$@"; }

# get WHAT PATH [curl args]: GETs URL+PATH into $WORK/body, headers into
# $WORK/head; sets STATUS and TYPE.
get() {
    _what=$1 _path=$2
    shift 2
    rm -f "$WORK/body" "$WORK/head"
    STATUS=$(curl -s --path-as-is --max-time 10 -o "$WORK/body" \
        -D "$WORK/head" -w '%{http_code}' "$@" "${URL%/}$_path") ||
        fail "$_what: curl $URL$_path failed"
    TYPE=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\(.*\)\r$/\1/p' "$WORK/head")
}

header() { sed -n "s/^$1: *\\(.*\\)\\r\$/\\1/Ip" "$WORK/head"; }

# ---------------------------------------------------------------------
TMPDIR=$WORK/tmp
export TMPDIR
start_serve
PORT=${URL#http://127.0.0.1:}
PORT=${PORT%/}
case $URL in
    http://127.0.0.1:[0-9]*/) ok "podpub serve prints $URL" ;;
    *) show_output; fail "the URL '$URL' is not http://127.0.0.1:PORT/" ;;
esac
listening=$(ss -Hltn "( sport = :$PORT )" | awk '{ print $4 }' | sort -u)
[ "$listening" = "127.0.0.1:$PORT" ] ||
    fail "podpub serve listens on '$listening', want only 127.0.0.1:$PORT"
ok "listening on 127.0.0.1:$PORT only"
grep -q ' built feed.xml: 4 episodes, ' "$OUT" ||
    { show_output; fail "no '... built feed.xml: 4 episodes, ...' line"; }

TITLE=$(sed -n 's/^title: *//p' "$SHOW/feed/podcast.yaml" | head -n 1)
for p in / /index.html; do
    get "page" "$p"
    [ "$STATUS" = 200 ] || fail "GET $p: $STATUS"
    case $TYPE in text/html*) ;; *) fail "GET $p: Content-Type '$TYPE'" ;; esac
    grep -qF "$TITLE" "$WORK/body" || fail "GET $p: no '$TITLE' in the page"
done
ok "GET / and /index.html: 200 text/html with the show's title"

get "feed" /feed.xml
[ "$STATUS" = 200 ] || fail "GET /feed.xml: $STATUS"
case $TYPE in application/rss+xml*) ;; *) fail "GET /feed.xml: Content-Type '$TYPE'" ;; esac
cp "$WORK/body" "$WORK/feed.xml"
"$PY" - "$WORK/feed.xml" "$URL" >"$WORK/encl" <<'EOF' || fail "the served feed: see above"
import re, sys
import xml.etree.ElementTree as ET
feed, base = sys.argv[1:]
root = ET.parse(feed).getroot()
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
ATOM = "{http://www.w3.org/2005/Atom}"
ch = root.find("channel")
urls = [e.get("url") for e in root.iter("enclosure")]
urls += [ch.find(ITUNES + "image").get("href")]
urls += [l.get("href") for l in ch.findall(ATOM + "link")]
bad = [u for u in urls if not u.startswith(base)]
if bad:
    sys.exit("URLs not under %s: %s" % (base, bad))
for e in root.iter("enclosure"):
    print(e.get("url")[len(base):], e.get("length"), e.get("type"))
print("IMAGE", ch.find(ITUNES + "image").get("href")[len(base):])
EOF
ok "GET /feed.xml: 200 application/rss+xml, every URL under $URL"

n=0
while read -r rel len type; do
    if [ "$rel" = IMAGE ]; then
        get "artwork" "/$len"
        [ "$STATUS" = 200 ] && [ "$TYPE" = image/jpeg ] &&
            cmp -s "$WORK/body" "$SHOW/feed/$len" ||
            fail "GET /$len: $STATUS $TYPE, or not feed/$len"
        ok "the artwork /$len: 200 image/jpeg, byte-identical"
        continue
    fi
    get "enclosure" "/$rel"
    [ "$STATUS" = 200 ] || fail "GET /$rel: $STATUS"
    [ "$TYPE" = "$type" ] || fail "GET /$rel: Content-Type '$TYPE', the feed says '$type'"
    [ "$(wc -c <"$WORK/body" | tr -d ' ')" = "$len" ] ||
        fail "GET /$rel: $(wc -c <"$WORK/body") bytes, the feed says $len"
    cmp -s "$WORK/body" "$SHOW/episodes/$rel" ||
        fail "GET /$rel differs from episodes/$rel"
    [ "$(header Accept-Ranges)" = bytes ] || fail "GET /$rel: no Accept-Ranges: bytes"
    n=$((n + 1))
done <"$WORK/encl"
[ $n -ge 4 ] || fail "only $n enclosures checked"
ok "$n enclosures: 200, the feed's length and type, byte-identical, Accept-Ranges: bytes"

# ---------------------------------------------------------------------
EP=$(awk '$1 !~ /IMAGE/ { print $1; exit }' "$WORK/encl")
FILE=$SHOW/episodes/$EP
SIZE=$(wc -c <"$FILE" | tr -d ' ')

get "range" "/$EP" -H 'Range: bytes=100-199'
[ "$STATUS" = 206 ] || fail "GET /$EP bytes=100-199: $STATUS, want 206"
[ "$(header Content-Range)" = "bytes 100-199/$SIZE" ] ||
    fail "bytes=100-199: Content-Range '$(header Content-Range)'"
dd if="$FILE" of="$WORK/want" bs=1 skip=100 count=100 2>/dev/null
cmp -s "$WORK/body" "$WORK/want" || fail "bytes=100-199: not those bytes"
ok "bytes=100-199: 206, Content-Range bytes 100-199/$SIZE, exactly those bytes"

get "suffix range" "/$EP" -H 'Range: bytes=-50'
tail -c 50 "$FILE" >"$WORK/want"
[ "$STATUS" = 206 ] && cmp -s "$WORK/body" "$WORK/want" &&
    [ "$(header Content-Range)" = "bytes $((SIZE - 50))-$((SIZE - 1))/$SIZE" ] ||
    fail "bytes=-50: $STATUS, $(header Content-Range), or not the last 50 bytes"
ok "bytes=-50: 206, the last 50 bytes"

get "unsatisfiable" "/$EP" -H "Range: bytes=$SIZE-"
[ "$STATUS" = 416 ] && [ "$(header Content-Range)" = "bytes */$SIZE" ] ||
    fail "bytes=$SIZE-: $STATUS '$(header Content-Range)', want 416 'bytes */$SIZE'"
ok "bytes=$SIZE-: 416, Content-Range bytes */$SIZE"

get "HEAD" "/$EP" -I
got=$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "${URL}$EP")
[ "$STATUS" = 200 ] && [ "$(header Content-Length)" = "$SIZE" ] &&
    [ "$got" = "200 0" ] ||
    fail "HEAD /$EP: $STATUS, length $(header Content-Length), '$got'"
ok "HEAD: 200, Content-Length $SIZE, no body"

for p in /podcast.yaml /feed/podcast.yaml "/${EP%.*}.md" /../feed/podcast.yaml \
         /episodes/$EP /nothing; do
    get "not served" "$p"
    [ "$STATUS" = 404 ] || fail "GET $p: $STATUS, want 404"
done
ok "podcast.yaml, episode files, .. paths, unknown paths: 404"
get "POST" /feed.xml -X POST -d x
[ "$STATUS" = 405 ] || fail "POST /feed.xml: $STATUS, want 405"
ok "POST: 405"

# ---------------------------------------------------------------------
MD=$SHOW/episodes/${EP%.*}.md
[ -f "$MD" ] || fail "no $MD"

# within SECONDS CMD...: CMD succeeds within SECONDS (tried every 0.1 s);
# prints the time it took.
within() {
    _limit=$1
    shift
    _t0=$(date +%s%N)
    while :; do
        "$@" && break
        _ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
        [ $_ms -lt $((_limit * 1000)) ] || return 1
        sleep 0.1
    done
    WAITED=$(( ($(date +%s%N) - _t0) / 1000000 ))
}
feed_has() { curl -s --max-time 5 "${URL}feed.xml" | grep -qF "$1"; }

sed 's/^title: .*/title: "Serve: een nieuwe titel"/' "$MD" >"$WORK/md" &&
    cat "$WORK/md" >"$MD" || fail "cannot edit $MD"
within 2 feed_has "Serve: een nieuwe titel" || {
    show_output
    fail "the edited title is not in the served feed after 2 s"
}
ok "an edited title is in the served feed after $WAITED ms"

sed 's/^date: .*/date: 31-10-2025/' "$MD" >"$WORK/md" &&
    cat "$WORK/md" >"$MD" || fail "cannot edit $MD"
stderr_has() { grep -q "$1" "$ERR"; }
within 2 stderr_has "still serving the last good build" || {
    show_output
    fail "a bad edit: no 'still serving the last good build' after 2 s"
}
grep -q "^episodes/${EP%.*}.md:[0-9]*:[0-9]*: date: \"31-10-2025\" is not a date" "$ERR" ||
    { show_output; fail "a bad edit: the error does not name the file, line and column"; }
ok "a bad edit is reported with file:line:col within $WAITED ms"
get "feed after a bad edit" /feed.xml
[ "$STATUS" = 200 ] && grep -qF "Serve: een nieuwe titel" "$WORK/body" ||
    fail "after a bad edit the last good feed is not served ($STATUS)"
ok "after a bad edit the last good build is still served"

sed 's/^date: .*/date: 2025-10-31T06:00:00+01:00/; s/^title: .*/title: "Serve: weer goed"/' \
    "$MD" >"$WORK/md" && cat "$WORK/md" >"$MD" || fail "cannot edit $MD"
within 2 feed_has "Serve: weer goed" ||
    { show_output; fail "the fixed show is not served after 2 s"; }
ok "fixed: served again after $WAITED ms"

kill -TERM "$SRV"
t0=$(date +%s)
wait "$SRV"
rc=$?
SRV=
[ $rc = 0 ] || { show_output; fail "podpub serve exited $rc on SIGTERM"; }
[ $(( $(date +%s) - t0 )) -le 3 ] || fail "podpub serve took over 3 s to stop"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "temporary files left: $(ls -A "$WORK/tmp")"
ok "SIGTERM: exit 0, no temporary folder left"

# ---------------------------------------------------------------------
start_serve --bind 127.0.0.2
case $URL in
    http://127.0.0.2:[0-9]*/) ;;
    *) fail "--bind 127.0.0.2: URL '$URL'" ;;
esac
get "feed on 127.0.0.2" /feed.xml
[ "$STATUS" = 200 ] && grep -q "enclosure url=\"$URL" "$WORK/body" ||
    fail "--bind 127.0.0.2: the feed's enclosures are not under $URL"
ok "--bind 127.0.0.2: $URL, the feed's URLs under it"
stop_server
echo "$me: all passed"
