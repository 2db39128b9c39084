#!/bin/sh
# test_chapters.sh PODPUB SOURCE_DIR WORK_DIR
#
# Chapters, on a copy of the example show whose audio is replaced by files
# made here with ffmpeg and an ffmetadata file (-map_chapters):
#   - embedded chapters, ID3v2 CHAP in 001-milas.mp3 and MP4 chapters in
#     002-dennis.m4a (titles with non-ASCII, quotes and &):
#     `podpub probe --json` lists them (start_ms, title); the build writes
#     public/chapters/<episode>.json (Podcast Index 1.2.0, read back with
#     Python's json: startTime and title of each) and the item gets
#     <podcast:chapters url="BASE_URL/chapters/<episode>.json"
#     type="application/json+chapters"/>; episodes without chapters get
#     neither
#   - a front matter list ("MM:SS Title", quoted and plain, a fraction of
#     a second, H:MM:SS) replaces the audio's chapters
#   - `chapters: FILE.json` (Podcast Index JSON, with a url) replaces the
#     audio's chapters; url is kept
#   - errors, each alone: times not ascending, a start past the end of the
#     audio, a malformed time "1:2 Intro", a JSON file with a chapter
#     without startTime: exit 1, "FILE:LINE:COL: ..." pointing at the
#     offending chapter, 'chapters' in the message after the position,
#     "no feed written", and no public/feed.xml
#
# Needs ffmpeg and Debian's /usr/bin/python3.
set -u

me=test_chapters
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg

S=$WORK/show
make_show "$S"
# The example's 003-lumens lists its chapters in the front matter; here
# it stands for an episode without any, as 000-trailer does.
sed -i '/^chapters:$/,/^[a-z_]*:/{/^chapters:$/d;/^  - /d}' "$S/episodes/003-lumens.md" ||
    fail "cannot drop the chapters of 003-lumens.md"
FEED=$S/public/feed.xml
BASE=$(sed -n 's/^base_url: *//p' "$S/feed/podcast.yaml" | tr -d '"'"'")
case $BASE in http*/) ;; *) fail "cannot read base_url from feed/podcast.yaml ('$BASE')" ;; esac

# build WANT WHAT: podpub -C SHOW build must exit WANT; output in
# $WORK/out and $WORK/err.
build() {
    "$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc -ne "$1" ]; then
        dump "$WORK/out" stdout
        dump "$WORK/err" stderr
        fail "$2: podpub build exited $rc, expected $1"
    fi
}

