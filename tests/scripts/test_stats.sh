#!/bin/sh
# test_stats.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub stats` from the command line, on a show of two episodes (A: 40
# minutes, B: 20 seconds; ffmpeg makes them) and generated logs whose
# answers are known, with the test user-agent lists of
# tests/fixtures/stats/agents:
#   - a listener streaming A in 40 range requests counts once; one address
#     with two apps counts twice; a bot, bytes=0-1 probes and HEAD count
#     nothing; a download across midnight within 24 hours counts once; 30
#     seconds of A count nothing; B counts only when all of it was sent
#   - one download in each of the five formats, in one file, detected per
#     line; lines that match none (NUL, not UTF-8, a 10 MB line) are
#     reported by line number on stderr and the rest is counted (exit 0)
#   - the table, --json, --csv and --html agree; stdin (-) and gzip give
#     the same numbers; --from-target reads the folder publish.logs names
#   - the state file: the same logs twice give the same numbers and read
#     no line again; a log that grows adds only its new lines
#   - no address from the logs in the state file or in any output
#   - usage errors exit 2; no user-agent lists at all exit 1, saying so
set -u

me=test_stats
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg gzip

AGENTS=$SRC/tests/fixtures/stats/agents
SHOW=$WORK/show
OUT=$WORK/stdout
ERR=$WORK/stderr

show() {
    dump "$OUT" stdout
    dump "$ERR" stderr
}

# st ARGS...: podpub stats in the show; must exit 0.
st() {
    (cd "$SHOW" && "$PODPUB" stats "$@") >"$OUT" 2>"$ERR" ||
        { show; fail "podpub stats $* failed"; }
}

# st_status WANT ARGS...: podpub stats must exit WANT.
st_status() {
    want=$1
    shift
    (cd "$SHOW" && "$PODPUB" stats "$@") >"$OUT" 2>"$ERR"
    rc=$?
    [ $rc -eq "$want" ] || { show; fail "podpub stats $*: exit $rc, want $want"; }
}

. "$LIB/stats_show.sh"
stats_show "$SHOW" "Stats & <Show>" 2025-01-01T06:00:00Z 2025-01-01T06:00:00Z
ok "a show of two episodes"

# The logs, from what `podpub list` says of the episodes.
mkdir -p "$SHOW/logs"
"$PY" - "$WORK/list.json" "$SHOW/logs/access.log" "$WORK/mixed.log" \
    "$WORK/expect.json" <<'EOF' || fail "cannot write the logs"
import json, sys, time
eps = json.load(open(sys.argv[1]))
a = next(e for e in eps if e["title"] == "Episode A")
b = next(e for e in eps if e["title"] == "Episode B")
A, B = "/show/" + a["file"][9:-3] + ".mp3", "/show/" + b["file"][9:-3] + ".mp3"
minute = a["bytes"] * 60000 // a["duration_ms"] + 1
T0 = 1735711200                          # 2025-01-01T06:00:00Z
IPHONE = "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4)"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
lines = []

def clf(ip, ua, dt, method, path, status, size):
    ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(T0 + dt))
    lines.append('%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s"\n'
                 % (ip, ts, method, path, status, size, ua))

