/*
 * Unit tests for src/feed: a show and its episodes built in memory are
 * rendered, parsed back with libxml2 and checked with XPath, the way a
 * podcast app would read them: escaping, CDATA splitting, enclosures,
 * durations, order, podcast:guid and byte-for-byte determinism.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "harness.h"
#include "podpub/feed.h"
#include "podpub/meta.h"
#include "podpub/ptime.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

#define FEED_URL "https://example.org/show/feed.xml"
#define BASE_URL "https://cdn.example.org/show/"

/* --- Building a show in memory ----------------------------------------- */

static void set(struct text *t, const char *s)
{
    free(t->s);
    t->s = s ? xstrdup(s) : NULL;
}

static void make_show(struct show *show)
{
    memset(show, 0, sizeof(*show));
    set(&show->title, "Tom & Jerry <live>");
    set(&show->description, "A show about \"quotes\" & caf\xc3\xa9s.");
    set(&show->language, "nl");
    set(&show->link, "https://example.org/show/");
    set(&show->author, "Tom");
    set(&show->owner_name, "Tom T.");
    set(&show->owner_email, "tom@example.org");
    set(&show->image, "cover art.jpg");
    set(&show->base_url, BASE_URL);
    set(&show->feed_url, FEED_URL);
    show->categories = xcalloc(2, sizeof(*show->categories));
    show->categories[0].name = xstrdup("Arts");
    show->categories[0].sub = xstrdup("Design");
    show->categories[1].name = xstrdup("Technology");
    show->categories_nr = 2;
}

/*
 * Appends an episode as the build would leave it: fields set, notes
 * rendered, media probed. Returns its index (pointers move as it grows).
 */
static size_t add_episode(struct show *show, const char *title,
                          const char *date, int64_t ms, const char *notes)
{
    struct episode *ep;
    const char *why;
    char *s;

    ALLOC_GROW(show->episodes, show->nr + 1, show->alloc);
    ep = &show->episodes[show->nr];
    memset(ep, 0, sizeof(*ep));
    s = xstrfmt("episodes/%03zu.md", show->nr + 1);
    ep->path = s;
    ep->name = xstrfmt("%03zu", show->nr + 1);
    set(&ep->title, title);
    s = xstrfmt("urn:test:%03zu", show->nr + 1);
    set(&ep->guid, s);
    free(s);
    s = xstrfmt("%03zu.mp3", show->nr + 1);
    set(&ep->audio, s);
    free(s);
    if (date_parse(date, NULL, &ep->date, &why) < 0)
        die("bad test date '%s': %s", date, why);
    notes_render(&ep->notes, notes, strlen(notes));
    ep->media.probed = true;
    ep->media.duration_ms = ms;
    ep->media.size = 10338;
    ep->media.mime = "audio/mpeg";
    return show->nr++;
}

/*
 * The episodes of 'show' in the order given by the indexes 'order', with
 * the show's URLs filled as the build fills them.
 */
static struct episode **pick(struct show *show, const size_t *order,
                             size_t nr)
{
    struct episode **eps = xcalloc(nr + 1, sizeof(*eps));

    show_fill_urls(show);
    for (size_t i = 0; i < nr; i++)
        eps[i] = &show->episodes[order[i]];
    return eps;
}

/* All episodes of 'show' in file order, URLs filled as by the build. */
static struct episode **all(struct show *show)
{
    struct episode **eps = xcalloc(show->nr + 1, sizeof(*eps));

    show_fill_urls(show);
    for (size_t i = 0; i < show->nr; i++)
        eps[i] = &show->episodes[i];
    return eps;
}

/* --- Reading the feed back --------------------------------------------- */

struct feed_doc {
    xmlDocPtr doc;
    xmlXPathContextPtr ctx;
};

static int xml_errors;

/* libxml2's generic error handler: counts and shows every message. */
static void count_error(void *ctx, const char *fmt, ...) PP_PRINTF(2, 3);

