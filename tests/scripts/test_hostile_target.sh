#!/bin/sh
# test_hostile_target.sh PODPUB SOURCE_DIR WORK_DIR
#
# What a target shared with others, a racing second publisher, or a
# careless URL can do, and what podpub does about it:
#   - a folder target whose .podpub/ or feed.xml is a planted symlink to a
#     file outside: nothing written through it (exit 3), the victim kept;
#   - leftovers of a publish killed mid-way (.NAME.podpub-<hex>.tmp) older
#     than --lock-stale are removed by the next publish, newer ones kept;
#   - two publishes started together through a slow link, to S3 and to
#     WebDAV (atomic locks): in each of three rounds exactly one wins, the
#     other exits 1 naming the lock;
#   - a lock dated two hours in the future is taken over (--lock-stale
#     3600) with a warning; a lock holding an escape sequence is shown
#     escaped and not taken over;
#   - a password in a WebDAV URL with -v -v: a warning, and the password
#     in no line of output (nor the Destination header of the MOVE);
#   - http://127.0.0.1.evil.example/ and http://localhostevil.example/ are
#     not loopback: refused without --insecure-http (exit 2);
#   - a 300,000-entry manifest (45 MB) is refused by the documented limit,
#     at once; a 90,000-entry one is read;
#   - a feed_url whose path climbs out of base_url ("../") is refused
#     (exit 1) naming feed_url, nothing written.
set -u
me=test_hostile_target
. "$(dirname "$0")/lib/publish.sh"
. "$(dirname "$0")/lib/hostile.sh"
pub_init "$@"

echo "== a folder target with planted symlinks"
use_target file
SHOW=$WORK/show
make_show "$SHOW"
pp 0 "first publish" publish --target "$URL" || pub_finish
VICTIM_DIR=$WORK/victim-dir
mkdir -p "$VICTIM_DIR"
printf '%s\n' "$VICTIM_TEXT" >"$VICTIM_DIR/manifest.json"
printf '%s\n' "$VICTIM_TEXT" >"$WORK/victim-feed"
cp -a "$REMOTE_ROOT/.podpub" "$WORK/podpub.saved"
rm -rf "$REMOTE_ROOT/.podpub" && ln -s "$VICTIM_DIR" "$REMOTE_ROOT/.podpub"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
if pp 3 ".podpub/ -> a folder outside" publish --target "$URL"; then
    must_say "$ERR" "symlink" "the refusal says why" &&
        ok ".podpub/ symlink: $(grep podpub: "$ERR" | head -n 1 | cut -c1-150)"
fi
[ "$(cat "$VICTIM_DIR/manifest.json")" = "$VICTIM_TEXT" ] &&
    [ "$(ls "$VICTIM_DIR")" = manifest.json ] ||
    bad ".podpub/ symlink: the folder outside was written to"
rm "$REMOTE_ROOT/.podpub" && cp -a "$WORK/podpub.saved" "$REMOTE_ROOT/.podpub"
mv "$REMOTE_ROOT/feed.xml" "$WORK/feed.saved"
ln -s "$WORK/victim-feed" "$REMOTE_ROOT/feed.xml"
pp 3 "feed.xml -> a file outside" publish --target "$URL"
[ "$(cat "$WORK/victim-feed")" = "$VICTIM_TEXT" ] ||
    bad "feed.xml symlink: the file outside was written through"
rm "$REMOTE_ROOT/feed.xml" && mv "$WORK/feed.saved" "$REMOTE_ROOT/feed.xml"

echo "== leftovers of a killed publish"
old=$REMOTE_ROOT/.001-milas.mp3.podpub-0123456789abcdef.tmp
new=$REMOTE_ROOT/.podpub/.manifest.json.podpub-fedcba9876543210.tmp
echo partial >"$old"
echo partial >"$new"
touch -d '2 hours ago' "$old"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
if pp 0 "a publish after a killed one" publish --target "$URL"; then
    [ -e "$old" ] && bad "a temporary file 2 hours old is still there"
    [ -e "$new" ] || bad "a fresh temporary file (maybe another publish's) was removed"
    must_say "$ERR" "removed 1 temporary file" "the cleanup is reported" &&
        ok "leftovers: $(grep 'temporary' "$ERR" | head -n 1)"
