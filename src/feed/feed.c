/*
 * The RSS writer (the only code that includes libxml2's writer headers).
 * It writes into memory with xmlTextWriter, which escapes every text and
 * attribute, and the caller's file is replaced only once the whole feed
 * exists. Nothing here reads the clock or the locale: the same show gives
 * the same bytes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "podpub/feed.h"

#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_PODCAST "https://podcastindex.org/namespace/1.0"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_ATOM "http://www.w3.org/2005/Atom"

#define X(s) ((const xmlChar *)(s))
/* Every libxml2 writer call returns < 0 on failure: stop at the first. */
#define W(call) do { if ((call) < 0) goto fail; } while (0)

static int text_element(xmlTextWriterPtr w, const char *name, const char *v)
{
    return xmlTextWriterWriteElement(w, X(name), X(v));
}

/*
 * Writes 's' as CDATA. "]]>" cannot appear inside a CDATA section, so the
 * text is split after "]]" and the rest goes into the next section.
 */
static int write_cdata(xmlTextWriterPtr w, const char *s)
{
    const char *end;

    while ((end = strstr(s, "]]>"))) {
        char *part = xstrndup(s, (size_t)(end - s) + 2);
        int r = xmlTextWriterWriteCDATA(w, X(part));

        free(part);
        if (r < 0)
            return r;
        s = end + 2;
    }
    return xmlTextWriterWriteCDATA(w, X(s));
}

static int cdata_element(xmlTextWriterPtr w, const char *name, const char *v)
{
    if (xmlTextWriterStartElement(w, X(name)) < 0 || write_cdata(w, v) < 0)
        return -1;
    return xmlTextWriterEndElement(w);
}

static int empty_element(xmlTextWriterPtr w, const char *name,
                         const char *attr, const char *value)
{
    if (xmlTextWriterStartElement(w, X(name)) < 0 ||
        xmlTextWriterWriteAttribute(w, X(attr), X(value)) < 0)
        return -1;
    return xmlTextWriterEndElement(w);
}

static int number_element(xmlTextWriterPtr w, const char *name, long long v)
{
    return xmlTextWriterWriteFormatElement(w, X(name), "%lld", v);
}

static const char *explicit_str(bool v)
{
    return v ? "true" : "false";
}

