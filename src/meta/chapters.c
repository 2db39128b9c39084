/*
 * Chapters written by the producer: a list in the front matter
 * ("- 12:34 Milas vertelt") or a Podcast Index JSON chapters file. JSON is
 * read with the YAML parser (JSON is YAML's flow style), which keeps line
 * and column numbers for messages and needs no JSON library.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "podpub/strbuf.h"

/* Reads digits and an optional fraction into milliseconds. */
static int seconds_ms(const char **p, int64_t *ms, bool fraction_ok)
{
    int64_t v = 0;
    int digits = 0;

    while (isdigit((unsigned char)**p) && digits < 12) {
        v = v * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    if (!digits)
        return -1;
    *ms = v * 1000;
    if (**p == '.' && fraction_ok) {
        int64_t scale = 100;

        (*p)++;
        if (!isdigit((unsigned char)**p))
            return -1;
        for (; isdigit((unsigned char)**p); (*p)++, scale /= 10)
            *ms += (**p - '0') * scale;
    }
    return 0;
}

int chapter_time_parse(const char *s, int64_t *ms)
{
    int64_t part[3];
    int n = 0;
    const char *p = s;

    for (;;) {
        const char *start = p;

        if (n == 3)
            return -1;
        if (seconds_ms(&p, &part[n], true) < 0)
            return -1;
        if (n > 0 && p - start < 2)
            return -1;          /* "1:2" is not a time: want "1:02" */
        n++;
        if (*p != ':')
            break;
        if (memchr(start, '.', (size_t)(p - start)))
            return -1;          /* fractions only on the seconds */
        p++;
    }
    if (*p)
        return -1;
    if (n == 1) {
        *ms = part[0];
        return 0;
    }
    /* The last part holds seconds, the others whole minutes and hours. */
    if (part[n - 1] >= 60000 || (n == 3 && part[1] >= 60000))
        return -1;
    *ms = part[n - 1] + part[n - 2] / 1000 * 60000 +
          (n == 3 ? part[0] / 1000 * 3600000 : 0);
    return 0;
}

void episode_clear_chapters(struct episode *ep)
{
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        free(ep->chapters[i].title);
        free(ep->chapters[i].url);
        free(ep->chapters[i].img);
    }
    FREE_AND_NULL(ep->chapters);
    ep->chapters_nr = 0;
}

static struct chapter *chapter_add(struct episode *ep, size_t max)
{
    if (!ep->chapters)
        ep->chapters = xcalloc(max ? max : 1, sizeof(*ep->chapters));
    return &ep->chapters[ep->chapters_nr++];
}

/* The front matter's "chapters:" list of "MM:SS Title" lines. */
int chapters_parse_list(struct episode *ep, const struct ynode *list)
{
    int ret = 0;

    for (size_t i = 0; i < list->nr; i++) {
        const struct ynode *it = list->items[i];
        const char *sp;
        char *time;
        int64_t ms;
        struct chapter *c;

        if (it->type != YNODE_SCALAR) {
            ret = input_error(&it->pos, "chapters", "want \"MM:SS Title\", "
                              "got %s", ytree_kind(it));
            continue;
        }
        if (meta_check_text(it, "chapters") < 0) {
            ret = PP_ERR_INPUT;
            continue;
        }
        sp = it->value + strcspn(it->value, " \t");
        time = xstrndup(it->value, (size_t)(sp - it->value));
        while (*sp == ' ' || *sp == '\t')
            sp++;
        if (chapter_time_parse(time, &ms) < 0 || !*sp) {
            ret = input_error(&it->pos, "chapters", "\"%.60s\" is not "
                              "\"MM:SS Title\" or \"H:MM:SS Title\"",
                              it->value);
            free(time);
            continue;
        }
        free(time);
        c = chapter_add(ep, list->nr);
        c->start_ms = ms;
        c->title = xstrdup(sp);
        c->pos = it->pos;
    }
    return ret;
}

/* A JSON number as milliseconds (plain scalars only, no exponent). */
static int json_seconds(const struct ynode *n, int64_t *ms)
{
    const char *p = n->value;

    if (n->type != YNODE_SCALAR || !n->plain)
        return -1;
    if (seconds_ms(&p, ms, true) < 0 || *p)
        return -1;
    return 0;
}

static char *json_text(const struct ynode *obj, const char *key)
{
    const struct ynode *n = ytree_get(obj, key);

    if (!n || n->type != YNODE_SCALAR || ytree_is_null(n) ||
        meta_check_text(n, key) < 0)
        return NULL;
    return xstrdup(n->value);
}

int episode_load_chapters(struct episode *ep, int fd)
{
    struct strbuf sb = STRBUF_INIT;
    struct ynode *root = NULL;
    const struct ynode *list;
    int ret;

    episode_clear_chapters(ep);
    if ((ret = strbuf_read_fd(&sb, fd, ep->chapters_path, 8u << 20)) < 0) {
        input_error_count++;
        goto out;
    }
    if ((ret = meta_check_bytes(ep->chapters_path, sb.buf, sb.len, 1,
                                "chapters")) < 0 ||
        (ret = ytree_load(ep->chapters_path, sb.buf, sb.len, 0, &root)) < 0)
        goto out;
    list = ytree_get(root, "chapters");
    if (!root || root->type != YNODE_MAP || !list || list->type != YNODE_SEQ) {
        struct srcpos pos = { ep->chapters_path, 1, 1 };

        ret = input_error(root ? &root->pos : &pos, "chapters", "want a "
                          "Podcast Index chapters file: {\"version\": "
                          "\"1.2.0\", \"chapters\": [...]}");
        goto out;
    }
    for (size_t i = 0; i < list->nr; i++) {
        const struct ynode *obj = list->items[i];
        const struct ynode *st = ytree_get(obj, "startTime");
        struct chapter *c;
        int64_t ms;

        if (obj->type != YNODE_MAP || !st || json_seconds(st, &ms) < 0) {
            ret = input_error(&obj->pos, "chapters", "chapter %zu has no "
                              "\"startTime\" in seconds", i + 1);
            continue;
        }
        c = chapter_add(ep, list->nr);
        c->start_ms = ms;
        c->title = json_text(obj, "title");
        c->url = json_text(obj, "url");
        c->img = json_text(obj, "img");
        c->pos = st->pos;
        if (!c->title)
            c->title = xstrdup("");
    }
out:
    ytree_free(root);
    strbuf_release(&sb);
    return ret;
}