# A chapter spec is a file of "START_MS<TAB>TITLE" lines.
# ffmeta SPEC END_MS: the ffmetadata file for SPEC (chapters end where the
# next starts, the last at END_MS).
ffmeta() {
    awk -F '\t' -v end="$2" '
        { start[NR] = $1; title[NR] = $2 }
        END {
            print ";FFMETADATA1"
            for (i = 1; i <= NR; i++) {
                gsub(/[=;#\\]/, "\\\\&", title[i])
                printf "[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n",
                    start[i], i < NR ? start[i + 1] : end, title[i]
            }
        }' "$1"
}

# check_chapters KIND FILE SPEC [URLS]: FILE's chapters are exactly SPEC.
# KIND "probe": FILE is `podpub probe --json` output (start_ms, title);
# KIND "json": FILE is a Podcast Index chapters file (version 1.2.0,
# startTime in seconds, title; URLS a file of "INDEX<TAB>URL" lines for
# the chapters that must carry a url, none other may).
check_chapters() {
    "$PY" - "$@" <<'PYEOF' || fail "$2: chapters are not as expected (see above)"
import json, sys
kind, path, spec = sys.argv[1:4]
want = []
with open(spec, encoding="utf-8") as f:
    for line in f:
        ms, title = line.rstrip("\n").split("\t", 1)
        want.append((int(ms), title))
urls = {}
if len(sys.argv) > 4:
    with open(sys.argv[4], encoding="utf-8") as f:
        for line in f:
            i, u = line.rstrip("\n").split("\t", 1)
            urls[int(i)] = u
try:
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    sys.exit("%s: not JSON: %s" % (path, e))
if kind == "probe":
    got = [(c["start_ms"], c["title"]) for c in j[0]["chapters"]]
else:
    if j.get("version") != "1.2.0":
        sys.exit("%s: version is %r, expected \"1.2.0\"" % (path, j.get("version")))
    got = []
    for i, c in enumerate(j["chapters"]):
        st = c["startTime"]
        if not isinstance(st, (int, float)) or isinstance(st, bool):
            sys.exit("%s: startTime %r is not a number" % (path, st))
        got.append((round(st * 1000), c["title"]))
        if c.get("url") != urls.get(i):
            sys.exit("%s: chapter %d has url %r, expected %r"
                     % (path, i + 1, c.get("url"), urls.get(i)))
if got != want:
    print("%s: chapters are\n  %r\nexpected\n  %r" % (path, got, want),
          file=sys.stderr)
    sys.exit(1)
PYEOF
}

# feed_chapters: one line per item: "<enclosure file> <podcast:chapters
# url> <type>" ("-" for none); exits 1 if an item has more than one.
feed_chapters() {
    "$PY" - "$FEED" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
PC = "{https://podcastindex.org/namespace/1.0}"
for item in ET.parse(sys.argv[1]).getroot().iter("item"):
    enc = item.find("enclosure").get("url").rsplit("/", 1)[-1]
    ch = item.findall(PC + "chapters")
    if len(ch) > 1:
        sys.exit("%s: %d podcast:chapters elements" % (enc, len(ch)))
    if ch:
        print(enc, ch[0].get("url"), ch[0].get("type"))
    else:
        print(enc, "-", "-")
PYEOF
}

# item_chapters AUDIO EPISODE: the item of AUDIO names
# BASE/chapters/EPISODE.json, or (EPISODE "-") has no podcast:chapters.
item_chapters() {
    feed_chapters >"$WORK/fc" || fail "cannot read the feed's podcast:chapters"
    line=$(grep "^$1 " "$WORK/fc")
    [ -n "$line" ] || fail "no item with the enclosure $1 in the feed"
    if [ "$2" = - ]; then
        want="$1 - -"
    else
        want="$1 ${BASE}chapters/$2.json application/json+chapters"
    fi
    [ "$line" = "$want" ] || fail "podcast:chapters of $1: got '$line', expected '$want'"
}

# insert_front MD TEXTFILE: a copy of the example's MD with TEXTFILE's
# lines after its audio: line.
insert_front() {
    awk -v f="$2" '{ print } /^audio:/ { while ((getline l < f) > 0) print l; close(f) }' \
        "$SRC/episodes/$1" >"$S/episodes/$1" || fail "cannot edit $1"
    grep -q '^chapters:' "$S/episodes/$1" || fail "could not add chapters to $1"
}

echo "== embedded chapters"
printf '0\tWelkom\n12500\tMilas vertelt: “Hoe gaat het?”\n30000\tTot slot & credits\n' \
    >"$WORK/spec.mp3"
printf '0\tDennis thuis\n8250\tDe speelkamer; een rondleiding\n21000\tOp pad = werk\n' \
    >"$WORK/spec.m4a"
ffmeta "$WORK/spec.mp3" 40000 >"$WORK/mp3.ffmeta"
ffmeta "$WORK/spec.m4a" 30000 >"$WORK/m4a.ffmeta"
ffmpeg -nostdin -v error -y -f lavfi -i "sine=f=440:d=40:r=44100" \
    -i "$WORK/mp3.ffmeta" -map 0:a -map_chapters 1 -c:a libmp3lame -b:a 64k \
    "$S/episodes/001-milas.mp3" </dev/null || fail "ffmpeg could not make 001-milas.mp3"
ffmpeg -nostdin -v error -y -f lavfi -i "sine=f=440:d=30:r=44100" \
    -i "$WORK/m4a.ffmeta" -map 0:a -map_chapters 1 -c:a aac -b:a 64k \
    "$S/episodes/002-dennis.m4a" </dev/null || fail "ffmpeg could not make 002-dennis.m4a"

for a in 001-milas.mp3 002-dennis.m4a; do
    "$PODPUB" probe --json "$S/episodes/$a" >"$WORK/probe.json" 2>"$WORK/err" || {
        dump "$WORK/err" stderr
        fail "podpub probe --json $a failed"
    }
    check_chapters probe "$WORK/probe.json" "$WORK/spec.${a##*.}"
    note "podpub probe --json $a: $(json "$WORK/probe.json" 'len(j[0]["chapters"])') chapters, as made"
done

build 0 "embedded chapters"
check_chapters json "$S/public/chapters/001-milas.json" "$WORK/spec.mp3"
check_chapters json "$S/public/chapters/002-dennis.json" "$WORK/spec.m4a"
item_chapters 001-milas.mp3 001-milas
item_chapters 002-dennis.m4a 002-dennis
item_chapters 000-trailer.mp3 -
item_chapters 003-lumens.m4a -
for e in 000-trailer 003-lumens; do
    [ -e "$S/public/chapters/$e.json" ] && fail "public/chapters/$e.json written for an episode without chapters"
done
note "ID3 CHAP and MP4 chapters -> public/chapters/001-milas.json, 002-dennis.json and podcast:chapters; none for the others"

echo "== front matter list wins over the audio's"
cat >"$WORK/front" <<'EOF'
chapters:
  - "00:00 Intro"
  - 00:05 Het gesprek met Awatief
  - "0:00:31.250 Afsluiting: tot volgende week"
EOF
printf '0\tIntro\n5000\tHet gesprek met Awatief\n31250\tAfsluiting: tot volgende week\n' \
    >"$WORK/spec.front"
insert_front 001-milas.md "$WORK/front"
build 0 "front matter chapters"
check_chapters json "$S/public/chapters/001-milas.json" "$WORK/spec.front"
item_chapters 001-milas.mp3 001-milas
note "the list in 001-milas.md replaced the 3 chapters in its MP3"

echo "== a JSON chapters file wins over the audio's"
cat >"$S/episodes/002-dennis.chapters.json" <<'EOF'
{
  "version": "1.2.0",
  "chapters": [
    {"startTime": 0, "title": "Voorwoord"},
    {"startTime": 7.5, "title": "Lumens \"online\"", "url": "https://www.lumenswerkt.nl/"},
    {"startTime": 20, "title": "Één vraag"}
  ]
}
EOF
printf '0\tVoorwoord\n7500\tLumens "online"\n20000\tÉén vraag\n' >"$WORK/spec.file"
printf '1\thttps://www.lumenswerkt.nl/\n' >"$WORK/urls.file"
echo "chapters: 002-dennis.chapters.json" >"$WORK/front"
insert_front 002-dennis.md "$WORK/front"
build 0 "JSON chapters file"
check_chapters json "$S/public/chapters/002-dennis.json" "$WORK/spec.file" "$WORK/urls.file"
item_chapters 002-dennis.m4a 002-dennis
note "chapters: 002-dennis.chapters.json replaced the 3 chapters in its M4A (url kept)"
good_md=$WORK/002-dennis.md.good
cp "$S/episodes/002-dennis.md" "$good_md"

echo "== errors"
# bad WHAT FILE LINE COL: the build must fail, and its first line must be
# "FILE:LINE:COL: " with 'chapters' in the rest; no feed written.
bad() {
    rm -rf "$S/public"
    build 1 "$1"
    first=$(head -n 1 "$WORK/err")
    case $first in
        "$2:$3:$4: "*) ;;
        *)  dump "$WORK/err" stderr
            fail "$1: the error does not start with '$2:$3:$4: ': '$first'" ;;
    esac
    case ${first#"$2:$3:$4: "} in
        *chapters*) ;;
        *)  dump "$WORK/err" stderr
            fail "$1: the error has no 'chapters' after its position: '$first'" ;;
    esac
    grep -q "no feed written" "$WORK/err" || {
        dump "$WORK/err" stderr
        fail "$1: no 'no feed written' on stderr"
    }
    [ -e "$FEED" ] && fail "$1: public/feed.xml was written"
    note "$1: exit 1: $first"
}

