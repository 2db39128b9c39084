"""
What bench/probe's (bench.py) and bench/scale's (scale_bench.py) helpers
share. Standard library only: they run with Debian's /usr/bin/python3.
"""
import os
import re
import shlex
import subprocess
import sys


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs cmd; its stdout, or RuntimeError with the end of its stderr."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)}: exit {r.returncode}: "
                           f"{r.stderr.strip()[-800:]}")
    return r.stdout


def make_cover(path, colour):
    """A 1400x1400 RGB (4:4:4) JPEG of one colour (0xRRGGBB), made once."""
    if not os.path.exists(path):
        run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
             f"color=c={colour}:s=1400x1400", "-frames:v", "1",
             "-pix_fmt", "yuvj444p", "-q:v", "4", path + ".tmp.jpg"])
        os.replace(path + ".tmp.jpg", path)
    return path


def parse_opened(stderr):
    """
    From `podpub -v build`'s stderr, the probe line "probe: N audio files
    opened, M results from the cache": (N, M, the line), else (None, None,
    a note that there was none).
    """
    for line in stderr.splitlines():
        m = re.match(r"probe: (\d+) audio files opened, (\d+) results from "
                     r"the cache", line)
        if m:
            return int(m.group(1)), int(m.group(2)), line
    return None, None, "(no 'probe:' line)"
