#!/bin/sh
# test_images.sh PODPUB SOURCE_DIR WORK_DIR
#
# The show's images: (podcast:image) on a copy of the example show with a
# second file, a 1920x1080 PNG made here with ffmpeg (not by podpub):
#   - the feed's podcast:image for it has the width, height and type of
#     the file, and podcast:images lists it with "1920w";
#   - publish to a folder (file://) uploads it byte for byte, beside the
#     artwork, and the manifest lists it;
#   - the same name as a symbolic link to /etc/passwd: build and publish
#     refuse it, naming images.href and its line, and nothing new is
#     uploaded.
set -u

me=test_images
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg

S=$WORK/show
T=$WORK/www/show
make_show "$S"
mkdir -p "$T" || fail "mkdir $T"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=1920x1080" -frames:v 1 \
    -c:v png -f image2 "$S/feed/wide.png" </dev/null || fail "ffmpeg could not make a PNG"
# A second entry after the example's first (the artwork).
sed -i 's/^  - {href: cover\.jpg, .*/&\n  - {href: wide.png, alt: Een brede versie, purpose: social}/' \
    "$S/feed/podcast.yaml" && grep -q '^  - {href: wide.png' "$S/feed/podcast.yaml" ||
    fail "cannot add wide.png to the example's images:"

echo "== build: the file's width, height and type in the feed"
"$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err" ||
    { dump "$WORK/err" stderr; fail "build failed"; }
FEED=$S/public/feed.xml
grep -q '<podcast:image href="https://media.example.org/voorbij-het-rode-licht/wide.png" alt="Een brede versie" width="1920" height="1080" type="image/png" purpose="social"/>' "$FEED" ||
    { grep -n "podcast:image" "$FEED" >&2; fail "podcast:image of wide.png"; }
grep -q 'wide.png 1920w"' "$FEED" || fail "podcast:images srcset has no wide.png 1920w"
ok "podcast:image width=1920 height=1080 type=image/png, srcset 1920w"

echo "== publish: uploaded with the artwork"
"$PODPUB" -C "$S" publish --target "file://$T/" >"$WORK/out" 2>"$WORK/err" ||
    { dump "$WORK/err" stderr; fail "publish failed"; }
cmp -s "$S/feed/wide.png" "$T/wide.png" || fail "wide.png is not on the target byte for byte"
cmp -s "$S/feed/cover.jpg" "$T/cover.jpg" || fail "cover.jpg is not on the target"
grep -rq 'wide.png' "$T"/.podpub* 2>/dev/null || grep -rlq 'wide.png' "$T" --include='*manifest*' ||
    fail "the manifest does not list wide.png"
ok "wide.png published byte for byte, in the manifest"

echo "== a symbolic link out of the show"
rm -f "$S/feed/wide.png" && ln -s /etc/passwd "$S/feed/wide.png" || fail "ln"
before=$(ls -l --time-style=+%s.%N "$T" | md5sum)
line=$(grep -n '^  - {href: wide.png' "$S/feed/podcast.yaml" | cut -d: -f1)
for cmd in build publish; do
    if [ $cmd = build ]; then
        "$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err"
    else
        "$PODPUB" -C "$S" publish --target "file://$T/" >"$WORK/out" 2>"$WORK/err"
    fi
    st=$?
    [ $st = 1 ] || { dump "$WORK/err" stderr; fail "$cmd exited $st, want 1"; }
    grep -q "^feed/podcast.yaml:$line:[0-9]*: images.href: 'feed/wide.png' resolves to '/etc/passwd', outside the show" "$WORK/err" ||
        { dump "$WORK/err" stderr; fail "$cmd does not name images.href on line $line"; }
done
[ "$(ls -l --time-style=+%s.%N "$T" | md5sum)" = "$before" ] || fail "the target changed"
ok "build and publish refuse it at feed/podcast.yaml:$line (images.href); the target is untouched"
echo "$me: ok"
