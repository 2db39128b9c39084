/*
 * The Podcast Index namespace's rules for the tags of show->pi and
 * ep->pi: what the namespace's documents (its tag pages, taxonomy.json,
 * serviceslugs.txt) allow. The values are as written, in podcast.yaml
 * or in a feed read by `check --feed`, so one set of rules serves both;
 * findings sit at the value's line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "podpub/probe.h"
#include "podpub/uuid.h"

#define PI_TEXT_MAX 128
#define PI_TXT_MAX 4000
#define PI_DISPLAY_MAX 32
#define SOUNDBITE_MIN_S 15
#define SOUNDBITE_MAX_S 120

/* The person taxonomy (taxonomy.json): group, then its roles. */
static const char *const taxonomy[][20] = {
    { "creative direction", "director", "assistant director",
      "executive producer", "senior producer", "producer",
      "associate producer", "development producer", "creative director" },
    { "cast", "host", "co-host", "guest host", "guest", "voice actor",
      "narrator", "announcer", "reporter" },
    { "writing", "author", "editorial director", "co-writer", "writer",
      "songwriter", "guest writer", "story editor", "managing editor",
      "script editor", "script coordinator", "researcher", "editor",
      "fact checker", "translator", "translater", "transcriber", "logger" },
    { "audio production", "studio coordinator", "technical director",
      "technical manager", "audio engineer", "remote recording engineer",
      "post production engineer" },
    { "audio post-production", "audio editor", "sound designer",
      "foley artist", "composer", "theme music", "music production",
      "music contributor" },
    { "administration", "production coordinator", "booking coordinator",
      "production assistant", "content manager", "marketing manager",
      "sales representative", "sales manager" },
    { "visuals", "graphic designer", "cover art designer" },
    { "community", "social media manager" },
    { "misc.", "consultant", "intern" },
    { "video production", "camera operator", "lighting designer",
      "camera grip", "assistant camera" },
    { "video post-production", "editor", "assistant editor" },
};

static const char *const media[] = {
    "podcast", "music", "video", "film", "audiobook", "newsletter", "blog",
    "publisher", "course", "mixed", "podcastL", "musicL", "videoL", "filmL",
    "audiobookL", "newsletterL", "blogL", "publisherL", "courseL",
};

/* serviceslugs.txt: the platforms podcast:block id="" names. */
static const char *const slugs[] = {
    "acast", "amazon", "anchor", "apple", "audible", "audioboom",
    "backtracks", "bitcoin", "blubrry", "buzzsprout", "captivate", "castos",
    "castopod", "facebook", "fireside", "fyyd", "google", "gpodder",
    "hypercatcher", "kasts", "libsyn", "mastodon", "megafono", "megaphone",
    "omnystudio", "overcast", "paypal", "pinecast", "podbean",
    "podcastaddict", "podcastguru", "podcastindex", "podcasts", "podchaser",
    "podcloud", "podfriend", "podiant", "podigee", "podnews", "podomatic",
    "podserve", "podverse", "redcircle", "relay", "resonaterecordings",
    "rss", "shoutengine", "simplecast", "slack", "soundcloud", "spotify",
    "spreaker", "tiktok", "transistor", "twitter", "whooshkaa", "youtube",
    "zencast",
};

static const char *const protocols[] = {
    "disabled", "activitypub", "twitter", "lightning", "atproto", "hive",
    "matrix", "nostr",
};

static bool in_list(const char *s, const char *const *list, size_t nr,
                    bool icase)
{
    for (size_t i = 0; i < nr; i++)
        if (icase ? !strcasecmp(s, list[i]) : !strcmp(s, list[i]))
            return true;
    return false;
}

#define IN(s, list, icase) in_list(s, list, ARRAY_SIZE(list), icase)

/* Where a record's finding goes: its first value, else 'fallback'. */
static const struct srcpos *rec_pos(const struct pi_kind *k, const void *rec,
                                    const struct srcpos *fallback)
{
    for (size_t i = 0; i < k->fields_nr; i++) {
        const struct text *t = pi_ctext(rec, &k->fields[i]);

        if (t->s && t->pos.file)
            return &t->pos;
    }
    return fallback;
}

static const struct srcpos *at(const struct text *t,
                               const struct srcpos *fallback)
{
    return t->s && t->pos.file ? &t->pos : fallback;
}

