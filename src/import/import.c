/*
 * `podpub import`: the old feed, read by the one feed reader, becomes
 * feed/podcast.yaml and one episodes/NNN-slug.md per item.
 *
 * Listeners' apps know a show by its podcast:guid and its episodes by
 * their GUIDs, so those are copied exactly as the feed has them, and the
 * dates with their offsets. Everything else from the feed is someone
 * else's input: file names are made here (the number and the slug of the
 * title, never the GUID or a remote name), every URL written is an
 * absolute http(s) URL, text is written as quoted YAML, and what podpub
 * cannot represent is counted and listed, not silently dropped.
 *
 * A new show is made whole in a temporary folder next to the target and
 * renamed into place; an existing show gets new episode files one by one,
 * each written atomically, so an interrupted import leaves no show or a
 * show that the next run completes.
 */
#define _XOPEN_SOURCE 700   /* nftw(): removing our own leftover stage */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podpub/feed.h"
#include "podpub/feedread.h"
#include "podpub/import.h"
#include "podpub/init.h"
#include "podpub/media.h"
#include "podpub/net.h"
#include "podpub/pi.h"
#include "podpub/probe.h"
#include "podpub/uuid.h"
#include "podpub/yamltree.h"

/* Larger feeds are refused: 7,300 episodes with notes are ~16 MB. */
#define FEED_MAX_BYTES (64u << 20)
#define IMAGE_MAX_BYTES (16u << 20)
#define SIDE_MAX_BYTES (8u << 20)   /* a transcript or chapters file */
/* An enclosure larger than this is refused: hours of video stay below. */
#define MEDIA_MAX_BYTES ((uint64_t)8 << 30)
#define PLACEHOLDER_BASE "https://podcast.example.org/"

/* Channel and item elements podpub writes itself from what it keeps. */
static const char *const regenerated[] = {
    "generator", "lastBuildDate", "pubDate", "image", "docs", "ttl",
    "itunes:summary", "itunes:title", "podcast:season", "podcast:episode",
    NULL,
};

static void left_add(struct import_result *res, const char *what,
                     const char *example)
{
    struct import_left *l;

    for (size_t i = 0; i < res->left_nr; i++) {
        if (!strcmp(res->left[i].what, what)) {
            res->left[i].count++;
            return;
        }
    }
    ALLOC_GROW(res->left, res->left_nr + 1, res->left_alloc);
    l = &res->left[res->left_nr++];
    l->what = xstrdup(what);
    l->count = 1;
    l->example = example ? printable(example, 120) : NULL;
}

static bool is_regenerated(const char *name)
{
    for (size_t i = 0; regenerated[i]; i++)
        if (!strcmp(regenerated[i], name))
            return true;
    return false;
}

/* An absolute http(s) URL with a host and no white space. */
static bool web_url(const char *u)
{
    const char *rest = !u ? NULL : !strncasecmp(u, "https://", 8) ? u + 8 :
                       !strncasecmp(u, "http://", 7) ? u + 7 : NULL;

    return rest && *rest && *rest != '/' && !strpbrk(u, " \t\r\n\"<>");
}

/* Reads FEED (URL or path) into 'body'; '*url' is its web URL or NULL. */
static int read_feed(const struct import_opts *o, struct strbuf *body,
                     char **url)
{
    struct strbuf err = STRBUF_INIT;
    char *path = NULL;
    long status = 0;
    int ret;

    *url = NULL;
    if (!strncasecmp(o->feed, "http://", 7) ||
        !strncasecmp(o->feed, "https://", 8)) {
        if ((ret = http_get(o->feed, o->timeout_s, FEED_MAX_BYTES, body,
                            &status, &err)) < 0) {
            ret = errorf(PP_ERR_REMOTE, "%s", err.buf);
        } else if (status != 200) {
            ret = errorf(PP_ERR_REMOTE, "cannot fetch the feed '%s': HTTP "
                         "%ld", o->feed, status);
        } else {
            *url = xstrdup(o->feed);
        }
        strbuf_release(&err);
        return ret;
    }
    if (!strncasecmp(o->feed, "file:", 5)) {
        if (file_url_path(o->feed, &path, &err) < 0) {
            ret = errorf(PP_ERR_INPUT, "%s: %s", o->feed, err.buf);
            strbuf_release(&err);
            return ret;
        }
    } else if (strstr(o->feed, "://")) {
        return errorf(PP_ERR_USAGE, "'%s': podpub imports http(s):// and "
                      "file:// URLs and paths", o->feed);
    }
    ret = strbuf_read_file(body, path ? path : o->feed, FEED_MAX_BYTES);
    if (ret < 0)
        ret = errorf(PP_ERR_IO, "cannot read '%s': %s", path ? path : o->feed,
                     errno ? strerror(errno) : "too large");
    free(path);
    strbuf_release(&err);
    return ret < 0 ? ret : 0;
}

/*
 * GETs the small file 'url' (at most 'limit' bytes) into 'body'. Returns
 * 0, or PP_ERR_REMOTE after recording why in res->left under 'what'; a
 * failed request (not a URL refused unasked) makes the import exit 3.
 */
static int fetch_side(const struct import_opts *o, struct import_result *res,
                      const char *url, size_t limit, const char *what,
                      struct strbuf *body)
{
    struct strbuf err = STRBUF_INIT;
    long status = 0;
    int ret = 0;

    if (!web_url(url)) {
        left_add(res, what, url);
        return PP_ERR_REMOTE;
    }
    if (http_get(url, o->timeout_s, limit, body, &status, &err) < 0 ||
        status != 200) {
        left_add(res, what, url);
        res->remote_failed = true;
        ret = PP_ERR_REMOTE;
    }
    strbuf_release(&err);
    return ret;
}

/* "jpg" or "png" by the bytes themselves, else NULL. */
static const char *image_ext(const struct strbuf *img)
{
    if (img->len > 3 && !memcmp(img->buf, "\xff\xd8\xff", 3))
        return "jpg";
    if (img->len > 8 && !memcmp(img->buf, "\x89PNG\r\n\x1a\n", 8))
        return "png";
    return NULL;
}

/*
 * Downloads image 'url' to 'dir'/'base'.EXT (EXT from its content).
 * Returns the file name (the caller frees it) or NULL (listed).
 */
static char *fetch_image(const struct import_opts *o,
                         struct import_result *res, const char *url,
                         const char *dir, const char *base, const char *what)
{
    struct strbuf img = STRBUF_INIT;
    char *name = NULL, *path;
    const char *ext;

    if (fetch_side(o, res, url, IMAGE_MAX_BYTES, what, &img) == 0) {
        if (!(ext = image_ext(&img))) {
            left_add(res, what, url);
        } else {
            name = xstrfmt("%s.%s", base, ext);
            path = xstrfmt("%s/%s", dir, name);
            if (write_file_atomic(path, img.buf, img.len) < 0)
                FREE_AND_NULL(name);
            free(path);
        }
    }
    strbuf_release(&img);
    return name;
}

static void add_field(struct strbuf *y, const char *key, const char *value)
{
    if (!value)
        return;
    strbuf_addf(y, "%s: ", key);
    ytree_add_quoted(y, value);
    strbuf_addch(y, '\n');
}

/* "true"/"yes"/"explicit" and "false"/"no"/"clean", else NULL. */
static const char *explicit_value(const char *v)
{
    if (!v)
        return NULL;
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
        !strcasecmp(v, "explicit"))
        return "true";
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
        !strcasecmp(v, "clean"))
        return "false";
    return NULL;
}

