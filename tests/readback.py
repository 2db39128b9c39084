#!/usr/bin/python3
"""Read a feed written by podpub back with two real podcast parsers.

Usage:
    /usr/bin/python3 readback.py --podpub BIN --show DIR
        [--feed FILE] [--expect-live N] [--expect-left-out N] [-v]

DIR is a show folder (feed/podcast.yaml, episodes/*.md) that has been built
with `podpub -C DIR build`; FILE defaults to DIR/public/feed.xml.

What the feed should say is worked out here without podpub's help: the
front matter of every episode is parsed with PyYAML, byte sizes come from
os.stat(), durations from `podpub probe --json` and, where ffprobe exists,
from ffprobe. Then the feed is parsed with gPodder's podcastparser and with
feedparser, and every live episode must read back the same through both;
drafts and episodes dated in the future must be absent.

Needs Debian's /usr/bin/python3 with python3-podcastparser,
python3-feedparser and python3-yaml. Exits 0 when everything matches, 1 on
any mismatch (each one listed), 2 when it cannot run at all.
"""

import argparse
import calendar
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import zoneinfo

try:
    import feedparser
    import podcastparser
    import yaml
except ImportError as e:
    sys.exit("readback: %s (run with Debian's /usr/bin/python3 and install "
             "python3-podcastparser python3-feedparser python3-yaml)" % e)

MIME = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a"}
DURATION_SLACK = 1.0   # seconds