/* Reports 't' under 'id' when it has more than 'max' characters. */
static void too_long(struct ctx *c, const char *id, const char *what,
                     const struct text *t, size_t max)
{
    if (t->s && utf8_chars(t->s) > max)
        report_add(c->r, id, &t->pos, NULL, "%s has %zu characters; at "
                   "most %zu", what, utf8_chars(t->s), max);
}

/* A decimal number of seconds ("65", "65.5"): true and '*v', else false. */
static bool seconds(const char *s, double *v)
{
    char *end;

    if (!s || !*s || strspn(s, "0123456789.") != strlen(s))
        return false;
    *v = strtod(s, &end);
    return !*end;
}

/* Reports 't' (named 'what') under 'id' unless absent, true or false. */
static void true_false(struct ctx *c, const char *id, const char *what,
                       const struct text *t)
{
    if (t->s && strcmp(t->s, "true") && strcmp(t->s, "false"))
        report_add(c->r, id, &t->pos, NULL, "%s \"%.20s\" is not true or "
                   "false", what, t->s);
}

/* A whole number of at most 9 digits ("0", "95"): true and '*v'. */
static bool whole(const char *s, long *v)
{
    size_t n = s ? strspn(s, "0123456789") : 0;

    if (!n || n != strlen(s) || n > 9)
        return false;
    *v = strtol(s, NULL, 10);
    return true;
}

/* A Lightning node's public key: 33 bytes compressed, 02 or 03 first. */
static bool node_key(const char *s)
{
    return strlen(s) == 66 && strspn(s, "0123456789abcdefABCDEF") == 66 &&
           s[0] == '0' && (s[1] == '2' || s[1] == '3');
}

/* A Lightning address: user@domain.tld, as e-mail looks, no spaces. */
static bool ln_address(const char *s)
{
    const char *at = strchr(s, '@');
    const char *dot = at ? strrchr(at, '.') : NULL;

    return at && at != s && !strchr(at + 1, '@') && dot && dot > at + 1 &&
           dot[1] && !strpbrk(s, " \t\r\n<>\"'/?#");
}

/*
 * The recipients of a value block or of a time split ('what'), the
 * block at 'pos'. The namespace's value.md: a fee="true" recipient's
 * split is a percentage taken off the top, and those may not exceed 100
 * in total; the others' splits are shares, ratios of what remains, which
 * "should never be assumed or expected" to add up to 100. So only what
 * makes the block unpayable is reported, not a sum other than 100.
 */
static void check_recipients(struct ctx *c, const struct pi_recipient *rc,
                             size_t nr, const struct srcpos *pos,
                             const char *what)
{
    long fees = 0, v;
    size_t payees = 0;

    if (!nr)
        report_add(c->r, "pi.value.recipient", pos, NULL, "%s has no "
                   "valueRecipient", what);
    for (size_t i = 0; i < nr; i++, rc++) {
        const struct srcpos *rpos = rec_pos(&pi_recipient_kind, rc, pos);
        bool fee = rc->fee.s && !strcmp(rc->fee.s, "true");

        if (!rc->type.s)
            report_add(c->r, "pi.value.recipient", rpos, NULL,
                       "valueRecipient has no type (node, lnaddress)");
        if (!rc->address.s)
            report_add(c->r, "pi.value.recipient", rpos, NULL,
                       "valueRecipient has no address");
        else if (rc->type.s && !strcmp(rc->type.s, "node") &&
                 !node_key(rc->address.s))
            report_add(c->r, "pi.value.recipient", &rc->address.pos, NULL,
                       "address \"%.70s\" is not a Lightning node's public "
                       "key (66 hex digits starting 02 or 03)",
                       rc->address.s);
        else if (rc->type.s && !strcmp(rc->type.s, "lnaddress") &&
                 !ln_address(rc->address.s))
            report_add(c->r, "pi.value.recipient", &rc->address.pos, NULL,
                       "address \"%.70s\" is not a Lightning address "
                       "(user@domain)", rc->address.s);
        true_false(c, "pi.value.recipient", "fee", &rc->fee);
        if (!whole(rc->split.s, &v)) {
            report_add(c->r, "pi.value.split", at(&rc->split, rpos), NULL,
                       "split \"%.20s\" is not a whole number (of shares, "
                       "or a fee's percentage)", rc->split.s ? rc->split.s
                                                              : "");
            continue;
        }
        if (fee)
            fees += v;
        else
            payees += v > 0;
    }
    if (nr && !payees)
        report_add(c->r, "pi.value.split", pos, NULL, "%s has no recipient "
                   "with shares (split above 0, not a fee): nobody is paid",
                   what);
    if (fees >= 100)
        report_add(c->r, "pi.value.split", pos, NULL, "the fee recipients "
                   "of %s take %ld%% (a fee's split is a percentage off "
                   "the top); they must total less than 100", what, fees);
}

