#!/bin/sh
# test_publish_faults.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish when the server fails, on copies of the example show:
#
# (a) the server goes away in the middle of a publish, after some media
#     and before the feed; podpub exits 3, the live feed is the previous
#     one byte for byte, and every enclosure it names is still there with
#     its length (on disk, and over HTTP once the server is back); after a
#     restart a publish completes (a lock the failed run could not remove
#     may refuse the first try, as the README documents: then a try with
#     --lock-stale 1 must complete) and everything is byte-identical:
#       a1. tests/servers/flaky.py as a WebDAV store that answers 2 PUTs
#           (the lock, the first new episode) then exits (-j 1);
#       a2. s3rver, reached through flaky.py's throttled relay (100 kB/s
#           towards the server) so that an upload takes a while; stopped
#           (tests/servers/s3.sh stop) as soon as its request log shows the
#           first new episode's PUT, while the second one uploads (-j 1).
# (b) flaky.py answering every (method, path) 503 twice, then serving:
#     publish --retries 4 succeeds, the files are byte-identical, every
#     upload was answered 503 twice first.
# (c) flaky.py accepting uploads and never reading nor answering them,
#     publish --stall-timeout 3 --retries 1 fails with exit 3 in under
#     60 s and publishes no feed (the default --retries 4 makes it about
#     50 s: libcurl's speed check averages over about 5 s, so each try of
#     a stalled upload lasts some 8.5 s):
#       c1. only the media (*.m4a) stall;
#       c2. every PUT stalls (the lock, the manifest and the feed too).
set -u
me=test_publish_faults
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

# flaky_at DIR ARGS...: flaky.py (with the WebDAV credentials) in DIR and
# the target pointing at it.
flaky_at() {
    FLAKY_DIR=$1
    shift
    mkdir -p "$FLAKY_DIR/root/show" || fail "cannot create $FLAKY_DIR/root/show"
    flaky_start "$FLAKY_DIR" --user podpub --password flaky-Pw-1 "$@"
    use_target flaky
}
export PODPUB_USER=podpub PODPUB_PASSWORD=flaky-Pw-1

# recover WHAT ARGS...: a publish after the server is back; a lock left by
# the failed run (it could not be removed) may refuse it once (exit 1,
# naming the lock); then --lock-stale 1 must complete.
recover() {
    _what=$1
    shift
    PP_SOFT=1 PP_TIMEOUT=60 pp 0 "$_what" publish "$@" && return 0
    if [ "$rc" = 1 ] && grep -q 'podpub/lock' "$ERR"; then
        echo "  note: $_what: refused by the lock the failed run left: $(head -n 1 "$ERR")"
        sleep 1.1
        PP_TIMEOUT=60 pp 0 "$_what (--lock-stale 1)" publish --lock-stale 1 "$@"
        return
    fi
    dump "$ERR" stderr
    bad "$_what: podpub publish $* exited $rc, expected 0"
    return 1
}

# after_recovery WHAT: everything published and byte-identical, no lock.
after_recovery() {
    # shellcheck disable=SC2046
    check_bytes "$1" $(public_keys "$SHOW")
    check_manifest "$1"
    check_no_lock "$1"
}

