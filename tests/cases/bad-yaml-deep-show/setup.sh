# 200 nested block mappings under "check:" in the show file.
{
    cat feed/podcast.yaml
    printf 'check:\n'
    i=1
    while [ $i -le 200 ]; do
        printf '%*sk%d:\n' $((i * 2)) '' $i
        i=$((i + 1))
    done
    printf '%*sx\n' 402 ''
} > deep.tmp && mv deep.tmp feed/podcast.yaml
