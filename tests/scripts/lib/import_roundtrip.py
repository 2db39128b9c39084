#!/usr/bin/python3
"""Compare an imported show's built feed with the feed it was imported from.

Usage: import_roundtrip.py OLD_FEED NEW_FEED OLD_URL [--skip GUID]...

Both feeds are read with gPodder's podcastparser and with feedparser (the
parsers tests/readback.py uses). Every item of the old feed that has an
enclosure and a date must be in the new one, found by its GUID, with the
same pubDate instant, enclosure URL, enclosure length, season, episode
number and episode type, as each parser reads them; the channel's
podcast:guid (feedparser) must be the same, or, when the old feed has
none, the UUIDv5 of OLD_URL. An episode number the old feed gives
twice in a season is expected only on the oldest of those items. Items
whose GUID is given with --skip (the
ones import refused and listed) are left out. Exits 0 when everything
matches, 1 with every mismatch listed, 2 when it cannot run.
"""

import calendar
import io
import sys
import uuid

try:
    import feedparser
    import podcastparser
except ImportError as e:
    sys.exit("import_roundtrip: %s (python3-podcastparser, python3-feedparser)"
             % e)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def by_guid_pp(data, url):
    feed = podcastparser.parse(url, io.BytesIO(data))
    out = {}
    for ep in feed["episodes"]:
        enc = ep["enclosures"][0] if ep["enclosures"] else {}
        out[ep["guid"]] = {
            "date": ep["published"],
            "url": enc.get("url"),
            "length": enc.get("file_size"),
            "type": ep.get("type"),
        }
    return out


def by_guid_fp(data):
    d = feedparser.parse(data)
    out = {}
    for e in d.entries:
        encs = [l for l in e.get("links", []) if l.get("rel") == "enclosure"]
        when = e.get("published_parsed")
        out[e.get("id")] = {
            "date": calendar.timegm(when) if when else None,
            "url": encs[0].get("href") if encs else None,
            "length": encs[0].get("length") if encs else None,
            "season": e.get("itunes_season"),
            "episode": e.get("itunes_episode"),
            "type": e.get("itunes_episodetype"),
        }
    return out, d.feed.get("podcast_guid")


def main():
    if len(sys.argv) < 4:
        sys.exit(2)
    old, new, url = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3]
    skip = set()
    args = sys.argv[4:]
    while args:
        if args[0] == "--skip" and len(args) > 1:
            skip.add(args[1])
            args = args[2:]
        else:
            sys.exit(2)
    bad = []
    # podcastparser joins a guid that is not a URL to the feed URL when
    # isPermaLink is absent or true: read both feeds with the same URL.
    try:
        pp_old = by_guid_pp(old, url)
    except podcastparser.FeedParseError as e:
        # gPodder cannot read the old feed at all (a blank line before
        # the XML declaration): nothing of it to compare.
        print("import_roundtrip: podcastparser cannot read the old feed "
              "(%s): compared with feedparser only" % e)
        pp_old = {}
    pp_new = by_guid_pp(new, url)
    (fp_old, guid_old), (fp_new, guid_new) = by_guid_fp(old), by_guid_fp(new)
    # podpub gives an episode number once per season: of items sharing
    # one in the old feed, the oldest keeps it (import lists the rest).
    dup_numbers = set()
    seen = {}
    for g, o in sorted(fp_old.items(), key=lambda kv: kv[1]["date"] or 0):
        key = (o["season"], o["episode"])
        if o["episode"] is None:
            continue
        if key in seen:
            dup_numbers.add(g)
        seen[key] = g
    compared = 0
    for name, o_items, n_items, keys in (
            ("podcastparser", pp_old, pp_new, ("date", "url", "type")),
            ("feedparser", fp_old, fp_new,
             ("date", "url", "length", "season", "episode", "type"))):
        for g, o in o_items.items():
            if g in skip or not o["url"] or o["date"] is None:
                continue
            n = n_items.get(g)
            if n is None and name == "podcastparser":
                # podpub writes isPermaLink="false": its guid is not joined.
                n = next((v for k, v in n_items.items()
                          if g.endswith("/" + k) or g == url + k), None)
            if n is None:
                bad.append("%s: item %r is missing" % (name, g))
                continue
            compared += 1
            for k in keys:
                ov, nv = o.get(k), n.get(k)
                if k == "type" and ov in (None, "", "full") and \
                        nv in (None, "", "full"):
                    continue
                if k == "length" and str(ov or "0") == str(nv or "0"):
                    continue
                if k == "episode" and g in dup_numbers and nv is None:
                    continue
                if ov != nv:
                    bad.append("%s: item %r: %s %r became %r"
                               % (name, g, k, ov, nv))
    want = guid_old or str(uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
        url.split("://", 1)[-1].rstrip("/")))
    if guid_new != want:
        bad.append("podcast:guid %r became %r" % (want, guid_new))
    for b in bad:
        print("import_roundtrip: " + b)
    print("import_roundtrip: %d item readings compared, %d mismatches"
          % (compared, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
