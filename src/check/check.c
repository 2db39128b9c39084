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

#include "internal.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

#define APPLE_TEXT_MAX 4000
#define APPLE_TITLE_MAX 255
#define PI_TEXT_MAX 128
#define FEED_SIZE_WARN (1024 * 1024)

/*
 * What a finding calls something: the feed's element when the show was
 * read from a feed (its owner fixes the feed), else podpub's words.
 */
static const char *say(const struct ctx *c, const char *local,
                       const char *feed)
{
    return c->doc ? feed : local;
}

/* The position of 't', or 'fallback' when it was not written. */
static const struct srcpos *at(const struct text *t,
                               const struct srcpos *fallback)
{
    return t->s && t->pos.file ? &t->pos : fallback;
}

/* ISO 639-1 language, optionally "-" and a region: nl, nl-BE, en-us. */
bool language_ok(const char *l)
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
        report_add(c->r, "apple.language.code", &c->show_pos, NULL, "%s",
                   say(c, "the show has no language",
                       "<channel> has no <language>"));
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
                   "%s (Apple requires one)",
                   say(c, "the show has no category",
                       "<channel> has no <itunes:category>"));
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
        if (c->doc && raw == &c->doc->explicit)
            report_add(c->r, "apple.explicit.value", fallback, NULL,
                       "<channel> has no <itunes:explicit> (want true or "
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

/* Bytes Apple wants in media file names. */
static bool name_byte_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

/*
 * The file name in 's': for a URL the last segment of its path (no
 * query, no fragment: "cover.png?format=3000w" is "cover.png"),
 * percent-decoded, as the server sees it; else what follows the last
 * '/'. The caller frees it.
 */
static char *file_name_of(const char *s, bool url)
{
    const char *end, *base, *scheme;
    struct strbuf sb = STRBUF_INIT;

    if (url) {
        if ((scheme = strstr(s, "://")) && scheme < s + strcspn(s, "/?#"))
            s = scheme + 3 + strcspn(scheme + 3, "/?#");   /* the path */
        end = s + strcspn(s, "?#");
    } else {
        end = s + strlen(s);
    }
    for (base = end; base > s && base[-1] != '/'; base--)
        ;
    for (const char *p = base; p < end; p++) {
        int hi, lo;

        if (url && *p == '%' && end - p > 2 && (hi = hex_digit(p[1])) >= 0 &&
            (lo = hex_digit(p[2])) >= 0) {
            strbuf_addch(&sb, hi << 4 | lo);
            p += 2;
        } else {
            strbuf_addch(&sb, *p);
        }
    }
    return strbuf_detach(&sb, NULL);
}

/* Appends 'text' to a suggested name, after a pending separator. */
static void name_add(struct strbuf *sb, const char *text, bool *dash)
{
    char last = '-';

    if (sb->len)
        last = sb->buf[sb->len - 1];
    if (*dash && last != '-' && last != '_' && *text != '-' &&
        *text != '_' && *text != '.')
        strbuf_addch(sb, '-');
    *dash = false;
    strbuf_addstr(sb, text);
}

/*
 * A name like 'name' that Apple accepts, changed only where it must be:
 * accented Latin letters lose their accents (slugify()'s folding, which
 * gives lower case), apostrophes go, anything else separates with one
 * '-' (none next to a '-', '_' or '.', nor first or last). ASCII letters
 * keep their case: URLs are case-sensitive, and the suggestion is a
 * rename, not a new name.
 */
static char *name_suggestion(const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    const unsigned char *p = (const unsigned char *)name;
    bool dash = false;

    while (*p) {
        size_t n = 1;
        char *one, *fold;

        if (name_byte_ok((char)*p)) {
            char ch[2] = { (char)*p++, '\0' };

            name_add(&sb, ch, &dash);
            continue;
        }
        while (*p >= 0xc0 && n < 4 && (p[n] & 0xc0) == 0x80)
            n++;
        if (*p == '\'' || (n == 3 && (!memcmp(p, "\xe2\x80\x98", 3) ||
                                      !memcmp(p, "\xe2\x80\x99", 3)))) {
            p += n;     /* "Giant_Bomb's" -> "Giant_Bombs" */
            continue;
        }
        one = xstrndup((const char *)p, n);
        fold = *p >= 0x80 ? slugify(one, 8) : NULL;
        /* slugify() says "episode" when there was no letter to fold. */
        if (fold && strcmp(fold, "episode"))
            name_add(&sb, fold, &dash);
        else
            dash = true;
        free(fold);
        free(one);
        p += n;
    }
    return strbuf_detach(&sb, NULL);
}

/*
 * The file name in 'name' (a URL when 'url', else a local path) is made
 * of ASCII letters, digits, '-', '_' and '.'.
 */
static void check_ascii_name(struct ctx *c, const char *name,
                             const struct srcpos *pos, const char *shown_url,
                             bool url)
{
    char *file = file_name_of(name, url), *fix, *shown;
    size_t n = strlen(file), i;

    for (i = 0; i < n && name_byte_ok(file[i]); i++)
        ;
    if (i == n) {
        free(file);
        return;
    }
    fix = name_suggestion(file);
    shown = printable_n(file, n, QUOTE_MAX);
    report_add(c->r, "apple.url.ascii", pos, shown_url, "file name \"%s\" "
               "has characters Apple does not want in media URLs (it asks "
               "for a-z, A-Z, 0-9, - and _): e.g. \"%s\"", shown, fix);
    free(shown);
    free(fix);
    free(file);
}

/* White space a title starts or ends with, as a feed had it. */
static void check_padding(struct ctx *c, const struct srcpos *pos,
                          char lead, char trail)
{
    static const struct { char c; const char *name; } kinds[] = {
        { ' ', "a space" }, { '\t', "a tab" }, { '\n', "a line break" },
        { '\r', "a carriage return" },
    };
    const char *l = NULL, *t = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (lead == kinds[i].c)
            l = kinds[i].name;
        if (trail == kinds[i].c)
            t = kinds[i].name;
    }
    if (l && t && l == t)
        report_add(c->r, "apple.title.spaces", pos, NULL, "the title starts "
                   "and ends with %s; Apple asks for none, and some apps "
                   "show them", l);
    else if (l && t)
        report_add(c->r, "apple.title.spaces", pos, NULL, "the title starts "
                   "with %s and ends with %s; Apple asks for none, and some "
                   "apps show them", l, t);
    else if (l || t)
        report_add(c->r, "apple.title.spaces", pos, NULL, "the title %s "
                   "with %s; Apple asks for none, and some apps show it",
                   l ? "starts" : "ends", l ? l : t);
}

