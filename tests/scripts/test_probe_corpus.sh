#!/bin/sh
# test_probe_corpus.sh PODPUB SOURCE_DIR WORK_DIR
#
# `podpub probe` against a corpus made here with ffmpeg (lavfi sources,
# nothing committed) and a truth measured here by a full decode:
#   truth = samples ffmpeg decodes (downmixed to one channel, s16le)
#           / the sample rate of the file's audio stream
# No duration is typed into this script.
#
# Valid files (exit 0, no warning, truncated=false, |podpub - truth| <=
# 0.050 s each): MP3 CBR with an Info header; MP3 VBR with a Xing header;
# VBR MP3 with no Xing/Info/VBRI header at all (-write_xing 0, gated noise
# so the bit rate really varies; ffprobe's estimate is off by seconds);
# MP3 with a ~300 KB ID3v2 tag (embedded ~300 KB cover and a long
# comment); MP3 with a LAME gapless header at 48 kHz stereo; two MP3s
# joined with cat (the first one's Info header describes only a third of
# the file); MP3 at 22050 and 8000 Hz (MPEG-2 and 2.5); AAC M4A with moov
# first (+faststart, 22050 Hz) and last (44.1 kHz stereo); M4B with
# chapters, the chapter track longer than the audio; Opus in Ogg
# (48 kHz stereo, and a 44.1 kHz source); Vorbis in Ogg (44.1 kHz stereo,
# 22050 Hz); FLAC (44.1 kHz, 8000 Hz stereo); WAV PCM (8000 Hz, 48 kHz
# stereo). A table shows file, method, podpub, truth, error, and
# ffprobe's format=duration with its error for comparison.
#
# Broken files:
#   zero bytes .mp3                      exit 1, one line naming the file
#   MP3 CBR, MP3 VBR (Xing), M4A (moov first) and FLAC cut in half with
#   head -c                              exit 0, a 'truncated' warning
#                                        naming the file, truncated=true,
#                                        duration within 0.150 s of the
#                                        decoded truth of the cut file
#   text, JPEG, FIFO and directory named .mp3
#                                        exit 1 within 10 s (timeout 10),
#                                        one line on stderr naming the file
#
# Needs ffmpeg, ffprobe, timeout and Debian's /usr/bin/python3.
set -u

me=test_probe_corpus
. "$(dirname "$0")/lib/common.sh"
init "$@"
need ffmpeg ffprobe timeout awk

C=$WORK/corpus
mkdir -p "$C" || fail "cannot create $C"
TOL=0.050
TOL_CUT=0.150
problems=$WORK/problems
: >"$problems"

# problem TEXT: records a failed check; the script fails at the end, after
# the table, so that one run shows everything that is wrong.
problem() { echo "$*" >>"$problems"; echo "  FAIL: $*" >&2; }

# gen NAME FFMPEG-ARGS...: makes $C/NAME with ffmpeg.
gen() {
    _n=$1
    shift
    ffmpeg -nostdin -v error -y "$@" "$C/$_n" </dev/null ||
        fail "ffmpeg could not make $_n (ffmpeg $*)"
    [ -s "$C/$_n" ] || fail "ffmpeg made an empty $_n"
}

# probe FILE [SECONDS]: runs podpub probe --json FILE, killed after
# SECONDS (default 30; exit status 124 then); sets rc and leaves stdout in
# $WORK/out, stderr in $WORK/err.
probe() {
    timeout "${2:-30}" "$PODPUB" probe --json "$1" >"$WORK/out" 2>"$WORK/err"
    rc=$?
}

echo "== making the corpus (ffmpeg $(ffmpeg -version | awk 'NR == 1 { print $3 }'))"
t0=$(date +%s)

# A ~300 KB JPEG (random pixels compress badly) for the ID3 tag.
gen cover300k.jpg -f lavfi -i \
    "nullsrc=s=530x530,geq=lum='random(1)*255':cb='random(2)*255':cr='random(3)*255'" \
    -frames:v 1 -q:v 2 -f mjpeg
long_comment=$(awk 'BEGIN { for (i = 0; i < 400; i++) printf "Shownotes regel %03d: lorem ipsum dolor sit amet. ", i }')

gen mp3-cbr-info.mp3 -f lavfi -i "sine=f=440:d=30.3:r=44100" \
    -c:a libmp3lame -b:a 128k
