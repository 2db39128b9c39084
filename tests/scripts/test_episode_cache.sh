#!/bin/sh
# test_episode_cache.sh PODPUB SOURCE_DIR WORK_DIR
#
# The episode cache, .podpub/episode-cache: parsed episodes kept between
# builds. On a copy of the example show plus an episode using every field
# the parser fills (chapters, persons, location, licence, soundbites,
# social, season name, display, block, link, image, value with recipients
# and time splits, images, audio_url with its facts, zone-less date) and
# one giving check warnings:
#   - a warm build (every episode from the cache) gives byte for byte the
#     stdout, stderr, exit status and every file under public/ of a
#     --no-cache build; also with an episode with errors (not cached:
#     reported again, exit 1, the same output)
#   - `podpub -v build` says "episodes: N parsed, M from the cache"
#   - files left alone for 2 s before they were read are not read again
#     (-v: "N files not read"), with the same output; nor is episodes/
#     itself (its listing kept in .podpub/episode-names: "nor the
#     folder"), and an episode renamed, removed or added after that is
#     seen at once; a kept listing forged with names no reading of the
#     folder gives (../, a subfolder, a dot file, not .md, unsorted,
#     twice), of another folder, bit-flipped, cut or a symlink is not
#     used, with the same output
#   - an episode rewritten in place with the same size and modification
#     time is parsed again (the content is part of the key; settled, the
#     change time, which cannot be set back, gives it away)
#   - feed/podcast.yaml changed (the time zone): every episode is parsed
#     again, and zone-less dates follow
#   - a cache cut short, with one bit flipped in an entry or in the
#     header, or replaced by garbage: the same output, the damaged entries
#     parsed again, and a cache the next build uses fully
#   - the trust checks still run on a warm build: an episode file that is
#     a symlink swapped (after the cache was written) to a hard link of
#     the same file outside the show, and an audio symlink swapped the
#     same way, are refused as on a cold build; episodes/ itself a
#     symlink is read inside the show and refused outside it
#   - --no-cache neither reads nor writes it
#   - an unchanged public/feed.xml is not written again (same inode); a
#     symlink planted at public/index.html is replaced, not followed
#
# Needs Debian's /usr/bin/python3.
set -u

me=test_episode_cache
. "$(dirname "$0")/lib/common.sh"
init "$@"

