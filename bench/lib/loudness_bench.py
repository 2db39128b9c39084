#!/usr/bin/python3
"""bench/loudness: podpub's loudness meter against ffmpeg's ebur128 filter.

A corpus of 50 files (MP3, M4A, Opus, FLAC; 1 to 9 minutes each, about
4 hours in all) of speech-like sound: pink noise shaped by a syllable
envelope and pauses, each file at its own level, made with ffmpeg and
kept in --dir (not committed). Then, in one run:

  podpub   `podpub probe --json FILE...`: every file, on all cores (one
           file per core), cold (probe measures without a cache);
  ffmpeg   `ffmpeg -af ebur128=peak=true -f null -` once per file, one
           after another, as a script would run it.

Printed: files/s and realtime factor (seconds of audio measured per
second) of each, per format and in all; the largest |dLUFS| and |dBTP|
between them on any file; whether the targets are met (every file
within 0.1 LU; podpub at least 2x ffmpeg's files/s).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

FORMATS = [
    # ext, encoder options, share of the files
    ("mp3", ["-c:a", "libmp3lame", "-b:a", "128k"]),
    ("m4a", ["-c:a", "aac", "-b:a", "96k"]),
    ("opus", ["-c:a", "libopus", "-b:a", "48k"]),
    ("flac", ["-c:a", "flac"]),
]
FILES = 50


def plan():
    """50 files: format, minutes (1 to 9), gain in dB, seed."""
    out = []
    for i in range(FILES):
        ext, opts = FORMATS[i % len(FORMATS)]
        minutes = 1 + (i * 7) % 9           # 1..9, spread over formats
        gain = -8 + (i * 5) % 13            # -8..+4 dB
        out.append((f"{i:02d}-speech.{ext}", opts, minutes * 60, gain, i + 1))
    return out


def make(path, opts, seconds, gain, seed):
    if os.path.exists(path):
        return
    tmp = path + ".tmp." + path.rsplit(".", 1)[1]
    env = ("0.15+0.85*abs(sin(2*PI*2.9*t))*gt(sin(2*PI*0.21*t+%d),-0.4)"
           % seed)
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y",
           "-f", "lavfi", "-i",
           f"anoisesrc=c=pink:r=44100:a=0.5:seed={seed}:d={seconds}",
           "-f", "lavfi", "-i", f"aevalsrc='{env}':s=44100:d={seconds}",
           "-filter_complex",
           f"[0][1]amultiply,lowpass=f=7000,volume={gain}dB",
           "-ac", "2"] + opts + [tmp]
    subprocess.run(cmd, check=True)
    os.rename(tmp, path)


def ffmpeg_r128(path):
    meta = path + ".meta"
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i",
                    path, "-af",
                    f"ebur128=peak=true:metadata=1,ametadata=mode=print:"
                    f"file={meta}", "-f", "null", "-"],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    i, tp = None, {}
    with open(meta) as f:
        for line in f:
            m = re.match(r"lavfi\.r128\.I=(\S+)", line)
            if m:
                i = float(m.group(1))
            m = re.match(r"lavfi\.r128\.true_peaks_ch(\d+)=(\S+)", line)
            if m:
                tp[m.group(1)] = float(m.group(2))
    os.unlink(meta)
    return i, 20 * math.log10(max(tp.values()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--podpub", required=True)
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)

    files = plan()
    t0 = time.time()
    with ThreadPoolExecutor(os.cpu_count() or 1) as ex:
        list(ex.map(lambda f: make(os.path.join(a.dir, f[0]), *f[1:]),
                    files))
    print(f"corpus: {len(files)} files, "
          f"{sum(f[2] for f in files) / 3600:.2f} h of audio in {a.dir} "
          f"({time.time() - t0:.0f} s to make or find)")
    secs = {f[0]: f[2] for f in files}
    names = [f[0] for f in files]
    paths = [os.path.join(a.dir, n) for n in names]

    # podpub: per format (for its realtime factor), then all at once.
    pod, pod_t = {}, {}
    for ext, _ in FORMATS + [("all", None)]:
        sel = [p for p in paths if ext == "all" or p.endswith("." + ext)]
        t = time.time()
        r = subprocess.run([a.podpub, "probe", "--json"] + sel, check=True,
                           capture_output=True, text=True)
        pod_t[ext] = time.time() - t
        for o in json.loads(r.stdout):
            pod[os.path.basename(o["path"])] = (
                o["loudness"]["integrated"], o["loudness"]["true_peak"])
    # ffmpeg: once per file, one after another.
    ff, ff_t = {}, {}
    for ext, _ in FORMATS:
        t = time.time()
        for p in paths:
            if p.endswith("." + ext):
                ff[os.path.basename(p)] = ffmpeg_r128(p)
        ff_t[ext] = time.time() - t
    ff_t["all"] = sum(ff_t.values())

    print()
    print("%-6s %5s %7s | %9s %9s %7s | %8s %8s | %8s %8s" % (
        "format", "files", "audio h", "podpub/s", "ffmpeg/s", "ratio",
        "RTF pod", "RTF ff", "max|dI|", "max|dTP|"))
    worst_i = worst_tp = 0.0
    for ext, _ in FORMATS + [("all", None)]:
        sel = [n for n in names if ext == "all" or n.endswith("." + ext)]
        audio = sum(secs[n] for n in sel)
        di = max(abs(pod[n][0] - ff[n][0]) for n in sel)
        dtp = max(abs(pod[n][1] - ff[n][1]) for n in sel)
        worst_i, worst_tp = max(worst_i, di), max(worst_tp, dtp)
        print("%-6s %5d %7.2f | %9.2f %9.2f %6.2fx | %7.0fx %7.0fx | "
              "%8.3f %8.3f" % (ext, len(sel), audio / 3600,
                               len(sel) / pod_t[ext], len(sel) / ff_t[ext],
                               ff_t[ext] / pod_t[ext], audio / pod_t[ext],
                               audio / ff_t[ext], di, dtp))
    speed = ff_t["all"] / pod_t["all"]
    print()
    print(f"podpub {pod_t['all']:.1f} s for all {len(names)} files "
          f"(one process, {os.cpu_count()} cores); ffmpeg "
          f"{ff_t['all']:.1f} s run once per file")
    print(f"target: every file within 0.1 LU of ffmpeg: "
          f"{'met' if worst_i <= 0.1 else 'NOT met'} (worst {worst_i:.3f} LU;"
          f" true peak worst {worst_tp:.3f} dB)")
    print(f"target: at least 2x ffmpeg's files/s: "
          f"{'met' if speed >= 2 else 'NOT met'} ({speed:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
