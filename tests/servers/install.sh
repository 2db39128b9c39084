#!/bin/sh
# Installs what the loopback test servers need, only what is missing:
#   Debian: openssh-server pure-ftpd nginx libnginx-mod-http-dav-ext openssl curl
#           (nodejs + npm only if node is absent)
#   npm:    tests/servers/node_modules from package-lock.json (npm ci)
# Idempotent and silent when everything is there. Runs apt-get as root, or
# through sudo for another user. The packages' own daemons (ports 21, 22,
# 80) are kept from starting during the install by a policy-rc.d that exits
# 101, removed afterwards unless it was there before.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd -P)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pkgs="openssh-server pure-ftpd nginx libnginx-mod-http-dav-ext openssl curl"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"

missing=
for p in $pkgs; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
    echo "tests/servers/install.sh: installing$missing" >&2
    own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod +x /usr/sbin/policy-rc.d
        own_policy=1
    fi
    log=$(mktemp)
    rc=0
    # shellcheck disable=SC2086
    {
        as_root apt-get update -qq &&
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                --no-install-recommends $missing
    } >"$log" 2>&1 || rc=$?
    if [ -n "$own_policy" ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
    if [ $rc != 0 ]; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        echo "tests/servers/install.sh: apt-get failed ($rc)" >&2
        exit $rc
    fi
    rm -f "$log"
fi

# @20minutes/s3rver 4.x wants node >= 20.
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
    echo "tests/servers/install.sh: warning: node $(node --version 2>/dev/null) is older than 20; s3rver may not run" >&2
fi

if [ ! -d "$HERE/node_modules/@20minutes/s3rver" ] ||
   [ -n "$(find "$HERE/package-lock.json" -newer "$HERE/node_modules")" ]; then
    echo "tests/servers/install.sh: npm ci in tests/servers" >&2
    npm ci --prefix "$HERE" --no-audit --no-fund --silent
    touch "$HERE/node_modules"
fi
