#!/bin/sh
# test_normalize.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub normalize` and `podpub add --normalize` (issue 19), on a show
# with pink noise at -30 LUFS whose peaks, raised the 14 dB it needs,
# would pass -1 dBTP (so the limiter has to work), as MP3 and as M4A:
#   - a scheduled episode is normalised: the copy beside the audio
#     (NNN-name-norm.ext) measures -16 +- 0.5 LUFS with a true peak at
#     most -1 dBTP (podpub's meter and ffmpeg's ebur128 both), in the same
#     codec, bit rate and sample rate, as long as the original within
#     0.05 s; the episode's audio: names it and nothing else in the file
#     changed (its comment neither); the original is still there; the show
#     builds with it;
#   - a second run leaves it alone (already at the show's loudness);
#   - a published episode (dated in the past) is refused, exit 1, nothing
#     written, unless --allow-audio-change;
#   - add --normalize puts a normalised copy in episodes/.
set -u

me=test_normalize
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/r128.sh"
init "$@"
need ffmpeg ffprobe

S=$WORK/show
make_show "$S"
E=$S/episodes
NOISE="anoisesrc=d=30:c=pink:a=0.115:r=44100:s=7,volume=enable='lt(mod(t,2),0.05)':volume=8"
ffmpeg -nostdin -v error -y -f lavfi -i "$NOISE" -ac 2 -b:a 128k "$E/010-quiet.mp3" &&
ffmpeg -nostdin -v error -y -f lavfi -i "$NOISE" -ac 2 -c:a aac -b:a 96k "$E/011-quiet.m4a" &&
cp "$E/010-quiet.mp3" "$E/012-old.mp3" && cp "$E/010-quiet.mp3" "$WORK/new.mp3" ||
    fail "ffmpeg cannot make the noise"

episode() {     # episode NNN-name DATE AUDIO
    cat >"$E/$1.md" <<EOT
---
title: "$1"
guid: $(cat /proc/sys/kernel/random/uuid)
date: $2
audio: $3   # the raw edit
season: 1
episode: ${1%%-*}
---
Notes.
EOT
}
episode 010-quiet 2099-01-01T06:00:00Z 010-quiet.mp3
episode 011-quiet 2099-01-08T06:00:00Z 011-quiet.m4a
episode 012-old 2020-01-01T06:00:00Z 012-old.mp3
cp "$E/010-quiet.md" "$WORK/010.before"

# probe_l FILE: "I TP" as podpub measures FILE.
probe_l() {
    "$PODPUB" probe --json "$1" | "$PY" -c '
import json, sys
l = json.load(sys.stdin)[0]["loudness"]
print(l["integrated"], l["true_peak"])'
}
# within A B TOL / at_most A B
within() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { exit !(a - b <= t && b - a <= t) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }
# stream FILE: codec, sample rate, channels and bit rate of its audio.
stream() {
    ffprobe -v error -select_streams a:0 -show_entries \
        stream=codec_name,sample_rate,channels -of csv=p=0 "$1"
}
duration() {
    ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"
}

set -- $(probe_l "$E/010-quiet.mp3")
within "$1" -30 0.5 || fail "the test noise measures $1 LUFS, not about -30"
note "the noise: $1 LUFS, true peak $2 dBTP (+14 dB would reach $(awk -v t="$2" 'BEGIN { print t + 14 }') dBTP)"

# ---- normalise the two scheduled episodes
"$PODPUB" -C "$S" normalize episodes/010-quiet.md 011-quiet >"$WORK/n.out" 2>"$WORK/n.err" ||
    { cat "$WORK/n.out" "$WORK/n.err" >&2; fail "podpub normalize failed"; }
