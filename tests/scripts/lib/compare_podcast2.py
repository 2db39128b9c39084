"""compare_podcast2.py SHOW_DIR PARTYTIME_JSON (not a test: test_podcast2.sh)

Compares what podcast-partytime read from SHOW_DIR/public/feed.xml
(read_podcast2.mjs's JSON) with feed/podcast.yaml and the episodes'
front matter, field by field; prints each difference, exits 1 on any.
"""
import glob
import json
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import podcastparser
import yaml

show_dir, pt_file = sys.argv[1], sys.argv[2]
show = yaml.safe_load(open(os.path.join(show_dir, "feed/podcast.yaml"), encoding="utf-8"))
pt = json.load(open(pt_file, encoding="utf-8"))
ch = pt["channel"]
bad = []


def same(what, got, want):
    if got != want:
        bad.append("%s: partytime read %r, the YAML says %r" % (what, got, want))


def front(path):
    text = open(path, encoding="utf-8").read()
    return yaml.safe_load(text.split("\n---", 1)[0].lstrip("-\n"))


def seconds(v):
    """A front-matter time ("0:05", 20, 1.5) in seconds."""
    if isinstance(v, (int, float)):
        return v
    parts = [float(p) for p in str(v).split(":")]
    s = 0
    for p in parts:
        s = s * 60 + p
    return int(s) if s == int(s) else s


def recipients(got, want, where):
    """valueRecipients as partytime read them vs the YAML's."""
    same(where + " valueRecipients",
         [(r.get("name"), r["type"], r["address"], r["split"], r["fee"],
           r.get("customKey"), r.get("customValue")) for r in got or []],
         [(w.get("name"), w["type"], str(w["address"]), int(w["split"]),
           w.get("fee") is True, w.get("custom_key") and str(w["custom_key"]),
           w.get("custom_value") and str(w["custom_value"])) for w in want or []])


def value(got, want, splits, where):
    """A podcast:value block (with an episode's time splits) vs the YAML."""
    if not want:
        same(where + " value", got, None)
        return
    if got is None:
        bad.append("%s value: partytime read none" % where)
        return
    same(where + " value type", got["type"], want["type"])
    same(where + " value method", got["method"], want["method"])
    if "suggested" in want:
        same(where + " value suggested", got.get("suggested"), float(want["suggested"]))
    recipients(got.get("recipients"), want.get("recipients"), where)
    gs = got.get("valueTimeSplits") or []
    same(where + " valueTimeSplits", len(gs), len(splits or []))
    for g, w in zip(gs, splits or []):
        same(where + " valueTimeSplit start", g["startTime"], seconds(w["start"]))
        same(where + " valueTimeSplit duration", g["duration"], seconds(w["duration"]))
        if "remote_item" in w:
            ri = w["remote_item"]
            same(where + " valueTimeSplit remoteItem",
                 (g["remoteItem"].get("feedGuid"), g["remoteItem"].get("itemGuid"),
                  g["remoteItem"].get("feedUrl"), g["remotePercentage"], g["remoteStartTime"]),
                 (ri["feed_guid"], ri.get("item_guid"), ri.get("feed_url"),
                  float(w.get("remote_percentage", 100)), seconds(w.get("remote_start", 0))))
        else:
            same(where + " valueTimeSplit type", g["type"], "recipients")
            recipients(g.get("recipients"), w.get("recipients"), where + " valueTimeSplit")


def srcset(got, want, folder, where):
    """The podcast:images srcset partytime read vs the YAML's images:."""
    want = [i if isinstance(i, dict) else {"href": i} for i in want or []]
    urls = []
    for i in want:
        h = i["href"]
        url = h if h.startswith("http") else base + urllib.parse.quote(h)
        w = i.get("width")
        if w is None and not h.startswith("http"):
            w = image_width(os.path.join(show_dir, folder, h))
        if w:
            urls.append((url, int(w)))
    same(where + " podcast:images srcset",
         [(g["parsed"]["url"], g["parsed"]["width"]) for g in got or []], urls)


def image_width(path):
    """A PNG's or a JPEG's width from its header (not from podpub)."""
    data = open(path, "rb").read()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(data[16:20], "big")
    i = 2
    while i < len(data):
        marker, size = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big")
        i += 2 + size
    return None


def person_list(got, want, where):
    want = want or []
    got = got or []
    same(where + " persons", len(got), len(want))
    for g, w in zip(got, want):
        same(where + " person name", g.get("name"), w["name"])
        # partytime writes the taxonomy's capitalised names; podpub writes
        # the YAML's; the namespace compares them without case.
        same(where + " person role", g.get("role", "").lower(), w.get("role", "host").lower())
        same(where + " person group", g.get("group", "").lower(), w.get("group", "cast").lower())
        same(where + " person href", g.get("href"), w.get("href"))


base = show["base_url"]
person_list(ch.get("persons"), show.get("persons"), "channel")
loc = show.get("location")
if loc:
    same("location name", ch["location"]["name"], loc["name"])
    same("location geo", ch["location"].get("geo"), loc.get("geo"))
    same("location osm", ch["location"].get("osm"), loc.get("osm"))
lic = show.get("license")
if lic:
    lic = lic if isinstance(lic, dict) else {"name": lic}
    same("license", ch["license"]["identifier"], lic["name"])
    if "url" in lic:
        same("license url", ch["license"]["url"], lic["url"])
same("medium", ch.get("medium"), show.get("medium", "podcast"))
fund = show.get("funding") or []
fund = fund if isinstance(fund, list) else [fund]
same("funding", [(f["url"], f["message"]) for f in ch.get("funding") or []],
     [(f["url"], f["text"]) for f in fund])
