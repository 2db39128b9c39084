#!/bin/sh
# test_check_feeds.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub check --feed` on the synthetic corpus (tests/fixtures/feeds/
# synthetic/, one real-world shape per feed, listed in its README.md),
# plus the two large feeds gen_large.py writes. For every feed F:
#   - `check --feed F` (run in F's folder) prints exactly F.findings,
#     whose last line is the exit status;
#   - `check --feed F --json` prints one JSON document that Python's json
#     reads: a list of findings, each with a rule id that --list-rules
#     names, its severity, a message without control characters, and F
#     with a line and column, the same findings as the text in the same
#     order, and the same exit status;
#   - `check --feed file://<absolute path of F>` prints the same findings;
#   - judge_feed.py, a reading of F independent of podpub's, finds every
#     claim of F.findings true: a false alarm fails the test.
# Then the corpus is checked for what its README promises (every feed
# opens with a "Shape:" comment, is in the README's table and has its
# findings), and a feed that cannot be had still gives one JSON document.
# With PODPUB_REBLESS=1 the .findings files are written instead of
# compared: read the differences (git diff) before committing them.
set -u

me=test_check_feeds
. "$(dirname "$0")/lib/common.sh"
init "$@"

CORPUS=$SRC/tests/fixtures/feeds/synthetic
[ -d "$CORPUS" ] || fail "no $CORPUS"
RULES=$WORK/rules.json
"$PODPUB" check --list-rules --json >"$RULES" || fail "check --list-rules --json"
GEN=$WORK/generated
mkdir -p "$GEN" && "$PY" "$CORPUS/gen_large.py" "$GEN" || fail "gen_large.py"
NOW=$(date +%s)

FAILED=
bad() { echo "$me: FAIL: $*" >&2; FAILED="$FAILED
  $*"; }

# check_json OUT.json RC_FILE [TEXT NAME]: OUT.json is one JSON document
# of findings with known rule ids and clean messages, the exit status is
# in RC_FILE; with TEXT (check --feed's output and "exit N") and NAME,
# the same findings as TEXT, in its order, at NAME.
check_json() {
    "$PY" - "$RULES" "$@" <<'EOF'
import json, re, sys
rules_path, path, rc_path = sys.argv[1:4]
text_path, name = (sys.argv[4:6] + [None, None])[:2]
with open(path, encoding="utf-8") as f:
    doc = json.load(f)          # exactly one document, or this fails
rules = {r["id"] for r in json.load(open(rules_path, encoding="utf-8"))}
assert isinstance(doc, list), "not a list"
for f in doc:
    assert f["id"] in rules, "unknown rule %r" % f["id"]
    assert f["severity"] in ("error", "warning"), f
    assert isinstance(f["message"], str) and f["message"], f
    assert not re.search(r"[\x00-\x1f\x7f]", f["message"]), f
    assert isinstance(f["line"], int) and f["line"] >= 0, f
    assert isinstance(f["column"], int) and f["column"] >= 0, f
rc = int(open(rc_path).read())
assert rc == (1 if any(f["severity"] == "error" for f in doc) else 0), \
    "exit status %d for %s" % (rc, [f["severity"] for f in doc])
if text_path:
    lines = open(text_path, encoding="utf-8").read().splitlines()
    assert lines[-1] == "exit %d" % rc, "exit status differs"
    text = lines[:-2]
    assert len(text) == len(doc), "%d findings as text, %d as JSON" % (
        len(text), len(doc))
    for l, f in zip(text, doc):
        assert f["file"] == name, f
        where = "%s:%d:%d" % (name, f["line"], max(f["column"], 1)) \
            if f["line"] > 0 else name      # as the text writes them
        assert l == "%s: %s: %s [%s]" % (
            where, f["severity"], f["message"], f["id"]), (l, f)
EOF
}

n=0
for f in "$CORPUS"/*.xml "$GEN"/*.xml; do
    n=$((n + 1))
    dir=$(dirname "$f")
    name=$(basename "$f")
    golden=$CORPUS/$name.findings
    out=$WORK/$name
    (cd "$dir" && TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 \
        "$PODPUB" check --feed "$name") >"$out.txt" 2>"$out.err"
    echo "exit $?" >>"$out.txt"
    if [ -s "$out.err" ]; then
        dump "$out.err" "$name stderr"
        bad "$name: check --feed wrote to stderr"
    fi
    if [ "${PODPUB_REBLESS:-}" = 1 ]; then
        cp "$out.txt" "$golden"
    elif [ ! -f "$golden" ]; then
        bad "$name: no $name.findings (PODPUB_REBLESS=1 writes it)"
    elif ! diff -u "$golden" "$out.txt" >"$out.diff"; then
        dump "$out.diff" "$name"
        bad "$name: the findings differ from $name.findings"
    fi
    (cd "$dir" && TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 \
        "$PODPUB" check --feed "$name" --json) >"$out.json" 2>"$out.jerr"
    echo $? >"$out.jrc"
    if ! check_json "$out.json" "$out.jrc" "$out.txt" "$name" \
            2>"$out.jcheck"; then
        dump "$out.jcheck" "$name --json"
        bad "$name: --json is not the same findings as one JSON document"
    fi
    (TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 \
        "$PODPUB" check --feed "file://$f") >"$out.url" 2>&1
    echo "exit $?" >>"$out.url"
    if ! sed "s|^$f:|$name:|" "$out.url" | diff -q - "$out.txt" >/dev/null; then
        dump "$out.url" "$name file://"
        bad "$name: check --feed file://... differs from check --feed $name"
    fi
    if ! "$PY" "$LIB/judge_feed.py" "$f" "$out.txt" "$NOW" >"$out.judged"; then
        grep -v '^right' "$out.judged" >"$out.wrong"
        dump "$out.wrong" "$name judge"
        bad "$name: judge_feed.py finds a finding that is not true of the feed"
    fi
done
[ $n -ge 50 ] || bad "only $n feeds in $CORPUS"

# What the README promises of each committed feed.
for f in "$CORPUS"/*.xml; do
    name=$(basename "$f")
    head -c 600 "$f" | grep -q '<!-- Shape: ' ||
        bad "$name: no <!-- Shape: ... --> comment at its start"
    grep -q "^| \`$name\` |" "$CORPUS/README.md" ||
        bad "$name: not in the table of $CORPUS/README.md"
done
for g in "$CORPUS"/*.findings; do
    feed=$(basename "$g" .findings)
    [ -f "$CORPUS/$feed" ] || [ -f "$GEN/$feed" ] ||
        bad "$(basename "$g"): no feed $feed (left over?)"
done

# A feed that cannot be had is a finding too, in one JSON document.
for src in "$WORK/not-there.xml" "file://$WORK/not-there.xml"; do
    "$PODPUB" check --feed "$src" --json >"$WORK/gone.json" 2>"$WORK/gone.err"
    echo $? >"$WORK/gone.rc"
    if ! check_json "$WORK/gone.json" "$WORK/gone.rc" 2>"$WORK/gone.check" ||
            [ -s "$WORK/gone.err" ] ||
            ! grep -q '"input.unreadable"' "$WORK/gone.json"; then
        dump "$WORK/gone.json" "$src"
        dump "$WORK/gone.check" "$src"
        bad "check --feed $src --json: not one document with input.unreadable"
    fi
done

if [ -n "$FAILED" ]; then
    echo "$me: FAILED:$FAILED" >&2
    exit 1
fi
echo "$me: $n feeds: findings as recorded, as JSON and through file:// URLs, all true"