fi
rm -f "$new"

echo "== a lock dated in the future, a lock with an escape sequence"
printf 'owner=elsewhere:1 time=%s token=00112233445566aa\n' \
    "$(($(date +%s) + 7200))" >"$REMOTE_ROOT/.podpub/lock"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
if pp 0 "a lock dated 2 hours ahead" publish --lock-stale 3600 --target "$URL"; then
    must_say "$ERR" "stale lock.*dated in the future" "taken over with a warning" &&
        ok "future lock: $(grep 'stale lock' "$ERR" | head -n 1)"
    check_no_lock "future lock"
fi
printf 'owner=\033]0;pwned\007\033[2Jx:1 time=1\n' >"$REMOTE_ROOT/.podpub/lock"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
if pp 1 "a lock with an escape sequence" publish --target "$URL"; then
    must_say "$ERR" 'did not write \("owner=\\x1b\]0;pwned\\x07' "the lock is shown escaped"
    raw_controls "$ERR" && bad "the lock's escape sequence reached stderr raw"
    [ -f "$REMOTE_ROOT/.podpub/lock" ] || bad "a lock podpub did not write was removed"
fi
rm -f "$REMOTE_ROOT/.podpub/lock"

echo "== a feed_url that climbs out of base_url"
cp "$SHOW/feed/podcast.yaml" "$WORK/podcast.yaml.saved"
sed -i 's#^feed_url: .*##' "$SHOW/feed/podcast.yaml"
echo "feed_url: ${BASE_URL}../other-show/feed.xml" >>"$SHOW/feed/podcast.yaml"
mark
if pp 1 "feed_url with ../" publish --target "$URL"; then
    must_say "$ERR" "feed_url: .*cannot be published" "the refusal names feed_url"
    writes >"$WORK/writes"
    [ -s "$WORK/writes" ] && bad "feed_url with ../: something was written"
    [ -e "$(dirname "$REMOTE_ROOT")/other-show/feed.xml" ] &&
        bad "feed_url with ../: a feed was written outside the target"
fi
cp "$WORK/podcast.yaml.saved" "$SHOW/feed/podcast.yaml"

echo "== large manifests"
"$PY" - "$WORK/m300k.json" 300000 "$WORK/m90k.json" 90000 <<'PYEOF'
import json, sys
for out, n in ((sys.argv[1], int(sys.argv[2])), (sys.argv[3], int(sys.argv[4]))):
    with open(out, "w") as f:
        f.write('{"version": 1, "files": {')
        f.write(",\n".join('"old/%06d-episode.mp3": {"size": %d, "sha256": "%064x", '
                           '"uploaded_at": "2025-01-01T00:00:00Z"}' % (i, i, i)
                           for i in range(n)))
        f.write("}}\n")
PYEOF
cp "$WORK/m300k.json" "$REMOTE_ROOT/.podpub/manifest.json"
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
if pp 3 "a 300,000-entry manifest ($(($(wc -c <"$WORK/m300k.json") / 1048576)) MB)" \
        publish --target "$URL"; then
    must_say "$ERR" "larger than podpub reads|too large" "refused by the limit" &&
        ok "300,000 entries refused in $secs s: $(head -n 1 "$ERR" | cut -c1-140)"
fi
cp "$WORK/m90k.json" "$REMOTE_ROOT/.podpub/manifest.json"
pp 0 "a 90,000-entry manifest ($(($(wc -c <"$WORK/m90k.json") / 1048576)) MB)" \
    publish --target "$URL" && ok "90,000 entries read and published in $secs s"

