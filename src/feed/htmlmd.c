/*
 * Show notes from someone else's feed, HTML, turned into the Markdown an
 * episode file holds: libxml2's HTML parser (which repairs what it can,
 * as browsers do, and never fetches anything) builds a tree, and one walk
 * writes paragraphs, headings, lists, block quotes, code, links,
 * emphasis and line breaks. What Markdown cannot say is kept as its text
 * (a table becomes lines of cells, a <span> its content); what is no
 * content at all (scripts, styles, forms, images) is dropped.
 *
 * The walk is bounded: nesting deeper than MAX_DEPTH is read as text, so
 * a hostile note cannot recurse without limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "podpub/feedread.h"
#include "podpub/strbuf.h"

#define MAX_DEPTH 48

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->name, name);
}

static bool named_any(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (named(n, *names))
            return true;
    return false;
}

/* Elements whose content is not text a listener reads. */
static const char *const dropped[] = {
    "script", "style", "head", "title", "iframe", "object", "embed",
    "noscript", "template", "svg", "math", "form", "select", "button",
    "img", "audio", "video", "input", "textarea", NULL,
};

/* Elements that start a block of their own. */
static const char *const blocks[] = {
    "p", "div", "section", "article", "header", "footer", "aside", "main",
    "nav", "figure", "figcaption", "address", "details", "summary", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li",
    "blockquote", "pre", "table", "hr", "body", "html", NULL,
};

static bool is_block(const xmlNode *n)
{
    return named_any(n, blocks);
}

static bool at_line_start(const struct strbuf *sb)
{
    return !sb->len || sb->buf[sb->len - 1] == '\n';
}

/*
 * Appends text 's', white space collapsed to single spaces (none at the
 * start of a line), with the characters Markdown would read as markup
 * escaped by a backslash.
 */
static void add_text(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        char c = *s;

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (!at_line_start(sb) && sb->buf[sb->len - 1] != ' ')
                strbuf_addch(sb, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>#|~", c) || (c == '!' && s[1] == '[') ||
            (c == '&' && (s[1] == '#' || (s[1] >= 'a' && s[1] <= 'z') ||
                          (s[1] >= 'A' && s[1] <= 'Z'))) ||
            (strchr("-+=", c) && at_line_start(sb))) {
            strbuf_addch(sb, '\\');
        } else if ((c == '.' || c == ')') && sb->len) {
            /* "1. " at a line's start would be a list item. */
            size_t i = sb->len;

            while (i && sb->buf[i - 1] >= '0' && sb->buf[i - 1] <= '9')
                i--;
            if (i < sb->len && (i == 0 || sb->buf[i - 1] == '\n'))
                strbuf_addch(sb, '\\');
        }
        strbuf_addch(sb, c);
    }
}

/* Drops trailing spaces and line breaks of 'sb'. */
static void trim_end(struct strbuf *sb)
{
    while (sb->len && (sb->buf[sb->len - 1] == ' ' ||
                       sb->buf[sb->len - 1] == '\n' ||
                       (sb->buf[sb->len - 1] == '\\' &&
                        (sb->len < 2 || sb->buf[sb->len - 2] != '\\'))))
        sb->buf[--sb->len] = '\0';
}

static void render_blocks(const xmlNode *first, struct strbuf *out,
                          int depth, bool tight);
static void render_inline(const xmlNode *n, struct strbuf *sb, int depth);

static void inline_children(const xmlNode *n, struct strbuf *sb, int depth)
{
    for (const xmlNode *k = n->children; k; k = k->next)
        render_inline(k, sb, depth + 1);
}

/*
 * Wraps what 'n' renders to in 'mark' on both sides ("*", "**"),
 * keeping spaces at its ends outside the marks; nothing when empty.
 */
