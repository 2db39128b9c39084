#!/bin/sh
# test_diskfull.sh PODPUB SOURCE_DIR WORK_DIR
#
# Writing the output fails (file size limit, full disk): podpub exits 4
# (local I/O failure) with a message that names the file, removes its
# temporary file, and leaves the previous public/feed.xml byte-identical.
#   - a show of 10 episodes with 2.5 kB of notes each: feed.xml is about
#     87 kB, index.html about 34 kB (the feed holds the notes 3 times);
#     a good build, kept; then one title changes, so that a new build
#     would write a different feed
#   - "ulimit -f" (in a subshell) between the page's size and the feed's:
#     index.html is written, feed.xml cannot be -> exit 4, the message
#     names public/feed.xml, the feed is the old one, no *.tmp left
#   - "ulimit -f 1" (512 bytes), index.html removed (else, unchanged, it
#     is not written again): index.html already cannot be written ->
#     exit 4, the message names public/index.html, the feed is the old one
#   - without the limit the build succeeds and writes the new feed
#   - when mount is permitted (root, no sandbox veto): a 64 kB tmpfs for
#     --out of a one-episode show, filled up with a filler file after a
#     good build -> exit 4
#     naming the file, "No space left on device", the old feed unchanged,
#     no *.tmp left; and a 256 kB tmpfs with room for the new page but
#     not the new feed -> exit 4 naming feed.xml. When mount is refused,
#     this part is skipped with a note (the ulimit part still runs).
#
# A process killed by SIGXFSZ (exit 153) fails the test: podpub must ignore
# SIGXFSZ so that write() returns EFBIG and the error path runs. Every
# scenario runs even when an earlier one failed; the problems are listed
# and the test fails at the end.
set -u

me=test_diskfull
. "$(dirname "$0")/lib/common.sh"
init "$@"

