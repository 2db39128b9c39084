#!/bin/sh
# Self-test of the loopback test servers: starts all four on free ports in a
# temporary folder, drives each with the real command-line client (curl),
# stops them and checks that none of their processes is left.
#   sh tests/servers/selftest.sh          (KEEP=1 keeps the temp folder)
# Run tests/servers/install.sh first. Exits 0 when every check passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
TS_NAME=selftest.sh
. "$HERE/lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/podpub-servers.XXXXXX") || exit 1
STARTED=
PIDS=
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   - $*"; }
bad() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION COMMAND...
    _d=$1
    shift
    if "$@"; then ok "$_d"; else bad "$_d"; fi
}
ms() { date +%s%3N; }

stop_all() {
    for _s in $STARTED; do
        sh "$HERE/$_s.sh" stop "$TMP/$_s" || bad "$_s.sh stop"
    done
    STARTED=
}
cleanup() {
    _rc=$?
    trap - EXIT INT TERM HUP
    stop_all
    if [ "${KEEP:-}" = 1 ]; then
        echo "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit $_rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# descendants PID: PID's children, grandchildren... (to check after stop)
descendants() {
    for _c in $(pgrep -P "$1" 2>/dev/null); do
        echo "$_c"
        descendants "$_c"
    done
}

# start NAME PORTCOUNT: pick free ports, start, retry on a taken port.
start() {
    _name=$1 _count=$2 _try=0
    while :; do
        _try=$((_try + 1))
        _port=$(ts_pick_port "$_count") || exit 1
        _t0=$(ms)
        if sh "$HERE/$_name.sh" start "$TMP/$_name" "$_port" 2>"$TMP/$_name.err"; then
            _t1=$(ms)
            STARTED="$STARTED $_name"
            _pid=$(cat "$TMP/$_name/pid")
            PIDS="$PIDS $_pid"
            ok "$_name.sh start: port $_port, pid $_pid, ready in $((_t1 - _t0)) ms"
            return 0
        fi
        sed 's/^/    /' "$TMP/$_name.err"
        if [ $_try -ge 3 ]; then
            bad "$_name.sh start (3 tries)"
            exit 1
        fi
        echo "    (another try on other ports)"
    done
}

# http_code OUTFILE CURL-ARGS...: print the HTTP status (000 on failure).
http_code() {
    _o=$1
    shift
    curl -s -o "$_o" -w '%{http_code}' --max-time 20 "$@"
}
is() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }
contains() { grep -q -- "$2" "$1" || { echo "    $1 lacks '$2':"; sed 's/^/      /' "$1" | head -5; return 1; }; }
same() { cmp -s "$1" "$2" || { echo "    $1 and $2 differ"; return 1; }; }

T_ALL=$(ms)
echo "# temp folder $TMP"

# Test payloads: a binary "episode" and a small text file.
head -c 300000 /dev/urandom >"$TMP/episode.mp3"
printf 'podpub selftest %s\n' "$$" >"$TMP/small.txt"
EMPTY_SHA=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# ---------------------------------------------------------------------
# start (ftp last: its passive range is not listening, so a later pick
# could land in it)
# ---------------------------------------------------------------------
start s3 1
start sftp 1
start webdav 2
start ftp 101