struct span {
    double start, end;
    const struct srcpos *pos;
};

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    return (x->start > y->start) - (x->start < y->start);
}

/*
 * The time splits of 'v', in audio lasting 'ms' (0: unknown): each
 * inside it, none overlapping another, a remoteItem with a feedGuid or
 * recipients of its own (one or the other), remotePercentage 0 to 100.
 */
static void check_timesplits(struct ctx *c, const struct pi_value *v,
                             int64_t ms, const struct srcpos *fallback)
{
    struct span *spans = xcalloc(v->timesplits_nr + 1, sizeof(*spans));
    size_t spans_nr = 0;
    double end_s = (double)ms / 1000;

    for (size_t i = 0; i < v->timesplits_nr; i++) {
        const struct pi_timesplit *ts = &v->timesplits[i];
        const struct srcpos *pos = ts->pos.file ? &ts->pos : fallback;
        const struct pi_remote *ri = &ts->remote;
        bool remote = ri->feed_guid.s || ri->item_guid.s || ri->feed_url.s;
        double start, len, pct;

        if (!seconds(ts->start.s, &start))
            report_add(c->r, "pi.value.timesplit", at(&ts->start, pos), NULL,
                       "valueTimeSplit start \"%.20s\" is not a time "
                       "(seconds, or MM:SS)", ts->start.s ? ts->start.s : "");
        else if (!seconds(ts->duration.s, &len) || len <= 0)
            report_add(c->r, "pi.value.timesplit", at(&ts->duration, pos),
                       NULL, "valueTimeSplit duration \"%.20s\" is not a "
                       "length of time (seconds)", ts->duration.s ?
                       ts->duration.s : "");
        else if (ms > 0 && start + len > end_s + 0.5)
            report_add(c->r, "pi.value.timesplit", pos, NULL,
                       "valueTimeSplit %.3g s + %.3g s ends past the end "
                       "of the audio (%.1f s)", start, len, end_s);
        else
            spans[spans_nr++] = (struct span){ start, start + len, pos };
        if (ts->remote_start.s && !seconds(ts->remote_start.s, &start))
            report_add(c->r, "pi.value.timesplit", &ts->remote_start.pos,
                       NULL, "remoteStartTime \"%.20s\" is not a time "
                       "(seconds)", ts->remote_start.s);
        if (ts->remote_percentage.s &&
            (!seconds(ts->remote_percentage.s, &pct) || pct > 100))
            report_add(c->r, "pi.value.timesplit",
                       &ts->remote_percentage.pos, NULL, "remotePercentage "
                       "\"%.20s\" is not a number from 0 to 100",
                       ts->remote_percentage.s);
        if (remote && ts->recipients_nr)
            report_add(c->r, "pi.value.timesplit", pos, NULL,
                       "valueTimeSplit has a remoteItem and recipients: the "
                       "namespace allows one or the other");
        else if (!remote && !ts->recipients_nr)
            report_add(c->r, "pi.value.timesplit", pos, NULL,
                       "valueTimeSplit has neither a remoteItem nor "
                       "recipients");
        else if (remote && !ri->feed_guid.s)
            report_add(c->r, "pi.value.timesplit",
                       rec_pos(&pi_remote_kind, ri, pos), NULL,
                       "valueTimeSplit's remoteItem has no feedGuid "
                       "(required: the podcast:guid of its show)");
        else if (remote && !uuid_valid(ri->feed_guid.s))
            report_add(c->r, "pi.value.timesplit", &ri->feed_guid.pos, NULL,
                       "feedGuid \"%.60s\" is not a UUID", ri->feed_guid.s);
        else if (!remote)
            check_recipients(c, ts->recipients, ts->recipients_nr, pos,
                             "valueTimeSplit");
    }
    qsort(spans, spans_nr, sizeof(*spans), cmp_span);
    for (size_t i = 1; i < spans_nr; i++)
        if (spans[i].start < spans[i - 1].end - 0.0005)
            report_add(c->r, "pi.value.timesplit", spans[i].pos, NULL,
                       "valueTimeSplit at %.3g s starts before the one at "
                       "%.3g s ends (%.3g s): they overlap", spans[i].start,
                       spans[i - 1].start, spans[i - 1].end);
    free(spans);
}

