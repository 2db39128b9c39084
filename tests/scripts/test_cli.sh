#!/bin/sh
# test_cli.sh PODPUB SOURCE_DIR WORK_DIR
#
# Exit statuses and messages of the command line (0 ok, 1 bad input,
# 2 usage, 4 I/O):
#   podpub --version                 0, "podpub X.Y.Z" on stdout, then
#                                    one line each for libavformat,
#                                    libxml2, libcurl, libyaml and cmark
#                                    with a version number
#   podpub -h / --help / help        0, main help on stdout (and
#                                    podpub help --help)
#   podpub (no arguments)            2, usage on stderr, nothing on stdout
#   podpub frobnicate                2, one line naming it, then the usage
#   podpub --bogus                   2, usage on stderr
#   podpub build --bogus             2, build usage on stderr
#   podpub build extra               2
#   podpub build --at nonsense       2
#   podpub help build                0, same output as podpub build --help
#   podpub help probe                0, same output as podpub probe --help
#   podpub help frobnicate           2
#   podpub probe                     2, probe usage on stderr
#   podpub probe --bogus             2
#   podpub probe MISSING             1, names the file
#   podpub -C /nonexistent build     2, names the folder
#   podpub build in an empty folder  1, mentions feed/podcast.yaml, writes
#                                    no public/
set -u

me=test_cli
. "$(dirname "$0")/lib/common.sh"
init "$@"

OUT=$WORK/stdout
ERR=$WORK/stderr

show() {
    sed 's/^/  stdout: /' "$OUT" >&2
    sed 's/^/  stderr: /' "$ERR" >&2
}

# expect STATUS [podpub args...]: runs podpub (in WORK) and checks the
# exit status; stdout and stderr are kept in $OUT and $ERR.
expect() {
    want=$1
    shift
    (cd "$WORK" && "$PODPUB" "$@") >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -ne "$want" ]; then
        show
        fail "podpub $*: exit $rc, expected $want"
    fi
    echo "  ok: podpub ${*:-(no arguments)} -> $rc"
}

# check CONDITION-DESCRIPTION COMMAND...: COMMAND must succeed.
check() {
    what=$1
    shift
    "$@" || { show; fail "$what"; }
}

empty() { [ ! -s "$1" ]; }
has() { grep -qF -- "$2" "$1"; }
lines() { wc -l <"$1" | tr -d ' '; }

# --version
expect 0 --version
check "--version: stdout is not 'podpub <version>'" \
    grep -qE '^podpub [0-9]+\.[0-9]+\.[0-9]+' "$OUT"
check "--version: output on stderr" empty "$ERR"
for lib in libavformat libxml2 libcurl libyaml cmark; do
    check "--version: no '$lib X.Y.Z' line" \
        grep -qE "^  $lib +[0-9]+\.[0-9]+(\.[0-9]+)?" "$OUT"
done

# main help, three ways, all the same
expect 0 --help
check "--help: no usage on stdout" has "$OUT" "usage: podpub"
cp "$OUT" "$WORK/help.main"
expect 0 -h
check "-h differs from --help" cmp -s "$OUT" "$WORK/help.main"
expect 0 help
check "'podpub help' differs from --help" cmp -s "$OUT" "$WORK/help.main"
expect 0 help --help
check "'podpub help --help' differs from --help" cmp -s "$OUT" "$WORK/help.main"

# no arguments
expect 2
check "no arguments: something on stdout" empty "$OUT"
check "no arguments: no usage on stderr" has "$ERR" "usage: podpub"
# The usage block: stderr after the one-line message.
tail -n +2 "$ERR" >"$WORK/usage.main"
check "no arguments: no usage after the message" has "$WORK/usage.main" "usage: podpub"

# unknown command: exactly one message line, then the usage
expect 2 frobnicate
check "unknown command: something on stdout" empty "$OUT"
head -n 1 "$ERR" >"$WORK/first"
check "unknown command: first line does not name 'frobnicate'" \
    has "$WORK/first" frobnicate
tail -n +2 "$ERR" >"$WORK/rest"
check "unknown command: not one line followed by the usage (got $(lines "$ERR") lines)" \
    cmp -s "$WORK/rest" "$WORK/usage.main"

# unknown global option
expect 2 --bogus
check "--bogus: no usage on stderr" has "$ERR" "usage: podpub"
check "--bogus: something on stdout" empty "$OUT"

# build usage errors
expect 2 build --bogus
check "build --bogus: no build usage on stderr" has "$ERR" "usage: podpub build"
check "build --bogus: the message does not name --bogus" has "$ERR" "--bogus"
check "build --bogus: something on stdout" empty "$OUT"
expect 2 build extra
check "build extra: no build usage on stderr" has "$ERR" "usage: podpub build"
expect 2 build --at nonsense
check "build --at nonsense: no build usage on stderr" has "$ERR" "usage: podpub build"

# help COMMAND == COMMAND --help
for cmd in build probe; do
    expect 0 "$cmd" --help
    check "$cmd --help: output on stderr" empty "$ERR"
    check "$cmd --help: no usage on stdout" has "$OUT" "usage: podpub $cmd"
    cp "$OUT" "$WORK/help.$cmd"
    expect 0 help "$cmd"
    check "help $cmd: output on stderr" empty "$ERR"
    if ! cmp -s "$OUT" "$WORK/help.$cmd"; then
        diff "$WORK/help.$cmd" "$OUT" >&2
        fail "'podpub help $cmd' differs from 'podpub $cmd --help'"
    fi
done
expect 2 help frobnicate
check "help frobnicate: does not name it" has "$ERR" frobnicate

# probe
expect 2 probe
check "probe: no probe usage on stderr" has "$ERR" "usage: podpub probe"
check "probe: something on stdout" empty "$OUT"
expect 2 probe --bogus
check "probe --bogus: no probe usage on stderr" has "$ERR" "usage: podpub probe"
expect 1 probe "$WORK/missing.mp3"
check "probe of a missing file: message does not name it" has "$ERR" "missing.mp3"

# -C
expect 2 -C /nonexistent build
check "-C /nonexistent: message does not name the folder" has "$ERR" "/nonexistent"

# a folder without a show
mkdir -p "$WORK/empty" || fail "mkdir $WORK/empty"
expect 1 -C "$WORK/empty" build
check "empty folder: the message does not mention feed/podcast.yaml" \
    has "$ERR" "feed/podcast.yaml"
[ ! -e "$WORK/empty/public" ] || fail "empty folder: a failed build created public/"

echo "$me: ok"
exit 0
