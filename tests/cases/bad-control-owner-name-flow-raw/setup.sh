# A raw backspace (U+0008) in owner.name, in a flow mapping (line 5, column 19).
c=$(printf '\010')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
