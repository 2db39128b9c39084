/*
 * Builds a struct ynode tree from libyaml events. The event API rather than
 * libyaml's document loader lets podpub refuse aliases (the "billion laughs"
 * expansion), bound the nesting depth and report duplicate keys with both
 * positions, none of which the document loader does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "podpub/yamltree.h"

static struct ynode *node_new(enum ynode_type type, const char *file,
                              const yaml_mark_t *mark, int line_offset)
{
    struct ynode *n = xcalloc(1, sizeof(*n));

    n->type = type;
    n->pos.file = file;
    n->pos.line = (int)mark->line + 1 + line_offset;
    n->pos.col = (int)mark->column + 1;
    return n;
}

void ytree_free(struct ynode *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->nr; i++)
        ytree_free(node->items[i]);
    free(node->items);
    free(node->value);
    free(node);
}

static void node_push(struct ynode *parent, struct ynode *child)
{
    ALLOC_GROW(parent->items, parent->nr + 1, parent->alloc);
    parent->items[parent->nr++] = child;
}

struct ynode *ytree_get(const struct ynode *map, const char *key)
{
    if (!map || map->type != YNODE_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->nr; i += 2)
        if (!strcmp(map->items[i]->value, key))
            return map->items[i + 1];
    return NULL;
}

bool ytree_is_null(const struct ynode *node)
{
    return node->type == YNODE_SCALAR && node->plain &&
           (!node->len || !strcmp(node->value, "~") ||
            !strcmp(node->value, "null") || !strcmp(node->value, "Null") ||
            !strcmp(node->value, "NULL"));
}

const char *ytree_kind(const struct ynode *node)
{
    switch (node->type) {
    case YNODE_MAP: return "a mapping";
    case YNODE_SEQ: return "a list";
    default:        return "a string";
    }
}

/*
 * The keys of one open mapping, to find a duplicate in constant time: an
 * open-addressing table of indexes into map->items, made when the map
 * passes a few keys (a manifest or a chapter list may have hundreds of
 * thousands, and comparing each new key with all before it is quadratic).
 */
struct keyset {
    size_t *slots;      /* item index + 1; 0 is empty */
    size_t cap, nr;
};

#define KEYSET_FROM 8   /* below this many keys, a linear scan is faster */

static uint64_t key_hash(const struct ynode *k)
{
    uint64_t h = 1469598103934665603u;   /* FNV-1a */

    for (size_t i = 0; i < k->len; i++)
        h = (h ^ (unsigned char)k->value[i]) * 1099511628211u;
    return h;
}

static bool same_key(const struct ynode *a, const struct ynode *b)
{
    return a->len == b->len && !memcmp(a->value, b->value, a->len);
}

/*
 * Adds key item 'idx' of 'map' to 'set'. Returns the index of an equal
 * key already there, or (size_t)-1.
 */
static size_t keyset_add(struct keyset *set, const struct ynode *map,
                         size_t idx)
{
    const struct ynode *key = map->items[idx];
    size_t i;

    if (2 * (set->nr + 1) > set->cap) {
        struct keyset bigger = { NULL, set->cap ? 2 * set->cap : 64, 0 };

        bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
        for (size_t k = 0; k < set->cap; k++)
            if (set->slots[k])
                keyset_add(&bigger, map, set->slots[k] - 1);
        free(set->slots);
        *set = bigger;
    }
    for (i = key_hash(key) & (set->cap - 1); set->slots[i];
         i = (i + 1) & (set->cap - 1))
        if (same_key(map->items[set->slots[i] - 1], key))
            return set->slots[i] - 1;
    set->slots[i] = idx + 1;
    set->nr++;
    return (size_t)-1;
}

static void keyset_release(struct keyset *set)
{
    free(set->slots);
    memset(set, 0, sizeof(*set));
}

/* Checks that the key just added to 'map' (its last key) is new. */
static int check_duplicate_key(const struct ynode *map, struct keyset *set)
{
    size_t last = map->nr - 1, first = (size_t)-1;
    const struct ynode *key = map->items[last];

    if (map->nr / 2 < KEYSET_FROM) {
        for (size_t i = 0; i + 1 < map->nr && first == (size_t)-1; i += 2)
            if (same_key(map->items[i], key))
                first = i;
    } else {
        if (!set->cap)   /* the keys so far, then this one */
            for (size_t i = 0; i + 1 < map->nr; i += 2)
                keyset_add(set, map, i);
        first = keyset_add(set, map, last);
    }
    if (first != (size_t)-1)
        return input_error(&key->pos, key->value,
                           "duplicate key (first at line %d)",
                           map->items[first]->pos.line);
    return 0;
}

/* True when line 'line' (0-based) of 'buf' starts its indent with a tab. */
static bool tab_indented(const char *buf, size_t len, size_t line)
{
    const char *p = buf, *end = buf + len;

    while (line && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (!nl)
            return false;
        p = nl + 1;
        line--;
    }
    while (p < end && *p == ' ')
        p++;
    return p < end && *p == '\t';
}