# 40 range requests: 1 (A)
clf("203.0.113.1", IPHONE, 3600, "HEAD", A, 200, 0)
clf("203.0.113.1", IPHONE, 3600, "GET", A, 206, 2)
for i in range(40):
    clf("203.0.113.1", IPHONE, 3600 + 60 * i, "GET", A, 206, a["bytes"] // 40)
# two apps, one address: 2 (B, whole)
clf("2001:db8::5", IPHONE, 7200, "GET", B, 200, b["bytes"])
clf("2001:db8::5", OVERCAST, 7300, "GET", B, 200, b["bytes"])
# a bot, probes, HEAD: 0
clf("192.0.2.1", "TestBot/1.0", 100, "GET", A, 200, a["bytes"])
clf("192.0.2.2", IPHONE, 100, "GET", A, 206, 2)
clf("192.0.2.3", IPHONE, 100, "HEAD", A, 200, 0)
# across midnight, 20 minutes apart: 1 (A)
clf("198.51.100.1", OVERCAST, 18 * 3600 - 600, "GET", A, 206, minute // 2)
clf("198.51.100.1", OVERCAST, 18 * 3600 + 600, "GET", A, 206, minute // 2 + 1)
# 30 seconds of A: 0; B not whole: 0
clf("198.51.100.2", OVERCAST, 200, "GET", A, 206, minute // 2)
clf("198.51.100.3", OVERCAST, 200, "GET", B, 206, b["bytes"] - 1)
lines.sort(key=lambda l: l.split("[")[1][:20])
open(sys.argv[2], "w").writelines(lines)

# One download of B in each format, and lines that are none.
s = b["bytes"]
mixed = [
    '198.51.100.10 - - [02/Jan/2025:10:00:00 +0000] "GET %s HTTP/1.1" 200 %d '
    '"-" "%s"\n' % (B, s, OVERCAST),
    'owner bucket [02/Jan/2025:10:00:01 +0000] 198.51.100.11 - ID '
    'REST.GET.OBJECT %s "GET %s HTTP/1.1" 200 - %d %d 5 4 "-" "%s" - x SigV4 '
    'c AuthHeader h TLSv1.2 - -\n' % (B[1:], B, s, s, OVERCAST),
    '2025-01-02\t10:00:02\tAMS1\t%d\t198.51.100.12\tGET\td.cloudfront.net\t%s'
    '\t200\t-\tOvercast/3.0%%20(iOS)\t-\t-\tMiss\tid\th\thttps\t1\t0.1\t-\t'
    'TLSv1.3\tc\tMiss\tHTTP/2.0\t-\t-\t1\t0.1\tMiss\taudio/mpeg\t%d\t-\t-\n'
    % (s, B, s),
    '{"ts":%d,"request":{"client_ip":"198.51.100.13","method":"GET","uri":'
    '"%s","headers":{"User-Agent":["%s"]}},"size":%d,"status":200}\n'
    % (T0 + 86400 + 4 * 3600 + 3, B, OVERCAST, s),
    '{"ClientIP":"198.51.100.14","ClientRequestMethod":"GET",'
    '"ClientRequestURI":"%s","ClientRequestUserAgent":"%s",'
    '"EdgeResponseBodyBytes":%d,"EdgeResponseStatus":200,'
    '"EdgeStartTimestamp":"2025-01-02T10:00:04Z"}\n' % (B, OVERCAST, s),
]
with open(sys.argv[3], "wb") as f:
    for l in mixed:
        f.write(l.encode())
    f.write(b"1.2.3.4 - - [02/Jan/2025:10:00:05 +0000] \0 NUL\n")   # line 6
    f.write(b"not \xff UTF-8\n")                                   # line 7
    f.write(b"x" * (10 << 20) + b"\n")                             # line 8
    f.write(mixed[0].replace("198.51.100.10", "198.51.100.15").encode())
json.dump({"A": a["guid"], "B": b["guid"]}, open(sys.argv[4], "w"))
EOF
GA=$(json "$WORK/expect.json" 'j["A"]')
GB=$(json "$WORK/expect.json" 'j["B"]')
ok "logs written"

# ---------------------------------------------------------------------
# The IAB cases
# ---------------------------------------------------------------------
st --agents "$AGENTS" --no-state --json logs/access.log
cp "$OUT" "$WORK/a.json"
got=$(json "$WORK/a.json" '"%d %d %d" % (j["downloads"], [e["downloads"] for e in j["episodes"] if e["guid"] == "'"$GA"'"][0], [e["downloads"] for e in j["episodes"] if e["guid"] == "'"$GB"'"][0])')
[ "$got" = "4 2 2" ] || { show; fail "downloads (all, A, B): $got, want 4 2 2"; }
got=$(json "$WORK/a.json" '"%d %d %d %d" % (j["requests"]["bots"], j["requests"]["range_0_1"], j["requests"]["not_get"], j["lines"]["unmatched"])')
[ "$got" = "1 2 2 0" ] || { show; fail "bots, probes, HEAD, unmatched: $got, want 1 2 2 0"; }
ok "40 ranges once, two apps twice, bot/probe/HEAD none, midnight once, 30 s none"

# ---------------------------------------------------------------------
# Five formats in one file, bad lines reported
# ---------------------------------------------------------------------
st --agents "$AGENTS" --no-state --json "$WORK/mixed.log"
got=$(json "$OUT" '"%d %d %s" % (j["downloads"], j["lines"]["unmatched"], ",".join(sorted(f["name"] for f in j["lines"]["formats"])))')
[ "$got" = "6 3 caddy,cloudfront,combined,logpush,s3" ] ||
    { show; fail "mixed formats: $got"; }
for want in "mixed.log:6: line holds a NUL byte" "mixed.log:7: line is not UTF-8" \
            "mixed.log:8: line is longer than 64 KiB"; do
    grep -q "$want" "$ERR" || { show; fail "stderr lacks '$want'"; }
done
ok "five formats detected per line; NUL, not UTF-8 and a 10 MB line reported by number"

# ---------------------------------------------------------------------
# Outputs agree; stdin and gzip
# ---------------------------------------------------------------------
st --agents "$AGENTS" --no-state --csv --html "$WORK/page.html" logs/access.log
head -n 1 "$OUT" | grep -q '^guid,title,published,first_1_day' || { show; fail "CSV header"; }
grep -q "^\"$GA\",\"Episode A\",2025-01-01,2,2,2,2," "$OUT" || { show; fail "CSV row of A"; }
grep -q '<svg id="chart-days"' "$WORK/page.html" || fail "no daily chart in the page"
grep -q 'id="downloads">4<' "$WORK/page.html" || fail "the page's total is not 4"
grep -q 'Stats &amp; &lt;Show&gt;' "$WORK/page.html" || fail "the title is not escaped"
st --agents "$AGENTS" --no-state logs/access.log
grep -q '^Episode A .* 2  Apple Podcasts 1, Overcast 1$' "$OUT" ||
    { show; fail "the table's row of A"; }
gzip -c "$SHOW/logs/access.log" >"$WORK/access.log.1.gz"
(cd "$SHOW" && "$PODPUB" stats --agents "$AGENTS" --no-state --json - \
    <"$WORK/access.log.1.gz") >"$OUT" 2>"$ERR" || { show; fail "stats - (gzip)"; }
[ "$(json "$OUT" 'j["downloads"]')" = 4 ] || { show; fail "gzip on stdin: not 4"; }
ok "table, CSV, HTML and JSON agree; gzip on stdin the same"

# ---------------------------------------------------------------------
# --from-target and the state
# ---------------------------------------------------------------------
st_status 2 --agents "$AGENTS" --from-target
grep -q 'has no publish.logs' "$ERR" || { show; fail "--from-target without publish.logs"; }
printf 'publish:\n  logs: logs/\n' >>"$SHOW/feed/podcast.yaml"
st --agents "$AGENTS" --from-target --json
[ "$(json "$OUT" 'j["downloads"]')" = 4 ] || { show; fail "--from-target: not 4"; }
[ -f "$SHOW/.podpub/stats.json" ] || fail "no state file written"
st --agents "$AGENTS" --from-target --json
got=$(json "$OUT" '"%d %d %d" % (j["downloads"], j["lines"]["read"], j["lines"]["counted_before"])')
[ "$got" = "4 0 51" ] || { show; fail "the same logs twice: $got, want 4 0 51"; }
# the log grows: a new listener of B the next day
sed -n '/2001:db8::5.*Overcast/p' "$SHOW/logs/access.log" |
    sed 's/2001:db8::5/2001:db8::6/; s/01\/Jan/03\/Jan/' >>"$SHOW/logs/access.log"
st --agents "$AGENTS" --from-target --json
got=$(json "$OUT" '"%d %d" % (j["downloads"], j["lines"]["read"])')
[ "$got" = "5 1" ] || { show; fail "a grown log: $got, want 5 1"; }
ok "--from-target reads publish.logs; the same logs twice give the same numbers"

# ---------------------------------------------------------------------
# Privacy: no address anywhere podpub writes
# ---------------------------------------------------------------------
st --agents "$AGENTS" --json --html "$WORK/page2.html" logs/access.log
cp "$OUT" "$WORK/out.json"
st --agents "$AGENTS" --csv logs/access.log
cp "$OUT" "$WORK/out.csv"
for f in "$SHOW/.podpub/stats.json" "$WORK/out.json" "$WORK/out.csv" \
         "$WORK/page2.html"; do
    if grep -E -q '203\.0\.113|198\.51\.100|192\.0\.2\.|2001:db8' "$f"; then
        fail "an address from the logs is in $f"
    fi
    if grep -q 'Overcast/3\|AppleCoreMedia/' "$f"; then
        fail "a user agent from the logs is in $f"
    fi
done
ok "no address or user agent in the state file, JSON, CSV or the page"

# ---------------------------------------------------------------------
# Usage and missing lists
# ---------------------------------------------------------------------
st_status 2
st_status 2 --json --csv logs/access.log
st_status 2 --format nginx logs/access.log
st_status 2 --agents "$AGENTS" --no-agents logs/access.log
st_status 4 --agents "$WORK/nowhere" logs/access.log
(cd "$SHOW" && PODPUB_AGENTS= "$PODPUB" stats --no-state logs/access.log) \
    >"$OUT" 2>"$ERR"
rc=$?
if [ -d /usr/share/podpub/user-agents ]; then
    note "lists installed in /usr/share/podpub/user-agents: the no-lists case is not tried"
else
    [ $rc -eq 1 ] && grep -q 'no user-agent lists' "$ERR" ||
        { show; fail "without lists: exit $rc, want 1 and a message"; }
fi
st --no-agents --no-state --json logs/access.log
[ "$(json "$OUT" 'j["requests"]["bots"]')" = 0 ] || { show; fail "--no-agents excluded a bot"; }
st --agents "$AGENTS" --no-state --format combined --json "$WORK/mixed.log"
[ "$(json "$OUT" 'j["lines"]["unmatched"]')" = 7 ] ||
    { show; fail "--format combined: want 7 unmatched lines"; }
ok "usage errors exit 2; missing lists exit 1; --format holds every line to one format"

echo "$me: all passed"
