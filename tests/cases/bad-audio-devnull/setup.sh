# The audio file is a symbolic link to a character device.
rm -f episodes/001-a.mp3 && ln -s /dev/zero episodes/001-a.mp3
