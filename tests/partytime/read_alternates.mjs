// Reads a feed with podcast-partytime (pinned in package-lock.json) and
// prints, one JSON line per item, its guid, its enclosure and the
// podcast:alternateEnclosure entries partytime found: what an app using
// it would offer. Usage: node read_alternates.mjs FEED.xml
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parseFeed } = require("podcast-partytime");

const xml = readFileSync(process.argv[2], "utf8");
const feed = parseFeed(xml);
if (!feed) {
    console.error("partytime: not a feed");
    process.exit(1);
}
for (const item of feed.items) {
    console.log(JSON.stringify({
        guid: item.guid,
        enclosure: item.enclosure,
        alternates: (item.alternativeEnclosures || []).map((a) => ({
            type: a.type,
            length: a.length,
            bitrate: a.bitrate,
            title: a.title,
            uri: a.source.map((s) => s.uri),
            integrity: a.integrity,
        })),
    }));
}
