# An episode file that is a FIFO nobody writes to (must not block).
mkfifo episodes/002-b.md
