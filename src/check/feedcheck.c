/*
 * `podpub check --feed URL|FILE`: the rules applied to a feed podpub did
 * not build, read from a file or fetched over HTTP(S), and the rules that
 * only such a feed can break: its XML and namespaces, and what only a
 * feed states (itunes:duration, an item's second enclosure, a type that
 * contradicts the file's extension). Whatever goes wrong on the way
 * (the file or URL cannot be had, the XML cannot be read) is a finding
 * too, so that --json always has something to say.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "podpub/media.h"
#include "podpub/net.h"
#include "podpub/strbuf.h"

#define FEED_MAX_BYTES (64u << 20)
#define APPLE_TEXT_MAX 4000
/*
 * The lowest bit rate a podcast's audio has: speech in Opus or HE-AAC
 * goes down to 6 to 8 kbit/s, MP3 to 8. 4 kbit/s leaves room for
 * rounding in itunes:duration; a length below it cannot be the file.
 */
#define MIN_KBPS 4

/* Who reads the namespace 'uri' only under that exact URI. */
static const char *ns_reader(const char *uri)
{
    if (strstr(uri, "podcastindex.org"))
        return "Podcast Index apps read its tags only under that URI "
               "exactly as written";
    if (strstr(uri, "itunes.com") || strstr(uri, "purl.org/rss"))
        return "Apple asks for that URI exactly as written and ignores the "
               "tags otherwise";
    return "apps read its tags only under that URI exactly as written";
}

/* What the rules say about each problem of the document. */
void check_feed_doc(struct check_report *r, const struct feed_doc *doc)
{
    for (size_t i = 0; i < doc->issues_nr; i++) {
        const struct feed_issue *is = &doc->issues[i];

        /* A feed that cannot be read at all: only why. */
        if (doc->fatal && (is->kind == FEED_ISSUE_UNDECLARED ||
                           is->kind == FEED_ISSUE_NAMESPACE))
            continue;
        switch (is->kind) {
        case FEED_ISSUE_LIMIT:
            report_add(r, "rss.feed.xml", &is->pos, NULL, "podpub stops "
                       "reading the feed here: %s; that takes libxml2 "
                       "time or memory out of proportion, and no podcast "
                       "feed needs it", is->text);
            break;
        case FEED_ISSUE_XML:
            report_add(r, "rss.feed.xml", &is->pos, NULL, "not well-formed "
                       "XML: %s; apps refuse the feed or read only part of "
                       "it", is->text);
            break;
        case FEED_ISSUE_ENTITY:
            report_add(r, "rss.feed.xml", &is->pos, NULL, "the feed declares "
                       "the XML entity '%s': podpub does not read feeds with "
                       "entity declarations (they can expand without bound)",
                       is->text);
            break;
        case FEED_ISSUE_NOT_RSS:
            report_add(r, "rss.feed.format", &is->pos, NULL, "the root "
                       "element is <%s>, not <rss>: %s", is->text,
                       !strcmp(is->text, "feed") ? "this is an Atom feed, and "
                       "podcast directories want RSS 2.0" :
                       !strcmp(is->text, "rdf:RDF") ? "this is RSS 1.0, and "
                       "podcast directories want RSS 2.0" :
                       "podcast feeds are RSS 2.0");
            break;
        case FEED_ISSUE_NO_CHANNEL:
            report_add(r, "rss.feed.format", &is->pos, NULL, "<rss> has no "
                       "<channel>: the feed has no show and no episodes");
            break;
        case FEED_ISSUE_XML_START:
            report_add(r, "rss.feed.xml", &is->pos, NULL, "the XML "
                       "declaration <?xml ...?> comes after %zu line%s of "
                       "white space, but is allowed only at the very start: "
                       "gPodder and other strict parsers refuse the feed "
                       "(podpub checked the rest as if it were not there)",
                       is->count, is->count == 1 ? "" : "s");
            break;
        case FEED_ISSUE_UNDECLARED:
            if (is->uri)
                report_add(r, "rss.namespace.undeclared", &is->pos, NULL,
                           "the prefix \"%s:\" is used (%zu time%s, first "
                           "<%s>) but never declared: add xmlns:%s=\"%s\" "
                           "to <rss>; Apple ignores tags of an undeclared "
                           "namespace, and namespace-aware parsers flag the "
                           "feed", is->text, is->count,
                           is->count == 1 ? "" : "s",
                           is->example ? is->example : is->text, is->text,
                           is->uri);
            else
                report_add(r, "rss.namespace.undeclared", &is->pos, NULL,
                           "the prefix \"%s:\" is used (%zu time%s, first "
                           "<%s>) but never declared: declare it on <rss> "
                           "(xmlns:%s=\"...\") or remove those tags",
                           is->text, is->count, is->count == 1 ? "" : "s",
                           is->example ? is->example : is->text, is->text);
            break;
        case FEED_ISSUE_NAMESPACE:
            report_add(r, "rss.namespace.uri", &is->pos, NULL, "%zu "
                       "element%s (first <%s>) %s in the namespace \"%s\", "
                       "which is not \"%s\": %s, and parsers that match URIs "
                       "exactly (feedparser) skip %s too; podpub checked %s "
                       "as if it were right",
                       is->count, is->count == 1 ? "" : "s", is->example,
                       is->count == 1 ? "is" : "are", is->text, is->uri,
                       ns_reader(is->uri), is->count == 1 ? "it" : "them",
                       is->count == 1 ? "it" : "them");
            break;
        }
    }
}

