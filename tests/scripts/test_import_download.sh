#!/bin/sh
# test_import_download.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub import --media download` (the default) against Debian's nginx on
# loopback (own prefix and config in WORK_DIR, a free port, stopped at the
# end, also on failure), with media made here by ffmpeg:
#   (a) a feed of MP3, M4A and a redirected enclosure: the files arrive
#       byte for byte as NNN-slug.EXT with audio: in the front matter and
#       the probed duration beside it; the built feed has the probed
#       duration; a wrong length and a wrong itunes:duration are listed;
#       a 404, a redirect to file://, a redirect loop, an empty file and a
#       refused connection are named, the rest is imported, exit 3; a
#       transcript that is not WebVTT is refused and listed; a failed
#       transcript download makes exit 3 in keep mode too;
#   (b) the run after the server has the missing file adds it under the
#       number it had, and downloads nothing else again (server log);
#   (c) file:///etc/passwd and ftp:// enclosures are refused (exit 1), a
#       hostile title stays inside episodes/;
#   (d) resume: a big file served slowly (limit_rate); the server is
#       stopped mid-download, then started again: the next run asks for
#       the rest with Range (server log) and the file is identical; the
#       same after kill -9 of a new import (the staging folder keeps the
#       .part); a server that ignores Range (max_ranges 0) gets the file
#       again from byte 0, identical, and so does a server whose 206
#       does not start where the .part ends;
#   (e) 20 enclosures of 2 MB with -j1 and -j4: time and peak RSS printed.
set -u

me=test_import_download
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/nginx.sh"
init "$@"
need ffmpeg

SITE=$WORK/site
STATE=$WORK/nginx
OUT=$WORK/stdout
ERR=$WORK/stderr
LOG=$STATE/access.log

