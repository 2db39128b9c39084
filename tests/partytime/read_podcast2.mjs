// Reads a feed with podcast-partytime (pinned in package-lock.json) and
// prints one JSON object: the channel's and each item's Podcast Index
// namespace fields as partytime understood them (persons, location,
// licence, medium, txt, funding, podroll, trailers, season names, episode
// display, soundbites, socialInteract, transcripts, chapters, value with
// its valueTimeSplits, the podcast:images srcset). Usage:
// PARTYTIME_LOG=silent node read_podcast2.mjs FEED.xml
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parseFeed } = require("podcast-partytime");

const feed = parseFeed(readFileSync(process.argv[2], "utf8"));
if (!feed) {
    console.error("partytime: not a feed");
    process.exit(1);
}
const pick = (o, keys) =>
    o ? Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) : null;
console.log(JSON.stringify({
    channel: {
        owner: feed.owner,
        itunesBlock: feed.itunesBlock,
        itunesComplete: feed.itunesComplete,
        podcastBlocked: feed.podcastBlocked,
        blocks: feed.podcastBlocked,
        persons: feed.podcastPeople,
        location: feed.podcastLocation,
        license: feed.license,
        medium: feed.medium,
        txt: feed.podcastTxt,
        funding: feed.podcastFunding,
        podroll: feed.podroll,
        trailers: feed.trailers,
        seasons: feed.podcastSeasons,
        pubsub: feed.pubsub,
        updateFrequency: feed.podcastUpdateFrequency ?? feed.updateFrequency,
        value: feed.value,
        images: feed.podcastImages,
    },
    items: feed.items.map((it) => ({
        guid: it.guid,
        title: it.title,
        persons: it.podcastPeople,
        location: it.podcastLocation,
        license: it.license,
        season: it.podcastSeason,
        episode: it.podcastEpisode,
        soundbites: it.podcastSoundbites,
        social: it.podcastSocialInteraction ?? it.socialInteraction,
        transcripts: it.podcastTranscripts,
        chapters: pick(it.podcastChapters, ["url", "type"]),
        txt: it.podcastTxt,
        itunesBlock: it.itunesBlock,
        value: it.value,
        images: it.podcastImages,
    })),
}));
