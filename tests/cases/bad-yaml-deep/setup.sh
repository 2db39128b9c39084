# 200 nested flow lists as an episode's title.
{
    printf -- '---\ntitle: '
    i=0; while [ $i -lt 200 ]; do printf '['; i=$((i + 1)); done
    printf 'x'
    i=0; while [ $i -lt 200 ]; do printf ']'; i=$((i + 1)); done
    printf '\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\n'
} > episodes/001-a.md
