/*
 * What the fuzz targets share (not part of libpodpub): quiet diagnostics,
 * a loud failure for broken invariants, and the read-back of a rendered
 * feed with libxml2's parser, the way a podcast app reads it.
 *
 * A target aborts (libFuzzer reports "deadly signal" and saves the input)
 * when podpub breaks a promise its headers make: a feed that is not
 * well-formed XML, or a title, GUID, date or show-notes text that reads
 * back different from what went in. Sanitizer reports (ASan, UBSan with
 * -fno-sanitize-recover) and leaks stop the run by themselves.
 */
#ifndef PODPUB_FUZZ_H
#define PODPUB_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "podpub/feed.h"
#include "podpub/meta.h"
#include "podpub/ptime.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"
#include "podpub/uuid.h"

#define FZ_NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define FZ_NS_PODCAST "https://podcastindex.org/namespace/1.0"
#define FZ_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* Where fuzz_fail() writes: the process's stderr before fuzz_init(). */
static FILE *fuzz_err;
/* Where the targets print what podpub would show a user (/dev/null). */
static FILE *fuzz_null;

/*
 * Once per process: podpub prints every input error to stderr, which at
 * tens of thousands of inputs a second drowns libFuzzer's own output. Only
 * the FILE stream is swapped (glibc's 'stderr' is an assignable variable):
 * file descriptor 2 stays open, so sanitizer reports and libFuzzer's
 * status lines still appear. PODPUB_FUZZ_STDERR=1 keeps podpub's messages,
 * for reproducing one input.
 */
static inline void fuzz_init(void)
{
    const char *keep = getenv("PODPUB_FUZZ_STDERR");

    fuzz_err = stderr;
    fuzz_null = fopen("/dev/null", "w");
    if (!fuzz_null)
        fuzz_null = stderr;
    if (!(keep && *keep == '1'))
        stderr = fuzz_null;
    /* Zone-less dates are UTC unless a target names a zone. */
    setenv("TZ", "UTC", 1);
    xmlInitParser();
}

static inline void fuzz_fail(const char *fmt, ...)
    PP_PRINTF(1, 2) PP_NORETURN;

static inline void fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("podpub fuzz: invariant broken: ", fuzz_err);
    va_start(ap, fmt);
    vfprintf(fuzz_err, fmt, ap);
    va_end(ap);
    fputc('\n', fuzz_err);
    fflush(fuzz_err);
    abort();
}

