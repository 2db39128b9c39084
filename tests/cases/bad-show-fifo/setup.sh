# feed/podcast.yaml is a FIFO nobody writes to (must not block).
rm -f feed/podcast.yaml && mkfifo feed/podcast.yaml
