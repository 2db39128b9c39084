#!/bin/sh
# test_valgrind.sh PODPUB SOURCE_DIR WORK_DIR
#
# Every unit test binary, and podpub itself on the example show, under
# valgrind's memcheck:
#   valgrind --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite
# Any memory error (invalid read or write, use of uninitialised values,
# bad free) or any definitely lost block fails the test; a summary lists
# each run with its status and valgrind's error count.
#   - the unit tests: $(dirname PODPUB)/tests/test_* (built next to
#     podpub), run with TEST_FIXTURES and TZ=UTC as ctest runs them
#   - podpub: build --no-cache, build (cached), check, list, probe, and
#     publish to a file:// folder on a copy of the example show; and the
#     error paths: a build of a broken episode (three errors in one file),
#     a feed/podcast.yaml with three wrong fields, one with a YAML syntax
#     error, and one with YAML nested too deep
# Not applicable to sanitizer builds (valgrind and ASan do not mix): when
# the binaries hold __asan_init (nm) or link libasan (ldd), the test says
# so and exits 0.
set -u

me=test_valgrind
. "$(dirname "$0")/lib/common.sh"
init "$@"

BUILD=$(dirname "$PODPUB")
UNIT=$BUILD/tests

# ---- a sanitizer build: not applicable
asan() {
    nm "$1" 2>/dev/null | grep -q '__asan_init' && return 0
    nm -D "$1" 2>/dev/null | grep -q '__asan_init' && return 0
    ldd "$1" 2>/dev/null | grep -q 'libasan' && return 0
    return 1
}
if asan "$PODPUB"; then
    echo "$me: not applicable: $PODPUB is an AddressSanitizer build (valgrind and ASan do not mix); skipped"
    exit 0
fi
command -v valgrind >/dev/null 2>&1 ||
    fail "valgrind is needed (apt-get install valgrind)"

VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --num-callers=30"
SUMMARY=$WORK/summary
: >"$SUMMARY"
bad=0

# vg NAME WANT DIR CMD...: CMD under valgrind in DIR; WANT is the exit
# status CMD must have without valgrind's 99. The log is $WORK/NAME.vg.
vg() {
    name=$1 want=$2 dir=$3
    shift 3
    t0=$(date +%s)
    (cd "$dir" && TEST_FIXTURES="$SRC/tests/fixtures" TZ=UTC LC_ALL=C.UTF-8 \
        $VG --log-file="$WORK/$name.vg" "$@" >"$WORK/$name.out" 2>&1)
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$WORK/$name.vg" | tail -n 1)
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$WORK/$name.vg" | tail -n 1)
    state=ok
    if [ $rc -eq 99 ] || [ "${errs:-0}" != 0 ]; then
        state=FAIL
    elif [ $rc -ne "$want" ]; then
        state="FAIL (exit $rc, want $want)"
    fi
    printf '  %-28s %-24s %3s errors, definitely lost %6s bytes, %3d s\n' \
        "$name" "$state" "${errs:-?}" "${lost:-0}" "$secs" >>"$SUMMARY"
    if [ "$state" != ok ]; then
        bad=$((bad + 1))
        echo "---- $name: valgrind log ($WORK/$name.vg):" >&2
        grep -v '^==[0-9]*== *$' "$WORK/$name.vg" | head -n 80 >&2
        echo "---- $name: output:" >&2
        tail -n 20 "$WORK/$name.out" >&2
    fi
}

echo "== unit tests"
n=0
for t in "$UNIT"/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    asan "$t" && {
        echo "$me: not applicable: $t is an AddressSanitizer build; skipped"
        exit 0
    }
    vg "$(basename "$t")" 0 "$UNIT" "$t"
    n=$((n + 1))
done
[ $n -gt 0 ] || fail "no unit test binaries in $UNIT (build the project first)"

echo "== podpub"
S=$WORK/show
make_show "$S"
rm -rf "$S/public" "$S/.podpub"
SITE=$WORK/site
mkdir -p "$SITE" || fail "cannot create $SITE"
vg podpub-build-no-cache 0 "$S" "$PODPUB" build --no-cache
vg podpub-build-cached 0 "$S" "$PODPUB" build
vg podpub-check 0 "$S" "$PODPUB" check
vg podpub-list 0 "$S" "$PODPUB" list
# shellcheck disable=SC2046 # the file names (no spaces) are meant to split
vg podpub-probe 0 "$S" "$PODPUB" probe --json $(cd "$S" && ls episodes/*.mp3 episodes/*.m4a feed/*.jpg 2>/dev/null)
vg podpub-publish-file 0 "$S" "$PODPUB" publish --target "file://$SITE/"

# The error paths: they free what they built half-way.
B=$WORK/broken
make_show "$B"
ep=$B/episodes/000-trailer.md
sed 's/^season: 1$/season: one/; s/^explicit: false$/explicit: yes/; s/^type: trailer$/typ: trailer/' \
    "$ep" >"$WORK/ep.md" && mv "$WORK/ep.md" "$ep" || fail "cannot break $ep"
grep -q '^typ: trailer' "$ep" || fail "could not break $ep (the example show changed?)"
vg podpub-build-broken-episode 1 "$B" "$PODPUB" build
cp "$B/feed/podcast.yaml" "$WORK/podcast.yaml" || fail "cannot keep podcast.yaml"
sed 's/^explicit: true$/explicit: [true]/; s/^locked: true$/locked: 1/; s/^type: serial$/type: weekly/' \
    "$WORK/podcast.yaml" >"$B/feed/podcast.yaml" || fail "cannot break podcast.yaml"
vg podpub-build-broken-show 1 "$B" "$PODPUB" build
{ cat "$WORK/podcast.yaml"; printf 'zz_unclosed: "x\n'; } >"$B/feed/podcast.yaml" ||
    fail "cannot break podcast.yaml"
vg podpub-build-yaml-syntax 1 "$B" "$PODPUB" build
{
    cat "$WORK/podcast.yaml"
    printf 'zz_deep: %s1%s\n' "$(printf '%040d' 0 | tr 0 '[')" \
        "$(printf '%040d' 0 | tr 0 ']')"
} >"$B/feed/podcast.yaml" || fail "cannot nest podcast.yaml"
vg podpub-build-deep-yaml 1 "$B" "$PODPUB" build

echo "== summary"
cat "$SUMMARY"
[ $bad -eq 0 ] || fail "$bad run(s) with memory errors or definite leaks (logs above)"
echo "$me: ok"
exit 0