static void add_categories(struct strbuf *y, const struct show *old,
                           struct import_result *res)
{
    bool any = false;

    for (size_t i = 0; i < old->categories_nr; i++) {
        const struct category *c = &old->categories[i];
        char *full = c->sub ? xstrfmt("%s/%s", c->name, c->sub)
                            : xstrdup(c->name);
        char *suggestion = NULL;

        if (!any)
            strbuf_addstr(y, "categories:\n");
        any = true;
        if (apple_category_valid(c->name, c->sub, &suggestion)) {
            strbuf_addstr(y, "  - ");
            ytree_add_quoted(y, full);
            strbuf_addch(y, '\n');
        } else if (suggestion) {
            char *shown = printable(full, 80);

            strbuf_addstr(y, "  - ");
            ytree_add_quoted(y, suggestion);
            strbuf_addf(y, "   # the old feed: \"%s\"%s\n", shown,
                        apple_category_retired(full) ?
                        ", retired by Apple" : "");
            free(shown);
        } else {
            left_add(res, "itunes:category not on Apple's list", full);
        }
        free(suggestion);
        free(full);
    }
    if (!any)
        left_add(res, "no itunes:category (podpub's default written)", NULL);
    if (!any)
        strbuf_addstr(y, "categories: [\"Society & Culture\"]\n");
}

/* One namespace record as a YAML flow mapping: {key: "value", ...}. */
static void pi_rec_yaml(struct strbuf *y, const struct pi_kind *k,
                        const void *rec)
{
    bool first = true;

    strbuf_addch(y, '{');
    for (size_t i = 0; i < k->fields_nr; i++) {
        const struct text *t = pi_ctext(rec, &k->fields[i]);

        if (!t->s)
            continue;
        strbuf_addf(y, "%s%s: ", first ? "" : ", ", k->fields[i].key);
        ytree_add_quoted(y, t->s);
        first = false;
    }
    strbuf_addch(y, '}');
}

/* A list of namespace records under 'key', one flow mapping a line. */
static void pi_list_yaml(struct strbuf *y, const char *key,
                         const struct pi_kind *k, const void *recs, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        if (!i)
            strbuf_addf(y, "%s:\n", key);
        strbuf_addstr(y, "  - ");
        pi_rec_yaml(y, k, (const char *)recs + i * k->size);
        strbuf_addch(y, '\n');
    }
}

/* One record under 'key' when its member 'set' has a value. */
static void pi_one_yaml(struct strbuf *y, const char *key,
                        const struct pi_kind *k, const void *rec,
                        const struct text *set)
{
    if (!set->s)
        return;
    strbuf_addf(y, "%s: ", key);
    pi_rec_yaml(y, k, rec);
    strbuf_addch(y, '\n');
}

/* The members of 'rec' as block-mapping lines: "<indent>key: value". */
static void pi_fields_yaml(struct strbuf *y, const struct pi_kind *k,
                           const void *rec, const char *first,
                           const char *indent)
{
    for (size_t i = 0; i < k->fields_nr; i++) {
        const struct text *t = pi_ctext(rec, &k->fields[i]);

        if (!t->s)
            continue;
        strbuf_addf(y, "%s%s: ", first, k->fields[i].key);
        ytree_add_quoted(y, t->s);
        strbuf_addch(y, '\n');
        first = indent;
    }
}

/* Recipients under 'indent' + "recipients:", one flow mapping a line. */
static void recipients_yaml(struct strbuf *y, const char *indent,
                            const struct pi_recipient *rc, size_t nr)
{
    if (!nr)
        return;
    strbuf_addf(y, "%srecipients:\n", indent);
    for (size_t i = 0; i < nr; i++) {
        strbuf_addf(y, "%s  - ", indent);
        pi_rec_yaml(y, &pi_recipient_kind, &rc[i]);
        strbuf_addch(y, '\n');
    }
}

/*
 * podcast:image records as "images:": those whose href is a web URL (the
 * file stays where it is); the others are listed.
 */
static void images_yaml(struct strbuf *y, const struct pi_image *im,
                        size_t nr, struct import_result *res)
{
    bool first = true;

    for (size_t i = 0; i < nr; i++) {
        if (!im[i].href.s || !web_url(im[i].href.s)) {
            left_add(res, "podcast:image without an http(s) href",
                     im[i].href.s ? im[i].href.s : im[i].alt.s);
            continue;
        }
        if (first)
            strbuf_addstr(y, "images:\n");
        first = false;
        strbuf_addstr(y, "  - ");
        pi_rec_yaml(y, &pi_image_kind, &im[i]);
        strbuf_addch(y, '\n');
    }
}

/*
 * A podcast:value block as "value:", and its time splits (an item's) as
 * "value_time_splits:".
 */
static void value_yaml(struct strbuf *y, const struct pi_value *v)
{
    if (!v->set)
        return;
    strbuf_addstr(y, "value:\n");
    pi_fields_yaml(y, &pi_value_kind, v, "  ", "  ");
    recipients_yaml(y, "  ", v->recipients, v->recipients_nr);
    for (size_t i = 0; i < v->timesplits_nr; i++) {
        const struct pi_timesplit *ts = &v->timesplits[i];

        if (!i)
            strbuf_addstr(y, "value_time_splits:\n");
        pi_fields_yaml(y, &pi_timesplit_kind, ts, "  - ", "    ");
        if (ts->remote.feed_guid.s || ts->remote.item_guid.s ||
            ts->remote.feed_url.s) {
            strbuf_addstr(y, "    remote_item: ");
            pi_rec_yaml(y, &pi_remote_kind, &ts->remote);
            strbuf_addch(y, '\n');
        }
        recipients_yaml(y, "    ", ts->recipients, ts->recipients_nr);
    }
}

/*
 * The show's Podcast Index tags as podcast.yaml says them; what has no
 * field (a feed's own podcast:trailer list) is listed.
 */
static void show_pi_yaml(struct strbuf *y, const struct pi_show *pi,
                         struct import_result *res)
{
    bool all = false;
    size_t ids = 0;

    pi_list_yaml(y, "persons", &pi_person_kind, pi->persons, pi->persons_nr);
    pi_one_yaml(y, "location", &pi_location_kind, &pi->location,
                &pi->location.name);
    pi_one_yaml(y, "license", &pi_license_kind, &pi->license,
                &pi->license.name);
    if (pi->medium.s)
        add_field(y, "medium", pi->medium.s);
    pi_list_yaml(y, "txt", &pi_txt_kind, pi->txts, pi->txts_nr);
    pi_list_yaml(y, "podroll", &pi_remote_kind, pi->podroll,
                 pi->podroll_nr);
    if (pi->update.rrule.s || pi->update.text.s)
        pi_one_yaml(y, "update_frequency", &pi_update_kind, &pi->update,
                    pi->update.rrule.s ? &pi->update.rrule
                                       : &pi->update.text);
    for (size_t i = 0; i < pi->blocks_nr; i++) {
        const struct pi_block *b = &pi->blocks[i];

        if (!b->value.s || strcasecmp(b->value.s, "yes"))
            continue;
        if (!b->id.s)
            all = true;
        else
            ids++;
    }
    if (pi->itunes_block.s && !strcasecmp(pi->itunes_block.s, "yes"))
        all = true;
    if (all) {
        strbuf_addstr(y, "block: true\n");
    } else if (ids) {
        strbuf_addstr(y, "block:\n");
        for (size_t i = 0; i < pi->blocks_nr; i++)
            if (pi->blocks[i].id.s && pi->blocks[i].value.s &&
                !strcasecmp(pi->blocks[i].value.s, "yes")) {
                strbuf_addstr(y, "  - ");
                ytree_add_quoted(y, pi->blocks[i].id.s);
                strbuf_addch(y, '\n');
            }
    }
    if (pi->complete.v)
        strbuf_addstr(y, "complete: true\n");
    if (pi->value.timesplits_nr)
        left_add(res, "podcast:valueTimeSplit of the channel (podpub has "
                 "them per episode)", pi->value.timesplits[0].start.s);
    else
        value_yaml(y, &pi->value);
    images_yaml(y, pi->images, pi->images_nr, res);
    if (pi->trailers_nr)
        left_add(res, "podcast:trailer (podpub writes its own from the "
                 "episodes of type: trailer)", pi->trailers[0].url.s);
}

