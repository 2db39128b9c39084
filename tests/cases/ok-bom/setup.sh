# Prefix the episode file with a UTF-8 byte order mark (EF BB BF).
{ printf '\357\273\277'; cat episodes/001-a.md; } > bom.tmp
mv bom.tmp episodes/001-a.md
