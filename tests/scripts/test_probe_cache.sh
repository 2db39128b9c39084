#!/bin/sh
# test_probe_cache.sh PODPUB SOURCE_DIR WORK_DIR
#
# The probe cache, .podpub/probe-cache in the show folder, seen through
# `podpub -v build` ("probe: N audio files opened, M results from the
# cache" on stderr) on a copy of the example show:
#   - first build: N opened, 0 from the cache; a cache is written
#   - unchanged rebuild: 0 opened, N from the cache; the feed is
#     byte-identical to the uncached one
#   - --no-cache: N opened, 0 from the cache, no cache written (none when
#     there was none, the old one untouched when there was one); same feed
#   - a damaged cache (binary garbage, text garbage, cut in the middle with
#     head -c, its end line cut off, one line with a field less, and --
#     checked last -- one line with a field more): the build succeeds,
#     probes all N, gives the same feed, and rewrites a valid cache that
#     the next build uses fully (0 opened)
#   - the cache cannot be written (.podpub/probe-cache a directory,
#     .podpub a file): the build succeeds, probes all, same feed, warns
#     that the cache was not saved, leaves no *.tmp
#   - two builds at once (& and wait), three times, from no cache: both
#     exit 0, the same feed, and a cache the next build uses fully
#   - touch of one audio file: exactly 1 opened, the feed unchanged
#   - one audio file replaced (cp) by a longer one: 1 opened, its
#     itunes:duration becomes the new length (checked against a full
#     decode); then replaced by a file of the same size and the same mtime
#     but a new inode (mv) that is shorter: 1 opened, the duration follows
#   - cached and uncached builds of the changed show give the same feed
#
# Needs ffmpeg, ffprobe and Debian's /usr/bin/python3.
set -u

me=test_probe_cache
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg ffprobe

S=$WORK/show
make_show "$S"
CACHE=$S/.podpub/probe-cache
FEED=$S/public/feed.xml
REF=$WORK/feed.ref.xml

