#!/bin/sh
# test_kill.sh PODPUB SOURCE_DIR WORK_DIR
#
# A build killed with SIGKILL at any moment leaves nothing half-written
# that could be taken for the real thing.
#   - a show of 300 episodes (copies of one fixture MP3), so that a build
#     takes a moment, in two versions A and B that differ in one title;
#     a complete build of each gives the reference feed.xml and index.html
#   - 30 rounds: switch to the other version, start "podpub build"
#     (--no-cache and cached in turn; every 3rd round without public/,
#     every 5th without .podpub/), kill -9 it after a random delay of
#     0-300 ms (narrowed to 0 to the measured build time when a build is
#     faster than that, so that most kills land inside a build), then:
#       public/feed.xml is absent, or well-formed (xmllint) and
#         byte-identical to the A or the B reference;
#       public/index.html is absent, or ends with </html> and is the A or
#         B reference;
#       a following build (cached) exits 0 and writes exactly the
#         reference of the version now in place: a probe cache cut off by
#         the kill is either ignored or valid, never trusted wrongly
#   - *.tmp files may be left behind (a killed process cannot clean up),
#     but they must never be taken for the real files: the follow-up
#     builds prove that for the cache, and a publish --dry-run must not
#     plan to upload any of them
set -u

me=test_kill
. "$(dirname "$0")/lib/common.sh"
init "$@"
need xmllint

ROUNDS=${KILL_ROUNDS:-30}
EPISODES=${KILL_EPISODES:-300}
S=$WORK/show
FEED=$S/public/feed.xml
PAGE=$S/public/index.html
MP3=$SRC/tests/fixtures/audio/tone-cbr.mp3
[ -f "$MP3" ] || fail "fixture $MP3 not found"

# ---- the show
mkdir -p "$S/feed" "$S/episodes" || fail "cannot create $S"
cp "$SRC/tests/fixtures/image/cover.jpg" "$S/feed/cover.jpg" ||
    fail "cannot copy the cover"
cat >"$S/feed/podcast.yaml" <<'EOF'
title: Kill test
description: A show with many episodes, for killed builds.
language: en
author: Tester
owner: {name: Tester, email: test@example.org}
categories: [Technology]
base_url: https://example.org/kill/
image: cover.jpg
EOF
i=1
while [ $i -le "$EPISODES" ]; do
    n=$(printf '%03d' $i)
    day=$(( (i - 1) % 28 + 1 ))
    month=$(( (i - 1) / 28 % 12 + 1 ))
    year=$(( 2000 + (i - 1) / 336 ))
    cp "$MP3" "$S/episodes/$n-ep.mp3" || fail "cannot copy the audio"
    printf -- '---\ntitle: Episode %s\nguid: urn:test:kill:%s\ndate: %04d-%02d-%02d\naudio: %s-ep.mp3\nseason: 1\nepisode: %d\n---\nNotes for *episode %s*, with [a link](https://example.org/%s) and\nsome text so that the feed and the page are not tiny.\n' \
        "$n" "$n" $year $month $day "$n" $i "$n" "$n" \
        >"$S/episodes/$n-ep.md" || fail "cannot write episode $n"
    i=$((i + 1))
done
E1=$S/episodes/001-ep.md
sed 's/^title: .*/title: Episode 001, version A/' "$E1" >"$WORK/001-A.md" &&
    sed 's/^title: .*/title: Episode 001, version B/' "$E1" >"$WORK/001-B.md" ||
    fail "cannot make the two versions"

build() {   # build [ARGS...]: a complete build, output in $WORK/out, err
    "$PODPUB" -C "$S" build "$@" >"$WORK/out" 2>"$WORK/err"
}

# ---- the references
BUILD_MS=0
for v in A B; do
    cp "$WORK/001-$v.md" "$E1" || fail "cannot switch to version $v"
    t0=$(date +%s%N)
    build --no-cache || { dump "$WORK/err" stderr; fail "reference build $v failed"; }
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    [ $ms -gt $BUILD_MS ] && BUILD_MS=$ms
    xmllint --noout "$FEED" || fail "reference feed $v is not well-formed"
    cp "$FEED" "$WORK/feed.$v" && cp "$PAGE" "$WORK/page.$v" ||
        fail "cannot keep reference $v"
    note "reference $v: --no-cache build of $EPISODES episodes in $ms ms: $(wc -c <"$FEED") bytes of feed, $(wc -c <"$PAGE") of page"
done
t0=$(date +%s%N)
build || fail "cached build failed"
t1=$(date +%s%N)
note "cached build: $(( (t1 - t0) / 1000000 )) ms"
cmp -s "$FEED" "$WORK/feed.B" || fail "a cached build gives another feed than --no-cache"