FAILED=
bad() { echo "$me: FAIL: $*" >&2; FAILED="$FAILED
  $*"; }

NG=
stop_server() {
    [ -n "$NG" ] && { kill "$NG" 2>/dev/null; wait "$NG" 2>/dev/null; }
    NG=
}
BG=
cleanup() {
    [ -n "$BG" ] && { kill -9 "$BG" 2>/dev/null; wait "$BG" 2>/dev/null; }
    stop_server
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------
# media and nginx
# ---------------------------------------------------------------------
mkdir -p "$SITE/media" "$SITE/slow" "$SITE/norange" "$SITE/bulk" "$STATE/tmp" || fail "mkdir"
tone() { # tone FILE SECONDS FREQ [CODEC ARGS...]
    _f=$1 _d=$2 _hz=$3
    shift 3
    ffmpeg -nostdin -v error -f lavfi -i "sine=f=$_hz:d=$_d" "$@" -y "$_f" ||
        fail "ffmpeg $_f"
}
tone "$SITE/media/one.mp3" 3 440 -c:a libmp3lame -b:a 64k
tone "$SITE/media/two.mp3" 5 550 -c:a libmp3lame -b:a 64k
tone "$SITE/media/three.mp3" 4 660 -c:a libmp3lame -b:a 64k
tone "$SITE/media/four.m4a" 6 770 -c:a aac -b:a 64k
tone "$WORK/missing.mp3" 2 880 -c:a libmp3lame -b:a 64k
# ~4 MB: about 8 s at the 500 KB/s the slow locations allow.
tone "$WORK/big.wav" 24 330 -ac 1 -ar 88200
cp "$WORK/big.wav" "$SITE/slow/big.wav" && cp "$WORK/big.wav" "$SITE/norange/big.wav" || fail "cp"
printf '<html><body>Not found</body></html>\n' >"$SITE/media/fake.vtt"
: >"$SITE/media/empty.mp3"
printf 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n' >"$SITE/media/one.vtt"
tone "$WORK/bulk.mp3" 64 440 -c:a libmp3lame -b:a 256k
for i in $(seq 1 20); do cp "$WORK/bulk.mp3" "$SITE/bulk/$i.mp3" || fail cp; done

# start_server [PORT]: nginx on PORT (or a free port), until it answers.
start_server() {
    tries=0
    while :; do
        tries=$((tries + 1))
        [ $tries -le 5 ] || fail "could not start nginx (5 tries)"
        PORT=${1:-$(ts_pick_port)} || fail "no free port"
        HOST=http://127.0.0.1:$PORT
        nginx_conf_head "$STATE" | grep -v access_log >"$STATE/nginx.conf"
        cat >>"$STATE/nginx.conf" <<EOF
    log_format ranges '\$request_method \$uri \$status range=\$http_range';
    access_log $LOG ranges;
    types {
        audio/mpeg mp3;
        audio/mp4 m4a;
        audio/wav wav;
        text/vtt vtt;
        application/rss+xml xml;
    }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $SITE;
        location /slow/ { limit_rate 500k; }
        location /norange/ { limit_rate 500k; max_ranges 0; }
        location /fast/ { limit_rate 8m; alias $SITE/bulk/; }
        location = /r/three.mp3 { return 301 /media/three.mp3; }
        location = /r/passwd.mp3 { return 302 file:///etc/passwd; }
        location = /r/loop.mp3 { return 302 /r/loop.mp3; }
    }
}
EOF
        "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" -e "$STATE/error.log" &
        NG=$!
        up=0
        for _ in $(seq 1 30); do
            curl -fs "$HOST/media/one.vtt" -o /dev/null && { up=1; break; }
            kill -0 "$NG" 2>/dev/null || break
            sleep 0.2
        done
        [ $up = 1 ] && break
        stop_server
        [ -n "${1:-}" ] && sleep 1
    done
}
start_server
note "nginx on $HOST"
LIAR_PORT=$(ts_pick_port) || fail "no free port"

# feed FILE TITLE ITEMS: an RSS feed with the items (XML) given.
feed() {
    cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>$2</title><link>https://old.example.org/</link><description>Downloads</description>
<language>en</language><itunes:category text="Technology"/><itunes:author>A</itunes:author>
<itunes:owner><itunes:name>A</itunes:name><itunes:email>a@example.org</itunes:email></itunes:owner>
$3
</channel></rss>
EOF
}
# item N TITLE URL LENGTH TYPE [DURATION] [EXTRA]
item() {
    printf '<item><title>%s</title><guid isPermaLink="false">g-%s</guid>' "$2" "$1"
    printf '<pubDate>Mon, %02d Jan 2024 10:00:00 +0000</pubDate>' "$1"
    printf '<enclosure url="%s" length="%s" type="%s"/>' "$3" "$4" "$5"
    [ -n "${6:-}" ] && printf '<itunes:duration>%s</itunes:duration>' "$6"
    printf '%s</item>\n' "${7:-}"
}
size() { wc -c <"$1" | tr -d ' '; }

import() { # import DIR ARGS...: podpub import into WORK/DIR
    _d=$1
    shift
    (cd "$WORK" && "$PODPUB" import --timeout 5 --base-url "$HOST/new/" "$@" "$_d") \
        >"$OUT" 2>"$ERR"
}

# ---------------------------------------------------------------------
# (a) a feed of five enclosures
# ---------------------------------------------------------------------
M=$SITE/media
feed "$SITE/a.xml" "Downloads" "$(
    item 1 One "$HOST/media/one.mp3" "$(size "$M/one.mp3")" audio/mpeg 3 \
        "<podcast:transcript url=\"$HOST/media/one.vtt\" type=\"text/vtt\"/>"
    item 2 Two "$HOST/media/two.mp3" "$(($(size "$M/two.mp3") + 7))" audio/mpeg 0:01:39
    item 3 Missing "$HOST/media/missing.mp3" 1000 audio/mpeg 2
    item 4 Three "$HOST/r/three.mp3" "$(size "$M/three.mp3")" audio/mpeg 4
    item 5 Four "$HOST/media/four.m4a" "$(size "$M/four.m4a")" audio/mp4 6 \
        "<podcast:transcript url=\"$HOST/media/fake.vtt\" type=\"text/vtt\"/>"
    item 6 Passwd "$HOST/r/passwd.mp3" 10 audio/mpeg
    item 7 Loop "$HOST/r/loop.mp3" 10 audio/mpeg
    item 8 Empty "$HOST/media/empty.mp3" 10 audio/mpeg
    item 9 Refused "http://127.0.0.1:1/refused.mp3" 10 audio/mpeg
)"
import a -j 3 "$HOST/a.xml"
st=$?
E=$WORK/a/episodes
if [ $st = 3 ] && [ -f "$WORK/a/feed/podcast.yaml" ] &&
        cmp -s "$M/one.mp3" "$E/001-one.mp3" && cmp -s "$M/two.mp3" "$E/002-two.mp3" &&
        cmp -s "$M/three.mp3" "$E/004-three.mp3" && cmp -s "$M/four.m4a" "$E/005-four.m4a" &&
        grep -q "^audio: \"001-one.mp3\"   # 0:00:03, $(size "$M/one.mp3") bytes, probed on import$" "$E/001-one.md" &&
        grep -q '^audio: "005-four.m4a"' "$E/005-four.md" &&
        ! grep -q '^audio_url:' "$E"/*.md &&
        [ "$(ls "$E"/*.md | wc -l)" = 4 ] && [ ! -e "$E/003-missing.md" ]; then
    ok "(a) 4 enclosures byte for byte as NNN-slug.EXT (MP3, M4A, one behind a 301), audio: in the front matter, exit 3"
else
    dump "$ERR" stderr; ls -la "$E" >&2
    bad "(a) downloads (exit $st)"
fi
grep -q "cannot download $HOST/media/missing.mp3: HTTP 404" "$ERR" &&
    grep -q "cannot download $HOST/r/passwd.mp3: .*[Pp]rotocol" "$ERR" &&
    grep -q "cannot download $HOST/r/loop.mp3: .*[Rr]edirect" "$ERR" &&
    grep -q "cannot download $HOST/media/empty.mp3: empty (0 bytes)" "$ERR" &&
    grep -q "cannot download http://127.0.0.1:1/refused.mp3: .*onnect" "$ERR" &&
    grep -q "^ *5  enclosure not downloaded (item not imported; run import again)" "$ERR" &&
    ok "(a) a 404, a redirect to file://, a redirect loop, an empty file and a refused connection are named with their URLs and listed" ||
    { dump "$ERR" stderr; bad "(a) failed downloads not named"; }
grep -q "^  episodes/002-two.mp3: $(size "$M/two.mp3") bytes, the feed said $(($(size "$M/two.mp3") + 7)) (the file is kept)$" "$ERR" &&
    grep -q "^  episodes/002-two.mp3: 0:00:05.*long, the feed said 0:01:39" "$ERR" &&
    [ "$(grep -c '^  episodes/' "$ERR")" = 2 ] &&
    ok "(a) a wrong enclosure length and a wrong itunes:duration are listed (and nothing else)" ||
    { dump "$ERR" stderr; bad "(a) length/duration differences not listed"; }
cmp -s "$M/one.vtt" "$E/001-one.vtt" && [ ! -e "$E/005-four.vtt" ] &&
    ! grep -q '^transcript:' "$E/005-four.md" &&
    grep -q "podcast:transcript that is not what its type says (not kept) (e.g. $HOST/media/fake.vtt)" "$ERR" &&
    ok "(a) a WebVTT transcript is kept, an HTML page called .vtt is refused and listed" ||
    { dump "$ERR" stderr; bad "(a) transcript content check"; }
printf 'check:\n  ignore: [apple.image.missing]\n' >>"$WORK/a/feed/podcast.yaml"
if (cd "$WORK/a" && "$PODPUB" -q build --at 2030-01-01T00:00:00Z) >"$OUT" 2>"$ERR"; then
    "$PY" - "$WORK/a/public/feed.xml" "$E" <<'EOF' && ok "(a) the show builds; the feed's durations are the probed ones" || bad "(a) the built feed's durations"
import sys, re, subprocess, xml.etree.ElementTree as ET
ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
items = ET.parse(sys.argv[1]).getroot().findall("channel/item")
ok = len(items) == 4
for it in items:
    url = it.find("enclosure").get("url")
    name = url.rsplit("/", 1)[1]
    got = it.find("itunes:duration", ns).text
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                          "-of", "csv=p=0", sys.argv[2] + "/" + name],
                         capture_output=True, text=True).stdout.strip()
    want = round(float(out))
    if int(got) != want or int(it.find("enclosure").get("length")) != len(open(sys.argv[2] + "/" + name, "rb").read()):
        print(name, got, want, file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
EOF
else
    dump "$ERR" stderr; bad "(a) the imported show does not build"
fi
# Side downloads count too: a transcript that is not there is exit 3.
feed "$SITE/side.xml" "Side" "$(item 1 One "$HOST/media/one.mp3" "$(size "$M/one.mp3")" audio/mpeg 3 \
    "<podcast:transcript url=\"$HOST/media/gone.vtt\" type=\"text/vtt\"/>")"
import side --media keep "$HOST/side.xml"
st=$?
[ $st = 3 ] && grep -q "podcast:transcript not downloaded (e.g. $HOST/media/gone.vtt)" "$ERR" &&
    [ -f "$WORK/side/episodes/001-one.md" ] &&
    ok "(a) a transcript that cannot be downloaded is listed and makes exit 3 (keep mode too)" ||
    { dump "$ERR" stderr; bad "(a) failed side download: exit $st"; }

# ---------------------------------------------------------------------
# (b) again, once the missing file is there
# ---------------------------------------------------------------------
cp "$WORK/missing.mp3" "$M/missing.mp3" || fail cp
: >"$LOG"
import a "$HOST/a.xml"
st=$?
gets=$(grep -c '^GET /media/\(one\|two\|three\|four\)' "$LOG")
[ $st = 3 ] && cmp -s "$M/missing.mp3" "$E/003-missing.mp3" &&
    grep -q '^audio: "003-missing.mp3"' "$E/003-missing.md" &&
    grep -q '^guid: "g-3"' "$E/003-missing.md" && [ "$gets" = 0 ] &&
    grep -q "1 episode added" "$OUT" && grep -q "^1 media file downloaded" "$OUT" &&
    [ "$(ls "$E" | grep '\.part' | grep -cv 'passwd\|loop\|empty\|refused')" = 0 ] &&
    ok "(b) the next run adds the missing item under its number (003), downloads nothing else again" ||
    { dump "$OUT" stdout; dump "$ERR" stderr; dump "$LOG" log; ls "$E" >&2; bad "(b) re-run (exit $st, $gets GETs of present media)"; }

# ---------------------------------------------------------------------
# (c) hostile enclosures and titles
# ---------------------------------------------------------------------
feed "$WORK/hostile.xml" "../Hostile" "$(
    item 1 passwd file:///etc/passwd 1 audio/mpeg
    item 2 ftp ftp://127.0.0.1/a.mp3 1 audio/mpeg
    item 3 "../../outside" "$HOST/media/one.mp3" "$(size "$M/one.mp3")" audio/mpeg)"
import hostile "$WORK/hostile.xml"
st=$?
outside=$(find "$WORK/hostile" -type f ! -path "$WORK/hostile/episodes/*" \
    ! -path "$WORK/hostile/feed/*" ! -path "$WORK/hostile/.github/*" ! -name .gitignore)
if [ $st = 1 ] && grep -q "^ *2  item whose enclosure is not an http(s) URL (not imported) (e.g. file:///etc/passwd)" "$ERR" &&
        [ -z "$outside" ] && [ ! -e "$WORK/outside" ] && cmp -s "$M/one.mp3" "$WORK/hostile/episodes/001-outside.mp3" &&
        [ "$(ls "$WORK/hostile/episodes" | wc -l)" = 2 ]; then
    ok "(c) file:///etc/passwd and ftp:// enclosures refused (exit 1); a ../ title downloads inside episodes/"
else
    dump "$ERR" stderr; find "$WORK/hostile" >&2
    bad "(c) hostile enclosures (exit $st)"
fi

# ---------------------------------------------------------------------
# (d) resume
# ---------------------------------------------------------------------
BIG=$(size "$WORK/big.wav")
# wait_part GLOB: until a .part matching GLOB holds more than 1 MB.
wait_part() {
    for _ in $(seq 1 100); do
        for f in $1; do
            [ -f "$f" ] && [ "$(size "$f")" -gt 1000000 ] && return 0
        done
        sleep 0.1
    done
    return 1
}
feed "$SITE/big.xml" "Big" "$(item 1 Big "$HOST/slow/big.wav" "$BIG" audio/wav 24)"
(cd "$WORK" && exec "$PODPUB" import --timeout 5 --base-url "$HOST/new/" "$HOST/big.xml" big) >"$OUT" 2>"$ERR" &
BG=$!
wait_part "$WORK/big.podpub-import/episodes/001-big.wav.part" || bad "(d) no .part grew"
stop_server
wait "$BG"
st=$?
BG=
part=$(size "$WORK/big/episodes/001-big.wav.part" 2>/dev/null)
[ $st = 3 ] && [ -f "$WORK/big/feed/podcast.yaml" ] && [ ! -e "$WORK/big/episodes/001-big.md" ] &&
    [ -f "$WORK/big/episodes/001-big.wav.part.info" ] && [ "${part:-0}" -gt 0 ] &&
    grep -q "cannot download $HOST/slow/big.wav" "$ERR" &&
    ok "(d) server stopped mid-download: exit 3, the show without the item, ${part} bytes kept in 001-big.wav.part" ||
    { dump "$ERR" stderr; bad "(d) stopped server (exit $st, part ${part:-none})"; }
: >"$LOG"
start_server "$PORT"
import big "$HOST/big.xml"
st=$?
[ $st = 0 ] && cmp -s "$WORK/big.wav" "$WORK/big/episodes/001-big.wav" &&
    grep -q "^GET /slow/big.wav 206 range=bytes=$part-$" "$LOG" &&
    grep -q "1 continued from an earlier run" "$OUT" &&
    [ -z "$(ls "$WORK/big/episodes" | grep '\.part')" ] &&
    ok "(d) server back: the next run asked for bytes=$part- (206), the file is identical, no .part left" ||
    { dump "$OUT" stdout; dump "$ERR" stderr; dump "$LOG" log; bad "(d) resume after a stopped server (exit $st)"; }

# kill -9 of a new import: the staging folder keeps the .part.
for where in slow norange; do
    feed "$SITE/k-$where.xml" "Killed $where" "$(item 1 Big "$HOST/$where/big.wav" "$BIG" audio/wav 24)"
    (cd "$WORK" && exec "$PODPUB" import --timeout 5 --base-url "$HOST/new/" "$HOST/k-$where.xml" "k-$where") >/dev/null 2>&1 &
    BG=$!
    wait_part "$WORK/k-$where.podpub-import/episodes/001-big.wav.part" || bad "(d) $where: no .part grew"
    kill -9 "$BG"
    wait "$BG" 2>/dev/null
    BG=
    part=$(size "$WORK/k-$where.podpub-import/episodes/001-big.wav.part" 2>/dev/null)
    [ -e "$WORK/k-$where" ] && bad "(d) $where: a killed import left a show"
    : >"$LOG"
    import "k-$where" "$HOST/k-$where.xml"
    st=$?
    if [ "$where" = slow ]; then
        want="^GET /slow/big.wav 206 range=bytes=$part-$"
        what="asked for bytes=$part- (206)"
    else
        want="^GET /norange/big.wav 200 range=bytes=$part-$"
        what="got 200 for its Range, started again from byte 0"
    fi
    [ $st = 0 ] && cmp -s "$WORK/big.wav" "$WORK/k-$where/episodes/001-big.wav" &&
        grep -q "$want" "$LOG" && [ ! -e "$WORK/k-$where.podpub-import" ] &&
        ok "(d) kill -9 at ${part} bytes ($where): no show; the next run $what; identical" ||
        { dump "$ERR" stderr; dump "$LOG" log; bad "(d) kill -9 and re-run ($where, exit $st)"; }
done

# A server that answers a Range with a 206 from the wrong byte (0): the
# .part is not continued with it; the file is fetched again, identical.
feed "$SITE/liar.xml" "Liar" "$(item 1 Big "http://127.0.0.1:$LIAR_PORT/big.wav" "$BIG" audio/wav 24)"
"$PY" - "$WORK/big.wav" "$LIAR_PORT" "$WORK/liar.log" <<'EOF' &
import http.server, sys
data = open(sys.argv[1], "rb").read()
log = open(sys.argv[3], "w")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        rng = self.headers.get("Range")
        log.write("GET %s range=%s\n" % (self.path, rng)); log.flush()
        if rng:
            # Claims the rest but sends (and labels) the file from byte 0.
            self.send_response(206)
            self.send_header("Content-Range", "bytes 0-%d/%d" % (len(data) - 1, len(data)))
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass    # podpub hangs up on a wrong 206: expected
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
EOF
LIARPID=$!
mkdir -p "$WORK/liar.podpub-import/episodes" || fail mkdir
head -c 100000 "$WORK/big.wav" >"$WORK/liar.podpub-import/episodes/001-big.wav.part"
printf '# podpub import: a download in progress\nurl http://127.0.0.1:%s/big.wav\nguid g-1\nvalidator \n' \
    "$LIAR_PORT" >"$WORK/liar.podpub-import/episodes/001-big.wav.part.info"
for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$LIAR_PORT/ping" && break
    sleep 0.1
done
import liar "$HOST/liar.xml"
st=$?
kill "$LIARPID" 2>/dev/null
wait "$LIARPID" 2>/dev/null
[ $st = 0 ] && cmp -s "$WORK/big.wav" "$WORK/liar/episodes/001-big.wav" &&
    grep -q "^GET /big.wav range=bytes=100000-$" "$WORK/liar.log" &&
    grep -q "^GET /big.wav range=None$" "$WORK/liar.log" &&
    ok "(d) a 206 that starts at byte 0 when 100000- was asked for is not appended: fetched again from 0, identical" ||
    { dump "$ERR" stderr; dump "$WORK/liar.log" liar; bad "(d) a 206 from the wrong byte (exit $st)"; }

# ---------------------------------------------------------------------
# (e) 20 enclosures, -j1 and -j4 (8 MB/s a connection)
# ---------------------------------------------------------------------
BULK=$(size "$WORK/bulk.mp3")
items=
for i in $(seq 1 20); do
    items="$items$(item "$i" "Bulk $i" "$HOST/fast/$i.mp3" "$BULK" audio/mpeg 64)
"
done
feed "$SITE/bulk.xml" "Bulk" "$items"
for j in 1 4; do
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$PODPUB" -C "$WORK" import -j $j \
        --base-url "$HOST/new/" "$HOST/bulk.xml" "bulk-$j" >"$OUT" 2>"$ERR"
    st=$?
    read -r secs kb <<EOF
$(tail -n 1 "$WORK/time")
EOF
    n=$(ls "$WORK/bulk-$j/episodes/"*.mp3 2>/dev/null | wc -l)
    note "(e) 20 x $BULK bytes, -j$j: ${secs} s, max RSS ${kb} KB"
    [ $st = 0 ] && [ "$n" = 20 ] && cmp -s "$WORK/bulk.mp3" "$WORK/bulk-$j/episodes/020-bulk-20.mp3" ||
        { dump "$ERR" stderr; bad "(e) -j$j: exit $st, $n files"; }
    eval "secs_$j=$secs"
done
# shellcheck disable=SC2154
awk -v a="$secs_1" -v b="$secs_4" 'BEGIN { exit !(b < a * 0.6) }' &&
    ok "(e) -j4 ($secs_4 s) is faster than -j1 ($secs_1 s)" ||
    bad "(e) -j4 ($secs_4 s) is not clearly faster than -j1 ($secs_1 s)"

if [ -n "$FAILED" ]; then
    echo "$me: FAILED:$FAILED" >&2
    exit 1
fi
echo "$me: all ok"