static void check_show_fields(struct ctx *c)
{
    const struct show *s = c->show;
    const struct srcpos *sp = &c->show_pos;

    if (!s->title.s)
        report_add(c->r, "rss.title.missing", sp, NULL, "%s",
                   say(c, "the show has no title",
                       "<channel> has no <title>"));
    else if (c->doc)
        check_padding(c, &s->title.pos, c->doc->title_lead,
                      c->doc->title_trail);
    if (!s->description.s)
        report_add(c->r, "rss.description.missing", sp, NULL, "%s",
                   say(c, "the show has no description",
                       "<channel> has no <description>"));
    else if (c->doc && !c->doc->has_description)
        report_add(c->r, "rss.description.missing", sp, NULL, "<channel> "
                   "has no <description>, only an <itunes:summary>: RSS 2.0 "
                   "and Apple require <description>, and not every app "
                   "reads the summary in its place");
    if (s->description.s && strlen(s->description.s) > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length", &s->description.pos,
                   NULL, "the description has %zu bytes; Apple allows %d",
                   strlen(s->description.s), APPLE_TEXT_MAX);
    check_language(c);
    if (!s->link.s)
        report_add(c->r, "rss.link.missing", sp, NULL, "%s",
                   say(c, "the show has no website link",
                       "<channel> has no <link> (the show's website)"));
    if (!s->author.s)
        report_add(c->r, "spotify.author.missing", sp, NULL, "%s",
                   say(c, "the show has no author (Spotify needs "
                       "itunes:author)", "<channel> has no <itunes:author> "
                       "(Spotify needs it)"));
    if (!s->owner_name.s)
        report_add(c->r, "apple.owner.name", at(&s->owner_email, sp), NULL,
                   "%s", say(c, "itunes:owner has no name",
                             "<channel> has no <itunes:owner> with an "
                             "<itunes:name>"));
    if (!s->owner_email.s)
        report_add(c->r, "spotify.owner.email", sp, NULL, "%s",
                   say(c, "the show has no owner e-mail (Spotify requires "
                       "one)", "<channel> has no <itunes:owner> with an "
                       "<itunes:email> (Spotify requires one)"));
    else if (!email_valid(s->owner_email.s))
        report_add(c->r, "spotify.owner.email", &s->owner_email.pos, NULL,
                   "\"%.80s\" is not an e-mail address", s->owner_email.s);
    if (c->doc) {
        const struct text *type = &c->doc->type;

        check_explicit(c, &c->doc->explicit, sp);
        if (type->s && strcmp(type->s, "episodic") &&
            strcmp(type->s, "serial"))
            report_add(c->r, "apple.type.value", &type->pos, NULL,
                       "itunes:type \"%.40s\" is not episodic or serial",
                       type->s);
    }
    check_categories(c);
    if (!s->image.s && c->doc && c->doc->image_text.s) {
        char *shown = printable(c->doc->image_text.s, QUOTE_MAX);

        report_add(c->r, "apple.image.missing", &c->doc->image_text.pos,
                   NULL, "<itunes:image> has no href=\"...\": Apple takes "
                   "the artwork's URL only from href, not from the text "
                   "(\"%s\")", shown);
        free(shown);
    } else if (!s->image.s && !s->image_url) {
        report_add(c->r, "apple.image.missing", sp, NULL, "%s",
                   say(c, "the show has no artwork (image:); Apple and "
                       "Spotify require it", "<channel> has no <itunes:image "
                       "href=\"...\">; Apple and Spotify require artwork"));
    } else if (s->image_path) {
        check_image_file(c, s->image_path, &s->image);
    }
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
    if (s->moved_to.s) {
        char *to = printable(s->moved_to.s, 200);

        report_add(c->r, "apple.feed.moved", at(&s->moved_to, sp), NULL,
                   "%s %s: apps and directories move their subscribers "
                   "there; keep this feed complete and served until they "
                   "have (README: \"Leaving podpub\")",
                   say(c, "moved_to: the feed says the show moved to",
                       "<itunes:new-feed-url>: the feed says the show "
                       "moved to"), to);
        free(to);
        if (s->feed_url.s && !strcmp(s->moved_to.s, s->feed_url.s))
            report_add(c->r, "apple.feed.moved", at(&s->moved_to, sp), NULL,
                       "the new feed URL is this feed's own URL: apps "
                       "would move to where they are");
    }
    if (s->link.s && s->link.pos.file)
        check_url_value(c, s->link.s, &s->link.pos, "link");
    if (!s->image_path && s->image_url)
        check_url_value(c, s->image_url, at(&s->image, sp), "itunes:image");
    if (s->image.s)
        check_ascii_name(c, s->image.s, &s->image.pos, s->image_url,
                         c->doc != NULL);
    /* Podcast Index */
    if (s->guid.s) {
        char want[UUID_STR_LEN];

        if (!uuid_valid(s->guid.s)) {
            report_add(c->r, "pi.guid.format", &s->guid.pos, NULL,
                       "podcast:guid \"%.60s\" is not a UUID", s->guid.s);
        } else if (s->feed_url.s && !s->moved_from.s) {
            /* A show that moved here keeps the guid of its old URL. */
            podcast_guid_for_url(s->feed_url.s, want);
            if (strcasecmp(want, s->guid.s))
                report_add(c->r, "pi.guid.mismatch", &s->guid.pos, NULL,
                           "podcast:guid is not the UUIDv5 of the feed URL "
                           "(%s); keep it only if the show moved here from "
                           "another URL", want);
        }
    }
    check_pi_show(c);
    if (s->locked.set && s->locked.v &&
        !(c->doc ? c->doc->locked_owner.s != NULL
                 : s->owner_email.s && !s->pi.hide_email.v))
        report_add(c->r, "pi.locked.owner", &s->locked.pos, NULL, "%s",
                   say(c, "podcast:locked has no owner e-mail to unlock it "
                       "with (owner.email, not hidden by owner.hide_email)",
                       "<podcast:locked> has no owner=\"...\" "
                       "e-mail to unlock it with"));
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

static const char *const day_full[7] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday",
};
static const char *const month_full[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

/*
 * The common ways a pubDate is almost RFC 2822: a day name without its
 * comma or written in full, a month written in full. Returns the date
 * with that mended (the caller frees it) and says what in 'what', or
 * NULL.
 */
static char *date_mended(const char *s, char what[96])
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    if (n == 3 && s[3] == ' ') {
        snprintf(what, 96, "the day name \"%.3s\" needs a comma after it", s);
        return xstrfmt("%.3s,%s", s, s + 3);
    }
    for (int i = 0; i < 7; i++)
        if (n == strlen(day_full[i]) && !strncasecmp(s, day_full[i], n) &&
            s[n] == ',') {
            snprintf(what, 96, "the day is written \"%s\", not RFC 2822's "
                     "\"%.3s\"", day_full[i], day_full[i]);
            return xstrfmt("%.3s%s", s, s + n);
        }
    for (const char *w = s; *w; w += n ? n : 1) {
        n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        for (int i = 0; i < 12 && n > 3 && w > s && w[-1] == ' '; i++)
            if (n == strlen(month_full[i]) &&
                !strncasecmp(w, month_full[i], n)) {
                snprintf(what, 96, "the month is written \"%s\", not RFC "
                         "2822's \"%.3s\"", month_full[i], month_full[i]);
                return xstrfmt("%.*s%.3s%s", (int)(w - s), s, month_full[i],
                               w + n);
            }
    }
    return NULL;
}

