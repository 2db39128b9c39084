#!/bin/sh
# test_determinism.sh PODPUB SOURCE_DIR WORK_DIR
#
# The feed depends on the show only: not on the output folder, the show's
# folder, the process's locale or its time zone.
#   - the example show built twice into two --out folders: byte-identical
#   - the same show copied to another folder and built there: identical
#   - built under LC_ALL=nl_NL.UTF-8 LANG=nl_NL.UTF-8, under LC_ALL=C,
#     under TZ=America/New_York, and under Dutch locale + TZ=Pacific/Chatham
#     (+13:45): identical to the first build
#   - the same again for the show plus an episode whose date has no UTC
#     offset (resolved in the show's time zone, where TZ could leak in)
#   - xmllint --noout reports nothing; every pubDate/lastBuildDate is
#     RFC 2822 with English day and month names and a numeric offset
#
# The Dutch locale must be installed: without it the locale runs would test
# nothing, so the test FAILS (it does not skip). On Debian:
#   sed -i 's/^# *nl_NL.UTF-8/nl_NL.UTF-8/' /etc/locale.gen && locale-gen
# xmllint comes from libxml2-utils.
set -u

me=test_determinism
. "$(dirname "$0")/lib/common.sh"
init "$@"

command -v xmllint >/dev/null 2>&1 ||
    fail "xmllint not found (apt-get install libxml2-utils)"

# The Dutch locale must exist and must really change what C programs see.
locale -a 2>/dev/null | grep -qix 'nl_NL\.utf-\{0,1\}8' ||
    fail "locale nl_NL.UTF-8 is not installed (locale -a: $(locale -a 2>/dev/null | tr '\n' ' '));
    on Debian: sed -i 's/^# *nl_NL.UTF-8/nl_NL.UTF-8/' /etc/locale.gen && locale-gen"
nl_date=$(LC_ALL=nl_NL.UTF-8 date -u -d '2025-10-31 12:00' '+%a %b' 2>&1)
[ "$nl_date" = "vr okt" ] ||
    fail "LC_ALL=nl_NL.UTF-8 date prints '$nl_date', not 'vr okt': the Dutch locale does not work"

# build SHOW OUT [VAR=VALUE...]: podpub -C SHOW build --out OUT in that
# environment; must succeed.
build() {
    show=$1 out=$2
    shift 2
    env "$@" "$PODPUB" -C "$show" build --out "$out" >"$out.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { cat "$out.log" >&2; fail "build ${*:-(default environment)} of $show exited $rc"; }
    [ -s "$out/feed.xml" ] || fail "build ${*:-(default environment)} of $show wrote no $out/feed.xml"
}

# same REF OTHER WHAT: the two feeds must be byte-identical.
same() {
    if ! cmp -s "$1" "$2"; then
        echo "--- $1" >&2
        echo "+++ $2" >&2
        diff "$1" "$2" | head -20 >&2
        fail "$3: feed differs from the first build"
    fi
    echo "  identical: $3"
}

# check_dates FEED: every pubDate/lastBuildDate line is RFC 2822 in English.
check_dates() {
    re='<(pubDate|lastBuildDate)>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}</(pubDate|lastBuildDate)>'
    n_date=$(grep -cE '<(pubDate|lastBuildDate)>' "$1")
    n_good=$(grep -cE "^[[:space:]]*${re}[[:space:]]*\$" "$1")
    n_items=$(grep -c '<item>' "$1")
    n_pub=$(grep -c '<pubDate>' "$1")
    n_last=$(grep -c '<lastBuildDate>' "$1")
    if [ "$n_good" -ne "$n_date" ]; then
        grep -E '<(pubDate|lastBuildDate)>' "$1" | grep -vE "^[[:space:]]*${re}[[:space:]]*\$" >&2
        fail "$1: these date lines are not RFC 2822 with English names and a +hhmm offset"
    fi
    [ "$n_pub" -eq "$n_items" ] ||
        fail "$1: $n_items items but $n_pub pubDate lines"
    [ "$n_last" -eq 1 ] || fail "$1: $n_last lastBuildDate lines (want 1)"
    echo "  dates: $n_pub pubDate + $n_last lastBuildDate lines in English RFC 2822"
}

