#!/bin/sh
# test_publish_file.sh PODPUB SOURCE_DIR WORK_DIR
#
# podpub publish to a folder (file:///WORK/www/show/), on a copy of the
# example show:
#   - first publish: exit 0; feed.xml, index.html, cover.jpg, every
#     episode's audio and transcript byte-identical to the local files;
#     the manifest lists each with its size and SHA-256; no lock left
#   - re-publish with nothing changed: exit 0, "nothing to publish", no
#     file on the target written (inode, mtime and size of every file)
#   - one episode added: exactly its audio, index.html, the manifest and
#     feed.xml written, nothing else
#   - an episode removed, --allow-removal --prune: its audio deleted from
#     the target and the manifest, everything else intact; a file of the
#     same name in the folder above the target (a decoy) untouched
#   - a target that is not a folder URL (no trailing '/') is a usage error
set -u
me=test_publish_file
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

target_flow file

echo "== file: a target without a trailing '/'"
pp 2 "file target without '/'" publish --target "file://$WORK/www/other" &&
    must_say "$ERR" "must end with '/'" "file target without '/'"

pub_finish