int ytree_load(const char *file, const char *buf, size_t len, int line_offset,
               struct ynode **root)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct ynode *stack[YAML_MAX_DEPTH + 1];
    struct keyset keys[YAML_MAX_DEPTH + 1];
    int depth = 0, ret = 0, docs = 0;
    bool done = false;

    *root = NULL;
    memset(keys, 0, sizeof(keys));
    if (!yaml_parser_initialize(&parser))
        die("cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (!done) {
        struct ynode *n = NULL;

        if (!yaml_parser_parse(&parser, &ev)) {
            struct srcpos pos = {
                file, (int)parser.problem_mark.line + 1 + line_offset,
                (int)parser.problem_mark.column + 1,
            };

            if (tab_indented(buf, len, parser.problem_mark.line))
                ret = input_error(&pos, NULL, "invalid YAML: a tab indents "
                                  "this line (YAML indents with spaces "
                                  "only)");
            else
                ret = input_error(&pos, NULL, "invalid YAML: %s%s%s",
                                  parser.problem ? parser.problem :
                                  "syntax error", parser.context ? " " : "",
                                  parser.context ? parser.context : "");
            goto out;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                struct srcpos pos = { file, (int)ev.start_mark.line + 1 +
                                      line_offset, (int)ev.start_mark.column + 1 };

                ret = input_error(&pos, NULL,
                                  "more than one YAML document ('---' inside)");
                yaml_event_delete(&ev);
                goto out;
            }
            break;
        case YAML_ALIAS_EVENT: {
            struct srcpos pos = { file, (int)ev.start_mark.line + 1 +
                                  line_offset, (int)ev.start_mark.column + 1 };

            ret = input_error(&pos, NULL,
                              "YAML aliases (*%s) are not supported",
                              (const char *)ev.data.alias.anchor);
            yaml_event_delete(&ev);
            goto out;
        }
        case YAML_SCALAR_EVENT:
            n = node_new(YNODE_SCALAR, file, &ev.start_mark, line_offset);
            n->value = xstrndup((const char *)ev.data.scalar.value,
                                ev.data.scalar.length);
            n->len = ev.data.scalar.length;
            n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            n = node_new(ev.type == YAML_MAPPING_START_EVENT ? YNODE_MAP :
                         YNODE_SEQ, file, &ev.start_mark, line_offset);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth == 0)
                die("unbalanced YAML events");   /* libyaml balances them */
            n = stack[--depth];
            keyset_release(&keys[depth]);
            break;
        default:
            break;
        }
        if (n && (ev.type == YAML_SEQUENCE_START_EVENT ||
                  ev.type == YAML_MAPPING_START_EVENT)) {
            if (depth == YAML_MAX_DEPTH) {
                ret = input_error(&n->pos, NULL,
                                  "YAML nested deeper than %d levels",
                                  YAML_MAX_DEPTH);
                ytree_free(n);
                yaml_event_delete(&ev);
                goto out;
            }
            stack[depth++] = n;
            n = NULL;   /* attached to its parent when it ends */
        }
        if (n) {
            struct ynode *parent = depth ? stack[depth - 1] : NULL;

            if (!parent) {
                *root = n;
            } else if (parent->type == YNODE_MAP && parent->nr % 2 == 0 &&
                       n->type != YNODE_SCALAR) {
                ret = input_error(&n->pos, NULL, "a key must be a plain word");
                ytree_free(n);
                yaml_event_delete(&ev);
                goto out;
            } else {
                node_push(parent, n);
                if (parent->type == YNODE_MAP && parent->nr % 2 == 1 &&
                    (ret = check_duplicate_key(parent,
                                               &keys[depth - 1])) < 0) {
                    yaml_event_delete(&ev);
                    goto out;
                }
            }
        }
        yaml_event_delete(&ev);
    }
out:
    /*
     * On failure, free the partial tree: open collections are attached to
     * their parent only when they end, so each one on the stack is separate.
     */
    if (ret < 0) {
        for (int i = 0; i < depth; i++) {
            ytree_free(stack[i]);
            keyset_release(&keys[i]);
        }
        ytree_free(*root);
        *root = NULL;
    }
    yaml_parser_delete(&parser);
    return ret;
}

void ytree_add_quoted(struct strbuf *sb, const char *s)
{
    strbuf_addch(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            strbuf_addf(sb, "\\%c", c);
        else if (c == '\n')
            strbuf_addstr(sb, "\\n");
        else if (c == '\t')
            strbuf_addstr(sb, "\\t");
        else if (c == '\r')
            strbuf_addstr(sb, "\\r");
        else if (c < 0x20 || c == 0x7f)
            strbuf_addf(sb, "\\x%02x", c);
        else
            strbuf_addch(sb, (char)c);
    }
    strbuf_addch(sb, '"');
}
