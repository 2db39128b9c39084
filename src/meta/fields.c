/*
 * Typed field access for podcast.yaml and episode front matter. podpub
 * types values itself instead of trusting YAML 1.1's resolver, so "no" is
 * never silently false and "1.10" never the number 1.1: booleans are only
 * unquoted true/false, numbers only unquoted decimal integers, and text
 * is whatever was written.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

int meta_check_keys(const struct ynode *map, const char *const *known,
                    const char *prefix)
{
    int ret = 0;

    for (size_t i = 0; i + 1 < map->nr; i += 2) {
        const struct ynode *key = map->items[i];
        const char *const *k;
        const char *near;

        for (k = known; *k; k++)
            if (!strcmp(*k, key->value))
                break;
        if (*k)
            continue;
        near = nearest_word(key->value, known);
        if (near)
            ret = input_error(&key->pos, NULL,
                              "unknown field '%s%s' (did you mean '%s%s'?)",
                              prefix, key->value, prefix, near);
        else
            ret = input_error(&key->pos, NULL, "unknown field '%s%s'",
                              prefix, key->value);
    }
    return ret;
}

bool meta_misspelt(const struct ynode *map, const char *name)
{
    const char *base = strrchr(name, '.');
    const char *one[2] = { NULL, NULL };

    one[0] = base ? base + 1 : name;   /* "owner.email" -> "email" */
    for (size_t i = 0; i + 1 < map->nr; i += 2)
        if (strcmp(map->items[i]->value, one[0]) &&
            nearest_word(map->items[i]->value, one))
            return true;
    return false;
}

int meta_missing(const struct ynode *map, const char *name)
{
    /* "titel:" was already reported as "did you mean 'title'?". */
    if (meta_misspelt(map, name))
        return PP_ERR_INPUT;
    return input_error(&map->pos, name, "missing (required)");
}

#define KEY_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* The key that starts the line at 'p' after its indent ("  name: x"). */
static size_t line_key(const char *p, const char **key, size_t *indent)
{
    size_t n;

    *indent = strspn(p, " ");
    p += *indent;
    if (*p == '-' && p[1] == ' ')   /* a list item: "- key: value" */
        p += 2;
    n = strspn(p, KEY_CHARS);
    *key = p;
    return n && p[n] == ':' ? n : 0;
}

/* Prepends "key." to 'out' (of 'size' bytes) if it fits. */
static void prepend_key(char *out, size_t size, const char *key, size_t n)
{
    size_t have = strlen(out);

    if (have + n + 2 > size)
        return;
    memmove(out + n + (have ? 1 : 0), out, have + 1);
    memcpy(out, key, n);
    if (have)
        out[n] = '.';
}

/*
 * The dotted name of the YAML field that byte 'bad' (on the line starting
 * at 'line', in text starting at 'text') belongs to: the key on its line
 * (and a key inside a flow mapping before it), or for a continuation line
 * (a block scalar) the key above it; then the parents above with less
 * indent. A heuristic for messages, not a parser: false when unsure.
 */
static bool yaml_field_at(const char *text, const char *line, const char *bad,
                          char *out, size_t size)
{
    const char *key, *p;
    size_t n, indent, want;

    out[0] = '\0';
    n = line_key(line, &key, &indent);
    /* Inside a flow mapping on this line: "owner: {name: ..., email: ...}". */
    if (n && memchr(line, '{', (size_t)(bad - line))) {
        const char *inner = NULL;
        size_t inner_n = 0;

        for (p = memchr(line, '{', (size_t)(bad - line)); p < bad; p++) {
            size_t k = strspn(p, KEY_CHARS);

            if (k && p[k] == ':' && strchr("{, ", p[-1])) {
                inner = p;
                inner_n = k;
            }
            if (k)
                p += k - 1;
        }
        if (inner)
            prepend_key(out, size, inner, inner_n);
    }
    if (n) {
        prepend_key(out, size, key, n);
        want = indent;
    } else {
        want = strspn(line, " ");   /* a continuation: its key is above */
    }
    /* Walk up: each line with less indent and a key is a parent. */
    for (p = line; p > text; ) {
        const char *prev = p - 1;

        while (prev > text && prev[-1] != '\n')
            prev--;
        p = prev;
        if (strspn(p, " \n") == (size_t)(strchr(p, '\n') ?
                                         strchr(p, '\n') - p + 1 : 0))
            continue;   /* blank line */
        n = line_key(p, &key, &indent);
        if (n && indent < want) {
            prepend_key(out, size, key, n);
            want = indent;
            if (!indent)
                break;
        } else if (!n && strspn(p, " ") < want) {
            break;   /* something that is not a key: stop guessing */
        }
    }
    return out[0] != '\0';
}

