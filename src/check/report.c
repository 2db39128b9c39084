/*
 * The rule table and the findings: recording (with the ignore lists),
 * sorting, and printing for people and for machines.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/json.h"
#include "podpub/check.h"
#include "podpub/strbuf.h"

#define R PP_DIR_RSS
#define A PP_DIR_APPLE
#define S PP_DIR_SPOTIFY
#define P PP_DIR_PI
#define E RULE_ERROR
#define W RULE_WARNING

/*
 * One rule per line, wider than 80 columns on purpose: the table reads as
 * a table, and `podpub check --list-rules` prints it as one.
 */
const struct rule check_rules[] = {
    /* What podpub must read first: the show's files, or the feed. */
    { "input.invalid", E, 0, "the show's files are valid (podcast.yaml, the episode files, the files they name)" },
    { "input.unreadable", E, 0, "the files to check can be read (a feed given to --feed, the show)" },
    { "rss.feed.xml", E, R | A | S | P, "the feed is well-formed XML that can be read in linear time (no entity declarations)" },
    { "rss.feed.format", E, R | A | S | P, "the feed is RSS 2.0: an <rss> root with a <channel>" },
    { "rss.namespace.undeclared", E, R | A, "namespace prefixes are declared (xmlns:itunes=\"...\")" },
    { "rss.namespace.uri", E, R | A | P, "namespaces have their exact URIs (the itunes one is case-sensitive)" },
    /* The show. */
    { "rss.title.missing", E, R | A | S, "the show has a title" },
    { "rss.description.missing", E, R | A | S, "the show has a description" },
    { "apple.description.length", E, A, "descriptions are at most 4000 bytes (content:encoded has no limit)" },
    { "apple.language.code", E, A | S, "language is an ISO 639-1 code, with an optional region (nl, nl-BE)" },
    { "rss.link.missing", W, R | A, "the show has a website link" },
    { "spotify.author.missing", W, S | A, "the show names its author (itunes:author)" },
    { "apple.owner.name", W, A, "itunes:owner has a name" },
    { "spotify.owner.email", E, S, "itunes:owner has a valid e-mail address" },
    { "apple.explicit.value", E, A, "itunes:explicit is true or false" },
    { "apple.explicit.legacy", W, A, "itunes:explicit is not a retired value (yes, no, clean)" },
    { "apple.category.missing", E, A, "the show has at least one Apple category" },
    { "apple.category.unknown", E, A, "categories are on Apple's list, spelt exactly" },
    { "apple.category.legacy", E, A, "categories are not Apple's retired ones" },
    { "apple.type.value", E, A, "itunes:type is episodic or serial" },
    /* Artwork, the show's and the episodes'. */
    { "apple.image.missing", E, A | S, "the show has artwork" },
    { "apple.image.format", E, A, "artwork is JPEG or PNG" },
    { "apple.image.extension", E, A, "artwork's extension matches its content" },
    { "apple.image.size", E, A, "artwork is 1400 to 3000 pixels" },
    { "apple.image.square", E, A, "artwork is square" },
    { "apple.image.colour", E, A, "artwork is RGB (not CMYK or greyscale)" },
    { "spotify.image.bytes", W, S, "artwork files are at most 512 KB" },
    /* Episodes. */
    { "rss.item.title", E, R | A, "every episode has a title" },
    { "apple.title.spaces", W, A, "titles have no leading or trailing spaces" },
    { "apple.title.length", W, A, "titles are at most 255 characters" },
    { "rss.guid.missing", E, R | A | P, "every episode has a guid" },
    { "rss.guid.duplicate", E, R | A | P, "guids are unique" },
    { "rss.enclosure.missing", E, R | A | S, "every episode has an enclosure with url, length and type" },
    { "apple.enclosure.duplicate", E, A, "enclosure URLs are unique" },
    { "apple.enclosure.type", W, A, "enclosures are audio Apple plays (audio/mpeg, audio/x-m4a, audio/mp4)" },
    { "apple.enclosure.aac", W, A, "AAC enclosures are M4A files, not raw ADTS (.aac, audio/aac)" },
    { "rss.enclosure.length", E, R | S, "enclosure length is the size in bytes" },
    { "rss.enclosure.unknown", W, R | A | S, "enclosure length is known (0 means unknown to the RSS Profile)" },
    { "rss.enclosure.bitrate", E, R | S, "enclosure length can hold itunes:duration (at least 4 kbit/s)" },
    { "rss.enclosure.multiple", W, R | A, "an item has one enclosure (apps play only one)" },
    { "apple.enclosure.extension", W, A, "enclosure type matches the URL's extension (.m4a is audio/x-m4a)" },
    { "apple.duration.value", W, A, "itunes:duration is whole seconds or H:MM:SS" },
    { "apple.episode.serial", E, A, "every full episode of a serial show has an episode number" },
    { "apple.episode.number", E, A, "season and episode numbers are positive whole numbers" },
    { "apple.episode.duplicate", E, A, "episode numbers are unique within a season" },
    { "apple.episode.type", E, A, "itunes:episodeType is full, trailer or bonus" },
    { "rss.date.missing", E, R | A, "every episode has a pubDate" },
    { "rss.date.invalid", E, R | A, "pubDate is an RFC 2822 date" },
    { "rss.date.zone", W, R, "pubDate has a numeric zone offset (+0100), not a zone name" },
    { "rss.date.future", E, R | A, "no episode in the feed is dated in the future" },
    { "audio.loudness", W, A, "episodes are at the show's loudness (default: Apple's -16 LUFS, within 1 LU)" },
    { "audio.true_peak", W, A, "episodes' true peaks are at most the show's limit (default: Apple's -1 dBTP)" },
    /* URLs. */
    { "url.absolute", E, R | A, "URLs are absolute http(s) URLs" },
    { "url.https", W, A | P, "URLs use https" },
    { "apple.url.ascii", W, A, "media file names are ASCII (a-z, 0-9, -, _)" },
    { "url.base.slash", E, R, "base_url ends with /" },
    { "url.feed.location", W, R, "feed_url is under base_url" },
    { "apple.feed.moved", W, A, "the feed does not send apps to another feed (itunes:new-feed-url, moved_to:) unless the show is leaving" },
    /* Podcast Index. */
    { "pi.guid.format", E, P, "podcast:guid is a UUID" },
    { "pi.guid.mismatch", W, P, "podcast:guid is the UUIDv5 of the feed URL" },
    { "pi.funding.length", W, P, "podcast:funding text is at most 128 characters" },
    { "pi.locked.owner", W, P, "podcast:locked names its owner e-mail" },
    { "pi.chapters.order", E, P, "chapters start in order, inside the episode" },
    { "pi.transcript.type", E, P, "transcript types are text/vtt, application/x-subrip, application/json, text/html or text/plain" },
    { "pi.transcript.language", E, P, "transcript languages are ISO 639-1 codes (nl, nl-BE)" },
    { "pi.transcript.rel", E, P, "transcript rel is captions, on a timed transcript (WebVTT, SubRip, JSON)" },
    { "pi.person.name", E, P, "podcast:person has a name of at most 128 characters" },
    { "pi.person.role", W, P, "podcast:person role and group are from the namespace's taxonomy, the role one of its group" },
    { "pi.location.value", W, P, "podcast:location has a name (at most 128 characters), geo:LAT,LON, an OpenStreetMap osm, a two-letter country" },
    { "pi.license.value", W, P, "podcast:license is an SPDX identifier, or has a url" },
    { "pi.medium.value", E, P, "podcast:medium is one the namespace lists (podcast, music, video, ..., their L lists)" },
    { "pi.txt.length", E, P, "podcast:txt has text of at most 4000 characters, a purpose of at most 128" },
    { "pi.remote.guid", E, P, "podcast:remoteItem names a show by its feedGuid, a UUID" },
    { "pi.update.value", W, P, "podcast:updateFrequency has an RFC 5545 rrule, complete true or false, an ISO 8601 dtstart" },
    { "pi.block.value", E, P, "podcast:block is yes or no, its id a platform of the namespace's service slugs" },
    { "apple.block.value", W, A, "itunes:block and itunes:complete are Yes (Apple reads nothing else)" },
    { "pi.trailer.value", E, P, "podcast:trailer has a url, an RFC 2822 pubdate, a byte length and a title of at most 128 characters" },
    { "pi.soundbite.range", E, P, "soundbites start and end inside the audio" },
    { "pi.soundbite.length", W, P, "soundbites last 15 to 120 seconds, with titles of at most 128 characters" },
    { "pi.social.value", E, P, "podcast:socialInteract has a listed protocol, a uri, a whole-number priority" },
    { "pi.season.name", W, P, "podcast:season name is at most 128 characters" },
    { "pi.episode.display", W, P, "podcast:episode display is at most 32 characters" },
    { "pi.value.split", E, P, "value splits are whole numbers; someone not a fee has shares; fee percentages total under 100" },
    { "pi.value.recipient", E, P, "podcast:value has a type, a method and recipients, each with a type and an address of its shape (node: 66 hex digits, lnaddress: user@domain), fee true or false" },
    { "pi.value.timesplit", E, P, "valueTimeSplits lie inside the audio without overlapping, with a remoteItem (feedGuid a UUID) or recipients, remotePercentage 0 to 100" },
    { "pi.images.value", E, P, "podcast:image has an href, whole-number width and height, a purpose of at most 128 characters" },
    { "pi.images.size", E, P, "podcast:image width, height and type match the image file" },
    /* The feed as a whole. */
    { "rss.feed.size", W, R | A, "the feed is at most 1 MB (apps time out on large feeds)" },
    /* Online (check --online). */
    { "online.unreachable", E, R | A | S, "every URL answers" },
    { "online.status", E, R | A | S, "every URL answers 200 (206 for ranges)" },
    { "online.redirects", E, A, "at most 5 redirects" },
    { "online.length", E, R | A | S, "Content-Length equals the local byte size" },
    { "online.ranges", E, A, "media servers accept byte ranges (Accept-Ranges and 206)" },
    { "online.type", E, A, "Content-Type matches the enclosure type" },
    { "online.guid", E, P, "the live feed at feed_url has the same podcast:guid" },
    { "online.moved", W, A | P, "the old feed URL (moved_from) redirects permanently (301) to feed_url" },
};
const size_t check_rules_nr = ARRAY_SIZE(check_rules);

