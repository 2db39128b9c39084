/*
 * The Podcast Index namespace's tags that podcast.yaml and the front
 * matter describe (persons, location, licence, ...): each record goes
 * out through its table in pi.h, attributes in the table's order, so
 * the writer knows no tag's attributes by heart and the reader reads
 * back exactly what is written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podcast2.h"
#include "podpub/strbuf.h"

/*
 * <podcast:tag attr="..." ...>, set members only, left open; returns the
 * member that is the element's text, or NULL.
 */
static const char *start_rec(struct xmlout *x, const struct pi_kind *k,
                             const void *rec)
{
    const char *text = NULL;

    xmlout_start(x, k->tag);
    for (size_t i = 0; i < k->fields_nr; i++) {
        const struct text *t = pi_ctext(rec, &k->fields[i]);

        if (!k->fields[i].attr)
            text = t->s;
        else if (t->s)
            xmlout_attr(x, k->fields[i].attr, t->s);
    }
    return text;
}

/* <podcast:tag attr="..." ...>text</podcast:tag>: set members only. */
static void write_rec(struct xmlout *x, const struct pi_kind *k,
                      const void *rec)
{
    const char *text = start_rec(x, k, rec);

    if (text)
        xmlout_text(x, text);
    xmlout_end(x);
}

static void write_list(struct xmlout *x, const struct pi_kind *k,
                       const void *items, size_t nr)
{
    for (size_t i = 0; i < nr; i++)
        write_rec(x, k, (const char *)items + i * k->size);
}

#define LIST(x, kind, list) write_list((x), &(kind), (list), list##_nr)

/* Days since 1970-01-01 of 'd' where it was written: its weekday. */
static int weekday(const struct pp_date *d)
{
    int64_t days = (d->t + d->offset) / 86400 -
                   ((d->t + d->offset) % 86400 < 0);

    return (int)(((days + 4) % 7 + 7) % 7);     /* 1970-01-01: Thursday */
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void pi_update_auto(struct episode *const *eps, size_t nr,
                    struct pi_update *out)
{
    static const char *const byday[7] = { "SU", "MO", "TU", "WE", "TH",
                                          "FR", "SA" };
    static const char *const days[7] = { "Sunday", "Monday", "Tuesday",
        "Wednesday", "Thursday", "Friday", "Saturday" };
    const struct episode *first = NULL;
    int64_t *t, gap;
    char date[32];
    bool one_day = true;

    memset(out, 0, sizeof(*out));
    if (nr < 2)
        return;
    t = xcalloc(nr, sizeof(*t));
    for (size_t i = 0; i < nr; i++) {
        t[i] = eps[i]->date.t;
        if (!first || eps[i]->date.t < first->date.t)
            first = eps[i];
        one_day &= weekday(&eps[i]->date) == weekday(&eps[0]->date);
    }
    qsort(t, nr, sizeof(*t), cmp_i64);
    /* The median gap in whole days: one late episode changes nothing. */
    for (size_t i = 0; i + 1 < nr; i++)
        t[i] = t[i + 1] - t[i];
    qsort(t, nr - 1, sizeof(*t), cmp_i64);
    gap = (t[(nr - 1) / 2] + 43200) / 86400;
    free(t);
    if (gap <= 1) {
        out->rrule.s = xstrdup("FREQ=DAILY");
        out->text.s = xstrdup("Daily");
    } else if (gap >= 6 && gap <= 8 && one_day) {
        out->rrule.s = xstrfmt("FREQ=WEEKLY;BYDAY=%s",
                               byday[weekday(&first->date)]);
        out->text.s = xstrfmt("Weekly, on %s", days[weekday(&first->date)]);
    } else if (gap >= 6 && gap <= 8) {
        out->rrule.s = xstrdup("FREQ=WEEKLY");
        out->text.s = xstrdup("Weekly");
    } else if (gap >= 13 && gap <= 15) {
        out->rrule.s = xstrdup("FREQ=WEEKLY;INTERVAL=2");
        out->text.s = xstrdup("Every two weeks");
    } else if (gap >= 28 && gap <= 31) {
        out->rrule.s = xstrdup("FREQ=MONTHLY");
        out->text.s = xstrdup("Monthly");
    } else {
        out->rrule.s = xstrfmt("FREQ=DAILY;INTERVAL=%lld", (long long)gap);
        out->text.s = xstrfmt("Every %lld days", (long long)gap);
    }
    date_format_rfc3339(&first->date, date);
    out->dtstart.s = xstrdup(date);
}

static void write_trailers(struct xmlout *x, struct episode *const *eps,
                           size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        const struct episode *ep = eps[i];
        char date[32];

        if (ep->type != EPISODE_TRAILER)
            continue;
        date_format_rfc2822(&ep->date, date);
        xmlout_start(x, "podcast:trailer");
        xmlout_attr(x, "pubdate", date);
        xmlout_attr(x, "url", ep->enclosure_url);
        xmlout_attr_u64(x, "length", ep->media.size);
        xmlout_attr(x, "type", ep->media.mime);
        if (ep->season.set) {
            char season[24];

            snprintf(season, sizeof(season), "%lld", ep->season.v);
            xmlout_attr(x, "season", season);
        }
        /* podcast:trailer's text is the trailer's title. */
        xmlout_text(x, ep->title.s);
        xmlout_end(x);
    }
}

