# A raw U+001F in funding.text, in a block mapping (line 11, column 17).
c=$(printf '\037')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
