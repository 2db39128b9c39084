# CRLF line ends in the show file and the episode file.
for f in feed/podcast.yaml episodes/001-a.md; do
    sed 's/$/\r/' "$f" > crlf.tmp && mv crlf.tmp "$f"
done
