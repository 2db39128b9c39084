# A raw U+0006 in the second category (line 6, column 31).
c=$(printf '\006')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
