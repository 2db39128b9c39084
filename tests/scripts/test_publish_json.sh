#!/bin/sh
# test_publish_json.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub publish --json` prints one JSON object when it ends: the plan
# and its results. A first publish to a folder uploads every file; a
# second one finds them unchanged; --dry-run after a change says what it
# would upload and publishes nothing.
set -u
PODPUB=$1 SRC=$2 WORK=$3
PY=/usr/bin/python3

fail() { echo "test_publish_json: FAIL: $*" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK/show" || fail "cannot make $WORK"
cp -R "$SRC/feed" "$SRC/episodes" "$WORK/show/" || fail "cannot copy the show"
T="file://$WORK/www/"

check() {   # check WHAT EXPR: EXPR is Python on the parsed object d
    "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" \
        "$WORK/out.json" || fail "$1 (output: $(head -c 400 "$WORK/out.json"))"
}

"$PODPUB" -C "$WORK/show" publish --json --target "$T" >"$WORK/out.json" 2>"$WORK/err" ||
    fail "first publish exited $?: $(cat "$WORK/err")"
check "first publish: published, exit 0" 'd["published"] is True and d["exit"] == 0'
check "first publish: every file uploaded" \
    'all(f["plan"] == "new" and f["result"] == "uploaded" for f in d["files"])'
check "first publish: the feed is among the files" \
    'any(f["key"] == "feed.xml" for f in d["files"])'

"$PODPUB" -C "$WORK/show" publish --json --target "$T" >"$WORK/out.json" 2>"$WORK/err" ||
    fail "second publish exited $?"
check "second publish: everything unchanged" \
    'all(f["result"] == "unchanged" for f in d["files"]) and d["diff"]["new"] == 0'

sed -i 's/^summary: "Milas begon/summary: "Milas (18) begon/' \
    "$WORK/show/episodes/001-milas.md" || fail "cannot edit an episode"
"$PODPUB" -C "$WORK/show" publish --json --dry-run --target "$T" \
    >"$WORK/out.json" 2>"$WORK/err" || fail "dry run exited $?"
check "dry run: not published" 'd["published"] is False and d["dry_run"] is True'
check "dry run: the feed would be uploaded, nothing else" \
    '[f["key"] for f in d["files"] if f["result"] == "would upload"] == ["feed.xml"]'
echo "test_publish_json: ok"