gen mp3-vbr-xing.mp3 -f lavfi -i "anoisesrc=d=20:c=pink:a=0.2:r=44100:seed=11" \
    -c:a libmp3lame -q:a 3
# Noise gated on and off every 3 s: frames from 32 to 320 kbit/s.
gen mp3-vbr-noxing.mp3 -f lavfi -i \
    "anoisesrc=d=90:c=white:a=0.5:r=44100:seed=12,volume='if(lt(mod(t,6),3),1,0.01)':eval=frame" \
    -c:a libmp3lame -q:a 2 -write_xing 0
gen mp3-id3-cover.mp3 -f lavfi -i "sine=f=500:d=12.5:r=44100" \
    -i "$C/cover300k.jpg" -map 0:a -map 1:v -c:a libmp3lame -b:a 96k \
    -c:v copy -id3v2_version 3 -metadata title="Een grote tag" \
    -metadata artist="Omroep Brabant" -metadata comment="$long_comment" \
    -metadata:s:v title="Album cover" -metadata:s:v comment="Cover (front)" \
    -disposition:v attached_pic
gen mp3-lame-48k-stereo.mp3 -f lavfi -i "sine=f=300:d=7.777:r=48000" \
    -ac 2 -c:a libmp3lame -b:a 160k
# Two MP3s joined with cat (an intro put before an episode): the Info
# header at the start describes the first part only.
gen intro-10s.mp3 -f lavfi -i "sine=f=660:d=10:r=44100" \
    -c:a libmp3lame -b:a 128k
cat "$C/intro-10s.mp3" "$C/mp3-cbr-info.mp3" >"$C/mp3-concatenated.mp3" ||
    fail "cannot join two MP3s"
gen mp3-22050.mp3 -f lavfi -i "sine=f=300:d=9.9:r=22050" \
    -c:a libmp3lame -b:a 48k
gen mp3-8000.mp3 -f lavfi -i "sine=f=300:d=11.1:r=8000" \
    -c:a libmp3lame -b:a 24k
gen aac-faststart-22050.m4a -f lavfi -i "sine=f=440:d=25.5:r=22050" \
    -c:a aac -b:a 64k -movflags +faststart
gen aac-moov-end-stereo.m4a -f lavfi -i "sine=f=440:d=25.5:r=44100" \
    -ac 2 -c:a aac -b:a 96k
# The chapter track runs to 90 s, past the audio's end (ffprobe's
# format=duration believes it).
printf ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=20000\ntitle=Deel een\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=20000\nEND=90000\ntitle=Deel twee\n' \
    >"$WORK/m4b-chapters.txt"
gen audiobook.m4b -f lavfi -i "sine=f=440:d=45.1:r=44100" \
    -i "$WORK/m4b-chapters.txt" -map 0:a -map_chapters 1 -c:a aac -b:a 64k \
    -f ipod
gen opus-48k-stereo.opus -f lavfi -i "sine=f=440:d=14.2:r=48000" \
    -ac 2 -c:a libopus -b:a 64k
gen opus-from-44100.opus -f lavfi -i "sine=f=440:d=13.3:r=44100" \
    -c:a libopus -b:a 32k
gen vorbis-stereo.ogg -f lavfi -i "sine=f=440:d=16.3:r=44100" \
    -ac 2 -c:a libvorbis -q:a 3
gen vorbis-22050.ogg -f lavfi -i "sine=f=440:d=17.1:r=22050" \
    -c:a libvorbis -q:a 3
gen flac-44100.flac -f lavfi -i "sine=f=440:d=21.7:r=44100" -c:a flac
gen flac-8000-stereo.flac -f lavfi -i "sine=f=440:d=19.3:r=8000" \
    -ac 2 -c:a flac
gen wav-8000.wav -f lavfi -i "sine=f=440:d=6.66:r=8000" -c:a pcm_s16le
gen wav-48k-stereo.wav -f lavfi -i "sine=f=440:d=5.55:r=48000" \
    -ac 2 -c:a pcm_s16le

VALID="mp3-cbr-info.mp3 mp3-vbr-xing.mp3 mp3-vbr-noxing.mp3 mp3-id3-cover.mp3
mp3-lame-48k-stereo.mp3 mp3-concatenated.mp3 mp3-22050.mp3 mp3-8000.mp3 aac-faststart-22050.m4a
aac-moov-end-stereo.m4a audiobook.m4b opus-48k-stereo.opus
opus-from-44100.opus vorbis-stereo.ogg vorbis-22050.ogg flac-44100.flac
flac-8000-stereo.flac wav-8000.wav wav-48k-stereo.wav"

