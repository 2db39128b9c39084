#!/bin/sh
# test_stats_renamed.sh PODPUB SOURCE_DIR WORK_DIR
#
# A file renamed two publishes ago still counts for its episode: podpub
# publish keeps a copy of the manifest it wrote (.podpub/manifest.json)
# whose entries name each file's episode, and `podpub stats` maps the old
# URLs through it. The show (two episodes) is published to a folder,
# episode B's audio renamed and published again (--allow-guid-change: its
# audio URL changes), then renamed once more and published; a log with a
# whole download of B under each of its three names counts three.
set -u

me=test_stats_renamed
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg

AGENTS=$SRC/tests/fixtures/stats/agents
SHOW=$WORK/show
TARGET=file://$WORK/www/show/

. "$LIB/stats_show.sh"
stats_show "$SHOW" "Renamed" 2025-01-01T06:00:00Z 2025-01-01T06:00:00Z

# Publishing needs artwork, which `podpub init` leaves to the producer.
cp "$SRC/tests/fixtures/image/cover.jpg" "$SHOW/feed/cover.jpg" &&
    sed -i 's/^# *image: cover.jpg/image: cover.jpg/' "$SHOW/feed/podcast.yaml" &&
    grep -q '^image: cover.jpg' "$SHOW/feed/podcast.yaml" ||
    fail "cannot give the show its artwork"
b_md=$(cd "$SHOW/episodes" && grep -l 'Episode B' ./*.md | head -n 1)
b_md=$SHOW/episodes/${b_md#./}
audio_of() { sed -n 's/^audio: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1"; }
first=$(audio_of "$b_md")
size=$(wc -c <"$SHOW/episodes/$first" | tr -d ' ')
(cd "$SHOW" && "$PODPUB" -q publish --target "$TARGET") ||
    fail "the first publish failed"
[ -f "$SHOW/.podpub/manifest.json" ] ||
    fail "publish kept no copy of its manifest in .podpub/"
grep -q '"guid"' "$SHOW/.podpub/manifest.json" ||
    fail "the manifest names no file's episode (guid)"

for new in b-second-name.mp3 b-third-name.mp3; do
    old=$(audio_of "$b_md")
    mv "$SHOW/episodes/$old" "$SHOW/episodes/$new" &&
        sed -i "s/^audio: .*/audio: $new/" "$b_md" ||
        fail "cannot rename $old"
    (cd "$SHOW" && "$PODPUB" -q publish --allow-guid-change \
        --target "$TARGET") || fail "the publish after renaming to $new failed"
done
ok "B published as $first, b-second-name.mp3, b-third-name.mp3"

# One whole download of B under each name, a day apart (nginx combined).
for n in 1 2 3; do
    case $n in 1) f=$first ;; 2) f=b-second-name.mp3 ;; 3) f=b-third-name.mp3 ;; esac
    printf '10.0.0.%d - - [0%d/Feb/2025:07:00:00 +0000] "GET /show/%s HTTP/1.1" 200 %s "-" "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"\n' \
        "$n" "$n" "$f" "$size"
done >"$WORK/access.log"
(cd "$SHOW" && "$PODPUB" stats --no-state --json --agents "$AGENTS" \
    "$WORK/access.log") >"$WORK/out.json" 2>"$WORK/err" || {
    dump "$WORK/err" stderr
    fail "podpub stats failed"
}
got=$("$PY" - "$WORK/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["episodes"]:
    if e["title"] == "Episode B":
        print(e["downloads"])
EOF
)
[ "$got" = 3 ] || {
    dump "$WORK/out.json" json
    fail "Episode B counts $got downloads, want 3 (one per file name)"
}
ok "Episode B: 3 downloads, one under each of its three file names"
echo "$me: all checks passed"