static void count_error(void *ctx, const char *fmt, ...)
{
    va_list ap;

    (void)ctx;
    fputs("  libxml2: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    xml_errors++;
}

/* Parses 'sb' strictly; every libxml2 error or warning fails a check. */
static int feed_parse(struct feed_doc *d, const struct strbuf *sb)
{
    xml_errors = 0;
    xmlSetGenericErrorFunc(NULL, count_error);
    d->doc = xmlReadMemory(sb->buf, (int)sb->len, "feed.xml", NULL,
                           XML_PARSE_NONET);
    xmlSetGenericErrorFunc(NULL, NULL);
    CHECK(d->doc != NULL);
    CHECK_INT(xml_errors, 0);
    if (!d->doc) {
        d->ctx = NULL;
        return -1;
    }
    d->ctx = xmlXPathNewContext(d->doc);
    xmlXPathRegisterNs(d->ctx, BAD_CAST "itunes",
                       BAD_CAST "http://www.itunes.com/dtds/podcast-1.0.dtd");
    xmlXPathRegisterNs(d->ctx, BAD_CAST "podcast",
                       BAD_CAST "https://podcastindex.org/namespace/1.0");
    xmlXPathRegisterNs(d->ctx, BAD_CAST "content",
                       BAD_CAST "http://purl.org/rss/1.0/modules/content/");
    xmlXPathRegisterNs(d->ctx, BAD_CAST "atom",
                       BAD_CAST "http://www.w3.org/2005/Atom");
    return 0;
}

static void feed_doc_free(struct feed_doc *d)
{
    if (d->ctx)
        xmlXPathFreeContext(d->ctx);
    if (d->doc)
        xmlFreeDoc(d->doc);
}

/* The string value of XPath 'expr' (string(...)); the caller frees it. */
static char *xp_str(struct feed_doc *d, const char *expr)
{
    char *q = xstrfmt("string(%s)", expr);
    xmlXPathObjectPtr o;
    char *s;

    if (!d->ctx)
        die("no document");
    o = xmlXPathEvalExpression(BAD_CAST q, d->ctx);
    if (!o)
        die("bad XPath '%s'", q);
    s = xstrdup(o->stringval ? (const char *)o->stringval : "");
    xmlXPathFreeObject(o);
    free(q);
    return s;
}

/* The number of nodes XPath 'expr' selects. */
static long xp_count(struct feed_doc *d, const char *expr)
{
    char *q = xstrfmt("count(%s)", expr);
    xmlXPathObjectPtr o;
    long n;

    if (!d->ctx)
        die("no document");
    o = xmlXPathEvalExpression(BAD_CAST q, d->ctx);
    if (!o)
        die("bad XPath '%s'", q);
    n = (long)o->floatval;
    xmlXPathFreeObject(o);
    free(q);
    return n;
}

#define CHECK_XP(d, expr, want) do { \
        char *s_ = xp_str((d), (expr)); \
        harness_checks++; \
        if (strcmp(s_, (want))) \
            harness_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", \
                         (expr), s_, (want)); \
        free(s_); \
    } while (0)

#define CHECK_COUNT(d, expr, want) do { \
        long n_ = xp_count((d), (expr)); \
        harness_checks++; \
        if (n_ != (want)) \
            harness_fail(__FILE__, __LINE__, "count(%s) == %ld, want %ld", \
                         (expr), n_, (long)(want)); \
    } while (0)

/* Renders 'nr' episodes 'eps' of 'show' and parses the result. */
static int render_parse(const struct show *show, struct episode **eps,
                        size_t nr, struct strbuf *out, struct feed_doc *d)
{
    int ret = feed_render(show, eps, nr, out);

    CHECK_INT(ret, 0);
    d->doc = NULL;
    d->ctx = NULL;
    if (ret < 0)
        return ret;
    return feed_parse(d, out);
}

/* --- Tests ---------------------------------------------------------------- */

