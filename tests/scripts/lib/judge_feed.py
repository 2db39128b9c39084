#!/usr/bin/python3
"""Judges `podpub check --feed` findings against the feed itself.

    judge_feed.py FEED FINDINGS [NOW]

FINDINGS is what `check --feed FEED` printed; NOW (seconds since 1970,
default the clock) is the moment rss.date.future is judged at.

A reading independent of podpub's: expat without namespace processing
(so undeclared prefixes and look-alike URIs do not stop it), a small
tree with each element's start line and column, and for each finding the
claim its rule makes, checked on what the finding points at: the element
at that line and column, or the channel or item it names, down to the
numbers its message gives (the weekday, the suggested duration, the
referenced item, the count of elements in a namespace). The limits are
Apple's as Apple documents them: 4000 bytes for the show's
<description>, 10,000 characters for an episode's; the categories are
Apple's current list (19 top-level, 91 sub) and the retired one before
2019. Prints one line per finding, "right" or "WRONG" (or "?" when it
could not judge), the rule, the line and why; exits 1 unless every
finding is right.
"""
import datetime
import re
import sys
import time
import urllib.parse
import xml.parsers.expat

APPLE_CATS = {
    "Arts": "Books, Design, Fashion & Beauty, Food, Performing Arts, Visual Arts",
    "Business": "Careers, Entrepreneurship, Investing, Management, Marketing, Non-Profit",
    "Comedy": "Comedy Interviews, Improv, Stand-Up",
    "Education": "Courses, How To, Language Learning, Self-Improvement",
    "Fiction": "Comedy Fiction, Drama, Science Fiction",
    "Government": "", "History": "", "Technology": "", "True Crime": "",
    "Health & Fitness": "Alternative Health, Fitness, Medicine, Mental Health, Nutrition, Sexuality",
    "Kids & Family": "Education for Kids, Parenting, Pets & Animals, Stories for Kids",
    "Leisure": "Animation & Manga, Automotive, Aviation, Crafts, Games, Hobbies, Home & Garden, Video Games",
    "Music": "Music Commentary, Music History, Music Interviews",
    "News": "Business News, Daily News, Entertainment News, News Commentary, Politics, Sports News, Tech News",
    "Religion & Spirituality": "Buddhism, Christianity, Hinduism, Islam, Judaism, Religion, Spirituality",
    "Science": "Astronomy, Chemistry, Earth Sciences, Life Sciences, Mathematics, Natural Sciences, Nature, Physics, Social Sciences",
    "Society & Culture": "Documentary, Personal Journals, Philosophy, Places & Travel, Relationships",
    "Sports": "Baseball, Basketball, Cricket, Fantasy Sports, Football, Golf, Hockey, Rugby, Running, Soccer, Swimming, Tennis, Volleyball, Wilderness, Wrestling",
    "TV & Film": "After Shows, Film History, Film Interviews, Film Reviews, TV Reviews",
}
APPLE_CATS = {k: set(s.strip() for s in v.split(",") if s.strip())
              for k, v in APPLE_CATS.items()}
# Apple's list before 2019: top-level categories that are gone, and
# subcategories that are gone from a top level that stayed.
OLD_TOPS = {"Games & Hobbies", "Science & Medicine", "News & Politics",
            "Sports & Recreation", "Government & Organizations", "Health"}
OLD_SUBS = {"Arts/Literature", "Business/Business News", "Business/Shopping",
            "Technology/Gadgets", "Technology/Podcasting",
            "Technology/Tech News", "Technology/Software How-To",
            "Society & Culture/History", "Education/Educational Technology",
            "Education/Higher Education", "Religion & Spirituality/Other"}
CANON = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
}
PI_LEGACY = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
PI_GUID_NS = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"
TRANSCRIPT_TYPES = {"text/vtt", "application/x-subrip", "application/srt",
                    "application/json", "text/html", "text/plain"}


