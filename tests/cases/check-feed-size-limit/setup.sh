# A show whose feed is over 1 MB: 240 episodes with about 1.5 KB of show
# notes each (the notes go into the feed three times: description,
# content:encoded and itunes:summary). Each episode has its own copy of
# the audio (podpub refuses two episodes with one audio file).
set -e
para="Deze aflevering gaat over de weg terug: wie helpt, wie luistert, en wat er nodig is om weer verder te kunnen."
notes="$para $para $para $para $para"
notes="$notes

$notes

$notes"
i=1
while [ $i -le 240 ]; do
    n=$(printf '%03d' $i)
    d=$(( (i - 1) % 28 + 1 ))
    m=$(( (i - 1) / 28 + 1 ))
    cp episodes/tone.mp3 "episodes/$n.mp3"
    {
        echo "---"
        echo "title: Aflevering $i"
        echo "guid: urn:test:size-$n"
        printf 'date: 2024-%02d-%02d\n' $m $d
        echo "audio: $n.mp3"
        echo "---"
        echo "$notes"
    } > "episodes/$n.md"
    i=$((i + 1))
done
rm episodes/tone.mp3