sed 's/^/  podpub: /' "$WORK/n.out"
for pair in "010-quiet mp3" "011-quiet m4a"; do
    set -- $pair
    src=$E/$1.$2 out=$E/$1-norm.$2
    [ -s "$out" ] || fail "no $1-norm.$2"
    [ -s "$src" ] || fail "the original $1.$2 is gone"
    set -- $(probe_l "$out") $(ffmpeg_r128 "$out")
    within "$1" -16 0.5 && within "$3" -16 0.5 ||
        fail "$out: $1 LUFS (ffmpeg $3), want -16 +- 0.5"
    at_most "$2" -1 && at_most "$4" -1 ||
        fail "$out: true peak $2 dBTP (ffmpeg $4), want at most -1"
    note "$(basename "$out"): $1 LUFS, true peak $2 dBTP (ffmpeg: $3 LUFS, $4 dBTP)"
    [ "$(stream "$src")" = "$(stream "$out")" ] ||
        fail "$out: $(stream "$out"), the original $(stream "$src")"
    b_src=$("$PODPUB" probe --json --no-loudness "$src" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["bit_rate"])')
    b_out=$("$PODPUB" probe --json --no-loudness "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["bit_rate"])')
    within "$b_src" "$b_out" 1000 || fail "$out: $b_out bit/s, the original $b_src"
    within "$(duration "$src")" "$(duration "$out")" 0.05 ||
        fail "$out lasts $(duration "$out") s, the original $(duration "$src") s"
done
ok "010-quiet.mp3 and 011-quiet.m4a: -16 +- 0.5 LUFS, true peak <= -1 dBTP (podpub and ffmpeg), same codec, rate and bit rate, same duration"

grep -qx 'audio: "010-quiet-norm.mp3"   # the raw edit' "$E/010-quiet.md" ||
    fail "010-quiet.md does not name its copy: $(grep audio: "$E/010-quiet.md")"
diff "$WORK/010.before" "$E/010-quiet.md" | grep '^[<>]' | grep -v 'audio:' &&
    fail "normalize changed more than audio: in 010-quiet.md"
"$PODPUB" -C "$S" build --at 2099-02-01T00:00:00Z >/dev/null 2>"$WORK/build.err" ||
    fail "the show does not build after normalize: $(cat "$WORK/build.err")"
grep -q '010-quiet-norm.mp3' "$S/public/feed.xml" || fail "the feed does not name the copy"
grep -q '010-quiet.md.*audio\.loudness' "$WORK/build.err" &&
    fail "the normalised episode still breaks audio.loudness"
ok "the episodes name their copies (comment kept, nothing else changed); the show builds with them"

"$PODPUB" -C "$S" normalize 010-quiet >"$WORK/again.out" 2>&1 ||
    fail "normalize of a normalised episode failed: $(cat "$WORK/again.out")"
grep -q "already at the show's loudness" "$WORK/again.out" ||
    fail "a second normalize did something: $(cat "$WORK/again.out")"
[ -e "$E/010-quiet-norm2.mp3" ] && fail "a second normalize wrote another copy"
ok "a second run leaves it alone"

# ---- published: refused without --allow-audio-change
cp "$E/012-old.md" "$WORK/012.before"
"$PODPUB" -C "$S" normalize 012-old >"$WORK/old.out" 2>"$WORK/old.err"
rc=$?
[ $rc -eq 1 ] || fail "normalize of a published episode exited $rc, want 1"
grep -q 'episodes/012-old.md is published.*--allow-audio-change' "$WORK/old.err" ||
    fail "no refusal naming the flag: $(cat "$WORK/old.err")"
cmp -s "$WORK/012.before" "$E/012-old.md" || fail "the refused episode file changed"
[ -e "$E/012-old-norm.mp3" ] && fail "the refusal wrote a copy"
"$PODPUB" -C "$S" normalize --allow-audio-change 012-old >/dev/null 2>"$WORK/old2.err" ||
    fail "--allow-audio-change did not normalise: $(cat "$WORK/old2.err")"
grep -q 'audio: "012-old-norm.mp3"' "$E/012-old.md" || fail "012-old.md not pointed at its copy"
ok "a published episode is refused (exit 1, nothing written) unless --allow-audio-change"

# ---- add --normalize
"$PODPUB" -C "$S" add --normalize --title "Nieuw" --date 2099-03-01T06:00:00Z \
    "$WORK/new.mp3" >"$WORK/add.out" 2>&1 || fail "add --normalize failed: $(cat "$WORK/add.out")"
new=$(ls "$E"/*-nieuw.mp3 2>/dev/null | head -n 1)
[ -n "$new" ] || fail "add --normalize placed no audio: $(cat "$WORK/add.out")"
set -- $(probe_l "$new")
within "$1" -16 0.5 && at_most "$2" -1 || fail "$new: $1 LUFS, $2 dBTP"
cmp -s "$WORK/new.mp3" "$new" && fail "add --normalize copied the audio as it was"
ok "add --normalize places a copy at $1 LUFS, $2 dBTP"
echo "test_normalize: all passed"
