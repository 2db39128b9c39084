#!/bin/sh
# test_publish_s3.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish to S3 (tests/servers/s3.sh: s3rver with SigV4, path-style,
# a request log), on a copy of the example show, prefix show/:
#   - first publish: exit 0; feed.xml, index.html, cover.jpg, audio and
#     transcripts byte-identical on the server's disk and read back with an
#     anonymous GET (the public's view); the manifest right; no lock left
#   - re-publish with nothing changed: exit 0, zero PUT/DELETE requests in
#     the request log (two GETs: the manifest and the feed)
#   - one episode added: PUTs of exactly its audio, index.html, the
#     manifest and feed.xml (and the lock)
#   - an episode removed, --allow-removal --prune: its audio deleted from
#     the target and the manifest, everything else intact; a file of the
#     same name in the folder above the target (a decoy) untouched
#   - a wrong secret: exit 3, a message naming the 403 and the target,
#     neither the wrong nor the right secret in the output
set -u
me=test_publish_s3
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

srv_start s3 "$WORK/srv/s3"
. "$WORK/srv/s3/env"

target_flow s3

echo "== s3: a wrong secret"
mark
AWS_SECRET_ACCESS_KEY=wrong-secret-Kx81/zz9 \
    pp 3 "s3 wrong secret" publish --target "$URL" &&
    must_say "$ERR" "403.*(SignatureDoesNotMatch|credentials)" "s3 wrong secret" &&
    must_say "$ERR" "s3://$PODPUB_TEST_S3_BUCKET/" "s3 wrong secret names the target" &&
    ok "s3 wrong secret: $(head -n 1 "$ERR")"
no_secret "s3 wrong secret" wrong-secret-Kx81/zz9 "$AWS_SECRET_ACCESS_KEY"
writes >"$WORK/writes"
[ -s "$WORK/writes" ] && bad "s3 wrong secret: requests other than reads: $(head -n 3 "$WORK/writes" | tr '\n' ';')"

pub_finish
