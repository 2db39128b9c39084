#!/usr/bin/env node
// bench/scale's peer: the npm `podcast` package (pinned in
// bench/package-lock.json) writes an RSS feed of the episodes that
// bench/lib/scale_bench.py exported as JSON. See bench/SCALE.md.
//
//   node scale_podcast.js IN.json OUT.xml RUNS
//
// Loading and parsing the JSON is not timed. Each run times, in-process
// with process.hrtime: a new Podcast with the show's options, addItem for
// every episode, buildXml() and writeFileSync of the result; the same
// steps podpub takes after it has the episodes in memory. Prints one JSON
// object: {"runs_ms": [...], "median_ms": M, "bytes": N, "items": K}.
"use strict";
const fs = require("fs");
const { Podcast } = require("podcast");

function main() {
    const [inPath, outPath, runsArg] = process.argv.slice(2);
    if (!inPath || !outPath) {
        console.error("usage: node scale_podcast.js IN.json OUT.xml [RUNS]");
        process.exit(2);
    }
    const runs = Math.max(1, parseInt(runsArg || "1", 10));
    const data = JSON.parse(fs.readFileSync(inPath, "utf8"));
    const show = data.show;
    const generator = "podcast (npm) " + require("podcast/package.json").version;
    const times = [];
    let bytes = 0;

    for (let r = 0; r < runs; r++) {
        const t0 = process.hrtime.bigint();
        const feed = new Podcast({
            title: show.title,
            description: show.description,
            feedUrl: show.feed_url,
            siteUrl: show.link,
            imageUrl: show.image_url,
            author: show.author,
            copyright: show.copyright,
            language: show.language,
            pubDate: show.last_date,
            generator,
            itunesAuthor: show.author,
            itunesOwner: { name: show.owner_name, email: show.owner_email },
            itunesExplicit: show.explicit,
            itunesCategory: show.categories.map((c) => {
                const [text, sub] = c.split("/");
                return sub ? { text, subcats: [{ text: sub }] } : { text };
            }),
            itunesImage: show.image_url,
            itunesType: show.type,
        });
        for (const e of data.episodes) {
            const item = {
                title: e.title,
                itunesTitle: e.title,
                description: e.description_html,
                content: e.description_html,
                url: e.link,
                guid: e.guid,
                date: e.date,
                enclosure: { url: e.enclosure.url, size: e.enclosure.length,
                             type: e.enclosure.type },
                itunesDuration: e.duration,
                itunesEpisodeType: e.type,
                itunesExplicit: e.explicit,
                itunesSubtitle: e.summary,
                itunesSummary: e.description_text,
            };
            if (e.season) item.itunesSeason = e.season;
            if (e.episode) item.itunesEpisode = e.episode;
            feed.addItem(item);
        }
        const xml = feed.buildXml({ indent: "  " });
        fs.writeFileSync(outPath, xml);
        const t1 = process.hrtime.bigint();
        times.push(Number(t1 - t0) / 1e6);
        bytes = Buffer.byteLength(xml);
    }
    const sorted = [...times].sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({
        runs_ms: times.map((t) => Math.round(t * 1000) / 1000),
        median_ms: sorted[Math.floor(sorted.length / 2)],
        bytes,
        items: data.episodes.length,
    }) + "\n");
}

main();
