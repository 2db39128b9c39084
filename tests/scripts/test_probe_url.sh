#!/bin/sh
# test_probe_url.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub probe URL` against real web servers on loopback. Media made here
# with ffmpeg (two minutes of noise, mono): MP3 CBR (LAME Info header),
# MP3 VBR with a Xing header, MP3 VBR without one, M4A with its moov box
# after the media data, Opus, FLAC. One nginx (Debian's, as in
# test_check_online; its own prefix, config and logs in WORK_DIR, on free
# ports in 20000-32000) serves them twice: on one port with ranges, on the
# next with `max_ranges 0;` (a server that ignores Range). A small python3
# server on a third port answers ranges but says, from its second answer
# on, that the file has another size (or, at /etag/, another ETag).
#   (a) for each file, `probe URL --json` equals `probe FILE --json` in
#       duration, bytes, MIME type, container, codec, rate, channels and
#       method; the bytes it says it fetched are what nginx's log says it
#       sent; for every format but the Xing-less MP3 (which is walked
#       frame by frame, so read whole) that is under a third of the file,
#       and the figures are printed
#   (b) the server that ignores Range: the same facts, "ranges": false,
#       the whole file fetched in one request, a note saying so
#   (c) a 404: exit 3, one line naming the URL and the status
#   (d) a redirect to file:///etc/passwd: exit 3, one line, refused
#   (e) a redirect to another http URL is followed
#   (f) a file whose size (then ETag) changes between two requests: exit 3,
#       "the file changed"
#   (g) files and URLs in one call: both measured, in order; text output
#       says what was fetched; without --no-loudness a note says the
#       URL's loudness was not measured, the file's is
#   (h) a non-http scheme: exit 1, one line naming it
#   (i) an HLS playlist named .mp3 whose segment is on the same server:
#       refused as not MP3 (exit 1), and the segment never requested
#       (libavformat's own network access stays shut)
#   (j) the same for local files, which libavformat opens by name: that
#       HLS playlist as a local .mp3 (the segment never requested), and an
#       ffconcat list named .mp3 naming a FIFO beside it (refused at once:
#       opening the FIFO would block), with and without loudness
set -u

me=test_probe_url
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/nginx.sh"
init "$@"
need ffmpeg

MEDIA=$WORK/media
STATE=$WORK/nginx
OUT=$WORK/stdout
ERR=$WORK/stderr
mkdir -p "$MEDIA" "$STATE/tmp" || fail "cannot create $WORK"

stop_servers_on_exit

# The media: name and ffmpeg's encoder options.
FILES="cbr.mp3 vbr.mp3 noxing.mp3 end.m4a long.opus long.flac"
make_media() {
    case $1 in
        cbr.mp3) set -- "$1" -c:a libmp3lame -b:a 128k ;;
        vbr.mp3) set -- "$1" -c:a libmp3lame -q:a 4 ;;
        noxing.mp3) set -- "$1" -c:a libmp3lame -q:a 4 -write_xing 0 ;;
        end.m4a) set -- "$1" -c:a aac -b:a 128k ;;
        long.opus) set -- "$1" -c:a libopus -b:a 64k ;;
        long.flac) set -- "$1" -c:a flac ;;
    esac
    f=$1
    shift
    ffmpeg -v error -nostdin -y -f lavfi -i "anoisesrc=d=120:a=0.1:r=44100" \
        -ac 1 "$@" "$MEDIA/$f" || fail "ffmpeg could not make $f"
}
for f in $FILES; do
    make_media "$f"
done
# The M4A must have its index at the end, or (a) proves less.
"$PY" - "$MEDIA/end.m4a" <<'EOF' || fail "end.m4a does not have moov after mdat"
import struct, sys
data = open(sys.argv[1], "rb").read()
pos, order = 0, []
while pos + 8 <= len(data):
    size, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if size == 1:
        size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
    order.append(kind.decode("latin-1"))
    if size < 8:
        break
    pos += size
