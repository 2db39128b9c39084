#!/bin/sh
# test_fuzz_targets.sh PODPUB SOURCE_DIR WORK_DIR
#
# The libFuzzer targets (tests/fuzz/) still build and still take their
# seeds. The main build (gcc) never compiles them, so a change to the
# library's API or model breaks them unseen until someone fuzzes (it
# happened twice). Here:
#   - tests/fuzz is configured and built with clang as scripts/fuzz does
#     (libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer) into
#     WORK_DIR/build-fuzz, with -Wall -Wextra and no warning allowed;
#   - every target runs each file of its committed seed corpus once
#     (-runs=0: the seeds are executed, nothing is searched), which must
#     end without a crash, a leak or a sanitizer report.
# Label static: one run is enough, in the normal build (scripts/test
# leaves it out of the sanitizer build, whose compiler is not clang).
set -u

me=test_fuzz_targets
. "$(dirname "$0")/lib/common.sh"
init "$@"

command -v clang >/dev/null 2>&1 ||
    fail "clang is needed (apt-get install clang libclang-rt-14-dev)"

OUT=$WORK/build-fuzz
t0=$(date +%s)
cmake -S "$SRC/tests/fuzz" -B "$OUT" -DCMAKE_C_COMPILER=clang \
    >"$WORK/configure.log" 2>&1 || {
    dump "$WORK/configure.log" cmake
    fail "tests/fuzz does not configure with clang"
}
cmake --build "$OUT" -j"$(nproc)" >"$WORK/build.log" 2>&1 || {
    grep -E 'error|warning' "$WORK/build.log" | head -20 >&2
    fail "the fuzz targets do not build"
}
if grep -q 'warning:' "$WORK/build.log"; then
    grep 'warning:' "$WORK/build.log" | head -20 >&2
    fail "the fuzz targets build with warnings"
fi
note "built in $(( $(date +%s) - t0 )) s"

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
n=0
for src in "$SRC"/tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    t=${t#fuzz_}
    seeds=$SRC/tests/fuzz/corpus/$t
    [ -x "$OUT/fuzz_$t" ] || fail "fuzz_$t was not built"
    [ -d "$seeds" ] || fail "fuzz_$t has no seed corpus ($seeds)"
    # A copy: libFuzzer may write to the first corpus folder.
    rm -rf "$WORK/corpus-$t"
    cp -R "$seeds" "$WORK/corpus-$t"
    k=$(find "$WORK/corpus-$t" -type f | wc -l)
    [ "$k" -gt 0 ] || fail "fuzz_$t: the seed corpus is empty"
    "$OUT/fuzz_$t" -runs=0 -rss_limit_mb=2048 -timeout=30 \
        -artifact_prefix="$WORK/$t-" "$WORK/corpus-$t" \
        >"$WORK/$t.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        grep -aE '==[0-9]+==ERROR|SUMMARY|runtime error|podpub fuzz:' \
            "$WORK/$t.log" | head -5 >&2
        fail "fuzz_$t failed on its seeds (exit $rc): see $WORK/$t.log"
    fi
    grep -aqE 'INITED|Done [0-9]+ runs' "$WORK/$t.log" ||
        fail "fuzz_$t did not run its seeds: see $WORK/$t.log"
    ok "fuzz_$t: $k seeds run, no crash"
    n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n fuzz targets found"
ok "$n fuzz targets build with clang and take their seeds"
