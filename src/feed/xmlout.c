/*
 * The feed's XML emitter. It replaced libxml2's xmlTextWriter, whose
 * per-call cost (a node list, a malloc'd copy of every escaped string,
 * vsnprintf for numbers) was most of the time podpub spent on a large
 * feed, and it must write the very same bytes: a feed that changes with
 * the podpub version makes every podcast app fetch it again, and the
 * fixture cases compare feeds byte for byte. So it copies what libxml2
 * 2.9's writer did with the feed's settings (in memory, indented by two
 * spaces, declared UTF-8): the indentation follows the writer's state
 * machine (an element that got text ends on its line, one that got
 * children ends indented on its own line), and the escaping is ASCII
 * only. tests/unit/test_xmlout.c checks all of it against libxml2.
 *
 * One rule is easy to get wrong: libxml2 writes every non-ASCII character
 * of an attribute value as a reference ("&#xE9;") only when its document
 * has no encoding. The feed declares UTF-8 (xmlTextWriterStartDocument()
 * records it in the writer's document), so attribute values kept their
 * UTF-8 bytes, and so they do here.
 */
#include <string.h>

#include "xmlout.h"

/* Enough for XMLOUT_MAX_DEPTH levels of the two-space indent. */
static const char spaces[2 * XMLOUT_MAX_DEPTH + 1] =
    "                                ";

/*
 * The characters each escaper replaces (NUL-terminated sets for
 * strcspn(), which glibc scans many bytes at a time): element text the
 * five that xmlEncodeSpecialChars() replaces, attribute values also tab
 * and LF. Every other byte is copied as it is, UTF-8 included.
 */
static const char text_special[] = "<>&\"\r";
static const char attr_special[] = "<>&\"\r\t\n";

/* The reference for a character of any set xmlout_escape() is given. */
static const char *ascii_ref(unsigned char c)
{
    switch (c) {
    case '<':  return "&lt;";
    case '>':  return "&gt;";
    case '&':  return "&amp;";
    case '"':  return "&quot;";
    case '\'': return "&#39;";
    case '\r': return "&#13;";
    case '\n': return "&#10;";
    default:   return "&#9;";
    }
}

void xmlout_escape(struct strbuf *sb, const char *s, const char *special)
{
    for (;;) {
        size_t n = strcspn(s, special);

        strbuf_add(sb, s, n);
        s += n;
        if (!*s)
            return;
        strbuf_addstr(sb, ascii_ref((unsigned char)*s++));
    }
}

void xmlout_escape_text(struct strbuf *sb, const char *s)
{
    xmlout_escape(sb, s, text_special);
}

void xmlout_escape_attr(struct strbuf *sb, const char *s)
{
    xmlout_escape(sb, s, attr_special);
}

/*
 * Tags are short pieces, and appending each with strbuf_add() (a call,
 * a size check, a NUL) cost more than copying them. So the tag functions
 * make room once with reserve(), copy the pieces with put() and set the
 * length with commit(), as strbuf_read_file() fills its buffer.
 */
static char *reserve(struct xmlout *x, size_t n)
{
    strbuf_grow(x->out, n);
    return x->out->buf + x->out->len;
}

static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static void commit(struct xmlout *x, char *end)
{
    x->out->len = (size_t)(end - x->out->buf);
    *end = '\0';
}

