# The repository's own show (feed/ and episodes/), as it is committed.
set -e
src=$(cd "$(dirname "$0")/../../.." && pwd)
cp -R "$src/feed" "$src/episodes" .
