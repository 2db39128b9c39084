/*
 * Show notes: Markdown rendered by cmark into HTML (safe mode, so raw HTML
 * and javascript: links are dropped) and into plain text for fields that
 * take no markup. The plain text is produced by walking cmark's tree.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "podpub/meta.h"
#include "podpub/strbuf.h"

/* Appends a paragraph break unless the text is empty or already ends so. */
static void block_break(struct strbuf *sb)
{
    strbuf_rtrim(sb);
    if (sb->len)
        strbuf_addstr(sb, "\n\n");
}

/* The number an ordered-list item shows: the list's start plus its index. */
static int item_number(cmark_node *item)
{
    int n = cmark_node_get_list_start(cmark_node_parent(item));

    for (cmark_node *p = cmark_node_previous(item); p;
         p = cmark_node_previous(p))
        n++;
    return n;
}

static void render_text(cmark_node *root, struct strbuf *sb)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(n);
        const char *lit;

        switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            if ((lit = cmark_node_get_literal(n)))
                strbuf_addstr(sb, lit);
            break;
        case CMARK_NODE_CODE_BLOCK:
            block_break(sb);
            if ((lit = cmark_node_get_literal(n)))
                strbuf_addstr(sb, lit);
            block_break(sb);
            break;
        case CMARK_NODE_SOFTBREAK:
            strbuf_addch(sb, ' ');
            break;
        case CMARK_NODE_LINEBREAK:
            strbuf_addch(sb, '\n');
            break;
        case CMARK_NODE_ITEM:
            if (ev == CMARK_EVENT_ENTER) {
                cmark_node *list = cmark_node_parent(n);

                cmark_node *outer = cmark_node_parent(list);

                /* A list starts a block; its later items start a line. */
                if (!cmark_node_previous(n) && !(outer &&
                    cmark_node_get_type(outer) == CMARK_NODE_ITEM)) {
                    block_break(sb);
                } else {
                    strbuf_rtrim(sb);
                    if (sb->len)
                        strbuf_addch(sb, '\n');
                }
                if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST)
                    strbuf_addf(sb, "%d. ", item_number(n));
                else
                    strbuf_addstr(sb, "- ");
            }
            break;
        case CMARK_NODE_LINK:
            /* Keep the address of a link whose text is something else. */
            if (ev == CMARK_EVENT_EXIT) {
                const char *url = cmark_node_get_url(n);
                cmark_node *child = cmark_node_first_child(n);
                const char *text = child ? cmark_node_get_literal(child) : NULL;

                if (url && *url && (!text || strcmp(text, url)))
                    strbuf_addf(sb, " (%s)", url);
            }
            break;
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
        case CMARK_NODE_BLOCK_QUOTE:
        case CMARK_NODE_THEMATIC_BREAK:
        case CMARK_NODE_LIST:
            if (ev == CMARK_EVENT_EXIT || type == CMARK_NODE_THEMATIC_BREAK) {
                /* Paragraphs inside a list item stay on its line. */
                cmark_node *parent = cmark_node_parent(n);

                if (!(type == CMARK_NODE_PARAGRAPH && parent &&
                      cmark_node_get_type(parent) == CMARK_NODE_ITEM))
                    block_break(sb);
            }
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    strbuf_rtrim(sb);
}

void notes_render(struct notes *notes, const char *md, size_t len)
{
    cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
    struct strbuf text = STRBUF_INIT;
    char *html;
    size_t n;

    if (!doc)
        die("cmark could not parse the show notes");
    html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    /* cmark allocates with the default allocator, i.e. malloc(). */
    notes->html = xstrdup(html);
    cmark_get_default_mem_allocator()->free(html);
    n = strlen(notes->html);
    while (n && notes->html[n - 1] == '\n')
        notes->html[--n] = '\0';
    render_text(doc, &text);
    notes->text = strbuf_detach(&text, NULL);
    /*
     * Character references decode to any code point ("&#xF;" is U+000F):
     * those XML 1.0 forbids become U+FFFD, as cmark does for "&#0;".
     */
    xml_replace_illegal(&notes->html);
    xml_replace_illegal(&notes->text);
    cmark_node_free(doc);
}