# run_show NAME SHOW: all the builds of one show, compared to the first;
# outputs go to WORK/out-NAME-*.
run_show() {
    name=$1 show=$2 o=$WORK/out-$1
    echo "== $name"
    build "$show" "$o-1"
    build "$show" "$o-2"
    same "$o-1/feed.xml" "$o-2/feed.xml" "second build into another folder"

    rm -rf "$WORK/moved" && mkdir -p "$WORK/moved/elsewhere" &&
        cp -R "$show/feed" "$show/episodes" "$WORK/moved/elsewhere/" ||
        fail "cannot copy $show"
    build "$WORK/moved/elsewhere" "$o-moved"
    same "$o-1/feed.xml" "$o-moved/feed.xml" "show copied to another folder"

    build "$show" "$o-nl" LC_ALL=nl_NL.UTF-8 LANG=nl_NL.UTF-8
    same "$o-1/feed.xml" "$o-nl/feed.xml" "LC_ALL=nl_NL.UTF-8 LANG=nl_NL.UTF-8"
    build "$show" "$o-c" LC_ALL=C
    same "$o-1/feed.xml" "$o-c/feed.xml" "LC_ALL=C"
    build "$show" "$o-ny" TZ=America/New_York
    same "$o-1/feed.xml" "$o-ny/feed.xml" "TZ=America/New_York"
    build "$show" "$o-nl-chatham" LC_ALL=nl_NL.UTF-8 LANG=nl_NL.UTF-8 \
        TZ=Pacific/Chatham
    same "$o-1/feed.xml" "$o-nl-chatham/feed.xml" \
        "LC_ALL=nl_NL.UTF-8 TZ=Pacific/Chatham"

    lint=$(xmllint --noout "$o-1/feed.xml" 2>&1)
    rc=$?
    [ $rc -eq 0 ] && [ -z "$lint" ] ||
        fail "xmllint --noout $o-1/feed.xml (exit $rc): $lint"
    echo "  xmllint --noout: clean"
    check_dates "$o-nl/feed.xml"
}

# The example show as committed.
mkdir -p "$WORK/example" &&
    cp -R "$SRC/feed" "$SRC/episodes" "$WORK/example/" ||
    fail "cannot copy the example show"
run_show example "$WORK/example"

# Plus an episode whose date has no offset: podpub resolves it in the
# show's time zone (feed/podcast.yaml: timezone), never in $TZ.
Z=$WORK/zoneless
mkdir -p "$Z" && cp -R "$SRC/feed" "$SRC/episodes" "$Z/" &&
    cp "$Z/episodes/001-milas.mp3" "$Z/episodes/004-zoneless.mp3" ||
    fail "cannot make the zone-less show"
cat >"$Z/episodes/004-zoneless.md" <<'EOF' || fail "cannot write 004-zoneless.md"
---
title: "Zonder offset"
guid: 1d3c5b7a-9e8f-4a6b-8c2d-0e1f2a3b4c5d
date: 2025-11-21T06:00:00
audio: 004-zoneless.mp3
season: 1
episode: 4
type: full
explicit: false
---

De datum heeft geen UTC-offset.
EOF
run_show zoneless "$Z"
grep -q '<pubDate>Fri, 21 Nov 2025 06:00:00 +0100</pubDate>' "$WORK/out-zoneless-1/feed.xml" ||
    fail "zone-less 2025-11-21T06:00:00 in Europe/Amsterdam should be written as 'Fri, 21 Nov 2025 06:00:00 +0100'; got: $(grep -A2 'Zonder offset' "$WORK/out-zoneless-1/feed.xml" | grep pubDate)"
echo "  zone-less date written in the show's zone: Fri, 21 Nov 2025 06:00:00 +0100"

echo "$me: ok"
exit 0
