#!/bin/sh
# test_import.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub import --media keep` against a real web server on loopback
# (Debian's nginx, own prefix and config in WORK_DIR, a free port in
# 20000-32000, killed at the end, also on failure):
#   (a) feeds of the kinds shows move from (tests/fixtures/import/feeds,
#       written here; see the README there), served with their url= and href=
#       links moved under http://127.0.0.1:PORT/remote/ (artwork there is
#       the fixture cover, everything else 404): each is imported from
#       its http URL, the list of what was not kept must equal
#       tests/fixtures/import/<feed>.left, the show must build, and
#       import_roundtrip.py must find every item again through
#       podcastparser and feedparser (GUID, pubDate instant, enclosure
#       URL and length, season, episode, type, podcast:guid);
#   (b) a second run adds nothing; an item added to the served feed is
#       added alone, numbered next; a feed of another show is refused;
#   (c) audio_url: an imported show whose enclosures are real files on
#       the server passes `check --online`, and one whose length differs
#       gets online.length for that one only;
#   (d) hostile feeds (file:, no server): GUIDs and titles with path
#       characters and 10,000 characters stay inside episodes/ with
#       distinct names and exact GUIDs; file:///etc/passwd and ftp://
#       enclosures are refused and listed (exit 1); a NUL character
#       reference makes the feed unreadable (exit 1, line named);
#   (e) 20,000 items import in bounded time and memory (printed), and an
#       import killed with -9 leaves no show; the next run completes it.
set -u

me=test_import
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/nginx.sh"
init "$@"

CORPUS=$SRC/tests/fixtures/import/feeds
GOLD=$SRC/tests/fixtures/import
SITE=$WORK/site
STATE=$WORK/nginx
OUT=$WORK/stdout
ERR=$WORK/stderr
FEEDS="hosted-export.xml wordpress-plugin.xml podcast2-rich.xml legacy-itunes.xml serial-radio.xml"

NG=
stop_servers() {
    [ -n "$NG" ] && { kill "$NG" 2>/dev/null; wait "$NG" 2>/dev/null; }
    NG=
}
trap stop_servers EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

FAILED=
bad() { echo "$me: FAIL: $*" >&2; FAILED="$FAILED
  $*"; }

# ---------------------------------------------------------------------
# nginx
# ---------------------------------------------------------------------
tries=0
while :; do
    tries=$((tries + 1))
    [ $tries -le 5 ] || fail "could not start nginx on a free port (5 tries)"
    PORT=$(ts_pick_port) || fail "no free port"
    HOST=http://127.0.0.1:$PORT
    rm -rf "$SITE" "$STATE"
    mkdir -p "$SITE/feeds" "$SITE/media" "$STATE/tmp" || fail "mkdir"
    cp "$SRC/tests/fixtures/image/cover.jpg" "$SITE/cover.jpg" || fail "cp"
    for f in $FEEDS; do
        sed -E "s#(url|href)=\"https?://#\\1=\"$HOST/remote/#g" \
            "$CORPUS/$f" >"$SITE/feeds/$(basename "$f")" || fail "sed $f"
    done
    nginx_conf_head "$STATE" >"$STATE/nginx.conf"
    cat >>"$STATE/nginx.conf" <<EOF
    types {
        audio/mpeg mp3;
        image/jpeg jpg jpeg;
        application/rss+xml xml;
    }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $SITE;
        location ~* ^/remote/.*\.(jpe?g|png)$ { try_files /cover.jpg =404; }
        location = /old/moved.xml { return 301 $HOST/new/feed.xml; }
        location = /old/temporary.xml { return 302 $HOST/new/feed.xml; }
        location = /old/elsewhere.xml { return 301 $HOST/other/feed.xml; }
    }
}
EOF
    "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" -e "$STATE/error.log" &
    NG=$!
    up=0
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        curl -fs "$HOST/cover.jpg" -o /dev/null && { up=1; break; }
        kill -0 "$NG" 2>/dev/null || break
        sleep 0.2
    done
    [ $up = 1 ] && break
    stop_servers
done
note "nginx on $HOST"

