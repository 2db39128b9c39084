# stats_show.sh: sourced by test_stats*.sh (not a test), after common.sh.
#
#   stats_show DIR TITLE DATE_A DATE_B [DATE_C]
#
# makes DIR a show (podpub init, base_url https://media.example.org/show/)
# with "Episode A", 40 minutes of silence at 8 kbit/s (a minute is about
# 60 kB), and "Episode B" (and "Episode C" with DATE_C), 20 seconds of a
# tone, published at those RFC 3339 moments; ffmpeg makes the audio in
# DIR/../media. `podpub list --json` of the show is left in DIR/../list.json.
stats_show() {
    ss_dir=$1 ss_title=$2
    ss_media=$(dirname "$ss_dir")/media
    mkdir -p "$ss_media" || fail "cannot create $ss_media"
    (cd "$(dirname "$ss_dir")" && "$PODPUB" -q init --title "$ss_title" \
        --author A --language en --base-url https://media.example.org/show/ \
        "$(basename "$ss_dir")") >/dev/null || fail "podpub init failed"
    ffmpeg -nostdin -v error -y -f lavfi -i anullsrc=r=8000:cl=mono -t 2400 \
        -c:a libmp3lame -b:a 8k "$ss_media/a.mp3" </dev/null ||
        fail "ffmpeg could not make a.mp3"
    (cd "$ss_dir" && "$PODPUB" -q add --title "Episode A" --date "$3" \
        "$ss_media/a.mp3") || fail "podpub add (A) failed"
    shift 2
    shift
    for ss_name in B C; do
        [ $# -gt 0 ] || break
        ss_f=440
        [ $ss_name = B ] || ss_f=550
        ffmpeg -nostdin -v error -y -f lavfi -i sine=f=$ss_f:d=20 -ac 1 \
            -c:a libmp3lame -b:a 32k "$ss_media/$ss_name.mp3" </dev/null ||
            fail "ffmpeg could not make $ss_name.mp3"
        (cd "$ss_dir" && "$PODPUB" -q add --title "Episode $ss_name" \
            --date "$1" "$ss_media/$ss_name.mp3") ||
            fail "podpub add ($ss_name) failed"
        shift
    done
    (cd "$ss_dir" && "$PODPUB" list --json) >"$(dirname "$ss_dir")/list.json" ||
        fail "podpub list failed"
}