/* An item's Podcast Index tags as the episode's front matter says them. */
static void item_pi_yaml(struct strbuf *y, const struct pi_episode *pi,
                         struct import_result *res)
{
    pi_list_yaml(y, "persons", &pi_person_kind, pi->persons, pi->persons_nr);
    pi_one_yaml(y, "location", &pi_location_kind, &pi->location,
                &pi->location.name);
    pi_one_yaml(y, "license", &pi_license_kind, &pi->license,
                &pi->license.name);
    pi_list_yaml(y, "txt", &pi_txt_kind, pi->txts, pi->txts_nr);
    pi_list_yaml(y, "soundbites", &pi_soundbite_kind, pi->soundbites,
                 pi->soundbites_nr);
    pi_list_yaml(y, "social_interact", &pi_social_kind, pi->socials,
                 pi->socials_nr);
    if (pi->season_name.s)
        add_field(y, "season_name", pi->season_name.s);
    if (pi->episode_display.s)
        add_field(y, "episode_display", pi->episode_display.s);
    if (pi->itunes_block.s && !strcasecmp(pi->itunes_block.s, "yes"))
        strbuf_addstr(y, "block: true\n");
    value_yaml(y, &pi->value);
    images_yaml(y, pi->images, pi->images_nr, res);
}

/* feed/podcast.yaml for the old show; 'image' is its file or NULL. */
static void show_yaml(const struct import_opts *o, const struct show *old,
                      const struct feed_doc *doc, const char *old_url,
                      const char *image, struct import_result *res,
                      struct strbuf *y)
{
    char guid[UUID_STR_LEN];
    const char *explicit = explicit_value(doc->explicit.s);

    strbuf_addf(y, "# Imported by podpub from %s.\n# See podpub's README, "
                "\"Moving a show to podpub\".\n",
                old_url ? old_url : "a feed file");
    add_field(y, "title", old->title.s ? old->title.s : "Untitled");
    if (!old->title.s)
        left_add(res, "no channel <title> (\"Untitled\" written)", NULL);
    strbuf_addstr(y, "description: ");
    ytree_add_quoted(y, old->description.s ? old->description.s :
                     old->title.s ? old->title.s : "Untitled");
    strbuf_addch(y, '\n');
    add_field(y, "language", old->language.s ? old->language.s : "en");
    if (!old->language.s)
        left_add(res, "no <language> (\"en\" written)", NULL);
    strbuf_addstr(y, "# Where public/ will be served from; ends with '/'.\n");
    add_field(y, "base_url", o->base_url ? o->base_url : PLACEHOLDER_BASE);
    if (old->link.s && web_url(old->link.s))
        add_field(y, "link", old->link.s);
    add_field(y, "author", old->author.s);
    if (old->owner_name.s && old->owner_email.s) {
        strbuf_addstr(y, "owner:\n");
        strbuf_addstr(y, "  name: ");
        ytree_add_quoted(y, old->owner_name.s);
        strbuf_addstr(y, "\n  email: ");
        ytree_add_quoted(y, old->owner_email.s);
        strbuf_addch(y, '\n');
    } else if (old->owner_name.s || old->owner_email.s) {
        left_add(res, "itunes:owner without both name and email",
                 old->owner_name.s ? old->owner_name.s : old->owner_email.s);
    }
    if (image)
        add_field(y, "image", image);
    add_categories(y, old, res);
    if (explicit)
        strbuf_addf(y, "explicit: %s\n", explicit);
    else if (doc->explicit.s)
        left_add(res, "itunes:explicit with another value than true or "
                 "false", doc->explicit.s);
    strbuf_addf(y, "type: %s\n", old->serial ? "serial" : "episodic");
    add_field(y, "copyright", old->copyright.s);
    /* The show's identity at Podcast Index: kept, or the old URL's. */
    if (old->guid.s) {
        add_field(y, "guid", old->guid.s);
    } else if (old_url || old->feed_url.s) {
        podcast_guid_for_url(old_url ? old_url : old->feed_url.s, guid);
        strbuf_addf(y, "# The UUIDv5 of the old feed URL: Podcast Index "
                    "knows the show by it.\nguid: %s\n", guid);
    } else {
        left_add(res, "no podcast:guid and no feed URL to compute it from",
                 NULL);
    }
    if (old_url || old->feed_url.s)
        add_field(y, "moved_from", old_url ? old_url : old->feed_url.s);
    if (old->locked.set)
        strbuf_addf(y, "locked: %s\n", old->locked.v ? "true" : "false");
    for (size_t i = 0, n = 0; i < old->pi.funding_nr; i++) {
        const struct pi_funding *f = &old->pi.funding[i];

        if (!f->url.s || !web_url(f->url.s)) {
            left_add(res, "podcast:funding without an http(s) url",
                     f->url.s);
            continue;
        }
        strbuf_addstr(y, n++ ? "  - url: " : "funding:\n  - url: ");
        ytree_add_quoted(y, f->url.s);
        strbuf_addstr(y, "\n    text: ");
        ytree_add_quoted(y, f->text.s ? f->text.s : "Support the show");
        strbuf_addch(y, '\n');
    }
    show_pi_yaml(y, &old->pi, res);
    if (old->moved_to.s)
        left_add(res, "itunes:new-feed-url (the old feed says it moved)",
                 old->moved_to.s);
}

/* "H:MM:SS" or "H:MM:SS.mmm" for 'ms'. */
static void fmt_duration(struct strbuf *y, int64_t ms)
{
    strbuf_addf(y, "%" PRId64 ":%02d:%02d", ms / 3600000,
                (int)(ms / 60000 % 60), (int)(ms / 1000 % 60));
    if (ms % 1000)
        strbuf_addf(y, ".%03d", (int)(ms % 1000));
}

static void add_duration(struct strbuf *y, int64_t ms)
{
    strbuf_addstr(y, "duration: ");
    fmt_duration(y, ms);
    strbuf_addch(y, '\n');
}

/* itunes:duration as podcast apps read it: seconds, MM:SS, H:MM:SS. */
static int parse_duration(const char *s, int64_t *ms)
{
    if (!s || !*s)
        return -1;
    if (chapter_time_parse(s, ms) == 0)
        return 0;
    /* "1:2:3" and "01:02:03.500": the forms chapter times refuse. */
    {
        char *end;
        unsigned long h = strtoul(s, &end, 10), m;
        double sec;

        if (*end != ':' || end == s || h >= 10000)
            return -1;
        s = end + 1;
        m = strtoul(s, &end, 10);
        if (*end != ':' || end == s || m >= 60)
            return -1;
        s = end + 1;
        sec = strtod(s, &end);
        if (*end || end == s || !(sec >= 0 && sec < 60))
            return -1;
        *ms = (int64_t)h * 3600000 + (int64_t)m * 60000 +
              (int64_t)(sec * 1000 + 0.5);
        return 0;
    }
}

