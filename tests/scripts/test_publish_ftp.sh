#!/bin/sh
# test_publish_ftp.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish over FTP and FTPS (explicit TLS, PODPUB_CA_FILE = the
# server's certificate) to one pure-ftpd (tests/servers/ftp.sh), each on a
# copy of the example show in its own folder (plain/, tls/):
#   - first publish: exit 0; every public file byte-identical in the
#     server's folder; the manifest right; no lock left
#   - re-publish with nothing changed: exit 0, no upload in pure-ftpd's
#     transfer log
#   - one episode added: uploads of exactly its audio, index.html, the
#     manifest and the feed (.feed.xml.podpub-TOKEN.tmp, renamed)
#   - an episode removed, --allow-removal --prune: its audio deleted from
#     the target and the manifest, everything else intact; a file of the
#     same name in the folder above the target (a decoy) untouched
#   - FTPS without the CA: exit 3 (the certificate is not trusted)
#   - a wrong password: exit 3 (pure-ftpd's 530), no password in the output
set -u
me=test_publish_ftp
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

srv_start ftp "$WORK/srv/ftp"
. "$WORK/srv/ftp/env"

target_flow ftp plain

export PODPUB_CA_FILE="$PODPUB_TEST_FTP_CA"
target_flow ftps tls

echo "== ftps: without the CA"
printf '\nNog een zin.\n' >>"$SHOW/episodes/001-milas.md"
PODPUB_CA_FILE= pp 3 "ftps without the CA" publish --target "$URL" &&
    must_say "$ERR" "[Cc]ertificate|SSL" "ftps without the CA" &&
    ok "ftps without the CA: $(head -n 1 "$ERR")"

echo "== ftp: a wrong password"
use_target ftp plain
SHOW=$WORK/ftp/show
mark
PODPUB_PASSWORD=wrong-Pw-7731x \
    pp 3 "ftp wrong password" publish --target "$URL" &&
    must_say "$ERR" "530|denied|wrong user, password" "ftp wrong password" &&
    ok "ftp wrong password: $(head -n 1 "$ERR")"
no_secret "ftp wrong password" wrong-Pw-7731x "$PODPUB_PASSWORD"

pub_finish
