#!/bin/sh
# test_hostile_manifest.sh PODPUB SOURCE_DIR WORK_DIR
#
# A remote manifest planted by someone with write access to the target
# must never make `podpub publish --prune` delete, read or write outside
# what podpub owns. Against every real target (S3, SFTP, FTP, WebDAV, a
# folder), after a first publish and with an episode removed:
#   - a manifest with one bad key (traversal, absolute, "./live-file",
#     CR/LF (FTP command injection), NUL, backslash, percent-escaped "..",
#     a terminal escape sequence, a C1 control, podpub's own .podpub/lock)
#     is refused whole: exit 3, a message naming the entry escaped,
#     nothing written or deleted at the target, a victim file outside the
#     prefix untouched, no request outside the prefix in the server's log,
#     no raw control character in podpub's output;
#   - a valid manifest that claims the live episode's audio for another
#     episode, and a live feed whose removed item points outside the
#     prefix: --prune deletes exactly the removed episode's audio and
#     never the live episode's nor the victim.
set -u
me=test_hostile_manifest
. "$(dirname "$0")/lib/publish.sh"
. "$(dirname "$0")/lib/hostile.sh"
pub_init "$@"

# manifest_with BASE OUT KEY_JSON: BASE's manifest plus one entry whose
# key is the JSON string KEY_JSON.
manifest_with() {
    "$PY" - "$1" "$2" "$3" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
key = json.loads(sys.argv[3])
m["files"][key] = {"size": 12, "sha256": "0" * 64,
                   "uploaded_at": "2025-01-01T00:00:00Z", "guid": "planted"}
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(m, f, ensure_ascii=True)
PYEOF
}

# requests_outside: server log lines since 'mark' for a path outside the
# target's prefix (S3 and WebDAV log every request).
requests_outside() {
    case $TARGET in
        s3) log_since "$LOG" | grep -v "^[A-Z]* /$PODPUB_TEST_S3_BUCKET/$PREFIX" ;;
        webdav) wait_quiet "$LOG"; log_since "$LOG" | grep -v '"[A-Z]* /show/' ;;
        *) true ;;
    esac
}

hostile_flow() {
    use_target "$@"
    SHOW=$WORK/$TARGET/show
    make_show "$SHOW"
    echo "== $TARGET: $URL"
    pp 0 "$TARGET first publish" publish --target "$URL" || return 1
    plant_outside victim.txt
    plant_outside feed.xml
    cp "$(remote_path .podpub/manifest.json)" "$WORK/manifest.base" ||
        fail "$TARGET: no manifest after the first publish"
    rm -f "$SHOW/episodes/003-lumens.md" "$SHOW/episodes/003-lumens.m4a"

    up=".."
    [ "$TARGET" = s3 ] && up="../other-show"
    for case in \
        "traversal|\"$up/../outside/victim.txt\"" \
        "traversal-sibling|\"../other-show/feed.xml\"" \
        "absolute|\"/etc/passwd\"" \
        "absolute-bucket|\"/$PODPUB_TEST_S3_BUCKET/other-show/feed.xml\"" \
        "dot-live-file|\"./001-milas.mp3\"" \
        "crlf|\"x\\r\\nDELE victim.txt\"" \
        "nul|\"001-milas.mp3\\u0000.txt\"" \
        "backslash|\"..\\\\..\\\\outside\\\\victim.txt\"" \
        "percent|\"%2e%2e/%2e%2e/outside/victim.txt\"" \
        "escape|\"\\u001b]0;pwned\\u0007\\u001b[2Jx.mp3\"" \
        "c1|\"\\u009b31mred.mp3\"" \
        "reserved|\".podpub/lock\""; do
        name=${case%%|*}
        key=${case#*|}
        manifest_with "$WORK/manifest.base" "$WORK/manifest.bad" "$key" ||
            fail "cannot make the $name manifest"
        plant .podpub/manifest.json "$WORK/manifest.bad"
        mark
        if pp 3 "$TARGET manifest key $name" publish --allow-removal --prune \
                --target "$URL"; then
            must_say "$ERR" "refusing the manifest" "$TARGET $name: the refusal"
            raw_controls "$ERR" && bad "$TARGET $name: raw control characters in stderr"
            raw_controls "$OUT" && bad "$TARGET $name: raw control characters in stdout"
            writes >"$WORK/writes"
            [ -s "$WORK/writes" ] &&
                bad "$TARGET $name: podpub wrote to the target: $(head -n 3 "$WORK/writes" | tr '\n' ';')"
            requests_outside >"$WORK/outside"
            [ -s "$WORK/outside" ] &&
                bad "$TARGET $name: requests outside the prefix: $(head -n 3 "$WORK/outside" | tr '\n' ';')"
            outside_intact victim.txt && outside_intact feed.xml ||
                bad "$TARGET $name: a file outside the target was changed or deleted"
            for k in 001-milas.mp3 003-lumens.m4a feed.xml; do
                remote_has "$k" || bad "$TARGET $name: $k was deleted"
            done
            ok "$TARGET $name: $(grep 'refusing' "$ERR" | head -n 1 | cut -c1-150)"
        fi
    done

    echo "== $TARGET: a valid manifest that lies, a live feed that points out"
    "$PY" - "$WORK/manifest.base" "$WORK/manifest.lie" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
# The live episode's audio claimed by an episode that is gone.
m["files"]["001-milas.mp3"]["guid"] = "gone-episode"
m["files"]["not-podpubs.mp3"] = {"size": 1, "sha256": "1" * 64,
                                 "uploaded_at": "", "guid": "gone-episode"}
json.dump(m, open(sys.argv[2], "w", encoding="utf-8"))
PYEOF
    plant .podpub/manifest.json "$WORK/manifest.lie"
    # The live feed gains an item whose enclosure leaves the prefix.
    sed "s#</channel>#<item><title>x</title><guid isPermaLink=\"false\">gone-2</guid><enclosure url=\"${BASE_URL}..%2F$up%2Fvictim.txt\" length=\"1\" type=\"audio/mpeg\"/></item></channel>#" \
        "$(remote_path feed.xml)" >"$WORK/feed.planted"
    plant feed.xml "$WORK/feed.planted"
    mark
    if pp 0 "$TARGET lying manifest, --prune" publish --allow-removal \
            --allow-guid-change --prune --target "$URL"; then
        remote_has 001-milas.mp3 ||
            bad "$TARGET: --prune deleted the live episode's audio (claimed by a gone guid)"
        remote_has 003-lumens.m4a &&
            bad "$TARGET: --prune left the removed episode's audio"
        outside_intact victim.txt && outside_intact feed.xml ||
            bad "$TARGET: --prune touched a file outside the target"
        requests_outside >"$WORK/outside"
        [ -s "$WORK/outside" ] &&
            bad "$TARGET: requests outside the prefix: $(head -n 3 "$WORK/outside" | tr '\n' ';')"
        check_no_lock "$TARGET lying manifest"
        ok "$TARGET: --prune removed only 003-lumens.m4a (and the unknown key), the live audio and the victims stay"
    fi
}

srv_start s3 "$WORK/srv/s3"
srv_start sftp "$WORK/srv/sftp"
srv_start webdav "$WORK/srv/dav"
srv_start ftp "$WORK/srv/ftp"
for s in s3 sftp dav ftp; do . "$WORK/srv/$s/env"; done

hostile_flow file
hostile_flow s3 show
hostile_flow webdav
hostile_flow sftp hostile
hostile_flow ftp hostile

pub_finish