echo "== (a1) WebDAV (flaky.py) goes away after 2 PUTs"
(
    SHOW=$WORK/a1/show
    make_show "$SHOW"
    flaky_at "$WORK/a1/srv"
    pp 0 "a1 first publish" publish --target "$URL" || exit 1
    cp "$(remote_path feed.xml)" "$WORK/a1/feed.before" || fail "no feed after the first publish"
    flaky_stop "$FLAKY_DIR"

    n4=$(add_episode "$SHOW" 4 vier "Vier" 550)
    n5=$(add_episode "$SHOW" 5 vijf "Vijf" 770 2 2025-11-28T06:00:00+01:00)
    flaky_at "$WORK/a1/srv" --mode die-after-puts --n 2
    mark
    PP_TIMEOUT=60 pp 3 "a1 publish while the server goes away" \
        publish -j 1 --retries 1 --target "$URL" &&
        ok "a1: $(grep 'podpub:' "$ERR" | head -n 1)"
    ts_alive "$(cat "$FLAKY_DIR/pid" 2>/dev/null || echo 0)" &&
        bad "a1: flaky.py did not go away (test bug)"
    log_since "$LOG" >"$WORK/a1/log"
    grep -Eq "^PUT /show/($n4|$n5) 20[0-9]$" "$WORK/a1/log" ||
        bad "a1: no media was uploaded before the server went away (test bug?): $(tr '\n' ';' <"$WORK/a1/log")"
    grep -Eq '^(PUT|MOVE) /show/(\.feed\.xml\.podpub-[0-9a-f]{16}\.tmp|feed\.xml)' "$WORK/a1/log" &&
        bad "a1: the feed was sent although the media were not all up"
    cmp -s "$WORK/a1/feed.before" "$(remote_path feed.xml)" &&
        ok "a1: the live feed is the previous one, byte for byte" ||
        bad "a1: the live feed changed although the publish failed"
    check_enclosures "a1 while the server is down" "$(remote_path feed.xml)"
    rm -f "$FLAKY_DIR/pid"

    flaky_at "$WORK/a1/srv"
    check_enclosures "a1 server back" "$(remote_path feed.xml)" "$URL"
    recover "a1 publish after the restart" --target "$URL" || exit 1
    cmp -s "$SHOW/public/feed.xml" "$(remote_path feed.xml)" ||
        bad "a1: after the restart the live feed is not the new one"
    after_recovery "a1 after the restart"
    flaky_stop "$FLAKY_DIR"
) || bad "(a1) stopped early"

