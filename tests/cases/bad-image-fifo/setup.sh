# The show's artwork is a FIFO nobody writes to (must not block).
rm -f feed/cover.jpg && mkfifo feed/cover.jpg
