/*
 * The Ogg fast path for Opus and FLAC-in-Ogg: the length is the last
 * page's granule position less the first audio page's starting granule
 * (its granule less the samples of the packets that end on it) and, for
 * Opus, less the pre-skip. A stream cut from a live broadcast starts at a
 * granule far from zero, which libavformat's duration does not subtract.
 * Vorbis packet lengths need the codebook setup to be parsed, and
 * libavformat's Vorbis duration already starts where the stream starts:
 * Vorbis, chained and multiplexed streams go to libavformat.
 */
#include <string.h>

#include "fast.h"

/* How much of the end of the file is searched for the last page. */
#define TAIL_BYTES (128u << 10)

struct page {
    uint64_t granule;
    uint32_t serial;
    int flags;                  /* 1: continued, 2: first, 4: last */
    int nsegs;
    uint8_t lacing[255];
    uint64_t body, next;        /* offsets of the body and the next page */
};

/* Parses the page header at 'pos'; false if there is none whole there. */
static bool read_page(struct fsrc *src, uint64_t pos, struct page *pg)
{
    const uint8_t *p = fsrc_get(src, pos, 27);
    uint64_t body = 0;

    if (!p || memcmp(p, "OggS", 4) || p[4] != 0)
        return false;
    pg->flags = p[5];
    pg->granule = fast_le64(p + 6);
    pg->serial = fast_le32(p + 14);
    pg->nsegs = p[26];
    if (!(p = fsrc_get(src, pos, 27 + (size_t)pg->nsegs)))
        return false;
    memcpy(pg->lacing, p + 27, (size_t)pg->nsegs);
    for (int i = 0; i < pg->nsegs; i++)
        body += pg->lacing[i];
    pg->body = pos + 27 + (uint64_t)pg->nsegs;
    pg->next = pg->body + body;
    return pg->next <= src->size;
}

/* Samples in the Opus packet 'p' of 'n' bytes (at 48 kHz), 0 if bad. */
static uint64_t opus_samples(const uint8_t *p, size_t n)
{
    static const uint16_t silk[4] = { 480, 960, 1920, 2880 };
    static const uint16_t celt[4] = { 120, 240, 480, 960 };
    int config, frames;
    uint64_t size;

    if (!n)
        return 0;
    config = p[0] >> 3;
    size = config < 12 ? silk[config & 3] : config < 16 ? 480u << (config & 1)
                                                        : celt[config & 3];
    frames = (p[0] & 3) == 0 ? 1 : (p[0] & 3) < 3 ? 2 : n > 1 ? p[1] & 0x3f
                                                             : 0;
    return size * (uint64_t)frames;
}

/* Samples in the FLAC frame 'p' of 'n' bytes (its header's block size). */
static uint64_t flac_samples(const uint8_t *p, size_t n)
{
    int code, extra;

    if (n < 5 || p[0] != 0xff || (p[1] & 0xfe) != 0xf8)
        return 0;
    code = p[2] >> 4;
    if (code == 1)
        return 192;
    if (code >= 2 && code <= 5)
        return 576u << (code - 2);
    if (code >= 8)
        return 256u << (code - 8);
    if (!code)
        return 0;
    /* Blocks of 6 or 7 give the size after the coded frame number. */
    extra = p[4] < 0x80 ? 0 : p[4] >= 0xfe ? 6 : p[4] >= 0xfc ? 5 :
            p[4] >= 0xf8 ? 4 : p[4] >= 0xf0 ? 3 : p[4] >= 0xe0 ? 2 : 1;
    if (5 + (size_t)extra + (code == 7 ? 2u : 1u) > n)
        return 0;
    return code == 6 ? p[5 + extra] + 1u : fast_be16(p + 5 + extra) + 1u;
}

enum codec { OGG_OPUS, OGG_FLAC };

static int ogg_measure(struct fsrc *src, const struct fast_input *in,
                       struct fast_result *r, struct strbuf *msg)
{
    struct page pg;
    enum codec codec;
    const uint8_t *p;
    uint64_t pos = 0, packet = 0, headers, start = 0, end = 0, tail;
    uint32_t serial;
    int preskip = 0, rate;
    bool found = false;

    (void)msg;
    if (!read_page(src, 0, &pg) || !(pg.flags & 2) || pg.nsegs < 1 ||
        !(p = fsrc_get(src, pg.body, 19)))
        return FAST_FALLBACK;
    serial = pg.serial;
    if (!memcmp(p, "OpusHead", 8)) {
        codec = OGG_OPUS;
        preskip = p[10] | p[11] << 8;
        rate = 48000;
        headers = 2;            /* OpusHead, OpusTags */
    } else if (!memcmp(p, "\x7f" "FLAC", 5) && !memcmp(p + 9, "fLaC", 4)) {
        codec = OGG_FLAC;
        headers = 1 + fast_be16(p + 7);
        if (!(p = fsrc_get(src, pg.body + 17, 34)))
            return FAST_FALLBACK;
        rate = (int)((uint32_t)p[10] << 12 | (uint32_t)p[11] << 4 |
                     p[12] >> 4);
    } else {
        return FAST_FALLBACK;
    }
    if (rate != in->sample_rate && codec != OGG_OPUS)
        return FAST_FALLBACK;
    /* The first page on which audio packets end gives the start. */
    while (!found) {
        uint64_t off, len = 0, samples = 0;

        if (!read_page(src, pos, &pg) || pg.serial != serial)
            return FAST_FALLBACK;
        off = pg.body;
        for (int i = 0; i < pg.nsegs; i++) {
            len += pg.lacing[i];
            if (pg.lacing[i] == 255)
                continue;
            if (packet >= headers) {
                size_t n = len > 32 ? 32 : (size_t)len;
                const uint8_t *b = n ? fsrc_get(src, off, n) : NULL;

                if (!b || (pg.flags & 1 && off == pg.body))
                    return FAST_FALLBACK;   /* a packet from a page before */
                samples += codec == OGG_OPUS ? opus_samples(b, n)
                                             : flac_samples(b, n);
                found = true;
            }
            packet++;
            off += len;
            len = 0;
        }
        if (found) {
            if (pg.granule == (uint64_t)-1 || samples > pg.granule)
                return FAST_FALLBACK;
            /* A stream of one page: its granule is where it ends. */
            start = pg.flags & 4 ? 0 : pg.granule - samples;
        }
        pos = pg.next;
    }
    /* The last whole page of the stream, near the end. */
    tail = src->size > TAIL_BYTES ? src->size - TAIL_BYTES : 0;
    for (pos = tail; pos + 27 <= src->size; pos++) {
        size_t n;
        const uint8_t *q = fsrc_some(src, pos, src->size - pos, &n);
        const uint8_t *hit = q ? memchr(q, 'O', n) : NULL;

        if (!hit)
            break;
        pos += (uint64_t)(hit - q);
        if (read_page(src, pos, &pg)) {
            if (pg.serial != serial)
                return FAST_FALLBACK;       /* chained or multiplexed */
            if (pg.granule != (uint64_t)-1)
                end = pg.granule;
            pos = pg.next - 1;
        }
    }
    if (src->failed || end <= start + (uint64_t)preskip)
        return FAST_FALLBACK;
    r->duration_ms = fast_ms((int64_t)(end - start - (uint64_t)preskip),
                             rate);
    r->method = PROBE_OGG_GRANULE;
    return FAST_OK;
}

const struct fast_ops fast_ogg_ops = { "ogg", ogg_measure };
