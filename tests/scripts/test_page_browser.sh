#!/bin/sh
# test_page_browser.sh PODPUB SOURCE_DIR WORK_DIR
#
# public/index.html in a real browser: Debian's chromium, driven by
# playwright-core from npm (tests/browser/, pinned in package-lock.json).
# Nothing is installed or downloaded here: scripts/setup test installs
# chromium, nodejs and npm, and runs `npm ci --prefix tests/browser`;
# without them this test FAILS, saying so.
#
# A show whose base_url is http://127.0.0.1:PORT/ (a free port in
# 20000-32000): a cover, three live episodes (mp3, m4a, opus; one titled
# with a <script> in it, notes with raw HTML and a javascript: link), a
# draft and a scheduled one, built with a fixed --at. The folder a web
# server would see (public/ plus each enclosure and the cover at their
# URL paths, as feed.xml gives them) is served by python3 -m http.server
# on 127.0.0.1 (killed at the end, also on failure), and
# tests/browser/check_page.mjs checks in chromium: <html lang>, the show
# title, the episode count and order, each <h3> title, each <audio src>
# equal to its enclosure URL in feed.xml, each player loading its audio
# with the feed's duration, the cover <img> with alt text and loaded, the
# <script> title shown as text with no dialog, no <script> elements or
# handlers, no console errors, no failed requests, no URL or request
# off 127.0.0.1 but the feed's and the enclosures'. Screenshot:
# WORK_DIR/index.png.
#
# Then the same checks on the same show served by `podpub serve --at`
# (its own port, base_url rewritten; byte ranges): the page loads from
# podpub's own server and every episode plays to the end from it.
# Screenshot: WORK_DIR/index-serve.png.
set -u

me=test_page_browser
. "$(dirname "$0")/lib/common.sh"
init "$@"
. "$LIB/serve.sh"
. "$(dirname "$0")/../servers/lib.sh"    # ts_pick_port

CHROMIUM=/usr/bin/chromium
BROWSER=$SRC/tests/browser
SETUP="run scripts/setup test (it installs chromium, nodejs and npm, and runs npm ci --prefix tests/browser)"

"$PY" -c 'import podcastparser' 2>/dev/null || fail "$PY lacks podcastparser: $SETUP"
command -v ffmpeg >/dev/null 2>&1 || fail "ffmpeg is missing: $SETUP"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: $SETUP"
command -v node >/dev/null 2>&1 || fail "node is missing: $SETUP"
[ -f "$BROWSER/node_modules/playwright-core/package.json" ] ||
    fail "$BROWSER/node_modules/playwright-core is missing: $SETUP"

echo "  node $(node --version)"
echo "  $("$CHROMIUM" --version 2>/dev/null)"
echo "  playwright-core $(sed -n 's/^ *"version": "\(.*\)",$/\1/p' \
    "$BROWSER/node_modules/playwright-core/package.json" | head -n 1)"

SHOW=$WORK/show
SITE=$WORK/site
OUT=$WORK/stdout
ERR=$WORK/stderr
AT=2025-06-01T12:00:00Z
XSS_TITLE='Let op: <script>alert(1)</script> & "quotes"'
SHOW_TITLE="Tom & Jerry's \"Show\" <b>niet vet</b>"

show() {
    sed 's/^/  stdout: /' "$OUT" >&2
    sed 's/^/  stderr: /' "$ERR" >&2
}

# podpub in the show; must succeed.
pp() {
    (cd "$SHOW" && "$PODPUB" "$@") >"$OUT" 2>"$ERR" ||
        { show; fail "podpub $* failed"; }
}

mk() {
    out=$1
    shift
    ffmpeg -nostdin -v error -y "$@" "$out" </dev/null ||
        fail "ffmpeg could not make $out"
}