sys.exit(0 if order.index("moov") > order.index("mdat") else 1)
EOF
cp "$MEDIA/cbr.mp3" "$MEDIA/etag.mp3" || fail "cp"

tries=0
while :; do
    tries=$((tries + 1))
    [ $tries -le 5 ] || fail "could not start nginx and the python server on free ports (5 tries)"
    PORT=$(ts_pick_port 3) || fail "no free ports"
    HOST=http://127.0.0.1:$PORT
    NORANGE=http://127.0.0.1:$((PORT + 1))
    CHANGING=http://127.0.0.1:$((PORT + 2))
    echo "podpub-$$" >"$MEDIA/token.txt"
    printf '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n%s\n#EXT-X-ENDLIST\n' \
        "$HOST/seg.ts" >"$MEDIA/hls.mp3"
    nginx_conf_head "$STATE" >"$STATE/nginx.conf"
    cat >>"$STATE/nginx.conf" <<EOF
    log_format ranges '\$status \$body_bytes_sent "\$http_range" \$uri';
    types {
        audio/mpeg mp3;
        audio/x-m4a m4a;
        audio/opus opus;
        audio/flac flac;
        text/plain txt;
    }
    server {
        listen 127.0.0.1:$PORT;
        root $MEDIA;
        access_log $STATE/ranges.log ranges;
        location = /evil.mp3 { return 302 file:///etc/passwd; }
        location = /moved.mp3 { return 301 /cbr.mp3; }
    }
    server {
        listen 127.0.0.1:$((PORT + 1));
        root $MEDIA;
        max_ranges 0;
        access_log $STATE/norange.log ranges;
    }
}
EOF
    "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" -e "$STATE/error.log" \
        >"$STATE/stdout" 2>&1 &
    SERVERS="$SERVERS $!"
    # Ranges of a real file, but from the second answer on another total
    # size (or, under /etag/, another ETag): a file replaced mid-probe.
    "$PY" - "$((PORT + 2))" "$MEDIA/cbr.mp3" >"$WORK/py.log" 2>&1 <<'EOF' &
import http.server, re, sys
port, path = int(sys.argv[1]), sys.argv[2]
data = open(path, "rb").read()
answers = {}
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        n = answers[self.path] = answers.get(self.path, 0) + 1
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if not m:
            self.send_error(400)
            return
        first, last = int(m.group(1)), min(int(m.group(2)), len(data) - 1)
        total, etag = len(data), '"v1"'
        if n > 1 and self.path.startswith("/etag/"):
            etag = '"v2"'
        elif n > 1:
            total += 1000
        self.send_response(206)
        self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, total))
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data[first:last + 1])
srv = http.server.HTTPServer(("127.0.0.1", port), H)
print("ready", flush=True)
srv.serve_forever()
EOF
    SERVERS="$SERVERS $!"
    if wait_served "$HOST/token.txt" "podpub-$$" "$WORK/py.log"; then
        break
    fi
    dump "$STATE/error.log" nginx
    dump "$WORK/py.log" python
    stop_servers
done
note "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') on $HOST and $NORANGE, python3 on $CHANGING"

failures=
failed() { echo "$me: FAIL: $*" >&2; failures="$failures
  $*"; }

# logged LOG PATH: the requests and body bytes nginx logged for PATH.
logged() {
    awk -v u="$2" '$NF == u { n++; s += $2 } END { print n + 0, s + 0 }' "$1"
}

# same_facts LOCAL REMOTE: the two --json outputs agree (prints why not).
same_facts() {
    "$PY" - "$1" "$2" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))[0]
b = json.load(open(sys.argv[2]))[0]
keys = ("duration", "duration_ms", "bytes", "mime", "container", "codec",
        "sample_rate", "channels", "bit_rate", "method", "truncated")
bad = ["%s: %r vs %r" % (k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]
if bad:
    print("; ".join(bad))
    sys.exit(1)
EOF
}

