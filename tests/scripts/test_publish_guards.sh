#!/bin/sh
# test_publish_guards.sh PODPUB SOURCE_DIR WORK_DIR
#
# What podpub publish refuses, on a copy of the example show published to
# S3 (tests/servers/s3.sh; its request log shows every request):
#   - --dry-run with a new episode: exit 0, prints what it would upload,
#     sends nothing but reads (no PUT/POST/DELETE), the server's files
#     unchanged
#   - an episode removed: refused, exit 1, the message names the episode
#     (title and guid), nothing written; --allow-removal publishes it, and
#     the episode's audio stays on the server (no --prune)
#   - a GUID changed: refused, exit 1, the message names the episode and
#     both GUIDs, nothing written; --allow-guid-change publishes it
#   - --prune (with another episode removed, --allow-removal): exactly the
#     audio of the two episodes no longer in the feed is deleted, each
#     DELETE after the new feed's PUT; every other file is still there; the
#     manifest no longer lists them
#   - a lock at .podpub/lock younger than --lock-stale: exit 1, a message
#     naming the lock, nothing written, the lock left alone; older than
#     --lock-stale: taken over with a warning, published, lock removed
set -u
me=test_publish_guards
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

srv_start s3 "$WORK/srv/s3"
. "$WORK/srv/s3/env"
use_target s3 show
SHOW=$WORK/show
make_show "$SHOW"
FEED_LIVE=$(remote_path feed.xml)

# no_writes WHAT: the requests since 'mark' were all reads.
no_writes() {
    writes >"$WORK/writes"
    if [ -s "$WORK/writes" ]; then
        bad "$1: podpub wrote to the server: $(head -n 5 "$WORK/writes" | tr '\n' ';')"
    else
        ok "$1: only reads reached the server ($(log_since "$LOG" | wc -l) requests)"
    fi
}

# guid_of MD: the guid in an episode's front matter.
guid_of() { sed -n 's/^guid: *//p' "$1" | head -n 1; }

# s3_put KEY TEXT: a signed PUT of TEXT to KEY, as another publisher would.
s3_put() {
    printf '%s' "$2" >"$WORK/put.body"
    _st=$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$WORK/put.body" \
        "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/$PREFIX$1")
    [ "$_st" = 200 ] || fail "cannot plant $1 on s3rver (HTTP $_st)"
}

echo "== first publish"
pp 0 "first publish" publish --target "$URL" || pub_finish

echo "== --dry-run"
new=$(add_episode "$SHOW" 4 extra "Extra: een nieuwe aflevering" 660)
mark
if pp 0 "--dry-run with a new episode" publish --dry-run --target "$URL"; then
    must_say "$OUT" "would upload $new" "--dry-run lists the new audio" &&
        must_say "$OUT" "would upload feed.xml" "--dry-run lists the feed" &&
        ok "--dry-run: $(grep -c 'would upload' "$OUT") files would be uploaded"
    no_writes "--dry-run"
    remote_has "$new" && bad "--dry-run: $new is on the server"
    grep -q "$new" "$FEED_LIVE" && bad "--dry-run: the live feed names $new"
fi
pp 0 "publish the new episode" publish --target "$URL"

echo "== an episode removed"
lumens_guid=$(guid_of "$SHOW/episodes/003-lumens.md")
rm -f "$SHOW/episodes/003-lumens.md" "$SHOW/episodes/003-lumens.m4a"
cp "$FEED_LIVE" "$WORK/feed.before"
mark
if pp 1 "an episode removed" publish --target "$URL"; then
    must_say "$ERR" "Lumens" "the refusal names the removed episode" &&
        must_say "$ERR" "$lumens_guid" "the refusal gives the removed episode's guid" &&
        must_say "$ERR" "--allow-removal" "the refusal says how to override" &&
        ok "removal refused: $(grep -F "$lumens_guid" "$ERR" | head -n 1 | sed 's/^ *//')"
    no_writes "an episode removed"
    cmp -s "$WORK/feed.before" "$FEED_LIVE" || bad "removal refused, but the live feed changed"
fi
mark
if pp 0 "an episode removed, --allow-removal" publish --allow-removal --target "$URL"; then
    grep -q "$lumens_guid" "$FEED_LIVE" &&
        bad "--allow-removal: the live feed still has the removed episode"
    remote_has 003-lumens.m4a ||
        bad "--allow-removal without --prune deleted 003-lumens.m4a"
    log_since "$LOG" | grep -q '^DELETE .*003-lumens' &&
        bad "--allow-removal without --prune sent a DELETE for 003-lumens"
    ok "--allow-removal: the episode left the feed, its audio stays"
fi

