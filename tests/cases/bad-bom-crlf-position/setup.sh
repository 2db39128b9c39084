# A UTF-8 byte order mark and CRLF line ends; the error stays at 6:9.
{ printf '\357\273\277'; sed 's/$/\r/' episodes/001-a.md; } > bom.tmp
mv bom.tmp episodes/001-a.md