# ---------------------------------------------------------------------
# S3
# ---------------------------------------------------------------------
echo "# s3"
(
    . "$TMP/s3/env"
    sigv4="aws:amz:$AWS_REGION:s3"
    url="$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/episodes/ep%201.mp3"
    sha=$(sha256sum "$TMP/episode.mp3" | cut -d' ' -f1)

    c=$(http_code "$TMP/s3.out" --aws-sigv4 "$sigv4" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: $sha" -H "Content-Type: audio/mpeg" \
        -T "$TMP/episode.mp3" "$url")
    check "s3: signed PUT (body sha256) -> 200" is "$c" 200

    c=$(http_code "$TMP/s3.get" --aws-sigv4 "$sigv4" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: $EMPTY_SHA" "$url")
    check "s3: signed GET -> 200" is "$c" 200
    check "s3: signed GET returns the bytes put" same "$TMP/s3.get" "$TMP/episode.mp3"

    c=$(http_code "$TMP/s3.anon" "$url")
    check "s3: anonymous GET of an object -> 200 (public read)" is "$c" 200
    check "s3: anonymous GET returns the bytes put" same "$TMP/s3.anon" "$TMP/episode.mp3"

    c=$(http_code "$TMP/s3.list" --aws-sigv4 "$sigv4" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: $EMPTY_SHA" \
        "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET?list-type=2&prefix=episodes%2F")
    check "s3: signed ListObjectsV2 -> 200" is "$c" 200
    check "s3: the listing names the key" contains "$TMP/s3.list" "<Key>episodes/ep 1.mp3</Key>"

    c=$(http_code "$TMP/s3.wrong" --aws-sigv4 "$sigv4" \
        --user "$AWS_ACCESS_KEY_ID:wrong-secret" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        -T "$TMP/small.txt" "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/wrong.txt")
    check "s3: wrong secret -> 403" is "$c" 403
    check "s3: wrong secret -> SignatureDoesNotMatch" contains "$TMP/s3.wrong" SignatureDoesNotMatch

    c=$(http_code "$TMP/s3.key" --aws-sigv4 "$sigv4" \
        --user "AKIANOSUCHKEY0000000:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        -T "$TMP/small.txt" "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/wrong.txt")
    check "s3: unknown access key -> 403 InvalidAccessKeyId" \
        sh -c '[ "$1" = 403 ] && grep -q InvalidAccessKeyId "$2"' _ "$c" "$TMP/s3.key"

    c=$(http_code "$TMP/s3.unsigned" -T "$TMP/small.txt" \
        "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/unsigned.txt")
    check "s3: unsigned PUT -> 403" is "$c" 403
    c=$(http_code "$TMP/s3.unsigned" "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET?list-type=2")
    check "s3: unsigned bucket listing -> 403" is "$c" 403
    c=$(http_code "$TMP/s3.unsigned" -X DELETE "$url")
    check "s3: unsigned DELETE -> 403" is "$c" 403
    check "s3: nothing unsigned or wrongly signed was stored" \
        sh -c '! find "$1" -name "wrong.txt*" -o -name "unsigned.txt*" | grep -q .' _ "$PODPUB_TEST_S3_DATA"

    check "s3: requests.log has the one successful PUT" \
        sh -c '[ "$(grep -c "^PUT /podcast/episodes/ep%201.mp3 200\$" "$1")" = 1 ]' _ "$PODPUB_TEST_S3_REQUESTS_LOG"
    check "s3: requests.log counts 4 PUTs" \
        sh -c '[ "$(grep -c "^PUT " "$1")" = 4 ]' _ "$PODPUB_TEST_S3_REQUESTS_LOG"
    echo "passed=$passed failed=$failed" >"$TMP/s3.count"
)
. "$TMP/s3.count"

# ---------------------------------------------------------------------
# SFTP (curl's command line reads known_hosts from $CURL_HOME/.ssh/)
# ---------------------------------------------------------------------
echo "# sftp"
(
    . "$TMP/sftp/env"
    good=$TMP/curlhome-good bad=$TMP/curlhome-bad
    mkdir -p "$good/.ssh" "$bad/.ssh"
    cp "$PODPUB_KNOWN_HOSTS" "$good/.ssh/known_hosts"
    cp "$PODPUB_TEST_BAD_KNOWN_HOSTS" "$bad/.ssh/known_hosts"

    CURL_HOME=$good curl -sS --max-time 20 --key "$PODPUB_SSH_KEY" \
        --ftp-create-dirs -T "$TMP/episode.mp3" "${PODPUB_TEST_SFTP_URL}episodes/ep1.mp3"
    check "sftp: upload with key + known_hosts (rc $?)" test $? = 0
    check "sftp: the file arrived in PODPUB_TEST_SFTP_ROOT" \
        same "$PODPUB_TEST_SFTP_ROOT/episodes/ep1.mp3" "$TMP/episode.mp3"

    CURL_HOME=$good curl -sS --max-time 20 --key "$PODPUB_SSH_KEY" \
        -o "$TMP/sftp.get" "${PODPUB_TEST_SFTP_URL}episodes/ep1.mp3"
    check "sftp: download (rc $?)" test $? = 0
    check "sftp: download returns the bytes put" same "$TMP/sftp.get" "$TMP/episode.mp3"

    curl -sS --max-time 20 --hostpubsha256 "$PODPUB_TEST_SFTP_HOST_KEY_SHA256" \
        --key "$PODPUB_SSH_KEY" -T "$TMP/small.txt" "${PODPUB_TEST_SFTP_URL}pinned.txt"
    check "sftp: upload with the pinned host key SHA256 (rc $?)" test $? = 0

    CURL_HOME=$bad curl -sS --max-time 20 --key "$PODPUB_SSH_KEY" \
        -T "$TMP/small.txt" "${PODPUB_TEST_SFTP_URL}badhost.txt" 2>"$TMP/sftp.err"
    rc=$?
    check "sftp: wrong known_hosts -> refused, rc 60 (rc $rc)" test $rc = 60
    check "sftp: nothing arrived from the refused upload" test ! -e "$PODPUB_TEST_SFTP_ROOT/badhost.txt"

    CURL_HOME=$good curl -sS --max-time 20 --key "$TMP/sftp/wrong_host_ed25519_key" \
        -T "$TMP/small.txt" "${PODPUB_TEST_SFTP_URL}badkey.txt" 2>"$TMP/sftp.err"
    rc=$?
    check "sftp: a client key that is not authorized -> rc 67 (rc $rc)" test $rc = 67
    echo "passed=$passed failed=$failed" >"$TMP/sftp.count"
)
. "$TMP/sftp.count"

# ---------------------------------------------------------------------
# FTP / FTPS (explicit TLS: ftp:// + --ssl-reqd)
# ---------------------------------------------------------------------
echo "# ftp"
(
    . "$TMP/ftp/env"
    auth="$PODPUB_USER:$PODPUB_PASSWORD"
    curl -sS --max-time 20 --user "$auth" --ftp-create-dirs \
        -T "$TMP/episode.mp3" "${PODPUB_TEST_FTP_URL}episodes/ep1.mp3"
    check "ftp: plain upload (rc $?)" test $? = 0
    check "ftp: the file arrived in PODPUB_TEST_FTP_ROOT" \
        same "$PODPUB_TEST_FTP_ROOT/episodes/ep1.mp3" "$TMP/episode.mp3"

    curl -sS --max-time 20 --user "$auth" --ssl-reqd --cacert "$PODPUB_TEST_FTP_CA" \
        --ftp-create-dirs -T "$TMP/small.txt" "${PODPUB_TEST_FTP_URL}tls/small.txt"
    check "ftps: explicit-TLS upload verified with PODPUB_TEST_FTP_CA (rc $?)" test $? = 0
    check "ftps: the file arrived" same "$PODPUB_TEST_FTP_ROOT/tls/small.txt" "$TMP/small.txt"

    curl -sS --max-time 20 --user "$auth" --ssl-reqd --cacert "$PODPUB_TEST_FTP_CA" \
        -o "$TMP/ftp.get" "${PODPUB_TEST_FTP_URL}episodes/ep1.mp3"
    check "ftps: download (rc $?)" test $? = 0
    check "ftps: download returns the bytes put" same "$TMP/ftp.get" "$TMP/episode.mp3"

    curl -sS --max-time 20 --user "$auth" --ssl-reqd --cacert /etc/ssl/certs/ca-certificates.crt \
        -T "$TMP/small.txt" "${PODPUB_TEST_FTP_URL}untrusted.txt" 2>/dev/null
    rc=$?
    check "ftps: a CA that did not sign the certificate -> rc 60 (rc $rc)" test $rc = 60

    t0=$(ms)
    curl -sS --max-time 20 --user "$PODPUB_USER:wrong-password" \
        -T "$TMP/small.txt" "${PODPUB_TEST_FTP_URL}wrongpw.txt" 2>/dev/null
    rc=$?
    check "ftp: wrong password -> refused, rc 67 (rc $rc, $(( $(ms) - t0 )) ms)" test $rc = 67
    check "ftp: nothing arrived from the refused logins" \
        sh -c '! [ -e "$1/wrongpw.txt" ] && ! [ -e "$1/untrusted.txt" ]' _ "$PODPUB_TEST_FTP_ROOT"
    sleep 0.2
    check "ftp: the transfer log records the uploads" \
        sh -c '[ "$(grep -c "\"PUT " "$1")" = 2 ]' _ "$PODPUB_TEST_FTP_TRANSFER_LOG"
    echo "passed=$passed failed=$failed" >"$TMP/ftp.count"
)
. "$TMP/ftp.count"

# ---------------------------------------------------------------------
# WebDAV + CDN
# ---------------------------------------------------------------------
echo "# webdav"
(
    . "$TMP/webdav/env"
    auth="$PODPUB_USER:$PODPUB_PASSWORD"
    c=$(http_code /dev/null --user "$auth" -T "$TMP/episode.mp3" "${PODPUB_TEST_DAV_URL}episodes/.ep1.mp3.tmp")
    check "webdav: PUT (missing folders made) -> 201" is "$c" 201
    c=$(http_code /dev/null --user "$auth" -X MOVE -H "Overwrite: T" \
        -H "Destination: ${PODPUB_TEST_DAV_URL}episodes/ep1.mp3" "${PODPUB_TEST_DAV_URL}episodes/.ep1.mp3.tmp")
    # RFC 4918 says 201 for a new name; nginx 1.22 answers 204 either way.
    check "webdav: MOVE to the final name -> 201/204 ($c)" \
        sh -c '[ "$1" = 201 ] || [ "$1" = 204 ]' _ "$c"
    check "webdav: the file arrived in PODPUB_TEST_DAV_ROOT" \
        same "$PODPUB_TEST_DAV_ROOT/episodes/ep1.mp3" "$TMP/episode.mp3"
    c=$(http_code /dev/null --user "$auth" -T "$TMP/small.txt" "${PODPUB_TEST_DAV_URL}episodes/.ep1.mp3.tmp")
    c=$(http_code /dev/null --user "$auth" -X MOVE -H "Overwrite: T" \
        -H "Destination: ${PODPUB_TEST_DAV_URL}episodes/ep1.mp3" "${PODPUB_TEST_DAV_URL}episodes/.ep1.mp3.tmp")
    check "webdav: MOVE over an existing file (Overwrite: T) -> 204" is "$c" 204
    check "webdav: the file was replaced" same "$PODPUB_TEST_DAV_ROOT/episodes/ep1.mp3" "$TMP/small.txt"
    c=$(http_code /dev/null --user "$auth" -T "$TMP/episode.mp3" "${PODPUB_TEST_DAV_URL}episodes/ep1.mp3")
    check "webdav: PUT over an existing file -> 204" is "$c" 204

    c=$(http_code /dev/null --user "$auth" -X MKCOL "${PODPUB_TEST_DAV_URL}art/")
    check "webdav: MKCOL -> 201" is "$c" 201
    check "webdav: MKCOL made the folder" test -d "$PODPUB_TEST_DAV_ROOT/art"
    c=$(http_code /dev/null --user "$auth" -X MKCOL "${PODPUB_TEST_DAV_URL}art/")
    check "webdav: MKCOL of an existing folder -> 405" is "$c" 405
    if [ -f /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ]; then
        c=$(http_code "$TMP/dav.propfind" --user "$auth" -X PROPFIND -H "Depth: 1" "$PODPUB_TEST_DAV_URL")
        check "webdav: PROPFIND (dav-ext) -> 207" is "$c" 207
    fi

    c=$(http_code /dev/null -T "$TMP/small.txt" "${PODPUB_TEST_DAV_URL}noauth.txt")
    check "webdav: PUT without credentials -> 401" is "$c" 401
    c=$(http_code /dev/null --user "$PODPUB_USER:wrong-password" -T "$TMP/small.txt" "${PODPUB_TEST_DAV_URL}wrongpw.txt")
    check "webdav: PUT with a wrong password -> 401" is "$c" 401
    check "webdav: nothing arrived from the refused PUTs" \
        sh -c '! [ -e "$1/noauth.txt" ] && ! [ -e "$1/wrongpw.txt" ]' _ "$PODPUB_TEST_DAV_ROOT"

    # The public side.
    c=$(http_code "$TMP/cdn.part" -r 1000-1999 "${PODPUB_TEST_CDN_URL}episodes/ep1.mp3")
    check "cdn: ranged GET -> 206" is "$c" 206
    dd if="$TMP/episode.mp3" of="$TMP/want.part" bs=1000 skip=1 count=1 2>/dev/null
    check "cdn: the range holds bytes 1000-1999" same "$TMP/cdn.part" "$TMP/want.part"
    c=$(http_code /dev/null -r 400000-400100 "${PODPUB_TEST_CDN_URL}episodes/ep1.mp3")
    check "cdn: a range past the end -> 416" is "$c" 416
    c=$(http_code /dev/null -D "$TMP/cdn.head" -I "${PODPUB_TEST_CDN_URL}episodes/ep1.mp3")
    check "cdn: HEAD -> 200" is "$c" 200
    check "cdn: Accept-Ranges: bytes" contains "$TMP/cdn.head" "Accept-Ranges: bytes"
    check "cdn: Content-Length is the file size" contains "$TMP/cdn.head" "Content-Length: 300000"
    c=$(http_code /dev/null -T "$TMP/small.txt" "${PODPUB_TEST_CDN_URL}cdnput.txt")
    check "cdn: PUT is refused (read only) -> 403" is "$c" 403
    c=$(http_code /dev/null --user "$auth" -X DELETE "${PODPUB_TEST_CDN_URL}episodes/ep1.mp3")
    check "cdn: DELETE is refused (read only) -> 403" is "$c" 403
    c=$(http_code /dev/null --user "$auth" -X DELETE "${PODPUB_TEST_DAV_URL}episodes/ep1.mp3")
    check "webdav: DELETE -> 204" is "$c" 204
    c=$(http_code /dev/null "${PODPUB_TEST_CDN_URL}episodes/ep1.mp3")
    check "cdn: the deleted file -> 404" is "$c" 404
    sleep 0.2
    check "webdav: the access log records the PUTs" \
        sh -c '[ "$(grep -c "\"PUT /show/" "$1")" = 5 ]' _ "$PODPUB_TEST_DAV_ACCESS_LOG"
    check "cdn: the access log records the ranged GET" \
        contains "$PODPUB_TEST_CDN_ACCESS_LOG" '"GET /show/episodes/ep1.mp3 HTTP/1.1" 206 1000 range="bytes=1000-1999"'
    echo "passed=$passed failed=$failed" >"$TMP/webdav.count"
)
. "$TMP/webdav.count"

# ---------------------------------------------------------------------
# stop, and nothing may be left
# ---------------------------------------------------------------------
echo "# stop"
ALL=
for p in $PIDS; do
    ALL="$ALL $p $(descendants "$p" | tr '\n' ' ')"
done
t0=$(ms)
stop_all
ok "all stopped in $(( $(ms) - t0 )) ms"
left=
for p in $ALL; do
    ts_alive "$p" && left="$left $p"
done
check "no server process left (pids checked:$ALL)" test -z "$left"
# Also by the temp folder in any live process's command line (zombies,
# which this sandbox's PID 1 may never reap, do not count).
stray=$(ps -eo pid=,stat=,args= | T="$TMP" awk \
    'index($0, ENVIRON["T"]) && $2 !~ /^Z/ { print $1 }')
check "no live process mentions $TMP" test -z "$stray"
for s in s3 sftp webdav ftp; do
    check "$s: pid file removed by stop" test ! -e "$TMP/$s/pid"
done

echo "# total $(( $(ms) - T_ALL )) ms"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
