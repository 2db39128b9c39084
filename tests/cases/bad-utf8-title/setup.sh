# The title holds a lone 0xff byte at line 2, column 11.
printf -- '---\ntitle: Caf\377\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\n' > episodes/001-a.md
