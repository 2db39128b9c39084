/*
 * What the files of src/stats share and nothing outside needs: the format
 * tables, field scanning for the text formats, and JSON access for the
 * JSON ones.
 */
#ifndef PODPUB_STATS_INTERNAL_H
#define PODPUB_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "podpub/stats.h"

extern const struct stats_format_ops stats_format_combined;
extern const struct stats_format_ops stats_format_s3;
extern const struct stats_format_ops stats_format_cloudfront;
extern const struct stats_format_ops stats_format_caddy;
extern const struct stats_format_ops stats_format_logpush;

/*
 * A space-separated token at '*p' (before 'end'): sets '*tok' and '*len'
 * and moves '*p' past it and one space. Returns -1 at the end of the line.
 */
static inline int stats_token(const char **p, const char *end,
                              const char **tok, size_t *len)
{
    const char *s = *p, *e;

    if (s >= end)
        return -1;
    e = memchr(s, ' ', (size_t)(end - s));
    if (!e)
        e = end;
    *tok = s;
    *len = (size_t)(e - s);
    *p = e < end ? e + 1 : end;
    return 0;
}

/*
 * A double-quoted field at '*p' ("..." with \" or \xNN escapes kept as
 * they are): '*s' and '*len' are its contents; '*p' moves past the quote
 * and one space. Returns -1 when '*p' is not at a quote or it is not
 * closed.
 */
static inline int stats_quoted(const char **p, const char *end,
                               const char **s, size_t *len)
{
    const char *q = *p + 1, *c;

    if (*p >= end || **p != '"')
        return -1;
    for (;;) {
        size_t bs = 0;

        c = memchr(q, '"', (size_t)(end - q));
        if (!c)
            return -1;
        while (c - bs > *p + 1 && c[-1 - (ptrdiff_t)bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            break;
        q = c + 1;
    }
    *s = *p + 1;
    *len = (size_t)(c - *s);
    *p = c + 1 < end && c[1] == ' ' ? c + 2 : c + 1;
    return 0;
}

/* A decimal number of 1 to 19 digits, or "-" (0). Returns 0 or -1. */
static inline int stats_number(const char *s, size_t len, uint64_t *v)
{
    uint64_t n = 0;

    if (len == 1 && s[0] == '-') {
        *v = 0;
        return 0;
    }
    if (len == 0 || len > 19)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = n * 10 + (uint64_t)(s[i] - '0');
    }
    *v = n;
    return 0;
}

/* The three-digit HTTP status in 's'; -1 when it is not one. */
static inline int stats_status(const char *s, size_t len)
{
    if (len != 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
        s[2] < '0' || s[2] > '9')
        return -1;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/*
 * "GET /path HTTP/1.1": the method and the target into 'req'. Anything
 * else ("-", the bytes a scanner sent) becomes a method that is not GET
 * and an empty target.
 */
static inline void stats_request_line(const char *s, size_t len,
                                      struct stats_req *req)
{
    const char *sp = memchr(s, ' ', len), *end = s + len, *sp2;

    req->method = s;
    req->method_len = len;
    req->path = s;
    req->path_len = 0;
    if (!sp || sp == s)
        return;
    req->method_len = (size_t)(sp - s);
    sp++;
    sp2 = memchr(sp, ' ', (size_t)(end - sp));
    req->path = sp;
    req->path_len = (size_t)((sp2 ? sp2 : end) - sp);
}

/*
 * The two quoted fields that end combined and S3 lines, the referer and
 * the user agent; none at all leaves the user agent empty. Returns -1
 * when they are there but not quoted fields.
 */
static inline int stats_referer_ua(const char **p, const char *end,
                                   struct stats_req *req)
{
    const char *s;
    size_t n;

    req->ua = "";
    req->ua_len = 0;
    if (*p >= end)
        return 0;
    if (stats_quoted(p, end, &s, &n) < 0 ||
        stats_quoted(p, end, &req->ua, &req->ua_len) < 0)
        return -1;
    return 0;
}

/* JSON lines (json.c): a parsed object, looked into by path. */
struct stats_json;
/*
 * A JSON format's per-file state: the object of the line last parsed,
 * which the strings of its struct stats_req point into.
 */
struct stats_json_line {
    struct stats_json *j;
};
/*
 * Parses the JSON object in 'line' into 'state' (dropping the previous
 * line's). Returns it, or NULL when 'line' is not a JSON object.
 */
struct stats_json *stats_json_parse(struct stats_json_line *state,
                                    const char *line, size_t len);
/* The formats' release(): frees the last object. */
void stats_json_release(void *state);
/*
 * The string at 'key' (a "." separated path; "[0]" is not supported: a
 * list's first string is taken) or NULL; '*len' its length.
 */
const char *stats_json_str(const struct stats_json *j, const char *path,
                           size_t *len);
/* The number at 'path': 0 and true, or false when it is not a number. */
bool stats_json_num(const struct stats_json *j, const char *path, double *v);
/* True when 'path' exists. */
bool stats_json_has(const struct stats_json *j, const char *path);

/* An episode of the catalog (catalog.c). */
struct stats_cat_episode {
    char *guid, *title;
    int64_t date;
    uint64_t bytes, minute_bytes;
    int64_t duration_ms;
};
size_t stats_catalog_size(const struct stats_catalog *cat);
const struct stats_cat_episode *stats_catalog_episode(
    const struct stats_catalog *cat, int i);

/* Entries in all lists (ids run from 0), and the name of one (agents.c). */
int stats_agents_ids(const struct stats_agents *a);
const char *stats_agents_name(const struct stats_agents *a, int id);

#endif
