/*
 * The rules themselves. Each looks at the show as it goes into the feed
 * (metadata plus what the probe measured) and reports at the line of the
 * file that set the value, so a producer fixes podcast.yaml or the
 * episode file, never the generated feed.
 */
#include <ctype.h>
#include <stdint.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podpub/check.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

/* Values quoted in findings come from any feed: cut and escaped. */
#define QUOTE_MAX 80

#define APPLE_TEXT_MAX 4000
#define APPLE_TITLE_MAX 255
#define PI_TEXT_MAX 128
#define FEED_SIZE_WARN (1024 * 1024)

struct ctx {
    struct check_report *r;
    const struct show *show;
    struct srcpos show_pos;     /* the show file, line 1 */
};

/* The position of 't', or 'fallback' when it was not written. */
static const struct srcpos *at(const struct text *t,
                               const struct srcpos *fallback)
{
    return t->s && t->pos.file ? &t->pos : fallback;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* ISO 639-1 language, optionally "-" and a region: nl, nl-BE, en-us. */
static bool language_ok(const char *l)
{
    size_t n = strlen(l);

    if (n < 2 || !islower((unsigned char)l[0]) ||
        !islower((unsigned char)l[1]))
        return false;
    if (n == 2)
        return true;
    if (l[2] != '-' || n < 5 || n > 6)
        return false;
    for (size_t i = 3; i < n; i++)
        if (!isalpha((unsigned char)l[i]))
            return false;
    return true;
}

static void check_language(struct ctx *c)
{
    const struct text *l = &c->show->language;

    if (!l->s) {
        report_add(c->r, "apple.language.code", &c->show_pos, NULL,
                   "the show has no language");
    } else if (!language_ok(l->s)) {
        char *fix = xstrdup(l->s);
        /* "en_US" -> "en-US", "NL" -> "nl": the likely intent. */
        for (size_t i = 0; fix[i]; i++) {
            if (fix[i] == '_')
                fix[i] = '-';
            else if (i < 2 && fix[i] >= 'A' && fix[i] <= 'Z')
                fix[i] = (char)(fix[i] - 'A' + 'a');
        }
        char *shown = printable(l->s, QUOTE_MAX);

        if (language_ok(fix))
            report_add(c->r, "apple.language.code", &l->pos, NULL,
                       "\"%s\" is not a language code (did you mean \"%s\"?)",
                       shown, fix);
        else
            report_add(c->r, "apple.language.code", &l->pos, NULL,
                       "\"%s\" is not an ISO 639-1 language code (want nl, "
                       "en or nl-BE)", shown);
        free(shown);
        free(fix);
    }
}

static void check_categories(struct ctx *c)
{
    const struct show *s = c->show;

    if (!s->categories_nr)
        report_add(c->r, "apple.category.missing", &c->show_pos, NULL,
                   "the show has no category (Apple requires one)");
    for (size_t i = 0; i < s->categories_nr; i++) {
        const struct category *cat = &s->categories[i];
        char *suggestion, *full, *joined = cat->sub ?
            xstrfmt("%s/%s", cat->name, cat->sub) : xstrdup(cat->name);
        bool retired;

        if (apple_category_valid(cat->name, cat->sub, &suggestion)) {
            free(joined);
            continue;
        }
        retired = apple_category_retired(joined);
        full = printable(joined, QUOTE_MAX);
        free(joined);
        if (retired)
            report_add(c->r, "apple.category.legacy", &cat->pos, NULL,
                       "\"%s\" is a retired Apple category; use \"%s\"",
                       full, suggestion);
        else if (suggestion)
            report_add(c->r, "apple.category.unknown", &cat->pos, NULL,
                       "\"%s\" is not an Apple Podcasts category (did you "
                       "mean \"%s\"?)", full, suggestion);
        else
            report_add(c->r, "apple.category.unknown", &cat->pos, NULL,
                       "\"%s\" is not an Apple Podcasts category", full);
        free(suggestion);
        free(full);
    }
}

static void check_explicit(struct ctx *c, const struct text *raw,
                           const struct srcpos *fallback)
{
    static const char *const legacy[] = { "yes", "no", "clean", "explicit" };
    char *shown;

    if (!raw->s) {
        if (c->show->from_feed && raw == &c->show->raw_explicit)
            report_add(c->r, "apple.explicit.value", fallback, NULL,
                       "the show has no itunes:explicit (want true or "
                       "false)");
        return;
    }
    if (!strcmp(raw->s, "true") || !strcmp(raw->s, "false"))
        return;
    for (size_t i = 0; i < ARRAY_SIZE(legacy); i++)
        if (!strcasecmp(raw->s, legacy[i])) {
            report_add(c->r, "apple.explicit.legacy", &raw->pos, NULL,
                       "itunes:explicit \"%s\" is a retired value; use "
                       "\"%s\"", raw->s, i == 0 || i == 3 ? "true" :
                       "false");
            return;
        }
    shown = printable(raw->s, 40);
    report_add(c->r, "apple.explicit.value", &raw->pos, NULL,
               "itunes:explicit \"%s\" is not true or false", shown);
    free(shown);
}

/* Artwork rules for a local image file named by 'field'. */
static void check_image_file(struct ctx *c, const char *path,
                             const struct text *field)
{
    struct image_info img;
    struct strbuf msg = STRBUF_INIT;

    if (probe_image(path, &img, &msg) < 0) {
        report_add(c->r, "apple.image.format", &field->pos, NULL, "%s",
                   msg.buf);
        strbuf_release(&msg);
        return;
    }
    if (!img.format) {
        report_add(c->r, "apple.image.format", &field->pos, NULL,
                   "%s: content is %s; artwork must be JPEG or PNG", path,
                   img.content);
        return;
    }
    if (!img.extension_ok)
        report_add(c->r, "apple.image.extension", &field->pos, NULL,
                   "%s: content is %s but the name does not end in %s",
                   path, img.content, !strcmp(img.format, "png") ? ".png" :
                   ".jpg");
    if (img.width < 1400 || img.height < 1400 || img.width > 3000 ||
        img.height > 3000)
        report_add(c->r, "apple.image.size", &field->pos, NULL,
                   "%s: %dx%d pixels; Apple wants 1400x1400 to 3000x3000",
                   path, img.width, img.height);
    if (img.width != img.height)
        report_add(c->r, "apple.image.square", &field->pos, NULL,
                   "%s: %dx%d is not square", path, img.width, img.height);
    if (strcmp(img.colour, "rgb"))
        report_add(c->r, "apple.image.colour", &field->pos, NULL,
                   "%s: colour is %s; Apple wants RGB", path, img.colour);
    if (img.size > 512 * 1024)
        report_add(c->r, "spotify.image.bytes", &field->pos, NULL,
                   "%s: %" PRIu64 " KB; keep artwork under 512 KB", path,
                   img.size / 1024);
}

/* An absolute http(s) URL; https or a warning. */
static void check_url_value(struct ctx *c, const char *url,
                            const struct srcpos *pos, const char *what)
{
    if (!starts_with(url, "https://") && !starts_with(url, "http://")) {
        report_add(c->r, "url.absolute", pos, url, "%s \"%.100s\" is not an "
                   "absolute http(s) URL", what, url);
        return;
    }
    if (starts_with(url, "http://"))
        report_add(c->r, "url.https", pos, url, "%s uses http; use https",
                   what);
}

/* The file name at the end of 'url' is ASCII letters, digits, - _ . */
static void check_ascii_name(struct ctx *c, const char *name,
                             const struct srcpos *pos, const char *url)
{
    const char *base = strrchr(name, '/');
    const char *ext;
    char *stem, *slug, *shown;

    base = base ? base + 1 : name;
    if (strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789-_.") == strlen(base))
        return;
    ext = strrchr(base, '.');
    stem = ext ? xstrndup(base, (size_t)(ext - base)) : xstrdup(base);
    slug = slugify(stem, 60);
    shown = printable(base, QUOTE_MAX);
    report_add(c->r, "apple.url.ascii", pos, url, "file name \"%s\" is not "
               "plain ASCII; Apple asks for a-z, 0-9, - and _ (e.g. "
               "\"%s%s\")", shown, slug, ext ? ext : "");
    free(shown);
    free(stem);
    free(slug);
}

static void check_show_fields(struct ctx *c)
{
    const struct show *s = c->show;
    const struct srcpos *sp = &c->show_pos;

    if (!s->title.s)
        report_add(c->r, "rss.title.missing", sp, NULL, "the show has no "
                   "title");
    if (!s->description.s)
        report_add(c->r, "rss.description.missing", sp, NULL, "the show has "
                   "no description");
    else if (strlen(s->description.s) > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length", &s->description.pos,
                   NULL, "the description has %zu bytes; Apple allows %d",
                   strlen(s->description.s), APPLE_TEXT_MAX);
    check_language(c);
    if (!s->link.s)
        report_add(c->r, "rss.link.missing", sp, NULL, "the show has no "
                   "website link");
    if (!s->author.s)
        report_add(c->r, "spotify.author.missing", sp, NULL, "the show has "
                   "no author (Spotify needs itunes:author)");
    if (!s->owner_name.s)
        report_add(c->r, "apple.owner.name", at(&s->owner_email, sp), NULL,
                   "itunes:owner has no name");
    if (!s->owner_email.s)
        report_add(c->r, "spotify.owner.email", sp, NULL, "the show has no "
                   "owner e-mail (Spotify requires one)");
    else if (!email_valid(s->owner_email.s))
        report_add(c->r, "spotify.owner.email", &s->owner_email.pos, NULL,
                   "\"%.80s\" is not an e-mail address", s->owner_email.s);
    check_explicit(c, &s->raw_explicit, sp);
    if (s->raw_type.s && strcmp(s->raw_type.s, "episodic") &&
        strcmp(s->raw_type.s, "serial"))
        report_add(c->r, "apple.type.value", &s->raw_type.pos, NULL,
                   "itunes:type \"%.40s\" is not episodic or serial",
                   s->raw_type.s);
    check_categories(c);
    if (!s->image.s && !s->image_url)
        report_add(c->r, "apple.image.missing", sp, NULL, "the show has no "
                   "artwork (image:); Apple and Spotify require it");
    else if (s->image_path)
        check_image_file(c, s->image_path, &s->image);
    /* URLs */
    if (s->base_url.s) {
        if (!ends_with(s->base_url.s, "/"))
            report_add(c->r, "url.base.slash", &s->base_url.pos, NULL,
                       "base_url must end with '/' (the folder public/ is "
                       "served from)");
        check_url_value(c, s->base_url.s, &s->base_url.pos, "base_url");
        if (s->feed_url.s && !starts_with(s->feed_url.s, s->base_url.s))
            report_add(c->r, "url.feed.location", &s->feed_url.pos, NULL,
                       "feed_url is not under base_url: the published "
                       "feed.xml will not be at that address");
    } else if (s->feed_url.s) {
        check_url_value(c, s->feed_url.s, &s->feed_url.pos, "the feed URL");
    }
    if (s->link.s && s->link.pos.file)
        check_url_value(c, s->link.s, &s->link.pos, "link");
    if (!s->image_path && s->image_url)
        check_url_value(c, s->image_url, at(&s->image, sp), "itunes:image");
    if (s->image.s)
        check_ascii_name(c, s->image.s, &s->image.pos, s->image_url);
    /* Podcast Index */
    if (s->guid.s) {
        char want[UUID_STR_LEN];

        if (!uuid_valid(s->guid.s)) {
            report_add(c->r, "pi.guid.format", &s->guid.pos, NULL,
                       "podcast:guid \"%.60s\" is not a UUID", s->guid.s);
        } else if (s->feed_url.s) {
            podcast_guid_for_url(s->feed_url.s, want);
            if (strcasecmp(want, s->guid.s))
                report_add(c->r, "pi.guid.mismatch", &s->guid.pos, NULL,
                           "podcast:guid is not the UUIDv5 of the feed URL "
                           "(%s); keep it only if the show moved here from "
                           "another URL", want);
        }
    }
    if (s->funding_text.s && utf8_chars(s->funding_text.s) > PI_TEXT_MAX)
        report_add(c->r, "pi.funding.length", &s->funding_text.pos, NULL,
                   "podcast:funding text has %zu characters; at most %d",
                   utf8_chars(s->funding_text.s), PI_TEXT_MAX);
    if (s->locked.set && s->locked.v &&
        !(s->from_feed ? s->locked_owner.s : s->owner_email.s))
        report_add(c->r, "pi.locked.owner", &s->locked.pos, NULL,
                   "podcast:locked has no owner e-mail to unlock it with");
}

/* What Apple and Spotify do with audio that is not MP3 or AAC. */
static const char *unplayable(const char *type)
{
    if (!strcmp(type, "audio/opus"))
        return "Apple Podcasts and Spotify do not play Opus";
    if (!strcmp(type, "audio/ogg"))
        return "Apple Podcasts and Spotify do not play Ogg Vorbis";
    if (!strcmp(type, "audio/flac"))
        return "Apple Podcasts and Spotify do not play FLAC";
    if (!strcmp(type, "audio/wav"))
        return "Apple Podcasts does not list WAV, and it is ten times the "
               "size of MP3";
    return "Apple Podcasts plays only audio/mpeg and audio/x-m4a (or "
           "audio/mp4)";
}

static bool number_ok(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s) && strtoll(s, NULL, 10) > 0;
}

/*
 * The episode's measured loudness against the show's "loudness:" goal
 * (Apple's -16 LUFS and -1 dBTP unless set; nothing with "off").
 */
static void check_loudness(struct ctx *c, const struct episode *ep,
                           const struct srcpos *pos)
{
    const struct loudness_goal *g = &c->show->loudness;
    const struct media_facts *m = &ep->media;

    if (g->off || !m->loud)
        return;
    if (isinf(m->lufs))
        report_add(c->r, "audio.loudness", pos, NULL, "%s is silent (no "
                   "sound above -70 LUFS)", ep->audio_path);
    else if (fabs(m->lufs - g->target) > g->tolerance)
        report_add(c->r, "audio.loudness", pos, NULL, "%s measures %.1f "
                   "LUFS (range %.1f LU), %.1f LU %s the target %.1f LUFS "
                   "(give or take %.1f): podpub normalize %s", ep->audio_path,
                   m->lufs, m->lra, fabs(m->lufs - g->target),
                   m->lufs < g->target ? "under" : "over", g->target,
                   g->tolerance, ep->path);
    if (m->true_peak > g->true_peak)
        report_add(c->r, "audio.true_peak", pos, NULL, "%s peaks at %.1f "
                   "dBTP, over the limit of %.1f dBTP (players may clip it)",
                   ep->audio_path, m->true_peak, g->true_peak);
}

static void check_episode(struct ctx *c, const struct episode *ep,
                          int64_t now)
{
    struct srcpos ep_pos = { ep->path, ep->item_line ? ep->item_line : 1, 1 };
    const char *type = ep->media.mime ? ep->media.mime : ep->enclosure_type;
    const char *ttype = ep->raw_transcript_type.s ?
                        ep->raw_transcript_type.s : ep->transcript_type;
    const char *desc = ep->description.s ? ep->description.s :
                       ep->notes.html;

    if (!ep->title.s) {
        report_add(c->r, "rss.item.title", &ep_pos, NULL, "the episode has "
                   "no title");
    } else {
        size_t n = strlen(ep->title.s);

        if (n && (isspace((unsigned char)ep->title.s[0]) ||
                  isspace((unsigned char)ep->title.s[n - 1])))
            report_add(c->r, "apple.title.spaces", &ep->title.pos, NULL,
                       "the title starts or ends with white space");
        if (utf8_chars(ep->title.s) > APPLE_TITLE_MAX)
            report_add(c->r, "apple.title.length", &ep->title.pos, NULL,
                       "the title has %zu characters; Apple shows %d",
                       utf8_chars(ep->title.s), APPLE_TITLE_MAX);
    }
    if (!ep->guid.s)
        report_add(c->r, "rss.guid.missing", &ep_pos, NULL, "the episode has "
                   "no guid; apps would take its URL as its identity");
    if (desc && strlen(desc) > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length",
                   ep->description.s ? &ep->description.pos : &ep_pos, NULL,
                   "the show notes have %zu bytes; Apple allows %d",
                   strlen(desc), APPLE_TEXT_MAX);
    if (!ep->enclosure_url || !type) {
        report_add(c->r, "rss.enclosure.missing", &ep_pos, NULL, "the "
                   "episode has no enclosure (url, length, type)");
    } else {
        if (!strcmp(type, "audio/aac"))
            report_add(c->r, "apple.enclosure.aac", at(&ep->audio, &ep_pos),
                       NULL, "%s: Apple Podcasts wants AAC in an M4A file; "
                       "remux it without re-encoding (ffmpeg -i in.aac -c "
                       "copy out.m4a)", type);
        else if (strcmp(type, "audio/mpeg") && strcmp(type, "audio/x-m4a") &&
                 strcmp(type, "audio/mp4") && !starts_with(type, "video/"))
            report_add(c->r, "apple.enclosure.type", at(&ep->audio, &ep_pos),
                       NULL, "%s: %s", type, unplayable(type));
        if (ep->raw_length.s && !*ep->raw_length.s)
            report_add(c->r, "rss.enclosure.length", &ep->raw_length.pos,
                       NULL, "the enclosure has no length (want its size in "
                       "bytes)");
        else if (ep->raw_length.s && !number_ok(ep->raw_length.s))
            report_add(c->r, "rss.enclosure.length", &ep->raw_length.pos,
                       NULL, "enclosure length \"%.40s\" is not a size in "
                       "bytes", ep->raw_length.s);
        if (!ep->audio.s || !ep->audio.pos.file) {
            check_url_value(c, ep->enclosure_url, &ep_pos, "the enclosure");
            check_ascii_name(c, ep->enclosure_url, &ep_pos,
                             ep->enclosure_url);
        } else {
            check_ascii_name(c, ep->audio.s, &ep->audio.pos,
                             ep->enclosure_url);
        }
    }
    if (c->show->serial && ep->type == EPISODE_FULL && !ep->episode.set &&
        !ep->raw_episode.s)
        report_add(c->r, "apple.episode.serial", &ep_pos, NULL, "a serial "
                   "show numbers every full episode: add %s",
                   c->show->from_feed ? "<itunes:episode>" : "episode:");
    if (ep->raw_episode.s && !number_ok(ep->raw_episode.s))
        report_add(c->r, "apple.episode.number", &ep->raw_episode.pos, NULL,
                   "itunes:episode \"%.20s\" is not a positive whole number",
                   ep->raw_episode.s);
    if (ep->raw_season.s && !number_ok(ep->raw_season.s))
        report_add(c->r, "apple.episode.number", &ep->raw_season.pos, NULL,
                   "itunes:season \"%.20s\" is not a positive whole number",
                   ep->raw_season.s);
    if (ep->raw_type.s && strcmp(ep->raw_type.s, "full") &&
        strcmp(ep->raw_type.s, "trailer") && strcmp(ep->raw_type.s, "bonus"))
        report_add(c->r, "apple.episode.type", &ep->raw_type.pos, NULL,
                   "itunes:episodeType \"%.20s\" is not full, trailer or "
                   "bonus", ep->raw_type.s);
    check_explicit(c, &ep->raw_explicit, &ep_pos);
    if (c->show->from_feed) {
        if (!ep->raw_date.s)
            report_add(c->r, "rss.date.missing", &ep_pos, NULL, "the "
                       "episode has no pubDate");
        else if (ep->date_bad)
            report_add(c->r, "rss.date.invalid", &ep->raw_date.pos, NULL,
                       "pubDate \"%.60s\" is not an RFC 2822 date",
                       ep->raw_date.s);
        else if (ep->date_named_zone)
            report_add(c->r, "rss.date.zone", &ep->raw_date.pos, NULL,
                       "pubDate \"%.60s\" names its zone; parsers read "
                       "zone names differently: write an offset like +0100",
                       ep->raw_date.s);
    }
    if (ep->raw_date.s && ep->date.t > now)
        report_add(c->r, "rss.date.future", &ep->raw_date.pos, NULL,
                   "pubDate is in the future: apps sort it first, or hide "
                   "it");
    if (ttype && strcmp(ttype, "text/vtt") &&
        strcmp(ttype, "application/x-subrip") &&
        strcmp(ttype, "application/json") && strcmp(ttype, "application/srt") &&
        strcmp(ttype, "text/html") && strcmp(ttype, "text/plain"))
        report_add(c->r, "pi.transcript.type", at(&ep->transcript, &ep_pos),
                   NULL, "transcript type \"%.60s\" is not one the Podcast "
                   "Index lists", ttype);
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        const struct chapter *ch = &ep->chapters[i];

        if (i && ch->start_ms <= ep->chapters[i - 1].start_ms)
            report_add(c->r, "pi.chapters.order", &ch->pos, NULL,
                       "chapter %zu (\"%.40s\") does not start after the one "
                       "before it", i + 1, ch->title);
        else if (ep->media.probed && ch->start_ms >= ep->media.duration_ms)
            report_add(c->r, "pi.chapters.order", &ch->pos, NULL,
                       "chapter %zu (\"%.40s\") starts at %" PRId64 ".%03"
                       PRId64 " s, past the end of the audio (%" PRId64
                       ".%03" PRId64 " s)", i + 1, ch->title,
                       ch->start_ms / 1000, ch->start_ms % 1000,
                       ep->media.duration_ms / 1000,
                       ep->media.duration_ms % 1000);
    }
    if (ep->image_path)
        check_image_file(c, ep->image_path, &ep->image);
    check_loudness(c, ep, at(&ep->audio, &ep_pos));
}