# The corpus is what it claims to be (else the test would prove nothing).
head4k() { head -c 4096 "$C/$1" | LC_ALL=C grep -a -c -E "$2"; }
[ "$(head4k mp3-cbr-info.mp3 Info)" -gt 0 ] ||
    fail "mp3-cbr-info.mp3 has no Info header"
[ "$(head4k mp3-vbr-xing.mp3 Xing)" -gt 0 ] ||
    fail "mp3-vbr-xing.mp3 has no Xing header"
[ "$(head4k mp3-lame-48k-stereo.mp3 LAME)" -gt 0 ] ||
    fail "mp3-lame-48k-stereo.mp3 has no LAME tag"
[ "$(head4k mp3-vbr-noxing.mp3 'Xing|Info|VBRI')" -eq 0 ] ||
    fail "mp3-vbr-noxing.mp3 has a Xing/Info/VBRI header"
# offset FILE WORD: the byte offset of WORD's first occurrence in FILE.
offset() { LC_ALL=C grep -abo "$2" "$C/$1" | head -n 1 | cut -d: -f1; }
[ "$(offset aac-faststart-22050.m4a moov)" -lt "$(offset aac-faststart-22050.m4a mdat)" ] ||
    fail "aac-faststart-22050.m4a: moov is not before mdat"
[ "$(offset aac-moov-end-stereo.m4a moov)" -gt "$(offset aac-moov-end-stereo.m4a mdat)" ] ||
    fail "aac-moov-end-stereo.m4a: moov is not after mdat"
sizes=$(ffprobe -v error -select_streams a:0 -show_entries packet=size \
    -of csv=p=0 "$C/mp3-vbr-noxing.mp3" | sort -u | wc -l)
[ "$sizes" -ge 5 ] ||
    fail "mp3-vbr-noxing.mp3 is not really VBR ($sizes distinct frame sizes)"
set -- $(od -An -tu1 -N10 "$C/mp3-id3-cover.mp3")
[ "$1 $2 $3" = "73 68 51" ] || fail "mp3-id3-cover.mp3 does not start with ID3"
id3=$(( ($7 << 21) | ($8 << 14) | ($9 << 7) | ${10} ))
[ "$id3" -ge 250000 ] || fail "mp3-id3-cover.mp3: ID3v2 tag only $id3 bytes"
pic=$(ffprobe -v error -show_entries stream=codec_type:stream_disposition=attached_pic \
    -of csv=p=0 "$C/mp3-id3-cover.mp3" | grep -c '^video,1')
[ "$pic" -eq 1 ] || fail "mp3-id3-cover.mp3 has no attached picture"
note "corpus: $(echo $VALID | wc -w) valid files; ID3v2 tag of mp3-id3-cover.mp3: $id3 bytes; mp3-vbr-noxing.mp3: $sizes distinct frame sizes"

echo "== valid files: |podpub - truth| <= $TOL s (truth: full decode)"
table=$WORK/table
printf '%-26s %-10s %9s %9s %7s %9s %7s\n' file method podpub truth error \
    ffprobe error >"$table"
for f in $VALID; do
    probe "$C/$f"
    truth=$(decoded_seconds "$C/$f")
    [ -n "$truth" ] || fail "$f: ffmpeg cannot decode it"
    ffp=$(ffprobe_seconds "$C/$f")
    ffp_err=n/a
    [ -n "$ffp" ] && ffp_err=$(abs_diff "$ffp" "$truth" | awk '{ printf "%.3f", $1 }')
    [ -n "$ffp" ] && ffp=$(printf '%.3f' "$ffp")
    if [ $rc -ne 0 ]; then
        dump "$WORK/err" stderr
        problem "$f: podpub probe exited $rc, expected 0"
        printf '%-26s %-10s %9s %9.3f %7s %9s %7s\n' "$f" "-" "-" \
            "$truth" "-" "${ffp:-n/a}" "$ffp_err" >>"$table"
        continue
    fi
    [ -s "$WORK/err" ] && {
        dump "$WORK/err" stderr
        problem "$f: podpub printed something on stderr for a valid file"
    }
    ms=$(json "$WORK/out" 'j[0]["duration_ms"]') ||
        fail "$f: podpub probe --json printed no usable JSON"
    method=$(json "$WORK/out" 'j[0]["method"]')
    trunc=$(json "$WORK/out" 'j[0]["truncated"]')
    got=$(awk -v m="$ms" 'BEGIN { printf "%.3f\n", m / 1000 }')
    err=$(abs_diff "$got" "$truth")
    printf '%-26s %-10s %9.3f %9.3f %7.3f %9s %7s\n' "$f" "$method" "$got" \
        "$truth" "$err" "${ffp:-n/a}" "$ffp_err" >>"$table"
    le "$err" "$TOL" ||
        problem "$f: podpub says $got s ($method), a full decode gives $truth s: off by $err s (> $TOL)"
    [ "$trunc" = false ] || problem "$f: reported as truncated"
