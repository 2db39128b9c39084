#!/bin/sh
# test_publish_webdav.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish to WebDAV (tests/servers/webdav.sh: nginx, basic auth; a
# read-only "CDN" port serves the same folder), on a copy of the example
# show:
#   - first publish: exit 0; every public file byte-identical on the
#     server's disk and over the CDN port; the manifest right; no lock
#   - re-publish with nothing changed: exit 0, no PUT, MOVE, DELETE or
#     MKCOL in nginx's access log
#   - one episode added: PUTs of exactly its audio, index.html, the
#     manifest and the feed (to .feed.xml.podpub-TOKEN.tmp, then MOVE)
#   - an episode removed, --allow-removal --prune: its audio deleted from
#     the target and the manifest, everything else intact; a file of the
#     same name in the folder above the target (a decoy) untouched
#   - a wrong password: exit 3, a message naming the 401, no password in
#     the output
set -u
me=test_publish_webdav
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

srv_start webdav "$WORK/srv/dav"
. "$WORK/srv/dav/env"

target_flow webdav

echo "== webdav: a wrong password"
mark
PODPUB_PASSWORD=wrong-Pw-7731x \
    pp 3 "webdav wrong password" publish --target "$URL" &&
    must_say "$ERR" "401" "webdav wrong password" &&
    must_say "$ERR" "127\.0\.0\.1" "webdav wrong password names the target" &&
    ok "webdav wrong password: $(head -n 1 "$ERR")"
no_secret "webdav wrong password" wrong-Pw-7731x "$PODPUB_PASSWORD" \
    "$(printf '%s' "$PODPUB_USER:wrong-Pw-7731x" | base64)"
writes >"$WORK/writes"
[ -s "$WORK/writes" ] && bad "webdav wrong password: requests other than reads: $(head -n 3 "$WORK/writes" | tr '\n' ';')"

pub_finish