static void check_value(struct ctx *c, const struct pi_value *v,
                        const struct srcpos *fallback)
{
    const struct srcpos *pos = v->pos.file ? &v->pos : fallback;

    if (!v->set)
        return;
    if (!v->type.s || !v->method.s)
        report_add(c->r, "pi.value.recipient", pos, NULL, "podcast:value "
                   "has no %s (required: e.g. lightning, keysend)",
                   !v->type.s ? "type" : "method");
    check_recipients(c, v->recipients, v->recipients_nr, pos,
                     "podcast:value");
}

/*
 * podcast:image: an href, whole-number width and height that match the
 * file's (a local file's, probed), a type that matches it, a purpose of
 * at most 128 characters.
 */
static void check_images(struct ctx *c, const struct pi_image *im, size_t nr,
                         const struct srcpos *fallback)
{
    for (size_t i = 0; i < nr; i++, im++) {
        const struct srcpos *pos = rec_pos(&pi_image_kind, im, fallback);
        const struct text *dims[2] = { &im->width, &im->height };
        struct image_info info = { 0 };
        struct strbuf msg = STRBUF_INIT;
        long v;

        if (!im->href.s)
            report_add(c->r, "pi.images.value", pos, NULL,
                       "podcast:image has no href");
        too_long(c, "pi.images.value", "podcast:image purpose", &im->purpose,
                 PI_TEXT_MAX);
        for (int d = 0; d < 2; d++)
            if (dims[d]->s && (!whole(dims[d]->s, &v) || !v))
                report_add(c->r, "pi.images.value", &dims[d]->pos, NULL,
                           "podcast:image %s \"%.20s\" is not a number of "
                           "pixels", d ? "height" : "width", dims[d]->s);
        if (!im->path || probe_image(im->path, &info, &msg) < 0) {
            strbuf_release(&msg);   /* build reports unreadable files */
            continue;
        }
        if (!info.format) {
            if (!im->type.s)
                report_add(c->r, "pi.images.size", &im->href.pos, NULL,
                           "%s: content is %s: give its type", im->path,
                           info.content);
            continue;
        }
        for (int d = 0; d < 2; d++) {
            int file = d ? info.height : info.width;

            if (dims[d]->s && whole(dims[d]->s, &v) && file && v != file)
                report_add(c->r, "pi.images.size", &dims[d]->pos, NULL,
                           "podcast:image %s is %ld but %s is %d pixels %s",
                           d ? "height" : "width", v, im->path, file,
                           d ? "high" : "wide");
        }
        if (im->type.s && strcasecmp(im->type.s, !strcmp(info.format, "png")
                                     ? "image/png" : "image/jpeg"))
            report_add(c->r, "pi.images.size", &im->type.pos, NULL,
                       "podcast:image type is %.40s but %s is %s",
                       im->type.s, im->path, info.content);
    }
}

static int group_of(const char *name)
{
    char buf[64];
    size_t n = strlen(name);

    while (n && name[n - 1] == ' ')
        n--;
    snprintf(buf, sizeof(buf), "%.*s", (int)n, name);
    for (size_t g = 0; g < ARRAY_SIZE(taxonomy); g++)
        if (!strcasecmp(taxonomy[g][0], buf))
            return (int)g;
    return -1;
}

static bool role_in(const char *role, int g)
{
    for (size_t i = 1; i < ARRAY_SIZE(taxonomy[0]) && taxonomy[g][i]; i++)
        if (!strcasecmp(taxonomy[g][i], role))
            return true;
    return false;
}

static void check_persons(struct ctx *c, const struct pi_person *p,
                          size_t nr, const struct srcpos *fallback)
{
    for (size_t i = 0; i < nr; i++, p++) {
        const struct srcpos *pos = rec_pos(&pi_person_kind, p, fallback);
        int g = p->group.s ? group_of(p->group.s) : 1;   /* default cast */
        bool known = false;

        if (!p->name.s)
            report_add(c->r, "pi.person.name", pos, NULL, "podcast:person "
                       "has no name");
        too_long(c, "pi.person.name", "podcast:person's name", &p->name,
                 PI_TEXT_MAX);
        if (p->group.s && g < 0) {
            report_add(c->r, "pi.person.role", &p->group.pos, NULL,
                       "podcast:person group \"%.60s\" is not in the "
                       "namespace's taxonomy (e.g. cast, writing, audio "
                       "production)", p->group.s);
            continue;
        }
        if (!p->role.s)
            continue;
        for (size_t k = 0; k < ARRAY_SIZE(taxonomy) && !known; k++)
            known = role_in(p->role.s, (int)k);
        if (!known)
            report_add(c->r, "pi.person.role", &p->role.pos, NULL,
                       "podcast:person role \"%.60s\" is not in the "
                       "namespace's taxonomy (e.g. host, guest, producer)",
                       p->role.s);
        else if (!role_in(p->role.s, g))
            report_add(c->r, "pi.person.role", &p->role.pos, NULL,
                       "podcast:person role \"%.60s\" is not one of group "
                       "\"%s\"%s", p->role.s, taxonomy[g][0],
                       p->group.s ? "" : " (the default group)");
    }
}

