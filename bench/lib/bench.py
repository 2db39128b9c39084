#!/usr/bin/python3
"""
The probe benchmark behind bench/probe: makes (or reuses) a corpus of
audio files, computes each distinct file's true duration by a full decode,
then times and checks `podpub probe`, ffprobe once per file, and `podpub
build` cold and warm. Run through bench/probe, which builds podpub and
installs ffmpeg first; see bench/README.md.

Only the standard library: it runs with Debian's /usr/bin/python3.
"""
import argparse
import concurrent.futures as cf
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import uuid

import benchlib
from benchlib import log, parse_opened, run

CORPUS_VERSION = 4
SIZES = {"small": 24, "full": 300}
TOLERANCE = 0.05            # seconds: podpub's promise (probe.h)
WARM_RUNS = 9               # warm rebuilds timed; the median is reported
SHORT_RUNS = 3              # runs of the quick podpub timings; median

# The envelope makes the content speech-like: 1.5 s of silence every 9 s
# (the file starts with it) and a loudness that swells every few seconds,
# so a VBR encoder's frame sizes vary a lot and the first frames are small.
ENVELOPE = (r"volume='if(lt(mod(t\,9)\,1.5)\,0\,0.35+0.3*sin(2*PI*t/{per}))'"
            r":eval=frame")


def source(kind, rate, seconds, seed):
    """The lavfi source for a base file: pink noise, or a tone for FLAC
    (noise does not compress losslessly; the tone keeps the FLACs small)."""
    per = 3 + seed % 5
    if kind == "tone":
        gen = (f"sine=frequency={180 + seed % 200}:sample_rate={rate}"
               f":duration={seconds}")
    else:
        gen = (f"anoisesrc=color=pink:amplitude=0.5:seed={seed}"
               f":sample_rate={rate}:duration={seconds}")
    return gen + "," + ENVELOPE.format(per=per)


class Fmt:
    def __init__(self, key, ext, rates, enc, mux, kind="noise", max_len=None,
                 reencode_loops=False, pipe=False):
        self.key, self.ext, self.rates = key, ext, rates
        self.enc, self.mux, self.kind = enc, mux, kind
        self.max_len, self.reencode_loops = max_len, reencode_loops
        # written to a pipe, as a streaming encoder writes: FLAC without a
        # total in STREAMINFO, WAV with 0xffffffff sizes
        self.pipe = pipe


# Long files are the base looped by stream copy (-stream_loop -1 -t LEN
# -c copy), except where a stream copy makes a file no encoder would write,
# which are re-encoded from the looped base instead (with timestamps made
# continuous, see loop_cmd):
#  - Ogg (Opus, Vorbis): the base's last packet is trimmed by its granule
#    position; looped, it lands mid-stream whole, so every join adds up to
#    a frame (20-33 ms) that the granule positions do not count: a 90 min
#    file plays 0.9-1.5 s longer than its header says.
#  - FLAC: the copy keeps the base's STREAMINFO sample count and frame
#    numbers, so the file claims to be the base's length.
FORMATS = [
    Fmt("mp3-cbr", "mp3", [44100, 22050],
        ["-c:a", "libmp3lame", "-b:a", "32k"], []),
    Fmt("mp3-vbr-xing", "mp3", [22050, 44100],
        ["-c:a", "libmp3lame", "-q:a", "7"], []),
    Fmt("mp3-vbr-noxing", "mp3", [44100, 22050],
        ["-c:a", "libmp3lame", "-q:a", "7", "-write_xing", "0"],
        ["-write_xing", "0"]),
    Fmt("m4a-faststart", "m4a", [44100, 24000],
        ["-c:a", "aac", "-b:a", "40k", "-movflags", "+faststart"],
        ["-movflags", "+faststart"]),
    Fmt("m4a-moov-end", "m4a", [24000, 44100],
        ["-c:a", "aac", "-b:a", "32k"], []),
    Fmt("opus", "opus", [48000, 16000],
        ["-c:a", "libopus", "-b:a", "32k", "-compression_level", "3"], [],
        reencode_loops=True),
    Fmt("vorbis", "ogg", [22050, 32000],
        ["-c:a", "libvorbis", "-q:a", "0"], [], reencode_loops=True),
    Fmt("flac", "flac", [16000, 8000],
        ["-c:a", "flac", "-sample_fmt", "s16"], [], kind="tone",
        max_len=2705, reencode_loops=True),
    Fmt("wav", "wav", [8000], ["-c:a", "pcm_s16le"], [], max_len=2705),
    # The hard kinds of issue 15: what libavformat only estimates, so that
    # podpub used to walk every packet.
    Fmt("mp3-cbr-noinfo", "mp3", [44100, 22050],
        ["-c:a", "libmp3lame", "-b:a", "48k", "-write_xing", "0"],
        ["-write_xing", "0"]),
    Fmt("aac-adts", "aac", [44100, 22050],
        ["-c:a", "aac", "-b:a", "40k", "-f", "adts"], ["-f", "adts"]),
    Fmt("flac-streamed", "flac", [16000, 8000],
        ["-c:a", "flac", "-sample_fmt", "s16", "-f", "flac"], [],
        kind="tone", max_len=2705, reencode_loops=True, pipe=True),
    Fmt("wav-streamed", "wav", [8000],
        ["-c:a", "pcm_s16le", "-f", "wav"], [], max_len=2705,
        reencode_loops=True, pipe=True),
]
FMT = {f.key: f for f in FORMATS}
NOXING = "mp3-vbr-noxing"




