/*
 * Unit tests for src/feed/xmlout.c, the feed's XML emitter, against the
 * libxml2 xmlTextWriter it replaced, set up as the feed writer set it up
 * (in memory, indent on with "  ", a UTF-8 declaration: the declaration
 * changes how attribute values are escaped). Each test drives both with
 * the same calls and wants the same bytes: every byte and pair of bytes
 * as text and as an attribute value, every Unicode code point, CDATA
 * around "]]>", and a few thousand random documents from a fixed seed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include "harness.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"
#include "../../src/feed/xmlout.h"

#define X(s) ((const xmlChar *)(s))

/*
 * Both emitters side by side: every call goes to each, and 'lib_failed'
 * records whether libxml2 refused one (a NULL value).
 */
struct pair {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    struct strbuf sb;
    struct xmlout x;
    bool lib_failed;
};

static void lib(struct pair *p, int ret)
{
    if (ret < 0)
        p->lib_failed = true;
}

static void pair_begin(struct pair *p)
{
    p->buf = xmlBufferCreate();
    p->w = xmlNewTextWriterMemory(p->buf, 0);
    if (!p->buf || !p->w)
        die("out of memory");
    p->lib_failed = false;
    lib(p, xmlTextWriterSetIndent(p->w, 1));
    lib(p, xmlTextWriterSetIndentString(p->w, X("  ")));
    lib(p, xmlTextWriterStartDocument(p->w, "1.0", "UTF-8", NULL));
    strbuf_init(&p->sb);
    xmlout_init(&p->x, &p->sb);
    xmlout_declaration(&p->x);
}

static void pair_start(struct pair *p, const char *name)
{
    lib(p, xmlTextWriterStartElement(p->w, X(name)));
    xmlout_start(&p->x, name);
}

static void pair_attr(struct pair *p, const char *name, const char *v)
{
    lib(p, xmlTextWriterWriteAttribute(p->w, X(name), X(v)));
    xmlout_attr(&p->x, name, v);
}

static void pair_attr_u64(struct pair *p, const char *name, uint64_t v)
{
    lib(p, xmlTextWriterWriteFormatAttribute(p->w, X(name), "%" PRIu64, v));
    xmlout_attr_u64(&p->x, name, v);
}

static void pair_text(struct pair *p, const char *s)
{
    lib(p, xmlTextWriterWriteString(p->w, X(s)));
    xmlout_text(&p->x, s);
}

/* The feed writer's CDATA before xmlout: split after each "]]" of "]]>". */
static void pair_cdata(struct pair *p, const char *s)
{
    const char *end, *rest = s;

    while (rest && (end = strstr(rest, "]]>"))) {
        char *part = xstrndup(rest, (size_t)(end - rest) + 2);

        lib(p, xmlTextWriterWriteCDATA(p->w, X(part)));
        free(part);
        rest = end + 2;
    }
    lib(p, xmlTextWriterWriteCDATA(p->w, X(rest)));
    xmlout_cdata(&p->x, s);
}

static void pair_end(struct pair *p)
{
    lib(p, xmlTextWriterEndElement(p->w));
    xmlout_end(&p->x);
}

static void pair_element(struct pair *p, const char *name, const char *text)
{
    lib(p, xmlTextWriterWriteElement(p->w, X(name), X(text)));
    xmlout_element(&p->x, name, text);
}

static void pair_element_i64(struct pair *p, const char *name, int64_t v)
{
    lib(p, xmlTextWriterWriteFormatElement(p->w, X(name), "%" PRId64, v));
    xmlout_element_i64(&p->x, name, v);
}

/*
 * Ends both documents and compares them; 'what' names the document in a
 * failure, which shows where the two part. Returns true when they match.
 */
