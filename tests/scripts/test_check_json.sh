#!/bin/sh
# test_check_json.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub check --json` prints exactly one JSON document whatever stops
# the check, and keeps the documented exit status; every document is read
# back with Python's json. Scenarios:
#   local show:  a podcast.yaml naming a missing cover; two episodes with
#                one audio file (input.invalid, exit 1); the example show
#                as it is (exit 0 or 1, findings only)
#   --feed:      a file that is not there (input.unreadable, exit 1), a
#                directory (input.unreadable, exit 1), a file:// URL with a
#                host (input.unreadable, exit 1), a feed that is not
#                well-formed (rss.feed.xml, exit 1), an Atom feed
#                (rss.feed.format, exit 1), a URL nothing answers on
#                (online.unreachable, exit 3), a file:// URL of a good feed
#                (exit 0)
# and nothing but the document on stdout, nothing at all on stderr.
# Then hostile feeds, each read in well under the time a quadratic parse
# would take: 100,000 attributes on one tag, 300,000 distinct element
# names, 300,000 uses of an undeclared prefix, 3,000,000 empty elements,
# 5,000,000 blank lines before the XML declaration.
set -u

me=test_check_json
. "$(dirname "$0")/lib/common.sh"
init "$@"

FAILED=
bad() { echo "$me: FAIL: $*" >&2; FAILED="$FAILED
  $*"; }

# run NAME DIR ARGS...: podpub check --json ARGS in DIR.
run() {
    name=$1
    dir=$2
    shift 2
    (cd "$dir" && TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 "$PODPUB" check --json "$@") \
        >"$WORK/$name.out" 2>"$WORK/$name.err"
    RC=$?
}

# expect NAME RC IDS: one JSON document whose findings' rule ids are
# exactly IDS (space-separated, sorted, each once), exit status RC.
expect() {
    if ! "$PY" - "$WORK/$1.out" "$3" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
doc = json.loads(text)             # one document: trailing data fails
assert isinstance(doc, list), "not a list"
ids = sorted(set(f["id"] for f in doc))
want = sorted(sys.argv[2].split())
for f in doc:
    assert f["severity"] in ("error", "warning") and f["message"], f
    assert ("file" in f and isinstance(f["line"], int) and
            isinstance(f["column"], int)) or "url" in f, f
if want != ["*"]:
    assert ids == want, "rule ids %s, want %s" % (ids, want)
EOF
    then
        dump "$WORK/$1.out" "$1 stdout"
        bad "($1) stdout is not one JSON document with [$3]"
    elif [ "$RC" -ne "$2" ]; then
        bad "($1) exit $RC, want $2"
    elif [ -s "$WORK/$1.err" ]; then
        dump "$WORK/$1.err" "$1 stderr"
        bad "($1) wrote to stderr"
    else
        note "ok: ($1) exit $RC, [$3]"
    fi
}

# --- a local show ------------------------------------------------------
make_show "$WORK/cover"
sed -i 's/^image: .*/image: no-such-cover.jpg/' "$WORK/cover/feed/podcast.yaml"
grep -q '^image: no-such-cover.jpg' "$WORK/cover/feed/podcast.yaml" ||
    fail "the example podcast.yaml has no image: line to change"
run cover "$WORK/cover"
expect cover 1 input.invalid

make_show "$WORK/shared"
first=$(ls "$WORK/shared/episodes"/*.md | head -n 1)
second=$(ls "$WORK/shared/episodes"/*.md | sed -n 2p)
audio=$(sed -n 's/^audio: *//p' "$first")
sed -i "s|^audio: .*|audio: $audio|" "$second"
run shared "$WORK/shared"
expect shared 1 input.invalid

make_show "$WORK/example"
run example "$WORK/example"
case $RC in
0|1) expect example $RC '*' ;;
*) bad "(example) exit $RC, want 0 or 1" ;;
esac

# --- --feed --------------------------------------------------------------
mkdir -p "$WORK/feeds"
run missing "$WORK/feeds" --feed not-there.xml
expect missing 1 input.unreadable
run directory "$WORK/feeds" --feed "$WORK"
expect directory 1 input.unreadable
run host "$WORK/feeds" --feed file://example.org/feed.xml
expect host 1 input.unreadable
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>\n<title>x &nbsp; y</title>\n' \
    >"$WORK/feeds/broken.xml"
run broken "$WORK/feeds" --feed broken.xml
expect broken 1 rss.feed.xml
printf '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>\n' \
    >"$WORK/feeds/atom.xml"
run atom "$WORK/feeds" --feed atom.xml
expect atom 1 rss.feed.format
# Port 9 (discard) on loopback: nothing listens there.
run unreachable "$WORK/feeds" --feed http://127.0.0.1:9/feed.xml --timeout 5
expect unreachable 3 online.unreachable
cp "$SRC/tests/fixtures/feeds/modern.xml" "$WORK/feeds/good feed.xml"
run fileurl "$WORK/feeds" --feed "file://$WORK/feeds/good%20feed.xml"
expect fileurl 0 ''

# --- hostile feeds: linear time ------------------------------------------
"$PY" - "$WORK/feeds" <<'EOF'
import sys
d = sys.argv[1]
head = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
tail = '</channel></rss>'
def w(name, body):
    with open("%s/%s" % (d, name), "w") as f:
        f.write(body)
w("attrs.xml", head + "<item " + " ".join('a%d="1"' % i
                                           for i in range(100000)) + "/>" + tail)
w("names.xml", head + "".join("<x%d/>" % i for i in range(300000)) + tail)
w("prefix.xml", head + "".join("<p:x%d/>" % i for i in range(300000)) + tail)
w("elements.xml", head + "<a/>" * 3000000 + tail)
w("blank.xml", "\n" * 5000000 + head + tail)
EOF
for f in attrs names prefix elements blank; do
    t0=$(date +%s)
    run "hostile-$f" "$WORK/feeds" --feed "$f.xml"
    secs=$(( $(date +%s) - t0 ))
    if [ $secs -gt 20 ]; then
        bad "(hostile-$f) took $secs s"
    else
        expect "hostile-$f" 1 '*'
        note "  ($secs s)"
    fi
done

if [ -n "$FAILED" ]; then
    echo "$me: FAILED:$FAILED" >&2
    exit 1
fi
echo "$me: all scenarios passed"
