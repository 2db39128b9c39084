# A cover with 640 KB of metadata: ten 64 KB APP15 segments after the
# start-of-image marker, as some photo editors write (ICC profiles,
# previews). The picture itself is the 14 KB 1400x1400 fixture.
set -e
head -c 2 feed/cover.jpg > big.jpg
i=0
while [ $i -lt 10 ]; do
    printf '\377\357\377\377' >> big.jpg
    head -c 65533 /dev/zero >> big.jpg
    i=$((i + 1))
done
tail -c +3 feed/cover.jpg >> big.jpg
mv big.jpg feed/cover.jpg