# (a) every format, with ranges
note "(a) bytes fetched per file (of its size):"
for f in $FILES; do
    : >"$STATE/ranges.log"
    "$PODPUB" probe --no-loudness --json "$MEDIA/$f" >"$WORK/local.json" 2>"$ERR" ||
        { dump "$ERR" stderr; failed "(a) $f: probe FILE failed"; continue; }
    "$PODPUB" probe --no-loudness --json "$HOST/$f" >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -ne 0 ] || [ -s "$ERR" ]; then
        dump "$ERR" stderr
        failed "(a) $f: probe URL exit $rc (want 0, nothing on stderr)"
        continue
    fi
    why=$(same_facts "$WORK/local.json" "$OUT") || { failed "(a) $f: $why"; continue; }
    size=$(json "$OUT" 'j[0]["bytes"]')
    fetched=$(json "$OUT" 'j[0]["fetched"]')
    requests=$(json "$OUT" 'j[0]["requests"]')
    ranges=$(json "$OUT" 'j[0]["ranges"]')
    set -- $(logged "$STATE/ranges.log" "/$f")
    note "  $f: $fetched of $size bytes in $requests requests (nginx: $2 bytes in $1)"
    [ "$ranges" = true ] || failed "(a) $f: \"ranges\" is $ranges"
    [ "$1" = "$requests" ] && [ "$2" = "$fetched" ] ||
        failed "(a) $f: podpub says $fetched bytes in $requests requests, nginx $2 in $1"
    if [ "$f" = noxing.mp3 ]; then
        [ "$fetched" = "$size" ] && [ "$requests" -le 8 ] ||
            failed "(a) $f: walked whole: want all $size bytes in at most 8 requests, got $fetched in $requests"
    elif [ $((fetched * 3)) -ge "$size" ]; then
        failed "(a) $f: fetched $fetched of $size bytes: not under a third"
    fi
done

# (b) a server that ignores Range
for f in end.m4a vbr.mp3; do
    : >"$STATE/norange.log"
    "$PODPUB" probe --no-loudness --json "$MEDIA/$f" >"$WORK/local.json" 2>/dev/null
    "$PODPUB" probe --no-loudness --json "$NORANGE/$f" >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -ne 0 ]; then
        dump "$ERR" stderr
        failed "(b) $f: exit $rc, want 0"
        continue
    fi
    why=$(same_facts "$WORK/local.json" "$OUT") || failed "(b) $f: $why"
    size=$(json "$OUT" 'j[0]["bytes"]')
    [ "$(json "$OUT" 'j[0]["ranges"]')" = false ] || failed "(b) $f: \"ranges\" is not false"
    [ "$(json "$OUT" 'j[0]["fetched"]')" = "$size" ] &&
        [ "$(json "$OUT" 'j[0]["requests"]')" = 1 ] ||
        failed "(b) $f: want the whole file in one request"
    set -- $(logged "$STATE/norange.log" "/$f")
    [ "$1" = 1 ] && [ "$2" = "$size" ] || failed "(b) $f: nginx logged $2 bytes in $1 requests"
    grep -q "^podpub: note: $NORANGE/$f: the server ignores Range requests" "$ERR" ||
        { dump "$ERR" stderr; failed "(b) $f: no note that the server ignores Range"; }
done
ok "(a), (b) done"

# expect_fail CODE WHAT PATTERN URL: exit CODE, one stderr line naming URL
# and matching PATTERN, nothing on stdout but the empty JSON array.
expect_fail() {
    "$PODPUB" probe --no-loudness --json "$4" >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -ne "$1" ] || [ "$(wc -l <"$ERR")" -ne 1 ] ||
        ! grep -q "^podpub: $4: .*$3" "$ERR"; then
        dump "$ERR" stderr
        failed "$2: exit $rc (want $1) and one line naming $4 with '$3'"
        return
    fi
    [ "$(json "$OUT" 'j')" = "[]" ] || failed "$2: stdout is not []"
    ok "$2: $(cat "$ERR")"
}
# (c), (d)
expect_fail 3 "(c) 404" "HTTP 404" "$HOST/missing.mp3"
expect_fail 3 "(d) redirect to file:" "redirect to 'file:///etc/passwd' refused" "$HOST/evil.mp3"
# (e)
if "$PODPUB" probe --no-loudness --json "$HOST/moved.mp3" >"$OUT" 2>"$ERR" &&
    "$PODPUB" probe --no-loudness --json "$MEDIA/cbr.mp3" >"$WORK/local.json" &&
    why=$(same_facts "$WORK/local.json" "$OUT"); then
    ok "(e) a redirect to http is followed"
