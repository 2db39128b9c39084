/*
 * The feed reader: libxml2's parser (no network, no DTD loading) over a
 * podcast feed, matching elements by namespace URI as the careful parsers
 * do, and keeping every value as written, at the line and column of its
 * element, for the rules to judge.
 *
 * A feed is someone else's input. Its cost must stay linear in its size,
 * so a feed that declares entities is refused at the declaration: one
 * entity referenced a million times, or entities nested ten deep, would
 * otherwise expand to gigabytes when the text is read (libxml2 keeps
 * references unexpanded in the tree, but xmlNodeGetContent() expands
 * them without a limit). Podcast feeds have no use for entities beyond
 * XML's five predefined ones and character references. Everything else
 * kept per element or per problem is a few bytes, or bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/dict.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "podpub/feedread.h"
#include "podpub/ptime.h"

#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_PODCAST "https://podcastindex.org/namespace/1.0"
/* The namespace's first URI, which its spec says readers must accept. */
#define NS_PODCAST_LEGACY \
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_ATOM "http://www.w3.org/2005/Atom"

/* The namespaces the reader reads elements of. */
enum ns { NS_NONE, NS_IT, NS_PI, NS_CONT, NS_AT, NS_PSC, NS_OTHER };

static const struct known_ns {
    const char *prefix, *uri, *legacy;
    enum ns id;
} known_ns[] = {
    { "itunes", NS_ITUNES, NULL, NS_IT },
    { "podcast", NS_PODCAST, NS_PODCAST_LEGACY, NS_PI },
    { "content", NS_CONTENT, NULL, NS_CONT },
    { "atom", NS_ATOM, NULL, NS_AT },
    { "psc", "http://podlove.org/simple-chapters", NULL, NS_PSC },
    /* Not read; named when their prefix is used undeclared. */
    { "media", "http://search.yahoo.com/mrss/", NULL, NS_OTHER },
    { "dc", "http://purl.org/dc/elements/1.1/", NULL, NS_OTHER },
    { "googleplay", "http://www.google.com/schemas/play-podcasts/1.0", NULL,
      NS_OTHER },
    { "sy", "http://purl.org/rss/1.0/modules/syndication/", NULL, NS_OTHER },
};

/* Distinct undeclared prefixes or look-alike namespaces kept, each. */
#define ISSUES_MAX 8
/*
 * libxml2 2.9 takes time quadratic in the attributes of one start tag
 * (80,000 of them in a 1 MB feed: 97 s) and in the distinct names it has
 * seen (400,000 element names: 6 s), and memory for every element. Real
 * feeds stay far below these: the most attributes a podcast tag has is
 * <rss> with its namespace declarations, a dozen or two; a 7,300-item
 * feed has a few hundred names and 200,000 elements.
 */
#define ATTRS_MAX 64
#define NAMES_MAX 100000
#define ELEMENTS_MAX 1000000
/* How far back a column is looked for on a line that a tag continues. */
#define COLUMN_SCAN_MAX 4096

struct elpos {
    int line, col;
};

struct reader {
    const char *name;           /* borrowed: show->path */
    struct feed_doc *doc;
    int line_offset;            /* lines skipped before the declaration */
    int col_offset;             /* columns skipped on the first line */
    /* While parsing: */
    startElementNsSAX2Func sax2_start;
    struct elpos *pos;          /* element i's start tag: _private == i + 1 */
    size_t pos_nr, pos_alloc;
    int entity_line;            /* an entity was declared there */
    char *entity;
    bool have_fatal;
    bool fatal_limit;           /* a limit of ours, not libxml2's error */
    struct srcpos fatal_pos;
    char *fatal_msg;
    /* The namespace of the last element classified, to save lookups. */
    const xmlNs *last_ns;
    enum ns last_id;
    size_t last_issue;          /* its look-alike's issue, or SIZE_MAX */
    struct {
        char *href;             /* a look-alike namespace seen */
        size_t issue;           /* its issue in doc->issues */
    } wrong[ISSUES_MAX];
    size_t wrong_nr;
};

static struct srcpos at_line(struct reader *r, int line, int col)
{
    struct srcpos p = { r->name, line + r->line_offset, col };

    if (line == 1 && col > 0)
        p.col += r->col_offset;
    return p;
}

/* Where the start tag of 'n' is. */
static struct srcpos pos_of(struct reader *r, const xmlNode *n)
{
    uintptr_t i = (uintptr_t)n->_private;

    if (i && i <= r->pos_nr)
        return at_line(r, r->pos[i - 1].line, r->pos[i - 1].col);
    return at_line(r, (int)xmlGetLineNo(n), 0);
}

static struct feed_issue *add_issue(struct feed_doc *doc,
                                    enum feed_issue_kind kind,
                                    struct srcpos pos, char *text)
{
    struct feed_issue *is;

    ALLOC_GROW(doc->issues, doc->issues_nr + 1, doc->issues_alloc);
    is = &doc->issues[doc->issues_nr++];
    memset(is, 0, sizeof(*is));
    is->kind = kind;
    is->pos = pos;
    is->text = text;
    is->count = 1;
    /* The fatal kinds come first in enum feed_issue_kind. */
    doc->fatal |= kind <= FEED_ISSUE_NO_CHANNEL;
    return is;
}

/* The known namespace conventionally bound to 'prefix', or NULL. */
static const struct known_ns *ns_by_prefix(const char *prefix, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(known_ns); i++)
        if (strlen(known_ns[i].prefix) == len &&
            !strncmp(known_ns[i].prefix, prefix, len))
            return &known_ns[i];
    return NULL;
}

/* 'uri' without "http(s)://", "www." and a final '/'; its length. */
static const char *uri_core(const char *uri, size_t *len)
{
    if (!strncasecmp(uri, "http://", 7))
        uri += 7;
    else if (!strncasecmp(uri, "https://", 8))
        uri += 8;
    if (!strncasecmp(uri, "www.", 4))
        uri += 4;
    *len = strlen(uri);
    if (*len && uri[*len - 1] == '/')
        --*len;
    return uri;
}

