/*
 * The show's episodes as `podpub stats` sees them: which request paths
 * fetch which episode (the enclosure URL's path, and the paths of earlier
 * file names from the publish manifest), and what counts as a minute of
 * each (its byte size and duration).
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/stats.h"
#include "internal.h"

struct slot {
    char *path;             /* decoded, without query; NULL: empty */
    size_t len;
    int ep;
};

struct stats_catalog {
    struct stats_cat_episode *eps;
    size_t nr, alloc;
    struct slot *slots;     /* open addressing, linear probing */
    size_t slots_nr, used;
};

static const uint8_t path_key[16];     /* paths are not secret */

static uint64_t hash_path(const char *p, size_t len)
{
    return stats_siphash(path_key, p, len);
}

struct stats_catalog *stats_catalog_new(void)
{
    struct stats_catalog *cat = xcalloc(1, sizeof(*cat));

    cat->slots_nr = 64;
    cat->slots = xcalloc(cat->slots_nr, sizeof(*cat->slots));
    return cat;
}

void stats_catalog_free(struct stats_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->nr; i++) {
        free(cat->eps[i].guid);
        free(cat->eps[i].title);
    }
    free(cat->eps);
    for (size_t i = 0; i < cat->slots_nr; i++)
        free(cat->slots[i].path);
    free(cat->slots);
    free(cat);
}

static struct slot *find_slot(const struct stats_catalog *cat, const char *p,
                              size_t len)
{
    size_t mask = cat->slots_nr - 1, i = hash_path(p, len) & mask;

    for (;; i = (i + 1) & mask) {
        struct slot *s = &cat->slots[i];

        if (!s->path || (s->len == len && !memcmp(s->path, p, len)))
            return s;
    }
}

static void grow(struct stats_catalog *cat)
{
    struct slot *old = cat->slots;
    size_t old_nr = cat->slots_nr;

    cat->slots_nr *= 2;
    cat->slots = xcalloc(cat->slots_nr, sizeof(*cat->slots));
    for (size_t i = 0; i < old_nr; i++)
        if (old[i].path)
            *find_slot(cat, old[i].path, old[i].len) = old[i];
    free(old);
}

/*
 * The request target 'p' as a lookup key in 'out': the query dropped,
 * percent-escapes decoded, an absolute URL's scheme and host dropped.
 * Returns its length, or 0 when it does not fit or is not a path.
 */
static size_t key_of(const char *p, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    const char *q = memchr(p, '?', len);

    if (q)
        len = (size_t)(q - p);
    if (len > 8 && (!memcmp(p, "http://", 7) || !memcmp(p, "https://", 8))) {
        const char *host = (const char *)memchr(p, ':', len) + 3;
        const char *slash = memchr(host, '/', len - (size_t)(host - p));

        if (!slash)
            return 0;
        len -= (size_t)(slash - p);
        p = slash;
    }
    if (!len || p[0] != '/')
        return 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;

        if (n + 1 >= cap)
            return 0;
        if (p[i] == '%' && i + 2 < len && (hi = hex_digit(p[i + 1])) >= 0 &&
            (lo = hex_digit(p[i + 2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = p[i];
        }
    }
    out[n] = '\0';
    return n;
}

/* Maps 'path' (a request target) to episode 'ep'; false when taken. */
static bool add_path(struct stats_catalog *cat, const char *path, int ep)
{
    char key[4096];
    size_t len = key_of(path, strlen(path), key, sizeof(key));
    struct slot *s;

    if (!len)
        return false;
    if ((cat->used + 1) * 2 > cat->slots_nr)
        grow(cat);
    s = find_slot(cat, key, len);
    if (s->path)
        return false;
    s->path = xstrndup(key, len);
    s->len = len;
    s->ep = ep;
    cat->used++;
    return true;
}

int stats_catalog_add(struct stats_catalog *cat, const char *guid,
                      const char *title, int64_t date, const char *url,
                      uint64_t bytes, int64_t duration_ms)
{
    struct stats_cat_episode *e;
    int ep = (int)cat->nr;

    if (!url || (!starts_with(url, "http://") && !starts_with(url, "https://")))
        return -1;
    if (!add_path(cat, url, ep))
        return -1;
    ALLOC_GROW(cat->eps, cat->nr + 1, cat->alloc);
    e = &cat->eps[cat->nr++];
    memset(e, 0, sizeof(*e));
    e->guid = xstrdup(guid ? guid : "");
    e->title = xstrdup(title ? title : "");
    e->date = date;
    e->bytes = bytes;
    e->duration_ms = duration_ms;
    /*
     * A minute of audio, in bytes, at the file's average rate (tags and
     * artwork included, which makes the bar a little higher); the whole
     * file when it is shorter than a minute or its duration is unknown.
     */
    if (duration_ms > 60000)
        e->minute_bytes = (uint64_t)((double)bytes * 60000.0 /
                                     (double)duration_ms + 0.5);
    else
        e->minute_bytes = bytes;
    if (e->minute_bytes == 0)
        e->minute_bytes = 1;
    return ep;
}

size_t stats_catalog_add_aliases(struct stats_catalog *cat,
                                 const struct stats_alias *aliases, size_t nr)
{
    size_t added = 0;

    for (size_t i = 0; i < nr; i++) {
        int ep = -1;

        if (!aliases[i].url || !aliases[i].guid)
            continue;
        for (size_t k = 0; k < cat->nr; k++)
            if (!strcmp(cat->eps[k].guid, aliases[i].guid)) {
                ep = (int)k;
                break;
            }
        if (ep < 0)
            continue;
        if (add_path(cat, aliases[i].url, ep))
            added++;
    }
    return added;
}

int stats_catalog_lookup(const struct stats_catalog *cat, const char *path,
                         size_t len)
{
    char key[4096];
    size_t n = key_of(path, len, key, sizeof(key));
    const struct slot *s;
    const char *slash;

    if (!n)
        return -1;
    s = find_slot(cat, key, n);
    if (s->path)
        return s->ep;
    /*
     * An S3 path-style request ("/bucket/show/001.mp3") or a key under a
     * prefix the CDN hides: without its first folder.
     */
    slash = memchr(key + 1, '/', n - 1);
    if (!slash)
        return -1;
    n -= (size_t)(slash - key);
    s = find_slot(cat, slash, n);
    return s->path ? s->ep : -1;
}

size_t stats_catalog_size(const struct stats_catalog *cat)
{
    return cat->nr;
}

const struct stats_cat_episode *stats_catalog_episode(
    const struct stats_catalog *cat, int i)
{
    return &cat->eps[i];
}
