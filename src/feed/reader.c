/*
 * The feed reader: libxml2's parser (no network, no DTD loading) over a
 * podcast feed, matching elements by namespace URI as the careful parsers
 * do, and keeping every value as written for the rules to judge.
 *
 * A feed is someone else's input. Its cost must stay linear in its size,
 * so a feed that declares entities is refused at the declaration: one
 * entity referenced a million times, or entities nested ten deep, would
 * otherwise expand to gigabytes when the text is read (libxml2 keeps
 * references unexpanded in the tree, but xmlNodeGetContent() expands
 * them without a limit). Podcast feeds have no use for entities beyond
 * XML's five predefined ones and character references.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>

#include "podpub/feedread.h"
#include "podpub/ptime.h"

#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_ITUNES_HTTPS "https://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_PODCAST "https://podcastindex.org/namespace/1.0"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_ATOM "http://www.w3.org/2005/Atom"

struct reader {
    const char *name;       /* borrowed: show->path */
};

/* True when 'n' is element 'local' in namespace 'ns' (NULL: none). */
static bool is(const xmlNode *n, const char *ns, const char *local)
{
    const char *href;

    if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local))
        return false;
    href = n->ns ? (const char *)n->ns->href : NULL;
    if (!ns)
        return !href;
    if (!href)
        return false;
    if (!strcmp(ns, NS_ITUNES))
        return !strcmp(href, NS_ITUNES) || !strcmp(href, NS_ITUNES_HTTPS);
    return !strcmp(href, ns);
}

/* Sets 't' to the trimmed text of 'n' (unless empty), at its line. */
static void take_text(struct reader *r, const xmlNode *n, struct text *t)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = (const char *)c, *e;

    if (!c)
        return;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                     e[-1] == '\r'))
        e--;
    if (e > s) {
        free(t->s);
        t->s = xstrndup(s, (size_t)(e - s));
        t->pos.file = r->name;
        t->pos.line = (int)xmlGetLineNo(n);
        t->pos.col = 1;
    }
    xmlFree(c);
}

static void take_attr(struct reader *r, const xmlNode *n, const char *attr,
                      struct text *t)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);

    if (!v)
        return;
    if (*v) {
        free(t->s);
        t->s = xstrdup((const char *)v);
        t->pos.file = r->name;
        t->pos.line = (int)xmlGetLineNo(n);
        t->pos.col = 1;
    }
    xmlFree(v);
}

static void add_category(struct reader *r, struct show *show,
                         const xmlNode *n)
{
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"text");
    struct category *c;

    if (!name)
        return;
    show->categories = xrealloc(show->categories, (show->categories_nr + 1) *
                                sizeof(*show->categories));
    c = &show->categories[show->categories_nr++];
    memset(c, 0, sizeof(*c));
    c->name = xstrdup((const char *)name);
    c->pos.file = r->name;
    c->pos.line = (int)xmlGetLineNo(n);
    c->pos.col = 1;
    xmlFree(name);
    for (const xmlNode *k = n->children; k; k = k->next)
        if (is(k, NS_ITUNES, "category")) {
            xmlChar *sub = xmlGetProp(k, (const xmlChar *)"text");

            if (sub) {
                c->sub = xstrdup((const char *)sub);
                xmlFree(sub);
            }
            break;   /* Apple reads one subcategory */
        }
}

static void number_from(const struct text *raw, struct number *n)
{
    char *end;
    long long v;

    if (!raw->s)
        return;
    v = strtoll(raw->s, &end, 10);
    if (!*end && v > 0) {
        n->v = v;
        n->set = true;
        n->pos = raw->pos;
    }
}