static void emphasis(const xmlNode *n, struct strbuf *sb, int depth,
                     const char *mark)
{
    struct strbuf in = STRBUF_INIT;
    size_t lead = 0;

    inline_children(n, &in, depth);
    while (lead < in.len && in.buf[lead] == ' ')
        lead++;
    if (lead && !at_line_start(sb) && sb->buf[sb->len - 1] != ' ')
        strbuf_addch(sb, ' ');
    if (lead < in.len) {
        bool space = in.buf[in.len - 1] == ' ';

        trim_end(&in);
        strbuf_addf(sb, "%s%s%s", mark, in.buf + lead, mark);
        if (space)
            strbuf_addch(sb, ' ');
    }
    strbuf_release(&in);
}

/* A code span fenced by more backticks than its text has in a row. */
static void code_span(const xmlNode *n, struct strbuf *sb)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = c ? (const char *)c : "";
    size_t run = 0, longest = 0;

    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    if (*s) {
        bool pad = *s == '`' || s[strlen(s) - 1] == '`';

        for (size_t i = 0; i <= longest; i++)
            strbuf_addch(sb, '`');
        if (pad)
            strbuf_addch(sb, ' ');
        for (const char *p = s; *p; p++)
            strbuf_addch(sb, *p == '\n' ? ' ' : *p);
        if (pad)
            strbuf_addch(sb, ' ');
        for (size_t i = 0; i <= longest; i++)
            strbuf_addch(sb, '`');
    }
    xmlFree(c);
}

/* A link to 'href' (http, https or mailto only), else its text. */
static void link(const xmlNode *n, struct strbuf *sb, int depth)
{
    xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
    xmlChar *title = xmlGetProp(n, (const xmlChar *)"title");
    const char *h = href ? (const char *)href : "";
    struct strbuf in = STRBUF_INIT;

    inline_children(n, &in, depth);
    trim_end(&in);
    if (!in.len) {
        ;   /* a link with no text: nothing a listener could click */
    } else if (strncasecmp(h, "http://", 7) && strncasecmp(h, "https://", 8) &&
               strncasecmp(h, "mailto:", 7)) {
        strbuf_add(sb, in.buf, in.len);
    } else {
        strbuf_addf(sb, "[%s](<", in.buf);
        for (const char *p = h; *p; p++) {
            if (*p == '<' || *p == '>' || *p == ' ' || *p == '\n')
                strbuf_addf(sb, "%%%02X", (unsigned char)*p);
            else
                strbuf_addch(sb, *p);
        }
        strbuf_addch(sb, '>');
        if (title && *title) {
            strbuf_addstr(sb, " \"");
            for (const char *p = (const char *)title; *p; p++) {
                if (*p == '"' || *p == '\\')
                    strbuf_addch(sb, '\\');
                strbuf_addch(sb, *p == '\n' ? ' ' : *p);
            }
            strbuf_addch(sb, '"');
        }
        strbuf_addch(sb, ')');
    }
    strbuf_release(&in);
    xmlFree(href);
    xmlFree(title);
}

static void render_inline(const xmlNode *n, struct strbuf *sb, int depth)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        add_text(sb, (const char *)n->content);
    } else if (n->type != XML_ELEMENT_NODE || named_any(n, dropped)) {
        ;
    } else if (depth > MAX_DEPTH) {
        xmlChar *c = xmlNodeGetContent(n);

        add_text(sb, c ? (const char *)c : "");
        xmlFree(c);
    } else if (named(n, "br")) {
        trim_end(sb);
        if (sb->len)
            strbuf_addstr(sb, "\\\n");
    } else if (named(n, "em") || named(n, "i") || named(n, "cite")) {
        emphasis(n, sb, depth, "*");
    } else if (named(n, "strong") || named(n, "b")) {
        emphasis(n, sb, depth, "**");
    } else if (named(n, "code") || named(n, "kbd") || named(n, "tt")) {
        code_span(n, sb);
    } else if (named(n, "a")) {
        link(n, sb, depth);
    } else if (is_block(n)) {
        /* A block inside inline content (a <p> in an <a>): its text. */
        if (!at_line_start(sb) && sb->buf[sb->len - 1] != ' ')
            strbuf_addch(sb, ' ');
        inline_children(n, sb, depth);
    } else {
        inline_children(n, sb, depth);
    }
}

