#!/bin/sh
# test_static.sh PODPUB SOURCE_DIR WORK_DIR
#
# Static analysis of src/ (every finding fails the test):
#   - cppcheck --enable=warning,performance,portability --error-exitcode=1
#     --inline-suppr -I include src, with the suppressions below (each with
#     its reason); findings in the code itself are suppressed there with
#     "// cppcheck-suppress <id>" and a reason, not here
#   - clang-tidy with the checks in SOURCE_DIR/.clang-tidy (bugprone-*,
#     clang-analyzer-core.* and unix.*, cert-err34-c; the file says which
#     are left out and why) over every src/*/*.c, using the build's
#     compile_commands.json (the build folder is PODPUB's folder;
#     CMAKE_EXPORT_COMPILE_COMMANDS is on), on all cores
# Each finding is listed as file:line: check: message; a summary counts
# them per check. A tool that is not installed fails the test (apt-get
# install cppcheck clang-tidy).
set -u

me=test_static
. "$(dirname "$0")/lib/common.sh"
init "$@"

BUILD=$(dirname "$PODPUB")
DB=$BUILD/compile_commands.json
for t in cppcheck clang-tidy; do
    command -v $t >/dev/null 2>&1 || fail "'$t' is needed (apt-get install cppcheck clang-tidy)"
done
[ -f "$DB" ] || fail "no $DB (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON)"
[ -f "$SRC/.clang-tidy" ] || fail "no $SRC/.clang-tidy"
failed=0

# ---- cppcheck
# Suppressions, one per line: "id[:file[:line]]  # reason".
#   missingIncludeSystem: cppcheck is not given the system include paths
#     (it would parse glibc's and libav's headers); it must not complain
#     that it did not.
#   unmatchedSuppression: an inline suppression that no longer matches is
#     not a finding in the code.
cat >"$WORK/cppcheck.supp" <<'EOF'
missingIncludeSystem
unmatchedSuppression
EOF
echo "== cppcheck $(cppcheck --version | sed 's/^Cppcheck //')"
t0=$(date +%s)
(cd "$SRC" && cppcheck --enable=warning,performance,portability \
    --error-exitcode=1 --inline-suppr --suppressions-list="$WORK/cppcheck.supp" \
    --std=c11 -q -I include \
    --template='{file}:{line}: cppcheck-{id}: {severity}: {message}' \
    src) >"$WORK/cppcheck.out" 2>&1
rc=$?
n=$(grep -c ': cppcheck-' "$WORK/cppcheck.out")
note "cppcheck: exit $rc, $n finding(s), $(( $(date +%s) - t0 )) s"
if [ $rc -ne 0 ] || [ "$n" -ne 0 ]; then
    sed 's/^/  /' "$WORK/cppcheck.out"
    failed=1
fi

# ---- clang-tidy
echo "== $(clang-tidy --version | sed -n 's/^.*LLVM version/clang-tidy (LLVM)/p' | head -n 1)"
t0=$(date +%s)
(cd "$SRC" && find src -name '*.c' | sort) >"$WORK/files"
jobs=$(nproc 2>/dev/null || echo 2)
(cd "$SRC" && xargs -P "$jobs" -n 1 clang-tidy -p "$BUILD" --quiet \
    <"$WORK/files") >"$WORK/tidy.raw" 2>"$WORK/tidy.err"
# "file:line:col: warning|error: message [check,...]" -> one line each,
# relative to the source folder, duplicates (a header seen from several
# files) once.
grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' "$WORK/tidy.raw" |
    sed -e "s|^$SRC/||" -e 's/,-warnings-as-errors\]$/]/' |
    sort -t: -k1,1 -k2,2n -u >"$WORK/tidy.out"
n=$(wc -l <"$WORK/tidy.out")
note "clang-tidy: $(wc -l <"$WORK/files") files, $n finding(s), $(( $(date +%s) - t0 )) s"
if [ "$n" -ne 0 ]; then
    sed -E 's/^([^:]+:[0-9]+):[0-9]+: (warning|error): (.*) \[([^]]+)\]$/  \1: \4: \3/' \
        "$WORK/tidy.out"
    echo "  per check:"
    sed -E 's/.*\[([^]]+)\]$/\1/' "$WORK/tidy.out" | tr ',' '\n' |
        sort | uniq -c | sort -rn | sed 's/^/  /'
    failed=1
fi
if grep -q 'error: ' "$WORK/tidy.err" && ! grep -q 'warnings* generated' "$WORK/tidy.err"; then
    sed 's/^/  clang-tidy: /' "$WORK/tidy.err" | head -n 20
    failed=1
fi

[ $failed -eq 0 ] || fail "static analysis findings (listed above): fix them, or suppress one deliberately with a reason (cppcheck-suppress / NOLINT(check))"
echo "$me: ok"
exit 0