else
    dump "$ERR" stderr
    failed "(e) moved.mp3: ${why:-probe failed}"
fi
# (f)
expect_fail 3 "(f) size changes" "the file changed while it was read" "$CHANGING/size/cbr.mp3"
expect_fail 3 "(f) ETag changes" "the file changed while it was read" "$CHANGING/etag/cbr.mp3"
# (h)
expect_fail 1 "(h) ftp" "not an http:// or https:// URL" "ftp://127.0.0.1/cbr.mp3"

# (i)
: >"$STATE/ranges.log"
expect_fail 1 "(i) HLS as .mp3" "not MP3" "$HOST/hls.mp3"
[ "$(logged "$STATE/ranges.log" /seg.ts)" = "0 0" ] ||
    failed "(i) the HLS segment was requested: libavformat opened a URL"

# (g) files and URLs mixed, text and loudness
if "$PODPUB" probe --json "$MEDIA/vbr.mp3" "$HOST/end.m4a" >"$OUT" 2>"$ERR"; then
    got=$(json "$OUT" '" ".join(str(("loudness" in o, o.get("ranges"))) for o in j)')
    [ "$got" = "(True, None) (False, True)" ] ||
        failed "(g) mixed: want the file's loudness and the URL's ranges, got $got"
    grep -q "^podpub: note: $HOST/end.m4a: loudness not measured" "$ERR" ||
        { dump "$ERR" stderr; failed "(g) no note on the URL's loudness"; }
else
    dump "$ERR" stderr
    failed "(g) probe FILE URL failed"
fi
if "$PODPUB" probe --no-loudness "$HOST/vbr.mp3" "$MEDIA/vbr.mp3" >"$OUT" 2>"$ERR" &&
    [ ! -s "$ERR" ]; then
    grep -q "^  fetched:  [0-9]* bytes in 2 requests (" "$OUT" &&
        [ "$(grep -c '^  fetched:' "$OUT")" = 1 ] &&
        [ "$(grep -c '^  duration:  *120\.000 s (mp3-header)' "$OUT")" = 2 ] ||
        { dump "$OUT" stdout; failed "(g) text output"; }
else
    dump "$ERR" stderr
    failed "(g) probe URL FILE (text) failed"
fi
ok "(g) done"

# (j)
: >"$STATE/ranges.log"
expect_fail 1 "(j) local HLS as .mp3" "not MP3" "$MEDIA/hls.mp3"
[ "$(logged "$STATE/ranges.log" /seg.ts)" = "0 0" ] ||
    failed "(j) the HLS segment was requested for a local file"
mkdir -p "$WORK/concat" && mkfifo "$WORK/concat/fifo.mp3" &&
    printf 'ffconcat version 1.0\nfile fifo.mp3\n' >"$WORK/concat/list.mp3" ||
    fail "mkfifo"
for opt in --no-loudness --json; do
    timeout 20 "$PODPUB" probe $opt "$WORK/concat/list.mp3" >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q "^podpub: $WORK/concat/list.mp3: " "$ERR"; then
        dump "$ERR" stderr
        failed "(j) ffconcat list ($opt): exit $rc (want 1; 124 is the FIFO opened)"
    fi
done
ok "(j) done"

stop_servers
if [ -n "$failures" ]; then
    echo "$me: FAIL:$failures" >&2
    exit 1
fi
echo "$me: ok"
