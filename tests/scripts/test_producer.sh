#!/bin/sh
# test_producer.sh PODPUB SOURCE_DIR WORK_DIR
#
# A producer's first hour with podpub, on real audio made with ffmpeg:
#
#   init DIR (empty)      exit 0; every path it says it created exists;
#                         feed/podcast.yaml is YAML with the given title,
#                         author, owner, language and base_url; .gitignore
#                         ignores public/ and .podpub/ (also asked of git
#                         when git is there); .github/workflows/publish.yml
#                         is YAML with an hourly-or-so cron schedule whose
#                         steps run `podpub check`, then `podpub publish`
#   cover, build          with artwork (what init says comes next) the
#                         empty show builds
#   init DIR again        exit 1, says --force, changes nothing (content,
#                         mtime, inode of every file); with --force (on a
#                         copy) exit 0 and the new values
#   add tagged.mp3        ID3 title, date, track and disc (season) become
#                         the episode's; episodes/001-<slug>.md, a copy
#   add --move --title "Één vraag: 'Hoe gaat het?' 🎧"
#                         episodes/002-een-vraag-hoe-gaat-het.md, the
#                         title kept byte for byte, the audio moved
#   add --link --json --title <98 characters>
#                         003-<slug>.md with a slug of at most 60
#                         characters; the audio is a link to the original;
#                         the JSON parses and agrees with the file
#   numbering             001, 002, 003, all in the tagged season
#   guids                 valid UUIDv4 (version 4, variant 8-b), distinct
#   add (same audio)      exit 1, also under another file name; nothing
#                         new in episodes/; with --force exit 0 (004)
#   add --draft           draft: true in the file
#   build                 exit 0, feed.xml read by podcastparser: the four
#                         live episodes, exact byte lengths, no draft;
#                         index.html: no draft either
#   list, list --json     counts (5: 4 live, 0 scheduled, 1 draft),
#                         statuses, durations, bytes, date order
#   check                 the finished show passes `podpub check`
set -u

me=test_producer
. "$(dirname "$0")/lib/common.sh"
init "$@"

"$PY" -c 'import yaml, podcastparser' 2>/dev/null ||
    fail "$PY lacks yaml or podcastparser (run scripts/setup test)"
command -v ffmpeg >/dev/null 2>&1 ||
    fail "ffmpeg is needed (run scripts/setup test)"

SHOW=$WORK/show
MEDIA=$WORK/media
OUT=$WORK/stdout
ERR=$WORK/stderr
mkdir -p "$MEDIA" || fail "cannot create $MEDIA"

show() {
    sed 's/^/  stdout: /' "$OUT" >&2
    sed 's/^/  stderr: /' "$ERR" >&2
}

# run DIR STATUS podpub-args...: podpub in DIR must exit with STATUS;
# its output is kept in $OUT and $ERR.
run() {
    dir=$1 want=$2
    shift 2
    (cd "$dir" && "$PODPUB" "$@") >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        show
        fail "podpub $*: exit $rc, expected $want"
    fi
    ok "podpub $* -> $rc"
}

# snapshot DIR FILE: every path under DIR with its type, size, mtime,
# inode and SHA-256, so that "changes nothing" can be checked exactly.
snapshot() {
    "$PY" - "$1" >"$2" <<'EOF' || fail "cannot snapshot $1"
import hashlib, os, sys
root = sys.argv[1]
for d, dirs, files in sorted(os.walk(root)):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        st = os.lstat(p)
        h = ""
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, "rb") as f:
                h = hashlib.sha256(f.read()).hexdigest()
        print(os.path.relpath(p, root), oct(st.st_mode), st.st_size,
              st.st_mtime_ns, st.st_ino, h)
EOF
}