/* True when 'md' starts with a list item's marker. */
static bool starts_list(const char *md)
{
    size_t digits = strspn(md, "0123456789");

    return !strncmp(md, "- ", 2) ||
           (digits && md[digits] == '.' && md[digits + 1] == ' ');
}

/*
 * Appends block 'b' to 'out' after a blank line; 'tight' (in a list
 * item) puts a list right under the text before it, so that the list
 * stays tight.
 */
static void add_block(struct strbuf *out, struct strbuf *b, bool tight)
{
    trim_end(b);
    if (!b->len)
        return;
    if (out->len)
        strbuf_addstr(out, tight && starts_list(b->buf) ? "\n" : "\n\n");
    strbuf_add(out, b->buf, b->len);
    strbuf_reset(b);
}

/* Appends 'text' to 'out' with 'first' before its first line, 'rest'
 * before the others (empty lines get 'rest' without its trailing
 * spaces). */
static void add_prefixed(struct strbuf *out, const char *text,
                         const char *first, const char *rest)
{
    const char *p = text;
    bool start = true;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *pre = start ? first : rest;

        if (n)
            strbuf_addstr(out, pre);
        else
            strbuf_add(out, pre, strcspn(pre, " "));
        strbuf_add(out, p, n);
        if (!nl)
            break;
        strbuf_addch(out, '\n');
        p = nl + 1;
        start = false;
    }
}

static void render_list(const xmlNode *n, struct strbuf *out, int depth)
{
    bool ordered = named(n, "ol");
    xmlChar *start_attr = xmlGetProp(n, (const xmlChar *)"start");
    long number = start_attr ? strtol((const char *)start_attr, NULL, 10) : 1;
    struct strbuf item = STRBUF_INIT;

    xmlFree(start_attr);
    if (number < 0 || number > 999999999)
        number = 1;
    for (const xmlNode *k = n->children; k; k = k->next) {
        char marker[24], indent[24];     /* "%ld. " of any long */

        if (k->type != XML_ELEMENT_NODE)
            continue;
        render_blocks(named(k, "li") ? k->children : k, &item, depth + 1,
                      true);
        if (!item.len)
            continue;
        if (ordered)
            snprintf(marker, sizeof(marker), "%ld. ", number++);
        else
            snprintf(marker, sizeof(marker), "- ");
        memset(indent, ' ', strlen(marker));
        indent[strlen(marker)] = '\0';
        if (out->len && out->buf[out->len - 1] != '\n')
            strbuf_addch(out, '\n');
        add_prefixed(out, item.buf, marker, indent);
        strbuf_reset(&item);
    }
    strbuf_release(&item);
}

/* <pre>: a fenced code block, its text as it is. */
static void render_pre(const xmlNode *n, struct strbuf *out)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = c ? (const char *)c : "";
    size_t run = 0, longest = 2;

    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    if (*s == '\n')
        s++;
    for (size_t i = 0; i <= longest; i++)
        strbuf_addch(out, '`');
    strbuf_addch(out, '\n');
    strbuf_addstr(out, s);
    if (!*s || s[strlen(s) - 1] != '\n')
        strbuf_addch(out, '\n');
    for (size_t i = 0; i <= longest; i++)
        strbuf_addch(out, '`');
    xmlFree(c);
}

/* A table as text: one line per row, its cells separated by " | ". */
static void render_table(const xmlNode *n, struct strbuf *out, int depth)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (!named(k, "tr")) {
            if (depth < MAX_DEPTH)
                render_table(k, out, depth + 1);   /* thead, tbody */
            continue;
        }
        {
            struct strbuf row = STRBUF_INIT;

            for (const xmlNode *c = k->children; c; c = c->next) {
                struct strbuf cell = STRBUF_INIT;

                if (c->type != XML_ELEMENT_NODE)
                    continue;
                inline_children(c, &cell, depth + 1);
                trim_end(&cell);
                if (cell.len) {
                    if (row.len)
                        strbuf_addstr(&row, " \\| ");
                    strbuf_add(&row, cell.buf, cell.len);
                }
                strbuf_release(&cell);
            }
            if (row.len) {
                if (out->len)
                    strbuf_addstr(out, "\\\n");
                strbuf_add(out, row.buf, row.len);
            }
            strbuf_release(&row);
        }
    }
}