/*
 * Why the pubDate 's' could not be read, when it can be told: a day name
 * that is not the date's ("28 May 2022 was a Saturday"), or a near miss
 * (date_mended()). NULL otherwise; the caller frees the result.
 */
static char *date_why(const char *s)
{
    const char *comma;
    struct pp_date d;
    bool named;
    char buf[32], what[96], *mended;
    int wday = -1;

    while (isspace((unsigned char)*s))
        s++;
    if ((mended = date_mended(s, what))) {
        bool ok = date_parse_rfc2822(mended, &d, &named) == 0;

        free(mended);
        if (ok)
            return xstrdup(what);
    }
    comma = strchr(s, ',');
    if (!comma || comma - s > 3 ||
        date_parse_rfc2822(comma + 1, &d, &named) < 0)
        return NULL;
    date_format_rfc2822(&d, buf);   /* "Sat, 28 May 2022 ...", as written */
    for (int i = 0; i < 7; i++)
        if (!strncmp(day_full[i], buf, 3))
            wday = i;
    buf[16] = '\0';
    return wday < 0 ? NULL : xstrfmt("%s was a %s", buf + 5 + (buf[5] == '0'),
                                     day_full[wday]);
}

static void check_date(struct ctx *c, const struct episode *ep,
                       const struct feed_item *it)
{
    const char *s = it->date.s, *zone;
    char *shown, *why;
    size_t n;

    if (!s) {
        report_add(c->r, "rss.date.missing", &it->pos, NULL, "%s",
                   say(c, "the episode has no date",
                       "<item> has no <pubDate>"));
        return;
    }
    shown = printable(s, 60);
    n = strlen(s);
    for (zone = s + n; zone > s && !isspace((unsigned char)zone[-1]); zone--)
        ;
    if (it->date_bad) {
        why = date_why(s);
        if (why)
            report_add(c->r, "rss.date.invalid", &it->date.pos, NULL,
                       "pubDate \"%s\": %s", shown, why);
        else
            report_add(c->r, "rss.date.invalid", &it->date.pos, NULL,
                       "pubDate \"%s\" is not an RFC 2822 date (want e.g. "
                       "\"Wed, 15 Jun 2019 19:00:00 +0000\")", shown);
        free(why);
    } else if (!strcasecmp(zone, "UTC")) {
        report_add(c->r, "rss.date.zone", &it->date.pos, NULL,
                   "pubDate \"%s\" ends in \"%s\", which is not an RFC 2822 "
                   "zone (GMT and UT are): parsers read zone names "
                   "differently; write +0000", shown, zone);
    } else if (it->date_named_zone) {
        int off = ep->date.offset < 0 ? -ep->date.offset : ep->date.offset;

        report_add(c->r, "rss.date.zone", &it->date.pos, NULL,
                   "pubDate \"%s\" names its zone; parsers read zone names "
                   "differently: write the offset %c%02d%02d", shown,
                   ep->date.offset < 0 ? '-' : '+', off / 3600,
                   off / 60 % 60);
    }
    free(shown);
}