/*
 * True when 'uri' is 'known' but for letter case, http or https, "www."
 * or a final slash: meant as that namespace, but not it to a parser.
 */
static bool uri_like(const char *uri, const char *known)
{
    size_t n, m;
    const char *a = uri_core(uri, &n), *b = uri_core(known, &m);

    return n == m && !strncasecmp(a, b, n);
}

/*
 * Sets r->last_id to what the namespace of 'n' is, and r->last_issue to
 * the index of the issue that counts its elements when it only looks like
 * a known one (made at the first of them; none past ISSUES_MAX).
 */
static void lookup_ns(struct reader *r, const xmlNode *n)
{
    const char *href = (const char *)n->ns->href;
    const struct known_ns *k = NULL;
    struct feed_doc *doc = r->doc;
    struct feed_issue *is;
    size_t kept = 0;

    for (size_t i = 0; href && i < ARRAY_SIZE(known_ns); i++) {
        if (known_ns[i].id == NS_OTHER)
            break;
        if (!strcmp(href, known_ns[i].uri) ||
            (known_ns[i].legacy && !strcmp(href, known_ns[i].legacy))) {
            r->last_id = known_ns[i].id;
            return;
        }
        if (uri_like(href, known_ns[i].uri)) {
            k = &known_ns[i];
            break;
        }
    }
    if (!k)
        return;
    r->last_id = k->id;
    for (size_t i = 0; i < r->wrong_nr; i++)
        if (!strcmp(r->wrong[i].href, href)) {
            r->last_issue = r->wrong[i].issue;
            return;
        }
    for (size_t i = 0; i < doc->issues_nr; i++)
        kept += doc->issues[i].kind == FEED_ISSUE_NAMESPACE;
    if (kept >= ISSUES_MAX)
        return;
    is = add_issue(doc, FEED_ISSUE_NAMESPACE, pos_of(r, n),
                   printable(href, 200));
    is->count = 0;   /* classify() counts this one */
    is->uri = k->uri;
    is->example = n->ns->prefix ?
        xstrfmt("%.40s:%.60s", n->ns->prefix, n->name) :
        xstrfmt("%.60s", n->name);
    r->last_issue = doc->issues_nr - 1;
    r->wrong[r->wrong_nr].href = xstrdup(href);
    r->wrong[r->wrong_nr++].issue = r->last_issue;
}

/*
 * The namespace of element 'n' and its local name. An element whose
 * namespace only looks like a known one is read as that one (the rules
 * then judge its values), and the look-alike is recorded as an issue;
 * so is an undeclared prefix, which libxml2 leaves in the name
 * ("itunes:image", no namespace): feedparser and the JavaScript parsers
 * read those too.
 */
static enum ns classify(struct reader *r, const xmlNode *n,
                        const char **local)
{
    const char *name = (const char *)n->name, *colon;

    *local = name;
    if (!n->ns) {
        const struct known_ns *k;

        if (!(colon = strchr(name, ':')))
            return NS_NONE;
        k = ns_by_prefix(name, (size_t)(colon - name));
        *local = colon + 1;
        return k ? k->id : NS_OTHER;
    }
    if (n->ns != r->last_ns) {
        r->last_ns = n->ns;
        r->last_id = NS_OTHER;
        r->last_issue = SIZE_MAX;
        lookup_ns(r, n);
    }
    if (r->last_issue != SIZE_MAX)
        r->doc->issues[r->last_issue].count++;
    return r->last_id;
}

/*
 * The first element from 'n' on ('n' or a later sibling), with its
 * namespace in '*ns' and local name in '*local'; NULL when there is none.
 */
static const xmlNode *element(struct reader *r, const xmlNode *n,
                              enum ns *ns, const char **local)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    if (n)
        *ns = classify(r, n, local);
    return n;
}

/* White space as the rules see it at either end of a value. */
static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * What the white space from 'p' towards 'end' (by 'step') is, told by its
 * most visible character: '\n' if it has a line break, else '\r' or '\t'
 * if it has one, else ' '; '\0' when there is none.
 */
static char run_kind(const char *p, const char *end, int step)
{
    char kind = '\0';

    for (; p != end && blank(*p); p += step)
        if (!kind || *p == '\n' || (kind == ' ' && *p != ' '))
            kind = *p;
    return kind;
}

/*
 * Sets 't' to the trimmed text of 'n' (unless empty), at its position.
 * Sets '*lead' and '*trail' (when not NULL) to the white space the text
 * had at either end, or '\0'.
 */
static void take_text_ends(struct reader *r, const xmlNode *n,
                           struct text *t, char *lead, char *trail)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = (const char *)c, *e;

    if (!c)
        return;
    e = s + strlen(s);
    if (lead)
        *lead = run_kind(s, e, 1);
    if (trail)
        *trail = run_kind(e - 1, s - 1, -1);
    while (blank(*s))
        s++;
    while (e > s && blank(e[-1]))
        e--;
    if (e > s) {
        free(t->s);
        t->s = xstrndup(s, (size_t)(e - s));
        t->pos = pos_of(r, n);
    }
    xmlFree(c);
}

static void take_text(struct reader *r, const xmlNode *n, struct text *t)
{
    take_text_ends(r, n, t, NULL, NULL);
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
        t->pos = pos_of(r, n);
    }
    xmlFree(v);
}

