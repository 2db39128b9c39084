# The audio file is a FIFO nobody writes to: podpub must not block on it.
rm -f episodes/001-a.mp3 && mkfifo episodes/001-a.mp3