static bool pair_finish(struct pair *p, const char *what)
{
    const char *want;
    size_t want_len, i = 0;
    bool same;
    int ret;

    lib(p, xmlTextWriterEndDocument(p->w));
    xmlFreeTextWriter(p->w);    /* flushes into p->buf */
    ret = xmlout_finish(&p->x);
    want = (const char *)xmlBufferContent(p->buf);
    want_len = (size_t)xmlBufferLength(p->buf);
    harness_checks++;
    if (p->lib_failed) {
        /* libxml2 refused a call; only the failure has to agree. */
        same = ret < 0;
        if (!same)
            harness_fail(__FILE__, __LINE__, "%s: libxml2 failed, "
                         "xmlout_finish() == %d", what, ret);
    } else {
        same = ret == 0 && p->sb.len == want_len &&
               !memcmp(p->sb.buf, want, want_len);
        while (!same && i < want_len && i < p->sb.len &&
               p->sb.buf[i] == want[i])
            i++;
        if (!same)
            harness_fail(__FILE__, __LINE__, "%s: xmlout_finish() == %d, "
                         "%zu bytes, libxml2 %zu; from byte %zu: "
                         "\"%.40s\", libxml2 \"%.40s\"", what, ret,
                         p->sb.len, want_len, i,
                         i < p->sb.len ? p->sb.buf + i : "",
                         i < want_len ? want + i : "");
    }
    xmlBufferFree(p->buf);
    strbuf_release(&p->sb);
    return same;
}

/* --- Escaping ----------------------------------------------------------- */

/* The bytes of 'nr' strings 'strs' as text, then as attribute values. */
static void compare_strings(const char *const *strs, size_t nr,
                            const char *what)
{
    /* A few hundred to a document: a mismatch still says where. */
    for (size_t from = 0; from < nr; from += 512) {
        size_t to = from + 512 < nr ? from + 512 : nr;
        char name[96];
        struct pair p;

        snprintf(name, sizeof(name), "%s %zu-%zu as text", what, from, to);
        pair_begin(&p);
        pair_start(&p, "r");
        for (size_t i = from; i < to; i++)
            pair_element(&p, "e", strs[i]);
        pair_finish(&p, name);

        snprintf(name, sizeof(name), "%s %zu-%zu as attributes", what,
                 from, to);
        pair_begin(&p);
        pair_start(&p, "r");
        for (size_t i = from; i < to; i++) {
            pair_start(&p, "e");
            pair_attr(&p, "a", strs[i]);
            pair_end(&p);
        }
        pair_finish(&p, name);
    }
}

static void test_every_byte(void)
{
    char **strs = xcalloc(255 + 255 * 255, sizeof(*strs));
    size_t nr = 0;

    /* Every byte but NUL alone, then every pair: lone and split UTF-8. */
    for (int a = 1; a < 256; a++) {
        strs[nr] = xmalloc(2);
        strs[nr][0] = (char)a;
        strs[nr++][1] = '\0';
    }
    for (int a = 1; a < 256; a++) {
        for (int b = 1; b < 256; b++) {
            strs[nr] = xmalloc(3);
            strs[nr][0] = (char)a;
            strs[nr][1] = (char)b;
            strs[nr++][2] = '\0';
        }
    }
    compare_strings((const char *const *)strs, nr, "bytes");
    for (size_t i = 0; i < nr; i++)
        free(strs[i]);
    free(strs);
}

/* Encodes 'c' the UTF-8 way (surrogates too); returns the length. */
static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static void test_every_code_point(void)
{
    /* 256 code points to a string, from U+0001 to U+10FFFF. */
    size_t nr = 0x110000 / 256;
    char **strs = xcalloc(nr, sizeof(*strs));

    for (size_t i = 0; i < nr; i++) {
        char *p = strs[i] = xmalloc(256 * 4 + 1);

        for (uint32_t c = (uint32_t)i * 256; c < (uint32_t)(i + 1) * 256; c++)
            if (c)
                p += put_utf8(p, c);
        *p = '\0';
    }
    compare_strings((const char *const *)strs, nr, "code points");
    for (size_t i = 0; i < nr; i++)
        free(strs[i]);
    free(strs);
}

