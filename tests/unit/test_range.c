/*
 * Unit tests for the block cache of src/net/range.c, over a file in
 * memory whose fetches are recorded: the bytes handed out, which blocks
 * are fetched and in what runs (sequential reads double the run, a seek
 * starts again at one block, a run stops before a block already held and
 * at the end of the file), least-recently-used replacement, the short
 * last block, seeding, and a failed fetch that ends the cache. Then the
 * URL tests `podpub probe` uses to tell a URL from a path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "podpub/range.h"
#include "podpub/util.h"

#define MAX_FETCHES 256

/* A file of 'size' bytes (byte i is i * 7 + i / 251, mod 256). */
struct memfile {
    uint8_t *data;
    uint64_t size;
    struct { uint64_t off; size_t len; } fetches[MAX_FETCHES];
    size_t nr;
    size_t fail_at;             /* the fetch number that fails; 0: none */
};

static void memfile_init(struct memfile *m, uint64_t size)
{
    memset(m, 0, sizeof(*m));
    m->size = size;
    m->data = xmalloc(size);
    for (uint64_t i = 0; i < size; i++)
        m->data[i] = (uint8_t)(i * 7 + i / 251);
}

static int mem_fetch(void *arg, uint64_t off, uint8_t *buf, size_t len)
{
    struct memfile *m = arg;

    if (off > m->size || len > m->size - off || m->nr == MAX_FETCHES)
        return PP_ERR_INPUT;    /* the cache asked outside the file */
    m->fetches[m->nr].off = off;
    m->fetches[m->nr].len = len;
    if (++m->nr == m->fail_at)
        return PP_ERR_REMOTE;
    memcpy(buf, m->data + off, len);
    return 0;
}

/* Reads [off, off + len) through 'c' and checks it against the file. */
static void read_ok(struct block_cache *c, struct memfile *m, uint64_t off,
                    size_t len, int64_t want)
{
    uint8_t *buf = xmalloc(len ? len : 1);
    int64_t n = block_cache_read(c, off, buf, len);

    CHECK_INT(n, want);
    if (n > 0)
        CHECK(!memcmp(buf, m->data + off, (size_t)n));
    free(buf);
}

static void test_bytes_across_blocks(void)
{
    struct memfile m;
    struct block_cache *c;

    memfile_init(&m, 1000);
    c = block_cache_new(m.size, 64, 8, 4, mem_fetch, &m);
    read_ok(c, &m, 60, 10, 10);         /* blocks 0 and 1 */
    CHECK_INT(m.nr, 2);                 /* 0, then 1 (a run of 2: 1-2) */
    CHECK_INT(m.fetches[0].off, 0);
    CHECK_INT(m.fetches[0].len, 64);
    CHECK_INT(m.fetches[1].off, 64);
    CHECK_INT(m.fetches[1].len, 128);
    read_ok(c, &m, 0, 192, 192);        /* all held */
    CHECK_INT(m.nr, 2);
    CHECK_INT(block_cache_fetches(c), 2);
    CHECK_INT(block_cache_fetched(c), 192);
    block_cache_free(c);
    free(m.data);
}

/* A whole-file read: runs of 1, 2, 4, 4, ... and each byte once. */
static void test_sequential_runs(void)
{
    struct memfile m;
    struct block_cache *c;
    uint64_t sum = 0;
    uint8_t buf[10];

    memfile_init(&m, 1000);             /* 16 blocks of 64, the last 40 */
    c = block_cache_new(m.size, 64, 8, 4, mem_fetch, &m);
    for (uint64_t off = 0; off < m.size; off += 10)
        CHECK_INT(block_cache_read(c, off, buf, 10), 10);
    CHECK_INT(m.nr, 6);                 /* 1 + 2 + 4 + 4 + 4 + 1 */
    CHECK_INT(m.fetches[2].len, 4 * 64);
    CHECK_INT(m.fetches[5].off, 960);
    CHECK_INT(m.fetches[5].len, 40);
    for (size_t i = 0; i < m.nr; i++) {
        if (i)
            CHECK_INT(m.fetches[i].off,
                      m.fetches[i - 1].off + m.fetches[i - 1].len);
        sum += m.fetches[i].len;
    }
    CHECK_INT(sum, m.size);
    block_cache_free(c);
    free(m.data);
}

/* A seek resets the run; a run stops before a block the cache holds. */
static void test_runs_after_seek(void)
{
    struct memfile m;
    struct block_cache *c;

    memfile_init(&m, 64 * 20);
    c = block_cache_new(m.size, 64, 8, 4, mem_fetch, &m);
    read_ok(c, &m, 0, 1, 1);            /* block 0 */
    read_ok(c, &m, 64 * 3, 1, 1);       /* block 3: a seek, one block */
    read_ok(c, &m, 64, 1, 1);           /* block 1: a seek, one block */
    read_ok(c, &m, 128, 1, 1);          /* block 2 follows: run of 2, but
                                           block 3 is held: one block */
    CHECK_INT(m.nr, 4);
    CHECK_INT(m.fetches[1].len, 64);
    CHECK_INT(m.fetches[2].len, 64);
    CHECK_INT(m.fetches[3].off, 128);
    CHECK_INT(m.fetches[3].len, 64);
    read_ok(c, &m, 64 * 4, 64 * 16, 64 * 16);   /* to the end */
    CHECK_INT(block_cache_fetched(c), m.size);
    block_cache_free(c);
    free(m.data);
}