#undef R
#undef A
#undef S
#undef P
#undef E
#undef W

const struct rule *rule_find(const char *id)
{
    for (size_t i = 0; i < check_rules_nr; i++)
        if (!strcmp(check_rules[i].id, id))
            return &check_rules[i];
    return NULL;
}

/* True when 'id' is named in 'list' exactly or by a "prefix.*" entry. */
static bool listed(const char *id, char *const *list, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        size_t n = strlen(list[i]);

        if (!strcmp(list[i], id) ||
            (n > 2 && !strcmp(list[i] + n - 2, ".*") &&
             !strncmp(list[i], id, n - 1)))
            return true;
    }
    return false;
}

/* The longest message or URL a finding keeps, in bytes. */
#define FINDING_MAX 2048

void report_add(struct check_report *r, const char *id,
                const struct srcpos *pos, const char *url,
                const char *fmt, ...)
{
    const struct rule *rule = rule_find(id);
    struct finding *f;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    if (!rule)
        die("unknown rule '%s'", id);
    if (listed(id, r->ignore, r->ignore_nr))
        return;
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    ALLOC_GROW(r->items, r->nr + 1, r->alloc);
    f = &r->items[r->nr++];
    memset(f, 0, sizeof(*f));
    f->rule = rule;
    f->severity = r->strict ? RULE_ERROR : rule->severity;
    if (pos && pos->file) {
        f->file = xstrdup(pos->file);
        f->line = pos->line;
        f->col = pos->col;
    }
    f->url = url ? printable(url, FINDING_MAX) : NULL;
    /*
     * A message may quote a URL or value from someone else's feed: one
     * line, no control characters, bounded however long the value.
     */
    f->message = printable_n(sb.buf, sb.len, FINDING_MAX);
    strbuf_release(&sb);
}