done
cat "$table"

echo "== broken files"
# A cut file's truth is the decode of what is left.
cut_half() {
    _size=$(wc -c <"$C/$1")
    head -c $((_size / 2)) "$C/$1" >"$C/$2" || fail "cannot cut $1"
}
cut_half mp3-cbr-info.mp3 cut-mp3-cbr.mp3
cut_half mp3-vbr-xing.mp3 cut-mp3-vbr-xing.mp3
cut_half aac-faststart-22050.m4a cut-aac-faststart.m4a
cut_half flac-44100.flac cut-flac.flac

for f in cut-mp3-cbr.mp3 cut-mp3-vbr-xing.mp3 cut-aac-faststart.m4a \
         cut-flac.flac; do
    probe "$C/$f"
    truth=$(decoded_seconds "$C/$f")
    [ -n "$truth" ] || fail "$f: ffmpeg cannot decode it"
    if [ $rc -ne 0 ]; then
        dump "$WORK/err" stderr
        problem "$f (cut in half): exit $rc, expected 0 with a warning"
        continue
    fi
    if ! grep -q "truncated" "$WORK/err" || ! grep -qF "$C/$f" "$WORK/err"; then
        dump "$WORK/err" stderr
        problem "$f (cut in half): no 'truncated' warning naming the file on stderr"
    fi
    ms=$(json "$WORK/out" 'j[0]["duration_ms"]') ||
        fail "$f: podpub probe --json printed no usable JSON"
    method=$(json "$WORK/out" 'j[0]["method"]')
    trunc=$(json "$WORK/out" 'j[0]["truncated"]')
    got=$(awk -v m="$ms" 'BEGIN { printf "%.3f\n", m / 1000 }')
    err=$(abs_diff "$got" "$truth")
    [ "$trunc" = true ] || problem "$f: \"truncated\" is $trunc in the JSON, expected true"
    le "$err" "$TOL_CUT" ||
        problem "$f (cut in half): podpub says $got s ($method), the decode of what is left gives $truth s: off by $err s (> $TOL_CUT)"
    note "$f: exit 0, $got s ($method), truth $truth s, error $err s; $(head -n 1 "$WORK/err")"
done

: >"$C/empty.mp3"
echo "Dit is geen audio, maar tekst met een .mp3-naam." >"$C/text.mp3"
gen jpeg.mp3 -f lavfi -i "testsrc2=s=1400x1400" -frames:v 1 -q:v 3 -f mjpeg
mkfifo "$C/fifo.mp3" || fail "cannot make a FIFO"
mkdir "$C/dir.mp3" || fail "cannot make a directory"
for f in empty.mp3 text.mp3 jpeg.mp3 fifo.mp3 dir.mp3; do
    probe "$C/$f" 10
    if [ $rc -eq 124 ]; then
        problem "$f: podpub probe hung (killed by timeout after 10 s)"
        continue
    fi
    lines=$(wc -l <"$WORK/err")
    case $(cat "$WORK/err") in "podpub: $C/$f: "*) named=yes ;; *) named=no ;; esac
    if [ $rc -ne 1 ] || [ "$lines" -ne 1 ] || [ $named = no ]; then
        dump "$WORK/err" stderr
        problem "$f: exit $rc with $lines line(s) on stderr; expected exit 1 and one line 'podpub: $C/$f: ...'"
        continue
    fi
    note "$f: exit 1: $(sed "s|$C/||" "$WORK/err")"
done

echo "  (took $(( $(date +%s) - t0 )) s)"
if [ -s "$problems" ]; then
    echo "$me: $(wc -l <"$problems") problem(s):" >&2
    sed 's/^/  - /' "$problems" >&2
    fail "podpub probe is wrong for some files (see above)"
fi
echo "$me: ok"
exit 0
