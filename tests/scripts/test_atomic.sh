#!/bin/sh
# test_atomic.sh PODPUB SOURCE_DIR WORK_DIR
#
# A failed build leaves the previous feed untouched.
#   - build the example show (a copy in WORK_DIR/show) and keep its feed
#   - break it, one way at a time, and build again: exit status 1, the
#     error names the culprit file, public/feed.xml byte-identical to the
#     good one, and no *.tmp file left in public/ (or anywhere in the show):
#       audio replaced by an empty file, by text, by a truncated M4A;
#       audio deleted; a YAML error in an episode's front matter; a YAML
#       error in feed/podcast.yaml
#   - repaired, the show builds again to the same bytes
#   - I/O failures exit 4 and leave nothing behind:
#       --out DIR whose parent is a regular file; --out naming a regular
#       file; public/feed.xml being a directory (the rename fails: the
#       temporary file must be removed)
set -u

me=test_atomic
. "$(dirname "$0")/lib/common.sh"
init "$@"

S=$WORK/show
mkdir -p "$S" && cp -R "$SRC/feed" "$SRC/episodes" "$S/" ||
    fail "cannot copy the example show"
FEED=$S/public/feed.xml
GOOD=$WORK/feed.good.xml

# run EXPECTED_STATUS WHAT [podpub args...]: runs podpub -C SHOW ARGS and
# checks the exit status; stderr is kept in $WORK/err.
run() {
    want=$1 what=$2
    shift 2
    "$PODPUB" -C "$S" "$@" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc -ne "$want" ]; then
        sed 's/^/  stderr: /' "$WORK/err" >&2
        fail "$what: podpub $* exited $rc, expected $want"
    fi
}

# no_tmp WHAT: no temporary file left anywhere in the show or work dir.
no_tmp() {
    left=$(find "$WORK" -name '*.tmp' 2>/dev/null)
    [ -z "$left" ] || fail "$1: temporary files left behind: $left"
}

# unchanged WHAT: public/feed.xml is still the good feed, byte for byte.
unchanged() {
    [ -f "$FEED" ] || fail "$1: public/feed.xml is gone"
    cmp -s "$GOOD" "$FEED" || fail "$1: public/feed.xml was changed by a failed build"
}

# broken WHAT CULPRIT [TEXT]: build must exit 1, name CULPRIT (and TEXT) on
# stderr, and leave the feed and public/ as they were.
broken() {
    run 1 "$1" build
    for s in "$2" "${3:-$2}"; do
        grep -qF "$s" "$WORK/err" || {
            sed 's/^/  stderr: /' "$WORK/err" >&2
            fail "$1: the error message does not mention '$s'"
        }
    done
    unchanged "$1"
    no_tmp "$1"
    echo "  ok: $1 -> exit 1, feed untouched: $(head -n 1 "$WORK/err")"
}

restore() { cp "$SRC/$1" "$S/$1" || fail "cannot restore $1"; }

echo "== good build"
run 0 "first build" build
[ -s "$FEED" ] || fail "first build wrote no public/feed.xml"
cp "$FEED" "$GOOD" || fail "cannot save the feed"
sum=$(cksum <"$GOOD")
echo "  public/feed.xml: $sum"

echo "== broken builds"
A=episodes/001-milas.mp3
: >"$S/$A"
broken "audio replaced by an empty file" "001-milas"
restore "$A"

echo "this is not audio" >"$S/$A"
broken "audio replaced by text" "001-milas"
restore "$A"

head -c 5000 "$SRC/episodes/002-dennis.m4a" >"$S/episodes/002-dennis.m4a"
broken "audio truncated to 5000 bytes" "002-dennis"
restore episodes/002-dennis.m4a

rm -f "$S/$A"
broken "audio file deleted" "001-milas"
restore "$A"

# A flow sequence that never closes: a YAML syntax error.
sed 's/^season: 1$/season: [1/' "$SRC/episodes/002-dennis.md" \
    >"$S/episodes/002-dennis.md"
cmp -s "$SRC/episodes/002-dennis.md" "$S/episodes/002-dennis.md" &&
    fail "could not break 002-dennis.md (no 'season: 1' line?)"
broken "YAML error in episode front matter" "002-dennis.md" "YAML"
restore episodes/002-dennis.md

# A quoted scalar that never ends (under a key of its own: a duplicate key
# would be reported first).
cp "$SRC/feed/podcast.yaml" "$S/feed/podcast.yaml" &&
    printf 'zz_broken: "unterminated\n' >>"$S/feed/podcast.yaml" ||
    fail "cannot break feed/podcast.yaml"
broken "YAML error in feed/podcast.yaml" "feed/podcast.yaml" "YAML"
restore feed/podcast.yaml

echo "== repaired"
run 0 "build after repair" build
unchanged "build after repair (the same show must give the same bytes)"
[ "$(cksum <"$FEED")" = "$sum" ] || fail "checksum changed after repair"
no_tmp "build after repair"
echo "  ok: rebuilt to the same bytes"

echo "== I/O failures"
echo "keep me" >"$WORK/afile"
run 4 "--out under a regular file" build --out "$WORK/afile/sub"
[ "$(cat "$WORK/afile")" = "keep me" ] || fail "--out afile/sub changed afile"
no_tmp "--out under a regular file"
echo "  ok: --out <file>/sub -> exit 4: $(head -n 1 "$WORK/err")"

run 4 "--out naming a regular file" build --out "$WORK/afile"
[ "$(cat "$WORK/afile")" = "keep me" ] || fail "--out afile changed afile"
no_tmp "--out naming a regular file"
echo "  ok: --out <file> -> exit 4: $(head -n 1 "$WORK/err")"

rm -f "$FEED" && mkdir -p "$FEED/inside" || fail "cannot make $FEED a directory"
run 4 "public/feed.xml is a directory" build
[ -d "$FEED/inside" ] || fail "public/feed.xml (a directory) was changed"
no_tmp "public/feed.xml is a directory"
echo "  ok: public/feed.xml a directory -> exit 4, temporary file removed: $(head -n 1 "$WORK/err")"

echo "$me: ok"
exit 0
