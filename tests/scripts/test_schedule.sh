#!/bin/sh
# test_schedule.sh PODPUB SOURCE_DIR WORK_DIR
#
# Scheduling: a show (time zone Europe/Amsterdam) with one live episode
# and one dated 2025-02-01T06:00 local time (05:00 UTC), built and listed
# at fixed moments with --at:
#
#   --at 04:59:59Z (one second before)
#       build: feed.xml, read by podcastparser, has only the live episode;
#              the later one's guid, title and audio file name appear
#              nowhere in feed.xml or index.html; lastBuildDate is not
#              its date; build says it left it out and when it goes live
#       list:  it is "scheduled (2025-02-01 06:00)", the summary counts
#              1 live, 1 scheduled; list --json says "scheduled" with
#              the date 2025-02-01T06:00:00+01:00
#   --at 05:00:00Z (the moment itself) and --at a day later
#       build: both episodes in feed.xml (podcastparser) and index.html,
#              newest first; list and list --json: both live
set -u

me=test_schedule
. "$(dirname "$0")/lib/common.sh"
init "$@"

"$PY" -c 'import podcastparser' 2>/dev/null ||
    fail "$PY lacks podcastparser (run scripts/setup test)"
command -v ffmpeg >/dev/null 2>&1 ||
    fail "ffmpeg is needed (run scripts/setup test)"

SHOW=$WORK/show
OUT=$WORK/stdout
ERR=$WORK/stderr

show() {
    sed 's/^/  stdout: /' "$OUT" >&2
    sed 's/^/  stderr: /' "$ERR" >&2
}

# run STATUS podpub-args...: podpub in the show must exit with STATUS.
run() {
    want=$1
    shift
    (cd "$SHOW" && "$PODPUB" "$@") >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        show
        fail "podpub $*: exit $rc, expected $want"
    fi
    ok "podpub $* -> $rc"
}

for f in now:440 later:660; do
    ffmpeg -nostdin -v error -y -f lavfi -i "sine=f=${f#*:}:d=3" -ac 1 \
        -c:a libmp3lame -b:a 64k "$WORK/${f%:*}.mp3" </dev/null ||
        fail "ffmpeg could not make ${f%:*}.mp3"
done
cmp -s "$WORK/now.mp3" "$WORK/later.mp3" &&
    fail "now.mp3 and later.mp3 are the same audio"

