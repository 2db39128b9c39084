#!/bin/sh
# test_check_online.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub check --online` against real web servers on loopback. A copy of
# the example show (feed/ and episodes/) is built once per scenario with
# base_url http://127.0.0.1:PORT/<scenario>/ (feed_url: that + feed.xml),
# and each build is laid out as a web server would serve it: public/, the
# episodes' audio and transcripts at their paths under episodes/, and the
# cover. One nginx (Debian's, scripts/setup test installs it; run with
# its own prefix, config and logs in WORK_DIR, on a free port in
# 20000-32000, killed at the end, also on failure) serves every scenario
# from its own folder:
#   (a) ok        everything right: no finding at all (url.https ignored:
#                 loopback is http), exit 0
#   (b) ranges    `max_ranges 0;`: online.ranges only, for each enclosure
#   (c) type      .mp3 served as text/plain: online.type only, once per
#                 .mp3 enclosure
#   (d) missing   one enclosure deleted: online.status (HTTP 404) only
#   (e) loop      one enclosure redirects to itself: online.redirects only
#   (f) length    one enclosure replaced by another file: online.length
#                 only
#   (h) other     feed.xml is another show's feed: online.guid only
# and (g) a server that accepts connections and never answers (python3,
# on another free port), checked with --timeout 2: online.unreachable
# only, exit 3, in well under 30 s; and (i) `check --feed URL --online`
# on the served feeds: clean for (a)'s, online.length for (f)'s (the
# file is not the size its length= says), exit 3 for a feed URL that
# answers 404 (an online.status finding; with --json one JSON document).
# Findings are exit 1 in (b)-(f), (h) and (i). Every scenario runs even
# when an earlier one fails; the failures are listed at the end.
set -u

me=test_check_online
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/nginx.sh"
init "$@"


SHOW=$WORK/show
SITE=$WORK/site
STATE=$WORK/nginx
OUT=$WORK/stdout
ERR=$WORK/stderr
OTHER_FEED=$SRC/tests/fixtures/feeds/modern.xml
[ -f "$OTHER_FEED" ] || fail "$OTHER_FEED is missing"

# The servers, stopped however this script ends.
stop_servers_on_exit

# set_base URL: points the show's base_url and feed_url at URL.
set_base() {
    grep -v '^feed_url:' "$SHOW/feed/podcast.yaml" |
        sed "s|^base_url: .*|base_url: $1|" >"$WORK/y" &&
        echo "feed_url: ${1}feed.xml" >>"$WORK/y" &&
        mv "$WORK/y" "$SHOW/feed/podcast.yaml" || fail "cannot edit podcast.yaml"
    grep -qx "base_url: $1" "$SHOW/feed/podcast.yaml" ||
        fail "no base_url line in feed/podcast.yaml"
}

# lay_out DIR BASE: builds the show for BASE and copies what a web
# server needs into DIR (public/, the episodes' media, the cover).
lay_out() {
    set_base "$2"
    rm -rf "$SHOW/public"
    (cd "$SHOW" && "$PODPUB" -q build) >"$OUT" 2>"$ERR" ||
        { dump "$OUT" stdout; dump "$ERR" stderr; fail "podpub build failed"; }
    mkdir -p "$1" && cp -R "$SHOW/public/." "$1/" || fail "cannot copy public/"
    (cd "$SHOW/episodes" && find . -type f ! -name '*.md') | while read -r f; do
        mkdir -p "$1/$(dirname "$f")" && cp "$SHOW/episodes/$f" "$1/$f" ||
            fail "cannot copy episodes/$f"
    done
    cover=$(sed -n 's/^image: *//p' "$SHOW/feed/podcast.yaml")
    [ -n "$cover" ] && { cp "$SHOW/feed/$cover" "$1/$cover" || fail "cannot copy the cover"; }
    return 0
}

# enclosures DIR: the enclosure URLs of DIR/feed.xml, one a line.
enclosures() {
    sed -n 's/.*<enclosure url="\([^"]*\)".*/\1/p' "$1/feed.xml"
}

