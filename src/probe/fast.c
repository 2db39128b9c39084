/*
 * What the fast paths share: a reader that pread()s only the bytes asked
 * for into one window (or points into memory), and the tags that wrap MP3
 * and ADTS streams (ID3v2 before, ID3v1, APE and Lyrics3 after).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fast.h"

/*
 * Sequential walks read this much at a time; from a reader function
 * less, as it has a cache of its own and every byte may cross a network.
 */
#define FSRC_BLOCK (256u << 10)
#define FSRC_BLOCK_FN (16u << 10)

void fsrc_init_fd(struct fsrc *s, int fd, uint64_t size)
{
    memset(s, 0, sizeof(*s));
    s->fd = fd;
    s->size = size;
}

void fsrc_init_mem(struct fsrc *s, const uint8_t *mem, uint64_t size)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->mem = mem;
    s->size = size;
}

void fsrc_init_fn(struct fsrc *s,
                  int64_t (*read)(void *arg, uint64_t off, void *buf,
                                  size_t len),
                  void *arg, uint64_t size)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->read = read;
    s->read_arg = arg;
    s->size = size;
}

int64_t fsrc_pread(struct fsrc *s, uint64_t off, void *buf, size_t len)
{
    size_t have = 0;

    if (off >= s->size)
        return 0;
    if (len > s->size - off)
        len = (size_t)(s->size - off);
    if (s->mem) {
        memcpy(buf, s->mem + off, len);
        return (int64_t)len;
    }
    while (have < len) {
        int64_t n = s->read ?
                    s->read(s->read_arg, off + have, (uint8_t *)buf + have,
                            len - have) :
                    pread(s->fd, (uint8_t *)buf + have, len - have,
                          (off_t)(off + have));

        if (n < 0 && !s->read && errno == EINTR)
            continue;
        if (n < 0) {
            s->failed = true;
            return -1;
        }
        if (n == 0)
            break;
        have += (size_t)n;
        s->bytes_read += (uint64_t)n;
    }
    return (int64_t)have;
}

void fsrc_release(struct fsrc *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = s->alloc = 0;
}

/* Fills the window with up to 'want' bytes from 'off'; false on error. */
static bool fill(struct fsrc *s, uint64_t off, size_t want)
{
    int64_t n;

    if (want > s->size - off)
        want = (size_t)(s->size - off);
    if (want > s->alloc) {
        s->alloc = want;
        free(s->buf);
        s->buf = xmalloc(s->alloc);
    }
    s->off = off;
    n = fsrc_pread(s, off, s->buf, want);
    s->len = n > 0 ? (size_t)n : 0;
    return s->len == want;
}

const uint8_t *fsrc_get(struct fsrc *s, uint64_t off, size_t len)
{
    size_t block;

    if (off > s->size || len > s->size - off || len > FSRC_MAX_SPAN)
        return NULL;
    if (s->mem)
        return s->mem + off;
    if (off >= s->off && off + len <= s->off + s->len)
        return s->buf + (off - s->off);
    block = s->read ? FSRC_BLOCK_FN : FSRC_BLOCK;
    if (!fill(s, off, len > block ? len : block) || s->len < len)
        return NULL;
    return s->buf;
}

const uint8_t *fsrc_some(struct fsrc *s, uint64_t off, size_t want,
                         size_t *got)
{
    if (off >= s->size || !want)
        return NULL;
    if (want > s->size - off)
        want = (size_t)(s->size - off);
    *got = want;
    return fsrc_get(s, off, want);
}

uint64_t fast_resync(struct fsrc *src, uint64_t pos, uint64_t end,
                     uint64_t limit, size_t min,
                     bool (*ok)(struct fsrc *src, uint64_t pos, void *arg),
                     void *arg)
{
    for (; pos + min <= end && pos < limit; pos++) {
        size_t n;
        const uint8_t *p = fsrc_some(src, pos, 64 << 10, &n);
        const uint8_t *hit;

        if (!p)
            break;
        /* memchr() finds the next sync byte faster than a byte loop. */
        if (!(hit = memchr(p, 0xff, n))) {
            pos += n - 1;
            continue;
        }
        pos += (uint64_t)(hit - p);
        if (ok(src, pos, arg))
            return pos;
    }
    return end;
}