# ---------------------------------------------------------------------
# Audio: three different tones (different content, so no duplicates).
# tagged.mp3 has ID3v2 tags; the others have none.
# ---------------------------------------------------------------------
mk() {
    out=$1
    shift
    ffmpeg -nostdin -v error -y "$@" "$out" </dev/null ||
        fail "ffmpeg could not make $out"
}
mk "$MEDIA/tagged.mp3" -f lavfi -i sine=f=440:d=5 -ac 1 \
    -metadata title="Tagged: de eerste" -metadata date=2024-03-05 \
    -metadata track=1 -metadata disc=2 -metadata artist="Ann Tagger" \
    -c:a libmp3lame -b:a 64k
mk "$MEDIA/question.mp3" -f lavfi -i sine=f=660:d=3 -ac 1 \
    -c:a libmp3lame -b:a 64k
mk "$MEDIA/long.mp3" -f lavfi -i sine=f=550:d=7 -ac 1 \
    -c:a libmp3lame -b:a 64k
mk "$MEDIA/draft.m4a" -f lavfi -i sine=f=880:d=4 -ac 1 -c:a aac -b:a 64k
[ "$(head -c 3 "$MEDIA/tagged.mp3")" = ID3 ] ||
    fail "tagged.mp3 has no ID3v2 tag (ffmpeg did not write one)"
cp "$MEDIA/tagged.mp3" "$MEDIA/tagged-copy.mp3" || fail "cp"
QUESTION_SUM=$(sha256sum <"$MEDIA/question.mp3")

# ---------------------------------------------------------------------
# init
# ---------------------------------------------------------------------
TITLE='Test "Show" & Friends: één'
AUTHOR="Ann O'Neil"
EMAIL=ann@example.org
LANG_CODE=nl-BE
BASE=https://media.example.org/test-show/
run "$WORK" 0 init --title "$TITLE" --author "$AUTHOR" --email "$EMAIL" \
    --language "$LANG_CODE" --base-url "$BASE" show

