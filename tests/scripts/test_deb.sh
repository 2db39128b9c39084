#!/bin/sh
# test_deb.sh PODPUB SOURCE_DIR WORK_DIR   (ctest label: deb; needs root)
#
# The Debian package, as a new user meets it:
#   - a build of SOURCE_DIR configured for /usr, then `cpack -G DEB`:
#     podpub_<version>_amd64.deb, whose Depends (from dpkg-shlibdeps)
#     name the Debian packages of libavformat, libxml2, libcurl, libyaml,
#     cmark and libmicrohttpd; it holds the modules podpub-av.so,
#     podpub-xml.so, podpub-net.so and podpub-serve.so; `lintian` reports
#     no error
#   - a fresh Debian 12 root made by debootstrap (minbase with only gcc,
#     cmake and git added, from this machine's Debian mirror), in which
#     `apt-get install /tmp/podpub_*.deb` installs podpub and what it
#     needs; there `podpub --version` runs (with -v, loading podpub's
#     modules from /usr/lib/<triplet>/podpub/), the man pages and completions
#     are where man and the shells look, and `podpub build` on the example
#     show writes a feed byte-identical to this machine's build of it
# Every step's output is printed, so the log shows what a new user sees.
#
# debootstrap takes minutes; its finished root is kept as a tarball in
# PODPUB_TEST_CACHE (default ~/.cache/podpub-tests) and unpacked anew for
# each run, so a run after the first starts from a root that has never
# seen podpub in seconds. Nothing is mounted in the root.
set -u

me=test_deb
. "$(dirname "$0")/lib/common.sh"
init "$@"
need cmake cpack lintian debootstrap dpkg-deb dpkg-shlibdeps
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap and chroot)"

now() { date +%s; }
T0=$(now)
step() { echo "== $* ($(( $(now) - T0 )) s)"; }
# show_run LABEL CMD...: runs CMD, prints its output indented; its status.
show_run() {
    _label=$1
    shift
    "$@" >"$WORK/run.out" 2>&1
    _rc=$?
    sed "s/^/  $_label| /" "$WORK/run.out"
    return $_rc
}

# ---------------------------------------------------------------------
step "cpack -G DEB from a build configured for /usr"
B=$WORK/build
show_run cmake cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF ||
    fail "cmake configure failed"
cmake --build "$B" -j"$(nproc)" >"$WORK/make.log" 2>&1 ||
    { dump "$WORK/make.log" make; fail "the build failed"; }
(cd "$B" && show_run cpack cpack -G DEB) || fail "cpack -G DEB failed"
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$B/CMakeCache.txt")
DEB=$B/podpub_${VERSION}_amd64.deb
[ -f "$DEB" ] || fail "no $DEB (cpack wrote: $(ls "$B"/*.deb 2>/dev/null))"
ok "$(basename "$DEB"): $(wc -c <"$DEB" | tr -d ' ') bytes"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
echo "  Depends: $DEPENDS"
for lib in libavformat libswresample libebur128 libxml2 libcurl libyaml libcmark \
           libmicrohttpd; do
    printf '%s\n' "$DEPENDS" | grep -q "$lib" ||
        fail "Depends does not name $lib (dpkg-shlibdeps): $DEPENDS"
done
ok "Depends (dpkg-shlibdeps) names the eight libraries' packages"
# podpub's modules, which dpkg-shlibdeps read for the Depends above.
dpkg-deb -c "$DEB" >"$WORK/contents" || fail "dpkg-deb -c failed"
for m in podpub-av.so podpub-xml.so podpub-net.so podpub-serve.so; do
    grep -q "\./usr/lib/[a-z0-9_-]*/podpub/$m\$" "$WORK/contents" ||
        fail "the package has no /usr/lib/<triplet>/podpub/$m"
done
ok "the package holds the modules in /usr/lib/<triplet>/podpub/"
lintian --fail-on error --tag-display-limit 0 "$DEB" >"$WORK/lintian" 2>&1
rc=$?
grep -v 'running with root privileges' "$WORK/lintian" | sed 's/^/  lintian| /'
[ $rc = 0 ] && ! grep -q '^E: ' "$WORK/lintian" || fail "lintian reports errors (exit $rc)"
ok "lintian: no errors"

