#!/bin/sh
# test_podcast2.sh PODPUB SOURCE_DIR WORK_DIR
#
# The Podcast Index namespace tags, read back by podcast-partytime (npm,
# pinned in tests/partytime) and compared field by field with the YAML
# they were written from (read here with PyYAML, not by podpub):
#   example/  the committed example show: persons, location, licence,
#             medium, funding, podroll, the trailer, season names,
#             soundbites, chapters, transcripts; updateFrequency (which
#             partytime 5.0.0 does not read) with Python's XML parser
#   extra/    the same plus txt, block, complete, owner.hide_email,
#             socialInteract, episode display, chapters_in_notes, WebSub
#             hubs, an episode's own value block (customKey/customValue,
#             a fee) with a remoteItem time split, an episode's image URL
# psc:chapters (Podlove Simple Chapters) are read back with gPodder's
# podcastparser, which reads them and no podcast: tag.
# Then `podpub check --feed` finds nothing wrong in either feed (but the
# missing itunes:email that hide_email asks for).
set -u

me=test_podcast2
. "$(dirname "$0")/lib/common.sh"
init "$@"
need node
PT=$SRC/tests/partytime
[ -d "$PT/node_modules/podcast-partytime" ] ||
    fail "podcast-partytime is not installed in $PT (scripts/setup test runs npm ci there)"
"$PY" -c 'import yaml, podcastparser' ||
    fail "$PY cannot import yaml, podcastparser (apt-get install python3-yaml python3-podcastparser)"

# readback DIR [RULE]: build DIR, read its feed with partytime, compare;
# check --feed finds nothing but RULE.
readback() {
    "$PODPUB" -C "$1" build >"$1.build.log" 2>&1 ||
        { dump "$1.build.log" build; fail "podpub -C $1 build failed"; }
    PARTYTIME_LOG=silent node "$PT/read_podcast2.mjs" "$1/public/feed.xml" \
        >"$1.pt.json" || fail "podcast-partytime cannot read $1/public/feed.xml"
    "$PY" "$LIB/compare_podcast2.py" "$1" "$1.pt.json" ||
        fail "$1: the namespace tags read back wrong (above)"
    "$PODPUB" check --feed "$1/public/feed.xml" >"$1.check.log" 2>&1
    if grep '\[' "$1.check.log" | grep -v -E "\[(${2:-none})\]" >/dev/null; then
        dump "$1.check.log" check
        fail "check --feed finds problems in $1's feed"
    fi
}

echo "== the committed example show"
make_show "$WORK/example"
readback "$WORK/example"
ok "example: every namespace field reads back as written"

echo "== plus txt, block, complete, hide_email, socialInteract, display, chapters in notes"
X=$WORK/extra
make_show "$X"
cat >>"$X/feed/podcast.yaml" <<'YAML' || fail "cannot extend podcast.yaml"
txt:
  - {purpose: applepodcastsverify, text: "4f9b1c2e-0d6a-4b7e-9c3f-5a1e2d7b8c90"}
  - Alleen voor volwassenen
block: [google, spotify]
complete: true
chapters_in_notes: true
publish:
  notify: [https://pubsubhubbub.appspot.com/, "https://api.podcastindex.org/api/1.0/hub/pubnotify"]
YAML
sed -i 's/^  email: podcast@omroepbrabant.example$/&\n  hide_email: true/' "$X/feed/podcast.yaml"
sed -i 's/^episode: 2$/&\nepisode_display: Deel twee\nsocial_interact:\n  - {protocol: activitypub, uri: "https:\/\/mastodon.example\/@ob\/1", account_id: "@ob@mastodon.example", priority: 1}/' \
    "$X/episodes/002-dennis.md"
cat >>"$X/episodes/003-lumens.md.fm" <<'YAML' || fail "cannot write front matter"
value:
  type: lightning
  method: keysend
  recipients:
    - {name: Lumens, type: node, address: "031111111111111111111111111111111111111111111111111111111111111111", split: 3, custom_key: "696969", custom_value: lumens-podcast}
    - {name: Omroep Brabant, type: lnaddress, address: v4v@omroepbrabant.example, split: 1}
    - {name: App, type: lnaddress, address: fee@app.example, split: 1, fee: true}
value_time_splits:
  - {start: 5, duration: 10, remote_start: 2, remote_percentage: 90, remote_item: {feed_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810, item_guid: track-1, feed_url: "https://music.example/feed.xml"}}
images:
  - {href: "https://media.example.org/lumens-wide.jpg", width: 1920, height: 1080, aspect_ratio: 16/9, purpose: social}
YAML
sed -i '1r '"$X/episodes/003-lumens.md.fm" "$X/episodes/003-lumens.md" && rm "$X/episodes/003-lumens.md.fm" ||
    fail "cannot extend 003-lumens.md"
# Without the address Spotify has none and podcast:locked no owner to
# unlock it with: check --feed says both.
readback "$X" 'spotify.owner.email|pi.locked.owner'
# Nor anywhere else: podcast:locked loses its owner= too.
! grep -n 'podcast@omroepbrabant.example' "$X/public/feed.xml" ||
    fail "hide_email: the owner's address is still in the feed"
ok "extra: every namespace field reads back as written"
echo "$me: ok"