size_t report_count(const struct check_report *r, enum rule_severity sev)
{
    size_t n = 0;

    for (size_t i = 0; i < r->nr; i++)
        n += r->items[i].severity == sev;
    return n;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    int c;

    /* Findings without a file (the feed as a whole, URLs) come last. */
    if (!x->file != !y->file)
        return x->file ? -1 : 1;
    if (x->file && (c = strcmp(x->file, y->file)))
        return c;
    if (x->line != y->line)
        return x->line - y->line;
    if (x->col != y->col)
        return x->col - y->col;
    if ((c = strcmp(x->rule->id, y->rule->id)))
        return c;
    /* Findings may come from threads in any order: sort them whole. */
    return strcmp(x->message, y->message);
}

static const char *const dir_names[] = { "rss", "apple", "spotify",
                                         "podcastindex" };

/* The directories of 'dirs', "rss,apple". */
static void dirs_text(struct strbuf *sb, unsigned dirs)
{
    for (size_t i = 0; i < ARRAY_SIZE(dir_names); i++)
        if (dirs & (1u << i))
            strbuf_addf(sb, "%s%s", sb->len ? "," : "", dir_names[i]);
}

static void dirs_json(struct json *j, unsigned dirs)
{
    json_array(j);
    for (size_t i = 0; i < ARRAY_SIZE(dir_names); i++)
        if (dirs & (1u << i))
            json_str(j, dir_names[i]);
    json_end(j);
}