int meta_check_bytes(const char *file, const char *s, size_t len,
                     int first_line, const char *field)
{
    struct srcpos pos = { file, first_line, 1 };
    const char *line_start = s, *why;
    char key[96];
    size_t off;
    unsigned char c;

    if (utf8_check_xml(s, len, &off, &why) == 0)
        return 0;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            pos.line++;
            pos.col = 1;
            line_start = s + i + 1;
        } else if (((unsigned char)s[i] & 0xc0) != 0x80) {
            pos.col++;
        }
    }
    /* In YAML, name the field the byte belongs to ("owner.name"). */
    if (!field && yaml_field_at(s, line_start, s + off, key, sizeof(key)))
        field = key;
    c = (unsigned char)s[off];
    if (!strcmp(why, "invalid UTF-8"))
        return input_error(&pos, field, "invalid UTF-8 (byte 0x%02x)", c);
    if (c == 0)
        return input_error(&pos, field, "contains a NUL byte (not a text "
                           "file?)");
    if (c == 0xc2)
        return input_error(&pos, field, "contains a control character "
                           "(U+%04X)", (unsigned char)s[off + 1]);
    if (c == 0xef)
        return input_error(&pos, field, "contains a non-character (U+FFFE "
                           "or U+FFFF)");
    return input_error(&pos, field, "contains a control character (U+%04X)",
                       c);
}

int meta_check_text(const struct ynode *node, const char *name)
{
    size_t off;
    const char *why;

    if (utf8_check_xml(node->value, node->len, &off, &why) < 0) {
        unsigned char c = (unsigned char)node->value[off];

        if (!strcmp(why, "invalid UTF-8"))
            return input_error(&node->pos, name,
                               "invalid UTF-8 (byte 0x%02x at offset %zu)", c,
                               off);
        if (c == 0xc2)   /* a C1 control, U+0080 to U+009F */
            return input_error(&node->pos, name,
                               "contains a control character (U+%04X)",
                               (unsigned char)node->value[off + 1]);
        if (c == 0xef)
            return input_error(&node->pos, name,
                               "contains a non-character (U+FFFE or U+FFFF)");
        return input_error(&node->pos, name,
                           "contains a control character (U+%04X)", c);
    }
    return 0;
}

/* Looks up 'key'; NULL (not an error) when absent or null. */
static const struct ynode *lookup(const struct ynode *map, const char *key)
{
    const struct ynode *n = ytree_get(map, key);

    return n && !ytree_is_null(n) ? n : NULL;
}

int meta_text(const struct ynode *map, const char *key, const char *name,
              bool required, struct text *out)
{
    const struct ynode *n = lookup(map, key);
    size_t len;
    int ret;

    if (!n) {
        const struct ynode *raw = ytree_get(map, key);

        if (raw && required)
            return input_error(&raw->pos, name, "is empty");
        return required ? meta_missing(map, name) : 0;
    }
    if (n->type != YNODE_SCALAR)
        return input_error(&n->pos, name, "want text, got %s", ytree_kind(n));
    if ((ret = meta_check_text(n, name)) < 0)
        return ret;
    if (!n->len || strspn(n->value, " \t\n") == n->len) {
        if (required)
            return input_error(&n->pos, name, "is empty");
        return 0;
    }
    /* A block scalar ("description: |") ends in a newline: not content. */
    len = n->len;
    while (len && n->value[len - 1] == '\n')
        len--;
    out->s = xstrndup(n->value, len);
    out->pos = n->pos;
    return 0;
}