int64_t fast_ms(int64_t samples, int64_t rate)
{
    if (rate <= 0 || samples <= 0)
        return 0;
    return (samples / rate) * 1000 + ((samples % rate) * 1000 + rate / 2) /
                                     rate;
}

/* The size of the ID3v2 tag at 'p' (10 bytes read), or 0 if none. */
static uint64_t id3v2_size(const uint8_t *p)
{
    if (memcmp(p, "ID3", 3) || p[3] == 0xff || p[4] == 0xff ||
        (p[6] | p[7] | p[8] | p[9]) & 0x80)
        return 0;
    return 10 + ((uint64_t)p[6] << 21 | (uint64_t)p[7] << 14 |
                 (uint64_t)p[8] << 7 | p[9]) + ((p[5] & 0x10) ? 10 : 0);
}

/* The size of a tag that ends at 'end' (ID3v1, APE, Lyrics3), or 0. */
static uint64_t end_tag_size(struct fsrc *src, uint64_t start, uint64_t end)
{
    const uint8_t *p;

    if (end - start >= 128 && (p = fsrc_get(src, end - 128, 128)) &&
        !memcmp(p, "TAG", 3))
        return 128;
    if (end - start >= 32 && (p = fsrc_get(src, end - 32, 32)) &&
        !memcmp(p, "APETAGEX", 8)) {
        uint64_t size = fast_le32(p + 12);

        if (fast_le32(p + 20) & 0x80000000u)
            size += 32;         /* a header as well as the footer */
        return size >= 32 && size <= end - start ? size : 0;
    }
    if (end - start >= 15 && (p = fsrc_get(src, end - 15, 15)) &&
        !memcmp(p + 6, "LYRICS200", 9)) {
        uint64_t size = 0;

        for (int i = 0; i < 6; i++) {
            if (p[i] < '0' || p[i] > '9')
                return 0;
            size = size * 10 + (uint64_t)(p[i] - '0');
        }
        return size + 15 <= end - start ? size + 15 : 0;
    }
    if (end - start >= 20 && (p = fsrc_get(src, end - 10, 10)) &&
        !memcmp(p, "3DI", 3)) {
        /* An ID3v2.4 tag appended, found by its footer. */
        uint64_t size = 0;

        if (!((p[6] | p[7] | p[8] | p[9]) & 0x80))
            size = 20 + ((uint64_t)p[6] << 21 | (uint64_t)p[7] << 14 |
                         (uint64_t)p[8] << 7 | p[9]);
        return size <= end - start ? size : 0;
    }
    if (end - start >= 20 && (p = fsrc_get(src, end - 9, 9)) &&
        !memcmp(p, "LYRICSEND", 9)) {
        /* Lyrics3 v1: up to 5100 bytes of text after "LYRICSBEGIN". */
        size_t span = end - start < 5120 ? (size_t)(end - start) : 5120;
        const uint8_t *q = fsrc_get(src, end - span, span);

        for (size_t i = q ? span - 20 : 0; q && i-- > 0;)
            if (!memcmp(q + i, "LYRICSBEGIN", 11))
                return span - i;
    }
    return 0;
}

bool fast_tag_bounds(struct fsrc *src, uint64_t *start, uint64_t *end)
{
    const uint8_t *p;
    uint64_t s = 0, e = src->size, n;

    while ((p = fsrc_get(src, s, 10)) && (n = id3v2_size(p)) &&
           n <= e - s)
        s += n;
    while (e > s && (n = end_tag_size(src, s, e)))
        e -= n;
    *start = s;
    *end = e;
    return e > s;
}
