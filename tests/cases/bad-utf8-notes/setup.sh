# The show notes hold a lone 0xff byte at line 8, column 6 of the file (after "é").
printf -- '---\ntitle: Episode A\nguid: urn:test:001-a\ndate: 2025-01-06\naudio: 001-a.mp3\n---\nNotes.\nCaf\303\251 \377 bar\n' > episodes/001-a.md
