# A raw form feed (U+000C) on line 4 of a block scalar: the line starts with spaces, not with 'description:'.
c=$(printf '\014')
sed "s/@X@/$c/" feed/podcast.yaml > raw.tmp && mv raw.tmp feed/podcast.yaml
