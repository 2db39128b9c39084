#!/bin/sh
# test_artwork.sh PODPUB SOURCE_DIR WORK_DIR
#
# The show's artwork (image: in feed/podcast.yaml), probed by content:
#   - the example's feed/cover.jpg: `podpub probe --json` says jpeg,
#     1400x1400, colour rgb, with no warning; the example builds with no
#     image warning
#   - a PNG named cover.jpg: `podpub build` exits 1 with an error at
#     feed/podcast.yaml:LINE:COL of image: that says PNG; no feed written
#     (the same PNG named cover.png builds)
#   - a 600x600 JPEG: refused (exit 1, no feed) by the error rule
#     apple.image.size at image:, mentioning 1400
#   - a greyscale JPEG (1400x1400): refused by apple.image.colour
#     (greyscale); probe says colour "greyscale"
#   - a CMYK JPEG (1400x1400, Adobe APP14): a warning (exit 0, feed
#     written) or an error (exit 1, no feed) about its colour, cmyk; probe
#     says colour "cmyk"
#   - a WebP named cover.jpg (ffmpeg with libwebp; skipped, and said so,
#     without): exit 1, an error at image: that says WebP; no feed written
#   - the example cover with ~120 KB of XMP (APP1 segments, as
#     Photoshop writes them) before its frame header: still jpeg
#     1400x1400 rgb, and no warning
#   - JPEGs in 4:4:4, 4:2:2 and 4:2:0, PNGs of every colour type and
#     depth ffmpeg writes, and the grey and CMYK JPEGs: `podpub probe`'s
#     width, height and pix_fmt are ffprobe's (podpub reads the headers
#     itself, without FFmpeg)
# ffmpeg writes only YCbCr JPEGs, so the greyscale and CMYK ones are made
# by lib/mkjpeg.py (checked to decode with ffmpeg first). A failed check
# about podpub does not stop the script: all cases run, then it fails.
#
# Needs ffmpeg, ffprobe and Debian's /usr/bin/python3.
set -u

me=test_artwork
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg ffprobe

S=$WORK/show
make_show "$S"
FEED=$S/public/feed.xml
COVER=$S/feed/cover.jpg
YAML=$S/feed/podcast.yaml
L=$(grep -n '^image:' "$YAML" | cut -d: -f1)
[ -n "$L" ] || fail "feed/podcast.yaml has no image: line"
COL=$(sed -n "${L}p" "$YAML" | awk '{ print index($0, $2) }')
POS="feed/podcast.yaml:$L:$COL:"

problems=$WORK/problems
: >"$problems"

# problem TEXT: records a failed check about podpub; the script goes on
# with the next case and fails at the end, so one run shows them all.
problem() { echo "$*" >>"$problems"; echo "  FAIL: $*" >&2; }

# build WANT WHAT: podpub -C SHOW build (public/ removed first); false
# (and a problem recorded) unless it exits WANT. Output in $WORK/out and
# $WORK/err.
build() {
    rm -rf "$S/public"
    "$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err"
    rc=$?
    [ $rc -eq "$1" ] && return 0
    dump "$WORK/out" stdout
    dump "$WORK/err" stderr
    problem "$2: podpub build exited $rc, expected $1"
    return 1
}

# err_has WHAT TEXT...: some line of stderr starts with $POS and holds
# every TEXT (grep -i patterns); else a problem, and false.
err_has() {
    what=$1
    shift
    grep -F "$POS" "$WORK/err" >"$WORK/lines"
    for t in "$@"; do
        grep -i -e "$t" "$WORK/lines" >"$WORK/lines.2"
        mv "$WORK/lines.2" "$WORK/lines"
    done
    [ -s "$WORK/lines" ] && return 0
    dump "$WORK/err" stderr
    problem "$what: no line on stderr starts with '$POS' and holds: $*"
    return 1
}

# refused WHAT TEXT...: the build fails on the artwork, says TEXT at
# image:'s position, and writes no feed.
refused() {
    what=$1
    build 1 "$what" || return 0
    err_has "$@" || return 0
    grep -q "no feed written" "$WORK/err" ||
        problem "$what: no 'no feed written' on stderr"
    [ -e "$FEED" ] && problem "$what: public/feed.xml was written"
    note "$what: exit 1: $(grep -F "$POS" "$WORK/err" | head -n 1)"
}

