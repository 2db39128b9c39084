#!/bin/sh
# test_readback.sh PODPUB SOURCE_DIR WORK_DIR
#
# Builds the example show and reads public/feed.xml back with gPodder's
# podcastparser and with feedparser (tests/readback.py): every episode must
# come back with its title, guid, enclosure URL/length/type, duration,
# pubDate and iTunes fields; drafts and scheduled episodes must be absent.
#
# Two passes, each in its own copy under WORK_DIR:
#   example/  the committed feed/ and episodes/, unchanged (4 live episodes)
#   extra/    the same plus a draft, a scheduled episode (2099), a bonus
#             episode whose audio sits in a sub-folder with a name that
#             needs percent-encoding and whose date is a quoted UTC string,
#             and an episode with a zone-less date (show time zone applies)
#
# Needs Debian's /usr/bin/python3 with python3-podcastparser,
# python3-feedparser and python3-yaml; uses ffprobe (ffmpeg) when present.
set -u

me=test_readback
. "$(dirname "$0")/lib/common.sh"
init "$@"

"$PY" -c 'import podcastparser, feedparser, yaml' ||
    fail "$PY cannot import podcastparser/feedparser/yaml (apt-get install python3-podcastparser python3-feedparser python3-yaml)"

# copy_show DIR: a fresh copy of the committed example show in DIR.
copy_show() {
    mkdir -p "$1" && cp -R "$SRC/feed" "$SRC/episodes" "$1/" ||
        fail "cannot copy the example show to $1"
}

# build DIR: podpub -C DIR build, which must succeed.
build() {
    "$PODPUB" -C "$1" build >"$1.build.log" 2>&1
    rc=$?
    sed 's/^/  podpub: /' "$1.build.log"
    [ $rc -eq 0 ] || fail "podpub -C $1 build exited $rc"
    [ -s "$1/public/feed.xml" ] || fail "podpub -C $1 build wrote no public/feed.xml"
}

# ---- pass 1: the example show as committed
echo "== pass 1: the committed example show"
copy_show "$WORK/example"
build "$WORK/example"
"$PY" "$SRC/tests/readback.py" --podpub "$PODPUB" --show "$WORK/example" \
    --expect-live 4 --expect-left-out 0 ||
    fail "the example show does not read back as written (see above)"

# ---- pass 2: plus a draft, a scheduled episode and awkward names/dates
echo "== pass 2: example show + draft, scheduled, special file name, zone-less date"
X=$WORK/extra
copy_show "$X"
E=$X/episodes
mkdir -p "$E/extra" || fail "mkdir $E/extra"
cp "$E/000-trailer.mp3" "$E/005-later.mp3" &&
cp "$E/002-dennis.m4a" "$E/extra/006 bonus é&+#.m4a" &&
cp "$E/001-milas.mp3" "$E/007-vragen.mp3" || fail "cannot copy audio"

cat >"$E/004-draft.md" <<'EOF' || fail "cannot write 004-draft.md"
---
title: "Concept: nog niet opgenomen"
guid: 0c2f7c3e-4d7a-4c55-9d0b-5f0a3c1b2d41
date: 2025-11-01T06:00:00+01:00
audio: 004-not-recorded-yet.mp3
season: 1
episode: 9
explicit: false
draft: true
---

Een concept; het audiobestand bestaat nog niet.
EOF

cat >"$E/005-later.md" <<'EOF' || fail "cannot write 005-later.md"
---
title: "Ingepland voor later"
guid: 8b1d2e4f-6a7c-4e9b-8d3f-2a5c7e9b1d03
date: 2099-12-31T06:00:00+01:00
audio: 005-later.mp3
season: 2
episode: 1
explicit: false
---

Verschijnt pas in 2099.
EOF

cat >"$E/006-bonus.md" <<'EOF' || fail "cannot write 006-bonus.md"
---
title: "Bonus: vragen & antwoorden <live> – „tot ziens” 🎧"
guid: 3e9a5b71-2c4d-4f8e-a6b0-9d1c7e5f3a24
date: "2025-11-16T05:30:00Z"
audio: "extra/006 bonus é&+#.m4a"
season: 1
type: bonus
explicit: false
---

Een bonusaflevering met een bestandsnaam die percent-encoding nodig heeft.
EOF

cat >"$E/007-vragen.md" <<'EOF' || fail "cannot write 007-vragen.md"
---
title: "Vragen van luisteraars"
guid: 6f4e2d1c-0b9a-4877-8665-544332211000
date: 2025-11-21 08:15:00
audio: 007-vragen.mp3
season: 1
episode: 4
type: full
explicit: true
---

De datum heeft geen offset: die geldt in de tijdzone van de show.
EOF

build "$X"
"$PY" "$SRC/tests/readback.py" --podpub "$PODPUB" --show "$X" \
    --expect-live 6 --expect-left-out 2 ||
    fail "the extended show does not read back as written (see above)"

echo "$me: ok"
exit 0
