/*
 * The RSS writer. It renders the whole feed into memory with the small
 * XML emitter in xmlout.c, which escapes every text and attribute exactly
 * as libxml2's xmlTextWriter did before it (the bytes did not change),
 * and the caller's file is replaced only once the whole feed exists.
 * Nothing here reads the clock or the locale: the same show gives the
 * same bytes.
 */
#include <stdlib.h>

#include "podpub/feed.h"
#include "podpub/media.h"
#include "podcast2.h"
#include "xmlout.h"

#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_PODCAST "https://podcastindex.org/namespace/1.0"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_ATOM "http://www.w3.org/2005/Atom"

/* <name attr="value"/> */
static void empty_element(struct xmlout *x, const char *name,
                          const char *attr, const char *value)
{
    xmlout_start(x, name);
    xmlout_attr(x, attr, value);
    xmlout_end(x);
}

/* <name>text</name>, the text as CDATA. */
static void cdata_element(struct xmlout *x, const char *name, const char *v)
{
    xmlout_start(x, name);
    xmlout_cdata(x, v);
    xmlout_end(x);
}

static const char *explicit_str(bool v)
{
    return v ? "true" : "false";
}

static void write_categories(struct xmlout *x, const struct show *show)
{
    for (size_t i = 0; i < show->categories_nr; i++) {
        const struct category *c = &show->categories[i];

        xmlout_start(x, "itunes:category");
        xmlout_attr(x, "text", c->name);
        if (c->sub)
            empty_element(x, "itunes:category", "text", c->sub);
        xmlout_end(x);
    }
}

static void atom_link(struct xmlout *x, const char *rel, const char *href)
{
    xmlout_start(x, "atom:link");
    xmlout_attr(x, "href", href);
    xmlout_attr(x, "rel", rel);
    xmlout_attr(x, "type", "application/rss+xml");
    xmlout_end(x);
}

static void write_channel_head(struct xmlout *x, const struct show *show,
                               struct episode *const *eps, size_t nr,
                               const struct feed_paging *pg)
{
    char date[32], guid[UUID_STR_LEN];
    const char *image_url = show->image_url;
    const struct pp_date *newest = NULL;

    for (size_t i = 0; i < nr; i++)
        if (!newest || eps[i]->date.t > newest->t)
            newest = &eps[i]->date;

    xmlout_element(x, "title", show->title.s);
    xmlout_element(x, "link", show->link.s);
    xmlout_element(x, "description", show->description.s);
    xmlout_element(x, "language", show->language.s);
    if (show->copyright.s)
        xmlout_element(x, "copyright", show->copyright.s);
    xmlout_element(x, "generator", PP_GENERATOR);
    if (newest) {
        date_format_rfc2822(newest, date);
        xmlout_element(x, "lastBuildDate", date);
    }
    atom_link(x, "self", pg && pg->self ? pg->self : show->feed_url.s);
    if (pg && pg->first)
        atom_link(x, "first", pg->first);
    if (pg && pg->next)
        atom_link(x, "next", pg->next);
    if (pg && pg->previous)
        atom_link(x, "previous", pg->previous);
    /*
     * The WebSub hubs publishing notifies, so subscribers can find them;
     * Podcast Index's pubnotify is a ping URL, not a hub.
     */
    for (size_t i = 0; i < show->notify_nr; i++)
        if (notify_is_hub(show->notify[i].s)) {
            xmlout_start(x, "atom:link");
            xmlout_attr(x, "href", show->notify[i].s);
            xmlout_attr(x, "rel", "hub");
            xmlout_end(x);
        }
    /* Publishing sends podping: apps may stop polling this feed. */
    if (show->podping_env.s)
        empty_element(x, "podcast:podping", "usesPodping", "true");
    /* Leaving: apps and directories follow this to the new feed. */
    if (show->moved_to.s)
        xmlout_element(x, "itunes:new-feed-url", show->moved_to.s);
    if (image_url) {
        xmlout_start(x, "image");
        xmlout_element(x, "url", image_url);
        xmlout_element(x, "title", show->title.s);
        xmlout_element(x, "link", show->link.s);
        xmlout_end(x);
        empty_element(x, "itunes:image", "href", image_url);
    }
    if (show->author.s)
        xmlout_element(x, "itunes:author", show->author.s);
    if (show->owner_name.s || show->owner_email.s) {
        xmlout_start(x, "itunes:owner");
        if (show->owner_name.s)
            xmlout_element(x, "itunes:name", show->owner_name.s);
        if (show->owner_email.s && !show->pi.hide_email.v)
            xmlout_element(x, "itunes:email", show->owner_email.s);
        xmlout_end(x);
    }
    write_categories(x, show);
    xmlout_element(x, "itunes:explicit", explicit_str(show->explicit.v));
    xmlout_element(x, "itunes:type", show->serial ? "serial" : "episodic");
    if (!show->guid.s)
        podcast_guid_for_url(show->feed_url.s, guid);
    xmlout_element(x, "podcast:guid", show->guid.s ? show->guid.s : guid);
    if (show->locked.set) {
        xmlout_start(x, "podcast:locked");
        /* hide_email: the address is nowhere in the feed. */
        if (show->owner_email.s && !show->pi.hide_email.v)
            xmlout_attr(x, "owner", show->owner_email.s);
        xmlout_text(x, show->locked.v ? "yes" : "no");
        xmlout_end(x);
    }
    pi_write_channel(x, show, eps, nr);
}