echo "== (a2) s3rver stopped while an episode uploads"
(
    SHOW=$WORK/a2/show
    make_show "$SHOW"
    srv_start s3 "$WORK/srv/s3"
    . "$WORK/srv/s3/env"
    use_target s3 show
    pp 0 "a2 first publish" publish --target "$URL" || exit 1
    cp "$(remote_path feed.xml)" "$WORK/a2/feed.before" || fail "no feed after the first publish"
    s3port=${AWS_ENDPOINT_URL##*:}

    n4=$(add_episode "$SHOW" 4 vier "Vier" 550 40)
    n5=$(add_episode "$SHOW" 5 vijf "Vijf" 770 40 2025-11-28T06:00:00+01:00)
    flaky_start "$WORK/a2/relay" --proxy "127.0.0.1:$s3port" --rate 100000
    mark
    t0=$(now)
    AWS_ENDPOINT_URL=http://127.0.0.1:$FLAKY_PORT timeout 60 \
        "$PODPUB" -C "$SHOW" publish -j 1 --retries 1 --target "$URL" \
        >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    n=0
    until log_since "$LOG" | grep -Eq "^PUT /$PODPUB_TEST_S3_BUCKET/$PREFIX($n4|$n5) 200$"; do
        n=$((n + 1))
        if [ $n -gt 600 ] || ! ts_alive $pid; then
            bad "a2: the first media PUT never showed in the request log (or podpub ended first)"
            break
        fi
        sleep 0.05
    done
    sh "$SRV_DIR/s3.sh" stop "$WORK/srv/s3" >/dev/null 2>&1
    echo "  s3rver stopped $(elapsed "$t0") s after the publish started, after: $(log_since "$LOG" | grep '^PUT' | tr '\n' ';')"
    wait $pid
    rc=$?
    secs=$(elapsed "$t0")
    OUT=$WORK/out ERR=$WORK/err
    if [ $rc = 3 ]; then
        ok "a2 publish while s3rver stops: exit 3 in $secs s: $(grep 'podpub:' "$ERR" | head -n 1)"
    else
        dump "$ERR" stderr
        bad "a2 publish while s3rver stops: exit $rc, expected 3"
    fi
    log_since "$LOG" | grep -E "^PUT /$PODPUB_TEST_S3_BUCKET/${PREFIX}feed\.xml" &&
        bad "a2: the feed was sent although the media were not all up"
    cmp -s "$WORK/a2/feed.before" "$(remote_path feed.xml)" &&
        ok "a2: the live feed is the previous one, byte for byte" ||
        bad "a2: the live feed changed although the publish failed"
    check_enclosures "a2 while s3rver is down" "$(remote_path feed.xml)"
    flaky_stop "$WORK/a2/relay"

    srv_restart s3 "$WORK/srv/s3" "$s3port"
    . "$WORK/srv/s3/env"
    use_target s3 show
    check_enclosures "a2 s3rver back" "$(remote_path feed.xml)" \
        "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/$PREFIX"
    recover "a2 publish after the restart" --target "$URL" || exit 1
    cmp -s "$SHOW/public/feed.xml" "$(remote_path feed.xml)" ||
        bad "a2: after the restart the live feed is not the new one"
    after_recovery "a2 after the restart"
) || bad "(a2) stopped early"

echo "== (b) every request answered 503 twice, then served"
(
    SHOW=$WORK/b/show
    make_show "$SHOW"
    flaky_at "$WORK/b/srv" --mode fail-first --n 2 --status 503
    FLAKY_HTTP=0   # the public's reads would get their 503s too
    mark
    PP_TIMEOUT=30 pp 0 "b publish --retries 4 against 503, 503, OK" \
        publish --retries 4 --target "$URL" || exit 1
    after_recovery "b"
    # Every path uploaded was refused twice first (the server did its part).
    log_since "$LOG" >"$WORK/b/log"
    for k in $(uploads); do
        n503=$(grep -cE "^PUT /show/(\.)?$k(\.podpub-[0-9a-f]{16}\.tmp)? 503$" "$WORK/b/log")
        [ "$n503" -ge 2 ] || bad "b: PUT $k got $n503 answers 503, expected 2 (test bug)"
    done
    ok "b: $(grep -c ' 503$' "$WORK/b/log") answers 503 in $(wc -l <"$WORK/b/log") requests"
) || bad "(b) stopped early"

echo "== (c1) uploads of media stall (accepted, never read nor answered)"
(
    SHOW=$WORK/c1/show
    make_show "$SHOW"
    flaky_at "$WORK/c1/srv" --mode stall-puts --stall-paths '*.m4a'
    PP_TIMEOUT=90 pp 3 "c1 publish --stall-timeout 3 --retries 1, media stall" \
        publish --stall-timeout 3 --retries 1 --target "$URL"
    awk -v s="$secs" 'BEGIN { exit !(s < 60) }' ||
        bad "c1: a stalled upload took $secs s to fail (want < 60 s)"
    [ "$rc" = 3 ] && must_say "$ERR" "m4a" "c1 names the stalled file" &&
        ok "c1: $(grep 'podpub:' "$ERR" | head -n 1)"
    remote_has feed.xml && bad "c1: a feed was published although uploads failed"
    check_no_lock "c1"
    flaky_stop "$FLAKY_DIR"
) || bad "(c1) stopped early"

echo "== (c2) every upload stalls"
(
    SHOW=$WORK/c2/show
    make_show "$SHOW"
    flaky_at "$WORK/c2/srv" --mode stall-puts
    PP_TIMEOUT=60 pp 3 "c2 publish --stall-timeout 3 --retries 1, every PUT stalls" \
        publish --stall-timeout 3 --retries 1 --target "$URL"
    [ "$rc" = 124 ] &&
        echo "  (requests answered before the stall: $(grep -v ' -$' "$LOG" | tr '\n' ';'); stalled: $(grep ' -$' "$LOG" | tr '\n' ';'))"
    remote_has feed.xml && bad "c2: a feed was published although uploads failed"
    flaky_stop "$FLAKY_DIR"
) || bad "(c2) stopped early"

pub_finish
