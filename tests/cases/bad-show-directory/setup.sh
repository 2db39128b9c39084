# feed/podcast.yaml is a folder.
rm -f feed/podcast.yaml && mkdir feed/podcast.yaml
