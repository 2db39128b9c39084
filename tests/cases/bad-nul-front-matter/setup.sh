# A NUL byte in the front matter: in the title, line 2, column 15.
printf -- '---\ntitle: Episode\000A\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\n' > episodes/001-a.md