def parallel(jobs, fn, items):
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(fn, items))


# ---------------------------------------------------------------- the plan

def plan(size):
    """The corpus: bases to encode, distinct files (a base copied, or a
    stream-copy loop of a base cut to a length), and the copies."""
    bases, distinct = [], []
    if size == "small":
        base_lens, longs = [30, 100], [(300, 1)]
        in_corpus = [0]
        weights = None
    else:
        base_lens = [30, 95, 300]
        in_corpus = [0, 1, 2]
        longs = [(770, 1), (1510, 2), (2705, 1), (3600, 2), (5400, 1)]
        # copies per length class (podcasts cluster at 10-45 minutes)
        weights = {0: 4, 1: 5, 2: 5, 3: 5, 4: 4, 5: 3, 6: 2, 7: 2}
    for fi, f in enumerate(FORMATS):
        fb = []
        for bi, blen in enumerate(base_lens):
            secs = blen + (3 + bi) * fi
            rate = f.rates[bi % len(f.rates)]
            seed = 1000 * (fi + 1) + bi + 17 * len(base_lens)
            b = dict(name=f"{f.key}-base{bi}-{secs}s.{f.ext}", fmt=f.key,
                     secs=secs, rate=rate, seed=seed)
            bases.append(b)
            fb.append(b)
        cls = 0
        for bi in in_corpus:
            b = fb[bi]
            distinct.append(dict(name=f"{f.key}-{b['secs']:04d}s.{f.ext}",
                                 fmt=f.key, kind="base", base=b["name"],
                                 secs=b["secs"], cls=cls))
            cls += 1
        for li, (target, bi) in enumerate(longs):
            secs = target - 13 * fi
            cls_here = cls + li
            if f.max_len and target > f.max_len:
                continue
            distinct.append(dict(name=f"{f.key}-{secs:04d}s.{f.ext}",
                                 fmt=f.key, kind="loop",
                                 base=fb[bi]["name"], secs=secs,
                                 cls=cls_here))
    total = SIZES[size]
    copies = []
    if weights is None:
        order = [d for d in distinct if d["kind"] == "loop"] + \
                [d for d in distinct if d["kind"] == "base"]
        order = order[::3] + order[1::3] + order[2::3]
    else:
        order = []
        for r in range(1, max(weights.values()) + 1):
            order += [d for d in distinct if weights[d["cls"]] > r]
    k = 0
    count = {}
    while len(distinct) + len(copies) < total and order:
        d = order[k % len(order)]
        k += 1
        count[d["name"]] = count.get(d["name"], 0) + 1
        stem, ext = d["name"].rsplit(".", 1)
        copies.append(dict(name=f"{stem}-copy{count[d['name']]}.{ext}",
                           fmt=d["fmt"], src=d["name"], secs=d["secs"]))
    return bases, distinct, copies


# ---------------------------------------------------------- the generation