static void add_category(struct reader *r, struct show *show,
                         const xmlNode *n)
{
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"text");
    struct category *c;
    const xmlNode *k;
    const char *local;
    enum ns ns;

    /* No text="": a category Apple cannot read, judged as "" (with its
     * subcategory), not skipped as if it were not there. */
    show->categories = xrealloc(show->categories, (show->categories_nr + 1) *
                                sizeof(*show->categories));
    c = &show->categories[show->categories_nr++];
    memset(c, 0, sizeof(*c));
    c->name = xstrdup(name ? (const char *)name : "");
    c->pos = pos_of(r, n);
    xmlFree(name);
    for (k = element(r, n->children, &ns, &local); k;
         k = element(r, k->next, &ns, &local)) {
        if (ns == NS_IT && !strcmp(local, "category")) {
            xmlChar *sub = xmlGetProp(k, (const xmlChar *)"text");

            if (sub) {
                c->sub = xstrdup((const char *)sub);
                xmlFree(sub);
            }
            break;   /* Apple reads one subcategory */
        }
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

/*
 * How likely apps are to play enclosure 'n': AntennaPod and gPodder take
 * the first with a url whose type is not an image, partytime the first
 * with a url. Higher is likelier.
 */
static int enclosure_rank(const xmlNode *n)
{
    xmlChar *url = xmlGetProp(n, (const xmlChar *)"url");
    xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
    int rank = (url && *url ? 2 : 0) +
               (!type || strncasecmp((const char *)type, "image/", 6));

    xmlFree(url);
    xmlFree(type);
    return rank;
}

/*
 * The Podcast Index namespace's records (pi.h): each member from its
 * attribute or from the element's text, through the same tables the
 * writer uses.
 */
static void read_rec(struct reader *r, const xmlNode *n,
                     const struct pi_kind *k, void *rec)
{
    for (size_t i = 0; i < k->fields_nr; i++) {
        struct text *t = pi_text(rec, &k->fields[i]);

        if (k->fields[i].attr)
            take_attr(r, n, k->fields[i].attr, t);
        else
            take_text(r, n, t);
    }
}

#define READ_LIST(kind, list) \
    read_rec(r, n, &(kind), \
             pi_list_add(&(kind), (void **)&(list), &(list##_nr)))

/*
 * <podcast:value> 'n' into 'v': its recipients and time splits (each a
 * remoteItem or recipients of its own). Only the first block counts, as
 * in the apps.
 */
static void read_value(struct reader *r, const xmlNode *n,
                       struct pi_value *v)
{
    const xmlNode *k, *m;
    const char *kl, *ml;
    enum ns ns;

    if (v->set)
        return;
    v->set = true;
    v->pos = pos_of(r, n);
    read_rec(r, n, &pi_value_kind, v);
    for (k = element(r, n->children, &ns, &kl); k;
         k = element(r, k->next, &ns, &kl)) {
        struct pi_timesplit *ts;

        if (ns != NS_PI)
            continue;
        if (!strcmp(kl, "valueRecipient")) {
            read_rec(r, k, &pi_recipient_kind,
                     pi_list_add(&pi_recipient_kind, (void **)&v->recipients,
                                 &v->recipients_nr));
            continue;
        }
        if (strcmp(kl, "valueTimeSplit"))
            continue;
        ts = pi_list_add(&pi_timesplit_kind, (void **)&v->timesplits,
                         &v->timesplits_nr);
        ts->pos = pos_of(r, k);
        read_rec(r, k, &pi_timesplit_kind, ts);
        for (m = element(r, k->children, &ns, &ml); m;
             m = element(r, m->next, &ns, &ml)) {
            if (ns == NS_PI && !strcmp(ml, "remoteItem") &&
                !ts->remote.feed_guid.s && !ts->remote.item_guid.s)
                read_rec(r, m, &pi_remote_kind, &ts->remote);
            else if (ns == NS_PI && !strcmp(ml, "valueRecipient"))
                read_rec(r, m, &pi_recipient_kind,
                         pi_list_add(&pi_recipient_kind,
                                     (void **)&ts->recipients,
                                     &ts->recipients_nr));
        }
    }
}

/*
 * podcast:image into 'images'; podcast:images (the older srcset of the
 * same files) is taken as read: podpub writes both. False for any other
 * 'local' name.
 */
static bool read_image(struct reader *r, const xmlNode *n, const char *local,
                       struct pi_image **images, size_t *nr)
{
    if (!strcmp(local, "image"))
        read_rec(r, n, &pi_image_kind,
                 pi_list_add(&pi_image_kind, (void **)images, nr));
    return !strcmp(local, "image") || !strcmp(local, "images");
}

/* A <podcast:local> of the channel into show->pi; false if not one. */
static bool read_pi_channel(struct reader *r, struct show *show,
                            const xmlNode *n, const char *local)
{
    struct pi_show *pi = &show->pi;
    const xmlNode *k;
    const char *kl;
    enum ns ns;

    if (!strcmp(local, "funding"))
        READ_LIST(pi_funding_kind, pi->funding);
    else if (!strcmp(local, "person"))
        READ_LIST(pi_person_kind, pi->persons);
    else if (!strcmp(local, "txt"))
        READ_LIST(pi_txt_kind, pi->txts);
    else if (!strcmp(local, "block"))
        READ_LIST(pi_block_kind, pi->blocks);
    else if (!strcmp(local, "trailer"))
        READ_LIST(pi_trailer_kind, pi->trailers);
    else if (!strcmp(local, "location") && !pi->location.name.s)
        read_rec(r, n, &pi_location_kind, &pi->location);
    else if (!strcmp(local, "license") && !pi->license.name.s)
        read_rec(r, n, &pi_license_kind, &pi->license);
    else if (!strcmp(local, "updateFrequency"))
        read_rec(r, n, &pi_update_kind, &pi->update);
    else if (!strcmp(local, "medium"))
        take_text(r, n, &pi->medium);
    else if (!strcmp(local, "value"))
        read_value(r, n, &pi->value);
    else if (!strcmp(local, "podroll"))
        for (k = element(r, n->children, &ns, &kl); k;
             k = element(r, k->next, &ns, &kl)) {
            if (ns == NS_PI && !strcmp(kl, "remoteItem"))
                read_rec(r, k, &pi_remote_kind,
                         pi_list_add(&pi_remote_kind, (void **)&pi->podroll,
                                     &pi->podroll_nr));
        }
    else
        return read_image(r, n, local, &pi->images, &pi->images_nr);
    return true;
}

/* A <podcast:local> of an item into ep->pi; false if not one. */
static bool read_pi_item(struct reader *r, struct episode *ep,
                         const xmlNode *n, const char *local)
{
    struct pi_episode *pi = &ep->pi;

    if (!strcmp(local, "person"))
        READ_LIST(pi_person_kind, pi->persons);
    else if (!strcmp(local, "txt"))
        READ_LIST(pi_txt_kind, pi->txts);
    else if (!strcmp(local, "soundbite"))
        READ_LIST(pi_soundbite_kind, pi->soundbites);
    else if (!strcmp(local, "socialInteract"))
        READ_LIST(pi_social_kind, pi->socials);
    else if (!strcmp(local, "location") && !pi->location.name.s)
        read_rec(r, n, &pi_location_kind, &pi->location);
    else if (!strcmp(local, "license") && !pi->license.name.s)
        read_rec(r, n, &pi_license_kind, &pi->license);
    else if (!strcmp(local, "season"))
        take_attr(r, n, "name", &pi->season_name);
    else if (!strcmp(local, "episode"))
        take_attr(r, n, "display", &pi->episode_display);
    else if (!strcmp(local, "value"))
        read_value(r, n, &pi->value);
    else
        return read_image(r, n, local, &pi->images, &pi->images_nr);
    return true;
}

#undef READ_LIST

/*
 * Counts element 'n' (namespace 'ns', local name 'local') of the channel
 * or an item as unread: podpub has no place for what it says.
 */
static void note_unread(struct reader *r, const xmlNode *n, enum ns ns,
                        const char *local, bool in_item)
{
    struct feed_doc *doc = r->doc;
    struct feed_unread *u;
    const char *prefix = NULL;
    char *name;

    for (size_t i = 0; i < ARRAY_SIZE(known_ns); i++)
        if (known_ns[i].id == ns && ns != NS_OTHER)
            prefix = known_ns[i].prefix;
    if (!prefix && n->ns && n->ns->prefix)
        prefix = (const char *)n->ns->prefix;
    name = prefix ? xstrfmt("%.40s:%.60s", prefix, local)
                  : xstrfmt("%.60s", (const char *)n->name);
    for (size_t i = 0; i < doc->unread_nr && i < FEED_UNREAD_MAX; i++) {
        u = &doc->unread[i];
        if (u->in_item == in_item && !strcmp(u->name, name)) {
            u->count++;
            free(name);
            return;
        }
    }
    if (doc->unread_nr > FEED_UNREAD_MAX) {
        doc->unread[FEED_UNREAD_MAX].count++;   /* "(other)" */
        free(name);
        return;
    }
    if (doc->unread_nr == FEED_UNREAD_MAX) {
        free(name);
        name = xstrdup("(other)");
    }
    ALLOC_GROW(doc->unread, doc->unread_nr + 1, doc->unread_alloc);
    u = &doc->unread[doc->unread_nr++];
    u->name = printable(name, 120);
    free(name);
    u->in_item = in_item;
    u->count = 1;
    u->first = pos_of(r, n);
}

/*
 * The names the walks below compare: the element's namespace is 'ns', its
 * local name 'local'.
 */
#define IS(want, what) (ns == (want) && !strcmp(local, (what)))

/*
 * <psc:chapters> 'n' (Podlove Simple Chapters) into ep->chapters, for
 * import when the item has no podcast:chapters JSON; a chapter without
 * a title or whose start is not a time is left out (psc requires both).
 */
static void read_psc(struct reader *r, const xmlNode *n, struct episode *ep)
{
    const xmlNode *k;
    const char *kl;
    enum ns ns;

    if (ep->chapters_nr)
        return;     /* the first list counts */
    for (k = element(r, n->children, &ns, &kl); k;
         k = element(r, k->next, &ns, &kl)) {
        struct text start = { 0 }, title = { 0 }, href = { 0 }, img = { 0 };
        struct chapter *c;
        int64_t ms;

        if (ns != NS_PSC || strcmp(kl, "chapter"))
            continue;
        take_attr(r, k, "start", &start);
        take_attr(r, k, "title", &title);
        take_attr(r, k, "href", &href);
        take_attr(r, k, "image", &img);
        if (start.s && title.s && chapter_time_parse(start.s, &ms) == 0) {
            ep->chapters = xrealloc(ep->chapters, (ep->chapters_nr + 1) *
                                    sizeof(*ep->chapters));
            c = &ep->chapters[ep->chapters_nr++];
            memset(c, 0, sizeof(*c));
            c->start_ms = ms;
            c->title = title.s;
            c->url = href.s;
            c->img = img.s;
            c->pos = start.pos;
            title.s = href.s = img.s = NULL;
        }
        free(start.s);
        free(title.s);
        free(href.s);
        free(img.s);
    }
}

static void read_item(struct reader *r, struct show *show, const xmlNode *it)
{
    struct episode *ep;
    struct feed_item *fi;
    struct text enc_url = { 0 };
    const xmlNode *enclosure = NULL, *n;
    int enclosure_best = -1;
    const char *local;
    enum ns ns;

    ALLOC_GROW(show->episodes, show->nr + 1, show->alloc);
    ep = &show->episodes[show->nr++];
    memset(ep, 0, sizeof(*ep));
    ALLOC_GROW(r->doc->items, r->doc->items_nr + 1, r->doc->items_alloc);
    fi = &r->doc->items[r->doc->items_nr++];
    memset(fi, 0, sizeof(*fi));
    fi->pos = pos_of(r, it);
    ep->path = xstrdup(r->name);
    ep->name = xstrfmt("item %zu", show->nr);
    for (n = element(r, it->children, &ns, &local); n;
         n = element(r, n->next, &ns, &local)) {
        if (IS(NS_NONE, "title")) {
            take_text_ends(r, n, &ep->title, &fi->title_lead,
                           &fi->title_trail);
        } else if (IS(NS_NONE, "guid")) {
            take_text(r, n, &ep->guid);
        } else if (IS(NS_NONE, "link")) {
            take_text(r, n, &ep->link);
        } else if (IS(NS_NONE, "pubDate")) {
            take_text(r, n, &fi->date);
        } else if (IS(NS_NONE, "description")) {
            struct text d = { 0 };

            take_text(r, n, &d);
            fi->has_description = true;
            fi->description_bytes = d.s ? strlen(d.s) : 0;
            fi->description_pos = pos_of(r, n);
            if (!ep->notes.html) {
                ep->notes.html = d.s;  /* content:encoded, the fuller */
                d.s = NULL;            /* text, wins when it comes */
            }
            free(d.s);
        } else if (IS(NS_CONT, "encoded")) {
            struct text d = { 0 };

            take_text(r, n, &d);
            if (d.s) {
                free(ep->notes.html);
                ep->notes.html = d.s;
            }
        } else if (IS(NS_NONE, "enclosure")) {
            int rank = enclosure_rank(n);
            const xmlNode *other = n;

            fi->enclosures++;
            if (rank > enclosure_best) {
                other = enclosure;
                enclosure = n;
                enclosure_best = rank;
            }
            if (other && !fi->other_enclosure.file)
                fi->other_enclosure = pos_of(r, other);
        } else if (IS(NS_IT, "season")) {
            take_text(r, n, &fi->season);
        } else if (IS(NS_IT, "episode")) {
            take_text(r, n, &fi->episode);
        } else if (IS(NS_IT, "episodeType")) {
            take_text(r, n, &fi->type);
        } else if (IS(NS_IT, "explicit")) {
            take_text(r, n, &fi->explicit);
        } else if (IS(NS_IT, "duration")) {
            take_text(r, n, &fi->duration);
            if (!fi->duration.s) {
                fi->duration.s = xstrdup("");
                fi->duration.pos = pos_of(r, n);
            }
        } else if (IS(NS_IT, "image")) {
            take_attr(r, n, "href", &ep->image);
        } else if (IS(NS_PI, "transcript")) {
            struct transcript *t;

            ep->transcripts = xrealloc(ep->transcripts,
                                       (ep->transcripts_nr + 1) *
                                       sizeof(*ep->transcripts));
            t = &ep->transcripts[ep->transcripts_nr++];
            memset(t, 0, sizeof(*t));
            take_attr(r, n, "url", &t->file);
            take_attr(r, n, "type", &t->type);
            take_attr(r, n, "language", &t->language);
            take_attr(r, n, "rel", &t->rel);
            if (t->file.s)
                t->url = xstrdup(t->file.s);
        } else if (IS(NS_IT, "block")) {
            take_text(r, n, &ep->pi.itunes_block);
            ep->pi.block.v = ep->pi.itunes_block.s &&
                             !strcasecmp(ep->pi.itunes_block.s, "yes");
        } else if (IS(NS_PI, "chapters")) {
            xmlChar *url = xmlGetProp(n, (const xmlChar *)"url");

            free(ep->chapters_url);
            ep->chapters_url = url && *url ? xstrdup((const char *)url)
                                           : NULL;
            xmlFree(url);
        } else if (IS(NS_IT, "subtitle")) {
            take_text(r, n, &fi->summary);
        } else if (IS(NS_PSC, "chapters")) {
            read_psc(r, n, ep);
        } else if (ns != NS_PI || !read_pi_item(r, ep, n, local)) {
            note_unread(r, n, ns, local, true);
        }
    }
    if (enclosure) {
        take_attr(r, enclosure, "url", &enc_url);
        take_attr(r, enclosure, "type", &fi->enclosure_type);
        take_attr(r, enclosure, "length", &fi->length);
        if (!fi->length.s) {   /* absent or empty */
            fi->length.s = xstrdup("");
            fi->length.pos = pos_of(r, enclosure);
        }
    }
    if (enc_url.s) {
        ep->enclosure_url = enc_url.s;
        ep->audio.pos = enc_url.pos;   /* where the rules point */
    }
    if (fi->length.s)
        ep->media.size = strtoull(fi->length.s, NULL, 10);
    if (fi->date.s) {
        bool named;

        fi->date_bad = date_parse_rfc2822(fi->date.s, &ep->date,
                                          &named) < 0;
        fi->date_named_zone = named;
    }
    number_from(&fi->season, &ep->season);
    number_from(&fi->episode, &ep->episode);
    if (fi->type.s)
        ep->type = !strcmp(fi->type.s, "trailer") ? EPISODE_TRAILER :
                   !strcmp(fi->type.s, "bonus") ? EPISODE_BONUS :
                   EPISODE_FULL;
    if (ep->image.s)
        ep->image_url = xstrdup(ep->image.s);
}

static void read_channel(struct reader *r, struct show *show,
                         const xmlNode *ch)
{
    const xmlNode *n, *k;
    const char *local;
    enum ns ns;

    r->doc->channel = pos_of(r, ch);
    for (n = element(r, ch->children, &ns, &local); n;
         n = element(r, n->next, &ns, &local)) {
        if (IS(NS_NONE, "title")) {
            take_text_ends(r, n, &show->title, &r->doc->title_lead,
                           &r->doc->title_trail);
        } else if (IS(NS_NONE, "link")) {
            take_text(r, n, &show->link);
        } else if (IS(NS_NONE, "description") ||
                   (IS(NS_IT, "summary") && !show->description.s)) {
            if (ns == NS_NONE)
                r->doc->has_description = true;
            take_text(r, n, &show->description);
        } else if (IS(NS_NONE, "language")) {
            take_text(r, n, &show->language);
        } else if (IS(NS_NONE, "copyright")) {
            take_text(r, n, &show->copyright);
        } else if (IS(NS_IT, "author")) {
            take_text(r, n, &show->author);
        } else if (IS(NS_IT, "owner")) {
            for (k = element(r, n->children, &ns, &local); k;
                 k = element(r, k->next, &ns, &local)) {
                if (IS(NS_IT, "name"))
                    take_text(r, k, &show->owner_name);
                else if (IS(NS_IT, "email"))
                    take_text(r, k, &show->owner_email);
            }
        } else if (IS(NS_IT, "image")) {
            take_attr(r, n, "href", &show->image);
            if (!show->image.s)
                take_text(r, n, &r->doc->image_text);
        } else if (IS(NS_IT, "category")) {
            add_category(r, show, n);
        } else if (IS(NS_IT, "explicit")) {
            take_text(r, n, &r->doc->explicit);
        } else if (IS(NS_IT, "type")) {
            take_text(r, n, &r->doc->type);
        } else if (IS(NS_PI, "guid")) {
            take_text(r, n, &show->guid);
        } else if (IS(NS_IT, "new-feed-url")) {
            take_text(r, n, &show->moved_to);
        } else if (IS(NS_PI, "locked")) {
            struct text v = { 0 };

            take_attr(r, n, "owner", &r->doc->locked_owner);
            take_text(r, n, &v);
            show->locked.set = true;
            show->locked.v = v.s && !strcasecmp(v.s, "yes");
            free(v.s);
            show->locked.pos = pos_of(r, n);
        } else if (IS(NS_IT, "block")) {
            take_text(r, n, &show->pi.itunes_block);
        } else if (IS(NS_IT, "complete")) {
            take_text(r, n, &show->pi.itunes_complete);
            show->pi.complete.v = show->pi.itunes_complete.s &&
                !strcasecmp(show->pi.itunes_complete.s, "yes");
        } else if (ns == NS_PI && read_pi_channel(r, show, n, local)) {
            /* read into show->pi */
        } else if (IS(NS_AT, "link")) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");

            if (rel && !strcmp((const char *)rel, "self"))
                take_attr(r, n, "href", &show->feed_url);
            xmlFree(rel);
        } else if (IS(NS_NONE, "item")) {
            read_item(r, show, n);
        } else {
            note_unread(r, n, ns, local, false);
        }
    }
    if (show->image.s)
        show->image_url = xstrdup(show->image.s);
    show->serial = r->doc->type.s && !strcmp(r->doc->type.s, "serial");
}

#undef IS

/* Ends the parse at the current position as not readable, for 'why'. */
static void stop_at(struct reader *r, xmlParserCtxtPtr ctxt, const char *why)
{
    if (!r->have_fatal) {
        r->have_fatal = true;
        r->fatal_limit = true;
        r->fatal_pos = at_line(r, ctxt->input ? ctxt->input->line : 0, 0);
        r->fatal_msg = xstrdup(why);
    }
    xmlStopParser(ctxt);
}

/* The number of characters (not continuation bytes) in [s, e). */
static int chars_between(const xmlChar *s, const xmlChar *e)
{
    int n = 0;

    for (; s < e; s++)
        n += (*s & 0xc0) != 0x80;
    return n;
}

/*
 * SAX hook for a start tag: libxml2 builds the element, then its start
 * tag's line and column are noted. libxml2 is at the tag's end ('>' or
 * "/>"), so the '<' is looked for back from there, within the tag (no
 * '<' can be inside one) and never before the parser's buffer. Elements
 * keep only their line in the tree, and that as a 16-bit number.
 */
static void on_start(void *ctx, const xmlChar *localname,
                     const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct reader *r = ctxt->_private;
    xmlNodePtr before = ctxt->node;
    const xmlChar *base, *cur, *p;
    struct elpos ep;
    int nl = 0;

    r->sax2_start(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                  nb_attributes, nb_defaulted, attributes);
    if (!ctxt->node || ctxt->node == before || !ctxt->input)
        return;
    if ((ctxt->dict && xmlDictSize(ctxt->dict) > NAMES_MAX) ||
        r->pos_nr >= ELEMENTS_MAX) {
        stop_at(r, ctxt, r->pos_nr >= ELEMENTS_MAX ?
                "more than 1,000,000 elements (a 16 MB feed of 7,300 "
                "episodes has about 100,000)" :
                "more than 100,000 distinct names of elements and "
                "attributes (a podcast feed has a few hundred)");
        return;
    }
    base = ctxt->input->base;
    cur = ctxt->input->cur;
    ep.line = ctxt->input->line;
    ep.col = 0;
    for (p = cur; p > base && *p != '<'; p--)
        nl += *p == '\n';
    if (*p == '<') {
        ep.line -= nl;
        if (!nl) {
            ep.col = ctxt->input->col - chars_between(p, cur);
        } else {
            const xmlChar *q = p;

            while (q > base && q[-1] != '\n' && p - q < COLUMN_SCAN_MAX)
                q--;
            if (q == base || q[-1] == '\n')
                ep.col = chars_between(q, p) + 1;
        }
        if (ep.col < 1)
            ep.col = 0;
    }
    ALLOC_GROW(r->pos, r->pos_nr + 1, r->pos_alloc);
    r->pos[r->pos_nr++] = ep;
    ctxt->node->_private = (void *)(uintptr_t)r->pos_nr;
}

/*
 * SAX hook for <!ENTITY ...> (general or parameter, internal or
 * external): stop the parser there, before anything can refer to it.
 */
static void refuse_entity(void *ctx, const xmlChar *name, int type,
                          const xmlChar *public_id, const xmlChar *system_id,
                          xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct reader *r = ctxt->_private;

    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    if (!r->entity_line) {
        r->entity_line = xmlSAX2GetLineNumber(ctx);
        r->entity = printable((const char *)name, 40);
    }
    xmlStopParser(ctxt);
}

/* An undeclared prefix: counted per prefix, the first place kept. */
static void note_undeclared(struct reader *r, const xmlError *err)
{
    struct feed_doc *doc = r->doc;
    const struct known_ns *k;
    struct feed_issue *is;
    size_t kept = 0;
    char *prefix = printable(err->str1, 40);

    for (size_t i = 0; i < doc->issues_nr; i++) {
        is = &doc->issues[i];
        if (is->kind != FEED_ISSUE_UNDECLARED)
            continue;
        kept++;
        if (!strcmp(is->text, prefix)) {
            is->count++;
            free(prefix);
            return;
        }
    }
    if (kept >= ISSUES_MAX) {
        free(prefix);
        return;
    }
    is = add_issue(doc, FEED_ISSUE_UNDECLARED,
                   at_line(r, err->line, err->int2 > 0 ? err->int2 : 0),
                   prefix);
    k = ns_by_prefix(err->str1, strlen(err->str1));
    is->uri = k ? k->uri : NULL;
    if (err->str2)
        is->example = xstrfmt("%s:%s", prefix, err->str2);
}

/*
 * libxml2's errors, as they happen: the first fatal one is the cause
 * (libxml2 goes on looking after it, and its last error is often a
 * consequence far later), and namespace errors are not fatal to libxml2
 * but are worth a finding.
 */
static void on_error(void *ctx, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct reader *r = ctxt->_private;

    if (err->level == XML_ERR_FATAL && !r->have_fatal) {
        char *m = xstrdup(err->message ? err->message : "parse error");
        size_t n = strlen(m);

        /* libxml2's messages end in a newline of their own. */
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
            m[--n] = '\0';
        r->have_fatal = true;
        r->fatal_pos = at_line(r, err->line, err->int2 > 0 ? err->int2 : 0);
        r->fatal_msg = printable(m, 200);
        free(m);
    } else if (err->domain == XML_FROM_NAMESPACE &&
               err->code == XML_NS_ERR_UNDEFINED_NAMESPACE && err->str1 &&
               !r->have_fatal) {
        note_undeclared(r, err);
    }
}

/* The offset of 'end' at or after 'i' in 'buf', or 'len'; counts lines. */
static size_t skip_to(const char *buf, size_t len, size_t i, const char *end,
                      int *line)
{
    size_t n = strlen(end);

    for (; i < len; i++) {
        if (buf[i] == '\n')
            ++*line;
        if (len - i >= n && !memcmp(buf + i, end, n))
            return i + n;
    }
    return len;
}

/*
 * The line of the first start tag with more than ATTRS_MAX attributes
 * (or namespace declarations), 0 when none: a look at the bytes before
 * libxml2's, in one pass, that skips comments, CDATA sections,
 * processing instructions, declarations and end tags. Inside a start
 * tag every '=' outside quotes is an attribute; '<' cannot occur there.
 */
static int attribute_flood(const char *buf, size_t len)
{
    int line = 1, n, tag_line;
    size_t i = 0;
    char quote;

    while (i < len) {
        if (buf[i] != '<') {
            line += buf[i++] == '\n';
            continue;
        }
        if (len - i >= 4 && !memcmp(buf + i, "<!--", 4)) {
            i = skip_to(buf, len, i + 4, "-->", &line);
            continue;
        }
        if (len - i >= 9 && !memcmp(buf + i, "<![CDATA[", 9)) {
            i = skip_to(buf, len, i + 9, "]]>", &line);
            continue;
        }
        if (len - i >= 2 && (buf[i + 1] == '?' || buf[i + 1] == '!' ||
                             buf[i + 1] == '/')) {
            i = skip_to(buf, len, i + 2, ">", &line);
            continue;
        }
        tag_line = line;
        n = 0;
        quote = 0;
        for (i++; i < len && (quote || (buf[i] != '>' && buf[i] != '<'));
             i++) {
            line += buf[i] == '\n';
            if (quote) {
                if (buf[i] == quote)
                    quote = 0;
            } else if (buf[i] == '"' || buf[i] == '\'') {
                quote = buf[i];
            } else if (buf[i] == '=' && ++n > ATTRS_MAX) {
                return tag_line;
            }
        }
        if (i < len && buf[i] == '>')
            i++;
    }
    return 0;
}

/*
 * Parses 'len' bytes into a tree, refusing entity declarations and
 * noting where each element starts. Returns the document, or NULL with
 * the reason in 'r' (an entity, or the first fatal error).
 */
static xmlDocPtr parse_bounded(struct reader *r, const char *buf, size_t len)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    int flood = attribute_flood(buf, len);

    if (flood) {
        r->have_fatal = true;
        r->fatal_limit = true;
        r->fatal_pos = at_line(r, flood, 0);
        r->fatal_msg = xstrfmt("a start tag with more than %d attributes",
                               ATTRS_MAX);
        return NULL;
    }
    if (!(ctxt = xmlNewParserCtxt()))
        die("cannot create an XML parser");
    r->sax2_start = ctxt->sax->startElementNs;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->entityDecl = refuse_entity;
    ctxt->sax->serror = on_error;
    ctxt->_private = r;
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, r->name, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    if (doc && (r->entity_line || r->have_fatal || !ctxt->wellFormed)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !r->entity_line && !r->have_fatal) {
        const xmlError *err = xmlCtxtGetLastError(ctxt);

        r->have_fatal = true;
        r->fatal_pos = at_line(r, err ? err->line : 0,
                               err && err->int2 > 0 ? err->int2 : 0);
        r->fatal_msg = xstrdup("parse error");
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/*
 * Blank lines before "<?xml" make a document that is not well-formed (the
 * declaration must come first): gPodder's parser refuses it, feedparser
 * and the JavaScript parsers read it. Returns how many bytes of white
 * space (after a UTF-8 byte order mark) come before the declaration, 0
 * when none or when there is no declaration there.
 */
static size_t blank_before_declaration(const char *buf, size_t len)
{
    size_t i = 0, bom = 0;

    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = bom = 3;
    while (i < len && blank(buf[i]))
        i++;
    if (i == bom || len - i < 6 || memcmp(buf + i, "<?xml", 5) ||
        !blank(buf[i + 5]))
        return 0;
    return i;
}

int feed_read(const char *name, const char *buf, size_t len,
              struct show *show, struct feed_doc *doc)
{
    struct reader r = { 0 };
    size_t skip;
    xmlDocPtr xml;
    const xmlNode *root, *ch;
    int ret = 0;

    show->path = xstrdup(name);
    r.name = show->path;
    r.doc = doc;
    if (len > (size_t)INT32_MAX) {
        add_issue(doc, FEED_ISSUE_XML, (struct srcpos){ r.name, 0, 0 },
                  xstrdup("too large to read"));
        return PP_ERR_INPUT;
    }
    if ((skip = blank_before_declaration(buf, len))) {
        struct feed_issue *is;
        size_t bol = 0;

        for (size_t i = 0; i < skip; i++)
            if (buf[i] == '\n') {
                r.line_offset++;
                bol = i + 1;
            }
        /* A byte order mark is one (invisible) character, not three. */
        r.col_offset = (int)(skip - bol) -
                       (bol == 0 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 2 : 0);
        is = add_issue(doc, FEED_ISSUE_XML_START, at_line(&r, 1, 1), NULL);
        is->count = (size_t)r.line_offset;
        buf += skip;   /* a byte order mark too: only allowed first */
        len -= skip;
    }
    xml = parse_bounded(&r, buf, len);
    if (r.entity_line) {
        add_issue(doc, FEED_ISSUE_ENTITY, at_line(&r, r.entity_line, 0),
                  r.entity);
        r.entity = NULL;
        ret = PP_ERR_INPUT;
        goto out;
    }
    if (!xml) {
        add_issue(doc, r.fatal_limit ? FEED_ISSUE_LIMIT : FEED_ISSUE_XML,
                  r.fatal_pos, r.fatal_msg);
        r.fatal_msg = NULL;
        ret = PP_ERR_INPUT;
        goto out;
    }
    root = xmlDocGetRootElement(xml);
    if (!root || root->ns || strcmp((const char *)root->name, "rss")) {
        char *what = !root ? xstrdup("") : root->ns && root->ns->prefix ?
            xstrfmt("%s:%s", root->ns->prefix, root->name) :
            xstrdup((const char *)root->name);

        add_issue(doc, FEED_ISSUE_NOT_RSS,
                  root ? pos_of(&r, root) : at_line(&r, 1, 1),
                  printable(what, 60));
        free(what);
        ret = PP_ERR_INPUT;
        goto out;
    }
    for (ch = root->children; ch; ch = ch->next)
        if (ch->type == XML_ELEMENT_NODE && !ch->ns &&
            !strcmp((const char *)ch->name, "channel"))
            break;
    if (!ch) {
        add_issue(doc, FEED_ISSUE_NO_CHANNEL, pos_of(&r, root), NULL);
        ret = PP_ERR_INPUT;
        goto out;
    }
    read_channel(&r, show, ch);
out:
    xmlFreeDoc(xml);
    free(r.pos);
    for (size_t i = 0; i < r.wrong_nr; i++)
        free(r.wrong[i].href);
    free(r.entity);
    free(r.fatal_msg);
    return ret;
}

void feed_doc_release(struct feed_doc *doc)
{
    for (size_t i = 0; i < doc->issues_nr; i++) {
        free(doc->issues[i].text);
        free(doc->issues[i].example);
    }
    free(doc->issues);
    for (size_t i = 0; i < doc->items_nr; i++) {
        struct feed_item *it = &doc->items[i];
        struct text *texts[] = {
            &it->date, &it->season, &it->episode, &it->type, &it->explicit,
            &it->length, &it->enclosure_type,
            &it->duration, &it->summary,
        };

        for (size_t k = 0; k < ARRAY_SIZE(texts); k++)
            free(texts[k]->s);
    }
    free(doc->items);
    for (size_t i = 0; i < doc->unread_nr; i++)
        free(doc->unread[i].name);
    free(doc->unread);
    free(doc->image_text.s);
    free(doc->explicit.s);
    free(doc->type.s);
    free(doc->locked_owner.s);
    memset(doc, 0, sizeof(*doc));
}

int feed_issues_print(const struct feed_doc *doc)
{
    int ret = 0;

    for (size_t i = 0; i < doc->issues_nr; i++) {
        const struct feed_issue *is = &doc->issues[i];

        switch (is->kind) {
        case FEED_ISSUE_XML:
            ret = input_error(&is->pos, NULL, "not well-formed XML: %s",
                              is->text);
            break;
        case FEED_ISSUE_LIMIT:
            ret = input_error(&is->pos, NULL, "podpub does not read this "
                              "feed: %s", is->text);
            break;
        case FEED_ISSUE_ENTITY:
            ret = input_error(&is->pos, NULL, "the feed declares the XML "
                              "entity '%s': podpub does not read feeds with "
                              "entity declarations (they can expand without "
                              "bound)", is->text);
            break;
        case FEED_ISSUE_NOT_RSS:
            ret = input_error(&is->pos, NULL, "not an RSS feed (the root "
                              "element is not <rss>)");
            break;
        case FEED_ISSUE_NO_CHANNEL:
            ret = input_error(&is->pos, NULL, "the feed has no <channel>");
            break;
        case FEED_ISSUE_XML_START:
            if (!doc->fatal)
                ret = input_error(&is->pos, NULL, "not well-formed XML: "
                                  "XML declaration allowed only at the "
                                  "start of the document");
            break;
        default:
            break;
        }
    }
    return ret;
}

int feed_parse(const char *name, const char *buf, size_t len,
               struct show *show)
{
    struct feed_doc doc = { 0 };
    int ret = feed_read(name, buf, len, show, &doc);
    int printed = feed_issues_print(&doc);

    feed_doc_release(&doc);
    return printed < 0 ? printed : ret;
}