static void test_feed_channel(void)
{
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;
    char guid[UUID_STR_LEN], date[32];

    make_show(&show);
    set(&show.copyright, "\xc2\xa9 2025 Tom");
    add_episode(&show, "One", "2025-10-01T06:00:00+02:00", 1000, "");
    add_episode(&show, "Three", "2025-10-31T06:00:00+01:00", 1000, "");
    add_episode(&show, "Two", "2025-10-15T06:00:00Z", 1000, "");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        CHECK(starts_with(out.buf,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        CHECK_XP(&d, "/rss/@version", "2.0");
        CHECK_COUNT(&d, "/rss/channel", 1);
        CHECK_XP(&d, "/rss/channel/title", "Tom & Jerry <live>");
        CHECK_XP(&d, "/rss/channel/description",
                 "A show about \"quotes\" & caf\xc3\xa9s.");
        CHECK_XP(&d, "/rss/channel/link", "https://example.org/show/");
        CHECK_XP(&d, "/rss/channel/language", "nl");
        CHECK_XP(&d, "/rss/channel/copyright", "\xc2\xa9 2025 Tom");
        CHECK_XP(&d, "/rss/channel/generator", PP_GENERATOR);
        /* The newest episode's date, not the last one's. */
        CHECK_XP(&d, "/rss/channel/lastBuildDate",
                 "Fri, 31 Oct 2025 06:00:00 +0100");
        date_format_rfc2822(&eps[1]->date, date);
        CHECK_XP(&d, "/rss/channel/lastBuildDate", date);
        CHECK_XP(&d, "/rss/channel/atom:link/@href", FEED_URL);
        CHECK_XP(&d, "/rss/channel/atom:link/@rel", "self");
        CHECK_XP(&d, "/rss/channel/atom:link/@type", "application/rss+xml");
        CHECK_XP(&d, "/rss/channel/image/url", BASE_URL "cover%20art.jpg");
        CHECK_XP(&d, "/rss/channel/image/title", "Tom & Jerry <live>");
        CHECK_XP(&d, "/rss/channel/image/link", "https://example.org/show/");
        CHECK_XP(&d, "/rss/channel/itunes:image/@href",
                 BASE_URL "cover%20art.jpg");
        CHECK_XP(&d, "/rss/channel/itunes:author", "Tom");
        CHECK_XP(&d, "/rss/channel/itunes:owner/itunes:name", "Tom T.");
        CHECK_XP(&d, "/rss/channel/itunes:owner/itunes:email",
                 "tom@example.org");
        CHECK_COUNT(&d, "/rss/channel/itunes:category", 2);
        CHECK_XP(&d, "/rss/channel/itunes:category[1]/@text", "Arts");
        CHECK_XP(&d, "/rss/channel/itunes:category[1]/itunes:category/@text",
                 "Design");
        CHECK_XP(&d, "/rss/channel/itunes:category[2]/@text", "Technology");
        CHECK_COUNT(&d, "/rss/channel/itunes:category[2]/itunes:category", 0);
        CHECK_XP(&d, "/rss/channel/itunes:explicit", "false");
        CHECK_XP(&d, "/rss/channel/itunes:type", "episodic");
        podcast_guid_for_url(FEED_URL, guid);
        CHECK_XP(&d, "/rss/channel/podcast:guid", guid);
        CHECK_COUNT(&d, "/rss/channel/podcast:locked", 0);
        CHECK_COUNT(&d, "/rss/channel/podcast:funding", 0);
        CHECK_COUNT(&d, "/rss/channel/item", 3);
        /* Escaped in the bytes, not only after parsing. */
        CHECK(strstr(out.buf, "Tom &amp; Jerry &lt;live&gt;") != NULL);
        CHECK(strstr(out.buf, "Tom & Jerry") == NULL);
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

static void test_feed_items(void)
{
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;
    struct episode *ep;
    size_t i;

    make_show(&show);
    show.explicit.v = true;
    i = add_episode(&show, "Mila's story", "2025-10-31T06:00:00+01:00", 2534,
                    "Hello **world** & friends.");
    ep = &show.episodes[i];
    set(&ep->audio, "001 \xc3\xa9\xc3\xa9n.mp3");
    set(&ep->summary, "A short summary.");
    set(&ep->link, "https://example.org/001?a=1&b=2");
    set(&ep->image, "001.jpg");
    ep->transcripts = xcalloc(2, sizeof(*ep->transcripts));
    ep->transcripts_nr = 2;
    set(&ep->transcripts[0].file, "001.vtt");
    set(&ep->transcripts[0].type, "text/vtt");
    set(&ep->transcripts[1].file, "001.en.srt");
    set(&ep->transcripts[1].type, "application/x-subrip");
    set(&ep->transcripts[1].language, "en");
    set(&ep->transcripts[1].rel, "captions");
    ep->season.set = true;
    ep->season.v = 2;
    ep->episode.set = true;
    ep->episode.v = 7;
    ep->type = EPISODE_BONUS;
    ep->media.size = 123456789012ULL;
    ep->media.mime = "audio/x-m4a";
    i = add_episode(&show, "Plain", "1969-07-20T20:17:40Z", 60000, "");
    ep = &show.episodes[i];
    ep->explicit.set = true;
    ep->explicit.v = false;
    ep->type = EPISODE_TRAILER;
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        CHECK_XP(&d, "//item[1]/title", "Mila's story");
        CHECK_XP(&d, "//item[1]/itunes:title", "Mila's story");
        CHECK_XP(&d, "//item[1]/guid", "urn:test:001");
        CHECK_XP(&d, "//item[1]/guid/@isPermaLink", "false");
        CHECK_XP(&d, "//item[1]/pubDate", "Fri, 31 Oct 2025 06:00:00 +0100");
        CHECK_XP(&d, "//item[1]/link", "https://example.org/001?a=1&b=2");
        CHECK_COUNT(&d, "//item[1]/enclosure", 1);
        CHECK_XP(&d, "//item[1]/enclosure/@url",
                 BASE_URL "001%20%C3%A9%C3%A9n.mp3");
        CHECK_XP(&d, "//item[1]/enclosure/@length", "123456789012");
        CHECK_XP(&d, "//item[1]/enclosure/@type", "audio/x-m4a");
        CHECK_XP(&d, "//item[1]/itunes:duration", "3");
        CHECK_XP(&d, "//item[1]/itunes:season", "2");
        CHECK_XP(&d, "//item[1]/itunes:episode", "7");
        CHECK_XP(&d, "//item[1]/podcast:season", "2");
        CHECK_XP(&d, "//item[1]/podcast:episode", "7");
        CHECK_XP(&d, "//item[1]/itunes:episodeType", "bonus");
        CHECK_XP(&d, "//item[1]/itunes:explicit", "true");   /* the show's */
        CHECK_XP(&d, "//item[1]/itunes:image/@href", BASE_URL "001.jpg");
        CHECK_XP(&d, "//item[1]/itunes:subtitle", "A short summary.");
        CHECK_XP(&d, "//item[1]/itunes:summary", "Hello world & friends.");
        CHECK_XP(&d, "//item[1]/description",
                 "<p>Hello <strong>world</strong> &amp; friends.</p>");
        CHECK_XP(&d, "//item[1]/content:encoded",
                 "<p>Hello <strong>world</strong> &amp; friends.</p>");
        CHECK_XP(&d, "//item[1]/podcast:transcript/@url", BASE_URL "001.vtt");
        CHECK_XP(&d, "//item[1]/podcast:transcript/@type", "text/vtt");
        CHECK_XP(&d, "//item[1]/podcast:transcript/@language", "nl");
        CHECK_COUNT(&d, "//item[1]/podcast:transcript/@rel", 1);
        CHECK_XP(&d, "//item[1]/podcast:transcript[2]/@url",
                 BASE_URL "001.en.srt");
        CHECK_XP(&d, "//item[1]/podcast:transcript[2]/@language", "en");
        CHECK_XP(&d, "//item[1]/podcast:transcript[2]/@rel", "captions");

        CHECK_XP(&d, "//item[2]/enclosure/@url", BASE_URL "002.mp3");
        CHECK_XP(&d, "//item[2]/enclosure/@length", "10338");
        CHECK_XP(&d, "//item[2]/enclosure/@type", "audio/mpeg");
        CHECK_XP(&d, "//item[2]/pubDate", "Sun, 20 Jul 1969 20:17:40 +0000");
        CHECK_XP(&d, "//item[2]/itunes:duration", "60");
        CHECK_XP(&d, "//item[2]/itunes:episodeType", "trailer");
        CHECK_XP(&d, "//item[2]/itunes:explicit", "false");  /* its own */
        CHECK_COUNT(&d, "//item[2]/itunes:season", 0);
        CHECK_COUNT(&d, "//item[2]/itunes:episode", 0);
        CHECK_COUNT(&d, "//item[2]/podcast:season", 0);
        CHECK_COUNT(&d, "//item[2]/itunes:image", 0);
        CHECK_COUNT(&d, "//item[2]/podcast:transcript", 0);
        CHECK_COUNT(&d, "//item[2]/itunes:subtitle", 0);
        /* No notes and no summary: no description at all. */
        CHECK_COUNT(&d, "//item[2]/description", 0);
        CHECK_COUNT(&d, "//item[2]/content:encoded", 0);
        CHECK_COUNT(&d, "//item[2]/itunes:summary", 0);
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

/* Without notes the summary is the description, as plain text. */
static void test_feed_summary_fallback(void)
{
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;
    size_t i;

    make_show(&show);
    i = add_episode(&show, "T", "2025-10-31", 1000, "");
    set(&show.episodes[i].summary, "Only <a> summary & more");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        CHECK_XP(&d, "//item[1]/description", "Only <a> summary & more");
        CHECK_COUNT(&d, "//item[1]/description/*", 0);
        CHECK_COUNT(&d, "//item[1]/content:encoded", 0);
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

static void test_feed_duration_rounding(void)
{
    static const struct {
        int64_t ms;
        const char *want;
    } cases[] = {
        { 2499, "2" }, { 2500, "3" }, { 400, "1" }, { 1, "1" },
        { 499, "1" }, { 500, "1" }, { 1499, "1" }, { 1500, "2" },
        { 2534, "3" }, { 59999, "60" }, { 3599499, "3599" },
        { 3600000, "3600" }, { INT64_C(36000000000), "36000000" },
    };
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;

    make_show(&show);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        add_episode(&show, "E", "2025-10-31", cases[i].ms, "");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
            char *expr = xstrfmt("//item[%zu]/itunes:duration", i + 1);
            char *got = xp_str(&d, expr);

            harness_checks++;
            if (strcmp(got, cases[i].want))
                harness_fail(__FILE__, __LINE__, "%lld ms -> \"%s\", want "
                             "\"%s\"", (long long)cases[i].ms, got,
                             cases[i].want);
            free(got);
            free(expr);
        }
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

/* The titles of the items, joined by ",". */
static char *item_titles(struct feed_doc *d)
{
    struct strbuf sb = STRBUF_INIT;
    long n = xp_count(d, "//item");

    for (long i = 1; i <= n; i++) {
        char *expr = xstrfmt("//item[%ld]/title", i);
        char *t = xp_str(d, expr);

        strbuf_addf(&sb, "%s%s", i > 1 ? "," : "", t);
        free(t);
        free(expr);
    }
    return strbuf_detach(&sb, NULL);
}

/* feed_render() keeps the order it is given; the build chooses it. */
static void test_feed_order(void)
{
    static const size_t orders[][3] = {
        { 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 }, { 2, 0, 1 },
    };
    static const char *const want[] = {
        "old,new,mid", "mid,new,old", "new,old,mid", "mid,old,new",
    };
    struct show show;

    make_show(&show);
    add_episode(&show, "old", "2025-01-01", 1000, "");
    add_episode(&show, "new", "2025-12-01", 1000, "");
    add_episode(&show, "mid", "2025-06-01", 1000, "");
    for (int serial = 0; serial <= 1; serial++) {
        show.serial = serial;
        for (size_t o = 0; o < ARRAY_SIZE(orders); o++) {
            struct strbuf out = STRBUF_INIT;
            struct episode **eps = pick(&show, orders[o], 3);
            struct feed_doc d;

            if (render_parse(&show, eps, 3, &out, &d) == 0) {
                char *titles = item_titles(&d);

                CHECK_STR(titles, want[o]);
                CHECK_XP(&d, "/rss/channel/itunes:type",
                         serial ? "serial" : "episodic");
                CHECK_XP(&d, "/rss/channel/lastBuildDate",
                         "Mon, 01 Dec 2025 00:00:00 +0000");
                free(titles);
            }
            feed_doc_free(&d);
            free(eps);
            strbuf_release(&out);
        }
    }
    show_release(&show);
}

/* "]]>" cannot be inside CDATA: it must be split and still read back. */
static void test_feed_cdata_split(void)
{
    static const char *const htmls[] = {
        "<p>a]]>b</p>",
        "]]>",
        "]]>start ]]]]>> mid ]]>",
        "<p>x]]]>y]]>]]>z</p>",
        "<p>no terminator ]] > here ]></p>",
    };
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;

    make_show(&show);
    for (size_t i = 0; i < ARRAY_SIZE(htmls); i++) {
        size_t k = add_episode(&show, "E", "2025-10-31", 1000, "x");

        /* Notes as a future renderer (or cmark option) might produce. */
        free(show.episodes[k].notes.html);
        show.episodes[k].notes.html = xstrdup(htmls[i]);
    }
    add_episode(&show, "md", "2025-10-31", 1000, "Code: `a]]>b` and a ]]> b");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        for (size_t i = 0; i < ARRAY_SIZE(htmls); i++) {
            char *e1 = xstrfmt("//item[%zu]/description", i + 1);
            char *e2 = xstrfmt("//item[%zu]/content:encoded", i + 1);

            CHECK_XP(&d, e1, htmls[i]);
            CHECK_XP(&d, e2, htmls[i]);
            free(e1);
            free(e2);
        }
        CHECK_XP(&d, "//item[6]/itunes:summary", "Code: a]]>b and a ]]> b");
        CHECK_XP(&d, "//item[6]/description",
                 "<p>Code: <code>a]]&gt;b</code> and a ]]&gt; b</p>");
        /* The writer used CDATA for the notes, not escaped text. */
        CHECK(strstr(out.buf, "<![CDATA[<p>Code: <code>") != NULL);
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

static void test_feed_escaping(void)
{
    static const char *const titles[] = {
        "Q&A <b>not markup</b>",
        "\"double\" and 'single' > greater",
        "caf\xc3\xa9 \xe2\x80\x98quoted\xe2\x80\x99 \xf0\x9f\x8e\x99",
        "a &amp; b",
        "]]> in a title",
        "tab\tand\nnewline",
    };
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;

    make_show(&show);
    for (size_t i = 0; i < ARRAY_SIZE(titles); i++) {
        size_t k = add_episode(&show, titles[i], "2025-10-31", 1000, "");

        set(&show.episodes[k].guid, titles[i]);
    }
    set(&show.author, "Smith & <Sons>");
    set(&show.owner_email, "a&b@example.org");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        for (size_t i = 0; i < ARRAY_SIZE(titles); i++) {
            char *e = xstrfmt("//item[%zu]/title", i + 1);
            char *g = xstrfmt("//item[%zu]/guid", i + 1);

            CHECK_XP(&d, e, titles[i]);
            CHECK_XP(&d, g, titles[i]);
            free(e);
            free(g);
        }
        CHECK_COUNT(&d, "//b", 0);
        CHECK_XP(&d, "/rss/channel/itunes:author", "Smith & <Sons>");
        CHECK_XP(&d, "/rss/channel/itunes:owner/itunes:email",
                 "a&b@example.org");
        CHECK(strstr(out.buf, "Q&amp;A &lt;b&gt;not markup&lt;/b&gt;") !=
              NULL);
        CHECK(strstr(out.buf, "a &amp;amp; b") != NULL);
    }
    feed_doc_free(&d);
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

static void test_feed_podcast_guid(void)
{
    static const char *const urls[] = {
        FEED_URL, "http://example.org/show/feed.xml/",
        "https://podnews.net/rss",
    };
    struct show show;
    struct episode **eps;

    make_show(&show);
    add_episode(&show, "E", "2025-10-31", 1000, "");
    eps = all(&show);
    for (size_t i = 0; i < ARRAY_SIZE(urls); i++) {
        struct strbuf out = STRBUF_INIT;
        struct feed_doc d;
        char want[UUID_STR_LEN];

        set(&show.feed_url, urls[i]);
        podcast_guid_for_url(urls[i], want);
        if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
            CHECK_XP(&d, "/rss/channel/podcast:guid", want);
            CHECK_XP(&d, "/rss/channel/atom:link/@href", urls[i]);
        }
        feed_doc_free(&d);
        strbuf_release(&out);
    }
    {
        struct strbuf out = STRBUF_INIT;
        struct feed_doc d;

        set(&show.feed_url, "https://podnews.net/rss");
        if (render_parse(&show, eps, show.nr, &out, &d) == 0)
            CHECK_XP(&d, "/rss/channel/podcast:guid",
                     "9b024349-ccf0-5f69-a609-6b82873eab3c");
        feed_doc_free(&d);
        strbuf_release(&out);
    }
    {
        /* A guid set in the show file wins: feeds that move keep theirs. */
        struct strbuf out = STRBUF_INIT;
        struct feed_doc d;

        set(&show.guid, "917393e3-1b1e-5cef-ace4-edaa54e1f810");
        if (render_parse(&show, eps, show.nr, &out, &d) == 0)
            CHECK_XP(&d, "/rss/channel/podcast:guid",
                     "917393e3-1b1e-5cef-ace4-edaa54e1f810");
        feed_doc_free(&d);
        strbuf_release(&out);
    }
    free(eps);
    show_release(&show);
}

static void test_feed_optional_channel(void)
{
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;

    make_show(&show);
    set(&show.image, NULL);
    set(&show.author, NULL);
    set(&show.owner_name, NULL);
    set(&show.owner_email, "owner@example.org");
    show.locked.set = true;
    show.locked.v = true;
    show.explicit.v = true;
    {
        struct pi_funding *f = pi_list_add(&pi_funding_kind,
                                           (void **)&show.pi.funding,
                                           &show.pi.funding_nr);

        set(&f->url, "https://example.org/support?x=1&y=2");
        set(&f->text, "Support us & <more>");
    }
    /* No episodes at all: a valid feed without lastBuildDate. */
    if (render_parse(&show, NULL, 0, &out, &d) == 0) {
        CHECK_COUNT(&d, "//item", 0);
        CHECK_COUNT(&d, "/rss/channel/lastBuildDate", 0);
        CHECK_COUNT(&d, "/rss/channel/image", 0);
        CHECK_COUNT(&d, "/rss/channel/itunes:image", 0);
        CHECK_COUNT(&d, "/rss/channel/itunes:author", 0);
        CHECK_COUNT(&d, "/rss/channel/copyright", 0);
        CHECK_XP(&d, "/rss/channel/itunes:owner/itunes:email",
                 "owner@example.org");
        CHECK_COUNT(&d, "/rss/channel/itunes:owner/itunes:name", 0);
        CHECK_XP(&d, "/rss/channel/itunes:explicit", "true");
        CHECK_XP(&d, "/rss/channel/podcast:locked", "yes");
        CHECK_XP(&d, "/rss/channel/podcast:locked/@owner",
                 "owner@example.org");
        CHECK_XP(&d, "/rss/channel/podcast:funding/@url",
                 "https://example.org/support?x=1&y=2");
        CHECK_XP(&d, "/rss/channel/podcast:funding", "Support us & <more>");
    }
    feed_doc_free(&d);
    strbuf_release(&out);

    show.locked.v = false;
    if (render_parse(&show, NULL, 0, &out, &d) == 0)
        CHECK_XP(&d, "/rss/channel/podcast:locked", "no");
    feed_doc_free(&d);
    strbuf_release(&out);
    show_release(&show);
}

static void test_feed_deterministic(void)
{
    struct show show;
    struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
    struct episode **eps;

    make_show(&show);
    add_episode(&show, "One & only", "2025-10-31T06:00:00+01:00", 2534,
                "Notes with *markup* and ]]> and caf\xc3\xa9.");
    add_episode(&show, "Two", "2024-02-29T12:00:00-03:30", 61000,
                "- a\n- b\n");
    eps = all(&show);
    CHECK_INT(feed_render(&show, eps, show.nr, &a), 0);
    CHECK_INT(feed_render(&show, eps, show.nr, &b), 0);
    CHECK_INT(a.len, b.len);
    CHECK(a.len > 0 && a.len == b.len && !memcmp(a.buf, b.buf, a.len));
    CHECK_INT(strlen(a.buf), a.len);

    /* Rendering appends to what 'out' already holds. */
    strbuf_addstr(&c, "prefix:");
    CHECK_INT(feed_render(&show, eps, show.nr, &c), 0);
    CHECK_INT(c.len, 7 + a.len);
    CHECK(c.len == 7 + a.len && !memcmp(c.buf, "prefix:", 7) &&
          !memcmp(c.buf + 7, a.buf, a.len));
    free(eps);
    strbuf_release(&a);
    strbuf_release(&b);
    strbuf_release(&c);
    show_release(&show);
}

static void test_feed_write(void)
{
    const char *tmp = getenv("TMPDIR");
    struct show show;
    struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
    struct episode **eps;
    char dir[256], *path, *bad;
    DIR *dh;
    struct dirent *de;
    int entries = 0;

    snprintf(dir, sizeof(dir), "%s/podpub-feed-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        die("cannot create a scratch directory: %s", strerror(errno));
    path = xstrfmt("%s/feed.xml", dir);
    bad = xstrfmt("%s/missing/feed.xml", dir);
    make_show(&show);
    add_episode(&show, "E", "2025-10-31", 1000, "Notes.");
    eps = all(&show);
    CHECK_INT(feed_render(&show, eps, show.nr, &want), 0);
    CHECK_INT(write_file_atomic(path, "old content", 11), 0);
    CHECK_INT(feed_write(&show, eps, show.nr, path), 0);
    CHECK_INT(strbuf_read_file(&got, path, 1 << 20), 0);
    CHECK_INT(got.len, want.len);
    CHECK(got.len == want.len && !memcmp(got.buf, want.buf, got.len));
    CHECK_INT(feed_write(&show, eps, show.nr, bad), PP_ERR_IO);

    dh = opendir(dir);
    while (dh && (de = readdir(dh)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            entries++;
    if (dh)
        closedir(dh);
    CHECK_INT(entries, 1);      /* feed.xml, no temporary file */

    unlink(path);
    rmdir(dir);
    free(path);
    free(bad);
    free(eps);
    strbuf_release(&want);
    strbuf_release(&got);
    show_release(&show);
}

/*
 * Found by fuzzing: a podcast:guid that is not a UUID (the check rule
 * pi.guid.format flags it) was cut to 36 characters; and a character
 * reference to a control character in the notes ("&#xF;") made the feed
 * ill-formed.
 */
static void test_feed_fuzz_regressions(void)
{
    struct show show;
    struct strbuf out = STRBUF_INIT;
    struct feed_doc d;
    struct episode **eps;
    const char *long_guid = "0f1catec*-4b5a-5968-8776-a5b4c3d2e1f0-x";

    make_show(&show);
    set(&show.guid, long_guid);
    add_episode(&show, "Ctl", "2025-10-01T06:00:00+02:00", 1000,
                "A &#xF; B &#x85; C");
    eps = all(&show);
    if (render_parse(&show, eps, show.nr, &out, &d) == 0) {
        CHECK_XP(&d, "/rss/channel/podcast:guid", long_guid);
        CHECK(strstr(out.buf, "A \xef\xbf\xbd B \xef\xbf\xbd C") != NULL);
        feed_doc_free(&d);
    }
    free(eps);
    strbuf_release(&out);
    show_release(&show);
}

static const struct harness_test tests[] = {
    TEST(test_feed_fuzz_regressions),
    TEST(test_feed_channel),
    TEST(test_feed_items),
    TEST(test_feed_summary_fallback),
    TEST(test_feed_duration_rounding),
    TEST(test_feed_order),
    TEST(test_feed_cdata_split),
    TEST(test_feed_escaping),
    TEST(test_feed_podcast_guid),
    TEST(test_feed_optional_channel),
    TEST(test_feed_deterministic),
    TEST(test_feed_write),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