# bad_list WHAT ITEM-LINES: 001-milas.md with these chapters; the error
# must point at the list item marked with '#!' (the marker is removed).
bad_list() {
    printf 'chapters:\n%s\n' "$2" >"$WORK/front.marked"
    sed 's/ *#!$//' "$WORK/front.marked" >"$WORK/front"
    insert_front 001-milas.md "$WORK/front"
    n=$(grep -n '#!$' "$WORK/front.marked" | cut -d: -f1)
    a=$(grep -n '^audio:' "$S/episodes/001-milas.md" | cut -d: -f1)
    item=$(sed -n "$((a + n))p" "$S/episodes/001-milas.md")
    col=$(printf '%s\n' "$item" | awk '{ print index($0, "- ") + 2 }')
    bad "$1" episodes/001-milas.md $((a + n)) "$col"
}

bad_list "times not ascending" '  - "00:00 Intro"
  - 00:20 Het gesprek
  - "00:10 Terug in de tijd" #!'
grep -q "Terug in de tijd" "$WORK/err" || fail "the error does not name the chapter"

bad_list "a start past the end of the 40 s audio" '  - "00:00 Intro"
  - 00:50 Te laat #!'

bad_list "a malformed time" '  - "00:00 Begin"
  - "1:2 Intro" #!'
grep -qF '1:2 Intro' "$WORK/err" || fail "the error does not quote '1:2 Intro'"
cp "$SRC/episodes/001-milas.md" "$S/episodes/001-milas.md"

# The second chapter has a title but no startTime: the error points at it
# (its "{" on line 5) in the JSON file, or at the chapters: line of the
# episode that names the file.
cat >"$S/episodes/002-dennis.chapters.json" <<'EOF2'
{
  "version": "1.2.0",
  "chapters": [
    {"startTime": 0, "title": "Voorwoord"},
    {"title": "Zonder begintijd"}
  ]
}
EOF2
cp "$good_md" "$S/episodes/002-dennis.md"
rm -rf "$S/public"
"$PODPUB" -C "$S" build >"$WORK/out" 2>"$WORK/err"
case $(head -n 1 "$WORK/err") in
    episodes/002-dennis.md:*)
        l=$(grep -n '^chapters:' "$S/episodes/002-dennis.md" | cut -d: -f1)
        bad "a JSON chapter without startTime" episodes/002-dennis.md "$l" 1 ;;
    *)
        bad "a JSON chapter without startTime" episodes/002-dennis.chapters.json 5 5 ;;
esac

echo "$me: ok"
exit 0
