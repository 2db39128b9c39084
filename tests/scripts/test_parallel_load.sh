#!/bin/sh
# test_parallel_load.sh PODPUB SOURCE_DIR WORK_DIR
#
# Episode files are read and parsed on every core (src/meta/show.c). What
# the user sees must not show it: a show of 600 episodes, seven of them
# with errors (several errors in one file, a file that is a folder, a
# duplicate GUID found after parsing, missing audio files: checked on
# every core too), built 8 times:
#   - stderr is exactly the expected text every time, in file order, each
#     file's messages together and in the order one thread prints them;
#   - exit status 1 and no feed written;
#   - with the errors fixed, the feed lists all 600 episodes in the same
#     order as their files, and two builds are byte-identical.
set -u

me=test_parallel_load
. "$(dirname "$0")/lib/common.sh"
init "$@"

mkdir -p "$WORK/show/feed" "$WORK/show/episodes" || fail "cannot create $WORK/show"
cp "$SRC/feed/podcast.yaml" "$SRC/feed/cover.jpg" "$WORK/show/feed/" ||
    fail "cannot copy the example show file"
cd "$WORK/show" || fail "cannot enter $WORK/show"

# good N: a valid episode file N (its own hardlink to the trailer's MP3).
good() {
    n=$(printf %03d "$1")
    ln -f "$SRC/episodes/000-trailer.mp3" "episodes/$n-ep.mp3" 2>/dev/null ||
        cp "$SRC/episodes/000-trailer.mp3" "episodes/$n-ep.mp3" ||
        fail "cannot make episodes/$n-ep.mp3"
    printf -- '---\ntitle: "Episode %d"\nguid: 00000000-0000-4000-8000-%012d\ndate: 2025-10-%02dT06:00:00+02:00\naudio: %s-ep.mp3\nseason: 1\nepisode: %d\n---\n\nNotes of episode %d, with **bold** text.\n' \
        "$1" "$1" $(( $1 % 28 + 1 )) "$n" "$1" "$1" >"episodes/$n-ep.md"
}

i=1
while [ $i -le 600 ]; do good $i; i=$((i + 1)); done

# The broken ones.
printf -- '---\ntitle: "Seven"\nguid: 00000000-0000-4000-8000-000000000007\ndate: 31-10-2025\naudio: 007-ep.mp3\nseason: zero\nbogus: 1\n---\n' \
    >episodes/007-ep.md
printf -- '---\nguid: 00000000-0000-4000-8000-000000000123\ndate: 2025-10-24T06:00:00+02:00\naudio: 123-ep.mp3\n---\n' \
    >episodes/123-ep.md
rm -f episodes/250-ep.md && mkdir episodes/250-ep.md
printf -- '---\ntitle: "Again"\nguid: 00000000-0000-4000-8000-000000000010\ndate: 2025-10-24T06:00:00+02:00\naudio: 333-ep.mp3\n---\n' \
    >episodes/333-ep.md
printf -- 'no front matter\n' >episodes/399-ep.md
rm -f episodes/150-ep.mp3 episodes/388-ep.mp3

cat >"$WORK/expected" <<'EOF'
episodes/007-ep.md:7:1: unknown field 'bogus'
episodes/007-ep.md:6:9: season: "zero" is not a whole number
episodes/007-ep.md:4:7: date: "31-10-2025" is not a date (want 2025-10-31 or 2025-10-31T06:00:00+01:00)
episodes/123-ep.md:2:1: title: missing (required)
episodes/250-ep.md: is a folder, not an episode file
episodes/399-ep.md:1:1: missing front matter: the file must start with a '---' line
episodes/333-ep.md:3:7: guid: "00000000-0000-4000-8000-000000000010" is already the guid of episodes/010-ep.md
episodes/150-ep.md:5:8: audio: cannot read 'episodes/150-ep.mp3': No such file or directory
episodes/388-ep.md:5:8: audio: cannot read 'episodes/388-ep.mp3': No such file or directory
podpub: 9 errors; no feed written
EOF

run=1
while [ $run -le 8 ]; do
    "$PODPUB" build >"$WORK/out" 2>"$WORK/err"
    rc=$?
    [ $rc -eq 1 ] || { cat "$WORK/err" >&2; fail "run $run: exit $rc, not 1"; }
    if ! diff -u "$WORK/expected" "$WORK/err" >&2; then
        fail "run $run: stderr differs from the expected (above)"
    fi
    [ ! -e public/feed.xml ] || fail "run $run: a feed was written"
    run=$((run + 1))
done

# Fixed: every episode, in file order (all on different days: the feed
# is newest first, so compare the set and the count).
for n in 7 123 150 333 388 399; do good $n; done
rmdir episodes/250-ep.md && good 250
"$PODPUB" build >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "the fixed show does not build"; }
cp public/feed.xml "$WORK/feed1.xml"
"$PODPUB" build --out "$WORK/again" >/dev/null 2>&1 ||
    fail "the second build failed"
cmp -s "$WORK/feed1.xml" "$WORK/again/feed.xml" ||
    fail "two builds of the same show differ"
items=$(grep -c '<item>' "$WORK/feed1.xml")
[ "$items" -eq 600 ] || fail "the feed has $items items, not 600"
guids=$(grep -o '8000-0000000[0-9]*</guid>' "$WORK/feed1.xml" | sort -u | wc -l)
[ "$guids" -eq 600 ] || fail "the feed has $guids distinct GUIDs, not 600"
echo "$me: ok (8 runs with identical error output; 600 episodes built twice identically)"