static int write_categories(xmlTextWriterPtr w, const struct show *show)
{
    for (size_t i = 0; i < show->categories_nr; i++) {
        const struct category *c = &show->categories[i];

        if (xmlTextWriterStartElement(w, X("itunes:category")) < 0 ||
            xmlTextWriterWriteAttribute(w, X("text"), X(c->name)) < 0)
            return -1;
        if (c->sub && empty_element(w, "itunes:category", "text", c->sub) < 0)
            return -1;
        if (xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return 0;
}

static int atom_link(xmlTextWriterPtr w, const char *rel, const char *href)
{
    if (xmlTextWriterStartElement(w, X("atom:link")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0 ||
        xmlTextWriterWriteAttribute(w, X("rel"), X(rel)) < 0 ||
        xmlTextWriterWriteAttribute(w, X("type"),
                                    X("application/rss+xml")) < 0)
        return -1;
    return xmlTextWriterEndElement(w);
}

static int write_channel_head(xmlTextWriterPtr w, const struct show *show,
                              struct episode *const *eps, size_t nr,
                              const struct feed_paging *pg)
{
    char date[32], guid[UUID_STR_LEN];
    char *image_url = show->image.s ?
        url_for_path(show->base_url.s, show->image.s) : NULL;
    const struct pp_date *newest = NULL;
    int ret = -1;

    for (size_t i = 0; i < nr; i++)
        if (!newest || eps[i]->date.t > newest->t)
            newest = &eps[i]->date;

    W(text_element(w, "title", show->title.s));
    W(text_element(w, "link", show->link.s));
    W(text_element(w, "description", show->description.s));
    W(text_element(w, "language", show->language.s));
    if (show->copyright.s)
        W(text_element(w, "copyright", show->copyright.s));
    W(text_element(w, "generator", PP_GENERATOR));
    if (newest) {
        date_format_rfc2822(newest, date);
        W(text_element(w, "lastBuildDate", date));
    }
    W(atom_link(w, "self", pg && pg->self ? pg->self : show->feed_url.s));
    if (pg && pg->first)
        W(atom_link(w, "first", pg->first));
    if (pg && pg->next)
        W(atom_link(w, "next", pg->next));
    if (pg && pg->previous)
        W(atom_link(w, "previous", pg->previous));
    if (image_url) {
        W(xmlTextWriterStartElement(w, X("image")));
        W(text_element(w, "url", image_url));
        W(text_element(w, "title", show->title.s));
        W(text_element(w, "link", show->link.s));
        W(xmlTextWriterEndElement(w));
        W(empty_element(w, "itunes:image", "href", image_url));
    }
    if (show->author.s)
        W(text_element(w, "itunes:author", show->author.s));
    if (show->owner_name.s || show->owner_email.s) {
        W(xmlTextWriterStartElement(w, X("itunes:owner")));
        if (show->owner_name.s)
            W(text_element(w, "itunes:name", show->owner_name.s));
        if (show->owner_email.s)
            W(text_element(w, "itunes:email", show->owner_email.s));
        W(xmlTextWriterEndElement(w));
    }
    W(write_categories(w, show));
    W(text_element(w, "itunes:explicit", explicit_str(show->explicit.v)));
    W(text_element(w, "itunes:type", show->serial ? "serial" : "episodic"));
    if (!show->guid.s)
        podcast_guid_for_url(show->feed_url.s, guid);
    W(text_element(w, "podcast:guid", show->guid.s ? show->guid.s : guid));
    if (show->locked.set) {
        W(xmlTextWriterStartElement(w, X("podcast:locked")));
        if (show->owner_email.s)
            W(xmlTextWriterWriteAttribute(w, X("owner"),
                                          X(show->owner_email.s)));
        W(xmlTextWriterWriteString(w, X(show->locked.v ? "yes" : "no")));
        W(xmlTextWriterEndElement(w));
    }
    if (show->funding_url.s) {
        W(xmlTextWriterStartElement(w, X("podcast:funding")));
        W(xmlTextWriterWriteAttribute(w, X("url"), X(show->funding_url.s)));
        W(xmlTextWriterWriteString(w, X(show->funding_text.s)));
        W(xmlTextWriterEndElement(w));
    }
    ret = 0;
fail:
    free(image_url);
    return ret;
}

static const char *episode_type_name(enum episode_type t)
{
    return t == EPISODE_TRAILER ? "trailer" : t == EPISODE_BONUS ? "bonus"
                                                                  : "full";
}

static int write_item(xmlTextWriterPtr w, const struct show *show,
                      const struct episode *ep)
{
    char date[32];
    char *audio_url = ep->enclosure_url ? xstrdup(ep->enclosure_url) :
                      url_for_path(show->base_url.s, ep->audio.s);
    char *image_url = ep->image.s ?
        url_for_path(show->base_url.s, ep->image.s) : NULL;
    char *transcript_url = ep->transcript.s ?
        url_for_path(show->base_url.s, ep->transcript.s) : NULL;
    char *page_url = NULL;
    /* Whole seconds, rounded; a file shorter than 0.5 s still lasts 1 s. */
    int64_t secs = (ep->media.duration_ms + 500) / 1000;
    int ret = -1;

    if (secs < 1)
        secs = 1;
    date_format_rfc2822(&ep->date, date);
    W(xmlTextWriterStartElement(w, X("item")));
    W(text_element(w, "title", ep->title.s));
    W(text_element(w, "itunes:title", ep->title.s));
    W(xmlTextWriterStartElement(w, X("guid")));
    W(xmlTextWriterWriteAttribute(w, X("isPermaLink"), X("false")));
    W(xmlTextWriterWriteString(w, X(ep->guid.s)));
    W(xmlTextWriterEndElement(w));
    W(text_element(w, "pubDate", date));
    if (ep->link.s) {
        W(text_element(w, "link", ep->link.s));
    } else {
        page_url = episode_page_url(show, ep);
        W(text_element(w, "link", page_url));
    }
    W(xmlTextWriterStartElement(w, X("enclosure")));
    W(xmlTextWriterWriteAttribute(w, X("url"), X(audio_url)));
    W(xmlTextWriterWriteFormatAttribute(w, X("length"), "%" PRIu64,
                                        ep->media.size));
    W(xmlTextWriterWriteAttribute(w, X("type"), X(ep->media.mime)));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterWriteFormatElement(w, X("itunes:duration"), "%" PRId64,
                                      secs));
    if (ep->season.set)
        W(number_element(w, "itunes:season", ep->season.v));
    if (ep->episode.set)
        W(number_element(w, "itunes:episode", ep->episode.v));
    W(text_element(w, "itunes:episodeType", episode_type_name(ep->type)));
    W(text_element(w, "itunes:explicit",
                   explicit_str(episode_explicit(show, ep))));
    if (image_url)
        W(empty_element(w, "itunes:image", "href", image_url));
    if (ep->summary.s)
        W(text_element(w, "itunes:subtitle", ep->summary.s));
    if (*ep->notes.text) {
        W(text_element(w, "itunes:summary", ep->notes.text));
        W(cdata_element(w, "description", ep->notes.html));
        W(cdata_element(w, "content:encoded", ep->notes.html));
    } else if (ep->summary.s) {
        W(text_element(w, "description", ep->summary.s));
    }
    if (ep->season.set)
        W(number_element(w, "podcast:season", ep->season.v));
    if (ep->episode.set)
        W(number_element(w, "podcast:episode", ep->episode.v));
    if (ep->chapters_nr) {
        char *url = chapters_url(show, ep);
        int r = xmlTextWriterStartElement(w, X("podcast:chapters")) < 0 ||
                xmlTextWriterWriteAttribute(w, X("url"), X(url)) < 0 ||
                xmlTextWriterWriteAttribute(w, X("type"),
                                            X("application/json+chapters")) < 0 ||
                xmlTextWriterEndElement(w) < 0;

        free(url);
        if (r)
            goto fail;
    }
    if (transcript_url) {
        W(xmlTextWriterStartElement(w, X("podcast:transcript")));
        W(xmlTextWriterWriteAttribute(w, X("url"), X(transcript_url)));
        W(xmlTextWriterWriteAttribute(w, X("type"), X(ep->transcript_type)));
        W(xmlTextWriterWriteAttribute(w, X("language"),
                                      X(show->language.s)));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    ret = 0;
fail:
    free(audio_url);
    free(image_url);
    free(transcript_url);
    free(page_url);
    return ret;
}

char *archive_feed_url(const struct show *show)
{
    return url_for_path(show->base_url.s, "feed-all.xml");
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
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = NULL;
    int ret = PP_ERR_IO;

    if (!buf)
        die("out of memory");
    w = xmlNewTextWriterMemory(buf, 0);
    if (!w)
        die("out of memory");
    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, X("  ")));
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElement(w, X("rss")));
    W(xmlTextWriterWriteAttribute(w, X("version"), X("2.0")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:itunes"), X(NS_ITUNES)));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:podcast"), X(NS_PODCAST)));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:content"), X(NS_CONTENT)));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:atom"), X(NS_ATOM)));
    W(xmlTextWriterStartElement(w, X("channel")));
    W(write_channel_head(w, show, eps, nr, pg));
    for (size_t i = 0; i < nr; i++)
        W(write_item(w, show, eps[i]));
    W(xmlTextWriterEndDocument(w));   /* closes channel and rss */
    xmlFreeTextWriter(w);             /* flushes into 'buf' */
    w = NULL;
    strbuf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    ret = 0;
    goto out;
fail:
    ret = errorf(PP_ERR_IO, "cannot write feed: libxml2 writer failed");
out:
    if (w)
        xmlFreeTextWriter(w);
    xmlBufferFree(buf);
    return ret;
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
