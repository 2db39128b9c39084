#!/bin/sh
# FTP + explicit FTPS test server: pure-ftpd in the foreground with one
# virtual user, on 127.0.0.1. Passive ports: PORT+1 .. PORT+100.
#   tests/servers/ftp.sh start STATE_DIR PORT
#   tests/servers/ftp.sh stop STATE_DIR
# Needs root (pure-ftpd chroots and switches to the virtual user's uid).
# See tests/servers/README.md.
set -u
TS_NAME=ftp.sh
HERE=$(cd "$(dirname "$0")" && pwd -P)
. "$HERE/lib.sh"

PUREFTPD=/usr/sbin/pure-ftpd
FTP_USER=podpub
FTP_PASSWORD=podpub-test-Pw1
# The system account the virtual user acts as (virtual users cannot be
# uid 0). nobody:nogroup exists on every Debian system.
SYS_USER=nobody
PASSIVE_PORTS=100

start() {
    dir=$(ts_state_dir "$1") || exit 1
    port=$2
    ts_check_port "$port"
    lo=$((port + 1))
    hi=$((port + PASSIVE_PORTS))
    [ "$hi" -le 65535 ] || ts_die "passive ports $lo-$hi go past 65535"
    if busy=$(ts_range_busy "$lo" "$hi"); then
        ts_die "passive port $busy (of $lo-$hi) is already in use"
    fi
    ts_not_running "$dir"
    [ "$(id -u)" = 0 ] || ts_die "pure-ftpd needs root (it chroots and changes uid)"
    [ -x "$PUREFTPD" ] || ts_die "$PUREFTPD is missing: run tests/servers/install.sh"
    command -v pure-pw >/dev/null 2>&1 || ts_die "pure-pw is missing: run tests/servers/install.sh"
    command -v openssl >/dev/null 2>&1 || ts_die "openssl is missing"
    uid=$(id -u "$SYS_USER" 2>/dev/null) || ts_die "no system user $SYS_USER"
    gid=$(id -g "$SYS_USER")

    # The upload root, owned by the account the virtual user acts as.
    # pure-ftpd chroots into it before dropping root, so the folders
    # above it may stay private.
    mkdir -p "$dir/root" || exit 1
    chown "$uid:$gid" "$dir/root" || exit 1

    # One virtual user, with a sha512-crypt hash (pure-pw's own argon2
    # hash costs seconds per login).
    hash=$(openssl passwd -6 "$FTP_PASSWORD") || ts_die "openssl passwd failed"
    printf '%s:%s:%s:%s::%s/./::::::::::::\n' \
        "$FTP_USER" "$hash" "$uid" "$gid" "$dir/root" >"$dir/pureftpd.passwd"
    rm -f "$dir/pureftpd.pdb"
    pure-pw mkdb "$dir/pureftpd.pdb" -f "$dir/pureftpd.passwd" ||
        ts_die "pure-pw mkdb failed"

    # Self-signed certificate for 127.0.0.1, also the CA to verify with.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -nodes -days 30 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$dir/tls.key" -out "$dir/tls.crt" >"$dir/openssl.log" 2>&1 ||
        { cat "$dir/openssl.log" >&2; ts_die "cannot make a certificate"; }
    chmod 600 "$dir/tls.key"

    # -S bind, -4 IPv4 only, -E no anonymous, -H no DNS, -A chroot,
    # -l the puredb, -p passive range, -P passive address, -Y 1 TLS allowed
    # (explicit, AUTH TLS), -2 certificate, -c/-C 50 sessions (pure-ftpd
    # serves at most half as many sessions as passive ports), -O the
    # transfer log, -u the lowest uid allowed to log in.
    "$PUREFTPD" -S "127.0.0.1,$port" -4 -E -H -A \
        -l "puredb:$dir/pureftpd.pdb" -p "$lo:$hi" -P 127.0.0.1 \
        -Y 1 -2 "$dir/tls.crt,$dir/tls.key" -c 50 -C 50 -u 1 \
        -O "clf:$dir/transfer.log" </dev/null >"$dir/pure-ftpd.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    # Ready when our user can log in and list the (empty) root.
    ts_wait_ready "$pid" "$dir/pure-ftpd.log" pure-ftpd \
        curl -s --max-time 3 --list-only --user "$FTP_USER:$FTP_PASSWORD" \
        "ftp://127.0.0.1:$port/"

    cat >"$dir/env" <<EOF
export PODPUB_USER='$FTP_USER'
export PODPUB_PASSWORD='$FTP_PASSWORD'
export PODPUB_TEST_FTP_URL='ftp://127.0.0.1:$port/'
export PODPUB_TEST_FTPS_URL='ftps://127.0.0.1:$port/'
export PODPUB_TEST_FTP_CA='$dir/tls.crt'
export PODPUB_TEST_FTP_ROOT='$dir/root'
export PODPUB_TEST_FTP_TRANSFER_LOG='$dir/transfer.log'
EOF
}

ts_main "$@"