# warned WHAT TEXT...: the build succeeds with a warning holding TEXT at
# image:'s position, and writes the feed.
warned() {
    what=$1
    build 0 "$what" || return 0
    err_has "$@" warning || return 0
    [ -s "$FEED" ] || problem "$what: no public/feed.xml"
    note "$what: exit 0, feed written: $(grep -F "$POS" "$WORK/err" | head -n 1)"
}

# flagged WHAT TEXT...: either warned or refused (the build's choice),
# with TEXT at image:'s position either way.
flagged() {
    what=$1
    rm -rf "$S/public"
    "$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err"
    rc=$?
    case $rc in
        0)  err_has "$@" warning || return 0
            [ -s "$FEED" ] || problem "$what: exit 0 but no public/feed.xml"
            note "$what: warned (exit 0): $(grep -F "$POS" "$WORK/err" | head -n 1)" ;;
        1)  err_has "$@" || return 0
            [ -e "$FEED" ] && problem "$what: exit 1 but public/feed.xml was written"
            note "$what: refused (exit 1): $(grep -F "$POS" "$WORK/err" | head -n 1)" ;;
        *)  dump "$WORK/err" stderr
            problem "$what: podpub build exited $rc, expected 0 (warning) or 1 (error)" ;;
    esac
}

# probed FILE KEY=VALUE...: podpub probe --json FILE says so (else a
# problem).
probed() {
    f=$1
    shift
    "$PODPUB" probe --json "$f" >"$WORK/probe.json" 2>"$WORK/probe.err" || {
        dump "$WORK/probe.err" stderr
        problem "podpub probe --json $f failed"
        return 0
    }
    for kv in "$@"; do
        got=$(json "$WORK/probe.json" "j[0][\"${kv%%=*}\"]")
        [ "$got" = "${kv#*=}" ] ||
            problem "podpub probe $f: ${kv%%=*} is '$got', expected '${kv#*=}'"
    done
}

# decodes FILE: ffmpeg decodes FILE without an error (a valid image).
decodes() {
    ffmpeg -nostdin -v error -i "$1" -f null - >/dev/null 2>"$WORK/ff.err" &&
        [ ! -s "$WORK/ff.err" ] || {
        dump "$WORK/ff.err" ffmpeg
        fail "$1 (made by this test) does not decode cleanly"
    }
}

echo "== the example cover"
before=$(wc -l <"$problems")
probed "$SRC/feed/cover.jpg" format=jpeg width=1400 height=1400 colour=rgb
if [ -s "$WORK/probe.err" ]; then
    dump "$WORK/probe.err" stderr
    problem "podpub probe warns about the example cover"
fi
if build 0 "the example show" && grep -F "$POS" "$WORK/err" >&2; then
    problem "the example show's cover gets a warning"
fi
[ "$(wc -l <"$problems")" = "$before" ] &&
    note "feed/cover.jpg: jpeg 1400x1400 rgb, no warning"

echo "== a PNG named .jpg"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=1400x1400" -frames:v 1 \
    -c:v png -f image2 "$COVER" </dev/null || fail "ffmpeg could not make a PNG"
[ "$(head -c 4 "$COVER" | tail -c 3)" = PNG ] || fail "the PNG cover is not a PNG"
refused "a PNG named cover.jpg" PNG
# images: names the artwork too (podcast:image): renamed with it.
mv "$COVER" "$S/feed/cover.png" &&
    sed -e "${L}s/cover\.jpg/cover.png/" -e "s/{href: cover\.jpg,/{href: cover.png,/" \
        "$SRC/feed/podcast.yaml" >"$YAML" ||
    fail "cannot rename the PNG"
if build 0 "the same PNG named cover.png"; then
    grep -q 'cover\.png' "$FEED" || problem "the feed does not name cover.png"
    note "the same PNG named cover.png (image: cover.png) builds"
fi
rm -f "$S/feed/cover.png"
cp "$SRC/feed/podcast.yaml" "$YAML"

echo "== a 600x600 JPEG"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=600x600" -frames:v 1 \
    -q:v 3 -f mjpeg "$COVER" </dev/null || fail "ffmpeg could not make a JPEG"
probed "$COVER" format=jpeg width=600 height=600 colour=rgb
refused "a 600x600 JPEG" 1400 apple.image.size