# ---------------------------------------------------------------------
# A fresh Debian 12 root: debootstrap's output, kept as a tarball.
MIRROR=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$MIRROR" ] || MIRROR=$(sed -n 's/^deb \(http[^ ]*\) bookworm main.*/\1/p' \
    /etc/apt/sources.list 2>/dev/null | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${PODPUB_TEST_CACHE:-${HOME:-/root}/.cache/podpub-tests}
TARBALL=$CACHE/debian12-minbase-gcc-cmake-git.tar.gz
ROOT=$WORK/root
if [ ! -f "$TARBALL" ]; then
    step "debootstrap bookworm (minbase, gcc, cmake, git) from $MIRROR"
    mkdir -p "$CACHE" || fail "cannot create $CACHE"
    debootstrap --variant=minbase --include=gcc,cmake,git bookworm \
        "$WORK/fresh" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 30 "$WORK/debootstrap.log" | sed 's/^/  debootstrap| /' >&2
          fail "debootstrap failed"; }
    tar -C "$WORK/fresh" -czf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL" ||
        fail "cannot keep the root in $TARBALL"
    rm -rf "$WORK/fresh"
    ok "debootstrap: a Debian 12 root, kept in $TARBALL"
fi
step "a fresh Debian 12 root in $ROOT"
mkdir -p "$ROOT" && tar -C "$ROOT" -xzf "$TARBALL" || fail "cannot unpack $TARBALL"
[ ! -e "$ROOT/usr/bin/podpub" ] || fail "the fresh root has podpub already"
echo "  $(cat "$ROOT/etc/debian_version"): gcc $(chroot "$ROOT" gcc -dumpversion)," \
     "$(chroot "$ROOT" cmake --version | head -n 1), $(chroot "$ROOT" git --version)"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
cp "$DEB" "$ROOT/tmp/" || fail "cannot copy the .deb into the root"
mkdir -p "$ROOT/tmp/show" && cp -R "$SRC/feed" "$SRC/episodes" "$ROOT/tmp/show/" ||
    fail "cannot copy the example show into the root"

# in_root CMD...: CMD in the root, as root, with a plain environment.
in_root() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive chroot "$ROOT" "$@"
}

step "apt-get install /tmp/$(basename "$DEB")"
show_run apt in_root apt-get update -q || fail "apt-get update in the root failed"
show_run apt in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$DEB")" ||
    fail "apt-get install of the .deb failed"
ok "apt-get installed podpub and its dependencies"

step "podpub --version, and -v --version (which loads the modules)"
show_run podpub in_root podpub --version || fail "podpub --version failed in the root"
show_run podpub in_root podpub -v --version || fail "podpub -v --version failed in the root"
grep -q "libavformat .*FFmpeg.*/usr/lib/.*/podpub/podpub-av.so" "$WORK/run.out" &&
    grep -q "libcurl .*/usr/lib/.*/podpub/podpub-net.so" "$WORK/run.out" ||
    fail "podpub -v --version did not load the installed modules"
for f in /usr/share/man/man1/podpub.1.gz /usr/share/man/man1/podpub-serve.1.gz \
         /usr/share/man/man5/podpub-show.5.gz \
         /usr/share/bash-completion/completions/podpub \
         /usr/share/zsh/vendor-completions/_podpub \
         /usr/share/fish/vendor_completions.d/podpub.fish \
         /usr/share/doc/podpub/copyright; do
    [ -f "$ROOT$f" ] || fail "the package did not install $f"
done
ok "man pages, completions and copyright where Debian's man and shells look"

step "podpub build on the example show"
show_run podpub in_root sh -c 'cd /tmp/show && podpub build' ||
    fail "podpub build failed in the root"
grep -q '^public/feed.xml: 4 episodes' "$WORK/run.out" || fail "podpub build: want 4 episodes"
show_run podpub in_root sh -c 'cd /tmp/show && podpub list' || fail "podpub list failed"
(make_show "$WORK/host" && cd "$WORK/host" && "$PODPUB" -q build) ||
    fail "podpub build of the example show on this machine failed"
cmp -s "$ROOT/tmp/show/public/feed.xml" "$WORK/host/public/feed.xml" ||
    fail "the feed built in the root differs from this machine's"
ok "podpub build in the fresh root: 4 episodes, the same feed.xml as here"
rm -rf "$ROOT"
echo "$me: all passed in $(( $(now) - T0 )) s"
