# A 1 MB (1,048,576-byte) title, generated: too big to commit.
{
    printf -- '---\ntitle: '
    head -c 1048576 /dev/zero | tr '\0' 'x'
    printf '\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\n'
} > episodes/001-a.md
