# r128.sh: sourced by the loudness tests (not a test), after common.sh.
#
# ffmpeg_r128 FILE: "I TP" as ffmpeg's ebur128 filter measures FILE: the
# integrated loudness (LUFS, three decimals, from the filter's metadata)
# and the true peak of all channels in dBTP.
ffmpeg_r128() {
    ffmpeg -nostdin -hide_banner -nostats -i "$1" -af \
        "ebur128=peak=true:metadata=1,ametadata=mode=print:file=$WORK/r128.txt" \
        -f null - >/dev/null 2>&1 || fail "ffmpeg cannot measure $1"
    "$PY" -c '
import math, re, sys
i = None; tp = {}
for line in open(sys.argv[1]):
    m = re.match(r"lavfi\.r128\.I=(\S+)", line)
    if m: i = float(m.group(1))
    m = re.match(r"lavfi\.r128\.true_peaks_ch(\d+)=(\S+)", line)
    if m: tp[m.group(1)] = float(m.group(2))
print("%.3f %.3f" % (i, 20 * math.log10(max(tp.values()))))' "$WORK/r128.txt"
}