/*
 * itunes:duration as Apple and the parsers read it: whole seconds, or
 * [H:]MM:SS. Sets '*secs' (-1 when unreadable, the whole part of a
 * fraction otherwise) and returns a reason it is not as Apple wants it,
 * or NULL.
 */
static const char *duration_why(const char *s, int64_t *secs)
{
    int64_t part[3] = { 0, 0, 0 };
    size_t nparts = 0;
    const char *p = s, *why = NULL;

    *secs = -1;
    if (!*s)
        return "is empty: apps show no duration";
    for (;;) {
        int64_t v = 0;
        const char *start = p;

        while (isdigit((unsigned char)*p) && p - start < 12)
            v = v * 10 + (*p++ - '0');
        if (p == start || nparts == 3)
            break;
        part[nparts++] = v;
        if (*p != ':')
            break;
        p++;
    }
    if (nparts == 1 && *p == '.' && isdigit((unsigned char)p[1])) {
        const char *q = p + 1;

        while (isdigit((unsigned char)*q))
            q++;
        if (!*q) {
            *secs = part[0] + (p[1] >= '5');   /* rounded */
            return "has a fraction: Apple reads whole seconds";
        }
    }
    if (*p || !nparts)
        return "is not seconds or H:MM:SS";
    for (size_t i = 1; i < nparts; i++)
        if (part[i] > 59)
            why = nparts == 2 || i == 2 ? "has more than 59 seconds" :
                  "has more than 59 minutes";
    *secs = nparts == 1 ? part[0] : nparts == 2 ? part[0] * 60 + part[1] :
            (part[0] * 60 + part[1]) * 60 + part[2];
    return why;
}

/* "1:02:03" for 'secs'. */
static void clock_of(int64_t secs, char buf[32])
{
    snprintf(buf, 32, "%" PRId64 ":%02d:%02d", secs / 3600,
             (int)(secs / 60 % 60), (int)(secs % 60));
}

/*
 * The enclosure's type against the extension of its URL's path: a type
 * that belongs to another extension (.m4a served as audio/mpeg) sends
 * apps to the wrong player. Types podpub does not know are
 * apple.enclosure.type's business.
 */
static void check_extension(struct ctx *c, const struct episode *ep,
                            const struct feed_item *it)
{
    const unsigned kinds = MEDIA_AUDIO | MEDIA_OTHER;
    const char *url = ep->enclosure_url, *type = it->enclosure_type.s;
    const char *path = strstr(url, "://"), *end, *dot;
    const struct media_type *m;
    char *name, *shown;

    path = path ? path + 3 + strcspn(path + 3, "/?#") : url;
    end = path + strcspn(path, "?#");
    for (dot = end; dot > path && dot[-1] != '.' && dot[-1] != '/'; dot--)
        ;
    if (dot == path || dot[-1] != '.')
        return;
    name = xstrndup(dot - 1, (size_t)(end - dot + 1));
    m = media_of_name(name);
    free(name);
    if (!m || !(m->uses & kinds) || media_has_type(m, type) ||
        !media_by_type(type, kinds))
        return;
    shown = printable(type, 40);
    report_add(c->r, "apple.enclosure.extension", &ep->audio.pos, NULL,
               "the enclosure's type is %s but its file ends in .%.*s "
               "(want type %s): apps choose how to play it by one or the "
               "other", shown, (int)(end - dot), dot, m->mime);
    free(shown);
}