/*
 * podcast:value of 'v' with its recipients, then the time splits 'splits'
 * (an episode's may go into its show's block).
 */
static void write_value(struct xmlout *x, const struct pi_value *v,
                        const struct pi_value *splits)
{
    (void)start_rec(x, &pi_value_kind, v);
    LIST(x, pi_recipient_kind, v->recipients);
    for (size_t i = 0; i < splits->timesplits_nr; i++) {
        const struct pi_timesplit *ts = &splits->timesplits[i];

        (void)start_rec(x, &pi_timesplit_kind, ts);
        if (ts->remote.feed_guid.s || ts->remote.item_guid.s ||
            ts->remote.feed_url.s)
            write_rec(x, &pi_remote_kind, &ts->remote);
        else
            LIST(x, pi_recipient_kind, ts->recipients);
        xmlout_end(x);
    }
    xmlout_end(x);
}

/*
 * podcast:image for each image (the namespace's current tag), then one
 * podcast:images srcset of those whose width is known (the older tag,
 * which podcast-partytime 5 and the apps built on it read).
 */
static void write_images(struct xmlout *x, const struct pi_image *im,
                         size_t nr)
{
    struct strbuf srcset = STRBUF_INIT;

    for (size_t i = 0; i < nr; i++, im++) {
        const char *href = im->url ? im->url : im->href.s;
        char w[24] = "", h[24] = "";

        if (!href)
            continue;
        if (!im->width.s && im->file_width)
            snprintf(w, sizeof(w), "%d", im->file_width);
        if (!im->height.s && im->file_height)
            snprintf(h, sizeof(h), "%d", im->file_height);
        xmlout_start(x, "podcast:image");
        xmlout_attr(x, "href", href);
        if (im->alt.s)
            xmlout_attr(x, "alt", im->alt.s);
        if (im->aspect_ratio.s)
            xmlout_attr(x, "aspect-ratio", im->aspect_ratio.s);
        if (im->width.s || *w)
            xmlout_attr(x, "width", im->width.s ? im->width.s : w);
        if (im->height.s || *h)
            xmlout_attr(x, "height", im->height.s ? im->height.s : h);
        if (im->type.s || im->file_type)
            xmlout_attr(x, "type", im->type.s ? im->type.s : im->file_type);
        if (im->purpose.s)
            xmlout_attr(x, "purpose", im->purpose.s);
        xmlout_end(x);
        if (im->width.s || *w)
            strbuf_addf(&srcset, "%s%s %sw", srcset.len ? ", " : "", href,
                        im->width.s ? im->width.s : w);
    }
    if (srcset.len) {
        xmlout_start(x, "podcast:images");
        xmlout_attr(x, "srcset", srcset.buf);
        xmlout_end(x);
    }
    strbuf_release(&srcset);
}