S=$WORK/show
FEED=$S/public/feed.xml
PAGE=$S/public/index.html
MP3=$SRC/tests/fixtures/audio/tone-cbr.mp3
MNT=$WORK/mnt
mounted=no
cleanup() {
    [ $mounted = yes ] && umount "$MNT" 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the show
mkdir -p "$S/feed" "$S/episodes" || fail "cannot create $S"
cp "$SRC/tests/fixtures/image/cover.jpg" "$S/feed/cover.jpg" ||
    fail "cannot copy the cover"
cat >"$S/feed/podcast.yaml" <<'EOF'
title: Disk full
description: A show whose feed does not fit.
language: en
author: Tester
owner: {name: Tester, email: test@example.org}
categories: [Technology]
base_url: https://example.org/full/
image: cover.jpg
EOF
i=1
while [ $i -le 10 ]; do
    n=$(printf '%03d' $i)
    cp "$MP3" "$S/episodes/$n.mp3" || fail "cannot copy the audio"
    {
        printf -- '---\ntitle: Episode %s\nguid: urn:test:full:%s\ndate: 2025-01-%02d\naudio: %s.mp3\n---\n' \
            "$n" "$n" $i "$n"
        j=0
        while [ $j -lt 45 ]; do
            printf 'Line %d of the notes, long enough to weigh something.\n\n' $j
            j=$((j + 1))
        done
    } >"$S/episodes/$n.md" || fail "cannot write episode $n"
    i=$((i + 1))
done

# Problems in one scenario are collected, and the next scenario still
# runs; the test fails at the end if there were any.
problems=0
problem() {
    echo "$me: PROBLEM: $*" >&2
    problems=$((problems + 1))
}

# run WANT WHAT CMD...: runs CMD (output in $WORK/out, $WORK/err); false
# (with the problem recorded) unless it exits WANT
run() {
    want=$1 what=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    [ $rc -eq "$want" ] && return 0
    dump "$WORK/err" stderr
    if [ $rc -eq 153 ]; then
        problem "$what: podpub was killed by SIGXFSZ (exit 153), want exit $want: it must ignore SIGXFSZ (signal(SIGXFSZ, SIG_IGN)) so that write() fails with EFBIG and it can report the file and clean up"
    else
        problem "$what: exit $rc, want $want"
    fi
    return 1
}

# io_failed WHAT DIR NAME ERRNO_TEXT OLD: after an exit 4: the message
# names NAME and says ERRNO_TEXT; DIR/feed.xml is byte-identical to OLD;
# no *.tmp left in DIR. The feed checks run whatever the exit status was.
io_failed() {
    ok=yes
    if [ "$rc" -eq 4 ]; then
        grep -qF "$3" "$WORK/err" ||
            { ok=no; dump "$WORK/err" stderr; problem "$1: the message does not name $3"; }
        grep -qF "$4" "$WORK/err" ||
            { ok=no; dump "$WORK/err" stderr; problem "$1: the message does not say '$4'"; }
    else
        ok=no
    fi
    if [ ! -f "$2/feed.xml" ]; then
        ok=no; problem "$1: $2/feed.xml is gone"
    elif ! cmp -s "$5" "$2/feed.xml"; then
        ok=no; problem "$1: $2/feed.xml was changed"
    fi
    left=$(find "$2" -name '*.tmp')
    if [ -n "$left" ]; then
        ok=no; problem "$1: temporary files left behind:" $left
        rm -f $left
    fi
    if [ $ok = yes ]; then
        note "ok: $1 -> exit 4, feed unchanged: $(head -n 1 "$WORK/err")"
    else
        note "(feed.xml unchanged: $(cmp -s "$5" "$2/feed.xml" && echo yes || echo NO))"
    fi
}

echo "== a good build"
run 0 "first build" "$PODPUB" -C "$S" build ||
    fail "cannot go on"
cp "$FEED" "$WORK/feed.old" || fail "cannot keep the feed"
feed_size=$(wc -c <"$FEED")
page_size=$(wc -c <"$PAGE")
note "feed.xml $feed_size bytes, index.html $page_size bytes"
[ "$feed_size" -gt $((page_size + 8192)) ] ||
    fail "the feed ($feed_size) is not enough bigger than the page ($page_size) for this test"
sed 's/^title: Episode 001$/title: Episode 001, renamed/' "$S/episodes/001.md" \
    >"$WORK/001.md" && mv "$WORK/001.md" "$S/episodes/001.md" ||
    fail "cannot change episode 001"

echo "== ulimit -f: the feed does not fit"
# POSIX counts ulimit -f in 512-byte blocks (dash does; bash not in its
# own mode: this file runs with sh).
blocks=$(( (page_size + feed_size) / 2 / 512 ))
run 4 "ulimit -f $blocks" sh -c 'ulimit -f "$1" && exec "$2" -C "$3" build' \
    sh "$blocks" "$PODPUB" "$S"
io_failed "ulimit -f $blocks ($((blocks * 512)) bytes)" "$S/public" \
    "public/feed.xml" "File too large" "$WORK/feed.old"

echo "== ulimit -f 1: not even the page fits"
# The scenario before wrote the new index.html, and a page that holds the
# same bytes is not written again: without it, the page must be written.
rm -f "$PAGE"
run 4 "ulimit -f 1" sh -c 'ulimit -f 1 && exec "$1" -C "$2" build' \
    sh "$PODPUB" "$S"
io_failed "ulimit -f 1 (512 bytes)" "$S/public" "public/index.html" \
    "File too large" "$WORK/feed.old"

echo "== without a limit"
run 0 "build without a limit" "$PODPUB" -C "$S" build ||
    fail "cannot go on"
cmp -s "$WORK/feed.old" "$FEED" && fail "the new feed was not written"
grep -q 'Episode 001, renamed' "$FEED" || fail "the new feed lacks the new title"
cp "$FEED" "$WORK/feed.new" || fail "cannot keep the new feed"
note "ok: the new feed is written"

echo "== a full tmpfs"
mkdir -p "$MNT" || fail "cannot create $MNT"
if ! mount -t tmpfs -o size=64k podpub-test "$MNT" 2>"$WORK/mount.err"; then
    note "SKIPPED: mount -t tmpfs is not permitted here ($(head -n 1 "$WORK/mount.err")); only ulimit -f was tested"
    [ $problems -eq 0 ] || fail "$problems problem(s), listed above"
    echo "$me: ok"
    exit 0
fi
mounted=yes
# A small show of its own: one episode, short notes (feed and page fit).
S2=$WORK/small
mkdir -p "$S2/feed" "$S2/episodes" &&
    cp "$S/feed/podcast.yaml" "$S/feed/cover.jpg" "$S2/feed/" &&
    cp "$MP3" "$S2/episodes/001.mp3" &&
    printf -- '---\ntitle: Episode 001\nguid: urn:test:small:001\ndate: 2025-01-01\naudio: 001.mp3\n---\nShort notes.\n' \
        >"$S2/episodes/001.md" || fail "cannot make the small show"
OUT=$MNT/public
run 0 "build into the tmpfs" "$PODPUB" -C "$S2" build --out "$OUT" ||
    fail "cannot go on"
cp "$OUT/feed.xml" "$WORK/tmpfs.old" || fail "cannot keep the tmpfs feed"
# Fill it up: the filler is written until the device is full.
head -c 1000000 /dev/zero >"$MNT/filler" 2>/dev/null
note "tmpfs: $(df -k "$MNT" | awk 'NR == 2 { print $4 }') kB free after the filler"
sed 's/^title: Episode 001$/title: Episode 001, renamed/' "$S2/episodes/001.md" \
    >"$WORK/001.md" && mv "$WORK/001.md" "$S2/episodes/001.md" ||
    fail "cannot change episode 001"
run 4 "full tmpfs" "$PODPUB" -C "$S2" build --out "$OUT"
io_failed "full 64 kB tmpfs" "$OUT" "$OUT/index.html" \
    "No space left on device" "$WORK/tmpfs.old"
umount "$MNT" || fail "cannot unmount $MNT"
mounted=no

echo "== a tmpfs with room for the page, not for the feed"
mount -t tmpfs -o size=256k podpub-test "$MNT" || fail "cannot mount again"
mounted=yes
sed 's/^title: Episode 001, renamed$/title: Episode 001/' "$S/episodes/001.md" \
    >"$WORK/001.md" && mv "$WORK/001.md" "$S/episodes/001.md" ||
    fail "cannot restore episode 001"
run 0 "build into the 256 kB tmpfs" "$PODPUB" -C "$S" build --out "$OUT" ||
    fail "cannot go on"
cp "$OUT/feed.xml" "$WORK/tmpfs.old" || fail "cannot keep the tmpfs feed"
avail=$(df -B1 "$MNT" | awk 'NR == 2 { print $4 }')
# Leave room for the new page and 8 kB more, less than the new feed.
keep=$((page_size + 8192))
head -c $((avail - keep)) /dev/zero >"$MNT/filler" ||
    fail "cannot write the filler"
note "tmpfs: $(df -B1 "$MNT" | awk 'NR == 2 { print $4 }') bytes free (page $page_size, feed $feed_size)"
sed 's/^title: Episode 001$/title: Episode 001, renamed/' "$S/episodes/001.md" \
    >"$WORK/001.md" && mv "$WORK/001.md" "$S/episodes/001.md" ||
    fail "cannot change episode 001"
run 4 "tmpfs without room for the feed" "$PODPUB" -C "$S" build --out "$OUT"
io_failed "256 kB tmpfs, room for the page only" "$OUT" "$OUT/feed.xml" \
    "No space left on device" "$WORK/tmpfs.old"
rm -f "$MNT/filler"
run 0 "build after the filler is gone" "$PODPUB" -C "$S" build --out "$OUT" ||
    fail "cannot go on"
cmp -s "$OUT/feed.xml" "$WORK/feed.new" ||
    fail "after the disk has room again, the feed is not the expected one"
note "ok: with room again the build succeeds"

[ $problems -eq 0 ] || fail "$problems problem(s), listed above"
echo "$me: ok"
exit 0
