#!/bin/sh
# test_stats_browser.sh PODPUB SOURCE_DIR WORK_DIR
#
# The page `podpub stats --html` writes, in a real browser: Debian's
# chromium driven by playwright-core (tests/browser/, as for index.html in
# test_page_browser.sh; scripts/setup test installs them; without them
# this test FAILS, saying so).
#
# A show of three episodes (40 minutes, and two of 20 seconds, the first
# published 45 days before the log ends, so that two have their first 30
# days in it) and a generated nginx log of 45 days: listeners with the
# test lists' apps on iPhones, Android phones and Linux computers, a bot,
# probes. tests/browser/check_stats.mjs loads the page from file:// and
# checks that the four charts are drawn, that every number equals
# `podpub stats --json` of the same log, and that the page runs no script
# and asks for nothing. Screenshot: WORK_DIR/stats.png.
set -u

me=test_stats_browser
. "$(dirname "$0")/lib/common.sh"
. "$LIB/stats_show.sh"
init "$@"
need ffmpeg

CHROMIUM=/usr/bin/chromium
BROWSER=$SRC/tests/browser
SETUP="run scripts/setup test (it installs chromium, nodejs and npm, and runs npm ci --prefix tests/browser)"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: $SETUP"
command -v node >/dev/null 2>&1 || fail "node is missing: $SETUP"
[ -f "$BROWSER/node_modules/playwright-core/package.json" ] ||
    fail "$BROWSER/node_modules/playwright-core is missing: $SETUP"

SHOW=$WORK/show
stats_show "$SHOW" "Luister <mee> & \"zo\"" 2025-01-01T06:00:00Z \
    2025-01-10T06:00:00Z 2025-02-01T06:00:00Z
ok "a show of three episodes"

"$PY" - "$WORK/list.json" "$WORK/access.log" <<'EOF' || fail "cannot write the log"
import json, random, sys, time
eps = json.load(open(sys.argv[1]))
rnd = random.Random(7)
T0 = 1735711200                          # 2025-01-01T06:00:00Z
uas = ["AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4)",
       "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
       "Pocket Casts/7.57 (Android 14)",
       "okhttp/4.12.0 (Linux; Android 13)",
       "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
       "SomeUnknownPlayer/1.0"]
lines = []
for n in range(600):
    e = rnd.choice(eps)
    pub = T0 + (int(time.mktime(time.strptime(e["date"][:19],
                "%Y-%m-%dT%H:%M:%S"))) - int(time.mktime(time.strptime(
                "2025-01-01T06:00:00", "%Y-%m-%dT%H:%M:%S"))))
    t = pub + int(rnd.expovariate(1 / (4 * 86400)))
    if t > T0 + 45 * 86400:
        continue
    ip = "10.%d.%d.%d" % (n % 7, n % 13, n % 250 + 1)
    ua = "TestBot/1.0" if n % 50 == 0 else rnd.choice(uas)
    path = "/show/" + e["file"][9:-3] + ".mp3"
    size = e["bytes"] if rnd.random() < 0.8 else 100
    for sent in ([2, size] if rnd.random() < 0.5 else [size]):
        lines.append((t, '%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s"\n' % (
            ip, time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t)),
            path, 206 if sent == 2 else 200, sent, ua)))
        t += 5
lines.sort(key=lambda x: x[0])
open(sys.argv[2], "w").writelines(l for _, l in lines)
EOF

AGENTS=$SRC/tests/fixtures/stats/agents
(cd "$SHOW" && "$PODPUB" stats --agents "$AGENTS" --no-state --json \
    --html "$WORK/stats.html" "$WORK/access.log") >"$WORK/stats.json" \
    2>"$WORK/stderr" || { dump "$WORK/stderr" stderr; fail "podpub stats failed"; }
[ "$(json "$WORK/stats.json" "j['downloads']")" -gt 100 ] ||
    fail "fewer than 100 downloads in the generated log"
[ "$(json "$WORK/stats.json" 'j["median_first_30_days"]["episodes"]')" = 2 ] ||
    fail "want two episodes with 30 days for the median"
ok "podpub stats --json and --html of a 45-day log"

SHOT=$WORK/stats.png
(cd "$BROWSER" && node check_stats.mjs "$WORK/stats.json" "$WORK/stats.html" \
    "$SHOT" "$WORK/chromium-profile") || fail "the page failed in chromium (above)"
[ -s "$SHOT" ] || fail "no screenshot at $SHOT"
echo "  screenshot: $SHOT"
echo "$me: all passed"
