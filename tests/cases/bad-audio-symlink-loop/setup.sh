# The audio file is a symbolic link to itself.
rm -f episodes/001-a.mp3 && ln -s 001-a.mp3 episodes/001-a.mp3