/* True when 'what' is listed in PODPUB_FUZZ_LENIENT (comma-separated). */
static inline bool fuzz_lenient(const char *what)
{
    const char *l = getenv("PODPUB_FUZZ_LENIENT");
    size_t n = strlen(what);

    for (const char *p = l; p && *p; p += strcspn(p, ","), p += !!*p)
        if (!strncmp(p, what, n) && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

/* True when 's' (NUL-terminated) is text podpub accepts for a feed. */
static inline bool fuzz_xml_text_ok(const char *s)
{
    size_t off;
    const char *why;

    return !s || utf8_check_xml(s, strlen(s), &off, &why) == 0;
}

/* The first child element of 'parent' called 'local' in namespace 'ns'. */
static inline const xmlNode *fz_child(const xmlNode *parent,
                                      const char *ns, const char *local)
{
    for (const xmlNode *n = parent ? parent->children : NULL; n; n = n->next) {
        const char *href = n->ns ? (const char *)n->ns->href : NULL;

        if (n->type != XML_ELEMENT_NODE ||
            strcmp((const char *)n->name, local))
            continue;
        if (ns ? href && !strcmp(href, ns) : !href)
            return n;
    }
    return NULL;
}

/* Escapes 's' for a failure message: at most 200 bytes, C escapes. */
static inline const char *fz_show(const char *s, char buf[1024])
{
    size_t o = 0;

    if (!s)
        return "(null)";
    for (size_t i = 0; s[i] && i < 200 && o < 1000; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || c == '\\' || c == '"')
            o += (size_t)snprintf(buf + o, 1024 - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    buf[o] = '\0';
    return buf;
}

/*
 * Fails unless element 'local' ('ns') of 'parent' holds exactly 'want'
 * ("" for a NULL 'want'). With 'cdata', line ends in 'want' are compared
 * as XML 1.0 normalises them (CR LF and CR read as LF): a CDATA section
 * cannot carry a CR.
 */
static inline void fz_expect_text(const xmlNode *parent, const char *ns,
                                  const char *local, const char *want,
                                  bool cdata, const char *what)
{
    const xmlNode *n = fz_child(parent, ns, local);
    xmlChar *got;
    struct strbuf norm = STRBUF_INIT;
    char b1[1024], b2[1024];

    if (!n)
        fuzz_fail("%s: no <%s> element", what, local);
    got = xmlNodeGetContent(n);
    if (!want)
        want = "";
    if (cdata) {
        for (const char *p = want; *p; p++) {
            if (*p == '\r') {
                strbuf_addch(&norm, '\n');
                if (p[1] == '\n')
                    p++;
            } else {
                strbuf_addch(&norm, *p);
            }
        }
        want = norm.buf;
    }
    if (!got || strcmp((const char *)got, want))
        fuzz_fail("%s: <%s> reads back \"%s\", want \"%s\"", what, local,
                  fz_show((const char *)got, b1), fz_show(want, b2));
    xmlFree(got);
    strbuf_release(&norm);
}

/*
 * Fails unless the RFC 2822 date in <pubDate> of 'item' is the moment
 * 'want'. PODPUB_FUZZ_LENIENT=dates accepts a difference under a minute
 * (an offset with seconds, which RFC 2822 cannot write).
 */
static inline void fz_expect_date(const xmlNode *item,
                                  const struct pp_date *want,
                                  const char *what)
{
    const xmlNode *n = fz_child(item, NULL, "pubDate");
    xmlChar *got = n ? xmlNodeGetContent(n) : NULL;
    struct pp_date d;
    bool named;

    if (!got)
        fuzz_fail("%s: no <pubDate>", what);
    if (date_parse_rfc2822((const char *)got, &d, &named) < 0)
        fuzz_fail("%s: <pubDate> \"%s\" is not an RFC 2822 date (from t=%lld "
                  "offset=%d)", what, (const char *)got,
                  (long long)want->t, want->offset);
    if (d.t != want->t &&
        !(fuzz_lenient("dates") && llabs((long long)(d.t - want->t)) < 60))
        fuzz_fail("%s: <pubDate> \"%s\" is t=%lld, want t=%lld (offset %d s)",
                  what, (const char *)got, (long long)d.t,
                  (long long)want->t, want->offset);
    xmlFree(got);
}

/*
 * Parses the feed 'xml' ('len' bytes) that feed_render() made of 'show'
 * and 'eps' and checks what a podcast app would read: well-formed XML, an
 * <rss><channel> with the show's title and GUID and one <item> per
 * episode with its title, GUID, date and notes as they went in.
 */
static inline void fuzz_check_feed(const struct show *show,
                                   struct episode *const *eps, size_t nr,
                                   const char *xml, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "feed.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
    const xmlNode *root, *ch, *n;
    size_t i = 0;
    char what[64];

    if (!doc) {
        const xmlError *e = xmlGetLastError();

        fuzz_fail("the feed is not well-formed XML: line %d: %s",
                  e ? e->line : 0, e && e->message ? e->message : "?");
    }
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "rss"))
        fuzz_fail("the feed's root is not <rss>");
    if (!(ch = fz_child(root, NULL, "channel")))
        fuzz_fail("the feed has no <channel>");
    fz_expect_text(ch, NULL, "title", show->title.s, false, "channel");
    if (show->guid.s)
        fz_expect_text(ch, FZ_NS_PODCAST, "guid", show->guid.s, false,
                       "channel");
    for (n = ch->children; n; n = n->next) {
        const struct episode *ep;

        if (n->type != XML_ELEMENT_NODE || n->ns ||
            strcmp((const char *)n->name, "item"))
            continue;
        if (i >= nr)
            fuzz_fail("the feed has more than %zu items", nr);
        ep = eps[i];
        snprintf(what, sizeof(what), "item %zu", i + 1);
        fz_expect_text(n, NULL, "title", ep->title.s, false, what);
        fz_expect_text(n, FZ_NS_ITUNES, "title", ep->title.s, false, what);
        fz_expect_text(n, NULL, "guid", ep->guid.s, false, what);
        fz_expect_date(n, &ep->date, what);
        if (ep->summary.s)
            fz_expect_text(n, FZ_NS_ITUNES, "subtitle", ep->summary.s, false,
                           what);
        if (ep->notes.text && *ep->notes.text) {
            fz_expect_text(n, FZ_NS_ITUNES, "summary", ep->notes.text, false,
                           what);
            fz_expect_text(n, NULL, "description", ep->notes.html, true,
                           what);
            fz_expect_text(n, FZ_NS_CONTENT, "encoded", ep->notes.html, true,
                           what);
        }
        i++;
    }
    if (i != nr)
        fuzz_fail("the feed has %zu items, want %zu", i, nr);
    xmlFreeDoc(doc);
}

/*
 * Known findings (tests/fuzz/README.md) that a long run would otherwise
 * hit again and again. PODPUB_FUZZ_LENIENT=notes,guid,chapters,dates
 * makes the targets step around them and look for others.
 */

/* With "notes": true when notes rendered to text unfit for XML. */
static inline bool fz_skip_notes(const struct notes *n)
{
    return fuzz_lenient("notes") &&
           (!fuzz_xml_text_ok(n->html) || !fuzz_xml_text_ok(n->text));
}

/*
 * With "guid": cuts a show GUID to the 36 bytes feed_render() keeps, at a
 * character boundary, so that the feed says what went in.
 */
static inline void fz_step_around_guid(char *guid)
{
    size_t n = UUID_STR_LEN - 1;

    if (!guid || !fuzz_lenient("guid") || strlen(guid) <= n)
        return;
    while (n && ((unsigned char)guid[n] & 0xc0) == 0x80)
        n--;
    guid[n] = '\0';
}

/* Points 't' at the static text 's' (never freed: see fz_base_show()). */
static inline void fz_set(struct text *t, const char *s)
{
    t->s = (char *)s;
}

/*
 * A valid show as podcast.yaml would give it, with static strings: the
 * caller must not show_release() it. 'tz' is the show's time zone (NULL:
 * none, i.e. UTC).
 */
static inline void fz_base_show(struct show *show, const char *tz)
{
    memset(show, 0, sizeof(*show));
    fz_set(&show->title, "Fuzz & <Friends>");
    fz_set(&show->description, "A show the fuzzer made.");
    fz_set(&show->language, "en");
    fz_set(&show->base_url, "https://media.example.org/fuzz/");
    fz_set(&show->link, "https://media.example.org/fuzz/");
    fz_set(&show->feed_url, "https://media.example.org/fuzz/feed.xml");
    fz_set(&show->author, "Fuzzer");
    fz_set(&show->owner_name, "Fuzzer");
    fz_set(&show->owner_email, "fuzz@example.org");
    fz_set(&show->timezone, tz);
    show->path = (char *)"feed/podcast.yaml";
    show->file_ok = true;
}

/* The time zones the targets try: fixed offsets, DST, odd offsets, LMT. */
static const char *const fz_zones[] = {
    NULL, "UTC", "Europe/Amsterdam", "America/New_York",
    "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu",
    "Pacific/Chatham", "Africa/Monrovia", "Asia/Kolkata",
};

/* "Now" for the check rules (2025-11-28T00:00:00Z): runs must repeat. */
#define FZ_NOW 1764288000

/*
 * Byte input split into fields: 'next' hands out NUL-terminated pieces of
 * a private copy of the data, split at NUL bytes (the last piece ends at
 * the end of the data); past the end every field is "".
 */
struct fz_fields {
    char *buf;
    size_t len, pos;
};

static inline void fz_fields_init(struct fz_fields *f,
                                  const uint8_t *data, size_t len)
{
    f->buf = xmalloc(len + 1);
    memcpy(f->buf, data, len);
    f->buf[len] = '\0';
    f->len = len;
    f->pos = 0;
}

static inline const char *fz_next(struct fz_fields *f)
{
    const char *s;

    if (f->pos > f->len)
        return "";
    s = f->buf + f->pos;
    f->pos += strlen(s) + 1;
    return s;
}

static inline void fz_fields_release(struct fz_fields *f)
{
    free(f->buf);
    f->buf = NULL;
}

#endif