/* Two slots (a run of at most one): the least recently used goes. */
static void test_lru(void)
{
    struct memfile m;
    struct block_cache *c;

    memfile_init(&m, 64 * 10);
    c = block_cache_new(m.size, 64, 2, 1, mem_fetch, &m);
    read_ok(c, &m, 0, 64, 64);          /* miss: 0 */
    read_ok(c, &m, 64 * 5, 64, 64);     /* miss: 0 5 */
    read_ok(c, &m, 0, 64, 64);          /* hit: 0 is now the newest */
    CHECK_INT(m.nr, 2);
    read_ok(c, &m, 64 * 9, 64, 64);     /* miss: replaces 5 */
    read_ok(c, &m, 0, 64, 64);          /* hit */
    CHECK_INT(m.nr, 3);
    read_ok(c, &m, 64 * 5, 64, 64);     /* miss again: replaces 9 */
    CHECK_INT(m.nr, 4);
    CHECK_INT(m.fetches[3].off, 64 * 5);
    read_ok(c, &m, 0, 64, 64);          /* 0 stayed */
    CHECK_INT(m.nr, 4);
    block_cache_free(c);
    free(m.data);
}

static void test_end_of_file(void)
{
    struct memfile m;
    struct block_cache *c;
    uint8_t buf[16];

    memfile_init(&m, 100);
    c = block_cache_new(m.size, 16, 4, 2, mem_fetch, &m);
    read_ok(c, &m, 95, 10, 5);          /* short at the end */
    CHECK_INT(m.nr, 2);
    CHECK_INT(m.fetches[0].off, 80);
    CHECK_INT(m.fetches[0].len, 16);
    CHECK_INT(m.fetches[1].off, 96);    /* block 6 follows 5: a run of */
    CHECK_INT(m.fetches[1].len, 4);     /* 2 cut to the short last one */
    read_ok(c, &m, 96, 4, 4);
    CHECK_INT(m.nr, 2);
    read_ok(c, &m, 100, 10, 0);
    CHECK_INT(block_cache_read(c, 5000, buf, sizeof(buf)), 0);
    read_ok(c, &m, 0, 0, 0);
    block_cache_free(c);
    free(m.data);
}

static void test_seed(void)
{
    struct memfile m;
    struct block_cache *c;

    memfile_init(&m, 300);
    c = block_cache_new(m.size, 128, 4, 2, mem_fetch, &m);
    block_cache_seed(c, 0, m.data, 128);
    read_ok(c, &m, 0, 128, 128);
    CHECK_INT(m.nr, 0);
    read_ok(c, &m, 128, 172, 172);      /* follows the seed: a run of 2 */
    CHECK_INT(m.nr, 1);
    CHECK_INT(m.fetches[0].len, 172);
    block_cache_free(c);
    free(m.data);

    /* A file smaller than a block: the seed is all of it. */
    memfile_init(&m, 10);
    c = block_cache_new(m.size, 128, 4, 2, mem_fetch, &m);
    block_cache_seed(c, 0, m.data, 10);
    read_ok(c, &m, 0, 100, 10);
    CHECK_INT(m.nr, 0);
    block_cache_free(c);
    free(m.data);
}

/* A failed fetch fails that read and every read after it. */
static void test_failure_is_final(void)
{
    struct memfile m;
    struct block_cache *c;
    uint8_t buf[8];

    memfile_init(&m, 64 * 8);
    m.fail_at = 2;
    c = block_cache_new(m.size, 64, 4, 2, mem_fetch, &m);
    read_ok(c, &m, 0, 8, 8);
    CHECK_INT(block_cache_read(c, 64 * 4, buf, 8), PP_ERR_REMOTE);
    CHECK_INT(block_cache_read(c, 0, buf, 8), PP_ERR_REMOTE);
    CHECK_INT(m.nr, 2);
    block_cache_free(c);
    free(m.data);
}

/* Random reads against the file, with few slots: every byte right. */
static void test_random_reads(void)
{
    struct memfile m;
    struct block_cache *c;
    unsigned seed = 12345;

    memfile_init(&m, 10007);
    c = block_cache_new(m.size, 100, 3, 2, mem_fetch, &m);
    for (int i = 0; i < 2000; i++) {
        uint64_t off;
        size_t len;

        seed = seed * 1103515245u + 12345u;
        off = (seed >> 8) % (m.size + 50);
        seed = seed * 1103515245u + 12345u;
        len = (seed >> 8) % 700;
        m.nr = 0;               /* only the recorded calls are bounded */
        read_ok(c, &m, off, len, off >= m.size ? 0 :
                len < m.size - off ? (int64_t)len : (int64_t)(m.size - off));
    }
    block_cache_free(c);
    free(m.data);
}

static void test_urls(void)
{
    CHECK(is_http_url("http://example.org/a.mp3"));
    CHECK(is_http_url("HTTPS://example.org/a.mp3"));
    CHECK(!is_http_url("https://"));
    CHECK(!is_http_url("file:///etc/passwd"));
    CHECK(!is_http_url("ftp://example.org/a.mp3"));
    CHECK(!is_http_url("episodes/a.mp3"));
    CHECK(looks_like_url("ftp://example.org/a.mp3"));
    CHECK(looks_like_url("file:///a.mp3"));
    CHECK(looks_like_url("svn+ssh://h/a.mp3"));
    CHECK(!looks_like_url("episodes/http://a.mp3"));
    CHECK(!looks_like_url("./http://a.mp3"));
    CHECK(!looks_like_url("1http://a.mp3"));
    CHECK(!looks_like_url("a.mp3"));
    CHECK(!looks_like_url(""));
}

static const struct harness_test tests[] = {
    TEST(test_bytes_across_blocks),
    TEST(test_sequential_runs),
    TEST(test_runs_after_seek),
    TEST(test_lru),
    TEST(test_end_of_file),
    TEST(test_seed),
    TEST(test_failure_is_final),
    TEST(test_random_reads),
    TEST(test_urls),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