static void read_item(struct reader *r, struct show *show, const xmlNode *it)
{
    struct episode *ep;
    struct text enc_url = { 0 }, enc_type = { 0 }, transcript_type = { 0 };

    ALLOC_GROW(show->episodes, show->nr + 1, show->alloc);
    ep = &show->episodes[show->nr++];
    memset(ep, 0, sizeof(*ep));
    ep->path = xstrdup(r->name);
    ep->name = xstrfmt("item %zu", show->nr);
    ep->item_line = (int)xmlGetLineNo(it);
    for (const xmlNode *n = it->children; n; n = n->next) {
        if (is(n, NULL, "title"))
            take_text(r, n, &ep->title);
        else if (is(n, NULL, "guid"))
            take_text(r, n, &ep->guid);
        else if (is(n, NULL, "link"))
            take_text(r, n, &ep->link);
        else if (is(n, NULL, "pubDate"))
            take_text(r, n, &ep->raw_date);
        else if ((is(n, NULL, "description") && !ep->description.s) ||
                 is(n, NS_CONTENT, "encoded"))
            take_text(r, n, &ep->description);   /* the fuller text wins */
        else if (is(n, NULL, "enclosure")) {
            take_attr(r, n, "url", &enc_url);
            take_attr(r, n, "type", &enc_type);
            take_attr(r, n, "length", &ep->raw_length);
            if (!ep->raw_length.s) {   /* a present but empty length */
                ep->raw_length.s = xstrdup("");
                ep->raw_length.pos = (struct srcpos){ r->name,
                    (int)xmlGetLineNo(n), 1 };
            }
        } else if (is(n, NS_ITUNES, "season"))
            take_text(r, n, &ep->raw_season);
        else if (is(n, NS_ITUNES, "episode"))
            take_text(r, n, &ep->raw_episode);
        else if (is(n, NS_ITUNES, "episodeType"))
            take_text(r, n, &ep->raw_type);
        else if (is(n, NS_ITUNES, "explicit"))
            take_text(r, n, &ep->raw_explicit);
        else if (is(n, NS_ITUNES, "image"))
            take_attr(r, n, "href", &ep->image);
        else if (is(n, NS_PODCAST, "transcript")) {
            take_attr(r, n, "url", &ep->transcript);
            take_attr(r, n, "type", &transcript_type);
        }
    }
    if (enc_url.s) {
        ep->enclosure_url = enc_url.s;
        ep->audio.pos = enc_url.pos;   /* where the rules point */
    }
    ep->enclosure_type = enc_type.s;
    ep->raw_transcript_type = transcript_type;
    if (ep->raw_length.s)
        ep->media.size = strtoull(ep->raw_length.s, NULL, 10);
    if (ep->raw_date.s) {
        bool named;

        ep->date_bad = date_parse_rfc2822(ep->raw_date.s, &ep->date,
                                          &named) < 0;
        ep->date_named_zone = named;
    }
    number_from(&ep->raw_season, &ep->season);
    number_from(&ep->raw_episode, &ep->episode);
    if (ep->raw_type.s)
        ep->type = !strcmp(ep->raw_type.s, "trailer") ? EPISODE_TRAILER :
                   !strcmp(ep->raw_type.s, "bonus") ? EPISODE_BONUS :
                   EPISODE_FULL;
}

static void read_channel(struct reader *r, struct show *show,
                         const xmlNode *ch)
{
    for (const xmlNode *n = ch->children; n; n = n->next) {
        if (is(n, NULL, "title"))
            take_text(r, n, &show->title);
        else if (is(n, NULL, "link"))
            take_text(r, n, &show->link);
        else if (is(n, NULL, "description") ||
                 (is(n, NS_ITUNES, "summary") && !show->description.s))
            take_text(r, n, &show->description);
        else if (is(n, NULL, "language"))
            take_text(r, n, &show->language);
        else if (is(n, NULL, "copyright"))
            take_text(r, n, &show->copyright);
        else if (is(n, NS_ITUNES, "author"))
            take_text(r, n, &show->author);
        else if (is(n, NS_ITUNES, "owner")) {
            for (const xmlNode *k = n->children; k; k = k->next) {
                if (is(k, NS_ITUNES, "name"))
                    take_text(r, k, &show->owner_name);
                else if (is(k, NS_ITUNES, "email"))
                    take_text(r, k, &show->owner_email);
            }
        } else if (is(n, NS_ITUNES, "image"))
            take_attr(r, n, "href", &show->image);
        else if (is(n, NS_ITUNES, "category"))
            add_category(r, show, n);
        else if (is(n, NS_ITUNES, "explicit"))
            take_text(r, n, &show->raw_explicit);
        else if (is(n, NS_ITUNES, "type"))
            take_text(r, n, &show->raw_type);
        else if (is(n, NS_PODCAST, "guid"))
            take_text(r, n, &show->guid);
        else if (is(n, NS_PODCAST, "locked")) {
            struct text v = { 0 };

            take_attr(r, n, "owner", &show->locked_owner);
            take_text(r, n, &v);
            show->locked.set = true;
            show->locked.v = v.s && !strcasecmp(v.s, "yes");
            free(v.s);
            show->locked.pos = (struct srcpos){ r->name,
                                                (int)xmlGetLineNo(n), 1 };
        } else if (is(n, NS_PODCAST, "funding")) {
            take_text(r, n, &show->funding_text);
            take_attr(r, n, "url", &show->funding_url);
        } else if (is(n, NS_ATOM, "link")) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");

            if (rel && !strcmp((const char *)rel, "self"))
                take_attr(r, n, "href", &show->feed_url);
            xmlFree(rel);
        } else if (is(n, NULL, "item")) {
            read_item(r, show, n);
        }
    }
    if (show->image.s)
        show->image_url = xstrdup(show->image.s);
    show->serial = show->raw_type.s && !strcmp(show->raw_type.s, "serial");
}