echo "== a greyscale JPEG"
"$PY" "$LIB/mkjpeg.py" grey 1400 "$COVER" || fail "mkjpeg.py grey failed"
decodes "$COVER"
probed "$COVER" format=jpeg width=1400 height=1400 colour=greyscale
refused "a greyscale JPEG" colou grey apple.image.colour
grep -F "$POS" "$WORK/err" | grep -q 1400 &&
    problem "a 1400x1400 greyscale JPEG gets a size warning"

echo "== a CMYK JPEG"
"$PY" "$LIB/mkjpeg.py" cmyk 1400 "$COVER" || fail "mkjpeg.py cmyk failed"
decodes "$COVER"
probed "$COVER" format=jpeg width=1400 height=1400 colour=cmyk
flagged "a CMYK JPEG (made by lib/mkjpeg.py)" colou cmyk

echo "== a WebP named .jpg"
if ffmpeg -hide_banner -encoders 2>/dev/null | grep -q ' libwebp '; then
    ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=1400x1400" \
        -frames:v 1 -c:v libwebp -f webp "$COVER" </dev/null ||
        fail "ffmpeg could not make a WebP"
    [ "$(head -c 12 "$COVER" | tail -c 4)" = WEBP ] || fail "the WebP cover is not WebP"
    refused "a WebP named cover.jpg" WebP
else
    note "SKIPPED: a WebP named .jpg (this ffmpeg has no libwebp encoder)"
fi

echo "== an RGB JPEG with 120 KB of metadata before its frame header"
"$PY" - "$SRC/feed/cover.jpg" "$COVER" <<'PYEOF' || fail "cannot add XMP to the cover"
import sys
data = open(sys.argv[1], "rb").read()
assert data[:2] == b"\xff\xd8"
app = b""
for sig in (b"http://ns.adobe.com/xap/1.0/\x00",
            b"http://ns.adobe.com/xmp/extension/\x00"):
    payload = sig + b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b" " * 60000 + \
        b"</x:xmpmeta>"
    app += b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
open(sys.argv[2], "wb").write(data[:2] + app + data[2:])
PYEOF
decodes "$COVER"
probed "$COVER" format=jpeg width=1400 height=1400 colour=rgb
if build 0 "an RGB JPEG with 120 KB of XMP"; then
    if grep -F "$POS" "$WORK/err" >&2; then
        problem "an RGB JPEG with 120 KB of XMP gets a warning"
    else
        note "the example cover with 120 KB of XMP: no warning"
    fi
fi

# podpub reads the headers itself (no FFmpeg): the size and pixel format
# it gives must be what ffprobe says for the same file.
echo "== JPEG subsamplings and PNG colour types, against ffprobe"
for fmt in jpg:yuvj444p jpg:yuvj422p jpg:yuvj420p png:rgb24 png:rgba \
           png:gray png:ya8 png:pal8 png:rgb48be png:rgba64be png:gray16be \
           png:monob; do
    f=$WORK/pix.${fmt%%:*}
    ffmpeg -nostdin -v error -y -f lavfi -i testsrc=s=48x32 -frames:v 1 \
        -pix_fmt "${fmt#*:}" "$f" || fail "ffmpeg cannot write ${fmt#*:}"
    want=$(ffprobe -v error -show_entries stream=width,height,pix_fmt \
        -of csv=p=0 "$f")
    probed "$f" width="${want%%,*}" height="$(echo "$want" | cut -d, -f2)" \
        pix_fmt="${want##*,}"
done
for m in grey cmyk; do
    "$PY" "$LIB/mkjpeg.py" $m 64 "$WORK/pix.jpg" || fail "mkjpeg.py $m failed"
    want=$(ffprobe -v error -show_entries stream=pix_fmt -of csv=p=0 "$WORK/pix.jpg")
    probed "$WORK/pix.jpg" width=64 height=64 pix_fmt="$want"
done
note "12 ffmpeg-made images and mkjpeg's grey and CMYK JPEGs: size and pix_fmt as ffprobe says"

if [ -s "$problems" ]; then
    echo "$me: $(wc -l <"$problems") problem(s):" >&2
    sed 's/^/  - /' "$problems" >&2
    fail "podpub's artwork checks are wrong (see above)"
fi
echo "$me: ok"
exit 0