void check_feed_item(struct ctx *c, const struct episode *ep,
                     const struct feed_item *it)
{
    const char *why = NULL;
    int64_t secs = -1;

    if (it->has_description && it->description_bytes > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length", &it->description_pos,
                   NULL, "the <description> has %zu bytes; Apple allows %d",
                   it->description_bytes, APPLE_TEXT_MAX);
    if (it->duration.s && (why = duration_why(it->duration.s, &secs))) {
        char *shown = printable(it->duration.s, 40);
        char clock[32];

        if (secs >= 0) {
            /* What the parsers make of it, written as Apple wants it. */
            clock_of(secs, clock);
            report_add(c->r, "apple.duration.value", &it->duration.pos, NULL,
                       "itunes:duration \"%s\" %s (write %" PRId64 " or %s)",
                       shown, why, secs, clock);
        } else {
            report_add(c->r, "apple.duration.value", &it->duration.pos, NULL,
                       "itunes:duration \"%s\" %s (write seconds, 3723, or "
                       "1:02:03)", shown, why);
        }
        free(shown);
    }
    if (it->enclosures > 1)
        report_add(c->r, "rss.enclosure.multiple", &it->other_enclosure, NULL,
                   "the item has %zu <enclosure> elements; Apple and the "
                   "other apps play one (podpub judged the first with a url "
                   "that is not an image, line %d, as apps pick it): offer "
                   "other files with <podcast:alternateEnclosure>",
                   it->enclosures,
                   ep->audio.pos.line);
    if (!ep->enclosure_url || !it->enclosure_type.s)
        return;
    check_extension(c, ep, it);
    if (secs > 0 && it->length.s && ep->media.size > 0 &&
        strspn(it->length.s, "0123456789") == strlen(it->length.s) &&
        ep->media.size * 8 < (uint64_t)secs * MIN_KBPS * 1000) {
        char clock[32];

        clock_of(secs, clock);
        if (ep->media.size == (uint64_t)secs)
            report_add(c->r, "rss.enclosure.bitrate", &it->length.pos,
                       NULL, "enclosure length %" PRIu64 " is the duration "
                       "in seconds (%s); length is the file's size in bytes",
                       ep->media.size, clock);
        else
            report_add(c->r, "rss.enclosure.bitrate", &it->length.pos,
                       NULL, "enclosure length %" PRIu64 " (bytes) cannot "
                       "hold %s of audio (that would be %.3f kbit/s; podcasts "
                       "use at least 8): length is the file's size in bytes",
                       ep->media.size, clock,
                       (double)ep->media.size * 8 / 1000 / (double)secs);
    }
}

int check_feed_buffer(const char *name, const char *buf, size_t len,
                      struct show *show, struct feed_doc *doc,
                      struct check_report *r, int64_t now)
{
    struct episode **eps;
    int ret = feed_read(name, buf, len, show, doc);

    check_feed_doc(r, doc);
    if (ret == 0) {
        eps = xcalloc(show->nr + 1, sizeof(*eps));
        for (size_t i = 0; i < show->nr; i++)
            eps[i] = &show->episodes[i];
        check_run(r, show, eps, show->nr, now, len, show->nr, doc);
        free(eps);
    }
    return ret;
}

/* A local error while the feed is read: a finding at the file. */
struct load_sink {
    struct check_report *r;
    const char *file;
};

static void load_error(void *ctx, const struct report_msg *m)
{
    struct load_sink *ls = ctx;
    struct srcpos pos = { ls->file, 0, 0 };

    report_add(ls->r, "input.unreadable", &pos, NULL, "%s", m->text);
}

int check_feed(const char *source, struct show *show, struct feed_doc *doc,
               struct check_report *r, int64_t now, long timeout_s)
{
    struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
    char *path = NULL;
    int ret;

    if (starts_with(source, "http://") || starts_with(source, "https://")) {
        long status = 0;

        if ((ret = http_get(source, timeout_s, FEED_MAX_BYTES, &body,
                            &status, &err)) < 0) {
            report_add(r, "online.unreachable", NULL, source, "%s", err.buf);
            goto out;
        }
        if (status != 200) {
            report_add(r, "online.status", NULL, source, "%s: HTTP status "
                       "%ld, not 200", source, status);
            ret = PP_ERR_REMOTE;
            goto out;
        }
    } else {
        struct load_sink ls = { r, source };
        struct report_sink sink = { load_error, &ls };
        const struct report_sink *old;

        if (starts_with(source, "file:") &&
            (ret = file_url_path(source, &path, &err)) < 0) {
            report_add(r, "input.unreadable", NULL, source, "%s", err.buf);
            goto out;
        }
        if (path)
            ls.file = path;
        old = report_sink_set(&sink);
        ret = strbuf_read_file(&body, path ? path : source, FEED_MAX_BYTES);
        report_sink_set(old);
        if (ret < 0)
            goto out;
    }
    ret = check_feed_buffer(path ? path : source, body.buf, body.len, show,
                            doc, r, now);
out:
    free(path);
    strbuf_release(&body);
    strbuf_release(&err);
    return ret;
}