S=$WORK/show
CACHE=$S/.podpub/episode-cache
make_show "$S"
N_EXAMPLE=$(ls "$S"/episodes/*.md | wc -l)

cp "$S/episodes/000-trailer.mp3" "$S/episodes/004-alles.mp3"
cp "$S/feed/cover.jpg" "$S/episodes/004-alles.jpg"
cat >"$S/episodes/004-alles.md" <<'EOF'
---
title: "Alles: élk veld, \"quotes\" & <tags>"
guid: urn:test:004-alles
date: 2025-11-20 08:30
audio: 004-alles.mp3
season: 2
episode: 4
type: bonus
explicit: false
summary: Een aflevering met alles.
image: 004-alles.jpg
link: https://www.omroepbrabant.nl/alles
season_name: Tweede seizoen
episode_display: "Vier"
block: false
chapters:
  - "0:00 Begin"
  - "0:01 Midden, met een komma"
persons:
  - {name: Awatief, role: guest, href: "https://example.org/awatief"}
location: {name: Eindhoven, geo: "geo:51.4416,5.4697"}
license: {name: CC-BY-4.0}
txt:
  - {text: "v=verify123", purpose: verify}
soundbites:
  - {start: "0:01", duration: 1.5, title: Kort}
social_interact:
  - {protocol: activitypub, uri: "https://example.social/@x/1"}
value:
  type: lightning
  method: keysend
  recipients:
    - {name: Gast, type: lnaddress, address: gast@wallet.example, split: 60}
    - {name: Omroep, type: node, address: "020000000000000000000000000000000000000000000000000000000000000002", split: 40, custom_key: "7629169", custom_value: podcast}
value_time_splits:
  - start: 1
    duration: 0.5
    remote_percentage: 50
    remote_item: {feed_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810, item_guid: ep-1}
  - start: 0:02
    duration: 0.5
    recipients:
      - {name: Gast, type: lnaddress, address: gast@wallet.example, split: 1}
images:
  - 004-alles.jpg
  - {href: "https://example.org/alles-wide.jpg", alt: Breed, width: 1920, height: 1080, purpose: social}
---
Notes with *emphasis*, **strong**, a [link](https://example.org/)
and a list:

1. one
2. two

Ünïcödé ‘quotes’ &amp; entities.
EOF
cat >"$S/episodes/005-remote.md" <<'EOF'
---
title: Remote
guid: urn:test:005-remote
date: 2025-11-21T08:00:00Z
audio_url: https://cdn.example.org/005.mp3
bytes: 123456
duration: "1:02:03"
season: 2
episode: 5
---
A title much too short for a summary rule? Notes.
EOF

# run NAME [args...]: podpub -C SHOW ARGS; stdout, stderr and the status
# in $WORK/NAME.{out,err,rc}, and public/ copied to $WORK/NAME.public.
run() {
    _n=$1
    shift
    "$PODPUB" -C "$S" "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err"
    echo $? >"$WORK/$_n.rc"
    rm -rf "$WORK/$_n.public"
    if [ -d "$S/public" ]; then cp -R "$S/public" "$WORK/$_n.public"; fi
}

# same A B: the two runs gave the same stdout, stderr, status and public/.
same() {
    for f in out err rc; do
        cmp -s "$WORK/$1.$f" "$WORK/$2.$f" || {
            diff "$WORK/$1.$f" "$WORK/$2.$f" | head -20 >&2
            fail "$2: its $f differs from $1's"
        }
    done
    if [ -d "$WORK/$1.public" ] || [ -d "$WORK/$2.public" ]; then
        diff -r "$WORK/$1.public" "$WORK/$2.public" >/dev/null 2>&1 ||
            fail "$2: public/ differs from $1's"
    fi
}

# counts PARSED CACHED WHAT [UNREAD [FOLDER]]: `podpub -v build` reports
# exactly that (and that many of the cached files not read, when given
# and not empty; with FOLDER "kept", episodes/ not read either, its
# listing kept; with "read", episodes/ read).
counts() {
    _u=${4:-[0-9]*}
    case ${5:-} in
    kept) _f=', nor the folder' ;;
    read) _f='' ;;
    *) _f='\(, nor the folder\)\{0,1\}' ;;
    esac
    "$PODPUB" -v -C "$S" build >"$WORK/v.out" 2>"$WORK/v.err"
    grep -qx "episodes: $1 parsed, $2 from the cache ($_u files not read$_f)" \
        "$WORK/v.err" || {
        dump "$WORK/v.err" stderr
        fail "$3: want 'episodes: $1 parsed, $2 from the cache (${4:-N} files not read${5:+, folder $5})'"
    }
}

N=$(ls "$S"/episodes/*.md | wc -l)
[ "$N" -eq $((N_EXAMPLE + 2)) ] || fail "expected $((N_EXAMPLE + 2)) episodes"
cp "$S/episodes/005-remote.md" "$WORK/005-remote.md"

rm -rf "$S/public" "$S/.podpub"
run cold build --no-cache
[ "$(cat "$WORK/cold.rc")" = 0 ] || { dump "$WORK/cold.err" stderr; fail "cold build failed"; }
[ ! -e "$CACHE" ] || fail "--no-cache wrote $CACHE"
[ ! -e "$S/.podpub/episode-names" ] || fail "--no-cache kept the listing of episodes/"
grep -q 'warning' "$WORK/cold.err" || fail "the show gives no warning to replay"
run fill build
[ -s "$CACHE" ] || fail "no cache written"
same cold fill
rm -rf "$S/public"
counts 0 "$N" "unchanged show"
rm -rf "$S/public"
run warm build
same cold warm
run warm2 build
same cold warm2
ok "warm build identical to --no-cache (stdout, stderr, status, public/), $N from the cache"

# Files holding the same bytes are not written again; a symlink in their
# place is replaced, never written through or left.
ino=$(stat -c %i "$S/public/feed.xml")
run warm3 build
same cold warm3
[ "$(stat -c %i "$S/public/feed.xml")" = "$ino" ] ||
    fail "an unchanged feed.xml was written again"
cp "$S/public/index.html" "$WORK/index.outside"
chmod 444 "$WORK/index.outside"
ln -sf "$WORK/index.outside" "$S/public/index.html"
run warm4 build
same cold warm4
[ -f "$S/public/index.html" ] && [ ! -L "$S/public/index.html" ] ||
    fail "a symlink at public/index.html was kept"
ok "unchanged outputs not written again; a symlink in their place replaced"

cp "$CACHE" "$WORK/cache.before"
rm -rf "$S/public"
run nocache build --no-cache
same cold nocache
cmp -s "$CACHE" "$WORK/cache.before" || fail "--no-cache changed the cache"
ok "--no-cache neither reads nor writes it"

# Files left alone for 2 s (EPCACHE_SETTLE_S) before a build read them
# are not read again: the first build after the wait reads them all (the
# cache's stamps are younger) and keeps new stamps; the next reads none,
# with the same output. A slow machine may already have settled them
# during the builds above, so their change time is moved first (chmod
# leaves bytes and mtime alone): the stamps are then older than it.
chmod u+w "$S"/episodes/*.md
sleep 3
counts 0 "$N" "settling: every file read once more" 0
rm -rf "$S/public"
run unread build
same cold unread
counts 0 "$N" "settled: no file read" "$N" kept
ok "files settled for 2 s are not read again ($N of $N), nor episodes/, the output the same"

# The listing of episodes/ (.podpub/episode-names) is used only while the
# folder is unchanged: a file renamed, removed or added is seen at once.
NAMES=$S/.podpub/episode-names
[ -f "$NAMES" ] || fail "no listing kept in $NAMES"
mv "$S/episodes/005-remote.md" "$S/episodes/005-moved.md"
counts 1 $((N - 1)) "an episode renamed" "" read
grep -q "urn:test:005-remote" "$S/public/feed.xml" ||
    fail "the renamed episode left the feed"
rm "$S/episodes/005-moved.md"
counts 0 $((N - 1)) "an episode removed" "" read
! grep -q "urn:test:005-remote" "$S/public/feed.xml" ||
    fail "the removed episode is still in the feed"
cp "$WORK/005-remote.md" "$S/episodes/005-remote.md"
counts 1 $((N - 1)) "an episode added" "" read
grep -q "urn:test:005-remote" "$S/public/feed.xml" ||
    fail "the added episode is not in the feed"
ok "an episode renamed in, removed from, added to episodes/ after its listing was kept: seen at once"

# A kept listing that is damaged, forged (with a valid checksum: names no
# reading of the folder gives), of another folder, or a symlink, is not
# used: the folder is read, with the reference output.
sleep 3
counts 0 "$N" "settling the folder again"
rm -rf "$S/public"
run listref build --no-cache
counts 0 "$N" "the folder's listing kept again" "" kept
cp "$NAMES" "$WORK/names.good"
# forge HOW: rewrites the kept listing, with a valid checksum unless HOW
# damages it; the next build reads the folder and gives the reference
# (and keeps a good listing again: forged once more for the -v build).
forge() {
    forge_once "$1"
    rm -rf "$S/public"
    run "forged-$1" build
    same listref "forged-$1"
    forge_once "$1"
    counts 0 "$N" "a forged listing ($1): the folder read" "" read
}
forge_once() {
    cp "$WORK/names.good" "$NAMES"
    "$PY" - "$NAMES" "$1" <<'EOF' || fail "forge $1: the listing could not be forged"
import struct, sys
M = (1 << 64) - 1
def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M
def pp_hash64(b, seed=0):
    # src/util/util.c's pp_hash64()
    h = (seed ^ (len(b) * 0x9e3779b97f4a7c15)) & M
    i = 0
    while True:
        w = int.from_bytes(b[i:i + 8].ljust(8, b"\0"), "little")
        h ^= rotl(w * 0x87c37b91114253d5 & M, 31) * 0x4cf5ad432745937f & M
        if len(b) - i < 8:
            break
        h = (rotl(h, 27) * 5 + 0x52dce729) & M
        i += 8
    h ^= h >> 33
    h = h * 0xff51afd7ed558ccd & M
    h ^= h >> 33
    h = h * 0xc4ceb9fe1a85ec53 & M
    return h ^ (h >> 33)
p, how = sys.argv[1], sys.argv[2]
b = open(p, "rb").read()
head, blob = b[:88], b[88:-8]
if struct.unpack("<Q", b[-8:])[0] != pp_hash64(b[:-8]):
    sys.exit("the test's pp_hash64() is not podpub's")
names = blob.split(b"\0")[:-1]
if how == "outside":
    names.insert(0, b"../../outside.md")
elif how == "subfolder":
    names.insert(0, b"notes/004-alles.md")
elif how == "hidden":
    names.insert(0, b".hidden.md")
elif how == "not-md":
    names.append(b"zz-notes.txt")
elif how == "unsorted":
    names.reverse()
elif how == "twice":
    names.append(names[-1])
elif how == "stamp":    # another folder: its inode
    ino = struct.unpack("<Q", head[32:40])[0] ^ 1
    head = head[:32] + struct.pack("<Q", ino) + head[40:]
blob = b"".join(n + b"\0" for n in names)
b = head[:72] + struct.pack("<QQ", len(names), len(blob)) + blob
b += struct.pack("<Q", pp_hash64(b))
if how == "flip":
    b = b[:100] + bytes([b[100] ^ 0x20]) + b[101:]
elif how == "cut":
    b = b[:len(b) // 2]
open(p, "wb").write(b)
EOF
}
for how in outside subfolder hidden not-md unsorted twice stamp flip cut; do
    forge $how
done
rm "$NAMES"
ln -s "$WORK/names.good" "$NAMES"
rm -rf "$S/public"
run listlink build
same listref listlink
[ -L "$NAMES" ] && fail "the symlink at $NAMES was kept"
counts 0 "$N" "the kept listing was a symlink" "" kept
ok "a kept listing forged (../, /, ., not .md, unsorted, twice, another folder), bit-flipped, cut or a symlink: not used, same output"

# Same size, same mtime, same inode: only the bytes differ. The rewrite
# moves the status change time, which no one can set back: read again.
"$PY" - "$S/episodes/004-alles.md" <<'EOF'
import os, sys
p = sys.argv[1]
st = os.stat(p)
with open(p, "r+b") as f:
    b = f.read().replace(b"Een aflevering met alles.", b"Een aflevering met ALLES.")
    f.seek(0)
    f.write(b)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
EOF
counts 1 $((N - 1)) "rewritten in place, same size and mtime" $((N - 1))
grep -q "ALLES" "$S/public/feed.xml" || fail "the rewritten summary is not in the feed"
ok "a file rewritten with the same size and mtime is parsed again"

# The show file: the time zone changes what a zone-less date means.
grep -q "08:30:00 +0100" "$S/public/feed.xml" || fail "004's date not read in Europe/Amsterdam"
sed -i 's|^timezone: Europe/Amsterdam|timezone: America/New_York|' "$S/feed/podcast.yaml"
counts "$N" 0 "podcast.yaml changed"
grep -q "08:30:00 -0500" "$S/public/feed.xml" || fail "004's date did not follow the new time zone"
counts 0 "$N" "after podcast.yaml changed"
ok "feed/podcast.yaml changed: every episode parsed again"
sed -i 's|^timezone: America/New_York|timezone: Europe/Amsterdam|' "$S/feed/podcast.yaml"
rm -rf "$S/public"
run ref build --no-cache
counts "$N" 0 "podcast.yaml back"

# damage HOW: damages the cache; the next build gives the reference
# output and rewrites a cache the build after uses fully.
damage() {
    counts 0 "$N" "before damage ($1)"
    "$PY" - "$CACHE" "$1" <<'EOF'
import sys
p, how = sys.argv[1], sys.argv[2]
b = bytearray(open(p, "rb").read())
if how == "truncate":
    b = b[:len(b) * 2 // 3]
elif how == "entry":
    b[len(b) // 2] ^= 0x10
elif how == "header":
    b[30] ^= 0x01
elif how == "length":
    b[48 + 8:48 + 12] = b"\xff\xff\xff\x7f"
elif how == "garbage":
    b = bytearray(b"podpub-epcache\n\0" + b"\x01" * 100)
open(p, "wb").write(bytes(b))
EOF
    rm -rf "$S/public"
    run "damaged-$1" build
    same ref "damaged-$1"
    counts 0 "$N" "after damage ($1), rebuilt"
}
for how in truncate entry header length garbage; do
    damage $how
done
ok "a cache cut short, bit-flipped (entry, header), with a huge length or garbage: same output, rebuilt"

# An episode with errors is parsed (and reported) every time.
cat >"$S/episodes/006-bad.md" <<'EOF'
---
title: Bad
guid: urn:test:006-bad
date: "31-10-2025"
audio: 000-trailer.mp3
---
Notes.
EOF
rm -rf "$S/public"
run badcold build --no-cache
[ "$(cat "$WORK/badcold.rc")" = 1 ] || fail "an episode with errors: status $(cat "$WORK/badcold.rc"), want 1"
grep -q '006-bad.md:4:7: date' "$WORK/badcold.err" || fail "the error is not reported"
run badfill build
same badcold badfill
run badwarm build
same badcold badwarm
counts 1 "$N" "with an episode with errors"
rm "$S/episodes/006-bad.md"
ok "an episode with errors is not cached: reported again, same output"

# Trust checks on a warm build: symlinks swapped after the cache was
# written to hard links of the same files (same inode, size, mtime and
# bytes) outside the show.
OUT=$WORK/outside
mkdir -p "$OUT" "$S/notes"
mv "$S/episodes/004-alles.md" "$S/notes/004-alles.md"
ln -s ../notes/004-alles.md "$S/episodes/004-alles.md"
mv "$S/episodes/004-alles.mp3" "$S/notes/004-alles.mp3"
ln -s ../notes/004-alles.mp3 "$S/episodes/004-alles.mp3"
rm -rf "$S/public"
run linked build
[ "$(cat "$WORK/linked.rc")" = 0 ] || { dump "$WORK/linked.err" stderr; fail "symlinks inside the show refused"; }
counts 0 "$N" "symlinked episode"
# swap NAME FILE PATTERN: episodes/FILE, a symlink to notes/FILE, now
# points to a hard link of it outside the show: refused (stderr matches
# PATTERN, status 1), as by a --no-cache build.
swap() {
    ln "$S/notes/$2" "$OUT/$2"
    ln -sf "$OUT/$2" "$S/episodes/$2"
    run "$1" build
    [ "$(cat "$WORK/$1.rc")" = 1 ] || fail "$1: status $(cat "$WORK/$1.rc"), want 1"
    grep -q "$3" "$WORK/$1.err" || { dump "$WORK/$1.err" stderr; fail "$1: not refused"; }
    run "$1-cold" build --no-cache
    same "$1-cold" "$1"
}
swap swapped-md 004-alles.md "004-alles.md.*outside the show's folder"
ln -sf ../notes/004-alles.md "$S/episodes/004-alles.md"
counts 1 $((N - 1)) "symlink back inside (refused: dropped from the cache)"
swap swapped-audio 004-alles.mp3 "audio: .*outside the show's folder"
ok "symlinks swapped to outside the show after caching: refused, as without the cache"

# episodes/ itself a symlink: to a folder inside the show (read), then to
# the same folder moved outside (every file refused, cached or not).
rm "$S/episodes/004-alles.md" "$S/episodes/004-alles.mp3"
mv "$S/notes/004-alles.md" "$S/notes/004-alles.mp3" "$S/episodes/"
mv "$S/episodes" "$S/notes/eps"
ln -s notes/eps "$S/episodes"
run dirlink build
[ "$(cat "$WORK/dirlink.rc")" = 0 ] || { dump "$WORK/dirlink.err" stderr; fail "episodes/ linked inside the show refused"; }
counts 0 "$N" "episodes/ a symlink inside the show (same files: cached)"
mv "$S/notes/eps" "$OUT/eps"
ln -sfn "$OUT/eps" "$S/episodes"
run dirout build
[ "$(cat "$WORK/dirout.rc")" = 1 ] || fail "episodes/ linked outside: status $(cat "$WORK/dirout.rc"), want 1"
[ "$(grep -c "outside the show's folder" "$WORK/dirout.err")" -ge "$N" ] ||
    { dump "$WORK/dirout.err" stderr; fail "episodes/ linked outside: not every file refused"; }
run dirout-cold build --no-cache
same dirout-cold dirout
ok "episodes/ a symlink: read inside the show, refused outside"

exit 0