void pi_write_channel(struct xmlout *x, const struct show *show,
                      struct episode *const *eps, size_t nr)
{
    const struct pi_show *pi = &show->pi;
    bool apple_block = false;

    for (size_t i = 0; i < pi->blocks_nr; i++)
        apple_block |= !pi->blocks[i].id.s ||
                       !strcmp(pi->blocks[i].id.s, "apple");
    if (apple_block)
        xmlout_element(x, "itunes:block", "Yes");
    if (pi->complete.v)
        xmlout_element(x, "itunes:complete", "Yes");
    LIST(x, pi_funding_kind, pi->funding);
    if (pi->value.set)
        write_value(x, &pi->value, &pi->value);
    write_images(x, pi->images, pi->images_nr);
    LIST(x, pi_person_kind, pi->persons);
    if (pi->location.name.s)
        write_rec(x, &pi_location_kind, &pi->location);
    if (pi->license.name.s)
        write_rec(x, &pi_license_kind, &pi->license);
    if (pi->medium.s)
        xmlout_element(x, "podcast:medium", pi->medium.s);
    LIST(x, pi_txt_kind, pi->txts);
    if (pi->podroll_nr) {
        xmlout_start(x, "podcast:podroll");
        LIST(x, pi_remote_kind, pi->podroll);
        xmlout_end(x);
    }
    if (pi->update_auto) {
        struct pi_update u;

        pi_update_auto(eps, nr, &u);
        if (pi->complete.v)
            u.complete.s = xstrdup("true");
        if (u.rrule.s)
            write_rec(x, &pi_update_kind, &u);
        pi_rec_release(&pi_update_kind, &u);
    } else if (pi->update.text.s || pi->update.rrule.s) {
        write_rec(x, &pi_update_kind, &pi->update);
    }
    LIST(x, pi_block_kind, pi->blocks);
    write_trailers(x, eps, nr);
}

/* <name attr="value">n</name>, without attr when 'value' is NULL. */
static void number_element(struct xmlout *x, const char *name,
                           const char *attr, const char *value, long long n)
{
    char num[24];

    snprintf(num, sizeof(num), "%lld", n);
    xmlout_start(x, name);
    if (value)
        xmlout_attr(x, attr, value);
    xmlout_text(x, num);
    xmlout_end(x);
}

/* A season that some episode names: the first in feed order wins. */
struct season_name {
    long long season;
    size_t first;
    const char *name;
};

