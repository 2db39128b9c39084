# A NUL byte at line 7, column 6 (in the show notes).
printf -- '---\ntitle: Episode A\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes\000.\n' > episodes/001-a.md