# ---------------------------------------------------------------------
# The show, the sites, nginx; a port taken meanwhile means another try
# ---------------------------------------------------------------------
make_show "$SHOW"
# The example's audio is not at -16 LUFS: this test is about what the
# servers answer, so the loudness rules stay out of its findings.
printf 'loudness: off\n' >>"$SHOW/feed/podcast.yaml" || fail "cannot edit podcast.yaml"
SCENARIOS="ok ranges type missing loop length other"
tries=0
while :; do
    tries=$((tries + 1))
    [ $tries -le 5 ] || fail "could not start nginx and the silent server on free ports (5 tries)"
    PORT=$(ts_pick_port 2) || fail "no free ports"
    SILENT_PORT=$((PORT + 1))
    HOST=http://127.0.0.1:$PORT
    rm -rf "$SITE" "$STATE"
    mkdir -p "$SITE" "$STATE/tmp" || fail "cannot create $SITE"
    for s in $SCENARIOS; do
        lay_out "$SITE/$s" "$HOST/$s/"
    done
    # (d), (e), (f): the first enclosure of each is broken.
    first() { enclosures "$SITE/$1" | head -n 1 | sed "s|^$HOST/$1/||"; }
    MISSING=$(first missing)
    LOOP=$(first loop)
    LENGTH=$(first length)
    [ -n "$MISSING" ] && [ -n "$LOOP" ] && [ -n "$LENGTH" ] ||
        fail "the example show's feed has no enclosures"
    rm "$SITE/missing/$MISSING" || fail "rm"
    cp "$SRC/tests/fixtures/audio/tone-cbr.mp3" "$SITE/length/$LENGTH" || fail "cp"
    cmp -s "$SRC/tests/fixtures/audio/tone-cbr.mp3" "$SHOW/episodes/$LENGTH" &&
        fail "episodes/$LENGTH is the fixture tone-cbr.mp3: (f) would change nothing"
    # (h): another show's feed at this show's feed_url.
    cp "$OTHER_FEED" "$SITE/other/feed.xml" || fail "cp"
    echo "podpub-$$" >"$SITE/token.txt"

    nginx_conf_head "$STATE" >"$STATE/nginx.conf"
    cat >>"$STATE/nginx.conf" <<EOF
    types {
        audio/mpeg mp3;
        audio/x-m4a m4a;
        audio/ogg ogg;
        audio/opus opus;
        audio/flac flac;
        audio/wav wav;
        image/jpeg jpg jpeg;
        image/png png;
        application/rss+xml xml;
        text/html html;
        text/vtt vtt;
        application/x-subrip srt;
        application/json json;
        text/plain txt;
    }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $SITE;
        location /ranges/ { max_ranges 0; }
        location /type/ {
            types {
                text/plain mp3;
                audio/x-m4a m4a;
                image/jpeg jpg;
                application/rss+xml xml;
                text/vtt vtt;
            }
        }
        location = /loop/$LOOP { return 302 $HOST/loop/$LOOP; }
    }
}
EOF
    "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" -e "$STATE/error.log" \
        >"$STATE/stdout" 2>&1 &
    SERVERS="$SERVERS $!"
    # A connection that is accepted and never answered.
    "$PY" - "$SILENT_PORT" >"$WORK/silent.log" 2>&1 <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(128)
print("ready", flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)      # kept open, never read, never answered
EOF
    SERVERS="$SERVERS $!"
    # Ready when nginx serves our token and the silent server listens.
    if wait_served "$HOST/token.txt" "podpub-$$" "$WORK/silent.log"; then
        break
    fi
    dump "$STATE/error.log" nginx
    dump "$WORK/silent.log" silent
    stop_servers
done
note "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') on $HOST, silent server on port $SILENT_PORT"
note "broken: missing/$MISSING, loop/$LOOP, length/$LENGTH"

# ---------------------------------------------------------------------
# The scenarios
# ---------------------------------------------------------------------
FAILED=
bad() {
    echo "$me: FAIL: $*" >&2
    FAILED="$FAILED
  $*"
}

# run NAME BASE ARGS...: podpub check --online in the show pointed at
# BASE; sets RC, SECS (wall-clock seconds) and RULES (the rule ids found,
# sorted, unique, space-separated).
run() {
    name=$1
    set_base "$2"
    shift 2
    t0=$(date +%s)
    (cd "$SHOW" && NO_COLOR=1 "$PODPUB" check --online --ignore url.https "$@") \
        >"$OUT" 2>"$ERR"
    RC=$?
    SECS=$(( $(date +%s) - t0 ))
    cp "$OUT" "$WORK/$name.stdout"
    cp "$ERR" "$WORK/$name.stderr"
    RULES=$(sed -n 's/.*\[\([a-z.]*\)\]$/\1/p' "$OUT" | sort -u | tr '\n' ' ' |
        sed 's/ $//')
}

# expect NAME RC RULES: the run must have exited RC with exactly RULES.
expect() {
    if [ "$RC" -ne "$2" ] || [ "$RULES" != "$3" ]; then
        dump "$OUT" "$1 stdout"
        dump "$ERR" "$1 stderr"
        bad "($1) exit $RC with [${RULES}], want exit $2 with [$3]"
        return 1
    fi
    note "ok: ($1) exit $RC, [${RULES}] (${SECS} s)"
}

# count RULE: the number of findings of RULE in the last run.
count() { grep -c "\[$1\]\$" "$OUT"; }

# (a) everything right
run ok "$HOST/ok/" --timeout 10
if [ $RC -ne 0 ] || [ "$(cat "$OUT")" != "0 errors, 0 warnings" ]; then
    dump "$OUT" "ok stdout"
    dump "$ERR" "ok stderr"
    bad "(a ok) exit $RC, want 0 and only \"0 errors, 0 warnings\""
