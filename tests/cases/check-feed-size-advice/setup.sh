# A feed over 1 MB that podpub did not write: 700 items with about 1.5 KB
# of notes each. The advice names the feed's items, not podpub's
# feed_limit: field.
set -e
notes="Deze aflevering gaat over de weg terug: wie helpt, wie luistert, en wat er nodig is om weer verder te kunnen."
notes="$notes $notes $notes $notes $notes $notes $notes $notes $notes $notes $notes $notes $notes"
{
    cat <<'HEAD'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Feed Test</title>
    <link>https://example.org/</link>
    <description>A large hand-written feed.</description>
    <language>nl</language>
    <itunes:author>Tester</itunes:author>
    <itunes:owner>
      <itunes:name>Tester</itunes:name>
      <itunes:email>test@example.org</itunes:email>
    </itunes:owner>
    <itunes:image href="https://example.org/cover.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
HEAD
    i=1
    while [ $i -le 700 ]; do
        printf '    <item>\n      <title>Aflevering %d</title>\n      <guid isPermaLink="false">urn:test:%d</guid>\n      <pubDate>Wed, 01 Jan 2025 06:00:00 +0100</pubDate>\n      <enclosure url="https://example.org/%d.mp3" length="20000000" type="audio/mpeg"/>\n      <itunes:duration>1800</itunes:duration>\n      <description>%s</description>\n    </item>\n' $i $i $i "$notes"
        i=$((i + 1))
    done
    printf '  </channel>\n</rss>\n'
} > feed.xml