echo "== loopback means loopback"
for host in 127.0.0.1.evil.example localhostevil.example 127.0.0.1@evil.example; do
    if pp 2 "http://$host/ without --insecure-http" publish --target "http://$host/show/"; then
        must_say "$ERR" "plain http" "http://$host/ is refused as plain http"
    fi
done

echo "== a password in a WebDAV URL, -v -v"
srv_start webdav "$WORK/srv/dav"
. "$WORK/srv/dav/env"
use_target webdav
pw=$PODPUB_PASSWORD user=$PODPUB_USER
unset PODPUB_USER PODPUB_PASSWORD
hostpath=${URL#http://}
SHOW=$WORK/davshow
make_show "$SHOW"
if pp 0 "user:password in the URL, -v -v" -v -v publish --target "http://$user:$pw@$hostpath"; then
    must_say "$ERR" "warning: .*holds a password" "a warning about the password"
    grep -q '^> Destination:' "$ERR" || bad "-v -v: no Destination header in the trace"
    if grep -F -- "$pw" "$OUT" "$ERR" >/dev/null; then
        bad "the password from the URL is in the output: $(grep -F -- "$pw" "$ERR" | head -n 2 | sed "s/$pw/<PW>/g" | tr '\n' ';')"
    else
        ok "the password from the URL is in none of $(wc -l <"$ERR") lines of output"
    fi
fi
export PODPUB_USER="$user" PODPUB_PASSWORD="$pw"

echo "== two publishes at once, through a slow link"
srv_start s3 "$WORK/srv/s3"
. "$WORK/srv/s3/env"
s3port=${AWS_ENDPOINT_URL##*:}
davport=${PODPUB_TEST_DAV_URL#http://127.0.0.1:}
davport=${davport%%/*}

# race KIND URL ENDPOINT: three rounds of two publishes started together.
race() {
    _kind=$1 _url=$2 _ep=$3
    for _round in 1 2 3; do
        for s in a b; do
            [ -d "$WORK/race-$_kind-$s" ] || make_show "$WORK/race-$_kind-$s"
            add_episode "$WORK/race-$_kind-$s" "$((10 + _round))" "$s$_round" \
                "Ronde $_round $s" 440 60 >/dev/null
        done
        AWS_ENDPOINT_URL=$_ep timeout 120 "$PODPUB" -C "$WORK/race-$_kind-a" \
            publish --allow-removal --target "$_url" >"$WORK/ra.out" 2>"$WORK/ra.err" &
        pa=$!
        AWS_ENDPOINT_URL=$_ep timeout 120 "$PODPUB" -C "$WORK/race-$_kind-b" \
            publish --allow-removal --target "$_url" >"$WORK/rb.out" 2>"$WORK/rb.err" &
        pb=$!
        wait $pa
        ra=$?
        wait $pb
        rb=$?
        if { [ $ra = 0 ] && [ $rb = 1 ] && grep -q 'published by someone else' "$WORK/rb.err"; } ||
           { [ $rb = 0 ] && [ $ra = 1 ] && grep -q 'published by someone else' "$WORK/ra.err"; }; then
            ok "$_kind round $_round: exactly one publish won (exits $ra and $rb)"
        else
            dump "$WORK/ra.err" a
            dump "$WORK/rb.err" b
            bad "$_kind round $_round: exits $ra and $rb, expected one 0 and one 1 (lock held)"
        fi
    done
}

flaky_start "$WORK/relay-s3" --proxy "127.0.0.1:$s3port" --rate 100000
race s3 "s3://$PODPUB_TEST_S3_BUCKET/race/" "http://127.0.0.1:$FLAKY_PORT"
flaky_stop "$WORK/relay-s3"
flaky_start "$WORK/relay-dav" --proxy "127.0.0.1:$davport" --rate 100000
race webdav "http://127.0.0.1:$FLAKY_PORT/show/race/" "$AWS_ENDPOINT_URL"

pub_finish