int meta_flag(const struct ynode *map, const char *key, const char *name,
              bool required, struct flag *out)
{
    const struct ynode *n = lookup(map, key);

    if (!n)
        return required ? meta_missing(map, name) : 0;
    if (n->type != YNODE_SCALAR)
        return input_error(&n->pos, name, "want true or false, got %s",
                           ytree_kind(n));
    if (n->plain && !strcmp(n->value, "true"))
        out->v = true;
    else if (n->plain && !strcmp(n->value, "false"))
        out->v = false;
    else if (!strcmp(n->value, "true") || !strcmp(n->value, "false"))
        return input_error(&n->pos, name, "\"%s\" is quoted text, not "
                           "true or false (write it without quotes)",
                           n->value);
    else
        return input_error(&n->pos, name,
                           "\"%.40s\" is not true or false", n->value);
    out->set = true;
    out->pos = n->pos;
    return 0;
}

int meta_number(const struct ynode *map, const char *key, const char *name,
                long long min, long long max, struct number *out)
{
    const struct ynode *n = lookup(map, key);
    const char *p;
    char *end;
    long long v;

    if (!n)
        return 0;
    if (n->type != YNODE_SCALAR)
        return input_error(&n->pos, name, "want a whole number, got %s",
                           ytree_kind(n));
    p = n->value;
    if (*p == '+' || *p == '-')
        p++;
    if (!n->plain && *p && strspn(p, "0123456789") == strlen(p))
        return input_error(&n->pos, name, "\"%.40s\" is quoted text, not a "
                           "number (write it without quotes)", n->value);
    if (!n->plain || !*p || strspn(p, "0123456789") != strlen(p))
        return input_error(&n->pos, name, "\"%.40s\" is not a whole number",
                           n->value);
    errno = 0;
    v = strtoll(n->value, &end, 10);
    if (errno == ERANGE || v < min || v > max)
        return input_error(&n->pos, name, "%.40s is out of range (%lld to %lld)",
                           n->value, min, max);
    out->v = v;
    out->set = true;
    out->pos = n->pos;
    return 0;
}

int meta_decimal(const struct ynode *map, const char *key, const char *name,
                 double min, double max, double *out)
{
    const struct ynode *n = lookup(map, key);
    const char *p;
    size_t digits;
    char *end;
    double v;

    if (!n)
        return 0;
    if (n->type != YNODE_SCALAR)
        return input_error(&n->pos, name, "want a number, got %s",
                           ytree_kind(n));
    /* Plain decimals only: no exponent, hexadecimal, inf or nan. */
    p = n->value + (*n->value == '-' || *n->value == '+');
    digits = strspn(p, "0123456789");
    if (digits && p[digits] == '.')
        digits += 1 + strspn(p + digits + 1, "0123456789");
    if (!n->plain || !*p || !isdigit((unsigned char)*p) || p[digits])
        return input_error(&n->pos, name, "\"%.40s\" is not a number",
                           n->value);
    v = strtod(n->value, &end);
    if (v < min || v > max)
        return input_error(&n->pos, name, "%.40s is out of range (%g to %g)",
                           n->value, min, max);
    *out = v;
    return 0;
}

/* True for an absolute http(s) URL with a host and no spaces. */
static bool url_ok(const char *u)
{
    const char *host;

    if (starts_with(u, "https://"))
        host = u + 8;
    else if (starts_with(u, "http://"))
        host = u + 7;
    else
        return false;
    return *host && *host != '/' && !strpbrk(u, " \t\n\"<>\\^`{|}");
}

int meta_check_url(const struct text *t, const char *name)
{
    char *shown;
    int ret;

    if (!t->s || url_ok(t->s))
        return 0;
    /* One line per error: a line break in the value is shown as \n. */
    shown = printable(t->s, 80);
    ret = input_error(&t->pos, name, "\"%s\" is not an absolute http(s) "
                      "URL", shown);
    free(shown);
    return ret;
}

/* A relative path inside the folder it is relative to: no "..", no "/". */
bool meta_rel_path_ok(const char *p)
{
    const char *s = p;

    if (!*p || *p == '/' || strstr(p, "://"))
        return false;
    while (*s) {
        size_t n = strcspn(s, "/");

        if ((n == 2 && !strncmp(s, "..", 2)) || n == 0)
            return false;
        s += n;
        if (*s == '/')
            s++;
    }
    return p[strlen(p) - 1] != '/';
}

int meta_check_rel_path(const struct text *t, const char *name,
                        const char *dir)
{
    if (t->s && !meta_rel_path_ok(t->s))
        return input_error(&t->pos, name,
                           "\"%.80s\" must be a file name relative to %s/ "
                           "(no '..', no absolute path)", t->s, dir);
    return 0;
}
