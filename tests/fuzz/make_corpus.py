#!/usr/bin/env python3
"""Rebuilds the seed corpora in tests/fuzz/corpus/<target>/ from the
repository's fixtures:

  episode      tests/cases/*/episodes/*.md and episodes/*.md
  show         tests/cases/*/feed/podcast.yaml and feed/podcast.yaml
  feed_reader  tests/fixtures/feeds/*.xml, the cases' feeds (rule cases and
               expected builds) and public/feed.xml
  feed_writer  the built feeds above, turned into fuzz_feed_writer's
               NUL-separated input (see the comment atop that file)
  probe        tests/fixtures/audio/*, the cases' cover.jpg files and two
               tiny PNGs, each behind the name byte fuzz_probe.c expects

Identical inputs are kept once; files over 64 KB are left out, so the
committed corpus stays small. Run from anywhere: python3 make_corpus.py
"""

import hashlib
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "corpus")
MAX_SEED = 64 * 1024

NS_ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
NS_PODCAST = "{https://podcastindex.org/namespace/1.0}"
NS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"

# fuzz_probe.c's names[]: the first byte of an input picks its name.
PROBE_NAMES = ["mp3", "m4a", "ogg", "flac", "wav", "opus", "m4b", "mp4",
               "oga", "jpg", "png", "jpeg", "webp", "aac"]


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(OUT, target)
        self.seen = set()
        os.makedirs(self.dir, exist_ok=True)
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))

    def add(self, name, data):
        if len(data) > MAX_SEED:
            return
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)


def files(pattern_dir, suffix, below=None):
    """Paths under ROOT/pattern_dir ending in 'suffix', sorted."""
    out = []
    top = os.path.join(ROOT, pattern_dir)
    for dirpath, _, names in os.walk(top):
        rel = os.path.relpath(dirpath, ROOT)
        if below and below not in rel.split(os.sep):
            continue
        for n in names:
            if n.endswith(suffix):
                out.append(os.path.join(dirpath, n))
    return sorted(out)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def case_name(path):
    rel = os.path.relpath(path, ROOT)
    parts = rel.split(os.sep)
    if parts[:2] == ["tests", "cases"]:
        return parts[2] + "-" + parts[-1]
    return "-".join(parts[-2:])


def episode_seeds():
    c = Corpus("episode")
    for p in files("tests/cases", ".md", below="episodes") + \
            files("episodes", ".md"):
        c.add(case_name(p), read(p))


def show_seeds():
    c = Corpus("show")
    paths = [p for p in files("tests/cases", "podcast.yaml", below="feed")]
    paths += [os.path.join(ROOT, "feed", "podcast.yaml")]
    for p in paths:
        if os.path.exists(p):
            c.add(case_name(p), read(p))


def feed_files():
    paths = files("tests/fixtures/feeds", ".xml") + \
        files("tests/cases", ".xml")
    pub = os.path.join(ROOT, "public", "feed.xml")
    if os.path.exists(pub):
        paths.append(pub)
    return paths


def reader_seeds():
    c = Corpus("feed_reader")
    for p in feed_files():
        c.add(case_name(p), read(p))


def text(parent, tag):
    n = parent.find(tag) if parent is not None else None
    return (n.text or "") if n is not None else ""


def attr(parent, tag, name):
    n = parent.find(tag) if parent is not None else None
    return n.get(name, "") if n is not None else ""


