# owner's fields indented with a tab (YAML allows only spaces).
t=$(printf '\t')
sed "s/@T@/$t/" feed/podcast.yaml > tab.tmp && mv tab.tmp feed/podcast.yaml
