#!/bin/sh
# test_alternates.sh PODPUB SOURCE_DIR WORK_DIR
#
# "alternates:" in feed/podcast.yaml (issue 19): the example show with
# Opus 24k and AAC 48k alternates.
#   - the build transcodes every live episode into public/alt/ (kept in
#     .podpub/alt/), and the files decode, with durations within 0.05 s
#     of their source's (both decoded by ffmpeg);
#   - the feed's podcast:alternateEnclosure, read back by podcast-partytime
#     (tests/partytime, pinned), names each file with its exact length and
#     the SRI sha256 of its bytes (recomputed here with python's hashlib),
#     and the main enclosures are those of the show without alternates;
#   - a warm build transcodes nothing and writes the same feed, and a
#     build with --out elsewhere takes the transcodes from .podpub/alt/;
#   - publish to a folder uploads the alternates like the audio;
#   - the settings are checked: an unknown codec or bit rate is refused
#     at its line.
set -u

me=test_alternates
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg node

PT=$SRC/tests/partytime
[ -d "$PT/node_modules/podcast-partytime" ] ||
    fail "podcast-partytime is not installed in $PT (scripts/setup test runs npm ci there)"

S=$WORK/show
make_show "$S"
"$PODPUB" -C "$S" build >/dev/null 2>&1 || fail "the example show does not build"
cp "$S/public/feed.xml" "$WORK/plain.xml"
printf 'alternates: [{codec: opus, bitrate: 24k}, {codec: aac, bitrate: 48k}]\n' \
    >>"$S/feed/podcast.yaml"

# ---- cold build: everything transcoded
"$PODPUB" -v -C "$S" build >"$WORK/cold.out" 2>"$WORK/cold.err" ||
    { cat "$WORK/cold.err" >&2; fail "the build with alternates failed"; }
grep -q '^alternates: 8 transcoded$' "$WORK/cold.err" ||
    fail "the cold build did not transcode 4 episodes x 2: $(grep alternates "$WORK/cold.err")"
ok "cold build: 8 alternates transcoded"

# decoded_s FILE: its duration as ffmpeg decodes it, in seconds.
decoded_s() {
    ffmpeg -nostdin -hide_banner -i "$1" -f null - 2>&1 | tr '\r' '\n' |
        sed -n 's/.*time=\([0-9:.]*\).*/\1/p' | tail -n 1 |
        awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }'
}

for ep in 000-trailer.mp3 001-milas.mp3 002-dennis.m4a 003-lumens.m4a; do
    name=${ep%.*}
    src=$(decoded_s "$S/episodes/$ep")
    for alt in "$name-24k.opus" "$name-48k.m4a"; do
        f=$S/public/alt/$alt
        [ -s "$f" ] || fail "public/alt/$alt missing"
        ffmpeg -nostdin -v error -i "$f" -f null - 2>"$WORK/dec.err" ||
            fail "public/alt/$alt does not decode: $(cat "$WORK/dec.err")"
        [ ! -s "$WORK/dec.err" ] ||
            fail "decoding public/alt/$alt reported errors: $(head -3 "$WORK/dec.err")"
        got=$(decoded_s "$f")
        awk -v a="$src" -v b="$got" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }' ||
            fail "public/alt/$alt lasts $got s, its source $src s"
    done
    note "$ep: $src s; opus and aac within 0.05 s"
done
ok "every alternate decodes, durations within 0.05 s of the source"

# ---- the feed read back by podcast-partytime
node "$PT/read_alternates.mjs" "$S/public/feed.xml" >"$WORK/pt.jsonl" ||
    fail "podcast-partytime cannot read the feed"
node "$PT/read_alternates.mjs" "$WORK/plain.xml" >"$WORK/pt-plain.jsonl" ||
    fail "podcast-partytime cannot read the feed without alternates"