static void check_length(struct ctx *c, const struct feed_item *it)
{
    const struct text *l = &it->length;
    char *shown;

    if (!l->s)
        return;
    if (!*l->s) {
        report_add(c->r, "rss.enclosure.length", &l->pos, NULL, "the "
                   "enclosure has no length (want its size in bytes)");
    } else if (strspn(l->s, "0") == strlen(l->s)) {
        report_add(c->r, "rss.enclosure.unknown", &l->pos, NULL, "enclosure "
                   "length \"%s\" says the size is unknown (as the RSS "
                   "Best Practices Profile allows): apps cannot show it or "
                   "check a download; give the file's size in bytes",
                   l->s);
    } else if (!number_ok(l->s)) {
        shown = printable(l->s, 40);
        report_add(c->r, "rss.enclosure.length", &l->pos, NULL, "enclosure "
                   "length \"%s\" is not a size in bytes", shown);
        free(shown);
    }
}

/* A read feed's values as written: numbers, types, explicit, date. */
static void check_item_values(struct ctx *c, const struct episode *ep,
                              const struct feed_item *it, int64_t now)
{
    if (it->episode.s && !number_ok(it->episode.s))
        report_add(c->r, "apple.episode.number", &it->episode.pos, NULL,
                   "itunes:episode \"%.20s\" is not a positive whole number",
                   it->episode.s);
    if (it->season.s && !number_ok(it->season.s))
        report_add(c->r, "apple.episode.number", &it->season.pos, NULL,
                   "itunes:season \"%.20s\" is not a positive whole number",
                   it->season.s);
    if (it->type.s && strcmp(it->type.s, "full") &&
        strcmp(it->type.s, "trailer") && strcmp(it->type.s, "bonus"))
        report_add(c->r, "apple.episode.type", &it->type.pos, NULL,
                   "itunes:episodeType \"%.20s\" is not full, trailer or "
                   "bonus", it->type.s);
    check_explicit(c, &it->explicit, &it->pos);
    check_date(c, ep, it);
    if (it->date.s && !it->date_bad && ep->date.t > now)
        report_add(c->r, "rss.date.future", &it->date.pos, NULL,
                   "pubDate is in the future: apps sort it first, or hide "
                   "it");
}