struct item_ref {
    size_t i;       /* index into the old show's episodes */
    int64_t t;
    struct pp_date date;
};

/*
 * The item's pubDate as apps read it: a weekday that is not the date's
 * is ignored (every parser does), the rest must be RFC 2822.
 */
static int item_date(const char *s, struct pp_date *d)
{
    const char *comma = strchr(s, ',');
    bool named;

    if (date_parse_rfc2822(s, d, &named) == 0)
        return 0;
    return comma ? date_parse_rfc2822(comma + 1, d, &named) : -1;
}

static int cmp_item(const void *a, const void *b)
{
    const struct item_ref *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    /* Feeds list newest first: of two at one moment, the later in the
     * feed is the older. */
    return x->i > y->i ? -1 : x->i < y->i;
}

/* The (season, episode) numbers given out, to give each once. */
struct numbers {
    long long (*pairs)[2];
    size_t nr, alloc;
};

/* Adds the pair; false when it was there already. O(n): feeds with
 * thousands of numbered items stay well under a second. */
static bool numbers_add(struct numbers *n, long long season, long long ep)
{
    for (size_t i = 0; i < n->nr; i++)
        if (n->pairs[i][0] == season && n->pairs[i][1] == ep)
            return false;
    ALLOC_GROW(n->pairs, n->nr + 1, n->alloc);
    n->pairs[n->nr][0] = season;
    n->pairs[n->nr++][1] = ep;
    return true;
}

/* A download an earlier run began: its .part.info. */
struct reserved {
    char *file;                 /* "007-slug.mp3" */
    char *url, *guid, *validator;
};

/*
 * The GUIDs the show in 'dir' has, its highest file number, and the
 * downloads begun for items it does not have yet.
 */
struct known {
    char **guids;
    size_t nr, alloc;
    long long last_number;
    struct numbers numbers;     /* its episode numbers */
    struct reserved *res;
    size_t res_nr, res_alloc;
};

static const struct reserved *reserved_find(const struct known *k,
                                            const char *guid)
{
    for (size_t i = 0; i < k->res_nr; i++)
        if (!strcmp(k->res[i].guid, guid))
            return &k->res[i];
    return NULL;
}

/*
 * Reads 'edir'/'name' ("007-slug.mp3.part.info") into k->res. One that
 * does not read as podpub wrote it is ignored (its .part is then not
 * continued).
 */
static void load_reserved(struct known *k, const char *edir,
                          const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    struct reserved r = { 0 };
    char *path = xstrfmt("%s/%s", edir, name);
    char *line, *next;

    if (strbuf_read_file(&sb, path, 16384) < 0)
        goto out;
    for (line = sb.buf; line && *line; line = next) {
        char **to = NULL;

        if ((next = strchr(line, '\n')))
            *next++ = '\0';
        if (starts_with(line, "url "))
            to = &r.url;
        else if (starts_with(line, "guid "))
            to = &r.guid;
        else if (starts_with(line, "validator "))
            to = &r.validator;
        if (to && !*to)
            *to = xstrdup(strchr(line, ' ') + 1);
    }
    if (!r.url || !r.guid || !r.validator || !web_url(r.url)) {
        free(r.url);
        free(r.guid);
        free(r.validator);
        goto out;
    }
    r.file = xstrndup(name, strlen(name) - strlen(".part.info"));
    ALLOC_GROW(k->res, k->res_nr + 1, k->res_alloc);
    k->res[k->res_nr++] = r;
out:
    strbuf_release(&sb);
    free(path);
}

static bool known_has(const struct known *k, const char *guid)
{
    return k->nr && bsearch(&guid, k->guids, k->nr, sizeof(*k->guids),
                            cmp_strings);
}