/*
 * Renders the nodes from 'first' on as Markdown blocks into 'out': runs
 * of inline content become paragraphs. 'tight' separates blocks by a
 * line break instead of a blank line (inside list items).
 */
static void render_blocks(const xmlNode *first, struct strbuf *out,
                          int depth, bool tight)
{
    struct strbuf para = STRBUF_INIT, b = STRBUF_INIT;

    for (const xmlNode *n = first; n; n = n->next) {
        if (!is_block(n) || depth > MAX_DEPTH) {
            render_inline(n, &para, depth);
            continue;
        }
        add_block(out, &para, tight);
        if (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' &&
            !n->name[2]) {
            for (int i = 0; i < n->name[1] - '0'; i++)
                strbuf_addch(&b, '#');
            strbuf_addch(&b, ' ');
            inline_children(n, &b, depth);
            trim_end(&b);
            for (size_t i = 0; i < b.len; i++)
                if (b.buf[i] == '\n')
                    b.buf[i] = ' ';   /* a heading is one line */
            if (b.len <= (size_t)(n->name[1] - '0') + 1)
                strbuf_reset(&b);
        } else if (named(n, "ul") || named(n, "ol")) {
            render_list(n, &b, depth);
        } else if (named(n, "blockquote")) {
            struct strbuf in = STRBUF_INIT;

            render_blocks(n->children, &in, depth + 1, false);
            trim_end(&in);
            if (in.len)
                add_prefixed(&b, in.buf, "> ", "> ");
            strbuf_release(&in);
        } else if (named(n, "pre")) {
            render_pre(n, &b);
        } else if (named(n, "table")) {
            render_table(n, &b, depth);
        } else if (named(n, "hr")) {
            strbuf_addstr(&b, "* * *");
        } else {
            render_blocks(n->children, &b, depth + 1, tight);
        }
        add_block(out, &b, tight);
    }
    add_block(out, &para, tight);
    strbuf_release(&para);
    strbuf_release(&b);
}

/* Plain text (no '<'): paragraphs at blank lines, lines kept. */
static void plain_to_markdown(const char *s, size_t len, struct strbuf *md)
{
    struct strbuf para = STRBUF_INIT;
    const char *end = s + len;

    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        char *line = xstrndup(s, n);
        bool blank = strspn(line, " \t\r") == n;

        if (blank) {
            add_block(md, &para, false);
        } else {
            if (para.len)
                strbuf_addstr(&para, "\\\n");
            add_text(&para, line);
            trim_end(&para);
        }
        free(line);
        s += n + (nl != NULL);
    }
    add_block(md, &para, false);
    strbuf_release(&para);
}

static htmlDocPtr parse_html(const char *html, size_t len)
{
    if (len > INT32_MAX)
        return NULL;
    return htmlReadMemory(html, (int)len, NULL, "UTF-8",
                          HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                          HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
}

void html_to_markdown(const char *html, size_t len, struct strbuf *md)
{
    htmlDocPtr doc;
    const xmlNode *root;

    if (!memchr(html, '<', len)) {
        plain_to_markdown(html, len, md);
        return;
    }
    if (!(doc = parse_html(html, len)))
        return;
    root = xmlDocGetRootElement(doc);
    if (root)
        render_blocks(root, md, 0, false);
    xmlFreeDoc(doc);
}

static void text_of(const xmlNode *n, struct strbuf *sb, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            strbuf_addstr(sb, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && !named_any(n, dropped)) {
            strbuf_addch(sb, ' ');
            if (depth < 4 * MAX_DEPTH)
                text_of(n->children, sb, depth + 1);
            strbuf_addch(sb, ' ');
        }
    }
}

void html_text(const char *html, size_t len, struct strbuf *text)
{
    htmlDocPtr doc;

    if (!memchr(html, '<', len)) {
        strbuf_add(text, html, len);
        return;
    }
    if (!(doc = parse_html(html, len)))
        return;
    text_of(xmlDocGetRootElement(doc), text, 0);
    xmlFreeDoc(doc);
}
