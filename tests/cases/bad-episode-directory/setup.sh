# An episode "file" that is a folder (git cannot hold an empty one).
mkdir episodes/004-x.md
