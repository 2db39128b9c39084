# A sparse 20 GB file named .mp3 (all zero bytes, no blocks on disk):
# podpub must not read it whole; the case must end in seconds.
rm -f episodes/001-a.mp3 && truncate -s 20G episodes/001-a.mp3