class El:
    def __init__(self, name, attrs, line, col, parent):
        self.name, self.attrs, self.line, self.col = name, attrs, line, col
        self.parent, self.kids, self.text = parent, [], ""

    @property
    def local(self):
        return self.name.split(":", 1)[-1]

    @property
    def prefix(self):
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    def find(self, *names):
        return [k for k in self.kids if k.name in names]

    def walk(self):
        yield self
        for k in self.kids:
            yield from k.walk()


def parse(data):
    """(root, error, lead): what expat could read, its first error as
    (line, message), and whether white space came before "<?xml"."""
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    rest = data[start:]
    lead = len(rest) - len(rest.lstrip(b" \t\r\n"))
    skipped, body = 0, data
    if lead and rest[lead:lead + 5] == b"<?xml":
        skipped, body = rest[:lead].count(b"\n"), rest[lead:]
    else:
        lead = 0
    p = xml.parsers.expat.ParserCreate()
    p.buffer_text = True
    root, stack = None, []

    def on_start(name, attrs):
        nonlocal root
        e = El(name, attrs, p.CurrentLineNumber + skipped,
               p.CurrentColumnNumber + 1, stack[-1] if stack else None)
        if stack:
            stack[-1].kids.append(e)
        else:
            root = e
        stack.append(e)

    def on_end(name):
        stack.pop()

    def on_text(t):
        if stack:
            stack[-1].text += t
    p.StartElementHandler, p.EndElementHandler = on_start, on_end
    p.CharacterDataHandler = on_text
    err = None
    try:
        p.Parse(body, True)
    except xml.parsers.expat.ExpatError as e:
        err = (e.lineno + skipped, str(e))
    return root, err, lead > 0


def ns_decls(root):
    d = {}
    for e in root.walk() if root else []:
        for k, v in e.attrs.items():
            if k.startswith("xmlns:"):
                d.setdefault(k[6:], set()).add(v)
    return d


def uri_core(u):
    u = re.sub(r"^https?://", "", u, flags=re.I)
    u = re.sub(r"^www\.", "", u, flags=re.I)
    return u.rstrip("/").lower()