def die(msg):
    print("readback: " + msg, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- expected

def front_matter(path):
    """The YAML between the first two '---' lines of an episode file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines or lines[0].rstrip() != "---":
        die("%s: no front matter (first line is not '---')" % path)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            data = yaml.safe_load("\n".join(lines[1:i])) or {}
            if not isinstance(data, dict):
                die("%s: front matter is not a mapping" % path)
            return data
    die("%s: front matter has no closing '---'" % path)


def to_instant(value, zone, where):
    """Front matter date -> aware UTC datetime.

    PyYAML turns an unquoted timestamp into a datetime (aware when it has
    an offset, naive when not) and a bare date into a date; a quoted one
    stays a string. Zone-less values are local time in the show's zone.
    """
    if isinstance(value, str):
        s = value.strip()
        if s and s[-1] in "zZ":
            s = s[:-1] + "+00:00"
        try:
            value = datetime.datetime.fromisoformat(s)
        except ValueError:
            die("%s: date %r is not RFC 3339" % (where, value))
    if isinstance(value, datetime.date) and \
            not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime.datetime):
        die("%s: date %r is not a date" % (where, value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(datetime.timezone.utc).replace(microsecond=0)


def probe_durations(podpub, paths):
    """{path: seconds} from `podpub probe --json`."""
    r = subprocess.run([podpub, "probe", "--json"] + paths,
                       capture_output=True, text=True)
    if r.returncode != 0:
        die("podpub probe --json exited %d: %s" % (r.returncode,
                                                   r.stderr.strip()))
    try:
        out = json.loads(r.stdout)
    except ValueError as e:
        die("podpub probe --json printed no JSON (%s): %r" % (e, r.stdout))
    got = {}
    for obj in out:
        got[obj["path"]] = obj["duration_ms"] / 1000.0
    missing = [p for p in paths if p not in got]
    if missing:
        die("podpub probe --json said nothing about %s" % ", ".join(missing))
    return got


def ffprobe_duration(path):
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                        "format=duration", "-of", "csv=p=0", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die("ffprobe %s exited %d: %s" % (path, r.returncode,
                                          r.stderr.strip()))
    return float(r.stdout.strip())


def load_show(podpub, show_dir):
    with open(os.path.join(show_dir, "feed", "podcast.yaml"),
              encoding="utf-8") as f:
        show = yaml.safe_load(f)
    for key in ("title", "language", "base_url"):
        if key not in show:
            die("feed/podcast.yaml has no %s" % key)
    zone = zoneinfo.ZoneInfo(show.get("timezone", "UTC"))
    now = datetime.datetime.now(datetime.timezone.utc)

    live, left_out = [], []
    for md in sorted(glob.glob(os.path.join(show_dir, "episodes", "*.md"))):
        name = os.path.relpath(md, show_dir)
        fm = front_matter(md)
        ep = {
            "file": name,
            "title": str(fm["title"]),
            "guid": str(fm["guid"]),
            "date": to_instant(fm["date"], zone, name),
            "explicit": fm.get("explicit"),
            "season": fm.get("season"),
            "episode": fm.get("episode"),
            "type": fm.get("type"),
            "audio": fm.get("audio"),
        }
        if fm.get("draft") is True:
            ep["why"] = "draft"
            left_out.append(ep)
        elif ep["date"] > now:
            ep["why"] = "scheduled"
            left_out.append(ep)
        else:
            live.append(ep)

    audio = [os.path.join(show_dir, "episodes", ep["audio"]) for ep in live]
    probed = probe_durations(podpub, audio) if audio else {}
    have_ffprobe = shutil.which("ffprobe") is not None
    for ep, path in zip(live, audio):
        ext = os.path.splitext(path)[1].lower()
        ep["url"] = show["base_url"] + urllib.parse.quote(ep["audio"],
                                                          safe="/~")
        ep["length"] = os.stat(path).st_size
        ep["mime"] = MIME.get(ext, "?" + ext)
        ep["probe_s"] = probed[path]
        ep["ffprobe_s"] = ffprobe_duration(path) if have_ffprobe else None

    # podpub's order: serial shows oldest first, others newest first.
    serial = show.get("type") == "serial"
    live.sort(key=lambda e: (e["date"], e["file"]), reverse=not serial)
    return show, live, left_out, have_ffprobe


# ---------------------------------------------------------------- parsed

def parse_hms(text):
    """itunes:duration text -> seconds (float), None if unreadable."""
    if text is None:
        return None
    try:
        secs = 0.0
        for part in str(text).strip().split(":"):
            secs = secs * 60 + float(part)
        return secs
    except ValueError:
        return None


def read_podcastparser(feed_path, feed_url):
    with open(feed_path, "rb") as f:
        data = podcastparser.parse(feed_url, f)
    channel = {
        "title": data.get("title"),
        "language": data.get("language"),
        "explicit": data.get("explicit"),
        "type": data.get("type"),
    }
    items = []
    for e in data.get("episodes", []):
        enc = e.get("enclosures") or [{}]
        items.append({
            "title": e.get("title"),
            "guid": e.get("guid"),
            "url": enc[0].get("url"),
            "length": enc[0].get("file_size"),
            "mime": enc[0].get("mime_type"),
            "enclosures": len(e.get("enclosures") or []),
            "duration": e.get("total_time") or None,
            "date": e.get("published") or None,
            "explicit": e.get("explicit"),
            "season": e.get("season"),
            "episode": e.get("number"),
            "type": e.get("type"),
        })
    return channel, items


def read_feedparser(feed_path):
    with open(feed_path, "rb") as f:
        d = feedparser.parse(f.read())
    if d.bozo:
        raise ValueError("feedparser: not well-formed: %s"
                         % d.get("bozo_exception"))
    ch = d.feed
    channel = {
        "title": ch.get("title"),
        "language": ch.get("language"),
        # feedparser maps only yes/clean; Apple's true/false become None.
        "explicit": ch.get("itunes_explicit"),
        "type": ch.get("itunes_type"),
    }
    items = []
    for e in d.entries:
        encs = e.get("enclosures") or []
        enc = encs[0] if encs else {}
        length = enc.get("length")
        try:
            length = int(length)
        except (TypeError, ValueError):
            pass
        pp = e.get("published_parsed")
        items.append({
            "title": e.get("title"),
            "guid": e.get("id"),
            "url": enc.get("href"),
            "length": length,
            "mime": enc.get("type"),
            "enclosures": len(encs),
            "duration": parse_hms(e.get("itunes_duration")),
            "date": calendar.timegm(pp) if pp else None,
            "explicit": e.get("itunes_explicit"),
            "season": e.get("itunes_season"),
            "episode": e.get("itunes_episode"),
            "type": e.get("itunes_episodetype"),
        })
    return channel, items


# ---------------------------------------------------------------- compare

class Report:
    """Every comparison: subject (channel or episode file), field, the
    expected value, what each parser read, and whether that matches
    (True, False, or None when the parser does not expose the field)."""

    def __init__(self):
        self.rows = []
        self.errors = []

    def row(self, subject, field, expected, pp, fp, ok_pp, ok_fp):
        self.rows.append((subject, field, expected, pp, fp, ok_pp, ok_fp))
        for parser, ok, got in (("podcastparser", ok_pp, pp),
                                ("feedparser", ok_fp, fp)):
            if ok is False:
                self.errors.append("%s: %s: %s: expected %r, got %r"
                                   % (parser, subject, field, expected, got))

    def print_table(self, details):
        """One line per subject, one column per field; a cell holds one
        mark per parser (podcastparser, feedparser)."""
        mark = lambda ok: "+" if ok is True else ("." if ok is None else "X")
        subjects, fields, cells, expect = [], [], {}, {}
        for subject, field, exp, _, _, ok_pp, ok_fp in self.rows:
            if subject not in subjects:
                subjects.append(subject)
            if field not in fields:
                fields.append(field)
            cells[subject, field] = mark(ok_pp) + mark(ok_fp)
            expect.setdefault(subject, {})[field] = exp
        show_exp = [("pubDate", "pubDate (UTC)"), ("length", "bytes"),
                    ("duration", "duration s"), ("type", "type")]
        head = ["subject"] + [h for _, h in show_exp] + fields
        table = [head]
        for s in subjects:
            e = expect[s]
            table.append([s] + [cell_text(e.get(k)) for k, _ in show_exp] +
                         [cells.get((s, f), "") for f in fields])
        widths = [max(len(r[i]) for r in table) for i in range(len(head))]
        for r in table:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        print("cells: podcastparser then feedparser; + match, X mismatch, "
              ". not exposed by that parser")
        if details:
            print()
            for subject, field, exp, pp, fp, ok_pp, ok_fp in self.rows:
                print("%s %s: expected %s | podcastparser %s %s | "
                      "feedparser %s %s" % (subject, field, cell_text(exp),
                                            cell_text(pp), mark(ok_pp),
                                            cell_text(fp), mark(ok_fp)))


def cell_text(v):
    if isinstance(v, float):
        return "%.3f" % v
    return "" if v is None else str(v)


def iso(ts):
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")


def as_int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def compare(show, live, left_out, pp, fp, rep):
    (pp_ch, pp_items), (fp_ch, fp_items) = pp, fp

    # Channel.
    ch = "channel"
    for key in ("title", "language"):
        exp = str(show[key])
        rep.row(ch, key, exp, pp_ch[key], fp_ch[key],
                pp_ch[key] == exp, fp_ch[key] == exp)
    if "explicit" in show:
        exp = bool(show["explicit"])
        rep.row(ch, "explicit", exp, pp_ch["explicit"], fp_ch["explicit"],
                pp_ch["explicit"] == exp,
                None if fp_ch["explicit"] is None else
                fp_ch["explicit"] == exp)
    if "type" in show:
        exp = show["type"]
        rep.row(ch, "itunes:type", exp, pp_ch["type"], fp_ch["type"],
                pp_ch["type"] == exp, fp_ch["type"] == exp)
    rep.row(ch, "items", len(live), len(pp_items), len(fp_items),
            len(pp_items) == len(live), len(fp_items) == len(live))

    # Which episodes are there, and in what order: podpub writes serial
    # shows oldest first, others newest first; podcastparser sorts by
    # pubDate itself (oldest first only for serial shows).
    exp_guids = [ep["guid"] for ep in live]
    pp_guids = [it["guid"] for it in pp_items]
    fp_guids = [it["guid"] for it in fp_items]
    rep.row(ch, "order", exp_guids, pp_guids, fp_guids,
            pp_guids == exp_guids, fp_guids == exp_guids)
    for ep in left_out:
        absent_pp = ep["guid"] not in pp_guids and \
            all(it["title"] != ep["title"] for it in pp_items)
        absent_fp = ep["guid"] not in fp_guids and \
            all(it["title"] != ep["title"] for it in fp_items)
        rep.row("%s (%s)" % (os.path.basename(ep["file"]), ep["why"]),
                "absent", "absent", "absent" if absent_pp else "PRESENT",
                "absent" if absent_fp else "PRESENT", absent_pp, absent_fp)

    pp_by = {it["guid"]: it for it in pp_items}
    fp_by = {it["guid"]: it for it in fp_items}
    for ep in live:
        a = pp_by.get(ep["guid"])
        b = fp_by.get(ep["guid"])
        tag = os.path.basename(ep["file"])
        rep.row(tag, "present", "present", "present" if a else "MISSING",
                "present" if b else "MISSING", a is not None, b is not None)
        if a is None or b is None:
            continue

        def same(key, exp, field=None):
            rep.row(tag, field or key, exp, a[key], b[key],
                    a[key] == exp, b[key] == exp)

        same("title", ep["title"])
        same("guid", ep["guid"])
        rep.row(tag, "enclosures", 1, a["enclosures"], b["enclosures"],
                a["enclosures"] == 1, b["enclosures"] == 1)
        same("url", ep["url"])
        same("length", ep["length"])
        same("mime", ep["mime"], "type")

        def near(got, ref):
            return got is not None and ref is not None and \
                abs(got - ref) <= DURATION_SLACK
        rep.row(tag, "duration", ep["probe_s"], a["duration"], b["duration"],
                near(a["duration"], ep["probe_s"]),
                near(b["duration"], ep["probe_s"]))
        if ep["ffprobe_s"] is not None:
            rep.row(tag, "dur~ffprobe", ep["ffprobe_s"], a["duration"],
                    b["duration"], near(a["duration"], ep["ffprobe_s"]),
                    near(b["duration"], ep["ffprobe_s"]))

        exp_ts = calendar.timegm(ep["date"].utctimetuple())
        rep.row(tag, "pubDate", iso(exp_ts), iso(a["date"]), iso(b["date"]),
                a["date"] == exp_ts, b["date"] == exp_ts)

        if ep["explicit"] is not None:
            exp = bool(ep["explicit"])
            rep.row(tag, "explicit", exp, a["explicit"], b["explicit"],
                    a["explicit"] == exp,
                    None if b["explicit"] is None else b["explicit"] == exp)
        for key in ("season", "episode"):
            if ep[key] is None:
                continue
            exp = int(ep[key])
            rep.row(tag, key, exp, a[key], b[key],
                    as_int(a[key]) == exp, as_int(b[key]) == exp)
        if ep["type"] is not None:
            same("type", ep["type"], "episodeType")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--podpub", required=True)
    ap.add_argument("--show", required=True)
    ap.add_argument("--feed")
    ap.add_argument("--expect-live", type=int,
                    help="number of live episodes the show must have")
    ap.add_argument("--expect-left-out", type=int,
                    help="number of drafts + scheduled episodes")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list every comparison with the values read")
    args = ap.parse_args()
    feed_path = args.feed or os.path.join(args.show, "public", "feed.xml")
    if not os.path.isfile(feed_path):
        die("no feed at %s" % feed_path)

    show, live, left_out, have_ffprobe = load_show(args.podpub, args.show)
    if args.expect_live is not None and len(live) != args.expect_live:
        die("the show has %d live episodes, the test expected %d"
            % (len(live), args.expect_live))
    if args.expect_left_out is not None and \
            len(left_out) != args.expect_left_out:
        die("the show has %d drafts/scheduled episodes, the test expected %d"
            % (len(left_out), args.expect_left_out))

    feed_url = show.get("feed_url", show["base_url"] + "feed.xml")
    rep = Report()
    try:
        pp = read_podcastparser(feed_path, feed_url)
    except Exception as e:
        print("readback: FAIL: podcastparser cannot read %s: %s"
              % (feed_path, e), file=sys.stderr)
        return 1
    try:
        fp = read_feedparser(feed_path)
    except Exception as e:
        print("readback: FAIL: %s (%s)" % (e, feed_path), file=sys.stderr)
        return 1
    compare(show, live, left_out, pp, fp, rep)

    print("readback of %s: %d live, %d left out; podcastparser %s, "
          "feedparser %s; ffprobe %s" % (
              feed_path, len(live), len(left_out),
              getattr(podcastparser, "__version__", "?"),
              feedparser.__version__,
              "used" if have_ffprobe else "not installed, skipped"))
    rep.print_table(args.verbose)
    if rep.errors:
        print("\nreadback: FAIL: %d mismatch(es):" % len(rep.errors),
              file=sys.stderr)
        for e in rep.errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("readback: all %d comparisons match" % len(rep.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