# The audio files the episodes name (every episode of the example is live
# or scheduled, none is a draft, so each is probed).
N=$(sed -n 's/^audio: *//p' "$S"/episodes/*.md | wc -l)
[ "$N" -ge 2 ] || fail "the example show has only $N audio files"

# build WHAT [args...]: podpub -v -C SHOW build ARGS must exit 0; stderr in
# $WORK/err.
build() {
    what=$1
    shift
    "$PODPUB" -v -C "$S" build "$@" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        dump "$WORK/out" stdout
        dump "$WORK/err" stderr
        fail "$what: podpub -v build $* exited $rc, expected 0"
    fi
}

# counts WHAT OPENED CACHED: the build's probe line says exactly that.
counts() {
    _want="probe: $2 audio files opened, $3 results from the cache"
    _got=$(grep "^probe: " "$WORK/err")
    if [ "$_got" != "$_want" ]; then
        dump "$WORK/err" stderr
        fail "$1: expected '$_want', got '${_got:-no probe line}'"
    fi
}

# cache_valid WHAT: the cache file exists, starts with its magic line and
# ends with "end<TAB>N".
cache_valid() {
    [ -f "$CACHE" ] || fail "$1: no $CACHE"
    [ "$(head -n 1 "$CACHE")" = "podpub-probe-cache 4" ] ||
        fail "$1: the cache does not start with its magic line"
    [ "$(tail -n 1 "$CACHE")" = "$(printf 'end\t%s' "$N")" ] || {
        dump "$CACHE" cache
        fail "$1: the cache does not end with 'end<TAB>$N'"
    }
}

# same_feed WHAT: public/feed.xml is byte-identical to the reference.
same_feed() {
    cmp -s "$REF" "$FEED" || {
        diff "$REF" "$FEED" | head -n 20 >&2
        fail "$1: the feed differs from the reference build's"
    }
}

# duration_of AUDIO: the itunes:duration of the item whose enclosure is
# AUDIO (a path relative to episodes/).
duration_of() {
    "$PY" - "$FEED" "$1" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
IT = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
for item in ET.parse(sys.argv[1]).getroot().iter("item"):
    enc = item.find("enclosure")
    if enc is not None and enc.get("url", "").endswith("/" + sys.argv[2]):
        print(item.findtext(IT + "duration"))
        break
PYEOF
}

echo "== first and second build ($N audio files)"
build "first build"
counts "first build" "$N" 0
cache_valid "first build"
cp "$FEED" "$REF" || fail "cannot keep the feed"
note "first build: $N opened, 0 from the cache; cache written"
build "unchanged rebuild"
counts "unchanged rebuild" 0 "$N"
same_feed "unchanged rebuild (from the cache)"
note "unchanged rebuild: 0 opened, $N from the cache; same feed"

echo "== --no-cache"
cp "$CACHE" "$WORK/cache.before"
touch -d '2001-02-03 04:05:06' "$CACHE"
stamp=$(stat -c %Y "$CACHE")
build "--no-cache with a cache" --no-cache
counts "--no-cache" "$N" 0
cmp -s "$WORK/cache.before" "$CACHE" && [ "$(stat -c %Y "$CACHE")" = "$stamp" ] ||
    fail "--no-cache rewrote the probe cache"
same_feed "--no-cache"
rm -rf "$S/.podpub"
build "--no-cache without a cache" --no-cache
counts "--no-cache without a cache" "$N" 0
[ -e "$CACHE" ] && fail "--no-cache wrote a probe cache"
same_feed "--no-cache without a cache"
note "--no-cache: $N opened, no cache written or changed; same feed"
build "rebuild after --no-cache"
counts "rebuild after --no-cache" "$N" 0
cache_valid "rebuild after --no-cache"
cp "$CACHE" "$WORK/cache.good"

echo "== damaged caches"
# damaged WHAT: the cache as it is now must be thrown away, not trusted.
damaged() {
    build "$1"
    counts "$1: the build after" "$N" 0
    same_feed "$1"
    cache_valid "$1: the rewritten cache"
    build "$1: the next build"
    counts "$1: the next build" 0 "$N"
    note "$1: $N re-probed, same feed, valid cache rewritten, next build 0 opened"
}
awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) printf "%c", int(rand() * 256) }' \
    >"$CACHE"
printf '\000\001\002podpub' >>"$CACHE"
damaged "binary garbage"

printf 'Dit is geen cache.\nF\tepisodes/000-trailer.mp3\t1\t2\nend\t1\n' >"$CACHE"
damaged "text garbage"

size=$(wc -c <"$WORK/cache.good")
head -c $((size / 2)) "$WORK/cache.good" >"$CACHE"
damaged "cut at byte $((size / 2)) of $size"

sed '$d' "$WORK/cache.good" >"$CACHE"
damaged "the end line cut off (at a line end)"

# Line 2 (the first F line) with its 5th field taken out, then with a
# field added; everything else as written.
awk 'BEGIN { FS = OFS = "\t" }
     NR == 2 { s = $1; for (i = 2; i <= NF; i++) if (i != 5) s = s OFS $i; print s; next }
     { print }' "$WORK/cache.good" >"$CACHE"
[ "$(sed -n 2p "$CACHE" | awk -F '\t' '{ print NF }')" -eq \
  $(( $(sed -n 2p "$WORK/cache.good" | awk -F '\t' '{ print NF }') - 1 )) ] ||
    fail "could not take a field out of the cache"
damaged "one line with a field less"


echo "== a cache that cannot be written"
# unsaved WHAT: the build succeeds, probes all, gives the same feed, says
# that the cache was not saved, and leaves no temporary file.
unsaved() {
    build "$1"
    counts "$1" "$N" 0
    same_feed "$1"
    grep -q "not saved" "$WORK/err" || {
        dump "$WORK/err" stderr
        fail "$1: no warning that the cache was not saved"
    }
    left=$(find "$S" -name '*.tmp')
    [ -z "$left" ] || fail "$1: temporary files left behind: $left"
    note "$1: exit 0, $N opened, same feed, warned: $(grep 'not saved' "$WORK/err")"
}
rm -rf "$S/.podpub" && mkdir -p "$CACHE" || fail "cannot make the cache a directory"
unsaved ".podpub/probe-cache is a directory"
rm -rf "$S/.podpub" && echo "not a folder" >"$S/.podpub" || fail "cannot make .podpub a file"
unsaved ".podpub is a file"
rm -f "$S/.podpub"

echo "== two builds at once"
for round in 1 2 3; do
    rm -rf "$S/.podpub" "$S/public"
    "$PODPUB" -v -C "$S" build >"$WORK/out.a" 2>"$WORK/err.a" &
    pa=$!
    "$PODPUB" -v -C "$S" build >"$WORK/out.b" 2>"$WORK/err.b" &
    pb=$!
    wait $pa
    ra=$?
    wait $pb
    rb=$?
    if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then
        dump "$WORK/err.a" "stderr A"
        dump "$WORK/err.b" "stderr B"
        fail "concurrent builds (round $round): exit $ra and $rb, expected 0 and 0"
    fi
    same_feed "concurrent builds (round $round)"
    cache_valid "concurrent builds (round $round)"
    left=$(find "$S" -name '*.tmp')
    [ -z "$left" ] || fail "concurrent builds left temporary files: $left"
    build "after concurrent builds (round $round)"
    counts "after concurrent builds (round $round)" 0 "$N"
done
note "3 rounds of 2 concurrent builds: both exit 0, same feed, a cache the next build uses fully"

echo "== touch"
A=episodes/001-milas.mp3
sleep 0.01 2>/dev/null || sleep 1
touch "$S/$A"
build "touch $A"
counts "touch $A" 1 $((N - 1))
same_feed "touch $A (the content did not change)"
build "after touch"
counts "after touch" 0 "$N"
note "touch $A: 1 opened, $((N - 1)) from the cache, same feed"

echo "== replaced audio"
old=$(duration_of 001-milas.mp3)
[ -n "$old" ] || fail "no itunes:duration for 001-milas.mp3 in the feed"
ffmpeg -nostdin -v error -y -f lavfi -i "sine=f=330:d=47.3:r=44100" \
    -c:a libmp3lame -b:a 64k "$WORK/long.mp3" </dev/null ||
    fail "ffmpeg could not make long.mp3"
truth=$(decoded_seconds "$WORK/long.mp3")
want=$(awk -v t="$truth" 'BEGIN { printf "%d\n", t + 0.5 }')
[ "$want" != "$old" ] || fail "long.mp3 is as long as the old audio ($old s)"
cp "$WORK/long.mp3" "$S/$A" || fail "cannot replace $A"
build "$A replaced (cp) by a ${truth} s file"
counts "$A replaced by cp" 1 $((N - 1))
got=$(duration_of 001-milas.mp3)
[ "$got" = "$want" ] ||
    fail "$A replaced by a $truth s file (decoded): itunes:duration is '$got', expected $want (was $old)"
note "$A replaced by cp: 1 opened, itunes:duration $old -> $got (decoded truth $truth s)"

# A shorter MP3 padded with zero bytes to the very same size, given the
# very same mtime, moved over the old one: only the inode tells.
ffmpeg -nostdin -v error -y -f lavfi -i "sine=f=330:d=20.2:r=44100" \
    -c:a libmp3lame -b:a 64k "$WORK/short.mp3" </dev/null ||
    fail "ffmpeg could not make short.mp3"
have=$(wc -c <"$S/$A")
short=$(wc -c <"$WORK/short.mp3")
[ "$short" -lt "$have" ] || fail "short.mp3 is not smaller than $A"
head -c $((have - short)) /dev/zero >>"$WORK/short.mp3"
cp "$WORK/short.mp3" "$S/episodes/.new.mp3" &&
    touch -r "$S/$A" "$S/episodes/.new.mp3" || fail "cannot make the new file"
ino_old=$(stat -c %i "$S/$A")
key_old=$(stat -c '%s %y' "$S/$A")
mv "$S/episodes/.new.mp3" "$S/$A" || fail "cannot move the new file in place"
key_new=$(stat -c '%s %y' "$S/$A")
ino_new=$(stat -c %i "$S/$A")
[ "$key_old" = "$key_new" ] ||
    fail "could not keep size and mtime ($key_old / $key_new)"
[ "$ino_old" != "$ino_new" ] || fail "mv kept the inode number"
truth=$(decoded_seconds "$S/$A")
want=$(awk -v t="$truth" 'BEGIN { printf "%d\n", t + 0.5 }')
build "$A replaced (mv, same size and mtime) by a ${truth} s file"
counts "$A replaced by mv with the same size and mtime" 1 $((N - 1))
got2=$(duration_of 001-milas.mp3)
[ "$got2" = "$want" ] ||
    fail "$A replaced by a $truth s file of the same size and mtime (new inode): itunes:duration is '$got2', expected $want"
note "$A replaced by mv (same size and mtime, new inode): 1 opened, itunes:duration $got -> $got2"

echo "== cached and uncached builds of the changed show"
build "cached build of the changed show"
counts "cached build of the changed show" 0 "$N"
cp "$FEED" "$REF"
build "uncached build of the changed show" --no-cache
counts "uncached build of the changed show" "$N" 0
same_feed "uncached build of the changed show"
note "the same feed with and without the cache"

echo "== a cache line with a field more"
# Last, so that everything above has run when this fails: an F line with
# a 19th field (written with 18) is as unexpected as one with 17.
build "a good cache again"
cp "$CACHE" "$WORK/cache.good"
awk 'BEGIN { FS = OFS = "\t" } NR == 2 { $0 = $0 OFS "0" } { print }' \
    "$WORK/cache.good" >"$CACHE"
[ "$(sed -n 2p "$CACHE" | awk -F '\t' '{ print NF }')" -eq \
  $(( $(sed -n 2p "$WORK/cache.good" | awk -F '\t' '{ print NF }') + 1 )) ] ||
    fail "could not add a field to the cache"
damaged "one line with a field more"

echo "$me: ok"
exit 0
