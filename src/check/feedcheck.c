/*
 * `podpub check --feed URL|FILE`: the rules applied to a feed podpub did
 * not build, read from a file or fetched over HTTP(S), and the rules that
 * only such a feed can break: its XML and namespaces, the limit Apple
 * sets on <description> (not on content:encoded). Whatever goes wrong
 * on the way (the file or URL cannot be had, the XML cannot be read) is a
 * finding too, so that --json always has something to say.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "podpub/net.h"
#include "podpub/strbuf.h"

#define FEED_MAX_BYTES (64u << 20)
#define APPLE_TEXT_MAX 4000

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
                       "which is not \"%s\": Apple asks for that URI exactly "
                       "as written and ignores the tags otherwise, as do "
                       "parsers that match URIs exactly (feedparser); podpub "
                       "checked %s as if it were right",
                       is->count, is->count == 1 ? "" : "s", is->example,
                       is->count == 1 ? "is" : "are", is->text, is->uri,
                       is->count == 1 ? "it" : "them");
            break;
        }
    }
}

void check_feed_item(struct ctx *c, const struct episode *ep,
                     const struct feed_item *it)
{
    (void)ep;
    if (it->has_description && it->description_bytes > APPLE_TEXT_MAX)
        report_add(c->r, "apple.description.length", &it->description_pos,
                   NULL, "the <description> has %zu bytes; Apple allows %d",
                   it->description_bytes, APPLE_TEXT_MAX);
}

int check_feed_buffer(const char *name, const char *buf, size_t len,
                      struct show *show, struct check_report *r, int64_t now)
{
    struct feed_doc doc = { 0 };
    struct episode **eps;
    int ret = feed_read(name, buf, len, show, &doc);

    check_feed_doc(r, &doc);
    if (ret == 0) {
        eps = xcalloc(show->nr + 1, sizeof(*eps));
        for (size_t i = 0; i < show->nr; i++)
            eps[i] = &show->episodes[i];
        check_run(r, show, eps, show->nr, now, len, show->nr, &doc);
        free(eps);
    }
    feed_doc_release(&doc);
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

int check_feed(const char *source, struct show *show,
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
                            r, now);
out:
    free(path);
    strbuf_release(&body);
    strbuf_release(&err);
    return ret;
}
