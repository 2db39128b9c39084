# 5 MB of show notes: more than any episode file needs (the limit is 4 MB).
{
    printf -- '---\ntitle: Episode A\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\n'
    i=0
    while [ $i -lt 5 ]; do head -c 1048576 /dev/zero | tr '\0' 'n'; i=$((i + 1)); done
    printf '\n'
} > episodes/001-a.md