same("podroll", [(r.get("feedGuid"), r.get("feedUrl"), r.get("title")) for r in ch.get("podroll") or []],
     [(r["feed_guid"], r.get("feed_url"), r.get("title")) for r in show.get("podroll") or []])
txt = [t if isinstance(t, dict) else {"text": t} for t in show.get("txt") or []]
same("txt", [(t["value"], t.get("purpose")) for t in ch.get("txt") or []],
     [(t["text"], t.get("purpose")) for t in txt])
block = show.get("block")
same("itunes:block", ch["itunesBlock"], block is True or (isinstance(block, list) and "apple" in block))
same("itunes:complete", ch["itunesComplete"], show.get("complete") is True)
same("owner e-mail", (ch.get("owner") or {}).get("email"),
     None if show["owner"].get("hide_email") else show["owner"]["email"])

value(ch.get("value"), show.get("value"), [], "channel")
srcset(ch.get("images"), show.get("images"), "feed", "channel")

hubs = [u for u in (show.get("publish") or {}).get("notify") or [] if "pubnotify" not in u]
same("WebSub hub", (ch.get("pubsub") or {}).get("hub"), hubs[0] if hubs else None)

# podcast:block and updateFrequency, which partytime 5.0.0 does not read.
PI = "{https://podcastindex.org/namespace/1.0}"
root = ET.parse(os.path.join(show_dir, "public/feed.xml")).getroot()
channel = root.find("channel")
blocks = [(b.get("id"), b.text) for b in channel.findall(PI + "block")]
want_blocks = [(None, "yes")] if block is True else [(b, "yes") for b in block or []]
same("podcast:block", blocks, want_blocks)

episodes = {}
for path in sorted(glob.glob(os.path.join(show_dir, "episodes/*.md"))):
    fm = front(path)
    episodes[str(fm["guid"])] = fm
trailers = [fm for fm in episodes.values() if fm.get("type") == "trailer"]
same("trailers", [(t["title"], t["url"], t.get("season")) for t in ch.get("trailers") or []],
     [(t["title"], base + urllib.parse.quote(t["audio"]), t.get("season")) for t in trailers])

dates = sorted(fm["date"] for fm in episodes.values())
uf = channel.find(PI + "updateFrequency")
if show.get("update_frequency") == "auto":
    # The example's episodes come out weekly, on Fridays.
    same("updateFrequency rrule", uf is not None and uf.get("rrule"), "FREQ=WEEKLY;BYDAY=FR")
    same("updateFrequency dtstart", uf is not None and uf.get("dtstart"), dates[0].isoformat())

for it in pt["items"]:
    fm = episodes.get(str(it["guid"]))
    if fm is None:
        bad.append("item %r is not an episode" % it["guid"])
        continue
    where = fm["title"]
    person_list(it.get("persons"), fm.get("persons"), where)
    if "season" in fm:
        same(where + " season", it["season"]["number"], fm["season"])
        # A season's name is the season's: podpub writes it on every
        # episode of that season, whichever episode named it.
        names = {e["season_name"] for e in episodes.values()
                 if e.get("season") == fm["season"] and e.get("season_name")}
        same(where + " season name", it["season"].get("name"), names.pop() if names else None)
    if "episode" in fm:
        same(where + " episode", it["episode"]["number"], fm["episode"])
        same(where + " episode display", it["episode"].get("display"), fm.get("episode_display"))
    same(where + " soundbites", [(s["startTime"], s["duration"], s.get("title")) for s in it.get("soundbites") or []],
         [(seconds(s["start"]), seconds(s["duration"]), s.get("title")) for s in fm.get("soundbites") or []])
    same(where + " socialInteract",
         [(s["platform"], s["url"], s.get("id")) for s in it.get("social") or []],
         [(s["protocol"], s["uri"], s.get("account_id")) for s in fm.get("social_interact") or []])
    want_tr = []
    if fm.get("transcript"):
        want_tr.append((base + fm["transcript"], show["language"]))
    for t in fm.get("transcripts") or []:
        want_tr.append((base + t["file"], t.get("language", show["language"])))
    same(where + " transcripts", [(t["url"], t.get("language")) for t in it.get("transcripts") or []], want_tr)
    same(where + " chapters", bool(it.get("chapters")), bool(fm.get("chapters")))
    # An episode's own value block replaces the show's (partytime gives
    # an item without one the channel's); its time splits go into the
    # show's block when it has none.
    own = fm.get("value") or show.get("value")
    value(it.get("value"), own, fm.get("value_time_splits"), where)
    srcset(it.get("images"), fm.get("images"), "episodes", where)

# psc:chapters, read by gPodder's podcastparser (which reads no podcast:
# tag), and with chapters_in_notes the timestamp list ending the notes.
with open(os.path.join(show_dir, "public/feed.xml"), "rb") as f:
    gp = podcastparser.parse("feed.xml", f)
items = {str(i.find("guid").text): i for i in channel.findall("item")}
for e in gp["episodes"]:
    fm = episodes[str(e["guid"])]
    want = []
    for line in fm.get("chapters") or []:
        t, title = str(line).split(" ", 1)
        want.append((int(seconds(t)), title))
    same(fm["title"] + " psc:chapters", [(c["start"], c["title"]) for c in e.get("chapters") or []], want)
    desc = items[str(e["guid"])].find("description").text or ""
    lines = ["%02d:%02d %s" % (s // 60, s % 60, title) for s, title in want]
    listed = all("<li>%s</li>" % l.replace("&", "&amp;") in desc for l in lines)
    same(fm["title"] + " chapters in the notes", listed and bool(lines),
         bool(lines) and show.get("chapters_in_notes") is True)

for b in bad:
    print("  MISMATCH " + b)
sys.exit(1 if bad else 0)
