/*
 * The block cache of ranged reads (podpub/range.h): fixed-size blocks of
 * a file fetched in runs through a caller's function, the least recently
 * used dropped first; and the tests that tell a URL from a path. No
 * network here: src/net/range.c fetches over HTTP(S) through it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podpub/range.h"
#include "podpub/util.h"

/* The block cache. */

struct cache_slot {
    uint64_t index;             /* the block it holds */
    uint64_t used;              /* when last used; 0: empty */
    uint8_t *data;              /* allocated on first use */
};

struct block_cache {
    uint64_t size;
    size_t block, nr, max_run;
    int (*fetch)(void *arg, uint64_t off, uint8_t *buf, size_t len);
    void *arg;
    struct cache_slot *slots;
    uint8_t *scratch;           /* one run: max_run blocks */
    uint64_t tick;
    uint64_t next;              /* the block after the last run */
    size_t run;                 /* the last run's length; 0: none yet */
    uint64_t fetches, fetched;
    int failed;                 /* the failure that ends the cache */
};

struct block_cache *block_cache_new(uint64_t size, size_t block, size_t nr,
                                    size_t max_run,
                                    int (*fetch)(void *arg, uint64_t off,
                                                 uint8_t *buf, size_t len),
                                    void *arg)
{
    struct block_cache *c = xcalloc(1, sizeof(*c));

    if (!block || !max_run)
        die("block_cache_new: empty blocks or runs");
    if (nr < 2 * max_run)
        nr = 2 * max_run;
    c->size = size;
    c->block = block;
    c->nr = nr;
    c->max_run = max_run;
    c->fetch = fetch;
    c->arg = arg;
    c->slots = xcalloc(nr, sizeof(*c->slots));
    return c;
}

void block_cache_free(struct block_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nr; i++)
        free(c->slots[i].data);
    free(c->slots);
    free(c->scratch);
    free(c);
}

static uint64_t blocks_in(const struct block_cache *c)
{
    return c->size / c->block + (c->size % c->block != 0);
}

/* The length of block 'i' (the last one may be short). */
static size_t block_len(const struct block_cache *c, uint64_t i)
{
    uint64_t off = i * c->block;

    return c->size - off < c->block ? (size_t)(c->size - off) : c->block;
}

static struct cache_slot *find(struct block_cache *c, uint64_t i)
{
    for (size_t k = 0; k < c->nr; k++)
        if (c->slots[k].used && c->slots[k].index == i)
            return &c->slots[k];
    return NULL;
}

/* Stores block 'i' from 'data' in the least recently used slot. */
static void store(struct block_cache *c, uint64_t i, const uint8_t *data)
{
    struct cache_slot *s = &c->slots[0];

    for (size_t k = 1; k < c->nr && s->used; k++)
        if (c->slots[k].used < s->used)
            s = &c->slots[k];
    if (!s->data)
        s->data = xmalloc(c->block);
    memcpy(s->data, data, block_len(c, i));
    s->index = i;
    s->used = ++c->tick;
}

/*
 * Fetches block 'i', and after it as many as the run allows: twice the
 * last run when 'i' follows it (a sequential reader), else one block;
 * never past the end or over a block already held.
 */
static int fetch_run(struct block_cache *c, uint64_t i)
{
    size_t want = c->run && i == c->next ? 2 * c->run : 1, n = 1;
    uint64_t off = i * c->block;
    size_t len;
    int ret;

    if (want > c->max_run)
        want = c->max_run;
    while (n < want && i + n < blocks_in(c) && !find(c, i + n))
        n++;
    len = c->size - off < (uint64_t)n * c->block ?
          (size_t)(c->size - off) : n * c->block;
    if (!c->scratch)
        c->scratch = xmalloc(c->max_run * c->block);
    c->fetches++;
    c->fetched += len;
    if ((ret = c->fetch(c->arg, off, c->scratch, len)) < 0)
        return c->failed = ret;
    for (size_t k = 0; k < n; k++)
        store(c, i + k, c->scratch + k * c->block);
    c->next = i + n;
    c->run = n;
    return 0;
}

int64_t block_cache_read(struct block_cache *c, uint64_t off, void *buf,
                         size_t len)
{
    size_t done = 0;

    if (c->failed)
        return c->failed;
    if (off >= c->size)
        return 0;
    if (len > c->size - off)
        len = (size_t)(c->size - off);
    while (done < len) {
        uint64_t pos = off + done, i = pos / c->block;
        size_t in = (size_t)(pos % c->block), n;
        struct cache_slot *s = find(c, i);
        int ret;

        if (!s) {
            if ((ret = fetch_run(c, i)) < 0)
                return ret;
            s = find(c, i);
        }
        s->used = ++c->tick;
        n = block_len(c, i) - in;
        if (n > len - done)
            n = len - done;
        memcpy((uint8_t *)buf + done, s->data + in, n);
        done += n;
    }
    return (int64_t)done;
}

void block_cache_seed(struct block_cache *c, uint64_t off, const void *data,
                      size_t len)
{
    uint64_t i = off / c->block;

    if (off % c->block || i >= blocks_in(c) || len < block_len(c, i))
        die("block_cache_seed: not a whole block");
    store(c, i, data);
    c->next = i + 1;
    c->run = 1;
}

uint64_t block_cache_fetches(const struct block_cache *c)
{
    return c->fetches;
}

uint64_t block_cache_fetched(const struct block_cache *c)
{
    return c->fetched;
}

bool looks_like_url(const char *s)
{
    const char *p = s;

    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
        p++;
    return !strncmp(p, "://", 3);
}

bool is_http_url(const char *s)
{
    return (!strncasecmp(s, "http://", 7) && s[7]) ||
           (!strncasecmp(s, "https://", 8) && s[8]);
}