static void test_escape_examples(void)
{
    const char *s = "a<b>&\"c'\r\n\t caf\xc3\xa9 \xf0\x9f\x8e\x99 \x80";
    struct strbuf sb = STRBUF_INIT;

    xmlout_escape_text(&sb, s);
    CHECK_STR(sb.buf, "a&lt;b&gt;&amp;&quot;c'&#13;\n\t caf\xc3\xa9 "
                      "\xf0\x9f\x8e\x99 \x80");
    strbuf_reset(&sb);
    xmlout_escape_attr(&sb, s);
    CHECK_STR(sb.buf, "a&lt;b&gt;&amp;&quot;c'&#13;&#10;&#9; caf\xc3\xa9 "
                      "\xf0\x9f\x8e\x99 \x80");
    strbuf_reset(&sb);
    xmlout_escape_text(&sb, "");
    xmlout_escape_attr(&sb, "");
    CHECK_INT(sb.len, 0);
    strbuf_release(&sb);
}

/* --- CDATA -------------------------------------------------------------- */

static void test_cdata_splits(void)
{
    /* Every string of up to 8 of ']', '>', 'x': all the ways to meet "]]>". */
    static const char alphabet[] = "]>x";
    char s[9], name[32];
    size_t cases = 0;

    for (int len = 0; len <= 8; len++) {
        int total = 1;
        struct pair p;

        for (int i = 0; i < len; i++)
            total *= 3;
        pair_begin(&p);
        pair_start(&p, "r");
        for (int n = 0; n < total; n++, cases++) {
            int v = n;

            for (int i = 0; i < len; i++, v /= 3)
                s[i] = alphabet[v % 3];
            s[len] = '\0';
            pair_start(&p, "description");
            pair_cdata(&p, s);
            pair_end(&p);
        }
        snprintf(name, sizeof(name), "CDATA of length %d", len);
        pair_finish(&p, name);
    }
    CHECK_INT(cases, 9841);
}

/* --- The emitter's state ------------------------------------------------ */

static void test_layout(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct xmlout x;

    xmlout_init(&x, &sb);
    xmlout_declaration(&x);
    xmlout_start(&x, "rss");
    xmlout_attr(&x, "version", "2.0");
    xmlout_start(&x, "channel");
    xmlout_element(&x, "empty", "");
    xmlout_element(&x, "null", NULL);
    xmlout_element_i64(&x, "n", -42);
    xmlout_start(&x, "c");
    xmlout_cdata(&x, "a]]>b");
    xmlout_end(&x);
    xmlout_start(&x, "item");
    CHECK_INT(xmlout_finish(&x), 0);
    CHECK_STR(sb.buf,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<rss version=\"2.0\">\n"
              "  <channel>\n"
              "    <empty></empty>\n"
              "    <null/>\n"
              "    <n>-42</n>\n"
              "    <c><![CDATA[a]]]]><![CDATA[>b]]></c>\n"
              "    <item/>\n"
              "  </channel>\n"
              "</rss>\n");
    strbuf_release(&sb);
}

/* libxml2 ignores nothing silently here, but keep its voice out of it. */
static void quiet(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

static void test_null_values(void)
{
    struct pair p;

    xmlSetGenericErrorFunc(NULL, quiet);
    pair_begin(&p);
    pair_start(&p, "r");
    pair_attr(&p, "a", NULL);
    CHECK(p.lib_failed);
    pair_finish(&p, "NULL attribute");

    pair_begin(&p);
    pair_start(&p, "r");
    pair_text(&p, NULL);
    CHECK(p.lib_failed);
    pair_finish(&p, "NULL text");

    pair_begin(&p);
    pair_start(&p, "r");
    pair_element(&p, "e", NULL);     /* <e/>: not a failure */
    CHECK(!p.lib_failed);
    pair_finish(&p, "NULL element text");
    xmlSetGenericErrorFunc(NULL, NULL);
}

static void test_numbers(void)
{
    static const int64_t i64[] = {
        0, 1, -1, 9, 10, 99999, 9999999, INT64_MAX, INT64_MIN,
        INT64_MIN + 1, 1000000000,
    };
    static const uint64_t u64[] = { 0, 1, 10338, UINT64_MAX, 1ULL << 63 };
    struct pair p;

    pair_begin(&p);
    pair_start(&p, "r");
    for (size_t i = 0; i < ARRAY_SIZE(i64); i++)
        pair_element_i64(&p, "itunes:duration", i64[i]);
    for (size_t i = 0; i < ARRAY_SIZE(u64); i++) {
        pair_start(&p, "enclosure");
        pair_attr_u64(&p, "length", u64[i]);
        pair_end(&p);
    }
    pair_finish(&p, "numbers");
}

/* --- Random documents --------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64: the same documents on every run and every machine. */
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 32) % n;
}