# import FEED_URL DIR: podpub import --media keep, stdout/stderr kept.
import() {
    (cd "$WORK" && "$PODPUB" import --media keep --timeout 5 \
        --base-url "$HOST/new/" "$@") >"$OUT" 2>"$ERR"
}

# ---------------------------------------------------------------------
# (a) the feeds: import, the list of what was left, build, round trip
# ---------------------------------------------------------------------
for f in $FEEDS; do
    name=$(basename "$f")
    show=$WORK/shows/$name
    mkdir -p "$WORK/shows"
    import "$HOST/feeds/$name" "$show"
    status=$?
    want_status=$(sed -n 's/^exit //p' "$GOLD/$name.left")
    [ "$status" = "${want_status:-0}" ] ||
        { dump "$ERR" stderr; bad "$name: import exited $status, want ${want_status:-0}"; continue; }
    { cat "$ERR"; echo "exit $status"; } |
        sed "s#$HOST#HOST#g" >"$WORK/$name.left"
    if [ -n "${PODPUB_REBLESS:-}" ]; then
        cp "$WORK/$name.left" "$GOLD/$name.left"
    elif ! diff -u "$GOLD/$name.left" "$WORK/$name.left" >&2; then
        bad "$name: what was not kept differs from tests/fixtures/import/$name.left"
    fi
    # The old feed's own problems (tests/fixtures/import/<feed>.ignore,
    # each rule with why) are ignored the way a producer would.
    if [ -f "$GOLD/$name.ignore" ]; then
        printf 'check:\n  ignore: [%s]\n' "$(sed -n 's/^\([a-z.]*\) .*/\1/p' \
            "$GOLD/$name.ignore" | paste -sd, -)" >>"$show/feed/podcast.yaml"
    fi
    (cd "$show" && "$PODPUB" -q build --at 2030-01-01T00:00:00Z) >"$OUT" 2>"$ERR" ||
        { dump "$ERR" stderr; bad "$name: the imported show does not build"; continue; }
    skip=$(sed -n 's/^  *[0-9]*  item whose guid an earlier item has (not imported) (e.g. \(.*\))$/--skip \1/p' "$WORK/$name.left")
    # shellcheck disable=SC2086
    if "$PY" "$LIB/import_roundtrip.py" "$SITE/feeds/$name" \
            "$show/public/feed.xml" "$HOST/feeds/$name" $skip >"$OUT" 2>&1; then
        ok "$name: imported, built, $(tail -n 1 "$OUT" | sed 's/^import_roundtrip: //')"
    else
        dump "$OUT" roundtrip
        bad "$name: the round trip through podcastparser and feedparser differs"
    fi
done

