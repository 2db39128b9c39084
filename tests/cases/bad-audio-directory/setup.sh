# The audio "file" is a folder.
rm -f episodes/001-a.mp3 && mkdir episodes/001-a.mp3
