#!/bin/sh
# test_hostile_feeds.sh PODPUB SOURCE_DIR WORK_DIR
#
# A feed from outside is parsed with bounded cost. Feeds of about 1 MB
# built to blow up an XML reader (one big entity referenced many times,
# a small one referenced 250,000 times, nested "billion laughs", external
# and parameter entities, elements nested 100,000 deep, a 1 MB title and
# language) are read by the three ways podpub reads someone's feed:
#   - `podpub check --feed FILE` (and file:// is the same file);
#   - `podpub check --online`, whose feed_url serves the bomb (python's
#     http.server on loopback);
#   - `podpub publish`, whose target holds the bomb as its live feed
#     (it must publish, warning that the live feed could not be read).
# Each run: peak memory (GNU time's %M) under 200 MB, stderr under 256 KB,
# no raw control character in the output, and an exit status (never a
# crash or a signal). Entity declarations are refused at the declaration.
set -u
me=test_hostile_feeds
. "$(dirname "$0")/lib/publish.sh"
. "$(dirname "$0")/lib/hostile.sh"
pub_init "$@"

TIME=/usr/bin/time
[ -x "$TIME" ] || fail "$TIME is missing (scripts/setup test installs 'time')"
MAX_KB=204800
BOMBS=$WORK/bombs
mkdir -p "$BOMBS"

"$PY" - "$BOMBS" <<'PYEOF'
import os, sys
d = sys.argv[1]
head = '<?xml version="1.0" encoding="UTF-8"?>\n'
rss = ('<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
       '<channel><title>%s</title><description>x</description>'
       '<language>%s</language>'
       '<item><title>%s</title><guid>g1</guid>'
       '<enclosure url="https://example.org/a.mp3" length="1" type="audio/mpeg"/>'
       '</item></channel></rss>\n')
def write(name, text):
    with open(os.path.join(d, name + ".xml"), "w", encoding="utf-8") as f:
        f.write(text)
big = "A" * 900000
write("big-entity", head + '<!DOCTYPE rss [<!ENTITY e "%s">]>\n' % big +
      rss % ("&e;" * 100, "nl", "&e;" * 100))
write("many-refs", head + '<!DOCTYPE rss [<!ENTITY e "%s">]>\n' % ("B" * 1000) +
      rss % ("&e;" * 250000, "nl", "t"))