static const char *episode_type_name(enum episode_type t)
{
    return t == EPISODE_TRAILER ? "trailer" : t == EPISODE_BONUS ? "bonus"
                                                                  : "full";
}

/*
 * The episode's alternates (the show's "alternates:"), beside the main
 * enclosure, which stays as it is: podcast:alternateEnclosure with the
 * file's type, exact length, average bit rate and a title, its URL in
 * podcast:source and its SHA-256 in podcast:integrity (SRI form).
 */
static void write_alternates(struct xmlout *x, const struct episode *ep)
{
    for (size_t i = 0; i < ep->alts_nr; i++) {
        const struct episode_alt *a = &ep->alts[i];
        char sri[52];

        xmlout_start(x, "podcast:alternateEnclosure");
        xmlout_attr(x, "type", a->mime);
        xmlout_attr_u64(x, "length", a->size);
        xmlout_attr_u64(x, "bitrate", (uint64_t)a->bit_rate);
        xmlout_attr(x, "title", a->title);
        empty_element(x, "podcast:source", "uri", a->url);
        if (sha256_sri(a->sha256, sri) == 0) {
            xmlout_start(x, "podcast:integrity");
            xmlout_attr(x, "type", "sri");
            xmlout_attr(x, "value", sri);
            xmlout_end(x);
        }
        xmlout_end(x);
    }
}

static void write_item(struct xmlout *x, const struct show *show,
                       const struct episode *ep, const char *season_name)
{
    char date[32];
    const char *audio_url = ep->enclosure_url;
    const char *image_url = ep->image_url;
    /* Whole seconds, rounded; a file shorter than 0.5 s still lasts 1 s. */
    int64_t secs = (ep->media.duration_ms + 500) / 1000;

    if (secs < 1)
        secs = 1;
    date_format_rfc2822(&ep->date, date);
    xmlout_start(x, "item");
    xmlout_element(x, "title", ep->title.s);
    xmlout_element(x, "itunes:title", ep->title.s);
    xmlout_start(x, "guid");
    xmlout_attr(x, "isPermaLink", "false");
    xmlout_text(x, ep->guid.s);
    xmlout_end(x);
    xmlout_element(x, "pubDate", date);
    if (ep->link.s) {
        xmlout_element(x, "link", ep->link.s);
    } else {
        xmlout_element(x, "link", ep->page_url);
    }
    xmlout_start(x, "enclosure");
    xmlout_attr(x, "url", audio_url);
    xmlout_attr_u64(x, "length", ep->media.size);
    xmlout_attr(x, "type", ep->media.mime);
    xmlout_end(x);
    xmlout_element_i64(x, "itunes:duration", secs);
    if (ep->season.set)
        xmlout_element_i64(x, "itunes:season", ep->season.v);
    if (ep->episode.set)
        xmlout_element_i64(x, "itunes:episode", ep->episode.v);
    xmlout_element(x, "itunes:episodeType", episode_type_name(ep->type));
    xmlout_element(x, "itunes:explicit",
                   explicit_str(episode_explicit(show, ep)));
    if (image_url)
        empty_element(x, "itunes:image", "href", image_url);
    if (ep->summary.s)
        xmlout_element(x, "itunes:subtitle", ep->summary.s);
    if (*ep->notes.text && show->pi.chapters_in_notes.v && ep->chapters_nr) {
        struct strbuf html = STRBUF_INIT, text = STRBUF_INIT;

        notes_with_chapters(ep, &html, &text);
        xmlout_element(x, "itunes:summary", text.buf);
        cdata_element(x, "description", html.buf);
        cdata_element(x, "content:encoded", html.buf);
        strbuf_release(&html);
        strbuf_release(&text);
    } else if (*ep->notes.text) {
        xmlout_element(x, "itunes:summary", ep->notes.text);
        cdata_element(x, "description", ep->notes.html);
        cdata_element(x, "content:encoded", ep->notes.html);
    } else if (ep->summary.s) {
        xmlout_element(x, "description", ep->summary.s);
    }
    pi_write_numbers(x, ep, season_name);
    if (ep->chapters_nr) {
        xmlout_start(x, "podcast:chapters");
        xmlout_attr(x, "url", ep->chapters_url);
        xmlout_attr(x, "type", media_chapters.mime);
        xmlout_end(x);
    }
    for (size_t i = 0; i < ep->transcripts_nr; i++) {
        const struct transcript *t = &ep->transcripts[i];

        if (!t->url || !t->type.s)
            continue;
        xmlout_start(x, "podcast:transcript");
        xmlout_attr(x, "url", t->url);
        xmlout_attr(x, "type", t->type.s);
        xmlout_attr(x, "language", t->language.s ? t->language.s
                                                  : show->language.s);
        if (t->rel.s)
            xmlout_attr(x, "rel", t->rel.s);
        xmlout_end(x);
    }
    write_alternates(x, ep);
    psc_write_chapters(x, ep);
    pi_write_item(x, show, ep);
    xmlout_end(x);
}

