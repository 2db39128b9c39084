# The audio file is a symbolic link to nothing.
rm -f episodes/001-a.mp3 && ln -s gone.mp3 episodes/001-a.mp3