static void check_episode(struct ctx *c, const struct episode *ep,
                          int64_t now, const struct feed_item *it)
{
    struct srcpos ep_pos = it ? it->pos : (struct srcpos){ ep->path, 1, 1 };
    const char *type = it ? it->enclosure_type.s : ep->media.mime;
    /* The audio: field, or a feed's <enclosure> (its url is not 'audio'). */
    const struct srcpos *enc_pos = ep->audio.pos.file ? &ep->audio.pos :
                                   ep->audio_url.pos.file ?
                                   &ep->audio_url.pos : &ep_pos;

    if (!ep->title.s) {
        report_add(c->r, "rss.item.title", &ep_pos, NULL, "%s",
                   say(c, "the episode has no title",
                       "<item> has no <title>"));
    } else {
        size_t n = strlen(ep->title.s);

        if (!it && n && (isspace((unsigned char)ep->title.s[0]) ||
                         isspace((unsigned char)ep->title.s[n - 1])))
            report_add(c->r, "apple.title.spaces", &ep->title.pos, NULL,
                       "the title starts or ends with white space");
        else if (it)
            check_padding(c, &ep->title.pos, it->title_lead,
                          it->title_trail);
        if (utf8_chars(ep->title.s) > APPLE_TITLE_MAX)
            report_add(c->r, "apple.title.length", &ep->title.pos, NULL,
                       "the title has %zu characters; Apple shows %d",
                       utf8_chars(ep->title.s), APPLE_TITLE_MAX);
    }
    if (!ep->guid.s)
        report_add(c->r, "rss.guid.missing", &ep_pos, NULL, "%s; apps take "
                   "its enclosure URL as its identity instead",
                   say(c, "the episode has no guid", "<item> has no <guid>"));
    /* A feed's <description>, not content:encoded: feedcheck.c. */
    if (!it && ep->notes.html && strlen(ep->notes.html) > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length", &ep_pos, NULL,
                   "the show notes have %zu bytes; Apple allows %d",
                   strlen(ep->notes.html), APPLE_TEXT_MAX);
    if (!ep->enclosure_url || !type) {
        report_add(c->r, "rss.enclosure.missing", &ep_pos, NULL, "%s",
                   !it ? "the episode has no enclosure (url, length, type)" :
                   !it->enclosures ? "<item> has no <enclosure>" :
                   !ep->enclosure_url ? "<enclosure> has no url" :
                   "<enclosure> has no type");
    } else {
        if (!strcmp(type, "audio/aac")) {
            report_add(c->r, "apple.enclosure.aac", enc_pos, NULL, "%s: Apple "
                       "Podcasts wants AAC in an M4A file; remux it without "
                       "re-encoding (ffmpeg -i in.aac -c copy out.m4a)", type);
        } else if (strcmp(type, "audio/mpeg") && strcmp(type, "audio/x-m4a") &&
                   strcmp(type, "audio/mp4") && !starts_with(type, "video/")) {
            char *shown = printable(type, 40);

            report_add(c->r, "apple.enclosure.type", enc_pos,
                       NULL, "%s: %s", shown, unplayable(type));
            free(shown);
        }
        if (it)
            check_length(c, it);
        if (!ep->audio.s || !ep->audio.pos.file) {
            check_url_value(c, ep->enclosure_url, enc_pos, "the enclosure");
            check_ascii_name(c, ep->enclosure_url, enc_pos,
                             ep->enclosure_url, true);
        } else {
            check_ascii_name(c, ep->audio.s, &ep->audio.pos,
                             ep->enclosure_url, false);
        }
    }
    if (c->show->serial && ep->type == EPISODE_FULL && !ep->episode.set &&
        !(it && it->episode.s))
        report_add(c->r, "apple.episode.serial", &ep_pos, NULL, "a serial "
                   "show numbers every full episode: add %s",
                   it ? "<itunes:episode>" : "episode:");
    if (it)
        check_item_values(c, ep, it, now);
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
    check_pi_episode(c, ep, it, &ep_pos);
    if (ep->image_path)
        check_image_file(c, ep->image_path, &ep->image);
    else if (it && ep->image.s)
        check_url_value(c, ep->image.s, &ep->image.pos, "the episode's "
                        "itunes:image");
    if (it)
        check_feed_item(c, ep, it);
    else
        check_loudness(c, ep, at(&ep->audio, &ep_pos));
}