"$PY" - "$S" "$WORK/pt.jsonl" "$WORK/pt-plain.jsonl" <<'PYEOF' || fail "the alternateEnclosures read back wrong (above)"
import base64, hashlib, json, os, sys
show, got, plain = sys.argv[1:4]
base = "https://media.example.org/voorbij-het-rode-licht/"
items = [json.loads(l) for l in open(got)]
before = {i["guid"]: i["enclosure"] for i in map(json.loads, open(plain))}
bad = 0
for it in items:
    if it["enclosure"] != before[it["guid"]]:
        print("enclosure changed:", it["enclosure"], before[it["guid"]]); bad += 1
    alts = it["alternates"]
    if [a["type"] for a in alts] != ["audio/opus", "audio/x-m4a"]:
        print(it["guid"], "alternates:", alts); bad += 1
        continue
    for a in alts:
        uri = a["uri"][0]
        if not uri.startswith(base + "alt/"):
            print("uri", uri); bad += 1; continue
        path = os.path.join(show, "public", uri[len(base):])
        data = open(path, "rb").read()
        sri = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        if a["length"] != len(data):
            print(uri, "length", a["length"], "file", len(data)); bad += 1
        if a["integrity"] != {"type": "sri", "value": sri}:
            print(uri, "integrity", a["integrity"], "want", sri); bad += 1
        if not a["title"] or not a["bitrate"]:
            print(uri, "title/bitrate", a); bad += 1
print("  %d items, %d alternates read back" % (len(items), sum(len(i["alternates"]) for i in items)))
sys.exit(1 if bad or len(items) != 4 else 0)
PYEOF
ok "podcast-partytime reads 8 alternateEnclosures: lengths and sha256 match the files; enclosures unchanged"

# ---- warm builds: nothing encoded again
cp "$S/public/feed.xml" "$WORK/cold.xml"
"$PODPUB" -v -C "$S" build >/dev/null 2>"$WORK/warm.err" || fail "warm build failed"
grep -q '^alternates: 0 transcoded$' "$WORK/warm.err" ||
    fail "the warm build transcoded again: $(grep alternates "$WORK/warm.err")"
grep -q '^probe: 0 audio files opened, 4 results from the cache$' "$WORK/warm.err" ||
    fail "the warm build probed the episodes again: $(grep probe: "$WORK/warm.err")"
cmp -s "$WORK/cold.xml" "$S/public/feed.xml" || fail "the warm build wrote another feed"
rm -rf "$S/public"
"$PODPUB" -v -C "$S" build --out elsewhere >/dev/null 2>"$WORK/out.err" ||
    fail "build --out elsewhere failed"
grep -q '^alternates: 0 transcoded$' "$WORK/out.err" ||
    fail "a build into another folder transcoded again"
[ -s "$S/elsewhere/alt/001-milas-24k.opus" ] || fail "--out elsewhere: no alt/ there"
ok "warm builds (same folder, then --out elsewhere) transcode and probe nothing; same feed"

# ---- publish uploads them like media
"$PODPUB" -C "$S" build >/dev/null 2>&1 || fail "rebuild failed"
mkdir -p "$WORK/target"
"$PODPUB" -C "$S" publish --target "file://$WORK/target/" >"$WORK/pub.out" 2>&1 ||
    { cat "$WORK/pub.out" >&2; fail "publish to a folder failed"; }
for f in 000-trailer-24k.opus 003-lumens-48k.m4a; do
    cmp -s "$S/public/alt/$f" "$WORK/target/alt/$f" ||
        fail "publish did not upload alt/$f"
done
ok "publish uploads public/alt/ with the media"

# ---- settings checked at their line
printf 'alternates: [{codec: mp2, bitrate: 24k}, {codec: opus, bitrate: 2k}]\n' >"$WORK/alt.yaml"
sed '/^alternates:/d' "$S/feed/podcast.yaml" >"$WORK/base.yaml"
cat "$WORK/base.yaml" "$WORK/alt.yaml" >"$S/feed/podcast.yaml"
"$PODPUB" -C "$S" build >/dev/null 2>"$WORK/bad.err" && fail "a bad alternates: was accepted"
grep -q 'alternates.codec: "mp2" is not opus or aac' "$WORK/bad.err" ||
    fail "no error for codec mp2: $(cat "$WORK/bad.err")"
grep -q 'alternates.bitrate: "2k" is not a bit rate from 6k to 320k' "$WORK/bad.err" ||
    fail "no error for bit rate 2k: $(cat "$WORK/bad.err")"
ok "an unknown codec and a bit rate out of range are refused at their line"
echo "test_alternates: all passed"