/* How a finding names another episode: its file, or "item 3, line 40". */
static char *episode_ref(const struct episode *ep)
{
    return ep->item_line ? xstrfmt("%s, line %d", ep->name, ep->item_line)
                         : xstrdup(ep->path);
}

/*
 * GUIDs, enclosure URLs and numbers are unique across the episodes,
 * found by find_duplicates() in O(n log n).
 */
enum uniq_key { UNIQ_GUID, UNIQ_URL, UNIQ_NUMBER };

struct uniq_ctx {
    struct episode *const *eps;
    enum uniq_key kind;
};

static void uniq_key(const void *arg, size_t i, struct dup_key *k)
{
    const struct uniq_ctx *c = arg;
    const struct episode *ep = c->eps[i];

    switch (c->kind) {
    case UNIQ_GUID:
        k->s = ep->guid.s;
        k->set = ep->guid.s != NULL;
        break;
    case UNIQ_URL:
        k->s = ep->enclosure_url;
        k->set = ep->enclosure_url != NULL;
        break;
    default:
        k->a = ep->season.set ? ep->season.v : 0;
        k->b = ep->episode.v;
        k->set = ep->episode.set;
        break;
    }
}

static void check_unique(struct ctx *c, struct episode *const *eps,
                         size_t nr)
{
    size_t *dup[3];

    for (int k = 0; k < 3; k++) {
        struct uniq_ctx uc = { eps, (enum uniq_key)k };

        dup[k] = xcalloc(nr + 1, sizeof(*dup[k]));
        find_duplicates(nr, uniq_key, &uc, dup[k]);
    }
    for (size_t i = 0; i < nr; i++) {
        const struct episode *ep = eps[i];
        struct srcpos ep_pos = { ep->path, ep->item_line ? ep->item_line : 1,
                                 1 };
        char *ref;

        /* One finding per episode: its guid, else its URL, else its number. */
        if (dup[UNIQ_GUID][i] != SIZE_MAX) {
            ref = episode_ref(eps[dup[UNIQ_GUID][i]]);
            report_add(c->r, "rss.guid.duplicate", at(&ep->guid, &ep_pos),
                       NULL, "guid \"%.60s\" is also the guid of an "
                       "earlier episode (%s)", ep->guid.s, ref);
        } else if (dup[UNIQ_URL][i] != SIZE_MAX) {
            ref = episode_ref(eps[dup[UNIQ_URL][i]]);
            report_add(c->r, "apple.enclosure.duplicate",
                       ep->audio.pos.file ? &ep->audio.pos : &ep_pos, NULL,
                       "enclosure URL is also that of %s; Apple ignores the "
                       "second", ref);
        } else if (dup[UNIQ_NUMBER][i] != SIZE_MAX) {
            ref = episode_ref(eps[dup[UNIQ_NUMBER][i]]);
            report_add(c->r, "apple.episode.duplicate", &ep->episode.pos,
                       NULL, "episode %lld is also the number of %s in this "
                       "season", ep->episode.v, ref);
        } else {
            continue;
        }
        free(ref);
    }
    for (int k = 0; k < 3; k++)
        free(dup[k]);
}