/* Adds 'guid' in its sorted place (a memmove, not a sort, per item). */
static void known_add(struct known *k, const char *guid)
{
    size_t lo = 0, hi = k->nr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(k->guids[mid], guid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    ALLOC_GROW(k->guids, k->nr + 1, k->alloc);
    memmove(k->guids + lo + 1, k->guids + lo,
            (k->nr - lo) * sizeof(*k->guids));
    k->guids[lo] = xstrdup(guid);
    k->nr++;
}

static int load_known(const char *dir, struct known *k)
{
    char *edir = xstrfmt("%s/%s", dir, PP_EPISODES_DIR);
    struct show none = { 0 };
    DIR *d = opendir(edir);
    struct dirent *de;
    int ret = 0;

    if (!d) {
        ret = errno == ENOENT ? 0 : errorf(PP_ERR_IO, "cannot read '%s': %s",
                                           edir, strerror(errno));
        free(edir);
        return ret;
    }
    while ((de = readdir(d))) {
        struct strbuf sb = STRBUF_INIT;
        struct episode ep;
        char *path, *rel;
        long long n;

        if (de->d_name[0] == '.')
            continue;
        if (ends_with(de->d_name, ".part.info") &&
            strlen(de->d_name) > strlen(".part.info")) {
            /* Its number is taken: the download keeps it. */
            n = strtoll(de->d_name, NULL, 10);
            if (n > k->last_number)
                k->last_number = n;
            load_reserved(k, edir, de->d_name);
            continue;
        }
        if (!ends_with(de->d_name, ".md"))
            continue;
        n = strtoll(de->d_name, NULL, 10);
        if (n > k->last_number)
            k->last_number = n;
        path = xstrfmt("%s/%s", edir, de->d_name);
        rel = xstrfmt("%s/%s", PP_EPISODES_DIR, de->d_name);
        if (strbuf_read_file(&sb, path, PP_META_MAX_BYTES) < 0) {
            ret = errorf(PP_ERR_IO, "cannot read '%s'", path);
        } else {
            /* Its problems are podpub build's to report, not import's. */
            struct strbuf quiet = STRBUF_INIT;

            report_capture(&quiet);
            episode_parse_buffer(&none, rel, sb.buf, sb.len, &ep);
            report_capture(NULL);
            strbuf_release(&quiet);
            if (ep.episode.set)
                numbers_add(&k->numbers, ep.season.set ? ep.season.v : 0,
                            ep.episode.v);
            if (ep.guid.s) {
                ALLOC_GROW(k->guids, k->nr + 1, k->alloc);
                k->guids[k->nr++] = xstrdup(ep.guid.s);
            }
            episode_release(&ep);
        }
        strbuf_release(&sb);
        free(path);
        free(rel);
    }
    closedir(d);
    free(edir);
    if (k->nr)
        qsort(k->guids, k->nr, sizeof(*k->guids), cmp_strings);
    return ret;
}

static void known_release(struct known *k)
{
    for (size_t i = 0; i < k->res_nr; i++) {
        free(k->res[i].file);
        free(k->res[i].url);
        free(k->res[i].guid);
        free(k->res[i].validator);
    }
    free(k->res);
    for (size_t i = 0; i < k->nr; i++)
        free(k->guids[i]);
    free(k->guids);
    free(k->numbers.pairs);
}

/* 's' from its next letter, digit or non-ASCII byte on. */
static const char *skip_marks(const char *s)
{
    while (*s && (unsigned char)*s < 0x80 &&
           !((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
             (*s >= 'A' && *s <= 'Z')))
        s++;
    return s;
}

bool import_notes_same(const char *html, const char *md)
{
    struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
    struct notes n = { 0 };
    const char *a, *b;
    bool same = true;

    /* Both sides' text read the same way: from HTML, cmark's for 'md'. */
    html_text(html, strlen(html), &want);
    notes_render(&n, md, strlen(md));
    html_text(n.html, strlen(n.html), &got);
    a = want.buf;
    b = got.buf;
    /* Compare letters and digits (and all of UTF-8 beyond ASCII). */
    for (;;) {
        a = skip_marks(a);
        b = skip_marks(b);
        if (!*a || !*b || *a != *b)
            break;
        a++;
        b++;
    }
    same = !*a && !*b;
    strbuf_release(&want);
    strbuf_release(&got);
    free(n.html);
    free(n.text);
    return same;
}

/*
 * Whether the downloaded file 'path', open as 'fd', holds what build
 * accepts: a transcript of MIME type 'ttype' (transcript_check()), or
 * Podcast Index JSON chapters when 'ttype' is NULL. Returns 0 or < 0.
 */
static int side_check(const char *path, const char *ttype, int fd)
{
    struct transcript t = { .path = (char *)path, .type.s = (char *)ttype };
    struct episode ep = { 0 };
    int ret;

    if (ttype)
        return transcript_check(&t, fd);
    ep.path = xstrdup(path);
    ep.chapters_path = xstrdup(path);
    ret = episode_load_chapters(&ep, fd);
    episode_release(&ep);
    return ret;
}

/*
 * Downloads 'url' (a transcript of MIME type 'ttype', or chapters when
 * 'ttype' is NULL; 'what') to 'edir'/'name'. Each must hold what build
 * would accept of a local file (transcript_check(), Podcast Index JSON
 * chapters), or it is not kept. Returns 0, or -1 (listed).
 */
static int fetch_into(const struct import_opts *o, struct import_result *res,
                      const char *url, const char *what, const char *edir,
                      const char *name, const char *ttype)
{
    struct strbuf body = STRBUF_INIT, quiet = STRBUF_INIT;
    char *path = xstrfmt("%s/%s", edir, name);
    char *why = xstrfmt("%s not downloaded", what);
    int ret = -1, fd;

    if (fetch_side(o, res, url, SIDE_MAX_BYTES, why, &body) == 0 &&
        write_file_atomic(path, body.buf, body.len) == 0)
        ret = 0;
    if (ret == 0) {
        report_capture(&quiet);
        fd = open(path, O_RDONLY | O_NOFOLLOW);
        if (fd < 0 || side_check(path, ttype, fd) < 0) {
            free(why);
            why = xstrfmt(ttype ? "%s that is not what its type says (not "
                          "kept)" : "%s that are not Podcast Index JSON "
                          "chapters (not kept)", what);
            left_add(res, why, url);
            unlink(path);
            ret = -1;
        }
        report_capture(NULL);
        if (fd >= 0)
            close(fd);
    }
    strbuf_release(&body);
    strbuf_release(&quiet);
    free(path);
    free(why);
    return ret;
}

/*
 * The item's transcripts, each downloaded next to the episode: one
 * without a language or rel as transcript:, else the transcripts: list.
 */
static void item_transcripts(const struct import_opts *o,
                             struct import_result *res, const char *edir,
                             const char *base, const struct episode *old,
                             struct strbuf *y)
{
    struct strbuf list = STRBUF_INIT;
    char *only = NULL;      /* the first, when it has no language or rel */
    size_t n = 0;

    for (size_t i = 0; i < old->transcripts_nr; i++) {
        const struct transcript *t = &old->transcripts[i];
        const struct media_type *m;
        char *name;

        if (!t->file.s)
            continue;
        m = t->type.s ? media_by_type(t->type.s, MEDIA_TRANSCRIPT)
                      : media_of_name(t->file.s);
        if (!m || !(m->uses & MEDIA_TRANSCRIPT)) {
            left_add(res, "podcast:transcript of a type podpub does not "
                     "publish", t->type.s);
            continue;
        }
        /* 001-a.vtt, then 001-a-2.srt, ...: one file each. */
        name = i ? xstrfmt("%s-%zu.%s", base, i + 1, m->ext)
                 : xstrfmt("%s.%s", base, m->ext);
        if (fetch_into(o, res, t->file.s, "podcast:transcript", edir, name,
                       m->mime) < 0) {
            free(name);
            continue;
        }
        if (!n++ && !t->language.s && !t->rel.s)
            only = xstrdup(name);
        strbuf_addstr(&list, "  - file: ");
        ytree_add_quoted(&list, name);
        if (t->language.s) {
            strbuf_addstr(&list, "\n    language: ");
            ytree_add_quoted(&list, t->language.s);
        }
        if (t->rel.s) {
            strbuf_addstr(&list, "\n    rel: ");
            ytree_add_quoted(&list, t->rel.s);
        }
        strbuf_addch(&list, '\n');
        free(name);
    }
    if (n == 1 && only)
        add_field(y, "transcript", only);
    else if (n)
        strbuf_addf(y, "transcripts:\n%s", list.buf);
    free(only);
    strbuf_release(&list);
}

/*
 * Downloads item 'i''s transcript, chapters and artwork next to its
 * episode file ('base' is its name without ".md") and writes their
 * fields. Failures are listed, not fatal.
 */
static void item_files(const struct import_opts *o, struct import_result *res,
                       const char *edir, const char *base,
                       const struct episode *old, struct strbuf *y)
{
    char *name;

    if (old->image.s) {
        if ((name = fetch_image(o, res, old->image.s, edir, base,
                                "episode itunes:image not downloaded"))) {
            add_field(y, "image", name);
            free(name);
        }
    }
    item_transcripts(o, res, edir, base, old, y);
    name = xstrfmt("%s.chapters.json", base);
    if (old->chapters_url && fetch_into(o, res, old->chapters_url,
                                        "podcast:chapters", edir, name,
                                        NULL) == 0) {
        add_field(y, "chapters", name);
    } else if (old->chapters_nr) {
        /* Podlove Simple Chapters in the feed: the same file, made here. */
        struct strbuf json = STRBUF_INIT;
        char *path = xstrfmt("%s/%s", edir, name);

        chapters_render(old, &json);
        if (write_file_atomic(path, json.buf, json.len) == 0)
            add_field(y, "chapters", name);
        strbuf_release(&json);
        free(path);
    }
    free(name);
}

/*
 * Whether item 'old' can be imported: an http(s) enclosure of a type
 * podpub knows (in '*m'; audio only when it is downloaded) and a GUID on
 * one line. Returns 0, or 1 when it is refused (listed).
 */
static int item_check(const struct import_opts *o, struct import_result *res,
                      const struct episode *old, const struct feed_item *fi,
                      const struct media_type **m)
{
    const char *guid = old->guid.s ? old->guid.s : old->enclosure_url;

    if (!old->enclosure_url) {
        left_add(res, "item without an enclosure url (not imported)",
                 old->title.s);
        return 1;
    }
    if (!web_url(old->enclosure_url)) {
        left_add(res, "item whose enclosure is not an http(s) URL (not "
                 "imported)", old->enclosure_url);
        return 1;
    }
    if (strpbrk(guid, "\t\r\n") || *guid == ' ' ||
        guid[strlen(guid) - 1] == ' ') {
        left_add(res, "item whose guid has a tab or line break (not "
                 "imported)", guid);
        return 1;
    }
    *m = fi->enclosure_type.s ?
        media_by_type(fi->enclosure_type.s, MEDIA_AUDIO | MEDIA_OTHER) : NULL;
    if (!*m)
        *m = media_of_name(old->enclosure_url);
    if (!*m || !((*m)->uses & (MEDIA_AUDIO | MEDIA_OTHER))) {
        left_add(res, "item whose enclosure type podpub does not know (not "
                 "imported)", fi->enclosure_type.s ? fi->enclosure_type.s
                                                   : old->enclosure_url);
        return 1;
    }
    if (!o->keep_media && !((*m)->uses & MEDIA_AUDIO)) {
        left_add(res, "item whose enclosure is not audio (not imported; "
                 "--media keep keeps it at its URL)", old->enclosure_url);
        return 1;
    }
    return 0;
}

/* An item to write, in the order of the numbers. */
struct pending {
    const struct episode *old;
    const struct feed_item *fi;
    const struct pp_date *date;
    const struct media_type *m;
    char *base;                 /* "007-slug" */
    /* With downloads: */
    char *file;                 /* "007-slug.mp3" */
    char *path;                 /* "DIR/episodes/007-slug.mp3" */
    char *info;                 /* its ".part.info" */
    const char *guid;
    bool complete;              /* downloaded by an earlier run */
    bool failed;                /* not downloaded or not audio */
    uint64_t size;
    int64_t duration_ms;
};

/*
 * Writes the episode file of 'p' into 'dir': with its downloaded audio
 * (p->file) unless o->keep_media. Returns 0 or a PP_ERR_* code.
 */
static int write_item(const struct import_opts *o, struct import_result *res,
                      const char *dir, const struct pending *p,
                      struct numbers *numbers)
{
    const struct episode *old = p->old;
    const struct feed_item *fi = p->fi;
    struct strbuf y = STRBUF_INIT, md = STRBUF_INIT;
    char date[32], *edir, *path;
    const char *guid = old->guid.s ? old->guid.s : old->enclosure_url;
    int64_t ms = 0;
    int ret = 0;

    edir = xstrfmt("%s/%s", dir, PP_EPISODES_DIR);
    path = xstrfmt("%s/%s.md", edir, p->base);

    strbuf_addstr(&y, "---\n");
    add_field(&y, "title", old->title.s ? old->title.s : "Untitled");
    if (!old->title.s)
        left_add(res, "item without a <title> (\"Untitled\" written)", guid);
    if (!old->guid.s)
        left_add(res, "item without a <guid> (its enclosure URL written, "
                 "as Apple identifies it)", old->enclosure_url);
    add_field(&y, "guid", guid);
    date_format_rfc3339(p->date, date);
    strbuf_addf(&y, "date: %s\n", date);
    if (!o->keep_media) {
        /* What build will probe again (cached), for the reader. */
        strbuf_addstr(&y, "audio: ");
        ytree_add_quoted(&y, p->file);
        strbuf_addstr(&y, "   # ");
        fmt_duration(&y, p->duration_ms);
        strbuf_addf(&y, ", %" PRIu64 " bytes, probed on import\n", p->size);
    } else {
        add_field(&y, "audio_url", old->enclosure_url);
        strbuf_addf(&y, "bytes: %" PRIu64 "\n", old->media.size);
        if (!old->media.size)
            left_add(res, "item without an enclosure length (bytes: 0 "
                     "written)", old->enclosure_url);
        if (parse_duration(fi->duration.s, &ms) < 0) {
            ms = 0;
            left_add(res, "item without a readable itunes:duration "
                     "(duration: 0 written)",
                     fi->duration.s ? fi->duration.s : guid);
        }
        add_duration(&y, ms);
        strbuf_addf(&y, "audio_type: %s\n", p->m->mime);
    }
    if (old->season.set && old->season.v <= 99999)
        strbuf_addf(&y, "season: %lld\n", old->season.v);
    if (old->episode.set && old->episode.v <= 9999999) {
        long long season = old->season.set ? old->season.v : 0;

        /* podpub refuses a number twice in a season: the first keeps it. */
        if (numbers_add(numbers, season, old->episode.v))
            strbuf_addf(&y, "episode: %lld\n", old->episode.v);
        else
            left_add(res, "itunes:episode number an earlier item of the "
                     "season has (not kept)", guid);
    }
    if (fi->type.s && (!strcmp(fi->type.s, "trailer") ||
                       !strcmp(fi->type.s, "bonus") ||
                       !strcmp(fi->type.s, "full")))
        strbuf_addf(&y, "type: %s\n", fi->type.s);
    if (explicit_value(fi->explicit.s))
        strbuf_addf(&y, "explicit: %s\n", explicit_value(fi->explicit.s));
    add_field(&y, "summary", fi->summary.s);
    if (old->link.s && web_url(old->link.s))
        add_field(&y, "link", old->link.s);
    item_pi_yaml(&y, &old->pi, res);
    item_files(o, res, edir, p->base, old, &y);
    strbuf_addstr(&y, "---\n");
    if (old->notes.html) {
        html_to_markdown(old->notes.html, strlen(old->notes.html), &md);
        if (!import_notes_same(old->notes.html, md.buf)) {
            res->notes_differ++;
            left_add(res, "notes whose text Markdown changes (check them)",
                     path + strlen(dir) + 1);
        }
        strbuf_add(&y, md.buf, md.len);
        if (md.len)
            strbuf_addch(&y, '\n');
    }
    if ((ret = write_file_atomic(path, y.buf, y.len)) == 0)
        res->added++;
    strbuf_release(&y);
    strbuf_release(&md);
    free(edir);
    free(path);
    return ret;
}

static void note_add(struct import_result *res, const char *file,
                     char *what)
{
    ALLOC_GROW(res->notes, res->notes_nr + 1, res->notes_alloc);
    res->notes[res->notes_nr].file = xstrdup(file);
    res->notes[res->notes_nr++].what = what;
}

/*
 * The ".part.info" of a download: which item and URL the .part holds
 * and the validator it was fetched with, so that the next run continues
 * it only for the same item and URL. Written before the first byte.
 */
static int write_info(const struct pending *p, const char *validator)
{
    char *text = xstrfmt("# podpub import: a download in progress\n"
                         "url %s\nguid %s\nvalidator %s\n",
                         p->old->enclosure_url, p->guid, validator);
    int ret = write_file_atomic(p->info, text, strlen(text));

    free(text);
    return ret;
}

static void on_started(struct http_download *d)
{
    write_info(d->ctx, d->validator);
}

static int64_t diff_ms(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

/*
 * The downloaded file of 'p': its size against the feed's length, then
 * probed as build will (the exact duration against itunes:duration).
 * Returns 0, or 1 when it is not the audio its type says (listed, the
 * file removed).
 */
static int check_download(struct import_result *res, const char *dir,
                          struct pending *p)
{
    struct audio_info info = { 0 };
    struct strbuf msg = STRBUF_INIT;
    const char *rel = p->path + strlen(dir) + 1;
    int64_t feed_ms;

    if (probe_audio_msg(p->path, &info, &msg) < 0) {
        errorf(PP_ERR_INPUT, "%s (from %s)", msg.buf, p->old->enclosure_url);
        left_add(res, "enclosure that is not the audio its type says (not "
                 "imported)", p->old->enclosure_url);
        unlink(p->path);
        unlink(p->info);
        strbuf_release(&msg);
        return 1;
    }
    p->size = info.size;
    p->duration_ms = info.duration_ms;
    if (p->old->media.size && p->old->media.size != info.size)
        note_add(res, rel, xstrfmt("%" PRIu64 " bytes, the feed said %"
                                   PRIu64 " (the file is kept)", info.size,
                                   p->old->media.size));
    if (parse_duration(p->fi->duration.s, &feed_ms) == 0 &&
        diff_ms(feed_ms, info.duration_ms) > 1000) {
        struct strbuf d = STRBUF_INIT;

        fmt_duration(&d, info.duration_ms);
        note_add(res, rel, xstrfmt("%s long, the feed said %s (podpub's "
                                   "is written)", d.buf, p->fi->duration.s));
        strbuf_release(&d);
    }
    res->downloaded++;
    res->downloaded_bytes += info.size;
    audio_info_release(&info);
    strbuf_release(&msg);
    return 0;
}

/*
 * Downloads the enclosures of 'p' (those not complete from an earlier
 * run), o->jobs at once. A failure is printed (naming the URL) and
 * listed, and marks its item failed; its .part stays for the next run.
 */
static void download_media(const struct import_opts *o,
                           struct import_result *res, struct pending *p,
                           size_t nr, const struct known *known)
{
    struct http_download *d = xcalloc(nr + 1, sizeof(*d));
    size_t n = 0;

    for (size_t k = 0; k < nr; k++) {
        const struct reserved *r = reserved_find(known, p[k].guid);
        bool same = r && !strcmp(r->url, p[k].old->enclosure_url);
        char *part = xstrfmt("%s.part", p[k].path);
        struct stat st;

        /* A .part without the .part.info of this URL is not continued. */
        if (!same)
            unlink(part);
        if (same && lstat(p[k].path, &st) == 0 && S_ISREG(st.st_mode) &&
            access(part, F_OK) < 0) {
            p[k].complete = true;       /* renamed, not yet written */
        } else if (!r && lstat(p[k].path, &st) == 0) {
            errorf(PP_ERR_IO, "'%s' exists and is not podpub's download: "
                   "not overwritten", p[k].path);
            left_add(res, "enclosure not downloaded (item not imported; "
                     "run import again)", p[k].old->enclosure_url);
            res->remote_failed = true;
            p[k].failed = true;
        } else if (write_info(&p[k], same ? r->validator : "") < 0) {
            p[k].failed = true;
        } else {
            d[n].url = p[k].old->enclosure_url;
            d[n].path = p[k].path;
            d[n].max_bytes = MEDIA_MAX_BYTES;
            d[n].ctx = &p[k];
            if (same)
                snprintf(d[n].validator, sizeof(d[n].validator), "%s",
                         r->validator);
            n++;
        }
        free(part);
    }
    http_download_all(d, n, o->jobs, o->timeout_s, on_started, o->progress,
                      o->progress_ctx);
    for (size_t i = 0; i < n; i++) {
        struct pending *q = d[i].ctx;

        if (d[i].resumed_from)
            res->resumed++;
        if (d[i].ret == 0)
            continue;
        errorf(d[i].ret, "cannot download %s", d[i].error);
        left_add(res, "enclosure not downloaded (item not imported; run "
                 "import again)", q->old->enclosure_url);
        res->remote_failed = true;
        q->failed = true;
    }
    free(d);
}

/*
 * nftw() callback removing everything below a leftover staging folder
 * but the downloads an interrupted import began (episodes/ *.part and
 * *.part.info, and a file whose .part.info is there): the next run
 * continues those. A folder that keeps one stays.
 */
static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    const char *name = path + ftw->base;
    bool keep = false;

    if (flag == FTW_DP) {
        rmdir(path);
        return 0;
    }
    if (ftw->level == 2 && S_ISREG(st->st_mode) &&
        !strncmp(name - strlen(PP_EPISODES_DIR "/"), PP_EPISODES_DIR "/",
                 strlen(PP_EPISODES_DIR "/"))) {
        char *info = xstrfmt("%s.part.info", path);

        keep = ends_with(name, ".part") || ends_with(name, ".part.info") ||
               access(info, F_OK) == 0;
        free(info);
    }
    if (!keep)
        unlink(path);
    return 0;
}

/* True when 'dir' does not exist or is an empty folder. */
static bool dir_free(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool empty = true;

    if (!d)
        return errno == ENOENT;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            empty = false;
    closedir(d);
    return empty;
}

/*
 * The file name of item 'p' (the number and slug; its media adds the
 * type's extension): a download begun for it keeps its name, others
 * take the next number.
 */
static void name_item(const struct import_opts *o, struct pending *p,
                      const char *dir, const struct known *known,
                      long long *number)
{
    const struct reserved *r = o->keep_media ? NULL :
                               reserved_find(known, p->guid);
    const char *dot = r ? strrchr(r->file, '.') : NULL;

    if (dot && !strcmp(dot + 1, p->m->ext)) {
        p->base = xstrndup(r->file, (size_t)(dot - r->file));
    } else {
        char *slug = slugify(p->old->title.s ? p->old->title.s : "episode",
                             60);

        p->base = xstrfmt("%03lld-%s", ++*number, slug);
        free(slug);
    }
    if (!o->keep_media) {
        p->file = xstrfmt("%s.%s", p->base, p->m->ext);
        p->path = xstrfmt("%s/%s/%s", dir, PP_EPISODES_DIR, p->file);
        p->info = xstrfmt("%s.part.info", p->path);
    }
}

static int import_items(const struct import_opts *o,
                        struct import_result *res, const char *dir,
                        const struct show *old, const struct feed_doc *doc,
                        struct known *known)
{
    struct item_ref *refs = xcalloc(old->nr + 1, sizeof(*refs));
    struct pending *p = xcalloc(old->nr + 1, sizeof(*p));
    struct numbers *numbers = &known->numbers;
    size_t nr = 0, pnr = 0;
    long long number = known->last_number;
    int ret = 0;
    bool refused = false;

    for (size_t i = 0; i < old->nr; i++) {
        const struct episode *ep = &old->episodes[i];
        const char *guid = ep->guid.s ? ep->guid.s : ep->enclosure_url;

        if (!doc->items[i].date.s ||
            item_date(doc->items[i].date.s, &refs[nr].date) < 0) {
            left_add(res, "item without a readable pubDate (not imported)",
                     doc->items[i].date.s ? doc->items[i].date.s :
                     ep->title.s);
            refused = true;
            continue;
        }
        if (guid && known_has(known, guid)) {
            res->known++;
            continue;
        }
        refs[nr].i = i;
        refs[nr].t = refs[nr].date.t;
        nr++;
    }
    qsort(refs, nr, sizeof(*refs), cmp_item);
    /* The items to write, each with its number. */
    for (size_t k = 0; k < nr; k++) {
        struct pending *q = &p[pnr];
        const struct episode *ep = &old->episodes[refs[k].i];
        const char *guid = ep->guid.s ? ep->guid.s : ep->enclosure_url;

        /* Two items with one guid: the older is kept, as apps do. */
        if (guid && known_has(known, guid)) {
            left_add(res, "item whose guid an earlier item has (not "
                     "imported)", guid);
            refused = true;
            continue;
        }
        q->old = ep;
        q->fi = &doc->items[refs[k].i];
        q->date = &refs[k].date;
        q->guid = guid;
        if (item_check(o, res, ep, q->fi, &q->m)) {
            refused = true;
            continue;
        }
        name_item(o, q, dir, known, &number);
        known_add(known, guid);
        pnr++;
    }
    if (!o->keep_media && pnr)
        download_media(o, res, p, pnr, known);
    for (size_t k = 0; k < pnr && ret >= 0; k++) {
        if (!o->keep_media) {
            if (p[k].failed)
                continue;
            if (check_download(res, dir, &p[k])) {
                refused = true;
                continue;
            }
        }
        ret = write_item(o, res, dir, &p[k], numbers);
        /* The episode is there: its download is no longer pending. */
        if (ret == 0 && !o->keep_media)
            unlink(p[k].info);
    }
    for (size_t k = 0; k < pnr; k++) {
        free(p[k].base);
        free(p[k].file);
        free(p[k].path);
        free(p[k].info);
    }
    free(p);
    free(refs);
    res->done = ret == 0;
    return ret < 0 ? ret : res->remote_failed ? PP_ERR_REMOTE :
           refused ? PP_ERR_INPUT : 0;
}

/*
 * The show in 'dir' (its file 'show_file') is the one the feed 'old'
 * (fetched from 'old_url', or NULL) has: the same podcast:guid, as
 * import wrote it. Returns 0 or PP_ERR_INPUT (printed).
 */
static int same_show(const char *dir, const char *show_file,
                     const struct show *old, const char *old_url)
{
    struct show have = { 0 };
    char guid[UUID_STR_LEN] = "";
    const char *url = old_url ? old_url : old->feed_url.s;
    int ret = show_parse_file(&have, show_file);

    if (old->guid.s)
        snprintf(guid, sizeof(guid), "%s", old->guid.s);
    else if (url)
        podcast_guid_for_url(url, guid);
    /* A feed with neither podcast:guid nor URL: known by its title. */
    if (ret == 0 && !*guid && !have.guid.s && have.title.s &&
        !strcmp(have.title.s, old->title.s ? old->title.s : "Untitled"))
        ;
    else if (ret == 0 && (!have.guid.s || strcasecmp(have.guid.s, guid)) &&
             (!have.moved_from.s || !url || strcmp(have.moved_from.s, url)))
        ret = errorf(PP_ERR_INPUT, "'%s' holds another show (podcast:guid "
                     "%s, the feed's %s): not imported into it", dir,
                     have.guid.s ? have.guid.s : "(none)",
                     *guid ? guid : "(none)");
    show_release(&have);
    return ret;
}

/* What the reader did not read, less what podpub writes itself. */
static void list_unread(const struct feed_doc *doc, struct import_result *res)
{
    for (size_t i = 0; i < doc->unread_nr; i++) {
        const struct feed_unread *u = &doc->unread[i];
        char *what;

        if (is_regenerated(u->name))
            continue;
        what = xstrfmt("%s (%s)", u->name, u->in_item ? "item" : "channel");
        left_add(res, what, NULL);
        res->left[res->left_nr - 1].count += u->count - 1;
        free(what);
    }
}

int show_import(const struct import_opts *o, struct import_result *res)
{
    struct strbuf body = STRBUF_INIT, yaml = STRBUF_INIT, created = STRBUF_INIT;
    struct show old = { 0 };
    struct feed_doc doc = { 0 };
    struct known known = { 0 };
    char *old_url = NULL, *stage = NULL, *show_file = NULL, *image = NULL;
    char *feed_dir = NULL;
    int ret, items_ret = 0;

    memset(res, 0, sizeof(*res));
    if ((ret = read_feed(o, &body, &old_url)) < 0)
        goto out;
    if (feed_read(old_url ? old_url : o->feed, body.buf, body.len, &old,
                  &doc) < 0) {
        ret = feed_issues_print(&doc);
        goto out;
    }
    res->items = old.nr;
    list_unread(&doc, res);
    if (o->dir) {
        res->dir = xstrdup(o->dir);
    } else {
        char *slug = slugify(old.title.s ? old.title.s : "podcast", 60);

        res->dir = slug;
    }
    show_file = xstrfmt("%s/%s", res->dir, PP_SHOW_FILE);
    if (access(show_file, F_OK) == 0) {
        /* The show is there: add the items it does not have. */
        res->synced = true;
        if ((ret = same_show(res->dir, show_file, &old, old_url)) < 0 ||
            (ret = load_known(res->dir, &known)) < 0)
            goto out;
        ret = import_items(o, res, res->dir, &old, &doc, &known);
        goto out;
    }
    if (!dir_free(res->dir)) {
        ret = errorf(PP_ERR_INPUT, "'%s' is not empty and has no show: "
                     "podpub imports into a new or empty folder, or into "
                     "the folder of the show it imported", res->dir);
        goto out;
    }
    stage = xstrfmt("%s.podpub-import", res->dir);
    /* A leftover of an interrupted import: podpub's own, redone, but for
     * the media downloads it began, which continue. */
    if (access(stage, F_OK) == 0) {
        nftw(stage, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        if (!o->keep_media && (ret = load_known(stage, &known)) < 0)
            goto out;
    }
    {
        struct init_opts io = { .dir = stage, .title = "", .author = "",
                                .email = "", .language = "", .base_url = "",
                                .ci = o->ci, .force = true };

        feed_dir = xstrfmt("%s/%s", stage, PP_SHOW_DIR);
        /* show_create() makes the folders; the cover goes in first. */
        io.show_text = "# importing\n";
        if ((ret = show_create(&io, &created)) < 0)
            goto out;
        if (old.image.s)
            image = fetch_image(o, res, old.image.s, feed_dir, "cover",
                                "show artwork (itunes:image) not downloaded");
        else
            left_add(res, "no show artwork (itunes:image)", NULL);
        show_yaml(o, &old, &doc, old_url, image, res, &yaml);
        items_ret = import_items(o, res, stage, &old, &doc, &known);
        if (items_ret < 0 && items_ret != PP_ERR_INPUT &&
            items_ret != PP_ERR_REMOTE) {
            ret = items_ret;
            goto out;
        }
        /* The show file last: until it is there, there is no show. */
        free(show_file);
        show_file = xstrfmt("%s/%s", stage, PP_SHOW_FILE);
        if ((ret = write_file_atomic(show_file, yaml.buf, yaml.len)) < 0)
            goto out;
    }
    if (rename(stage, res->dir) < 0) {
        ret = errorf(PP_ERR_IO, "cannot rename '%s' to '%s': %s", stage,
                     res->dir, strerror(errno));
        goto out;
    }
    ret = items_ret;
out:
    known_release(&known);
    show_release(&old);
    feed_doc_release(&doc);
    strbuf_release(&body);
    strbuf_release(&yaml);
    strbuf_release(&created);
    free(old_url);
    free(stage);
    free(show_file);
    free(image);
    free(feed_dir);
    return ret;
}

void import_result_release(struct import_result *res)
{
    for (size_t i = 0; i < res->left_nr; i++) {
        free(res->left[i].what);
        free(res->left[i].example);
    }
    free(res->left);
    for (size_t i = 0; i < res->notes_nr; i++) {
        free(res->notes[i].file);
        free(res->notes[i].what);
    }
    free(res->notes);
    free(res->dir);
    memset(res, 0, sizeof(*res));
}