/* What the parser met that makes podpub refuse the feed. */
struct refusal {
    int line;                   /* 0: nothing refused */
    char *entity;
};

/*
 * SAX hook for <!ENTITY ...> (general or parameter, internal or
 * external): stop the parser there, before anything can refer to it.
 */
static void refuse_entity(void *ctx, const xmlChar *name, int type,
                          const xmlChar *public_id, const xmlChar *system_id,
                          xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct refusal *ref = ctxt->_private;

    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    if (!ref->line) {
        ref->line = xmlSAX2GetLineNumber(ctx);
        ref->entity = printable((const char *)name, 40);
    }
    xmlStopParser(ctxt);
}

/*
 * Parses 'len' bytes into a tree, refusing entity declarations. Returns
 * the document, or NULL with '*ref' set when an entity was declared (or
 * not, when the XML is not well-formed: then xmlGetLastError() says why).
 */
static xmlDocPtr parse_bounded(const char *name, const char *buf, size_t len,
                               struct refusal *ref)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc;

    if (!ctxt)
        die("cannot create an XML parser");
    ctxt->sax->entityDecl = refuse_entity;
    ctxt->_private = ref;
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    if (ref->line) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

int feed_parse(const char *name, const char *buf, size_t len,
               struct show *show)
{
    struct reader r;
    struct refusal ref = { 0, NULL };
    xmlDocPtr doc;
    const xmlNode *root, *ch;
    const xmlError *err;
    int ret = 0;

    show->path = xstrdup(name);
    show->from_feed = true;
    r.name = show->path;
    if (len > (size_t)INT32_MAX)
        return errorf(PP_ERR_INPUT, "%s: too large to read", name);
    doc = parse_bounded(name, buf, len, &ref);
    if (ref.line) {
        struct srcpos pos = { show->path, ref.line, 1 };

        ret = input_error(&pos, NULL, "the feed declares the XML entity "
                          "'%s': podpub does not read feeds with entity "
                          "declarations (they can expand without bound)",
                          ref.entity);
        free(ref.entity);
        return ret;
    }
    if (!doc) {
        struct srcpos pos = { show->path, 0, 0 };

        err = xmlGetLastError();
        if (err)
            pos.line = err->line;
        {
            char *m = xstrdup(err && err->message ? err->message
                                                  : "parse error");
            size_t n = strlen(m);

            char *shown;

            while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
                m[--n] = '\0';
            if (err && err->int2 > 0)
                pos.col = err->int2;
            shown = printable(m, 200);
            ret = input_error(&pos, NULL, "not well-formed XML: %s", shown);
            free(shown);
            free(m);
        }
        /* libxml2's messages end in a newline of their own. */
        return ret;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || !is(root, NULL, "rss")) {
        struct srcpos pos = { show->path, root ? (int)xmlGetLineNo(root) : 1,
                              1 };

        ret = input_error(&pos, NULL, "not an RSS feed (the root element is "
                          "not <rss>)");
        goto out;
    }
    for (ch = root->children; ch && !is(ch, NULL, "channel"); ch = ch->next)
        ;
    if (!ch) {
        struct srcpos pos = { show->path, (int)xmlGetLineNo(root), 1 };

        ret = input_error(&pos, NULL, "the feed has no <channel>");
        goto out;
    }
    read_channel(&r, show, ch);
out:
    xmlFreeDoc(doc);
    return ret;
}
