# episodes is a regular file, not a folder.
rm -rf episodes && echo "not a folder" > episodes