APPLE_TYPES = {"audio/mpeg", "audio/x-m4a", "audio/mp4"}
EXT_TYPES = {
    "mp3": {"audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mp3"},
    "m4a": {"audio/x-m4a", "audio/mp4", "audio/m4a", "audio/aac"},
    "aac": {"audio/aac", "audio/x-aac", "audio/aacp"},
    "mp4": {"video/mp4", "audio/mp4", "audio/x-m4a"},
    "m4v": {"video/x-m4v", "video/mp4"},
    "mov": {"video/quicktime"},
    "ogg": {"audio/ogg", "audio/vorbis", "application/ogg", "audio/opus"},
    "opus": {"audio/opus", "audio/ogg"},
    "wav": {"audio/wav", "audio/x-wav", "audio/wave"},
    "pdf": {"application/pdf"},
}
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
# RFC 2822 zones, with their offsets in hours; UTC is not one of them.
ZONES = {"GMT": 0, "UT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6,
         "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}
RFC2822 = re.compile(
    r"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (%s) (\d{2}|\d{4}) "
    r"(\d\d):(\d\d)(?::(\d\d))? ([+-]\d{4}|[A-Z]{1,3})$" % "|".join(MONTHS))


def rfc2822(s):
    """(seconds since 1970 or None, why not)."""
    m = RFC2822.match(s.strip())
    if not m:
        return None, "not RFC 2822 syntax"
    day, d, mon, y = m[1], int(m[2]), MONTHS.index(m[3]) + 1, int(m[4])
    if y < 100:
        y += 2000 if y < 50 else 1900
    zone = m[8]
    if zone[0] in "+-":
        off = (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 60 + int(zone[3:]))
    elif zone in ZONES:
        off = ZONES[zone] * 60
    else:
        return None, "zone %s is not RFC 2822's" % zone
    try:
        dt = datetime.datetime(y, mon, d, int(m[5]), int(m[6]), int(m[7] or 0),
                               tzinfo=datetime.timezone(datetime.timedelta(minutes=off)))
    except ValueError:
        return None, "no such date"
    if day and DAYS[dt.weekday()] != day:
        return None, "weekday %s, the date is a %s" % (day, DAYS[dt.weekday()])
    return dt.timestamp(), ""


def duration_secs(s):
    """(seconds, whether Apple reads it as written)."""
    s = s.strip()
    if re.fullmatch(r"\d+", s):
        return int(s), True
    m = re.fullmatch(r"(\d+):(\d{1,2})", s)
    if m:
        return int(m[1]) * 60 + int(m[2]), int(m[2]) < 60
    m = re.fullmatch(r"(\d+):(\d{1,2}):(\d{1,2})", s)
    if m:
        return (int(m[1]) * 60 + int(m[2])) * 60 + int(m[3]), \
            int(m[2]) < 60 and int(m[3]) < 60
    m = re.fullmatch(r"(\d+)\.(\d+)", s)
    if m:
        return round(float(s)), False
    return None, False


def clock(secs):
    return "%d:%02d:%02d" % (secs // 3600, secs // 60 % 60, secs % 60)


def first_media(item):
    """The enclosure apps play (the first with a url that is not an
    image), and all of the item's enclosures."""
    encs = item.find("enclosure")
    def rank(e):
        return (2 if e.attrs.get("url") else 0) + \
            (0 if e.attrs.get("type", "").lower().startswith("image/") else 1)
    best = None
    for e in encs:
        if best is None or rank(e) > rank(best):
            best = e
    return best, encs


def last_segment(url):
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rsplit("/", 1)[-1])


def subsequence(small, big):
    it = iter(big)
    return all(c in it for c in small)


def judge(feed_path, findings, now):
    data = open(feed_path, "rb").read()
    root, err, lead_ws = parse(data)
    decls = ns_decls(root)
    ch = root.find("channel")[0] if root is not None and root.find("channel") else None
    items = ch.find("item") if ch is not None else []
    by_line = {}
    for e in root.walk() if root is not None else []:
        by_line.setdefault(e.line, []).append(e)
    out = []

    def item_at(line, col):
        """The item whose start is at or last before (line, col)."""
        best = None
        for it in items:
            if (it.line, it.col) <= (line, col if col else 1 << 30):
                best = it
        return best

    def el_at(line, col, *names):
        cands = [e for e in by_line.get(line, [])
                 if not names or e.name in names or e.local in names]
        exact = [e for e in cands if e.col == col]
        return (exact or cands or [None])[0]

    def urls_at(line, col):
        """The URLs of the element at (line, col): url or href, or an
        RSS <link>'s text."""
        es = [e for e in by_line.get(line, []) if e.col == col] or \
            by_line.get(line, [])
        urls = []
        for e in es:
            urls += [e.attrs[a] for a in ("url", "href") if a in e.attrs]
            if e.name == "link":
                urls.append(e.text.strip())
        return urls

    for f in findings:
        rule, line, col, msg = f["id"], f["line"], f["col"], f["message"]
        v, why = "?", "not judged"
        try:
            if rule == "rss.feed.xml":
                if "XML declaration" in msg:
                    n = int(re.search(r"after (\d+) line", msg)[1])
                    ok = lead_ws and data[:data.find(b"<?xml")].count(b"\n") == n
                    v, why = ("right" if ok else "WRONG"), "%d blank line(s) before <?xml" % n
                elif "declares the XML entity" in msg:
                    name = re.search(r"entity '([^']+)'", msg)[1]
                    lines = data.split(b"\n")
                    ok = b"<!ENTITY " + name.encode() in lines[line - 1]
                    v, why = ("right" if ok else "WRONG"), "<!ENTITY %s on line %d" % (name, line)
                elif err:
                    # The first fatal error, at expat's line (libxml2 and
                    # expat may differ by one on a truncated document).
                    v = "right" if abs(line - err[0]) <= 1 else "WRONG"
                    why = "expat: line %d: %s" % err
                else:
                    v, why = "WRONG", "expat reads it"
            elif rule == "rss.feed.format":
                if "has no <channel>" in msg:
                    ok = root is not None and root.name == "rss" and ch is None
                    v, why = ("right" if ok else "WRONG"), "root <%s>" % root.name
                else:
                    said = re.search(r"root element is <([^>]+)>", msg)[1]
                    ok = root is not None and root.name == said and said != "rss"
                    v, why = ("right" if ok else "WRONG"), "root <%s>" % root.name
            elif rule == "rss.namespace.undeclared":
                m = re.search(r'prefix "([^"]+):" is used \((\d+) times?, first <([^>]+)>\)', msg)
                px, n, first = m[1], int(m[2]), m[3]
                used = [e for e in root.walk() if e.prefix == px]
                ok = px not in decls and len(used) == n and used[0].name == first
                if "add xmlns:" in msg:
                    ok = ok and re.search(r'add xmlns:%s="([^"]+)"' % re.escape(px), msg)[1] == CANON.get(px)
                v = "right" if ok else "WRONG"
                why = "%d <%s:...> elements, first <%s>, declared: %s" % (
                    len(used), px, used[0].name if used else None, decls.get(px))
            elif rule == "rss.namespace.uri":
                m = re.search(r'(\d+) elements? \(first <([^>]+)>\) (?:is|are) in the namespace "([^"]+)", which is not "([^"]+)"', msg)
                n, first, uri, want = int(m[1]), m[2], m[3], m[4]
                pxs = [p for p, us in decls.items() if uri in us]
                used = [e for e in root.walk() if e.prefix in pxs]
                ok = pxs and uri != want and uri_core(uri) == uri_core(want) and \
                    want in CANON.values() and len(used) == n and used[0].name == first
                v, why = ("right" if ok else "WRONG"), "%d elements with prefix %s bound to %s" % (len(used), pxs, uri)
            elif rule in ("rss.title.missing", "rss.description.missing",
                          "rss.link.missing", "spotify.author.missing",
                          "apple.category.missing", "apple.image.missing",
                          "apple.language.code", "apple.explicit.value",
                          "apple.owner.name", "spotify.owner.email") and \
                    "has no" in msg and "has no href" not in msg:
                want = {
                    "rss.title.missing": ("title",), "rss.description.missing": ("description", "itunes:summary"),
                    "rss.link.missing": ("link",), "spotify.author.missing": ("itunes:author",),
                    "apple.category.missing": ("itunes:category",), "apple.image.missing": ("itunes:image",),
                    "apple.language.code": ("language",), "apple.explicit.value": ("itunes:explicit",),
                    "apple.owner.name": ("itunes:name",), "spotify.owner.email": ("itunes:email",),
                }[rule]
                def match(k):
                    # by local name under any prefix (a namespace that is
                    # wrong has its own finding), or an RSS element
                    for w in want:
                        if ":" in w and k.prefix and k.local == w.split(":")[1]:
                            return True
                        if ":" not in w and k.name == w:
                            return True
                    return False
                pool = ch.kids
                if rule in ("apple.owner.name", "spotify.owner.email"):
                    pool = [x for o in ch.kids if o.local == "owner" and o.prefix for x in o.kids]
                present = [k for k in pool if match(k) and
                           (k.text.strip() or k.attrs.get("href") or k.attrs.get("text"))]
                at_channel = (line, col) == (ch.line, ch.col) or rule in ("apple.owner.name",)
                v = "WRONG" if present or not at_channel else "right"
                why = "present as <%s>" % present[0].name if present else "absent"
            elif rule == "apple.image.missing":
                e = el_at(line, col, "image")
                ok = e is not None and e.prefix and not e.attrs.get("href") and e.text.strip()
                v, why = ("right" if ok else "WRONG"), "itunes:image without href, text %r" % (
                    e.text.strip()[:40] if e is not None else None)
            elif rule in ("rss.item.title", "rss.guid.missing", "rss.date.missing"):
                it = item_at(line, col)
                name = {"rss.item.title": "title", "rss.guid.missing": "guid",
                        "rss.date.missing": "pubDate"}[rule]
                has = [k for k in it.find(name) if k.text.strip()]
                v = "WRONG" if has or (it.line, it.col) != (line, col) else "right"
                why = "%s %s" % (name, "present" if has else "absent")
            elif rule == "rss.enclosure.missing":
                it = item_at(line, col)
                best, encs = first_media(it)
                ok = best is not None and best.attrs.get("url") and best.attrs.get("type")
                if "no <enclosure>" in msg:
                    ok = bool(encs)
                elif "no url" in msg:
                    ok = best is not None and best.attrs.get("url")
                elif "no type" in msg:
                    ok = best is not None and best.attrs.get("type")
                v, why = ("WRONG" if ok else "right"), "%d enclosures, played: %r" % (
                    len(encs), best.attrs if best is not None else None)
            elif rule in ("apple.explicit.legacy", "apple.explicit.value"):
                e = el_at(line, col, "explicit")
                t = e.text.strip()
                legacy = t.lower() in ("yes", "no", "clean", "explicit")
                ok = t in ("true", "false")
                if rule.endswith("legacy"):
                    fix = re.search(r'use "(\w+)"', msg)[1]
                    right = legacy and fix == ("true" if t.lower() in ("yes", "explicit") else "false")
                else:
                    right = not ok and not legacy
                v, why = ("right" if right else "WRONG"), "itunes:explicit %r" % t
            elif rule in ("apple.category.legacy", "apple.category.unknown"):
                e = el_at(line, col, "category")
                top = e.attrs.get("text")
                sub = [k.attrs.get("text") for k in e.kids if k.local == "category"]
                sub = sub[0] if sub else None
                full = "%s/%s" % (top or "", sub) if sub else (top or "")
                valid = top in APPLE_CATS and (sub is None or sub in APPLE_CATS[top])
                said = re.search(r'^"([^"]*)"', msg)[1]
                sugg = re.search(r'(?:use|did you mean) "([^"]+)"', msg)
                sugg_ok = True
                if sugg:
                    t, _, s = sugg[1].partition("/")
                    sugg_ok = t in APPLE_CATS and (not s or s in APPLE_CATS[t])
                retired = top in OLD_TOPS or full in OLD_SUBS
                right = not valid and said == full and sugg_ok and \
                    (retired if rule.endswith("legacy") else not retired)
                v, why = ("right" if right else "WRONG"), "%r, suggestion %s" % (
                    full, sugg[1] if sugg else None)
            elif rule == "apple.language.code":
                t = el_at(line, col, "language").text.strip()
                ok = re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2,3})?", t)
                v, why = ("WRONG" if ok else "right"), repr(t)
            elif rule == "apple.type.value":
                t = el_at(line, col, "type").text.strip()
                v, why = ("WRONG" if t in ("episodic", "serial") else "right"), repr(t)
            elif rule == "apple.episode.number":
                e = el_at(line, col, "episode", "season")
                t = e.text.strip()
                ok = e.local in msg and not re.fullmatch(r"[1-9]\d*", t)
                v, why = ("right" if ok else "WRONG"), "%s %r" % (e.name, t)
            elif rule == "apple.episode.type":
                t = el_at(line, col, "episodeType").text.strip()
                v, why = ("WRONG" if t in ("full", "trailer", "bonus") else "right"), repr(t)
            elif rule == "apple.episode.serial":
                it = item_at(line, col)
                has = [k for k in it.kids if k.local == "episode" and k.prefix]
                typ = [k.text.strip() for k in it.kids if k.local == "episodeType" and k.prefix]
                serial = any(k.local == "type" and k.prefix and k.text.strip() == "serial" for k in ch.kids)
                ok = serial and not has and typ in ([], ["full"])
                v, why = ("right" if ok else "WRONG"), "serial=%s episode=%s type=%s" % (serial, bool(has), typ)
            elif rule == "rss.date.invalid":
                t = el_at(line, col, "pubDate").text.strip()
                when, r = rfc2822(t)
                v, why = ("WRONG" if when is not None else "right"), "%r: %s" % (t, r)
                m = re.search(r"(\d+) (\w{3}) (\d{4}) was a (\w+)", msg)
                if when is None and m:
                    dt = datetime.date(int(m[3]), MONTHS.index(m[2]) + 1, int(m[1]))
                    if dt.strftime("%A") != m[4] or "weekday" not in r:
                        v, why = "WRONG", "podpub says %s was a %s; %s" % (dt, m[4], r)
            elif rule == "rss.date.zone":
                t = el_at(line, col, "pubDate").text.strip()
                z = t.split()[-1]
                m = re.search(r"offset ([+-]\d{4})", msg)
                ok = z.upper() not in ("GMT", "UT", "Z") and z.isalpha()
                if m:
                    h = ZONES.get(z.upper())
                    ok = ok and h is not None and m[1] == "%+03d00" % h
                elif "UTC" in msg:
                    ok = ok and z.upper() == "UTC"
                v, why = ("right" if ok else "WRONG"), "zone %r" % z
            elif rule == "rss.date.future":
                t = el_at(line, col, "pubDate").text.strip()
                when, r = rfc2822(t)
                v, why = ("right" if when and when > now else "WRONG"), "%r" % t
            elif rule in ("rss.enclosure.length", "rss.enclosure.unknown", "rss.enclosure.bitrate"):
                it = item_at(line, col)
                best, encs = first_media(it)
                L = best.attrs.get("length")
                at_best = (best.line, best.col) == (line, col)
                if rule == "rss.enclosure.length":
                    if "has no length" in msg:
                        ok = not L
                    else:
                        ok = L and not re.fullmatch(r"\d+", L)
                    v = "right" if ok and at_best else "WRONG"
                    why = "length=%r" % L
                elif rule == "rss.enclosure.unknown":
                    v = "right" if L and re.fullmatch(r"0+", L) and at_best else "WRONG"
                    why = "length=%r" % L
                else:
                    d = [k for k in it.kids if k.local == "duration" and k.prefix]
                    secs, _ = duration_secs(d[0].text) if d else (None, False)
                    # 4 kbit/s: below the lowest bit rate any podcast uses
                    ok = secs and L and L.isdigit() and int(L) * 8 < secs * 4000 and \
                        clock(secs) in msg and at_best
                    if ok and "duration in seconds" in msg:
                        ok = int(L) == secs
                    v, why = ("right" if ok else "WRONG"), "length=%s duration=%r" % (
                        L, d[0].text if d else None)
            elif rule == "rss.enclosure.multiple":
                it = item_at(line, col)
                best, encs = first_media(it)
                judged = int(re.search(r"line (\d+)", msg)[1])
                others = [e for e in encs if e is not best]
                ok = len(encs) > 1 and best.line == judged and \
                    (others[0].line, others[0].col) == (line, col) and \
                    ("has %d <enclosure>" % len(encs)) in msg
                v, why = ("right" if ok else "WRONG"), "%d enclosures, apps play line %d" % (len(encs), best.line)
            elif rule in ("apple.enclosure.type", "apple.enclosure.aac"):
                it = item_at(line, col)
                best, _ = first_media(it)
                t = best.attrs.get("type", "")
                if rule == "apple.enclosure.aac":
                    ok = t == "audio/aac"
                else:
                    ok = t not in APPLE_TYPES and not t.startswith("video/") and t == msg.split(":")[0]
                v, why = ("right" if ok else "WRONG"), "type %r" % t
            elif rule == "apple.enclosure.extension":
                it = item_at(line, col)
                best, _ = first_media(it)
                t, u = best.attrs.get("type", ""), best.attrs.get("url", "")
                seg = urllib.parse.urlsplit(u).path.rsplit("/", 1)[-1]
                ext = seg.rsplit(".", 1)[-1].lower() if "." in seg else ""
                ok = ext in EXT_TYPES and t not in EXT_TYPES[ext] and \
                    any(t in ts for ts in EXT_TYPES.values())
                want = re.search(r"want type ([^)]+)\)", msg)[1]
                ok = ok and want in EXT_TYPES[ext]
                v, why = ("right" if ok else "WRONG"), "%s as %s" % (ext, t)
            elif rule == "apple.duration.value":
                e = el_at(line, col, "duration")
                secs, ok = duration_secs(e.text)
                right = not ok or not e.text.strip()
                m = re.search(r"write (\d+) or (\d+:\d\d:\d\d)\)", msg)
                if m:
                    right = right and secs == int(m[1]) and clock(secs) == m[2]
                v, why = ("right" if right else "WRONG"), "%r = %s s" % (e.text.strip(), secs)
            elif rule == "apple.title.spaces":
                e = el_at(line, col, "title")
                t = e.text
                def kind(ws):
                    return None if not ws else "a line break" if "\n" in ws else \
                        "a carriage return" if "\r" in ws else "a tab" if "\t" in ws else "a space"
                lead = kind(t[:len(t) - len(t.lstrip(" \t\r\n"))])
                trail = kind(t[len(t.rstrip(" \t\r\n")):])
                said_lead = re.search(r"starts (?:and ends )?with (a [a-z ]+?)(?: and|;)", msg)
                said_trail = re.search(r"(?:ends with|starts and ends with) (a [a-z ]+?);", msg)
                ok = (lead or trail) and \
                    (said_lead[1] if said_lead else None) == lead and \
                    (said_trail[1] if said_trail else None) == trail
                v, why = ("right" if ok else "WRONG"), "%r" % t[:30]
            elif rule == "apple.title.length":
                e = el_at(line, col, "title")
                n = len(e.text.strip())
                v, why = ("right" if n > 255 and ("has %d characters" % n) in msg else "WRONG"), "%d characters" % n
            elif rule == "apple.description.length":
                n = int(re.search(r"has (\d+) bytes", msg)[1])
                e = el_at(line, col, "description", "summary")
                text = e.text.strip()
                in_item = e.parent is not None and e.parent.name == "item"
                # Apple: 4000 bytes for the show, 10,000 characters for
                # an episode; content:encoded has no documented limit.
                limit_ok = len(text) > 10000 if in_item else len(text.encode()) > 4000
                ok = e.name == "description" or (not in_item and e.local == "summary")
                ok = ok and limit_ok and len(text.encode()) == n
                v, why = ("right" if ok else "WRONG"), "<%s> of <%s>: %d bytes, %d characters" % (
                    e.name, e.parent.name, len(text.encode()), len(text))
            elif rule in ("url.https", "url.absolute"):
                urls = urls_at(line, col)
                quoted = re.search(r'"([^"]*)"', msg)
                if rule == "url.https":
                    ok = any(u.startswith("http://") for u in urls)
                else:
                    ok = any(not re.match(r"https?://", u) for u in urls) and \
                        quoted and quoted[1] in urls
                v, why = ("right" if ok else "WRONG"), " ".join(urls)[:80]
            elif rule == "apple.url.ascii":
                urls = urls_at(line, col)
                m = re.search(r'file name "(.*)" has characters .*e\.g\. "(.*)"', msg)
                said, fix = m[1], m[2]
                segs = [last_segment(u) for u in urls]
                bad = [s for s in segs if not re.fullmatch(r"[A-Za-z0-9._-]*", s)]
                # The suggestion keeps every ASCII letter and digit, in
                # its case: URLs are case-sensitive.
                keep = re.sub(r"[^A-Za-z0-9]", "", said)
                ok = said in bad and re.fullmatch(r"[A-Za-z0-9._-]+", fix) and \
                    subsequence(keep, re.sub(r"[^A-Za-z0-9]", "", fix))
                v, why = ("right" if ok else "WRONG"), "last segments %r" % segs
            elif rule in ("rss.guid.duplicate", "apple.enclosure.duplicate", "apple.episode.duplicate"):
                it = item_at(line, col)
                def key(i):
                    if rule == "rss.guid.duplicate":
                        g = i.find("guid")
                        return g[0].text.strip() if g else None
                    if rule == "apple.enclosure.duplicate":
                        b, _ = first_media(i)
                        return b.attrs.get("url") if b is not None else None
                    ep = [k for k in i.kids if k.local == "episode" and k.prefix == "itunes"]
                    se = [k for k in i.kids if k.local == "season" and k.prefix == "itunes"]
                    return (se[0].text.strip() if se else "", ep[0].text.strip()) if ep else None
                k = key(it)
                earlier = [n for n, i in enumerate(items) if i.line < it.line and key(i) == k]
                ref = re.search(r"item (\d+), line (\d+)", msg)
                ok = k and earlier and int(ref[1]) == earlier[0] + 1 and \
                    int(ref[2]) == items[earlier[0]].line
                v, why = ("right" if ok else "WRONG"), "key %r, earlier items %s" % (k, earlier)
            elif rule == "pi.locked.owner":
                e = el_at(line, col, "locked")
                v, why = ("right" if e.text.strip().lower() == "yes" and not e.attrs.get("owner") else "WRONG"), repr(e.attrs)
            elif rule == "apple.feed.moved":
                t = el_at(line, col, "new-feed-url").text.strip()
                v, why = ("right" if t and ("moved to %s" % t) in msg or
                          "this feed's own URL" in msg else "WRONG"), repr(t)
            elif rule == "pi.guid.format":
                t = el_at(line, col, "guid").text.strip()
                v, why = ("WRONG" if re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", t) else "right"), repr(t)
            elif rule == "pi.funding.length":
                t = el_at(line, col, "funding").text.strip()
                v, why = ("right" if len(t) > 128 and ("has %d characters" % len(t)) in msg else "WRONG"), "%d characters" % len(t)
            elif rule == "pi.transcript.type":
                e = el_at(line, col, "transcript")
                t = e.attrs.get("type", "")
                v, why = ("WRONG" if t in TRANSCRIPT_TYPES else "right"), repr(t)
            elif rule == "spotify.owner.email":
                t = el_at(line, col, "email").text.strip()
                v, why = ("WRONG" if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", t) else "right"), repr(t)
            elif rule == "rss.feed.size":
                v, why = ("right" if len(data) > 1048576 and ("%d items" % len(items)) in msg else "WRONG"), \
                    "%d bytes, %d items" % (len(data), len(items))
        except Exception as e:  # noqa: a finding the judge cannot place
            v, why = "?", "judge failed: %r" % e
        out.append((v, rule, line, why, msg))
    return out


def read_findings(path):
    res = []
    for l in open(path, encoding="utf-8", errors="replace"):
        l = l.rstrip("\n")
        m = re.match(r"^(.*?):(\d+):(\d+): (error|warning): (.*) \[([a-z.]+)\]$", l)
        if m:
            res.append({"id": m[6], "line": int(m[2]), "col": int(m[3]), "message": m[5]})
            continue
        m = re.match(r"^(.*?): (error|warning): (.*) \[([a-z.]+)\]$", l)
        if m:
            res.append({"id": m[4], "line": 0, "col": 0, "message": m[3]})
    return res


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: judge_feed.py FEED FINDINGS [NOW]")
    now = float(sys.argv[3]) if len(sys.argv) == 4 else time.time()
    wrong = 0
    for v, rule, line, why, msg in judge(sys.argv[1], read_findings(sys.argv[2]), now):
        print("%s\t%s\t%d\t%s\t%s" % (v, rule, line, why, msg))
        wrong += v != "right"
    sys.exit(1 if wrong else 0)
