# An episode file that is a symbolic link out of the show: its text
# would be published as show notes.
ln -s /etc/passwd episodes/002-b.md