# is_ref FILE KIND: FILE equals $WORK/KIND.A or $WORK/KIND.B (prints which)
is_ref() {
    if cmp -s "$1" "$WORK/$2.A"; then echo A
    elif cmp -s "$1" "$WORK/$2.B"; then echo B
    else return 1; fi
}

# The delay window: 0-300 ms, or 0 to the slower reference build time when
# that is shorter (a 300-episode build takes about 100 ms here).
WINDOW=$BUILD_MS
[ $WINDOW -gt 300 ] && WINDOW=300
[ $WINDOW -lt 20 ] && WINDOW=20
note "kill delays: 0-$WINDOW ms"

rand_ms() {   # 0..WINDOW
    n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $(( n % (WINDOW + 1) ))
}

# ---- the rounds
v=B
absent=0 killed_done=0 old=0 new=0
r=1
while [ $r -le "$ROUNDS" ]; do
    if [ $v = A ]; then v=B; else v=A; fi
    cp "$WORK/001-$v.md" "$E1" || fail "round $r: cannot switch to $v"
    [ $((r % 3)) -eq 0 ] && rm -rf "$S/public"
    [ $((r % 5)) -eq 0 ] && rm -rf "$S/.podpub"
    if [ $((r % 2)) -eq 1 ]; then mode=--no-cache; else mode=cached; fi
    ms=$(rand_ms)
    if [ $mode = cached ]; then
        "$PODPUB" -C "$S" build >/dev/null 2>&1 &
    else
        "$PODPUB" -C "$S" build --no-cache >/dev/null 2>&1 &
    fi
    pid=$!
    sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    [ $rc -eq 137 ] || killed_done=$((killed_done + 1))

    what="round $r ($mode, killed after $ms ms, exit $rc)"
    fstate=absent
    if [ -e "$FEED" ]; then
        xmllint --noout "$FEED" 2>"$WORK/xmllint.err" || {
            dump "$WORK/xmllint.err" xmllint
            fail "$what: public/feed.xml is not well-formed (a partial write under the real name)"
        }
        fstate=$(is_ref "$FEED" feed) ||
            fail "$what: public/feed.xml is well-formed but neither build's feed"
    fi
    pstate=absent
    if [ -e "$PAGE" ]; then
        tail -c 8 "$PAGE" | grep -q '</html>' ||
            fail "$what: public/index.html does not end with </html> (cut off)"
        pstate=$(is_ref "$PAGE" page) ||
            fail "$what: public/index.html is complete but neither build's page"
    fi
    # The probe cache under its real name is whole: a header, and an
    # "end" line counting the entries (it is written to a temporary file
    # and renamed, like the feed).
    C=$S/.podpub/probe-cache
    if [ -e "$C" ]; then
        entries=$(grep -c '^F	' "$C")
        head -n 1 "$C" | grep -q '^podpub-probe-cache ' &&
            [ "$(tail -n 1 "$C")" = "end	$entries" ] ||
            fail "$what: .podpub/probe-cache is cut off (no header or no 'end $entries' line)"
    fi
    case $fstate in
        absent) absent=$((absent + 1)) ;;
        "$v") new=$((new + 1)) ;;
        *) old=$((old + 1)) ;;
    esac
    tmps=$(find "$S" -name '*.tmp' | wc -l)
    note "$what: feed $fstate, page $pstate, $tmps *.tmp left"

    # The follow-up build: the cache the kill left is valid or ignored.
    build || {
        dump "$WORK/err" stderr
        fail "$what: the following build failed (a corrupt cache or leftover trusted?)"
    }
    cmp -s "$FEED" "$WORK/feed.$v" ||
        fail "$what: the following build wrote another feed than the reference $v (a bad cache entry trusted?)"
    cmp -s "$PAGE" "$WORK/page.$v" ||
        fail "$what: the following build wrote another page than the reference $v"
    r=$((r + 1))
done
note "$ROUNDS rounds: feed absent $absent, old version $old, new version $new; $killed_done builds ended before the kill"

# ---- leftovers are never taken for real files
left=$(find "$S" -name '*.tmp')
mkdir -p "$WORK/site" || fail "cannot create $WORK/site"
"$PODPUB" -C "$S" publish --dry-run --target "file://$WORK/site/" \
    >"$WORK/plan" 2>&1 || { dump "$WORK/plan" publish; fail "publish --dry-run failed"; }
if grep -q '\.tmp' "$WORK/plan"; then
    dump "$WORK/plan" plan
    fail "publish --dry-run plans to upload a temporary file"
fi
note "publish --dry-run plans no *.tmp ($(echo "$left" | grep -c . ) left in the show)"

echo "$me: ok"
exit 0
