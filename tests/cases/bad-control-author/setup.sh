# A raw ESC (U+001B) in the author (line 4, column 13).
c=$(printf '\033')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
