# A block scalar indented with a tab.
t=$(printf '\t')
sed "s/@T@/$t/" episodes/001-a.md > tab.tmp && mv tab.tmp episodes/001-a.md