/* Pieces of text: plain, every special, controls, UTF-8, broken UTF-8. */
static const char *const pieces[] = {
    "a", "Tom", " ", "word ", "<", ">", "&", "\"", "'", "\r", "\n", "\t",
    "\r\n", "&amp;", "<b>", "]", "]]", "]]>", ">", "<![CDATA[", "\x01",
    "\x1f", "\x7f", "\xc3\xa9", "\xe2\x80\x99", "\xe2\x82\xac",
    "\xf0\x9f\x8e\x99", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbe", "\xed\xa0\x80",
    "\x80", "\xbf", "\xc3", "\xe2\x80", "\xf0\x9f", "\xff", "\xc0\xaf",
    "https://example.org/a b.mp3?x=1&y=2", "0", "123",
};

static char *random_text(void)
{
    struct strbuf sb = STRBUF_INIT;
    unsigned n = rnd(4) ? rnd(12) : 0;

    for (unsigned i = 0; i < n; i++)
        strbuf_addstr(&sb, pieces[rnd(ARRAY_SIZE(pieces))]);
    return strbuf_detach(&sb, NULL);
}

static const char *const names[] = {
    "item", "title", "guid", "itunes:category", "podcast:locked", "e",
    "atom:link", "content:encoded",
};

/* One element with random attributes and content, 'depth' levels down. */
static void random_element(struct pair *p, int depth)
{
    const char *name = names[rnd(ARRAY_SIZE(names))];
    unsigned attrs = rnd(3), parts;
    char *s;

    pair_start(p, name);
    for (unsigned i = 0; i < attrs; i++) {
        if (rnd(8)) {
            s = random_text();
            pair_attr(p, i ? "href" : "text", s);
            free(s);
        } else {
            pair_attr_u64(p, "length", rnd(1000000));
        }
    }
    /* Nothing, or up to four parts: text, CDATA, children, mixed. */
    parts = rnd(5);
    for (unsigned i = 0; i < parts; i++) {
        switch (depth < 5 ? rnd(6) : rnd(2)) {
        case 0:
            s = random_text();
            pair_text(p, s);
            free(s);
            break;
        case 1:
            s = random_text();
            pair_cdata(p, s);
            free(s);
            break;
        case 2:
            s = rnd(6) ? random_text() : NULL;
            pair_element(p, names[rnd(ARRAY_SIZE(names))], s);
            free(s);
            break;
        case 3:
            pair_element_i64(p, "itunes:episode",
                             (int64_t)rnd(100000) - 50000);
            break;
        default:
            random_element(p, depth + 1);
        }
    }
    /* Sometimes leave the root open for xmlout_finish() to close. */
    if (depth || rnd(4))
        pair_end(p);
}

static void test_random_documents(void)
{
    char name[48];
    int same = 0;

    for (int i = 0; i < 4000; i++) {
        struct pair p;

        pair_begin(&p);
        random_element(&p, 0);
        snprintf(name, sizeof(name), "random document %d", i);
        same += pair_finish(&p, name);
    }
    CHECK_INT(same, 4000);
}

static const struct harness_test tests[] = {
    TEST(test_escape_examples),
    TEST(test_every_byte),
    TEST(test_every_code_point),
    TEST(test_cdata_splits),
    TEST(test_layout),
    TEST(test_null_values),
    TEST(test_numbers),
    TEST(test_random_documents),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