/* "geo:LAT,LON[,ALT][;params]" with LAT and LON in range (RFC 5870). */
static bool geo_ok(const char *s)
{
    char *end;
    double lat, lon;

    if (strncmp(s, "geo:", 4))
        return false;
    lat = strtod(s + 4, &end);
    if (end == s + 4 || *end != ',' || lat < -90 || lat > 90)
        return false;
    s = end + 1;
    lon = strtod(s, &end);
    if (end == s || lon < -180 || lon > 180)
        return false;
    if (*end == ',') {
        s = end + 1;
        (void)strtod(s, &end);
        if (end == s)
            return false;
    }
    return !*end || *end == ';';
}

/* An OpenStreetMap object: N, W or R, its number, optional "#revision". */
static bool osm_ok(const char *s)
{
    size_t n;

    if (*s != 'N' && *s != 'W' && *s != 'R')
        return false;
    n = strspn(s + 1, "0123456789");
    if (!n)
        return false;
    s += 1 + n;
    if (*s == '#' && strspn(s + 1, "0123456789") == strlen(s + 1) && s[1])
        return true;
    return !*s;
}

static void check_location(struct ctx *c, const struct pi_location *l)
{
    if (!l->name.s) {
        if (l->geo.s || l->osm.s)
            report_add(c->r, "pi.location.value",
                       rec_pos(&pi_location_kind, l, &c->show_pos), NULL,
                       "podcast:location has no name (the text apps show)");
        return;
    }
    too_long(c, "pi.location.value", "podcast:location's name", &l->name,
             PI_TEXT_MAX);
    if (l->geo.s && !geo_ok(l->geo.s))
        report_add(c->r, "pi.location.value", &l->geo.pos, NULL, "geo "
                   "\"%.60s\" is not geo:LATITUDE,LONGITUDE (RFC 5870, e.g. "
                   "geo:51.44,5.47)", l->geo.s);
    if (l->osm.s && !osm_ok(l->osm.s))
        report_add(c->r, "pi.location.value", &l->osm.pos, NULL, "osm "
                   "\"%.60s\" is not an OpenStreetMap object (N, W or R and "
                   "its number, e.g. R271110)", l->osm.s);
    if (l->country.s && (strlen(l->country.s) != 2 ||
                         strspn(l->country.s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                         != 2))
        report_add(c->r, "pi.location.value", &l->country.pos, NULL,
                   "country \"%.20s\" is not an ISO 3166-1 alpha-2 code "
                   "(e.g. NL)", l->country.s);
    if (l->rel.s && strcmp(l->rel.s, "subject") && strcmp(l->rel.s,
                                                          "creator"))
        report_add(c->r, "pi.location.value", &l->rel.pos, NULL, "rel "
                   "\"%.20s\" is not subject or creator", l->rel.s);
}

static void check_license(struct ctx *c, const struct pi_license *l)
{
    if (!l->name.s)
        return;
    too_long(c, "pi.license.value", "podcast:license", &l->name,
             PI_TEXT_MAX);
    /* licenses.json's identifiers are SPDX's: no spaces. */
    if (!l->url.s && strspn(l->name.s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "abcdefghijklmnopqrstuvwxyz0123456789.+-") !=
                     strlen(l->name.s))
        report_add(c->r, "pi.license.value", &l->name.pos, NULL,
                   "podcast:license \"%.60s\" is not an SPDX identifier "
                   "(e.g. CC-BY-4.0): a licence of its own needs a url",
                   l->name.s);
}

static void check_txts(struct ctx *c, const struct pi_txt *t, size_t nr,
                       const struct srcpos *fallback)
{
    for (size_t i = 0; i < nr; i++, t++) {
        if (!t->text.s)
            report_add(c->r, "pi.txt.length",
                       rec_pos(&pi_txt_kind, t, fallback), NULL,
                       "podcast:txt is empty");
        too_long(c, "pi.txt.length", "podcast:txt", &t->text, PI_TXT_MAX);
        too_long(c, "pi.txt.length", "podcast:txt's purpose", &t->purpose,
                 PI_TEXT_MAX);
    }
}

static void check_update(struct ctx *c, const struct pi_update *u)
{
    static const char *const freqs[] = { "SECONDLY", "MINUTELY", "HOURLY",
        "DAILY", "WEEKLY", "MONTHLY", "YEARLY" };
    const char *f;
    struct pp_date d;
    const char *why;

    too_long(c, "pi.update.value", "podcast:updateFrequency", &u->text,
             PI_TEXT_MAX);
    if (u->rrule.s) {
        char freq[16] = "";

        f = strstr(u->rrule.s, "FREQ=");
        if (f)
            snprintf(freq, sizeof(freq), "%.*s",
                     (int)strcspn(f + 5, ";"), f + 5);
        if (!f || (f != u->rrule.s && f[-1] != ';') || !IN(freq, freqs,
                                                          false))
            report_add(c->r, "pi.update.value", &u->rrule.pos, NULL,
                       "rrule \"%.60s\" has no FREQ= (RFC 5545, e.g. "
                       "FREQ=WEEKLY;BYDAY=FR)", u->rrule.s);
    }
    true_false(c, "pi.update.value", "complete", &u->complete);
    if (u->dtstart.s && date_parse(u->dtstart.s, "UTC", &d, &why) < 0)
        report_add(c->r, "pi.update.value", &u->dtstart.pos, NULL,
                   "dtstart \"%.40s\" is not an ISO 8601 date", u->dtstart.s);
}

static void check_blocks(struct ctx *c)
{
    const struct pi_show *pi = &c->show->pi;
    const struct text *apple[2] = { &pi->itunes_block, &pi->itunes_complete };

    for (size_t i = 0; i < pi->blocks_nr; i++) {
        const struct pi_block *b = &pi->blocks[i];
        const struct srcpos *pos = rec_pos(&pi_block_kind, b,
                                           &c->show_pos);

        if (!b->value.s || (strcmp(b->value.s, "yes") &&
                            strcmp(b->value.s, "no")))
            report_add(c->r, "pi.block.value", pos, NULL, "podcast:block "
                       "\"%.20s\" is not yes or no", b->value.s ? b->value.s
                                                                : "");
        if (b->id.s && !IN(b->id.s, slugs, false))
            report_add(c->r, "pi.block.value", &b->id.pos, NULL,
                       "podcast:block id \"%.40s\" is not a platform of "
                       "the namespace's service slugs (e.g. apple, "
                       "spotify, google)", b->id.s);
    }
    for (size_t i = 0; i < 2; i++)
        if (apple[i]->s && strcasecmp(apple[i]->s, "yes") &&
            strcasecmp(apple[i]->s, "no"))
            report_add(c->r, "apple.block.value", &apple[i]->pos, NULL,
                       "%s \"%.20s\" has no effect: Apple reads only Yes",
                       i ? "itunes:complete" : "itunes:block", apple[i]->s);
}

static void check_trailers(struct ctx *c)
{
    const struct pi_show *pi = &c->show->pi;

    for (size_t i = 0; i < pi->trailers_nr; i++) {
        const struct pi_trailer *t = &pi->trailers[i];
        const struct srcpos *pos = rec_pos(&pi_trailer_kind, t,
                                           &c->show_pos);
        struct pp_date d;
        bool named;

        if (!t->url.s)
            report_add(c->r, "pi.trailer.value", pos, NULL,
                       "podcast:trailer has no url");
        if (!t->pubdate.s || date_parse_rfc2822(t->pubdate.s, &d,
                                                &named) < 0)
            report_add(c->r, "pi.trailer.value", pos, NULL, "podcast:trailer "
                       "pubdate \"%.40s\" is not an RFC 2822 date",
                       t->pubdate.s ? t->pubdate.s : "");
        if (t->length.s && strspn(t->length.s, "0123456789") !=
                           strlen(t->length.s))
            report_add(c->r, "pi.trailer.value", pos, NULL, "podcast:trailer "
                       "length \"%.20s\" is not a size in bytes",
                       t->length.s);
        if (!t->title.s)
            report_add(c->r, "pi.trailer.value", pos, NULL,
                       "podcast:trailer has no title (its text)");
        too_long(c, "pi.trailer.value", "podcast:trailer's title", &t->title,
                 PI_TEXT_MAX);
    }
}

void check_pi_show(struct ctx *c)
{
    const struct pi_show *pi = &c->show->pi;

    for (size_t i = 0; i < pi->funding_nr; i++)
        too_long(c, "pi.funding.length", "podcast:funding text",
                 &pi->funding[i].text, PI_TEXT_MAX);
    check_persons(c, pi->persons, pi->persons_nr, &c->show_pos);
    check_location(c, &pi->location);
    check_license(c, &pi->license);
    if (pi->medium.s && !IN(pi->medium.s, media, false))
        report_add(c->r, "pi.medium.value", &pi->medium.pos, NULL,
                   "podcast:medium \"%.40s\" is not one the namespace "
                   "lists (podcast, music, video, film, audiobook, "
                   "newsletter, blog, publisher, course, their L lists, "
                   "mixed)", pi->medium.s);
    check_txts(c, pi->txts, pi->txts_nr, &c->show_pos);
    for (size_t i = 0; i < pi->podroll_nr; i++) {
        const struct pi_remote *ri = &pi->podroll[i];

        if (!ri->feed_guid.s)
            report_add(c->r, "pi.remote.guid",
                       rec_pos(&pi_remote_kind, ri, &c->show_pos), NULL,
                       "podcast:remoteItem has no feedGuid (required: "
                       "the podcast:guid of the show it names)");
        else if (!uuid_valid(ri->feed_guid.s))
            report_add(c->r, "pi.remote.guid", &ri->feed_guid.pos, NULL,
                       "feedGuid \"%.60s\" is not a UUID", ri->feed_guid.s);
    }
    check_update(c, &pi->update);
    check_blocks(c);
    check_trailers(c);
    check_value(c, &pi->value, &c->show_pos);
    check_timesplits(c, &pi->value, 0, &c->show_pos);
    check_images(c, pi->images, pi->images_nr, &c->show_pos);
}

/* How long 'ep's audio lasts: a read feed's, what itunes:duration says. */
static int64_t audio_ms(const struct episode *ep, const struct feed_item *it)
{
    int64_t ms = ep->media.duration_ms;

    if (it && (!it->duration.s || chapter_time_parse(it->duration.s,
                                                     &ms) < 0))
        ms = 0;
    return ms;
}

static void check_soundbites(struct ctx *c, const struct episode *ep,
                             const struct feed_item *it,
                             const struct srcpos *ep_pos)
{
    int64_t ms = audio_ms(ep, it);
    for (size_t i = 0; i < ep->pi.soundbites_nr; i++) {
        const struct pi_soundbite *s = &ep->pi.soundbites[i];
        const struct srcpos *pos = rec_pos(&pi_soundbite_kind, s, ep_pos);
        double start, len, end_s = (double)ms / 1000;

        if (!seconds(s->start.s, &start)) {
            report_add(c->r, "pi.soundbite.range", at(&s->start, pos), NULL,
                       "soundbite start \"%.20s\" is not a time (seconds, "
                       "or MM:SS)", s->start.s ? s->start.s : "");
            continue;
        }
        if (!seconds(s->duration.s, &len) || len <= 0) {
            report_add(c->r, "pi.soundbite.range", at(&s->duration, pos),
                       NULL, "soundbite duration \"%.20s\" is not a length "
                       "of time (seconds)", s->duration.s ? s->duration.s
                                                          : "");
            continue;
        }
        if (ms > 0 && start + len > end_s + 0.5)
            report_add(c->r, "pi.soundbite.range", pos, NULL, "soundbite "
                       "%.3g s + %.3g s ends past the end of the audio "
                       "(%.1f s)", start, len, end_s);
        else if (len < SOUNDBITE_MIN_S || len > SOUNDBITE_MAX_S)
            report_add(c->r, "pi.soundbite.length", at(&s->duration, pos),
                       NULL, "soundbite lasts %.3g s; the namespace "
                       "recommends %d to %d s", len, SOUNDBITE_MIN_S,
                       SOUNDBITE_MAX_S);
        too_long(c, "pi.soundbite.length", "soundbite title", &s->title,
                 PI_TEXT_MAX);
    }
}

static void check_socials(struct ctx *c, const struct episode *ep,
                          const struct srcpos *ep_pos)
{
    for (size_t i = 0; i < ep->pi.socials_nr; i++) {
        const struct pi_social *s = &ep->pi.socials[i];
        const struct srcpos *pos = rec_pos(&pi_social_kind, s, ep_pos);

        if (!s->protocol.s || !IN(s->protocol.s, protocols, false))
            report_add(c->r, "pi.social.value", at(&s->protocol, pos), NULL,
                       "socialInteract protocol \"%.30s\" is not one the "
                       "namespace lists (activitypub, twitter, atproto, "
                       "nostr, ..., disabled)", s->protocol.s ?
                       s->protocol.s : "");
        else if (!s->uri.s && strcmp(s->protocol.s, "disabled"))
            report_add(c->r, "pi.social.value", pos, NULL, "socialInteract "
                       "has no uri (the post to comment on)");
        if (s->priority.s && (!*s->priority.s ||
                              strspn(s->priority.s, "0123456789") !=
                              strlen(s->priority.s)))
            report_add(c->r, "pi.social.value", &s->priority.pos, NULL,
                       "socialInteract priority \"%.20s\" is not a whole "
                       "number", s->priority.s);
    }
}

static bool timed(const char *type)
{
    return !strcmp(type, "text/vtt") || !strcmp(type, "application/x-subrip")
           || !strcmp(type, "application/srt") ||
           !strcmp(type, "application/json");
}

static void check_transcripts(struct ctx *c, const struct episode *ep,
                              const struct srcpos *ep_pos)
{
    for (size_t i = 0; i < ep->transcripts_nr; i++) {
        const struct transcript *t = &ep->transcripts[i];
        const struct srcpos *pos = at(&t->file, ep_pos);
        const char *type = t->type.s;

        if (type && !timed(type) && strcmp(type, "text/html") &&
            strcmp(type, "text/plain"))
            report_add(c->r, "pi.transcript.type", at(&t->type, pos), NULL,
                       "transcript type \"%.60s\" is not one the Podcast "
                       "Index lists", type);
        if (t->language.s && !language_ok(t->language.s))
            report_add(c->r, "pi.transcript.language", &t->language.pos,
                       NULL, "transcript language \"%.20s\" is not an ISO "
                       "639-1 code (nl, en, nl-BE)", t->language.s);
        if (t->rel.s && strcmp(t->rel.s, "captions"))
            report_add(c->r, "pi.transcript.rel", &t->rel.pos, NULL,
                       "transcript rel \"%.20s\" is not captions (the only "
                       "rel the namespace has)", t->rel.s);
        else if (t->rel.s && type && !timed(type))
            report_add(c->r, "pi.transcript.rel", &t->rel.pos, NULL,
                       "captions need times: %s has none (use WebVTT or "
                       "SubRip)", type);
    }
}

void check_pi_episode(struct ctx *c, const struct episode *ep,
                      const struct feed_item *it,
                      const struct srcpos *ep_pos)
{
    const struct pi_episode *pi = &ep->pi;

    check_persons(c, pi->persons, pi->persons_nr, ep_pos);
    check_location(c, &pi->location);
    check_license(c, &pi->license);
    check_txts(c, pi->txts, pi->txts_nr, ep_pos);
    too_long(c, "pi.season.name", "podcast:season name", &pi->season_name,
             PI_TEXT_MAX);
    too_long(c, "pi.episode.display", "podcast:episode display",
             &pi->episode_display, PI_DISPLAY_MAX);
    check_soundbites(c, ep, it, ep_pos);
    check_transcripts(c, ep, ep_pos);
    check_socials(c, ep, ep_pos);
    check_value(c, &pi->value, ep_pos);
    check_timesplits(c, &pi->value, audio_ms(ep, it), ep_pos);
    if (pi->value.timesplits_nr && !pi->value.set && !c->show->pi.value.set)
        report_add(c->r, "pi.value.timesplit", pi->value.timesplits[0].pos.file
                   ? &pi->value.timesplits[0].pos : ep_pos, NULL,
                   "value_time_splits need a value block to return to: give "
                   "the show or the episode a value:");
    check_images(c, pi->images, pi->images_nr, ep_pos);
    if (pi->itunes_block.s && strcasecmp(pi->itunes_block.s, "yes") &&
        strcasecmp(pi->itunes_block.s, "no"))
        report_add(c->r, "apple.block.value", &pi->itunes_block.pos, NULL,
                   "itunes:block \"%.20s\" has no effect: Apple reads only "
                   "Yes", pi->itunes_block.s);
}
