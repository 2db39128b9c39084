#!/bin/sh
# S3-compatible test server (SigV4 checked) on 127.0.0.1.
#   tests/servers/s3.sh start STATE_DIR PORT
#   tests/servers/s3.sh stop STATE_DIR
# See tests/servers/README.md.
set -u
TS_NAME=s3.sh
HERE=$(cd "$(dirname "$0")" && pwd -P)
. "$HERE/lib.sh"

ACCESS_KEY=PODPUBTESTACCESSKEY1
SECRET_KEY=podpub/test/secret/key/0123456789abcdef
BUCKET=podcast

start() {
    dir=$(ts_state_dir "$1") || exit 1
    port=$2
    ts_check_port "$port"
    ts_not_running "$dir"
    command -v node >/dev/null 2>&1 || ts_die "node is missing: run tests/servers/install.sh"
    [ -d "$HERE/node_modules/@20minutes/s3rver" ] ||
        ts_die "s3rver is not installed: run tests/servers/install.sh (npm ci --prefix tests/servers)"

    mkdir -p "$dir/data" || exit 1
    : >"$dir/requests.log"
    node "$HERE/s3rver.js" --dir "$dir/data" --port "$port" \
        --log "$dir/requests.log" --key "$ACCESS_KEY" --secret "$SECRET_KEY" \
        --bucket "$BUCKET" </dev/null >"$dir/s3rver.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    # Ready when an anonymous read of a missing object in the bucket gets
    # s3rver's 404 (our server: it knows the bucket).
    ts_wait_ready "$pid" "$dir/s3rver.log" "s3rver (node)" \
        sh -c 'test "$(curl -s -o /dev/null -w "%{http_code}" --max-time 2 "$1")" = 404' \
        _ "http://127.0.0.1:$port/$BUCKET/.podpub-ready-probe"
    # The probe is not a test's request.
    : >"$dir/requests.log"

    cat >"$dir/env" <<EOF
export AWS_ACCESS_KEY_ID='$ACCESS_KEY'
export AWS_SECRET_ACCESS_KEY='$SECRET_KEY'
export AWS_REGION='us-east-1'
export AWS_ENDPOINT_URL='http://127.0.0.1:$port'
export PODPUB_TEST_S3_BUCKET='$BUCKET'
export PODPUB_TEST_S3_REQUESTS_LOG='$dir/requests.log'
export PODPUB_TEST_S3_DATA='$dir/data'
EOF
}

ts_main "$@"