/*
 * How a finding names the episode eps[i]: its file, or "item 3, line 40"
 * in a read feed.
 */
static char *episode_ref(const struct ctx *c, struct episode *const *eps,
                         size_t i)
{
    return c->doc ? xstrfmt("%s, line %d", eps[i]->name,
                            c->doc->items[i].pos.line)
                  : xstrdup(eps[i]->path);
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
        struct srcpos ep_pos = c->doc ? c->doc->items[i].pos :
            (struct srcpos){ ep->path, 1, 1 };
        char *ref;

        /* One finding per episode: its guid, else its URL, else its number. */
        if (dup[UNIQ_GUID][i] != SIZE_MAX) {
            ref = episode_ref(c, eps, dup[UNIQ_GUID][i]);
            report_add(c->r, "rss.guid.duplicate", at(&ep->guid, &ep_pos),
                       NULL, "guid \"%.60s\" is also the guid of an "
                       "earlier episode (%s)", ep->guid.s, ref);
        } else if (dup[UNIQ_URL][i] != SIZE_MAX) {
            ref = episode_ref(c, eps, dup[UNIQ_URL][i]);
            report_add(c->r, "apple.enclosure.duplicate",
                       ep->audio.pos.file ? &ep->audio.pos : &ep_pos, NULL,
                       "enclosure URL is also that of %s; Apple ignores the "
                       "second", ref);
        } else if (dup[UNIQ_NUMBER][i] != SIZE_MAX) {
            ref = episode_ref(c, eps, dup[UNIQ_NUMBER][i]);
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

/*
 * The episodes' own rules, on every core: each block of episodes reports
 * into a report of its own (the same strictness and ignore list, borrowed),
 * and the blocks are appended in order, so the findings come out as with
 * one thread.
 */
#define CHECK_BLOCK 256

struct episodes_ctx {
    const struct ctx *c;
    struct episode *const *eps;
    size_t nr;
    int64_t now;
    struct check_report *parts;     /* one per block */
};

static void check_block(void *arg, size_t k)
{
    struct episodes_ctx *e = arg;
    struct ctx c = *e->c;
    size_t end = (k + 1) * CHECK_BLOCK < e->nr ? (k + 1) * CHECK_BLOCK
                                               : e->nr;

    c.r = &e->parts[k];
    for (size_t i = k * CHECK_BLOCK; i < end; i++)
        check_episode(&c, e->eps[i], e->now,
                      c.doc ? &c.doc->items[i] : NULL);
}

static void check_episodes(struct ctx *c, struct episode *const *eps,
                           size_t nr, int64_t now)
{
    size_t blocks = (nr + CHECK_BLOCK - 1) / CHECK_BLOCK;
    struct episodes_ctx e = { c, eps, nr, now,
                              xcalloc(blocks + 1, sizeof(*e.parts)) };
    struct check_report *r = c->r;

    for (size_t k = 0; k < blocks; k++) {
        e.parts[k].strict = r->strict;
        e.parts[k].ignore = r->ignore;
        e.parts[k].ignore_nr = r->ignore_nr;
    }
    parallel_for(blocks, 1, check_block, &e);
    for (size_t k = 0; k < blocks; k++) {
        struct check_report *part = &e.parts[k];

        if (part->nr) {
            ALLOC_GROW(r->items, r->nr + part->nr, r->alloc);
            memcpy(r->items + r->nr, part->items,
                   part->nr * sizeof(*part->items));
            r->nr += part->nr;
        }
        free(part->items);
    }
    free(e.parts);
}

/* Every rule but the feed's size. */
static void check_items(struct ctx *c, struct episode *const *live,
                        size_t nr, int64_t now)
{
    report_ignore(c->r, (const char *const *)c->show->check_ignore,
                  c->show->check_ignore_nr);
    check_show_fields(c);
    check_episodes(c, live, nr, now);
    check_unique(c, live, nr);
}

/* The feed's size, reported after every other rule. */
static void check_size(struct check_report *r, const struct show *show,
                       const struct srcpos *show_pos, bool read_back,
                       size_t feed_bytes, size_t feed_items)
{
    const struct srcpos *pos = show->feed_limit ? &show->feed_limit_pos
                                                : show_pos;
    size_t fit;

    if (feed_bytes <= FEED_SIZE_WARN)
        return;
    fit = feed_items * FEED_SIZE_WARN / feed_bytes / 5 * 4;
    if (fit >= 1 && fit < feed_items && read_back)
        report_add(r, "rss.feed.size", pos, NULL, "the feed is %zu KB "
                   "with %zu items; apps time out on large feeds: keep "
                   "the newest (e.g. %zu, well under 1 MB) and move the "
                   "rest to an archive feed", feed_bytes / 1024,
                   feed_items, fit);
    else if (fit >= 1 && fit < feed_items)
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

void check_run(struct check_report *r, const struct show *show,
               struct episode *const *live, size_t nr, int64_t now,
               size_t feed_bytes, size_t feed_items,
               const struct feed_doc *doc)
{
    struct ctx c = { r, show, { show->path, 1, 1 }, NULL };

    /* The feed's items are the show's episodes, in order. */
    if (doc && doc->items_nr == nr && nr == show->nr) {
        c.doc = doc;
        if (doc->channel.line)
            c.show_pos = doc->channel;
    }
    check_items(&c, live, nr, now);
    check_size(r, show, &c.show_pos, c.doc != NULL, feed_bytes, feed_items);
}

void check_show_items(struct check_report *r, const struct show *show,
                      struct episode *const *live, size_t nr, int64_t now)
{
    struct ctx c = { r, show, { show->path, 1, 1 }, NULL };

    check_items(&c, live, nr, now);
}

void check_show_size(struct check_report *r, const struct show *show,
                     size_t feed_bytes, size_t feed_items)
{
    struct srcpos show_pos = { show->path, 1, 1 };

    check_size(r, show, &show_pos, false, feed_bytes, feed_items);
}

void check_show(struct check_report *r, const struct show *show,
                struct episode *const *live, size_t nr, int64_t now,
                size_t feed_bytes, size_t feed_items)
{
    check_run(r, show, live, nr, now, feed_bytes, feed_items, NULL);
}