# Every path after "created:" (until the blank line) must exist.
created=0
sed -n '/^created:$/,/^$/p' "$OUT" | sed '1d;/^$/d' >"$WORK/created"
while IFS= read -r p; do
    case $p in /*) path=$p ;; *) path=$WORK/$p ;; esac
    [ -e "$path" ] || { show; fail "init said it created '$p', which is missing"; }
    created=$((created + 1))
done <"$WORK/created"
for p in feed/podcast.yaml .gitignore .github/workflows/publish.yml; do
    grep -qx "show/$p" "$WORK/created" ||
        { show; fail "init did not list show/$p as created"; }
    [ -f "$SHOW/$p" ] || fail "init did not create $p"
done
[ -d "$SHOW/episodes" ] || fail "init did not create episodes/"
ok "init created the $created paths it lists"

"$PY" - "$SHOW/feed/podcast.yaml" "$TITLE" "$AUTHOR" "$EMAIL" "$LANG_CODE" \
    "$BASE" <<'EOF' || fail "feed/podcast.yaml is not what init was given"
import sys, yaml
path, title, author, email, lang, base = sys.argv[1:]
try:
    with open(path, encoding="utf-8") as f:
        y = yaml.safe_load(f)
except Exception as e:
    sys.exit("%s is not YAML: %s" % (path, e))
want = {"title": title, "author": author, "language": lang, "base_url": base}
bad = ["%s: %r, want %r" % (k, y.get(k), v) for k, v in want.items()
       if y.get(k) != v]
owner = y.get("owner") or {}
if owner.get("name") != author or owner.get("email") != email:
    bad.append("owner: %r, want name %r, email %r" % (owner, author, email))
if not isinstance(y.get("description"), str) or not y["description"].strip():
    bad.append("description: missing (it is required)")
if bad:
    sys.exit("\n".join(bad))
EOF
ok "feed/podcast.yaml parses and has the given values"

# What init says comes next: artwork in feed/. Then the new show (no
# episodes yet) must build and pass `podpub check`, as its workflow runs.
mk "$SHOW/feed/cover.jpg" -f lavfi -i testsrc2=s=1400x1400 -frames:v 1 -q:v 4
sed 's/^# image: cover.jpg$/image: cover.jpg/' "$SHOW/feed/podcast.yaml" \
    >"$WORK/y" && mv "$WORK/y" "$SHOW/feed/podcast.yaml" || fail "sed"
grep -qx 'image: cover.jpg' "$SHOW/feed/podcast.yaml" ||
    fail "feed/podcast.yaml has no '# image: cover.jpg' line to uncomment"
run "$SHOW" 0 build
[ -f "$SHOW/public/feed.xml" ] || fail "build of the new show wrote no feed"
rm -rf "$SHOW/public" "$SHOW/.podpub"

grep -Eqx '/?public/?' "$SHOW/.gitignore" ||
    fail ".gitignore has no public/ line: $(cat "$SHOW/.gitignore")"
grep -Eqx '/?\.podpub/?' "$SHOW/.gitignore" ||
    fail ".gitignore has no .podpub/ line: $(cat "$SHOW/.gitignore")"
if command -v git >/dev/null 2>&1; then
    G=$WORK/gitcheck
    cp -R "$SHOW" "$G" && git -C "$G" init -q || fail "git init in $G"
    for p in public/feed.xml public/index.html .podpub/probe-cache \
             episodes/002-y.mp3.part episodes/002-y.mp3.part.info; do
        git -C "$G" check-ignore -q "$p" || fail "git does not ignore $p"
    done
    for p in feed/podcast.yaml episodes/001-x.md episodes/001-x.mp3; do
        git -C "$G" check-ignore -q "$p" && fail "git ignores $p"
    done
    ok ".gitignore: git ignores public/, .podpub/ and unfinished downloads, not feed/ or episodes/"
else
    ok ".gitignore has public/ and .podpub/ (git not installed)"
fi

"$PY" - "$SHOW/.github/workflows/publish.yml" <<'EOF' ||
import re, sys, yaml
path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as f:
        w = yaml.safe_load(f)
except Exception as e:
    sys.exit("%s is not YAML: %s" % (path, e))
if not isinstance(w, dict):
    sys.exit("%s: not a mapping" % path)
on = w.get("on", w.get(True))       # YAML 1.1 reads a bare 'on' as true
if not isinstance(on, dict) or not on.get("schedule"):
    sys.exit("%s: no on.schedule" % path)
crons = [s.get("cron", "") for s in on["schedule"]]
field = r"(\*|[0-9,/*-]+)"
for c in crons:
    if not re.fullmatch(r"\s*" + r"\s+".join([field] * 5) + r"\s*", c):
        sys.exit("%s: %r is not a 5-field cron expression" % (path, c))
if not crons:
    sys.exit("%s: schedule has no cron" % path)
runs = []
for name, job in (w.get("jobs") or {}).items():
    for step in job.get("steps") or []:
        if "run" in step:
            runs.append(step["run"])
def first(cmd):
    for i, r in enumerate(runs):
        if re.search(r"(^|\s)podpub\s+%s(\s|$)" % cmd, r, re.M):
            return i
    sys.exit("%s: no step runs 'podpub %s'" % (path, cmd))
if not first("check") < first("publish"):
    sys.exit("%s: 'podpub check' does not run before 'podpub publish'"
             % path)
print("  (cron: %s)" % ", ".join(crons))
EOF
    fail ".github/workflows/publish.yml is not the workflow wanted"
ok "publish.yml: YAML, on.schedule cron, runs podpub check then podpub publish"

# init again: refused, exit 1, nothing changed.
snapshot "$SHOW" "$WORK/before"
sleep 1     # a rewrite with equal content would still change the mtime
run "$WORK" 1 init --title "$TITLE" --author "$AUTHOR" --email "$EMAIL" \
    --language "$LANG_CODE" --base-url "$BASE" show
grep -q -- --force "$ERR" || { show; fail "init again: no hint to use --force"; }
run "$SHOW" 1 init --title "Another"
run "$WORK" 1 init show
snapshot "$SHOW" "$WORK/after"
cmp -s "$WORK/before" "$WORK/after" || {
    diff "$WORK/before" "$WORK/after" >&2
    fail "init without --force changed the show (above)"
}
ok "init again without --force: exit 1, nothing changed"

# --force (on a copy) rewrites podpub's files with the new values.
cp -R "$SHOW" "$WORK/forced" || fail "cp"
run "$WORK" 0 init --force --title "Forced title" forced
grep -qx 'title: "Forced title"' "$WORK/forced/feed/podcast.yaml" ||
    fail "init --force did not write the new title"
rm -rf "$WORK/forced"

# ---------------------------------------------------------------------
# add
# ---------------------------------------------------------------------
# fm FILE.md: the front matter as "key=value" lines (YAML read as text).
fm() {
    "$PY" - "$1" <<'EOF' || fail "$1: no YAML front matter"
import sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
if not text.startswith("---\n"):
    sys.exit("%s does not start with ---" % sys.argv[1])
head = text[4:text.index("\n---\n")]
for k, v in yaml.load(head, Loader=yaml.BaseLoader).items():
    print("%s=%s" % (k, v))
EOF
}
field() { fm "$1" | sed -n "s/^$2=//p"; }
# same_file A B: A and B are one file (a hard link, or a symbolic link).
same_file() { [ "$(stat -L -c %d:%i "$1")" = "$(stat -L -c %d:%i "$2")" ]; }

# 1: ID3 tags as the defaults; a copy.
run "$SHOW" 0 add "$MEDIA/tagged.mp3"
E1=$SHOW/episodes/001-tagged-de-eerste.md
[ -f "$E1" ] || { show; ls "$SHOW/episodes" >&2; fail "no $E1"; }
fm "$E1" >"$WORK/e1"
for kv in "title=Tagged: de eerste" "date=2024-03-05T00:00:00+00:00" \
          "season=2" "episode=1" "type=full" "audio=001-tagged-de-eerste.mp3"; do
    grep -qxF "$kv" "$WORK/e1" ||
        { cat "$WORK/e1" >&2; fail "001 (from the ID3 tags): want $kv"; }
done
grep -qF "Ann Tagger" "$E1" || fail "001: the artist tag is not in the notes"
cmp -s "$MEDIA/tagged.mp3" "$SHOW/episodes/001-tagged-de-eerste.mp3" ||
    fail "001: the audio in episodes/ is not a copy of tagged.mp3"
[ -f "$MEDIA/tagged.mp3" ] || fail "001: add (copy) removed the original"
same_file "$MEDIA/tagged.mp3" "$SHOW/episodes/001-tagged-de-eerste.mp3" &&
    fail "001: add without --link/--move made a link, not a copy"
ok "001: title, date, track and disc (season) from the ID3 tags; copied"

# 2: a Dutch title with quotes and an emoji; --move.
QTITLE="Één vraag: 'Hoe gaat het?' 🎧"
run "$SHOW" 0 add --move --title "$QTITLE" "$MEDIA/question.mp3"
E2=$SHOW/episodes/002-een-vraag-hoe-gaat-het.md
A2=$SHOW/episodes/002-een-vraag-hoe-gaat-het.mp3
[ -f "$E2" ] || { show; ls "$SHOW/episodes" >&2; fail "no $E2 (slug)"; }
[ "$(field "$E2" title)" = "$QTITLE" ] ||
    fail "002: title '$(field "$E2" title)', want '$QTITLE'"
[ "$(field "$E2" season)/$(field "$E2" episode)" = 2/2 ] ||
    fail "002: season/episode $(field "$E2" season)/$(field "$E2" episode), want 2/2"
[ ! -e "$MEDIA/question.mp3" ] || fail "002: --move left the original"
[ -f "$A2" ] && [ "$(sha256sum <"$A2")" = "$QUESTION_SUM" ] ||
    fail "002: --move: $A2 missing or not the original's content"
ok "002: slug een-vraag-hoe-gaat-het, title kept exactly, audio moved"

# 3: a long title; --link; --json.
LTITLE="A very long title that goes on and on about many things, far longer than sixty characters in all"
run "$SHOW" 0 add --link --json --title "$LTITLE" "$MEDIA/long.mp3"
cp "$OUT" "$WORK/add3.json"
"$PY" - "$WORK/add3.json" >"$WORK/add3" <<'EOF' || { show; fail "add --json: not the JSON wanted"; }
import json, sys
try:
    j = json.load(open(sys.argv[1], encoding="utf-8"))
except Exception as e:
    sys.exit("not JSON: %s" % e)
need = {"file": str, "audio": str, "title": str, "guid": str, "date": str,
        "season": int, "episode": int, "duration_ms": int, "bytes": int,
        "mime": str}
for k, t in need.items():
    if not isinstance(j.get(k), t):
        sys.exit("field %s: %r is not a %s" % (k, j.get(k), t.__name__))
for k in need:
    print("%s=%s" % (k, j[k]))
EOF
jget() { sed -n "s/^$1=//p" "$WORK/add3"; }
F3=$(jget file)
E3=$SHOW/$F3
A3=$SHOW/$(jget audio)
[ -f "$E3" ] || fail "add --json: file '$F3' does not exist"
case $F3 in episodes/003-*.md) ;; *) fail "add --json: file '$F3', want episodes/003-*.md" ;; esac
SLUG=${F3#episodes/003-}
SLUG=${SLUG%.md}
[ ${#SLUG} -le 60 ] || fail "slug '$SLUG' is ${#SLUG} characters, want at most 60"
echo "$SLUG" | grep -Eqx '[a-z0-9]+(-[a-z0-9]+)*' ||
    fail "slug '$SLUG' is not lower-case ASCII words joined by single dashes"
case $SLUG in a-very-long-title-that-goes-on*) ;; *) fail "slug '$SLUG' does not start with the title's words" ;; esac
for k in title guid date season episode; do
    [ "$(jget $k)" = "$(field "$E3" $k)" ] ||
        fail "add --json: $k '$(jget $k)' but the file says '$(field "$E3" $k)'"
done
[ "$(jget title)" = "$LTITLE" ] || fail "add --json: title '$(jget title)'"
[ "$(jget season)/$(jget episode)" = 2/3 ] ||
    fail "003: season/episode $(jget season)/$(jget episode), want 2/3"
[ "$(jget audio)" = "episodes/$(field "$E3" audio)" ] ||
    fail "add --json: audio '$(jget audio)', the file says '$(field "$E3" audio)'"
[ "$(jget bytes)" = "$(wc -c <"$MEDIA/long.mp3" | tr -d ' ')" ] ||
    fail "add --json: bytes $(jget bytes), the file has $(wc -c <"$MEDIA/long.mp3")"
[ "$(jget mime)" = audio/mpeg ] || fail "add --json: mime $(jget mime)"
[ -f "$MEDIA/long.mp3" ] || fail "003: --link removed the original"
same_file "$A3" "$MEDIA/long.mp3" ||
    fail "003: --link: $A3 is not a link to $MEDIA/long.mp3"
ok "003: slug '$SLUG' (${#SLUG} chars), --link, --json parses and agrees"

# GUIDs: UUIDv4, all different.
for e in "$E1" "$E2" "$E3"; do
    g=$(field "$e" guid)
    echo "$g" | grep -Eqx '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' ||
        fail "$(basename "$e"): guid '$g' is not a version 4, variant 10xx UUID"
    echo "$g"
done >"$WORK/guids" || exit 1
[ "$(sort -u "$WORK/guids" | wc -l)" -eq 3 ] || fail "guids repeat: $(cat "$WORK/guids")"
ok "guids are valid UUIDv4 and all differ"

# The same audio again: refused, also under another name.
ls -A "$SHOW/episodes" >"$WORK/eps.before"
run "$SHOW" 1 add "$MEDIA/tagged.mp3"
grep -qF 001-tagged-de-eerste.md "$ERR" ||
    { show; fail "add of the same audio: the message does not name 001"; }
run "$SHOW" 1 add --title "Something else" "$MEDIA/tagged-copy.mp3"
run "$SHOW" 1 add --title "Linked again" --link "$MEDIA/long.mp3"
ls -A "$SHOW/episodes" >"$WORK/eps.after"
cmp -s "$WORK/eps.before" "$WORK/eps.after" ||
    { diff "$WORK/eps.before" "$WORK/eps.after" >&2; fail "a refused add left files in episodes/"; }
[ -f "$MEDIA/tagged.mp3" ] && [ -f "$MEDIA/tagged-copy.mp3" ] ||
    fail "a refused add removed the original"
run "$SHOW" 0 add --force --title "Tagged, on purpose again" "$MEDIA/tagged-copy.mp3"
E4=$SHOW/episodes/004-tagged-on-purpose-again.md
[ -f "$E4" ] || { show; fail "add --force: no $E4"; }
ok "same audio: refused (exit 1, nothing new), allowed with --force (004)"

# A draft.
run "$SHOW" 0 add --draft --title "Nog niet klaar" "$MEDIA/draft.m4a"
E5=$SHOW/episodes/005-nog-niet-klaar.md
[ -f "$E5" ] || { show; fail "add --draft: no $E5"; }
[ "$(field "$E5" draft)" = true ] || fail "add --draft: no 'draft: true' in $E5"
DRAFT_GUID=$(field "$E5" guid)
ok "005: --draft writes draft: true"

# ---------------------------------------------------------------------
# build and list
# ---------------------------------------------------------------------
run "$SHOW" 0 build
grep -q '^public/feed.xml: 4 episodes' "$OUT" ||
    { show; fail "build: want 'public/feed.xml: 4 episodes'"; }
grep -q 'left out: 1 draft: episodes/005-nog-niet-klaar.md' "$OUT" ||
    { show; fail "build: the draft is not reported as left out"; }
[ -f "$SHOW/public/index.html" ] || fail "build wrote no public/index.html"

"$PY" - "$SHOW" "$DRAFT_GUID" <<'EOF' || fail "feed.xml is not what was added"
import os, sys, podcastparser
show, draft_guid = sys.argv[1:]
with open(os.path.join(show, "public/feed.xml"), "rb") as f:
    feed = podcastparser.parse("file://feed.xml", f)
eps = feed["episodes"]
titles = sorted(e["title"] for e in eps)
want = sorted(["Tagged: de eerste", "Één vraag: 'Hoe gaat het?' 🎧",
               "A very long title that goes on and on about many things, "
               "far longer than sixty characters in all",
               "Tagged, on purpose again"])
if titles != want:
    sys.exit("feed titles %r, want %r" % (titles, want))
base = "https://media.example.org/test-show/"
for e in eps:
    if e["guid"] == draft_guid:
        sys.exit("the draft's guid is in the feed")
    enc = e["enclosures"][0]
    rel = enc["url"][len(base):]
    if not enc["url"].startswith(base):
        sys.exit("enclosure %s is not under %s" % (enc["url"], base))
    size = os.path.getsize(os.path.join(show, "episodes", rel))
    if enc["file_size"] != size:
        sys.exit("%s: enclosure length %d, the file has %d"
                 % (rel, enc["file_size"], size))
if len(set(e["guid"] for e in eps)) != 4:
    sys.exit("guids in the feed are not 4 different ones")
EOF
grep -qF "$DRAFT_GUID" "$SHOW/public/feed.xml" && fail "the draft's guid is in feed.xml"
grep -qF "Nog niet klaar" "$SHOW/public/feed.xml" && fail "the draft is in feed.xml"
grep -qF "Nog niet klaar" "$SHOW/public/index.html" && fail "the draft is in index.html"
grep -q '<article id="005' "$SHOW/public/index.html" && fail "the draft has an <article> in index.html"
[ "$(grep -c '<article ' "$SHOW/public/index.html")" -eq 4 ] ||
    fail "index.html: $(grep -c '<article ' "$SHOW/public/index.html") articles, want 4"
ok "feed.xml (podcastparser) and index.html: the 4 live episodes, exact lengths, no draft"

run "$SHOW" 0 list
cp "$OUT" "$WORK/list.txt"
grep -q '^5 episodes: 4 live, 0 scheduled, 1 draft; live 0:20,' "$OUT" ||
    { show; fail "list: want '5 episodes: 4 live, 0 scheduled, 1 draft; live 0:20, ...'"; }
grep -E '^S2E05 .* draft .*Nog niet klaar$' "$OUT" >/dev/null ||
    { show; fail "list: no draft row for S2E05 'Nog niet klaar'"; }
for t in "Tagged: de eerste" "$QTITLE" "Tagged, on purpose again"; do
    grep -F " live " "$OUT" | grep -qF "$t" || { show; fail "list: '$t' is not live"; }
done
grep -E '^S2E01 +2024-03-05 00:00 +live +0:00:05 ' "$OUT" >/dev/null ||
    { show; fail "list: row S2E01 is not '2024-03-05 00:00 live 0:00:05'"; }
grep -E '^S2E02 .* live +0:00:03 ' "$OUT" >/dev/null ||
    { show; fail "list: row S2E02 has not duration 0:00:03"; }
grep -E '^S2E03 .* live +0:00:07 ' "$OUT" >/dev/null ||
    { show; fail "list: row S2E03 has not duration 0:00:07"; }
ok "list: 5 episodes, 4 live, 1 draft, durations 0:05, 0:03, 0:07, total 0:20"

run "$SHOW" 0 list --json
cp "$OUT" "$WORK/list.json"
"$PY" - "$WORK/list.json" "$SHOW" <<'EOF' || { show; fail "list --json is not what was added"; }
import json, os, sys
try:
    rows = json.load(open(sys.argv[1], encoding="utf-8"))
except Exception as e:
    sys.exit("list --json: not JSON: %s" % e)
show = sys.argv[2]
want = {  # file: (status, nominal duration in ms)
    "episodes/001-tagged-de-eerste.md": ("live", 5000),
    "episodes/002-een-vraag-hoe-gaat-het.md": ("live", 3000),
    "episodes/003-a-very-long-title-that-goes-on-and-on-about-many-things-far.md":
        ("live", 7000),
    "episodes/004-tagged-on-purpose-again.md": ("live", 5000),
    "episodes/005-nog-niet-klaar.md": ("draft", 4000),
}
files = [r["file"] for r in rows]
if sorted(files) != sorted(want):
    sys.exit("files %r, want %r" % (files, sorted(want)))
if [r["date"] for r in rows] != sorted(r["date"] for r in rows):
    sys.exit("not sorted by date: %r" % [r["date"] for r in rows])
bad = []
for r in rows:
    status, ms = want[r["file"]]
    if r["status"] != status:
        bad.append("%s: status %s, want %s" % (r["file"], r["status"], status))
    if r.get("season") != 2:
        bad.append("%s: season %r, want 2" % (r["file"], r.get("season")))
    if status == "live":
        if abs(r.get("duration_ms", -10**9) - ms) > 50:
            bad.append("%s: duration_ms %r, want %d (within 50)"
                       % (r["file"], r.get("duration_ms"), ms))
        fm = open(os.path.join(show, r["file"]), encoding="utf-8").read()
        audio = [l.split(":", 1)[1].strip().strip('"')
                 for l in fm.splitlines() if l.startswith("audio:")][0]
        size = os.path.getsize(os.path.join(show, "episodes", audio))
        if r.get("bytes") != size:
            bad.append("%s: bytes %r, the file has %d"
                       % (r["file"], r.get("bytes"), size))
if bad:
    sys.exit("\n".join(bad))
live = sum(r["duration_ms"] for r in rows if r["status"] == "live")
print("  (live: %d ms in all)" % live)
EOF
ok "list --json: parses; files, statuses, seasons, durations, bytes, date order"

# The finished show passes the workflow's first step.
run "$SHOW" 0 check
ok "podpub check passes the show with 5 episodes"

echo "$me: all passed"