# ---------------------------------------------------------------------
# (b) run again: nothing new; one new item: added alone; another show
# ---------------------------------------------------------------------
name=hosted-export.xml
show=$WORK/shows/$name
before=$(ls "$show/episodes"/*.md | wc -l)
import "$HOST/feeds/$name" "$show" || { dump "$ERR" stderr; bad "(b) second import failed"; }
grep -q ", 0 episodes added" "$OUT" && grep -q "already in the show" "$OUT" ||
    { dump "$OUT" stdout; bad "(b) a second import added episodes"; }
"$PY" - "$SITE/feeds/$name" <<'EOF' || fail "cannot add an item"
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
item = ("<item><title>Brand new</title><guid isPermaLink=\"false\">new-item-1"
        "</guid><pubDate>Mon, 01 Jan 2029 10:00:00 +0100</pubDate>"
        "<enclosure url=\"https://example.org/new.mp3\" length=\"1234\" "
        "type=\"audio/mpeg\"/></item>")
i = s.index("<item")
open(p, "w", encoding="utf-8").write(s[:i] + item + s[i:])
EOF
import "$HOST/feeds/$name" "$show" || { dump "$ERR" stderr; bad "(b) third import failed"; }
after=$(ls "$show/episodes"/*.md | wc -l)
newest=$(ls "$show/episodes"/*.md | tail -n 1)
[ "$after" -eq $((before + 1)) ] && grep -q '^guid: "new-item-1"$' "$newest" &&
    grep -q '^date: 2029-01-01T10:00:00+01:00$' "$newest" &&
    ok "(b) a second run adds nothing; a new item is added alone, as $(basename "$newest")" ||
    bad "(b) the new item was not added alone and last ($before -> $after, $newest)"
import "$HOST/feeds/podcast2-rich.xml" "$show"
[ $? = 1 ] && grep -q "holds another show" "$ERR" &&
    ok "(b) another show's feed is not imported into this show" ||
    { dump "$ERR" stderr; bad "(b) another show's feed was not refused"; }

# ---------------------------------------------------------------------
# (c) audio_url checked online: sizes and types at the server
# ---------------------------------------------------------------------
TONE=$SRC/tests/fixtures/audio/tone-cbr.mp3
cp "$TONE" "$SITE/media/one.mp3" && cp "$TONE" "$SITE/media/two.mp3" || fail "cp"
printf 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n' >"$SITE/media/one.vtt"
printf 'WEBVTT\n\n00:00.000 --> 00:02.000\nHallo.\n' >"$SITE/media/two.vtt"
printf '1\n00:00:00,000 --> 00:00:02,000\nHello.\n' >"$SITE/media/two-en.srt"
printf '{"version":"1.2.0","chapters":[{"startTime":0,"title":"Start"}]}\n' >"$SITE/media/one.json"
printf '{"version":"1.2.0","chapters":[{"title":"no start"' >"$SITE/media/two.json"
size=$(wc -c <"$TONE")
cat >"$SITE/feeds/hosted.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Hosted</title><link>$HOST/</link><description>Two episodes</description>
<language>en</language><itunes:image href="$HOST/remote/art.jpg"/>
<itunes:category text="Technology"/><itunes:author>A</itunes:author>
<itunes:owner><itunes:name>A</itunes:name><itunes:email>a@example.org</itunes:email></itunes:owner>
<item><title>One</title><guid isPermaLink="false">one</guid><pubDate>Tue, 05 Mar 2024 09:00:00 -0500</pubDate>
<enclosure url="$HOST/media/one.mp3" length="$size" type="audio/mpeg"/><itunes:duration>3</itunes:duration>
<podcast:transcript url="$HOST/media/one.vtt" type="text/vtt"/><podcast:chapters url="$HOST/media/one.json" type="application/json+chapters"/></item>
<item><title>Two</title><guid isPermaLink="false">two</guid><pubDate>Wed, 06 Mar 2024 09:00:00 -0500</pubDate>
<enclosure url="$HOST/media/two.mp3" length="$((size + 1))" type="audio/mpeg"/><itunes:duration>3</itunes:duration>
<podcast:transcript url="$HOST/media/two.vtt" type="text/vtt" language="nl"/>
<podcast:transcript url="$HOST/media/two-en.srt" type="application/x-subrip" language="en" rel="captions"/>
<podcast:chapters url="$HOST/media/two.json" type="application/json+chapters"/></item>
</channel></rss>
EOF
import "$HOST/feeds/hosted.xml" "$WORK/shows/hosted" || { dump "$ERR" stderr; bad "(c) import failed"; }
E=$WORK/shows/hosted/episodes
if cmp -s "$SITE/media/one.vtt" "$E/001-one.vtt" && cmp -s "$SITE/media/one.json" "$E/001-one.chapters.json" &&
        grep -q '^transcript: "001-one.vtt"$' "$E/001-one.md" &&
        grep -q '^chapters: "001-one.chapters.json"$' "$E/001-one.md" &&
        [ ! -e "$E/002-two.chapters.json" ] && ! grep -q '^chapters:' "$E/002-two.md" &&
        grep -q "podcast:chapters that are not Podcast Index JSON chapters (not kept)" "$ERR" &&
        cmp -s "$SITE/media/two.vtt" "$E/002-two.vtt" &&
        cmp -s "$SITE/media/two-en.srt" "$E/002-two-2.srt" &&
        [ "$(grep -A5 '^transcripts:$' "$E/002-two.md")" = 'transcripts:
  - file: "002-two.vtt"
    language: "nl"
  - file: "002-two-2.srt"
    language: "en"
    rel: "captions"' ]; then
    ok "(c) transcripts and chapters downloaded next to the episode (two transcripts as transcripts: with language and rel); broken chapters listed, not kept"
else
    dump "$ERR" stderr; ls "$E" >&2
    bad "(c) transcript and chapters downloads"
fi
(cd "$WORK/shows/hosted" && "$PODPUB" -q build && "$PODPUB" check --online --ignore url.https \
    --ignore online.status --ignore online.unreachable) >"$OUT" 2>"$ERR"
st=$?
n_len=$(grep -c "online.length" "$OUT")
if [ $st = 1 ] && [ "$n_len" = 1 ] && grep "online.length" "$OUT" | grep -q "two.mp3" &&
        ! grep -q "one.mp3" "$OUT"; then
    ok "(c) audio_url: the right file passes check --online, the wrong length is online.length"
else
    dump "$OUT" stdout; dump "$ERR" stderr
    bad "(c) check --online on audio_url episodes (exit $st, $n_len online.length)"
fi
# The move: moved_from (the URL imported from) must now 301 to feed_url.
moved() {
    sed -i "s|^moved_from: .*|moved_from: \"$1\"|" "$WORK/shows/hosted/feed/podcast.yaml"
    (cd "$WORK/shows/hosted" && "$PODPUB" check --online --ignore url.https \
        --ignore online.status --ignore online.unreachable --ignore online.length) >"$OUT" 2>"$ERR"
}
grep -q "^moved_from: \"$HOST/feeds/hosted.xml\"$" "$WORK/shows/hosted/feed/podcast.yaml" ||
    bad "(c) import did not record moved_from"
moved "$HOST/feeds/hosted.xml"
grep -q "still answers 200.*\[online.moved\]" "$OUT" || { dump "$OUT" stdout; bad "(c) an old feed answering 200 is not online.moved"; }
moved "$HOST/old/temporary.xml"
grep -q "HTTP 302: a temporary redirect.*\[online.moved\]" "$OUT" || { dump "$OUT" stdout; bad "(c) a 302 is not online.moved"; }
moved "$HOST/old/elsewhere.xml"
grep -q "redirects to $HOST/other/feed.xml, not to.*\[online.moved\]" "$OUT" || { dump "$OUT" stdout; bad "(c) a 301 elsewhere is not online.moved"; }
moved "$HOST/old/moved.xml"
grep -q "online.moved" "$OUT" && { dump "$OUT" stdout; bad "(c) a right 301 is online.moved"; }
ok "(c) check --online: the old feed answering 200, a 302, a 301 elsewhere are online.moved; a 301 to feed_url is not"

stop_servers

# ---------------------------------------------------------------------
# (d) hostile feeds
# ---------------------------------------------------------------------
"$PY" - "$WORK/hostile.xml" <<'EOF' || fail "cannot write the hostile feed"
import sys
long = "x" * 10000
items = [("../../../etc/passwd", "../../outside"), ("/abs/olute", "a/b/c"),
         ("..", "same title"), (".", "same title"), (long, long),
         ("guid with inner spaces", "Ünïcödé \u201ctitle\u201d"),
         ("https://old.example.org/?p=1&amp;x=2", "CON"),
         ("\u00e9t\u00e9", "")]
out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
       '<title>../Hostile</title><description>d</description>']
for n, (g, t) in enumerate(items):
    out.append('<item><title>%s</title><guid isPermaLink="false">%s</guid>'
               '<pubDate>Mon, 0%d Jan 2024 10:00:00 +0000</pubDate>'
               '<enclosure url="https://example.org/%d.mp3" length="10" '
               'type="audio/mpeg"/></item>' % (t, g, n + 1, n))
out.append('<item><title>passwd</title><guid>f1</guid><pubDate>Mon, 01 Jan '
           '2024 11:00:00 +0000</pubDate><enclosure url="file:///etc/passwd" '
           'length="1" type="audio/mpeg"/></item>')
out.append('<item><title>ftp</title><guid>f2</guid><pubDate>Mon, 01 Jan '
           '2024 12:00:00 +0000</pubDate><enclosure url="ftp://example.org/a.mp3" '
           'length="1" type="audio/mpeg"/></item>')
out.append("</channel></rss>\n")
open(sys.argv[1], "w", encoding="utf-8").write("".join(out))
EOF
(cd "$WORK" && "$PODPUB" import --media keep "$WORK/hostile.xml" hostile) >"$OUT" 2>"$ERR"
st=$?
if [ $st = 1 ] && grep -q "not an http(s) URL (not imported) (e.g. file:///etc/passwd)" "$ERR" &&
        grep -q "^ *2  item whose enclosure is not an http(s) URL" "$ERR"; then
    ok "(d) file:///etc/passwd and ftp:// enclosures refused and listed, exit 1"
else
    dump "$ERR" stderr; bad "(d) non-http enclosures were not refused (exit $st)"
fi
outside=$(find "$WORK/hostile" -mindepth 1 ! -path "$WORK/hostile/episodes*" \
    ! -path "$WORK/hostile/feed*" ! -path "$WORK/hostile/.github*" ! -name .gitignore)
n=$(ls "$WORK/hostile/episodes" | wc -l)
[ -z "$outside" ] && [ "$n" = 8 ] && [ ! -e "$WORK/etc" ] && [ ! -e "$WORK/outside" ] ||
    bad "(d) files outside episodes/ or a wrong count ($n): $outside"
ls "$WORK/hostile/episodes" | grep -qv '^[0-9][0-9][0-9]-[a-z0-9-]*\.md$' &&
    bad "(d) an episode file name is not NNN-slug.md: $(ls "$WORK/hostile/episodes")"
"$PY" - "$WORK/hostile/episodes" <<'EOF' && ok "(d) 8 hostile GUIDs kept byte for byte in 8 files named NNN-slug.md inside episodes/" || bad "(d) hostile GUIDs changed"
import os, sys, yaml
d = sys.argv[1]
got = set()
for f in os.listdir(d):
    t = open(os.path.join(d, f), encoding="utf-8").read().split("\n---\n")[0]
    got.add(yaml.safe_load(t[4:])["guid"])
want = {"../../../etc/passwd", "/abs/olute", "..", ".", "x" * 10000,
        "guid with inner spaces", "https://old.example.org/?p=1&x=2",
        "\u00e9t\u00e9"}
sys.exit(0 if got == want else print(sorted(got ^ want)) or 1)
EOF
printf 'check:\n  ignore: [apple.image.missing, spotify.owner.email]\n' \
    >>"$WORK/hostile/feed/podcast.yaml"
(cd "$WORK/hostile" && "$PODPUB" -q build --at 2030-01-01T00:00:00Z) >"$OUT" 2>"$ERR" ||
    { dump "$ERR" stderr; bad "(d) the hostile show does not build"; }
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title>\n<item><guid>a&#0;b</guid></item></channel></rss>\n' >"$WORK/nul.xml"
(cd "$WORK" && "$PODPUB" import --media keep "$WORK/nul.xml" nul) >"$OUT" 2>"$ERR"
st=$?
[ $st = 1 ] && grep -q "nul.xml:3:" "$ERR" && [ ! -e "$WORK/nul" ] &&
    ok "(d) a NUL character reference: unreadable feed, exit 1, its line named, no show" ||
    { dump "$ERR" stderr; bad "(d) NUL feed (exit $st)"; }

# Namespace values that try to write YAML of their own: line breaks,
# quotes and braces stay inside their quoted values, and no key appears
# that the feed did not give (PyYAML reads the files back).
cat >"$WORK/inject.xml" <<'EOF'
<?xml version="1.0"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>I</title><link>https://i.example/</link><description>d</description><language>en</language>
<podcast:person role="host&#10;moved_to: https://evil.example/feed.xml">A"}, {name: B}&#10;guid: evil</podcast:person>
<podcast:location geo="geo:1,2">X&#10;block: true</podcast:location>
<item><title>One</title><guid>g1</guid><pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate>
<enclosure url="https://i.example/1.mp3" length="100000" type="audio/mpeg"/>
<podcast:soundbite startTime="1" duration="2">t&#10;---&#10;title: evil</podcast:soundbite>
<podcast:season name="S&#10;audio_url: file:///etc/passwd">1</podcast:season>
</item></channel></rss>
EOF
(cd "$WORK" && "$PODPUB" import --media keep "$WORK/inject.xml" inject) >"$OUT" 2>"$ERR" ||
    { dump "$ERR" stderr; bad "(d) the injection feed was not imported"; }
"$PY" - "$WORK/inject" <<'EOF' && ok "(d) namespace values with line breaks, quotes and braces stay values: no key injected" || bad "(d) a namespace value wrote YAML of its own"
import glob, sys, yaml
d = sys.argv[1]
show = yaml.safe_load(open(d + "/feed/podcast.yaml", encoding="utf-8"))
text = open(glob.glob(d + "/episodes/*.md")[0], encoding="utf-8").read()
ep = yaml.safe_load(text.split("---\n")[1])
ok = (show["persons"] == [{"name": 'A"}, {name: B}\nguid: evil',
                           "role": "host\nmoved_to: https://evil.example/feed.xml"}]
      and show["location"]["name"] == "X\nblock: true"
      and not {"moved_to", "block"} & set(show) and show.get("guid") != "evil"
      and ep["soundbites"][0]["title"] == "t\n---\ntitle: evil"
      and ep["season_name"] == "S\naudio_url: file:///etc/passwd"
      and ep["audio_url"] == "https://i.example/1.mp3" and "title" in ep
      and ep["title"] == "One" and text.count("\n---\n") == 1)
if not ok:
    print(show, ep, file=sys.stderr)
sys.exit(0 if ok else 1)
EOF

# ---------------------------------------------------------------------
# (e) 20,000 items: time and memory; kill -9 and a re-run
# ---------------------------------------------------------------------
"$PY" - "$WORK/big.xml" <<'EOF' || fail "cannot write the big feed"
import sys
out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
       'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
       '<title>Big</title><description>d</description><language>en</language>']
for i in range(20000):
    out.append('<item><title>Episode %d: a title of some length</title>'
               '<guid isPermaLink="false">big-%d</guid><pubDate>%s</pubDate>'
               '<enclosure url="https://cdn.example.org/big/%d.mp3" '
               'length="%d" type="audio/mpeg"/><itunes:duration>%d</itunes:duration>'
               '<description><![CDATA[<p>Notes of episode <b>%d</b> with '
               '<a href="https://example.org/%d">a link</a>.</p><ul><li>one</li>'
               '<li>two</li></ul>]]></description></item>'
               % (i, i, "Mon, %02d Jan 2001 %02d:%02d:00 +0000"
                  % (1 + i // 1440, i // 60 % 24, i % 60), i, 1000 + i,
                  60 + i, i, i))
out.append("</channel></rss>\n")
open(sys.argv[1], "w").write("".join(out))
EOF
/usr/bin/time -f "%e %M" -o "$WORK/time" "$PODPUB" -C "$WORK" import --media keep "$WORK/big.xml" big >"$OUT" 2>"$ERR"
st=$?
read -r secs kb <<EOF
$(tail -n 1 "$WORK/time")
EOF
n=$(ls "$WORK/big/episodes" 2>/dev/null | wc -l)
note "20,000 items ($(wc -c <"$WORK/big.xml") bytes): ${secs} s, max RSS ${kb} KB"
[ $st = 0 ] && [ "$n" = 20000 ] && le "$secs" 120 && le "$kb" 1048576 &&
    ok "(e) 20,000 items imported in ${secs} s, ${kb} KB" ||
    { dump "$ERR" stderr; bad "(e) 20,000 items: exit $st, $n files, $secs s, $kb KB"; }
"$PODPUB" -C "$WORK" import --media keep "$WORK/big.xml" killed >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ -e "$WORK/killed/feed/podcast.yaml" ]; then
    note "(e) the import finished before the kill: nothing to check"
elif [ -e "$WORK/killed" ]; then
    bad "(e) a killed import left a half show in $WORK/killed"
fi
"$PODPUB" -C "$WORK" import --media keep "$WORK/big.xml" killed >"$OUT" 2>"$ERR"
n=$(ls "$WORK/killed/episodes" 2>/dev/null | wc -l)
[ "$n" = 20000 ] && ok "(e) killed with -9: no show left; the next run made all 20,000" ||
    { dump "$ERR" stderr; bad "(e) after kill -9 the re-run made $n episodes"; }

if [ -n "$FAILED" ]; then
    echo "$me: FAILED:$FAILED" >&2
    exit 1
fi
echo "$me: all ok"
