#!/bin/sh
# test_publish_sftp.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish over SFTP (tests/servers/sftp.sh: OpenSSH's sshd, key
# authentication, its own host key in PODPUB_KNOWN_HOSTS), on a copy of
# the example show, in the folder show/ under the server's root:
#   - first publish: exit 0; every public file byte-identical in the
#     server's folder; the manifest right; no lock left
#   - re-publish with nothing changed: exit 0, no remote file written
#     (inode, mtime and size of every file unchanged)
#   - one episode added: exactly its audio, index.html, the manifest and
#     feed.xml written (new or changed inode/mtime), nothing else
#   - an episode removed, --allow-removal --prune: its audio deleted from
#     the target and the manifest, everything else intact; a file of the
#     same name in the folder above the target (a decoy) untouched
#   - a key the server does not authorize: exit 3, a clear message
#   - PODPUB_KNOWN_HOSTS holding another key for the host: refused, exit 3,
#     the message says the host key is not the known one; nothing written
#   - no known_hosts at all (HOME without .ssh, no PODPUB_KNOWN_HOSTS, no
#     pin) or PODPUB_KNOWN_HOSTS naming a missing file: refused before
#     connecting (exit 1, no connection in sshd's log)
set -u
me=test_publish_sftp
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

srv_start sftp "$WORK/srv/sftp"
. "$WORK/srv/sftp/env"
SSHD_LOG=$WORK/srv/sftp/sshd.log
connections() { grep -c 'Connection from' "$SSHD_LOG"; }

target_flow sftp show

echo "== sftp: a key the server does not authorize"
mark
PODPUB_SSH_KEY=$WORK/srv/sftp/wrong_host_ed25519_key \
    pp 3 "sftp unauthorized key" publish --target "$URL" &&
    must_say "$ERR" "[Aa]uthentication|wrong user, password or key" "sftp unauthorized key" &&
    ok "sftp unauthorized key: $(head -n 1 "$ERR")"
no_secret "sftp unauthorized key" "$(sed -n 2p "$WORK/srv/sftp/wrong_host_ed25519_key")"
writes >"$WORK/writes"
[ -s "$WORK/writes" ] && bad "sftp unauthorized key: remote files changed"

echo "== sftp: an unknown host key (known_hosts with another key)"
# A change to publish, so that a wrongly accepted host would be written to.
printf '\nNog een zin.\n' >>"$SHOW/episodes/001-milas.md"
mark
PODPUB_KNOWN_HOSTS=$PODPUB_TEST_BAD_KNOWN_HOSTS \
    pp 3 "sftp unknown host key" publish --target "$URL" &&
    must_say "$ERR" "host key|known_hosts" "sftp unknown host key" &&
    ok "sftp unknown host key: $(head -n 1 "$ERR")"
writes >"$WORK/writes"
[ -s "$WORK/writes" ] && bad "sftp unknown host key: remote files changed: $(head -n 3 "$WORK/writes" | tr '\n' ';')"

echo "== sftp: no known_hosts at all"
mkdir -p "$WORK/emptyhome" || fail "cannot create $WORK/emptyhome"
before=$(connections)
HOME=$WORK/emptyhome PODPUB_KNOWN_HOSTS= PODPUB_SSH_HOST_KEY_SHA256= \
    pp 1 "sftp without known_hosts" publish --target "$URL" &&
    must_say "$ERR" "known.host|known_hosts" "sftp without known_hosts" &&
    ok "sftp without known_hosts: $(head -n 1 "$ERR")"
PODPUB_KNOWN_HOSTS=$WORK/emptyhome/no-such-file \
    pp 1 "sftp with PODPUB_KNOWN_HOSTS naming a missing file" publish --target "$URL"
sleep 0.3
[ "$(connections)" = "$before" ] ||
    bad "sftp without known_hosts: podpub connected to the server before refusing ($before -> $(connections) connections in sshd's log)"
ok "sftp without known_hosts: no connection was made"

pub_finish
