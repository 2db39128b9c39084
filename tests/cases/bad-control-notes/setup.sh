# The show notes hold a raw BEL (0x07) at line 8, column 8 of the file.
printf -- '---\ntitle: Episode A\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\nRing a \007 bell.\n' > episodes/001-a.md