# ---------------------------------------------------------------------
# The show
# ---------------------------------------------------------------------
(cd "$WORK" && "$PODPUB" -q init --title "$SHOW_TITLE" --author "Ann Author" \
    --language nl-BE --base-url http://127.0.0.1:1/ show) >"$OUT" 2>"$ERR" ||
    { show; fail "podpub init failed"; }
mk "$SHOW/feed/cover.jpg" -f lavfi -i testsrc2=s=1400x1400 -frames:v 1 -q:v 4
sed 's/^# image: cover.jpg$/image: cover.jpg/' "$SHOW/feed/podcast.yaml" \
    >"$WORK/y" && mv "$WORK/y" "$SHOW/feed/podcast.yaml" || fail "sed"
grep -qx 'image: cover.jpg' "$SHOW/feed/podcast.yaml" ||
    fail "could not set image: cover.jpg in feed/podcast.yaml"

mk "$WORK/a1.mp3" -f lavfi -i sine=f=440:d=5 -ac 1 -c:a libmp3lame -b:a 64k
mk "$WORK/a2.m4a" -f lavfi -i sine=f=550:d=4 -ac 1 -c:a aac -b:a 64k
mk "$WORK/a3.opus" -f lavfi -i sine=f=660:d=6 -ac 1 -c:a libopus -b:a 48k
mk "$WORK/a4.mp3" -f lavfi -i sine=f=770:d=3 -ac 1 -c:a libmp3lame -b:a 64k
mk "$WORK/a5.mp3" -f lavfi -i sine=f=880:d=3 -ac 1 -c:a libmp3lame -b:a 64k

pp add --title "Eerste aflevering" --date 2025-01-01T06:00:00Z "$WORK/a1.mp3"
pp add --title "$XSS_TITLE" --date 2025-02-01T06:00:00Z "$WORK/a2.m4a"
pp add --title "Één vraag: 'Hoe gaat het?' 🎧" --date 2025-03-01T06:00:00Z "$WORK/a3.opus"
pp add --title "Concept, nog niet af" --draft --date 2025-04-01T06:00:00Z "$WORK/a4.mp3"
pp add --title "Later, deze zomer" --date 2025-07-01T06:00:00Z "$WORK/a5.mp3"

# notes FILE: replaces the episode's notes (after the front matter) with
# Markdown that links nowhere else and tries raw HTML and javascript:.
notes() {
    awk 'n < 2 { print } /^---$/ { n++ }' "$1" >"$WORK/md" || fail "awk"
    cat >>"$WORK/md" <<'EOF'
Notes with **bold**, a [link to the first episode](#001-eerste-aflevering)
and a list:

- one
- two

<script>alert(2)</script>
<img src="x" onerror="alert(3)">

[Click](javascript:alert(4))
EOF
    mv "$WORK/md" "$1" || fail "mv"
}
for f in "$SHOW"/episodes/*.md; do notes "$f"; done

# ---------------------------------------------------------------------
# build, lay out, serve; a port taken meanwhile means another try
# ---------------------------------------------------------------------

# lay_out SITE BASE EXPECT [FEED]: copies what a web server at BASE serves
# (public/ and each enclosure and the cover at their URL paths, as the
# feed gives them) into SITE (unless SITE is -), and writes what the page
# must show to EXPECT. The feed read is FEED, else public/feed.xml.
lay_out() {
    "$PY" - "$SHOW" "$1" "$2" "$XSS_TITLE" "${4:-$SHOW/public/feed.xml}" >"$3" <<'EOF'
import json, os, shutil, sys
import xml.etree.ElementTree as ET
import podcastparser
show, site, base, xss, feed_path = sys.argv[1:]
with open(feed_path, "rb") as f:
    feed = podcastparser.parse(base + "feed.xml", f)
ch = ET.parse(feed_path).getroot().find("channel")
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
ATOM = "{http://www.w3.org/2005/Atom}"
lang = ch.findtext("language")
cover = ch.find(ITUNES + "image").get("href")
self_link = [l.get("href") for l in ch.findall(ATOM + "link")
             if l.get("rel") == "self"]
feed_url = self_link[0] if self_link else base + "feed.xml"

def place(url, from_dir):
    if not url.startswith(base):
        sys.exit("%s is not under %s" % (url, base))
    rel = url[len(base):]
    dst = os.path.join(site, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(os.path.join(from_dir, rel), dst)

layout = site != "-"
if layout:
    shutil.copytree(os.path.join(show, "public"), site)
    place(cover, os.path.join(show, "feed"))
eps = []
for e in sorted(feed["episodes"], key=lambda e: -e["published"]):
    enc = e["enclosures"][0]
    if layout:
        place(enc["url"], os.path.join(show, "episodes"))
    eps.append({"name": e["link"].split("#", 1)[1], "title": e["title"],
                "enclosure": enc["url"], "length": enc["file_size"],
                "duration": e["total_time"]})
if feed_url != base + "feed.xml":
    sys.exit("feed URL %s is not %sfeed.xml" % (feed_url, base))
json.dump({"page": base + "index.html", "origin": base.rstrip("/"),
           "lang": lang, "show_title": feed["title"], "feed_url": feed_url,
           "cover_url": cover, "episodes": eps, "xss_title": xss,
           "absent_titles": ["Concept, nog niet af", "Later, deze zomer"]},
          sys.stdout, ensure_ascii=False, indent=1)
EOF
}

TOKEN=podpub-$$-$(date +%s)
tries=0
while :; do
    tries=$((tries + 1))
    [ $tries -le 5 ] || fail "could not start a web server on a free port (5 tries)"
    PORT=$(ts_pick_port) || fail "no free port"
    BASE=http://127.0.0.1:$PORT/
    sed "s|^base_url: .*|base_url: $BASE|" "$SHOW/feed/podcast.yaml" >"$WORK/y" &&
        mv "$WORK/y" "$SHOW/feed/podcast.yaml" || fail "sed"
    pp build --at "$AT"
    grep -q '^public/feed.xml: 3 episodes' "$OUT" ||
        { show; fail "build --at $AT: want 3 live episodes"; }

    # The folder as the web server sees it, and what the page must show.
    rm -rf "$SITE"
    lay_out "$SITE" "$BASE" "$WORK/expect.json" ||
        fail "cannot lay out the site from public/feed.xml"
    echo "$TOKEN" >"$SITE/token.txt"

    "$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" \
        >"$WORK/server.log" 2>&1 &
    SRV=$!
    # Ready when it serves our token (not another server on the port).
    if "$PY" - "${BASE}token.txt" "$TOKEN" <<'EOF'
import sys, time, urllib.request
url, token = sys.argv[1:]
for _ in range(100):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            sys.exit(0 if r.read().decode().strip() == token else 1)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
    then
        break
    fi
    sed 's/^/  server: /' "$WORK/server.log" >&2
    stop_server
    echo "  port $PORT did not work; another try"
done
ok "serving $SITE at $BASE (pid $SRV)"

# ---------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------
SHOT=$WORK/index.png
(cd "$BROWSER" && node check_page.mjs "$WORK/expect.json" "$SHOT" \
    "$WORK/chromium-profile")
rc=$?
stop_server
[ $rc -eq 0 ] || fail "the page failed in chromium (above; exit $rc)"
[ -s "$SHOT" ] || fail "no screenshot at $SHOT"
echo "  screenshot: $SHOT"

# ---------------------------------------------------------------------
# The same page from `podpub serve`
# ---------------------------------------------------------------------
start_podpub_serve "$SHOW" "$WORK/serve.out" "$WORK/serve.err" --at "$AT"
ok "podpub serve --at $AT: $URL (pid $SRV)"
curl -s --max-time 10 -o "$WORK/served.xml" "${URL}feed.xml" ||
    fail "GET ${URL}feed.xml failed"
lay_out - "$URL" "$WORK/expect-serve.json" "$WORK/served.xml" ||
    fail "cannot read the served feed"
SHOT=$WORK/index-serve.png
(cd "$BROWSER" && node check_page.mjs "$WORK/expect-serve.json" "$SHOT" \
    "$WORK/chromium-profile-serve")
rc=$?
stop_server
[ $rc -eq 0 ] || fail "the page served by podpub serve failed in chromium (above; exit $rc)"
[ -s "$SHOT" ] || fail "no screenshot at $SHOT"
echo "  screenshot: $SHOT"
echo "$me: all passed"