void check_show(struct check_report *r, const struct show *show,
                struct episode *const *live, size_t nr, int64_t now,
                size_t feed_bytes, size_t feed_items)
{
    struct ctx c = { r, show, { show->path, 1, 1 } };

    r->ignore2 = (const char *const *)show->check_ignore;
    r->ignore2_nr = show->check_ignore_nr;
    check_show_fields(&c);
    for (size_t i = 0; i < nr; i++)
        check_episode(&c, live[i], now);
    check_unique(&c, live, nr);
    if (feed_bytes > FEED_SIZE_WARN) {
        const struct srcpos *pos = show->feed_limit ? &show->feed_limit_pos
                                                    : &c.show_pos;
        size_t fit = feed_items * FEED_SIZE_WARN / feed_bytes / 5 * 4;

        if (fit >= 1 && fit < feed_items)
            report_add(r, "rss.feed.size", pos, NULL, "the feed is %zu KB "
                       "with %zu episodes; apps time out on large feeds: set "
                       "feed_limit (e.g. feed_limit: %zu) to keep the newest",
                       feed_bytes / 1024, feed_items, fit);
        else
            report_add(r, "rss.feed.size", pos, NULL, "the feed is %zu KB "
                       "with %zu episode%s; apps time out on large feeds",
                       feed_bytes / 1024, feed_items,
                       feed_items == 1 ? "" : "s");
    }
}
