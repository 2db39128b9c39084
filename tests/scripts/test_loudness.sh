#!/bin/sh
# test_loudness.sh PODPUB SOURCE_DIR WORK_DIR
#
# Loudness measured by `podpub probe` (EBU R128 / ITU-R BS.1770-4) on
# test signals of known loudness made here with ffmpeg, as EBU Tech 3341
# makes its own, each in WAV, FLAC, MP3, M4A and Opus:
#   sine-23  a 1 kHz sine, stereo, at -23 dBFS: -23.0 LUFS, -23.0 dBTP
#   sine-20  the same at -20 dBFS: -20.0 LUFS, -20.0 dBTP
#   isp      that sine at -20 dBFS with one burst of 8 kHz (48 kHz / 6)
#            whose crest falls between two samples: the samples reach
#            -1.25 dBFS, the signal 0.0 dBTP (an inter-sample peak)
# Each figure must be within 0.1 LU (loudness) or 0.2 dB (true peak) of
# the known value and of `ffmpeg -af ebur128=peak=true` on the same file.
# The lossy files are encoded at high bit rates: at 192 kbit/s LAME
# itself makes a 1 kHz tone 0.26 dB quieter, which no meter should hide.
# Also: the loudness is kept in the probe cache with the duration, so a
# warm build decodes nothing.
set -u

me=test_loudness
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/r128.sh"
init "$@"
need ffmpeg

SINE1K='sin(2*PI*1000*t)'
# The burst: 0.1 s of 8 kHz at full scale under a raised-cosine window,
# phase pi/3, so that the samples straddle each crest.
BURST='(0.5-0.5*cos(2*PI*(t-5)/0.1))*sin(2*PI*8000*t+PI/3)'

# signal NAME EXPR: NAME.src.wav (float, 48 kHz, stereo, 20 s) from EXPR.
signal() {
    ffmpeg -nostdin -v error -y -f lavfi \
        -i "aevalsrc='$2|$2':s=48000:d=20" -c:a pcm_f32le "$WORK/$1.src.wav" ||
        fail "ffmpeg cannot make $1"
}
signal sine-23 "0.0707945784*$SINE1K"
signal sine-20 "0.1*$SINE1K"
signal isp "if(between(t,5,5.1),$BURST,0.1*$SINE1K)"

: >"$WORK/table"
for sig in sine-23 sine-20 isp; do
    for fmt in wav flac mp3 m4a opus; do
        f=$WORK/$sig.$fmt
        case $fmt in
        wav)  opts="-c:a pcm_s16le" ;;
        flac) opts="-c:a flac" ;;
        mp3)  opts="-c:a libmp3lame -b:a 320k" ;;
        m4a)  opts="-c:a aac -b:a 256k" ;;
        opus) opts="-c:a libopus -b:a 192k" ;;
        esac
        # shellcheck disable=SC2086
        ffmpeg -nostdin -v error -y -i "$WORK/$sig.src.wav" $opts "$f" ||
            fail "ffmpeg cannot encode $sig.$fmt"
        "$PODPUB" probe --json "$f" >"$WORK/probe.json" ||
            fail "podpub probe $sig.$fmt failed"
        echo "$sig $fmt $(ffmpeg_r128 "$f") $("$PY" -c '
import json, sys
l = json.load(open(sys.argv[1]))[0]["loudness"]
print(l["integrated"], l["true_peak"])' "$WORK/probe.json")" >>"$WORK/table"
    done
done

"$PY" - "$WORK/table" <<'PYEOF' || fail "loudness figures out of tolerance (above)"
import sys
known = {"sine-23": (-23.0, -23.0), "sine-20": (-20.0, -20.0),
         "isp": (None, 0.0)}
bad = 0
print("  %-8s %-5s %9s %9s %9s   %8s %8s %8s" % ("signal", "file", "LUFS",
      "podpub", "ffmpeg", "dBTP", "podpub", "ffmpeg"))
for line in open(sys.argv[1]):
    sig, fmt, fi, ftp, pi, ptp = line.split()
    fi, ftp, pi, ptp = map(float, (fi, ftp, pi, ptp))
    ki, ktp = known[sig]
    print("  %-8s %-5s %9s %9.2f %9.2f   %8.1f %8.2f %8.2f" % (sig, fmt,
          "-" if ki is None else "%.1f" % ki, pi, fi, ktp, ptp, ftp))
    checks = [("LUFS vs ffmpeg", pi, fi, 0.1), ("dBTP vs ffmpeg", ptp, ftp, 0.2),
              ("dBTP vs known", ptp, ktp, 0.2)]
    if ki is not None:
        checks.append(("LUFS vs known", pi, ki, 0.1))
    for what, a, b, tol in checks:
        if abs(a - b) > tol + 1e-9:
            print("  FAIL %s %s: %s %.2f, want %.2f +- %.1f" % (sig, fmt, what,
                  a, b, tol))
            bad += 1
sys.exit(1 if bad else 0)
PYEOF
ok "15 files (3 signals x WAV, FLAC, MP3, M4A, Opus): within 0.1 LU and 0.2 dB of the known values and of ffmpeg's ebur128"

# ---- cached with the duration: a warm build decodes nothing
S=$WORK/show
make_show "$S"
"$PODPUB" -v -C "$S" list >/dev/null 2>&1 || fail "podpub list failed"
grep -q '^podpub-probe-cache 4$' "$S/.podpub/probe-cache" ||
    fail "no probe cache (version 4) after list"
grep -c ',' "$S/.podpub/probe-cache" | grep -qx 4 ||
    fail "the probe cache does not hold 4 loudness figures: $(cat "$S/.podpub/probe-cache")"
"$PODPUB" -v -C "$S" build >/dev/null 2>"$WORK/warm.err" || fail "build failed"
grep -q '^probe: 0 audio files opened, 4 results from the cache$' "$WORK/warm.err" ||
    fail "the warm build probed again: $(cat "$WORK/warm.err")"
"$PODPUB" -C "$S" list >"$WORK/list.out" || fail "podpub list failed"
grep -q 'LUFS   dBTP' "$WORK/list.out" && grep -q ' -21.1   -0.7 ' "$WORK/list.out" ||
    fail "podpub list does not show the loudness: $(cat "$WORK/list.out")"
ok "measured once, kept in the probe cache: a warm build opens no audio; list shows LUFS and dBTP"

# ---- loudness: off measures nothing
printf 'loudness: off\n' >>"$S/feed/podcast.yaml"
rm -rf "$S/.podpub"
"$PODPUB" -C "$S" check >"$WORK/off.out" 2>&1
grep -q 'audio\.' "$WORK/off.out" && fail "loudness: off still checks: $(cat "$WORK/off.out")"
grep -q ',' "$S/.podpub/probe-cache" && fail "loudness: off still measured"
ok "loudness: off measures and checks nothing"
echo "test_loudness: all passed"
