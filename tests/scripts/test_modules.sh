#!/bin/sh
# test_modules.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub's modules (podpub-av.so: FFmpeg; podpub-xml.so: libxml2;
# podpub-net.so: libcurl; podpub-serve.so: libmicrohttpd), which the
# program loads on first use:
#   - `podpub --version`, and `podpub list`, `build` and `check` on a show
#     whose probe cache is warm, map no module, nor libavformat,
#     libavcodec, libavutil, libxml2, libcurl or libmicrohttpd
#     (LD_DEBUG=files lists what the loader maps); `podpub check --feed FILE`
#     maps podpub-xml.so and libxml2, but not FFmpeg or libcurl;
#     `podpub probe` of an audio file maps podpub-av.so and libavformat,
#     but not libcurl; `podpub -v --version` loads both and names them
#   - a podpub with no module where it looks (its own folder, and
#     ../lib/<triplet>/podpub beside it): --version and a warm list still
#     work; probe exits 4 with one line naming podpub-av.so; a module in
#     the current folder or in LD_LIBRARY_PATH is not taken
#   - a module of another podpub version is refused in one line that
#     names both versions (exit 4)
#   - with no /proc (a tmpfs over it, in a mount namespace), the modules
#     are still found, by the path podpub was executed by
set -u

me=test_modules
. "$(dirname "$0")/lib/common.sh"
init "$@"
need cc

BIN=$(dirname "$PODPUB")
MP3=$SRC/tests/fixtures/audio/tone-cbr.mp3
S=$WORK/show
make_show "$S"
"$PODPUB" -C "$S" -q build >"$WORK/build.out" 2>&1 ||
    { dump "$WORK/build.out" build; fail "the example show does not build"; }

# maps LABEL ARGS...: runs podpub ARGS in the show with LD_DEBUG=files and
# prints the names of the shared objects the loader opened.
maps() {
    _label=$1
    shift
    (cd "$S" && LD_DEBUG=files LD_DEBUG_OUTPUT="$WORK/ld.$_label" \
        "$PODPUB" "$@" >"$WORK/$_label.out" 2>"$WORK/$_label.err") ||
        { dump "$WORK/$_label.err" "$_label"; fail "podpub $* failed"; }
    cat "$WORK/ld.$_label".* | sed -n 's/.*file=\([^ ]*\) *\[.*/\1/p' |
        sed 's,.*/,,' | sort -u >"$WORK/$_label.maps"
    rm -f "$WORK/ld.$_label".*
}
mapped() { grep -q "^$2" "$WORK/$1.maps"; }

for run in "version --version" "list list" "build build" "check check"; do
    label=${run%% *}
    # shellcheck disable=SC2086
    maps $run
    for lib in podpub- libavformat libavcodec libavutil libxml2 libcurl \
               libmicrohttpd; do
        if mapped "$label" "$lib"; then
            fail "podpub ${run#* } maps $lib: $(tr '\n' ' ' <"$WORK/$label.maps")"
        fi
    done
done
ok "--version, and list, build and check with a warm cache, map no module, FFmpeg, libxml2, libcurl or libmicrohttpd"

maps checkfeed check --feed public/feed.xml
mapped checkfeed podpub-xml.so && mapped checkfeed libxml2 ||
    fail "podpub check --feed public/feed.xml does not map podpub-xml.so and libxml2"
for lib in libavformat libcurl; do
    mapped checkfeed $lib && fail "podpub check --feed public/feed.xml maps $lib"
done
ok "check --feed FILE maps podpub-xml.so and libxml2, not FFmpeg or libcurl"

maps probe probe "$MP3"
mapped probe podpub-av.so && mapped probe libavformat ||
    fail "podpub probe does not map podpub-av.so and libavformat"
mapped probe libcurl && fail "podpub probe maps libcurl"
ok "probe maps podpub-av.so and libavformat, not libcurl"

"$PODPUB" -v --version >"$WORK/vv" 2>&1 || fail "podpub -v --version failed"
grep -q "^  libavformat .*FFmpeg.*podpub-av.so" "$WORK/vv" &&
    grep -q "^  libxml2 .*podpub-xml.so" "$WORK/vv" &&
    grep -q "^  libcurl .*podpub-net.so" "$WORK/vv" ||
    { dump "$WORK/vv" "-v --version"; fail "-v --version does not name the modules it loaded"; }
ok "-v --version loads the modules and names them"

# Without /proc (a chroot, as test_deb's): found by the exec path. Needs
# a mount namespace (root); said when there is none. Not in the Asan
# build: the sanitizers read their options and stop threads through
# /proc.
if ldd "$PODPUB" | grep -q libasan; then
    note "Asan build: the run without /proc is left to the normal build"
elif unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount -t tmpfs none /proc && "$1" probe "$2"' sh \
        "$PODPUB" "$MP3" >"$WORK/noproc.out" 2>"$WORK/noproc.err" ||
        { dump "$WORK/noproc.err" probe; fail "podpub probe without /proc failed"; }
    ok "without /proc, podpub-av.so is found by the exec path"
else
    note "no mount namespace here (not root?): the run without /proc is left to test_deb"
fi

# A podpub alone in a folder: no module where it looks.
A=$WORK/alone
mkdir -p "$A/bin" "$A/cwd" "$A/ldpath"
cp "$PODPUB" "$A/bin/podpub"
cp "$BIN/podpub-av.so" "$A/cwd/podpub-av.so"
cp "$BIN/podpub-av.so" "$A/ldpath/podpub-av.so"
"$A/bin/podpub" --version >"$WORK/alone.version" 2>&1 ||
    fail "--version fails without the modules"
(cd "$S" && "$A/bin/podpub" list >"$WORK/alone.list" 2>&1) ||
    { dump "$WORK/alone.list" list; fail "a warm list fails without the modules"; }
(cd "$A/cwd" && LD_LIBRARY_PATH=$A/ldpath "$A/bin/podpub" probe "$MP3" \
    >"$WORK/alone.out" 2>"$WORK/alone.err")
rc=$?
[ $rc = 4 ] || { dump "$WORK/alone.err" probe; fail "probe without the module: exit $rc, want 4"; }
[ "$(wc -l <"$WORK/alone.err")" = 1 ] && grep -q "cannot load podpub-av.so" "$WORK/alone.err" ||
    { dump "$WORK/alone.err" probe; fail "probe without the module: not one line naming podpub-av.so"; }
ok "no module: --version and a warm list work; probe exits 4: $(cat "$WORK/alone.err")"
ok "a podpub-av.so in the current folder or LD_LIBRARY_PATH is not loaded"

# A module of another version beside the program.
cat >"$WORK/fake.c" <<'CEOF'
struct head { const char *version; unsigned long size; void *a, *b; };
const struct head podpub_av_module = { "0.0.1", sizeof(struct head), 0, 0 };
CEOF
cc -shared -fPIC -o "$A/bin/podpub-av.so" "$WORK/fake.c" || fail "cc failed"
"$A/bin/podpub" probe "$MP3" >"$WORK/old.out" 2>"$WORK/old.err"
rc=$?
[ $rc = 4 ] && [ "$(wc -l <"$WORK/old.err")" = 1 ] &&
    grep -q "podpub 0.0.1's, this is podpub [0-9]" "$WORK/old.err" ||
    { dump "$WORK/old.err" probe; fail "a module of podpub 0.0.1: exit $rc, or not one line naming both versions"; }
ok "a module of another version is refused: $(cat "$WORK/old.err")"
