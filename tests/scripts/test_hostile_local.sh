#!/bin/sh
# test_hostile_local.sh PODPUB SOURCE_DIR WORK_DIR
#
# Files from outside the show never go out. A copy of the example show
# publishes to a folder target; then, one at a time:
#   - the transcript is a symlink to /proc/self/environ, with a planted
#     secret in the environment (it stats as 0 bytes and reads forever);
#   - the transcript is a symlink to a fake credentials file outside;
#   - the audio is a symlink to a real MP3 outside the show;
#   - the cover is a symlink to a file outside;
#   - an episode file is a symlink to a Markdown file outside;
# each is refused (exit 1) naming the field and the resolved path, and
# the planted secrets appear nowhere: not at the target, not in public/,
# not in podpub's output. Then media_roots naming the outside folder lets
# the audio symlink in, and it publishes byte-identically. A transcript
# that is not what its extension says (an environment dump named .vtt)
# is refused by content.
set -u
me=test_hostile_local
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

SECRET=planted-Secret-7f3a9c
export PODPUB_TEST_PLANTED="$SECRET"
OUTSIDE=$WORK/outside
mkdir -p "$OUTSIDE"
printf 'aws_access_key_id = AKIAPLANTED\naws_secret_access_key = %s\n' \
    "$SECRET" >"$OUTSIDE/credentials"
printf -- '---\ntitle: Gestolen\nguid: stolen-1\ndate: 2025-01-01\naudio: 001-milas.mp3\n---\n%s\n' \
    "$SECRET" >"$OUTSIDE/notes.md"
cp "$SRC/episodes/001-milas.mp3" "$OUTSIDE/milas.mp3"
printf 'cover %s\n' "$SECRET" >"$OUTSIDE/cover.jpg"

use_target file
SHOW=$WORK/show
make_show "$SHOW"
pp 0 "first publish" publish --target "$URL" || pub_finish

# leaked WHAT: the secret anywhere at the target, in public/, in output.
leaked() {
    if grep -rlaF "$SECRET" "$REMOTE_ROOT" "$SHOW/public" "$OUT" "$ERR" \
            >"$WORK/leaks" 2>/dev/null; then
        bad "$1: the planted secret was found in $(tr '\n' ' ' <"$WORK/leaks")"
    fi
}

# refused WHAT FIELD TARGET_RE SETUP...: runs SETUP in the show, then
# publish must exit 1 naming FIELD and a resolved path matching
# TARGET_RE; nothing written at the target; the show restored after.
refused() {
    _what=$1 _field=$2 _re=$3
    shift 3
    rm -rf "$WORK/show.saved" && cp -a "$SHOW" "$WORK/show.saved"
    (cd "$SHOW" && eval "$*") || fail "$_what: setup failed"
    printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
    mark
    if pp 1 "$_what" publish --target "$URL"; then
        must_say "$ERR" "$_field: .*resolves to '$_re'" "$_what names the field and the resolved path" &&
            ok "$_what: $(grep resolves "$ERR" | head -n 1 | cut -c1-160)"
        writes >"$WORK/writes"
        [ -s "$WORK/writes" ] && bad "$_what: something was written at the target"
    fi
    leaked "$_what"
    rm -rf "$SHOW" && mv "$WORK/show.saved" "$SHOW"
}

echo "== symlinks out of the show"
refused "transcript -> /proc/self/environ" transcript '/proc/[0-9]*/environ' \
    'ln -sf /proc/self/environ episodes/001-milas.vtt'
refused "transcript -> a credentials file" transcript "$OUTSIDE/credentials" \
    "ln -sf '$OUTSIDE/credentials' episodes/001-milas.vtt"
refused "audio -> an MP3 outside" audio "$OUTSIDE/milas.mp3" \
    "ln -sf '$OUTSIDE/milas.mp3' episodes/001-milas.mp3"
refused "cover -> a file outside" image "$OUTSIDE/cover.jpg" \
    "ln -sf '$OUTSIDE/cover.jpg' feed/cover.jpg"
refused "a folder of the show -> outside" audio "$OUTSIDE/milas.mp3" \
    "mkdir -p media && ln -sf '$OUTSIDE' media/nas && ln -sf ../media/nas/milas.mp3 episodes/001-milas.mp3"

echo "== an episode file from outside"
rm -rf "$WORK/show.saved" && cp -a "$SHOW" "$WORK/show.saved"
ln -s "$OUTSIDE/notes.md" "$SHOW/episodes/009-stolen.md"
mark
if pp 1 "episode file -> outside" publish --target "$URL"; then
    must_say "$ERR" "009-stolen.md.*resolves to '$OUTSIDE/notes.md'" "the episode file is refused" &&
        ok "episode file: $(grep resolves "$ERR" | head -n 1 | cut -c1-160)"
fi
leaked "episode file -> outside"
rm -rf "$SHOW" && mv "$WORK/show.saved" "$SHOW"

echo "== a transcript judged by its content"
rm -rf "$WORK/show.saved" && cp -a "$SHOW" "$WORK/show.saved"
env >"$SHOW/episodes/001-milas.vtt"
mark
if pp 1 "an environment dump named .vtt" publish --target "$URL"; then
    must_say "$ERR" "transcript: .*is not WebVTT" "the dump is refused as not WebVTT" &&
        ok "content: $(grep WebVTT "$ERR" | head -n 1)"
fi
leaked "an environment dump named .vtt"
rm -rf "$SHOW" && mv "$WORK/show.saved" "$SHOW"

echo "== media_roots lets a named folder in"
ln -sf "$OUTSIDE/milas.mp3" "$SHOW/episodes/001-milas.mp3"
printf 'media_roots: [%s]\n' "$OUTSIDE" >>"$SHOW/feed/podcast.yaml"
mark
if pp 0 "audio -> outside, in media_roots" publish --target "$URL"; then
    cmp -s "$OUTSIDE/milas.mp3" "$(remote_path 001-milas.mp3)" ||
        bad "media_roots: the audio at the target is not the file in media_roots"
    ok "media_roots: the audio from $OUTSIDE published"
fi
leaked "media_roots"

pub_finish