echo "== a GUID changed"
milas=$SHOW/episodes/001-milas.md
old_guid=$(guid_of "$milas")
new_guid=0b6a4f7e-1d3c-4e8f-9a2b-5c6d7e8f9a0b
sed -i "s/^guid: .*/guid: $new_guid/" "$milas"
cp "$FEED_LIVE" "$WORK/feed.before"
mark
if pp 1 "a GUID changed" publish --target "$URL"; then
    must_say "$ERR" "Milas" "the refusal names the episode" &&
        must_say "$ERR" "$old_guid" "the refusal gives the old guid" &&
        must_say "$ERR" "$new_guid" "the refusal gives the new guid" &&
        must_say "$ERR" "--allow-guid-change" "the refusal says how to override" &&
        ok "guid change refused: $(grep -F "$old_guid" "$ERR" | head -n 1 | sed 's/^ *//' | cut -c1-160)"
    no_writes "a GUID changed"
    cmp -s "$WORK/feed.before" "$FEED_LIVE" || bad "guid change refused, but the live feed changed"
fi
if pp 0 "a GUID changed, --allow-guid-change" publish --allow-guid-change --target "$URL"; then
    grep -q "$new_guid" "$FEED_LIVE" ||
        bad "--allow-guid-change: the live feed does not have the new guid"
fi

echo "== --prune"
rm -f "$SHOW/episodes/002-dennis.md" "$SHOW/episodes/002-dennis.m4a"
mark
if pp 0 "another episode removed, --allow-removal --prune" \
        publish --allow-removal --prune --target "$URL"; then
    log_since "$LOG" >"$WORK/prune.log"
    sed -n "s#^DELETE /$PODPUB_TEST_S3_BUCKET/$PREFIX\([^ ]*\) 20[0-9]\$#\1#p" \
        "$WORK/prune.log" | grep -vx '\.podpub/lock' | LC_ALL=C sort >"$WORK/deleted"
    # 003-lumens's chapters JSON (from its front matter) goes with it.
    gone="002-dennis.m4a 003-lumens.m4a chapters/003-lumens.json"
    if [ "$(tr '\n' ' ' <"$WORK/deleted")" = "$gone " ]; then
        ok "--prune deleted exactly $gone"
    else
        bad "--prune deleted [$(tr '\n' ' ' <"$WORK/deleted")], expected [$gone]"
    fi
    feed_at=$(grep -n "^PUT /$PODPUB_TEST_S3_BUCKET/${PREFIX}feed\.xml 200" "$WORK/prune.log" | cut -d: -f1)
    first_del=$(grep -n "^DELETE .*\.m4a" "$WORK/prune.log" | head -n 1 | cut -d: -f1)
    if [ -z "$feed_at" ]; then
        bad "--prune: the new feed was not uploaded"
    elif [ -n "$first_del" ] && [ "$first_del" -lt "$feed_at" ]; then
        bad "--prune deleted media before the new feed was live (request $first_del < $feed_at)"
    else
        ok "--prune: the deletes came after the feed's PUT"
    fi
    for k in $(public_keys "$SHOW"); do
        remote_has "$k" || bad "--prune: $k is gone from the server"
    done
    for k in $gone; do
        remote_has "$k" && bad "--prune: $k is still on the server"
        grep -q "\"$k\"" "$(remote_path .podpub/manifest.json)" &&
            bad "--prune: the manifest still lists $k"
    done
    # shellcheck disable=SC2046
    check_bytes "after --prune" $(public_keys "$SHOW")
fi

echo "== a lock held by someone else"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
lock="owner=ci-runner-7:4242 time=$(($(date +%s) - 60))"
s3_put .podpub/lock "$lock
"
mark
if pp 1 "a lock 60 s old (--lock-stale 3600)" publish --target "$URL"; then
    must_say "$ERR" "podpub/lock" "the refusal names the lock" &&
        must_say "$ERR" "ci-runner-7" "the refusal says who holds the lock" &&
        ok "lock held: $(head -n 1 "$ERR")"
    # The only write attempted is the lock's conditional create, which
    # the server refused (412): the lock is taken atomically.
    writes | grep -v "^PUT /$PODPUB_TEST_S3_BUCKET/${PREFIX}\.podpub/lock 412\$" \
        >"$WORK/writes.other"
    if [ -s "$WORK/writes.other" ]; then
        bad "a lock held: podpub wrote to the server: $(head -n 5 "$WORK/writes.other" | tr '\n' ';')"
    elif writes | grep -q "lock 412\$"; then
        ok "a lock held: one conditional create of the lock (412), nothing else written"
    else
        bad "a lock held: podpub did not try to create the lock with If-None-Match"
    fi
    [ "$(cat "$(remote_path .podpub/lock)")" = "$lock" ] ||
        bad "the held lock was changed or removed"
fi
mark
if pp 0 "a lock 60 s old, --lock-stale 30" publish --lock-stale 30 --target "$URL"; then
    must_say "$ERR" "warning:.*stale lock" "taking over a stale lock warns" &&
        ok "stale lock: $(grep 'warning' "$ERR" | head -n 1)"
    log_since "$LOG" | grep -q "^PUT /$PODPUB_TEST_S3_BUCKET/${PREFIX}feed\.xml 200" ||
        bad "after taking over the lock the feed was not published"
    remote_has .podpub/lock && bad "the lock taken over is still there after the publish"
fi

pub_finish
