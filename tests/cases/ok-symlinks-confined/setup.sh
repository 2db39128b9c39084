# Audio through symbolic links: one to a folder inside the show, one to a
# folder outside it that feed/podcast.yaml names in media_roots (a NAS).
ln -s ../audio/001-a.mp3 episodes/001-a.mp3
outside=$(cd .. && pwd)/ok-symlinks-confined.media
rm -rf "$outside" && mv media "$outside"
ln -s "$outside/002-b.mp3" episodes/002-b.mp3
echo "media_roots: [$outside]" >> feed/podcast.yaml