static void finding_json(struct json *j, const struct finding *f)
{
    json_object(j);
    json_kv_str(j, "id", f->rule->id);
    json_kv_str(j, "severity", f->severity == RULE_ERROR ? "error"
                                                         : "warning");
    json_key(j, "directories");
    dirs_json(j, f->rule->dirs);
    json_kv_str(j, "message", f->message);
    if (f->file) {
        json_kv_str(j, "file", f->file);
        json_kv_int(j, "line", f->line);
        json_kv_int(j, "column", f->col);
    }
    if (f->url)
        json_kv_str(j, "url", f->url);
    json_end(j);
}

static void finding_text(struct strbuf *sb, const struct finding *f,
                         bool colour)
{
    bool err = f->severity == RULE_ERROR;

    if (f->file && f->line > 0)
        strbuf_addf(sb, "%s:%d:%d: ", f->file, f->line,
                    f->col > 0 ? f->col : 1);
    else if (f->file)
        strbuf_addf(sb, "%s: ", f->file);
    else if (f->url)
        strbuf_addf(sb, "%s: ", f->url);
    else
        strbuf_addstr(sb, "podpub: ");
    if (colour)
        strbuf_addstr(sb, err ? "\033[1;31m" : "\033[1;33m");
    strbuf_addstr(sb, err ? "error" : "warning");
    if (colour)
        strbuf_addstr(sb, "\033[0m");
    strbuf_addf(sb, ": %s [%s]\n", f->message, f->rule->id);
}

void report_print(const struct check_report *r, FILE *out, bool json,
                  bool colour, bool only_errors)
{
    struct finding *sorted = xcalloc(r->nr + 1, sizeof(*sorted));
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    if (r->nr) {
        memcpy(sorted, r->items, r->nr * sizeof(*sorted));
        qsort(sorted, r->nr, sizeof(*sorted), cmp_finding);
    }
    json_init(&j, &sb);
    if (json)
        json_array_lines(&j, 1);
    for (size_t i = 0; i < r->nr; i++) {
        if (only_errors && sorted[i].severity != RULE_ERROR)
            continue;
        if (json)
            finding_json(&j, &sorted[i]);
        else
            finding_text(&sb, &sorted[i], colour);
    }
    if (json) {
        json_end(&j);
        strbuf_addch(&sb, '\n');
    }
    fputs(sb.buf, out);
    strbuf_release(&sb);
    free(sorted);
}

void report_ignore(struct check_report *r, const char *const *ids,
                   size_t nr)
{
    ALLOC_GROW(r->ignore, r->ignore_nr + nr, r->ignore_alloc);
    for (size_t i = 0; i < nr; i++)
        r->ignore[r->ignore_nr++] = xstrdup(ids[i]);
}

void report_release(struct check_report *r)
{
    for (size_t i = 0; i < r->nr; i++) {
        free(r->items[i].file);
        free(r->items[i].message);
        free(r->items[i].url);
    }
    free(r->items);
    r->items = NULL;
    r->nr = r->alloc = 0;
    for (size_t i = 0; i < r->ignore_nr; i++)
        free(r->ignore[i]);
    free(r->ignore);
    r->ignore = NULL;
    r->ignore_nr = r->ignore_alloc = 0;
}

void rules_print(FILE *out, bool json)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    if (json)
        json_array_lines(&j, 1);
    else
        strbuf_addf(&sb, "%-28s %-8s %-30s %s\n", "rule", "severity",
                    "directories", "what it asks");
    for (size_t i = 0; i < check_rules_nr; i++) {
        const struct rule *r = &check_rules[i];
        const char *sev = r->severity == RULE_ERROR ? "error" : "warning";

        if (json) {
            json_object(&j);
            json_kv_str(&j, "id", r->id);
            json_kv_str(&j, "severity", sev);
            json_key(&j, "directories");
            dirs_json(&j, r->dirs);
            json_kv_str(&j, "summary", r->summary);
            json_end(&j);
        } else {
            struct strbuf d = STRBUF_INIT;

            dirs_text(&d, r->dirs);
            strbuf_addf(&sb, "%-28s %-8s %-30s %s\n", r->id, sev,
                        d.len ? d.buf : "-", r->summary);
            strbuf_release(&d);
        }
    }
    if (json) {
        json_end(&j);
        strbuf_addch(&sb, '\n');
    }
    fputs(sb.buf, out);
    strbuf_release(&sb);
}