lol = '<!ENTITY l0 "lollollollol">' + "".join(
    '<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 10))
write("nested", head + "<!DOCTYPE rss [%s]>\n" % lol + rss % ("&l9;", "nl", "&l9;"))
write("external", head + '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">'
      '<!ENTITY y SYSTEM "http://127.0.0.1:1/y">]>\n' + rss % ("&x;", "nl", "&y;"))
write("parameter", head + '<!DOCTYPE rss [<!ENTITY % p "<!ENTITY q \'QQQQ\'>"> %p;]>\n' +
      rss % ("&q;", "nl", "t"))
write("deep", head + '<rss version="2.0"><channel><title>x</title>' +
      "<a>" * 100000 + "</a>" * 100000 + "</channel></rss>\n")
write("huge-values", head + rss % ("T" * 1000000, "\u009b" + "L" * 1000000,
                                   " \u202e" + "E" * 1000))
PYEOF

# measured WHAT WANT_MIN WANT_MAX ARGS...: podpub ARGS under GNU time;
# the exit status must be in WANT_MIN..WANT_MAX (never a signal), memory
# and output bounded, no raw control characters.
measured() {
    _what=$1 _lo=$2 _hi=$3
    shift 3
    OUT=$WORK/out ERR=$WORK/err
    timeout "$PP_TIMEOUT" "$TIME" -f '%M %e' -o "$WORK/time" \
        "$PODPUB" "$@" >"$OUT" 2>"$ERR"
    rc=$?
    _kb=$(tail -n 1 "$WORK/time" | cut -d' ' -f1)
    _s=$(tail -n 1 "$WORK/time" | cut -d' ' -f2)
    _bytes=$(wc -c <"$ERR" | tr -d ' ')
    if [ "$rc" -lt "$_lo" ] || [ "$rc" -gt "$_hi" ]; then
        dump "$ERR" stderr
        bad "$_what: exit $rc, expected $_lo..$_hi"
    elif [ "${_kb:-999999999}" -gt $MAX_KB ]; then
        bad "$_what: peak memory ${_kb} KB (limit $MAX_KB)"
    elif [ "$_bytes" -gt 262144 ]; then
        bad "$_what: $_bytes bytes on stderr"
    elif [ "$(wc -c <"$OUT" | tr -d ' ')" -gt 262144 ]; then
        bad "$_what: $(wc -c <"$OUT" | tr -d ' ') bytes on stdout"
    elif raw_controls "$ERR" || raw_controls "$OUT"; then
        bad "$_what: raw control characters in the output"
    else
        ok "$_what: exit $rc, $((_kb / 1024)) MB peak, $_bytes bytes of stderr, $_s s"
    fi
}

echo "== check --feed"
for f in "$BOMBS"/*.xml; do
    n=$(basename "$f" .xml)
    measured "check --feed $n ($(wc -c <"$f" | tr -d ' ') bytes)" 1 1 \
        check --feed "$f"
    case $n in
        big-entity | many-refs | nested | external | parameter)
            must_say "$OUT" "declares the XML entity .*\\[rss.feed.xml\\]" \
                "$n: refused at the declaration, as a finding" ;;
    esac
    if [ "$n" = huge-values ]; then
        # Findings quote values cut short: no line near the 1 MB values.
        longest=$(cat "$OUT" "$ERR" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
        [ "$longest" -gt 4096 ] &&
            bad "huge-values: a finding of $longest bytes (values are quoted whole)"
        ok "huge-values: the longest line of output is $longest bytes"
    fi
    measured "check --feed file://$n" 1 1 check --feed "file://$f"
done

echo "== check --online: the feed at feed_url is a bomb"
SITE=$WORK/site
mkdir -p "$SITE"
port=$(ts_pick_port) || fail "no free port"
(cd "$SITE" && exec "$PY" -m http.server --bind 127.0.0.1 "$port") \
    >"$WORK/http.log" 2>&1 &
HTTPD=$!
trap 'kill $HTTPD 2>/dev/null; pub_cleanup' EXIT
n=0
while ! curl -s -o /dev/null "http://127.0.0.1:$port/"; do
    n=$((n + 1))
    [ $n -lt 50 ] || fail "http.server did not start"
    sleep 0.1
done
SHOW=$WORK/show
make_show "$SHOW"
sed -i "s#^base_url: .*#base_url: http://127.0.0.1:$port/#; s#^feed_url: .*#feed_url: http://127.0.0.1:$port/feed.xml#" \
    "$SHOW/feed/podcast.yaml"
for n in big-entity many-refs nested huge-values; do
    cp "$BOMBS/$n.xml" "$SITE/feed.xml"
    measured "check --online, live feed $n" 1 3 -C "$SHOW" check --online \
        --ignore url.https --timeout 10
done

echo "== publish: the target's live feed is a bomb"
use_target file
SHOW=$WORK/pubshow
make_show "$SHOW"
pp 0 "first publish" publish --target "$URL" || pub_finish
for n in big-entity many-refs nested external; do
    cp "$BOMBS/$n.xml" "$REMOTE_ROOT/feed.xml"
    measured "publish, live feed $n" 0 0 -C "$SHOW" publish --target "$URL"
    must_say "$ERR" "live feed .* could not be read" "publish over $n warns"
    cmp -s "$SHOW/public/feed.xml" "$REMOTE_ROOT/feed.xml" ||
        bad "publish over $n: the feed was not replaced"
done
# A well-formed live feed whose one item is not in the show: the guard
# refuses, quoting its 1 MB title cut short and its bidi override escaped.
cp "$BOMBS/huge-values.xml" "$REMOTE_ROOT/feed.xml"
measured "publish, live feed huge-values" 1 1 -C "$SHOW" publish --target "$URL"
must_say "$ERR" '"\\u202eE{70,80}\.\.\." \(guid g1\) would disappear' \
    "the refusal quotes the live title escaped and cut"

pub_finish