static int cmp_season(const void *a, const void *b)
{
    const struct season_name *x = a, *y = b;

    if (x->season != y->season)
        return x->season < y->season ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

static int cmp_season_only(const void *a, const void *b)
{
    const struct season_name *x = a, *y = b;

    return (x->season > y->season) - (x->season < y->season);
}

/*
 * Sorting the named episodes by season and taking each season's first
 * keeps this O(n log n): looking through every episode for each one
 * took a tenth of a 10,000-episode build.
 */
const char **pi_season_names(struct episode *const *eps, size_t nr)
{
    const char **names = xcalloc(nr ? nr : 1, sizeof(*names));
    struct season_name *named = NULL;
    size_t named_nr = 0, alloc = 0, kept = 0;

    for (size_t i = 0; i < nr; i++) {
        if (!eps[i]->season.set || !eps[i]->pi.season_name.s)
            continue;
        ALLOC_GROW(named, named_nr + 1, alloc);
        named[named_nr].season = eps[i]->season.v;
        named[named_nr].first = i;
        named[named_nr++].name = eps[i]->pi.season_name.s;
    }
    if (named_nr)
        qsort(named, named_nr, sizeof(*named), cmp_season);
    for (size_t i = 0; i < named_nr; i++)
        if (!kept || named[kept - 1].season != named[i].season)
            named[kept++] = named[i];
    for (size_t i = 0; i < nr; i++) {
        struct season_name key = { eps[i]->season.v, 0, NULL };
        const struct season_name *hit;

        names[i] = eps[i]->pi.season_name.s;
        if (names[i] || !eps[i]->season.set || !kept)
            continue;
        hit = bsearch(&key, named, kept, sizeof(*named), cmp_season_only);
        if (hit)
            names[i] = hit->name;
    }
    free(named);
    return names;
}

void pi_write_numbers(struct xmlout *x, const struct episode *ep,
                      const char *season_name)
{
    if (ep->season.set)
        number_element(x, "podcast:season", "name", season_name,
                       ep->season.v);
    if (ep->episode.set)
        number_element(x, "podcast:episode", "display",
                       ep->pi.episode_display.s, ep->episode.v);
}

void pi_write_item(struct xmlout *x, const struct show *show,
                   const struct episode *ep)
{
    const struct pi_episode *pi = &ep->pi;

    if (pi->block.v)
        xmlout_element(x, "itunes:block", "Yes");
    /* An item's block replaces the show's: its splits go into a copy. */
    if (pi->value.set)
        write_value(x, &pi->value, &pi->value);
    else if (pi->value.timesplits_nr && show->pi.value.set)
        write_value(x, &show->pi.value, &pi->value);
    write_images(x, pi->images, pi->images_nr);
    LIST(x, pi_person_kind, pi->persons);
    if (pi->location.name.s)
        write_rec(x, &pi_location_kind, &pi->location);
    if (pi->license.name.s)
        write_rec(x, &pi_license_kind, &pi->license);
    LIST(x, pi_txt_kind, pi->txts);
    LIST(x, pi_soundbite_kind, pi->soundbites);
    LIST(x, pi_social_kind, pi->socials);
}

void psc_write_chapters(struct xmlout *x, const struct episode *ep)
{
    if (!ep->chapters_nr)
        return;
    xmlout_start(x, "psc:chapters");
    xmlout_attr(x, "version", "1.2");
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        const struct chapter *c = &ep->chapters[i];
        int64_t ms = c->start_ms;
        char start[40];

        snprintf(start, sizeof(start), "%02lld:%02lld:%02lld.%03lld",
                 (long long)(ms / 3600000), (long long)(ms / 60000 % 60),
                 (long long)(ms / 1000 % 60), (long long)(ms % 1000));
        xmlout_start(x, "psc:chapter");
        xmlout_attr(x, "start", start);
        xmlout_attr(x, "title", c->title);
        if (c->url)
            xmlout_attr(x, "href", c->url);
        if (c->img)
            xmlout_attr(x, "image", c->img);
        xmlout_end(x);
    }
    xmlout_end(x);
}

/* "12:34" or "1:02:03": the times apps turn into chapter links. */
static void timestamp(struct strbuf *sb, int64_t ms)
{
    long long s = (long long)(ms / 1000);

    if (s >= 3600)
        strbuf_addf(sb, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        strbuf_addf(sb, "%02lld:%02lld", s / 60, s % 60);
}

void notes_with_chapters(const struct episode *ep, struct strbuf *html,
                         struct strbuf *text)
{
    strbuf_addstr(html, ep->notes.html);
    strbuf_addstr(text, ep->notes.text);
    if (!ep->chapters_nr)
        return;
    /* A list, an item a chapter: Apple allows <ul> and <li>, not <br>. */
    strbuf_addstr(html, "<ul>\n");
    if (text->len)
        strbuf_addstr(text, "\n\n");
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        const struct chapter *c = &ep->chapters[i];

        if (i)
            strbuf_addch(text, '\n');
        strbuf_addstr(html, "<li>");
        timestamp(html, c->start_ms);
        timestamp(text, c->start_ms);
        strbuf_addch(html, ' ');
        strbuf_addch(text, ' ');
        xmlout_escape_text(html, c->title);
        strbuf_addstr(html, "</li>\n");
        strbuf_addstr(text, c->title);
    }
    strbuf_addstr(html, "</ul>\n");
}