def atomic_ffmpeg(cmd_head, out, tmpdir, pipe=False):
    """Runs ffmpeg writing to a temporary name (through a pipe when
    'pipe': the muxer cannot seek back to fill in sizes), renamed on
    success."""
    tmp = os.path.join(tmpdir, "part-" + os.path.basename(out))
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + cmd_head
    if pipe:
        with open(tmp, "wb") as fh:
            r = subprocess.run(cmd + ["-"], stdout=fh, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError(f"{shlex.join(cmd)} -: exit {r.returncode}: "
                               f"{r.stderr.decode(errors='replace')[-800:]}")
    else:
        run(cmd + [tmp])
    os.replace(tmp, out)


def generate(cdir, size, jobs):
    bases, distinct, copies = plan(size)
    bdir, fdir, tdir = (os.path.join(cdir, d) for d in ("base", "files", "tmp"))
    for d in (bdir, fdir, tdir):
        os.makedirs(d, exist_ok=True)

    def enc_cmd(b):
        f = FMT[b["fmt"]]
        return (["-f", "lavfi", "-i", source(f.kind, b["rate"], b["secs"],
                                             b["seed"]), "-ac", "1"] + f.enc)

    def make_base(b):
        out = os.path.join(bdir, b["name"])
        if not os.path.exists(out):
            atomic_ffmpeg(enc_cmd(b), out, tdir, FMT[b["fmt"]].pipe)

    def loop_cmd(d):
        f = FMT[d["fmt"]]
        # asetpts: the looped base's timestamps jump at each join (its
        # decode is shorter than its header says); an encoder fed the jumps
        # writes granules that count samples no packet holds
        codec = (["-af", "asetpts=N/SR/TB", "-c:a"] + f.enc[1:]) \
            if f.reencode_loops else ["-c", "copy"] + f.mux
        return (["-stream_loop", "-1", "-i", os.path.join(bdir, d["base"]),
                 "-t", str(d["secs"]), "-map", "0:a"] + codec)

    def make_distinct(d):
        out = os.path.join(fdir, d["name"])
        if os.path.exists(out):
            return
        if d["kind"] == "base":
            tmp = os.path.join(tdir, "part-" + d["name"])
            shutil.copyfile(os.path.join(bdir, d["base"]), tmp)
            os.replace(tmp, out)
        else:
            atomic_ffmpeg(loop_cmd(d), out, tdir, FMT[d["fmt"]].pipe)

    t0 = time.monotonic()
    log(f"corpus: encoding {len(bases)} base files ({jobs} at a time)")
    parallel(jobs, make_base, bases)
    log(f"corpus: making {len(distinct)} distinct files "
        f"({time.monotonic() - t0:.0f} s so far)")
    # the re-encodes first, longest first: they are the slow jobs
    parallel(jobs, make_distinct, sorted(
        distinct, key=lambda d: (not FMT[d["fmt"]].reencode_loops
                                 or d["kind"] == "base", -d["secs"])))
    log(f"corpus: copying {len(copies)} files "
        f"({time.monotonic() - t0:.0f} s so far)")
    for c in copies:
        out = os.path.join(fdir, c["name"])
        if not os.path.exists(out):
            tmp = os.path.join(tdir, "part-" + c["name"])
            shutil.copyfile(os.path.join(fdir, c["src"]), tmp)
            os.replace(tmp, out)
    byname = {b["name"]: b for b in bases}
    files = []
    for d in distinct:
        b = byname[d["base"]]
        recipe = "ffmpeg " + shlex.join(enc_cmd(b) + ["BASE." + FMT[b["fmt"]].ext])
        if d["kind"] == "loop":
            recipe += " && ffmpeg " + shlex.join(
                [a if not a.endswith(b["name"]) else "BASE." + FMT[b["fmt"]].ext
                 for a in loop_cmd(d)] + ["OUT." + FMT[b["fmt"]].ext])
        files.append(dict(name=d["name"], fmt=d["fmt"], src=d["name"],
                          secs=d["secs"], rate=b["rate"], recipe=recipe))
    for c in copies:
        files.append(dict(name=c["name"], fmt=c["fmt"], src=c["src"],
                          secs=c["secs"], rate=None, recipe="cp " + c["src"]))
    manifest = dict(version=CORPUS_VERSION, size=size, files=files,
                    generation_seconds=round(time.monotonic() - t0, 1))
    with open(os.path.join(cdir, "corpus.json.tmp"), "w") as fh:
        json.dump(manifest, fh, indent=1)
    os.replace(os.path.join(cdir, "corpus.json.tmp"),
               os.path.join(cdir, "corpus.json"))
    shutil.rmtree(tdir, ignore_errors=True)
    return manifest


def load_or_generate(cdir, size, jobs):
    path = os.path.join(cdir, "corpus.json")
    if os.path.exists(path):
        with open(path) as fh:
            m = json.load(fh)
        if m.get("version") != CORPUS_VERSION or m.get("size") != size:
            sys.exit(f"bench: {cdir} holds a '{m.get('size')}' corpus "
                     f"(version {m.get('version')}), not a '{size}' one: "
                     f"use another --dir")
        missing = [f["name"] for f in m["files"] if not os.path.exists(
            os.path.join(cdir, "files", f["name"]))]
        if not missing:
            log(f"corpus: reusing {len(m['files'])} files in {cdir}")
            m["reused"] = True
            return m
        log(f"corpus: {len(missing)} files missing, making them")
    return generate(cdir, size, jobs)


# --------------------------------------------------------------- the truth

def truth_of(path):
    """Decoded samples / rate: the duration a player plays."""
    rate = int(run(["ffprobe", "-v", "error", "-select_streams", "a:0",
                    "-show_entries", "stream=sample_rate", "-of", "csv=p=0",
                    path]).split()[0])
    out = run(["bash", "-c", "set -o pipefail; ffmpeg -nostdin -v error -i "
               + shlex.quote(path) + " -f s16le -ac 1 - | wc -c"])
    nbytes = int(out.strip())
    return nbytes // 2, rate


def load_truth(cdir, manifest, jobs):
    path = os.path.join(cdir, "truth.tsv")
    truth = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                name, samples, rate = line.rstrip("\n").split("\t")
                truth[name] = (int(samples), int(rate))
    todo = sorted((f for f in manifest["files"]
                   if f["src"] == f["name"] and f["name"] not in truth),
                  key=lambda f: -f["secs"])      # longest first
    todo = [f["name"] for f in todo]
    if todo:
        log(f"truth: decoding {len(todo)} distinct files in full "
            f"({jobs} at a time)")
        t0 = time.monotonic()
        res = parallel(jobs, lambda n: truth_of(
            os.path.join(cdir, "files", n)), todo)
        with open(path, "a") as fh:
            for n, (s, r) in zip(todo, res):
                truth[n] = (s, r)
                fh.write(f"{n}\t{s}\t{r}\n")
        log(f"truth: {time.monotonic() - t0:.0f} s")
    return {f["name"]: truth[f["src"]][0] / truth[f["src"]][1]
            for f in manifest["files"]}


# ------------------------------------------------------------ measurement

def timed(cmd, **kw):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    return time.perf_counter() - t0, r


def parse_json_arrays(text):
    """podpub probe --json output: one array per process, concatenated."""
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = dec.raw_decode(text, i)
        out.extend(obj)


def podpub_durations(text):
    return {os.path.basename(o["path"]): (o["duration_ms"] / 1000.0,
                                          o["method"])
            for o in parse_json_arrays(text) if "duration_ms" in o}


def median_run(n, fn):
    runs = [fn() for _ in range(n)]
    runs.sort(key=lambda r: r[0])
    return runs[len(runs) // 2]


def measure_ffprobe(fdir, names):
    script = ('while IFS= read -r f; do printf "%s\\t" "$f"; '
              'ffprobe -v error -show_entries format=duration -of csv=p=0 '
              '"$f" || echo; done')
    secs, r = timed(["bash", "-c", script], cwd=fdir,
                    input="\n".join(names) + "\n")
    durs = {}
    for line in r.stdout.splitlines():
        name, _, val = line.partition("\t")
        try:
            durs[name] = (float(val), "")
        except ValueError:
            pass
    return secs, durs, r.stderr


MUTAGEN = r"""
import sys
import mutagen
for line in sys.stdin:
    n = line.rstrip("\n")
    try:
        f = mutagen.File(n)
        print(n + "\t" + (repr(f.info.length) if f is not None else ""))
    except Exception:
        print(n + "\t")
"""


def measure_mutagen(fdir, names):
    """mutagen's header values, one process for every file."""
    secs, r = timed(["/usr/bin/python3", "-c", MUTAGEN], cwd=fdir,
                    input="\n".join(names) + "\n")
    return secs, tab_durations(r.stdout), r.stderr


def measure_ffmpeg_copy(fdir, names):
    """`ffmpeg -c copy -f null -` once per file: every packet demuxed."""
    script = ('while IFS= read -r f; do printf "%s\\t" "$f"; '
              'ffmpeg -nostdin -v error -i "$f" -map 0:a:0 -c copy -f null - '
              '-progress pipe:1 | sed -n "s/^out_time_us=//p" | tail -n 1; '
              'done')
    secs, r = timed(["bash", "-c", script], cwd=fdir,
                    input="\n".join(names) + "\n")
    durs = {n: (v[0] / 1e6, "") for n, v in tab_durations(r.stdout).items()}
    return secs, durs, r.stderr


def tab_durations(text):
    durs = {}
    for line in text.splitlines():
        name, _, val = line.partition("\t")
        try:
            durs[name] = (float(val), "")
        except ValueError:
            pass
    return durs


def measure_cat(fdir, names):
    """cat of every byte of every file: the floor for reading them all."""
    def once():
        t0 = time.perf_counter()
        subprocess.run(["xargs", "-d", "\n", "cat"], cwd=fdir,
                       input=("\n".join(names) + "\n").encode(),
                       stdout=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - t0,)
    return median_run(SHORT_RUNS, once)[0]


def run_counting_io(cmd, cwd):
    """Runs cmd; (seconds, stdout, bytes it read: rchar of /proc/PID/io,
    read before the exited child is reaped)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
    secs = time.perf_counter() - t0
    rchar = None
    try:
        with open(f"/proc/{p.pid}/io") as fh:
            for line in fh:
                if line.startswith("rchar:"):
                    rchar = int(line.split()[1])
    except OSError:
        pass
    p.wait()
    return secs, out.decode(), rchar


def measure_per_format(podpub, fdir, names, byname, truth):
    """podpub probe once per format: seconds, realtime factor, bytes
    read per file (against the mean file size), methods."""
    rows = []
    for k in FMT:
        ns = [n for n in names if byname[n]["fmt"] == k]
        if not ns:
            continue
        runs = [run_counting_io([podpub, "probe", "--no-loudness", "--json"]
                                + ns, fdir)
                for _ in range(SHORT_RUNS)]
        runs.sort(key=lambda r: r[0])
        secs, out, rchar = runs[len(runs) // 2]
        durs = podpub_durations(out)
        audio = sum(truth[n] for n in ns)
        size = sum(os.path.getsize(os.path.join(fdir, n)) for n in ns)
        rows.append(dict(fmt=k, files=len(ns), secs=secs,
                         rt=audio / secs if secs else 0, rchar=rchar,
                         mean_size=size / len(ns),
                         methods=sorted({d[1] for d in durs.values()})))
    return rows


def measure_podpub_one(podpub, fdir, names):
    def once():
        secs, r = timed([podpub, "probe", "--no-loudness", "--json"] + names,
                        cwd=fdir)
        return secs, r
    secs, r = median_run(SHORT_RUNS, once)
    return secs, podpub_durations(r.stdout), r.stderr


def measure_podpub_xargs(podpub, fdir, names, par):
    outdir = os.path.join(os.path.dirname(fdir), "xargs-out")

    def once():
        shutil.rmtree(outdir, ignore_errors=True)
        os.makedirs(outdir)
        if par == 1:
            cmd = ["xargs", "-d", "\n", "-n", "50", podpub, "probe",
                   "--no-loudness", "--json"]
        else:
            # separate outputs: parallel processes' stdout would interleave
            cmd = ["xargs", "-d", "\n", "-n", "50", "-P", str(par), "sh",
                   "-c", 'exec "$0" probe --no-loudness --json "$@" '
                   '> "$PP_OUT/$$.json"',
                   podpub]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=fdir, input="\n".join(names) + "\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=dict(os.environ, PP_OUT=outdir))
        secs = time.perf_counter() - t0
        text = r.stdout
        for fn in sorted(os.listdir(outdir)):
            with open(os.path.join(outdir, fn)) as fh:
                text += fh.read()
        return secs, r, text
    secs, r, text = median_run(SHORT_RUNS, once)
    shutil.rmtree(outdir, ignore_errors=True)
    return secs, podpub_durations(text), r.stderr


# ------------------------------------------------------------------ shows

# A complete show: podpub build refuses a feed that breaks Apple's or
# Spotify's rules (artwork, category, owner e-mail).
SHOW_YAML = """\
title: podpub probe benchmark ({n} episodes)
description: Generated by bench/probe; the audio is synthetic noise.
language: en
author: bench
owner:
  name: bench
  email: bench@bench.example.org
image: cover.jpg
categories: ["Technology"]
explicit: false
type: episodic
base_url: https://bench.example.org/{slug}/
# Durations are measured here; loudness decodes (bench/loudness).
loudness: off
"""


def make_cover(cdir):
    """bench/probe's cover, made once per corpus folder."""
    return benchlib.make_cover(os.path.join(cdir, "cover.jpg"), "0x204060")


def make_show(sdir, fdir, audio_names, n, cover):
    """A show whose episode i has its own hardlink (or copy) of a corpus
    file, so no two episodes name the same audio file."""
    shutil.rmtree(sdir, ignore_errors=True)
    os.makedirs(os.path.join(sdir, "feed"))
    edir = os.path.join(sdir, "episodes")
    os.makedirs(edir)
    slug = os.path.basename(sdir)
    with open(os.path.join(sdir, "feed", "podcast.yaml"), "w") as fh:
        fh.write(SHOW_YAML.format(n=n, slug=slug))
    shutil.copyfile(cover, os.path.join(sdir, "feed", "cover.jpg"))
    for i in range(n):
        src = audio_names[i % len(audio_names)]
        ext = src.rsplit(".", 1)[1]
        audio = f"{i + 1:04d}-{src.rsplit('.', 1)[0]}.{ext}"
        try:
            os.link(os.path.join(fdir, src), os.path.join(edir, audio))
        except OSError:
            shutil.copyfile(os.path.join(fdir, src), os.path.join(edir, audio))
        guid = uuid.uuid5(uuid.NAMESPACE_URL,
                          f"https://bench.example.org/{slug}/{i}")
        day, hour = divmod(i, 24)
        date = time.strftime("%Y-%m-%d", time.gmtime(1577836800 + day * 86400))
        with open(os.path.join(edir, f"{i + 1:04d}.md"), "w") as fh:
            fh.write(f"---\ntitle: \"Episode {i + 1}\"\nguid: {guid}\n"
                     f"date: {date}T{hour:02d}:00:00Z\naudio: {audio}\n"
                     f"summary: Benchmark episode {i + 1}, from {src}.\n"
                     f"---\nNotes for episode {i + 1}: **{src}**.\n")
    return {f"episodes/{i + 1:04d}-{audio_names[i % len(audio_names)]}":
            audio_names[i % len(audio_names)] for i in range(n)}



def cache_durations(sdir, episode_to_corpus):
    """The durations the cold build stored in its probe cache (an internal
    format, src/util/fileid.c and src/probe/cache.c: F, path, device,
    inode, size, mtime s, ns, then the payload, whose first space-separated
    field is the duration in ms)."""
    out = {}
    try:
        with open(os.path.join(sdir, ".podpub", "probe-cache")) as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                if f[0] == "F" and len(f) > 7:
                    name = f[1].split("/", 1)[1]
                    name = name.split("-", 1)[1]   # drop the NNNN- prefix
                    out[name] = (int(f[7].split(" ", 1)[0]) / 1000.0, "")
    except (OSError, ValueError):
        return {}
    return out


def build_show(podpub, sdir, label, expect):
    """Cold build (no cache file) then WARM_RUNS warm rebuilds."""
    shutil.rmtree(os.path.join(sdir, ".podpub"), ignore_errors=True)
    shutil.rmtree(os.path.join(sdir, "public"), ignore_errors=True)
    cold, r = timed([podpub, "-v", "build"], cwd=sdir)
    opened, cached, cold_line = parse_opened(r.stderr)
    res = dict(label=label, cold=cold, cold_rc=r.returncode,
               cold_line=cold_line, cold_err=r.stderr, warm=[],
               warm_lines=set(), warm_ok=True)
    if r.returncode != 0:
        res["warm_ok"] = False
        return res
    for _ in range(WARM_RUNS):
        secs, r = timed([podpub, "-v", "build"], cwd=sdir)
        opened, cached, line = parse_opened(r.stderr)
        res["warm"].append(secs)
        res["warm_lines"].add(line)
        if r.returncode != 0 or opened != 0 or cached != expect:
            res["warm_ok"] = False
    return res


# ------------------------------------------------------------------ report

def errors(durs, truth, names):
    e = {n: abs(durs[n][0] - truth[n]) for n in names if n in durs}
    return e


def fmt_bytes(n):
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000.0


def fmt_s(x, nd=3):
    return "-" if x is None else f"{x:.{nd}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--podpub", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--size", choices=SIZES, default="full")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    podpub = os.path.abspath(a.podpub)
    cdir = os.path.abspath(a.dir)
    os.makedirs(cdir, exist_ok=True)

    t_all = time.monotonic()
    manifest = load_or_generate(cdir, a.size, a.jobs)
    t_gen = time.monotonic() - t_all
    truth = load_truth(cdir, manifest, a.jobs)
    t_truth = time.monotonic() - t_all - t_gen
    files = manifest["files"]
    fdir = os.path.join(cdir, "files")
    names = [f["name"] for f in files]
    byname = {f["name"]: f for f in files}
    nox = [n for n in names if byname[n]["fmt"] == NOXING]
    total_bytes = sum(os.path.getsize(os.path.join(fdir, n)) for n in names)
    disk = subprocess.run(["du", "-sh", cdir], stdout=subprocess.PIPE,
                          text=True).stdout.split()[0]
    nd = sum(1 for f in files if f["src"] == f["name"])
    lens = sorted(truth[n] for n in names)

    # The same warm page cache for every tool: read everything once.
    for n in names:
        with open(os.path.join(fdir, n), "rb") as fh:
            while fh.read(1 << 20):
                pass

    # What starting a process costs, for reading the per-file figures.
    start_pp = median_run(5, lambda: timed([podpub, "--version"]))[0]
    start_ff = median_run(5, lambda: timed(["ffprobe", "-version"]))[0]

    load = "%.2f %.2f %.2f" % os.getloadavg()
    log(f"measure: ffprobe once per file over {len(names)} files")
    rows = []
    secs, durs, err = measure_ffprobe(fdir, names)
    rows.append(("ffprobe, 1 process per file", secs, durs, err))
    log("measure: podpub probe")
    secs, durs, err = measure_podpub_one(podpub, fdir, names)
    rows.append(("podpub probe, 1 process", secs, durs, err))
    secs, durs, err = measure_podpub_xargs(podpub, fdir, names, 1)
    rows.append(("podpub probe, xargs -n 50", secs, durs, err))
    secs, durs, err = measure_podpub_xargs(podpub, fdir, names, a.jobs)
    rows.append((f"podpub probe, xargs -n 50 -P {a.jobs}", secs, durs, err))
    log("measure: mutagen, ffmpeg -c copy per file, cat")
    secs, durs, err = measure_mutagen(fdir, names)
    rows.append(("mutagen, 1 process", secs, durs, err))
    secs, durs, err = measure_ffmpeg_copy(fdir, names)
    rows.append(("ffmpeg -c copy -f null, per file", secs, durs, err))
    cat_secs = measure_cat(fdir, names)
    log("measure: podpub probe per format")
    per_fmt = measure_per_format(podpub, fdir, names, byname, truth)

    log("measure: podpub build, corpus show and 1,000-episode show")
    s1 = os.path.join(cdir, "show-corpus")
    cover = make_cover(cdir)
    make_show(s1, fdir, names, len(names), cover)
    b1 = build_show(podpub, s1, f"corpus show ({len(names)} episodes)",
                    len(names))
    rows.append((f"podpub build, cold ({a.jobs} threads)", b1["cold"],
                 cache_durations(s1, None), b1["cold_err"]))
    s2 = os.path.join(cdir, "show-1000")
    make_show(s2, fdir, names, 1000, cover)
    b2 = build_show(podpub, s2, "1,000-episode show", 1000)

    # ---- print
    ff_secs = rows[0][1]
    print()
    print(f"podpub probe benchmark: {len(names)} files ({nd} distinct, "
          f"{len(names) - nd} copies), {total_bytes / 1e6:.0f} MB of audio "
          f"({disk} on disk in {cdir} with bases and shows), "
          f"{lens[0] / 60:.1f} to {lens[-1] / 60:.1f} min, "
          f"{sum(lens) / 3600:.1f} h in all")
    print("formats: " + ", ".join(
        f"{k} {sum(1 for f in files if f['fmt'] == k)}" for k in FMT))
    print(f"page cache: nothing dropped; every file was read once before "
          f"timing, so all tools see the same warm page cache")
    print(f"podpub: {podpub}; cores: {os.cpu_count()}; "
          f"podpub rows take the median of {SHORT_RUNS} runs; "
          f"truth = full decode (ffmpeg -f s16le -ac 1 | wc -c)")
    print(f"load average (1, 5, 15 min) when timing started: {load}, "
          f"when it ended: {'%.2f %.2f %.2f' % os.getloadavg()} "
          f"(the machine is shared: above ~2 the figures are noisy)")
    print(f"process start alone: podpub --version {start_pp * 1000:.0f} ms, "
          f"ffprobe -version {start_ff * 1000:.0f} ms (median of 5)")
    print()
    hdr = (f"{'tool':<32} {'files':>5} {'wall s':>8} {'files/s':>8} "
           f"{'vs ffprobe':>10} {'max|err| s':>10} {'mean|err| s':>11} "
           f"{'max|err| VBR-noXing s':>21} {'off>0.05':>8} {'failed':>6}")
    print(hdr)
    print("-" * len(hdr))
    stats = {}
    for label, secs, durs, _ in rows:
        e = errors(durs, truth, names)
        en = errors(durs, truth, nox)
        valid = len(e)
        stats[label] = dict(e=e, en=en, secs=secs, durs=durs)
        print(f"{label:<32} {len(names):>5} {secs:>8.2f} "
              f"{len(names) / secs:>8.1f} {ff_secs / secs:>9.1f}x "
              f"{fmt_s(max(e.values()) if e else None):>10} "
              f"{fmt_s(statistics.mean(e.values()) if e else None, 4):>11} "
              f"{fmt_s(max(en.values()) if en else None):>21} "
              f"{sum(1 for v in e.values() if v > TOLERANCE):>8} "
              f"{len(names) - valid:>6}")
    print(f"{'cat of every byte':<32} {len(names):>5} {cat_secs:>8.2f} "
          f"{len(names) / cat_secs:>8.1f} {ff_secs / cat_secs:>9.1f}x")
    print()
    print(f"{'format':<16} {'files':>5} {'podpub s':>8} {'realtime x':>11} "
          f"{'read/file':>10} {'mean size':>10} {'read %':>7}  methods")
    for f in per_fmt:
        rd = f["rchar"] / f["files"] if f["rchar"] is not None else None
        print(f"{f['fmt']:<16} {f['files']:>5} {f['secs']:>8.3f} "
              f"{f['rt']:>11.0f} "
              f"{(fmt_bytes(rd) if rd is not None else '-'):>10} "
              f"{fmt_bytes(f['mean_size']):>10} "
              f"{(100 * rd / f['mean_size'] if rd else 0):>6.1f}%  "
              f"{','.join(f['methods'])}")
    print("(read/file: the bytes podpub probe read, rchar of /proc/PID/io, "
          "over the format's files; it includes libavformat's reads)")
    print()

    # per format: the worst error of each tool
    ff, pp = stats[rows[0][0]], stats[rows[1][0]]
    print(f"{'format':<16} {'files':>5} {'ffprobe max|err| s':>18} "
          f"{'podpub max|err| s':>17}  podpub method")
    for k in FMT:
        ns = [n for n in names if byname[n]["fmt"] == k]
        fe = [ff["e"][n] for n in ns if n in ff["e"]]
        pe = [pp["e"][n] for n in ns if n in pp["e"]]
        methods = sorted({pp["durs"][n][1] for n in ns if n in pp["durs"]})
        print(f"{k:<16} {len(ns):>5} {fmt_s(max(fe) if fe else None):>18} "
              f"{fmt_s(max(pe) if pe else None):>17}  {','.join(methods)}")
    print()

    for b in (b1, b2):
        w = b["warm"]
        if w:
            print(f"warm rebuild, {b['label']}: median {statistics.median(w) * 1000:.0f} ms "
                  f"(min {min(w) * 1000:.0f}, max {max(w) * 1000:.0f}, "
                  f"{len(w)} runs); cold build {b['cold']:.2f} s "
                  f"[{b['cold_line']}]; warm: {'; '.join(sorted(b['warm_lines']))}")
        else:
            print(f"{b['label']}: the cold build failed (exit {b['cold_rc']}):"
                  f" {b['cold_err'].strip()[-600:]}")
    print()

    # ---- the targets
    def verdict(ok):
        return "met" if ok else "NOT met"
    one, xa = rows[1][1], rows[2][1]
    r_one, r_xa = ff_secs / one, ff_secs / xa
    mu = stats["mutagen, 1 process"]
    print("targets:")
    print(f"  podpub probe (1 process) <= 2x cat of every byte: "
          f"{verdict(one <= 2 * cat_secs)} ({one:.2f} s vs {cat_secs:.2f} s: "
          f"{one / cat_secs:.2f}x)")
    print(f"  podpub probe (1 process) <= 2x mutagen: "
          f"{verdict(one <= 2 * mu['secs'])} ({one:.2f} s vs "
          f"{mu['secs']:.2f} s: {one / mu['secs']:.2f}x; mutagen is off by "
          f"> {TOLERANCE} s on "
          f"{sum(1 for v in mu['e'].values() if v > TOLERANCE)} files and "
          f"gives nothing for {len(names) - len(mu['e'])})")
    print(f"  cold probing >= 10x ffprobe-per-file throughput: "
          f"{verdict(min(r_one, r_xa) >= 10)} "
          f"(1 process {r_one:.1f}x, xargs -n 50 {r_xa:.1f}x, "
          f"xargs -n 50 -P {a.jobs} {ff_secs / rows[3][1]:.1f}x)")
    bad = sorted((n for n in names if pp["e"].get(n, 1e9) > TOLERANCE),
                 key=lambda n: -pp["e"].get(n, 1e9))
    pmax = max(pp["e"].values()) if pp["e"] else None
    print(f"  podpub max |error| <= {TOLERANCE} s on every file: "
          f"{verdict(not bad)} (max {fmt_s(pmax)} s; "
          f"{len(bad)} of {len(names)} files off or refused)")
    fn = max(ff["en"].values()) if ff["en"] else None
    pn = max(pp["en"].values()) if pp["en"] else None
    frest = [ff["e"][n] for n in names if n in ff["e"] and n not in nox]
    print(f"  ffprobe's error larger on VBR MP3 without Xing: "
          f"{verdict(fn is not None and pn is not None and fn > pn)} "
          f"(ffprobe max {fmt_s(fn)} s there, {fmt_s(max(frest) if frest else None)} s"
          f" on the other files; podpub max {fmt_s(pn)} s there)")
    w2 = statistics.median(b2["warm"]) * 1000 if b2["warm"] else None
    print(f"  warm rebuild of the 1,000-episode show < 100 ms: "
          f"{verdict(w2 is not None and w2 < 100 and b2['warm_ok'])} "
          f"(median {fmt_s(w2, 0)} ms"
          f"{'' if b2['warm_ok'] else '; a warm rebuild opened files or failed'})")
    if bad:
        print()
        print(f"podpub off by more than {TOLERANCE} s, or refused "
              f"(recipe of the distinct source file):")
        seen = set()
        for n in bad:
            f = byname[n]
            src = f["src"]
            got = pp["durs"].get(n)
            line = (f"  {n}: truth {truth[n]:.3f} s, podpub "
                    + (f"{got[0]:.3f} s ({got[1]}), off {pp['e'][n]:.3f} s"
                       if got else "refused"))
            print(line)
            if src not in seen:
                seen.add(src)
                print(f"    recipe: {byname[src]['recipe']}")
        errs = rows[1][3].strip()
        if errs:
            print("  podpub's messages: " + errs[-1500:])
    print()
    if manifest.get("reused"):
        gen = "corpus reused"
    else:
        gen = f"corpus made in {t_gen:.0f} s"
    print(f"{gen}; truth {t_truth:.0f} s; total so far "
          f"{time.monotonic() - t_all:.0f} s")


if __name__ == "__main__":
    main()