(cd "$WORK" && "$PODPUB" -q init --title "Schedule test" \
    --base-url https://media.example.org/sched/ show) >"$OUT" 2>"$ERR" ||
    { show; fail "podpub init failed"; }
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=1400x1400 -frames:v 1 \
    -q:v 4 "$SHOW/feed/cover.jpg" </dev/null || fail "ffmpeg could not make cover.jpg"
sed -e 's/^timezone: UTC$/timezone: Europe\/Amsterdam/' \
    -e 's/^# image: cover.jpg$/image: cover.jpg/' \
    "$SHOW/feed/podcast.yaml" >"$WORK/y" && mv "$WORK/y" "$SHOW/feed/podcast.yaml"
grep -qx 'timezone: Europe/Amsterdam' "$SHOW/feed/podcast.yaml" &&
    grep -qx 'image: cover.jpg' "$SHOW/feed/podcast.yaml" ||
    fail "could not set the show's timezone and image"

run 0 add --title "Al te horen" --date 2025-01-10T08:00:00 "$WORK/now.mp3"
run 0 add --title "Straks: de toekomst" --date 2025-02-01T06:00:00 "$WORK/later.mp3"
LATER=$SHOW/episodes/002-straks-de-toekomst.md
[ -f "$LATER" ] || { ls "$SHOW/episodes" >&2; fail "no $LATER"; }
grep -qx 'date: 2025-02-01T06:00:00+01:00' "$LATER" ||
    fail "the later episode's date is not 2025-02-01T06:00:00+01:00: $(grep '^date:' "$LATER")"
LATER_GUID=$(sed -n 's/^guid: //p' "$LATER")
NOW_GUID=$(sed -n 's/^guid: //p' "$SHOW/episodes/001-al-te-horen.md")
[ -n "$LATER_GUID" ] && [ -n "$NOW_GUID" ] || fail "no guids in the episode files"

# feed_guids: the guids in public/feed.xml as podcastparser reads them,
# newest first, one per line.
feed_guids() {
    "$PY" - "$SHOW/public/feed.xml" <<'EOF' || fail "podcastparser cannot read public/feed.xml"
import sys, podcastparser
with open(sys.argv[1], "rb") as f:
    feed = podcastparser.parse("file://feed.xml", f)
for e in sorted(feed["episodes"], key=lambda e: -e["published"]):
    print(e["guid"])
EOF
}

# page_ids: the <article id="..."> in public/index.html, in order.
page_ids() {
    sed -n 's/^<article id="\([^"]*\)".*/\1/p' "$SHOW/public/index.html"
}

# ---------------------------------------------------------------------
# Before: one second before 06:00 Amsterdam (05:00 UTC).
# ---------------------------------------------------------------------
BEFORE=2025-02-01T04:59:59Z
run 0 build --at "$BEFORE"
grep -q '^public/feed.xml: 1 episode,' "$OUT" ||
    { show; fail "build --at $BEFORE: want 1 episode"; }
grep -qF 'left out: 1 scheduled: episodes/002-straks-de-toekomst.md (live 2025-02-01T06:00:00+01:00)' "$OUT" ||
    { show; fail "build --at $BEFORE: does not say the episode is scheduled, and when"; }
[ "$(feed_guids)" = "$NOW_GUID" ] ||
    fail "build --at $BEFORE: feed.xml has guids '$(feed_guids | tr '\n' ' ')', want only $NOW_GUID"
for f in feed.xml index.html; do
    for s in "$LATER_GUID" "Straks" "002-straks-de-toekomst"; do
        grep -qF "$s" "$SHOW/public/$f" &&
            fail "build --at $BEFORE: '$s' (the scheduled episode) is in $f"
    done
done
grep -q '<lastBuildDate>Sat, 01 Feb 2025' "$SHOW/public/feed.xml" &&
    fail "build --at $BEFORE: lastBuildDate gives away the scheduled date"
[ "$(page_ids)" = 001-al-te-horen ] ||
    fail "build --at $BEFORE: index.html articles '$(page_ids | tr '\n' ' ')', want 001-al-te-horen"
ok "at $BEFORE: absent from feed.xml (podcastparser) and index.html"

run 0 list --at "$BEFORE"
grep -E '^E02 .* scheduled \(2025-02-01 06:00\).*Straks: de toekomst$' "$OUT" >/dev/null ||
    { show; fail "list --at $BEFORE: no row 'scheduled (2025-02-01 06:00) ... Straks: de toekomst'"; }
grep -E ' live .*Al te horen$' "$OUT" >/dev/null ||
    { show; fail "list --at $BEFORE: 'Al te horen' is not live"; }
grep -q '^2 episodes: 1 live, 1 scheduled, 0 drafts;' "$OUT" ||
    { show; fail "list --at $BEFORE: want '2 episodes: 1 live, 1 scheduled, 0 drafts'"; }
run 0 list --json --at "$BEFORE"
"$PY" - "$OUT" <<'EOF' || { show; fail "list --json --at $BEFORE"; }
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
got = [(r["file"], r["status"], r["date"]) for r in rows]
want = [("episodes/001-al-te-horen.md", "live", "2025-01-10T08:00:00+01:00"),
        ("episodes/002-straks-de-toekomst.md", "scheduled",
         "2025-02-01T06:00:00+01:00")]
if got != want:
    sys.exit("got %r, want %r" % (got, want))
EOF
ok "list --at $BEFORE: scheduled (2025-02-01 06:00), in the table and the JSON"

# ---------------------------------------------------------------------
# At the moment itself, and a day later.
# ---------------------------------------------------------------------
for AT in 2025-02-01T05:00:00Z 2025-02-02T12:00:00+01:00; do
    run 0 build --at "$AT"
    grep -q '^public/feed.xml: 2 episodes,' "$OUT" ||
        { show; fail "build --at $AT: want 2 episodes"; }
    grep -q 'scheduled' "$OUT" && { show; fail "build --at $AT: still says scheduled"; }
    want=$(printf '%s\n%s' "$LATER_GUID" "$NOW_GUID")
    [ "$(feed_guids)" = "$want" ] ||
        fail "build --at $AT: feed.xml guids '$(feed_guids | tr '\n' ' ')', want the later then the earlier"
    grep -qF "Straks: de toekomst" "$SHOW/public/index.html" ||
        fail "build --at $AT: the episode's title is not in index.html"
    [ "$(page_ids | tr '\n' ' ')" = "002-straks-de-toekomst 001-al-te-horen " ] ||
        fail "build --at $AT: index.html articles '$(page_ids | tr '\n' ' ')', want 002 then 001"
    ok "at $AT: in feed.xml (podcastparser) and index.html, newest first"

    run 0 list --at "$AT"
    grep -q '^2 episodes: 2 live, 0 scheduled, 0 drafts;' "$OUT" ||
        { show; fail "list --at $AT: want '2 episodes: 2 live, 0 scheduled, 0 drafts'"; }
    run 0 list --json --at "$AT"
    "$PY" - "$OUT" <<'EOF' || { show; fail "list --json --at $AT: not both live"; }
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
if [r["status"] for r in rows] != ["live", "live"]:
    sys.exit("statuses %r" % [r["status"] for r in rows])
EOF
    ok "list --at $AT: both live"
done

echo "$me: all passed"
