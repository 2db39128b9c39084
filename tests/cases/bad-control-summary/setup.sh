# A raw U+0001 in the summary (line 6, column 14).
c=$(printf '\001')
sed "s/@X@/$c/" episodes/001-a.md > raw.tmp && mv raw.tmp episodes/001-a.md