else
    note "ok: (a ok) exit 0, 0 errors, 0 warnings (${SECS} s)"
fi

# (b) no byte ranges: every enclosure is reported
run ranges "$HOST/ranges/" --timeout 10
if expect "b ranges" 1 online.ranges; then
    for u in $(enclosures "$SITE/ranges"); do
        grep -qF "$u" "$OUT" || bad "(b ranges) no finding names $u"
    done
fi

# (c) .mp3 served as text/plain
run type "$HOST/type/" --timeout 10
mp3s=$(enclosures "$SITE/type" | grep -c '\.mp3$')
[ "$mp3s" -gt 0 ] || bad "(c type) the example show has no .mp3 enclosure"
if expect "c type" 1 online.type; then
    [ "$(count online.type)" -eq "$mp3s" ] ||
        bad "(c type) $(count online.type) online.type findings, want $mp3s (one per .mp3)"
    grep -q 'served as "text/plain"' "$OUT" ||
        bad "(c type) the message does not name text/plain"
fi

# (d) one file missing
run missing "$HOST/missing/" --timeout 10
if expect "d missing" 1 online.status; then
    grep -qF "$HOST/missing/$MISSING answers HTTP 404" "$OUT" ||
        bad "(d missing) no \"answers HTTP 404\" for $MISSING"
fi

# (e) a redirect loop
run loop "$HOST/loop/" --timeout 10
if expect "e loop" 1 online.redirects; then
    grep -qF "$HOST/loop/$LOOP" "$OUT" || bad "(e loop) the finding does not name $LOOP"
fi

# (f) another file behind the URL
run length "$HOST/length/" --timeout 10
if expect "f length" 1 online.length; then
    size=$(wc -c <"$SRC/tests/fixtures/audio/tone-cbr.mp3" | tr -d ' ')
    here=$(wc -c <"$SHOW/episodes/$LENGTH" | tr -d ' ')
    grep -qF "$HOST/length/$LENGTH is $size bytes there, $here here" "$OUT" ||
        bad "(f length) want \"is $size bytes there, $here here\" for $LENGTH"
fi

# (g) a server that never answers: unreachable, exit 3, and soon
run silent "http://127.0.0.1:$SILENT_PORT/" --timeout 2
expect "g silent" 3 online.unreachable
[ "$SECS" -lt 30 ] || bad "(g silent) took $SECS s with --timeout 2 (want < 30 s)"

# (h) another show's feed at feed_url
run other "$HOST/other/" --timeout 10
if expect "h other" 1 online.guid; then
    grep -q 'has podcast:guid 205c6b82-75c6-599f-936c-2a8ea38f4fc0, this show ' "$OUT" ||
        bad "(h other) the message does not name the live feed's podcast:guid"
fi

# (i) the same, for a published feed read over HTTP (--feed URL): the
# served example feed is clean; the length site's feed has an enclosure
# whose file is not the size its length= says; a feed URL that is not
# there is exit 3.
run feed-ok "$HOST/ok/" --feed "$HOST/ok/feed.xml" --timeout 10
if [ $RC -ne 0 ] || [ "$(cat "$OUT")" != "0 errors, 0 warnings" ]; then
    dump "$OUT" "feed-ok stdout"
    dump "$ERR" "feed-ok stderr"
    bad "(i feed-ok) exit $RC, want 0 and only \"0 errors, 0 warnings\""
else
    note "ok: (i feed-ok) exit 0, 0 errors, 0 warnings (${SECS} s)"
fi
run feed-length "$HOST/ok/" --feed "$HOST/length/feed.xml" --timeout 10
expect "i feed-length" 1 online.length
run feed-404 "$HOST/ok/" --feed "$HOST/ok/nothing-here.xml" --timeout 10
if [ $RC -ne 3 ] || ! grep -q 'HTTP status 404.*\[online.status\]$' "$OUT"; then
    dump "$OUT" "feed-404 stdout"
    dump "$ERR" "feed-404 stderr"
    bad "(i feed-404) exit $RC, want 3 and \"HTTP status 404\" as an online.status finding"
else
    note "ok: (i feed-404) exit 3, $(head -n 1 "$OUT")"
fi
# The same with --json: one JSON document holding that finding, exit 3.
run feed-404-json "$HOST/ok/" --feed "$HOST/ok/nothing-here.xml" --timeout 10 --json
if [ $RC -ne 3 ] || ! "$PY" - "$OUT" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert [f["id"] for f in doc] == ["online.status"], doc
assert "HTTP status 404" in doc[0]["message"], doc
EOF
then
    dump "$OUT" "feed-404-json stdout"
    dump "$ERR" "feed-404-json stderr"
    bad "(i feed-404-json) exit $RC, want 3 and one JSON finding online.status"
else
    note "ok: (i feed-404-json) exit 3, one JSON online.status finding"
fi

if [ -n "$FAILED" ]; then
    echo "$me: FAILED:$FAILED" >&2
    exit 1
fi
echo "$me: all scenarios passed"