/* Writes 'v' in decimal ending just before 'end'; returns the start. */
static char *format_u64(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

void xmlout_init(struct xmlout *x, struct strbuf *out)
{
    memset(x, 0, sizeof(*x));
    x->out = out;
}

void xmlout_declaration(struct xmlout *x)
{
    strbuf_addstr(x->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

void xmlout_start(struct xmlout *x, const char *name)
{
    size_t n = strlen(name), ind = 2 * (size_t)x->depth;
    char *p;

    if (x->depth == XMLOUT_MAX_DEPTH)
        die("xmlout: elements nested too deep");
    p = reserve(x, 2 + ind + 1 + n);
    /* A child ends its parent's start tag and starts a line. */
    if (x->in_start_tag)
        p = put(p, ">\n", 2);
    p = put(p, spaces, ind);
    *p++ = '<';
    p = put(p, name, n);
    commit(x, p);
    x->open[x->depth++] = name;
    x->in_start_tag = true;
}

void xmlout_attr(struct xmlout *x, const char *name, const char *value)
{
    size_t n = strlen(name);
    char *p;

    if (!x->in_start_tag)
        die("xmlout: attribute '%s' outside a start tag", name);
    if (!value) {
        x->failed = true;
        return;
    }
    p = reserve(x, n + 3);
    *p++ = ' ';
    p = put(p, name, n);
    p = put(p, "=\"", 2);
    commit(x, p);
    xmlout_escape_attr(x->out, value);
    strbuf_addch(x->out, '"');
}

void xmlout_attr_u64(struct xmlout *x, const char *name, uint64_t value)
{
    char buf[24];

    buf[sizeof(buf) - 1] = '\0';
    xmlout_attr(x, name, format_u64(buf + sizeof(buf) - 1, value));
}

/*
 * Content follows: end the start tag (on the same line). Text of any
 * kind, even empty, means the end tag follows it without a line break.
 */
static void begin_content(struct xmlout *x)
{
    if (!x->depth)
        die("xmlout: content outside the root element");
    if (x->in_start_tag) {
        strbuf_addch(x->out, '>');
        x->in_start_tag = false;
    }
    x->indent_end = false;
}

void xmlout_text(struct xmlout *x, const char *s)
{
    if (!s) {
        x->failed = true;
        return;
    }
    begin_content(x);
    xmlout_escape_text(x->out, s);
}

/* Appends one CDATA section holding the 'len' bytes at 's'. */
static void add_cdata_section(struct xmlout *x, const char *s, size_t len)
{
    char *p = reserve(x, 9 + len + 3);

    p = put(p, "<![CDATA[", 9);
    p = put(p, s, len);
    p = put(p, "]]>", 3);
    commit(x, p);
}

void xmlout_cdata(struct xmlout *x, const char *s)
{
    const char *end;

    if (!s) {
        x->failed = true;
        return;
    }
    begin_content(x);
    while ((end = strstr(s, "]]>"))) {
        add_cdata_section(x, s, (size_t)(end - s) + 2);
        s = end + 2;
    }
    add_cdata_section(x, s, strlen(s));
}

void xmlout_end(struct xmlout *x)
{
    const char *name;
    size_t n, ind;
    char *p;

    if (!x->depth)
        die("xmlout: no element to end");
    name = x->open[--x->depth];
    if (x->in_start_tag) {
        p = reserve(x, 3);
        p = put(p, "/>\n", 3);
        x->in_start_tag = false;
    } else {
        /* After text the end tag stays on the text's line. */
        ind = x->indent_end ? 2 * (size_t)x->depth : 0;
        n = strlen(name);
        p = reserve(x, ind + 2 + n + 2);
        p = put(p, spaces, ind);
        p = put(p, "</", 2);
        p = put(p, name, n);
        p = put(p, ">\n", 2);
    }
    commit(x, p);
    x->indent_end = true;
}

void xmlout_element(struct xmlout *x, const char *name, const char *text)
{
    xmlout_start(x, name);
    if (text)
        xmlout_text(x, text);
    xmlout_end(x);
}

void xmlout_element_i64(struct xmlout *x, const char *name, int64_t v)
{
    char buf[24], *p;

    buf[sizeof(buf) - 1] = '\0';
    /* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
    p = format_u64(buf + sizeof(buf) - 1,
                   v < 0 ? -(uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--p = '-';
    xmlout_element(x, name, p);
}

int xmlout_finish(struct xmlout *x)
{
    while (x->depth)
        xmlout_end(x);
    return x->failed ? -1 : 0;
}