def writer_input(ch):
    """fuzz_feed_writer's fields for the channel element 'ch'."""
    items = ch.findall("item")[:5]
    cats = ch.findall(NS_ITUNES + "category")
    flags = 0x40 | 0x20          # a subcategory; the HTML page too
    if text(ch, NS_ITUNES + "explicit") in ("true", "yes"):
        flags |= 1
    if text(ch, NS_ITUNES + "type") == "serial":
        flags |= 2
    if ch.find(NS_PODCAST + "locked") is not None:
        flags |= 4 | (8 if text(ch, NS_PODCAST + "locked") == "yes" else 0)
    if len(ch.findall("{http://www.w3.org/2005/Atom}link")) > 1:
        flags |= 16
    base = attr(ch, "{http://www.w3.org/2005/Atom}link", "href")
    base = base.rsplit("/", 1)[0] + "/" if "/" in base else base
    image = attr(ch, NS_ITUNES + "image", "href")
    if image.startswith(base):
        image = image[len(base):]
    show = [
        bytes([flags, len(items) | (2 << 3)]),
        text(ch, "title"), text(ch, "description"), text(ch, "language"),
        text(ch, "link"), base,
        attr(ch, "{http://www.w3.org/2005/Atom}link", "href"),
        text(ch, NS_ITUNES + "author"),
        text(ch.find(NS_ITUNES + "owner"), NS_ITUNES + "name"),
        text(ch.find(NS_ITUNES + "owner"), NS_ITUNES + "email"),
        text(ch, "copyright"), image, text(ch, NS_PODCAST + "guid"),
        attr(ch, NS_PODCAST + "funding", "url"),
        text(ch, NS_PODCAST + "funding"),
        cats[0].get("text", "") if cats else "",
        attr(cats[0], NS_ITUNES + "category", "text") if cats else "",
    ]
    fields = show
    for i, it in enumerate(items):
        enc = it.find("enclosure")
        ctl = 0x10 | (0x20 if text(it, NS_ITUNES + "explicit") == "true"
                      else 0)
        if it.find(NS_ITUNES + "season") is not None:
            ctl |= 1
        if it.find(NS_ITUNES + "episode") is not None:
            ctl |= 2
        ctl |= {"trailer": 1, "bonus": 2}.get(
            text(it, NS_ITUNES + "episodeType"), 0) << 2
        if it.find(NS_PODCAST + "chapters") is not None:
            ctl |= 0x40
        mime = enc.get("type", "") if enc is not None else ""
        mimes = ["audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/ogg",
                 "audio/opus", "audio/flac", "audio/wav"]
        # Never a NUL in a field: 7 + i picks mimes[i] as i does.
        ctl_bytes = bytes([ctl, 7 + (mimes.index(mime) if mime in mimes
                                     else 0), 5])
        url = enc.get("url", "") if enc is not None else ""
        audio = url[len(base):] if url.startswith(base) else url
        dur = text(it, NS_ITUNES + "duration") or "0"
        nums = "%s %s %s %s" % (
            enc.get("length", "0") if enc is not None else "0",
            int(dur) * 1000 if dur.isdigit() else 0,
            text(it, NS_ITUNES + "season") or "1",
            text(it, NS_ITUNES + "episode") or "1")
        # The date as the front matter writes it, from the RFC 2822 one.
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        m = re.match(r"\w+, (\d+) (%s) (\d{4}) (\d+:\d+:\d+) "
                     r"([+-]\d\d)(\d\d)" % "|".join(months),
                     text(it, "pubDate"))
        date = "%s-%02d-%02dT%s%s:%s" % (
            m.group(3), months.index(m.group(2)) + 1, int(m.group(1)),
            m.group(4), m.group(5), m.group(6)) if m else "2025-10-31"
        link = text(it, "link")
        fields += [
            ctl_bytes, nums, text(it, "title"),
            text(it, "guid"), audio, "%03d-episode" % (i + 1), date,
            text(it, NS_ITUNES + "subtitle"),
            "" if "index.html#" in link else link,
            attr(it, NS_ITUNES + "image", "href"),
            attr(it, NS_PODCAST + "transcript", "url"),
            # Markdown that renders close to the notes: the plain text.
            text(it, NS_ITUNES + "summary"),
        ]
    # Control fields are bytes already; texts go in as UTF-8.
    return b"\0".join(f if isinstance(f, bytes) else f.encode("utf-8")
                      for f in fields)


def writer_seeds():
    c = Corpus("feed_writer")
    for p in feed_files():
        try:
            root = ET.parse(p).getroot()
        except ET.ParseError:
            continue
        ch = root.find("channel")
        if root.tag != "rss" or ch is None:
            continue
        c.add(case_name(p), writer_input(ch))
    # A few by hand: CDATA ends, entities in the notes, zones and dates.
    hand = [
        [b"\x7f\x0b", b"T", b"D", b"en", b"https://e.org/", b"https://e.org/",
         b"https://e.org/feed.xml", b"", b"", b"", b"", b"", b"show-guid",
         b"", b"", b"News", b"",
         b"\x53\x02\x02", b"1 2500 1 1", b"A ]]> B", b"g1", b"a.mp3", b"001",
         b"1930-06-01T12:00", b"", b"", b"", b"t.vtt",
         b"Notes ]]> with `code` &amp; &#1; &#xFFFE; <b>x</b>\r\nnext",
         b"\x13\x03\x01", b"99 0 2 3", b" padded\ttitle\r", b"g 2", b"b c.m4a",
         b"002 two", b"1735689600", b"sum", b"https://e.org/l", b"i.jpg",
         b"", b"* a\n* b\n\n1. c\n\n    code\n\n> q\n\n---\n"],
    ]
    for i, fields in enumerate(hand):
        c.add("hand-%d" % i, b"\0".join(fields))


def png(width, height, colour_type, raw_rows):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw_rows, 9)) + chunk(b"IEND", b""))


def probe_seeds():
    c = Corpus("probe")
    for p in files("tests/fixtures/audio", ""):
        name = os.path.basename(p)
        ext = name.rsplit(".", 1)[-1]
        if ext not in PROBE_NAMES:
            continue
        c.add("audio-" + name, bytes([PROBE_NAMES.index(ext)]) + read(p))
    for p in files("tests/fixtures/image", ".jpg") + \
            files("tests/cases", ".jpg"):
        c.add("image-" + case_name(p),
              bytes([PROBE_NAMES.index("jpg")]) + read(p))
    c.add("image-1x1-rgb.png", bytes([PROBE_NAMES.index("png")]) +
          png(1, 1, 2, b"\0\xff\0\0"))
    c.add("image-1400-grey.png", bytes([PROBE_NAMES.index("png")]) +
          png(1400, 1400, 0, (b"\0" + b"\x80" * 1400) * 1400))


def main():
    episode_seeds()
    show_seeds()
    reader_seeds()
    writer_seeds()
    probe_seeds()
    total = 0
    for target in sorted(os.listdir(OUT)):
        d = os.path.join(OUT, target)
        n = len(os.listdir(d))
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        total += size
        print("%-12s %4d files %8d bytes" % (target, n, size))
    print("%-12s %4s       %8d bytes" % ("total", "", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