int feed_render(const struct show *show, struct episode *const *eps,
                size_t nr, struct strbuf *out)
{
    return feed_render_paged(show, eps, nr, NULL, out);
}

int feed_render_paged(const struct show *show, struct episode *const *eps,
                      size_t nr, const struct feed_paging *pg,
                      struct strbuf *out)
{
    struct outbuf o;
    int ret;

    outbuf_init(&o, OUTBUF_KEEP, NULL);
    o.sb = *out;
    ret = feed_render_to(show, eps, nr, pg, &o);
    *out = o.sb;
    return ret;
}

int feed_render_to(const struct show *show, struct episode *const *eps,
                   size_t nr, const struct feed_paging *pg, struct outbuf *o)
{
    struct xmlout x;
    const char **names;

    /*
     * Room for the whole feed up front when it is kept whole, at about
     * 3 KB an item: an episode with a few paragraphs of notes, which go
     * in three times. Measuring the notes first would cost more than it
     * saves: it is one more pass over megabytes that are not in the
     * cache, and an estimate that is short only means the buffer grows a
     * few times.
     */
    if (o->mode == OUTBUF_KEEP)
        strbuf_grow(&o->sb, 4096 + nr * 3072);
    xmlout_init(&x, &o->sb);
    xmlout_declaration(&x);
    xmlout_start(&x, "rss");
    xmlout_attr(&x, "version", "2.0");
    xmlout_attr(&x, "xmlns:itunes", NS_ITUNES);
    xmlout_attr(&x, "xmlns:podcast", NS_PODCAST);
    xmlout_attr(&x, "xmlns:content", NS_CONTENT);
    xmlout_attr(&x, "xmlns:atom", NS_ATOM);
    /* Declared where it is used: feeds without chapters stay as they were. */
    for (size_t i = 0; i < nr; i++)
        if (eps[i]->chapters_nr) {
            xmlout_attr(&x, "xmlns:psc", NS_PSC);
            break;
        }
    xmlout_start(&x, "channel");
    write_channel_head(&x, show, eps, nr, pg);
    names = pi_season_names(eps, nr);
    /* Between items nothing is pending: what is written may be let go. */
    for (size_t i = 0; i < nr && outbuf_flush(o); i++)
        write_item(&x, show, eps[i], names[i]);
    free(names);
    /*
     * Closes channel and rss. A NULL text or attribute value is a caller's
     * bug (the model guarantees every value the feed needs), not I/O.
     */
    if (xmlout_finish(&x) < 0)
        die("feed_render: a text or attribute value is missing");
    return 0;
}

int feed_write(const struct show *show, struct episode *const *eps,
               size_t nr, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    int ret = feed_render(show, eps, nr, &sb);

    if (ret == 0)
        ret = write_file_atomic(path, sb.buf, sb.len);
    strbuf_release(&sb);
    return ret;
}
