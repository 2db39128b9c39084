# A raw backspace (U+0008) in owner.name, in a block mapping (line 6, column 13).
c=$(printf '\010')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
