/*
 * The MP4/M4A fast path: the audio track's sample tables. The length is
 * the edit list's segment when there is one edit (what libavformat
 * reports), else the samples' durations (stts) less the priming an
 * iTunSMPB tag declares (FFmpeg's decoder skips it). Whether the file
 * still holds every sample is worked out from the chunk offsets (stco or
 * co64), the samples per chunk (stsc) and their sizes (stsz) against the
 * file's size: a cut-off file is measured up to its last whole sample.
 * Fragmented files (moof boxes) go to the packet walk.
 *
 * libavformat, which still says what the file is and what it holds, need
 * not index every sample for that: it reads such a file with a light moov
 * in place (mp4_light_moov()), the audio track's tables made one sample.
 */
#include <stdlib.h>
#include <string.h>

#include "fast.h"

struct box {
    char type[5];
    uint64_t start, end;        /* the payload: [start, end) */
};

/* Reads the box header at 'pos' of the region ending at 'end'. */
static bool box_at(const uint8_t *base, uint64_t pos, uint64_t end,
                   struct box *b)
{
    uint64_t size;
    size_t head = 8;

    if (end - pos < 8)
        return false;
    size = fast_be32(base + pos);
    memcpy(b->type, base + pos + 4, 4);
    b->type[4] = '\0';
    if (size == 1) {
        if (end - pos < 16)
            return false;
        size = fast_be64(base + pos + 8);
        head = 16;
    } else if (size == 0) {
        size = end - pos;
    }
    if (size < head || size > end - pos)
        return false;
    b->start = pos + head;
    b->end = pos + size;
    return true;
}

/* Finds the first child 'type' of the box 'in' (in 'base'). */
static bool child(const uint8_t *base, const struct box *in,
                  const char *type, struct box *out)
{
    for (uint64_t pos = in->start; box_at(base, pos, in->end, out);
         pos = out->end)
        if (!memcmp(out->type, type, 4))
            return true;
    return false;
}

/* Follows a path of box types ("mdia/minf/stbl") from 'in'. */
static bool path(const uint8_t *base, const struct box *in, const char *p,
                 struct box *out)
{
    struct box cur = *in;

    for (; *p; p += p[4] ? 5 : 4) {
        char type[5];

        memcpy(type, p, 4);
        type[4] = '\0';
        if (!child(base, &cur, type, out))
            return false;
        cur = *out;
        if (!p[4])
            break;
    }
    return true;
}

bool mp4_cut_off(struct fsrc *src)
{
    uint64_t pos = 0;
    bool ftyp = false, moov = false, mdat = false;

    while (pos + 8 <= src->size) {
        const uint8_t *p = fsrc_get(src, pos, 16 <= src->size - pos ? 16 : 8);
        uint64_t size;

        if (!p)
            return false;
        size = fast_be32(p);
        if (size == 1 && src->size - pos >= 16)
            size = fast_be64(p + 8);
        else if (size == 0)
            size = src->size - pos;
        if (!pos && memcmp(p + 4, "ftyp", 4))
            return false;
        ftyp = true;
        moov |= !memcmp(p + 4, "moov", 4);
        mdat |= !memcmp(p + 4, "mdat", 4);
        if (size < 8)
            return false;
        if (size > src->size - pos)
            return true;        /* a box that runs past the end */
        pos += size;
    }
    return ftyp && mdat && !moov;
}

struct tables {
    uint32_t timescale;         /* the media's */
    uint64_t samples, duration; /* from stts */
    int64_t edit_media;         /* elst: media time, -1 without one edit */
    uint64_t edit_duration;     /* elst: in the movie's timescale */
    uint32_t movie_timescale;
    uint64_t priming;           /* iTunSMPB */
};

/* The sample count and total duration in stts; false if malformed. */
static bool read_stts(const uint8_t *m, const struct box *b,
                      struct tables *t)
{
    uint64_t n;

    if (b->end - b->start < 8)
        return false;
    n = fast_be32(m + b->start + 4);
    if (n > (b->end - b->start - 8) / 8)
        return false;
    for (uint64_t i = 0; i < n; i++) {
        const uint8_t *e = m + b->start + 8 + 8 * i;

        /*
         * Samples that last no time, but for a last one some muxers
         * leave so: their timestamps collide, and what a decode keeps of
         * them is the packet walk's to say.
         */
        if (!fast_be32(e + 4) && fast_be32(e) &&
            (i + 1 < n || fast_be32(e) > 1))
            return false;
        t->samples += fast_be32(e);
        t->duration += (uint64_t)fast_be32(e) * fast_be32(e + 4);
    }
    return t->samples > 0;
}

/* The duration of the first 'k' samples per stts. */
static uint64_t stts_prefix(const uint8_t *m, const struct box *b, uint64_t k)
{
    uint64_t n = fast_be32(m + b->start + 4), d = 0;

    for (uint64_t i = 0; i < n && k; i++) {
        const uint8_t *e = m + b->start + 8 + 8 * i;
        uint64_t c = fast_be32(e) < k ? fast_be32(e) : k;

        d += c * fast_be32(e + 4);
        k -= c;
    }
    return d;
}

/*
 * How many samples, in order, lie whole inside a file of 'size' bytes;
 * -1 if the tables are malformed.
 */
static int64_t whole_samples(const uint8_t *m, const struct box *stbl,
                             uint64_t nsamples, uint64_t size)
{
    struct box stsz, stsc, stco, stsd;
    bool co64 = false;
    uint64_t fixed, nsz, nsc, nco, ndesc, sample = 0, entry = 0;

    if (!child(m, stbl, "stsz", &stsz) || !child(m, stbl, "stsc", &stsc) ||
        (!child(m, stbl, "stco", &stco) &&
         !(co64 = child(m, stbl, "co64", &stco))) ||
        !child(m, stbl, "stsd", &stsd) || stsd.end - stsd.start < 8 ||
        stsz.end - stsz.start < 12 || stsc.end - stsc.start < 8 ||
        stco.end - stco.start < 8)
        return -1;
    fixed = fast_be32(m + stsz.start + 4);
    nsz = fast_be32(m + stsz.start + 8);
    nsc = fast_be32(m + stsc.start + 4);
    nco = fast_be32(m + stco.start + 4);
    ndesc = fast_be32(m + stsd.start + 4);
    if ((!fixed && nsz > (stsz.end - stsz.start - 12) / 4) ||
        nsc > (stsc.end - stsc.start - 8) / 12 || !nsc ||
        nco > (stco.end - stco.start - 8) / (co64 ? 8 : 4) ||
        (!fixed && nsz < nsamples))
        return -1;
    /*
     * The entries by first chunk, from chunk 1 on, each naming a sample
     * description there is: no packet of another is ever read, so this
     * is the fast path's to check (the light moov keeps the first one's).
     */
    for (uint64_t i = 0, last = 0; i < nsc; i++) {
        uint64_t first = fast_be32(m + stsc.start + 8 + i * 12);
        uint64_t desc = fast_be32(m + stsc.start + 16 + i * 12);

        if ((i ? first <= last : first != 1) || !desc || desc > ndesc)
            return -1;
        last = first;
    }
    for (uint64_t c = 0; c < nco && sample < nsamples; c++) {
        const uint8_t *o = m + stco.start + 8 + c * (co64 ? 8 : 4);
        uint64_t off = co64 ? fast_be64(o) : fast_be32(o), per;

        /* The stsc entry for chunk c + 1 (entries by first chunk). */
        while (entry + 1 < nsc &&
               fast_be32(m + stsc.start + 8 + (entry + 1) * 12) <= c + 1)
            entry++;
        per = fast_be32(m + stsc.start + 8 + entry * 12 + 4);
        for (uint64_t j = 0; j < per && sample < nsamples; j++, sample++) {
            uint64_t sz = fixed ? fixed :
                          fast_be32(m + stsz.start + 12 + sample * 4);

            if (off > size || sz > size - off)
                return (int64_t)sample;
            off += sz;
        }
    }
    return sample == nsamples ? (int64_t)sample : -1;
}

/* The priming iTunSMPB declares (" 00000000 00000840 ..."), or 0. */
static uint64_t itunsmpb(const uint8_t *m, const struct box *moov)
{
    struct box meta, ilst, item, part;

    if (!path(m, moov, "udta/meta", &meta))
        return 0;
    meta.start += 4;            /* meta is a full box */
    if (!child(m, &meta, "ilst", &ilst))
        return 0;
    for (uint64_t pos = ilst.start; box_at(m, pos, ilst.end, &item);
         pos = item.end) {
        bool named = false;

        if (memcmp(item.type, "----", 4))
            continue;
        for (uint64_t q = item.start; box_at(m, q, item.end, &part);
             q = part.end) {
            if (!memcmp(part.type, "name", 4) &&
                part.end - part.start == 12 &&
                !memcmp(m + part.start + 4, "iTunSMPB", 8))
                named = true;
            if (named && !memcmp(part.type, "data", 4) &&
                part.end - part.start >= 8 + 18) {
                char text[19];

                memcpy(text, m + part.start + 8 + 10, 8);
                text[8] = '\0';
                return strtoull(text, NULL, 16);
            }
        }
    }
    return 0;
}

/*
 * What FFmpeg decodes from the first 'k' samples: it skips the edit
 * list's media time (or iTunSMPB's priming) but does not trim the end to
 * the edit; an AAC frame gives 1024 samples whatever its stts duration
 * (the muxer shortens the last one to the real end).
 */
static uint64_t decoded(const uint8_t *m, const struct box *stts,
                        uint64_t k, const struct tables *t,
                        const struct fast_input *in)
{
    uint64_t d = !strcmp(in->codec, "aac") ? k * 1024
                                           : stts_prefix(m, stts, k);

    return d > (uint64_t)t->edit_media ? d - (uint64_t)t->edit_media : 0;
}

/*
 * The moov box of 'src' copied into memory, its offsets rebased ('*moov'
 * in the copy: from 0), and where it lies in the file with its header
 * ('*at', '*len'); NULL without one, or in a fragmented file (moof).
 */
static uint8_t *load_moov(struct fsrc *src, struct box *moov, uint64_t *at,
                          uint64_t *len)
{
    struct box b;
    uint64_t pos = 0;
    const uint8_t *p;
    uint8_t *m;

    memset(moov, 0, sizeof(*moov));
    /* The top-level boxes: moov, and no moof (a fragmented file). */
    while (pos + 8 <= src->size) {
        uint8_t head[16];
        size_t n = src->size - pos >= 16 ? 16 : 8;

        if (!(p = fsrc_get(src, pos, n)))
            return NULL;
        memcpy(head, p, n);
        if (!box_at(head, 0, n, &b)) {
            /* A box larger than the 16 bytes read: its header is enough. */
            uint64_t size = fast_be32(head);

            if (size == 1 && n == 16)
                size = fast_be64(head + 8);
            else if (size == 0)
                size = src->size - pos;
            if (size < 8 || size > src->size - pos)
                break;          /* cut off here */
            b.start = pos + (fast_be32(head) == 1 ? 16 : 8);
            b.end = pos + size;
            memcpy(b.type, head + 4, 4);
            b.type[4] = '\0';
        } else {
            b.start += pos;
            b.end += pos;
        }
        if (!memcmp(b.type, "moof", 4))
            return NULL;
        if (!memcmp(b.type, "moov", 4)) {
            *moov = b;
            *at = pos;
        }
        pos = b.end;
    }
    if (!moov->end || moov->end - moov->start > FSRC_MAX_SPAN ||
        !(p = fsrc_get(src, moov->start, (size_t)(moov->end - moov->start))))
        return NULL;
    *len = moov->end - *at;
    m = xmalloc((size_t)(moov->end - moov->start) + 1);
    memcpy(m, p, (size_t)(moov->end - moov->start));
    moov->end -= moov->start;
    moov->start = 0;
    return m;
}

/* Whether box 'b' is a track whose handler is sound. */
static bool audio_trak(const uint8_t *m, const struct box *b)
{
    struct box hdlr;

    return !memcmp(b->type, "trak", 4) && path(m, b, "mdia/hdlr", &hdlr) &&
           hdlr.end - hdlr.start >= 12 &&
           !memcmp(m + hdlr.start + 8, "soun", 4);
}

/*
 * The sample tables the light moov replaces: those that grow with an
 * audio track's length, each of them read and checked by mp4_measure().
 * The others (sync samples, composition offsets, sample groups: absent
 * or short in audio) stay, for libavformat to judge as in the file.
 */
static bool long_table(const char *type)
{
    static const char *const tables[] = {
        "stts", "stsz", "stsc", "stco", "co64",
    };

    for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
        if (!memcmp(type, tables[i], 4))
            return true;
    return false;
}

static void put32(struct strbuf *sb, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 8), (uint8_t)v };

    strbuf_add(sb, b, 4);
}

/* A box's 32-bit size, written over its header at 'p'. */
static void put_size(char *p, size_t n)
{
    p[0] = (char)(n >> 24);
    p[1] = (char)(n >> 16);
    p[2] = (char)(n >> 8);
    p[3] = (char)n;
}

/*
 * The one sample the light tables describe: all of the track's, as long
 * and as large as its samples together (what libavformat derives a bit
 * rate from), where its first chunk starts.
 */
struct one_sample {
    uint32_t delta, size, description;
    uint64_t offset;
    bool co64;
};

static bool one_sample_of(const uint8_t *m, const struct box *stbl,
                          struct one_sample *f)
{
    struct box stts, stsz, stsc, stco;
    uint64_t n, fixed, delta = 0, size = 0;

    if (!child(m, stbl, "stts", &stts) || !child(m, stbl, "stsz", &stsz) ||
        !child(m, stbl, "stsc", &stsc) ||
        (!child(m, stbl, "stco", &stco) &&
         !(f->co64 = child(m, stbl, "co64", &stco))) ||
        stts.end - stts.start < 8 || stsz.end - stsz.start < 12 ||
        stsc.end - stsc.start < 20 || !fast_be32(m + stsc.start + 4) ||
        stco.end - stco.start < (f->co64 ? 16u : 12u) ||
        !fast_be32(m + stco.start + 4))
        return false;
    n = fast_be32(m + stts.start + 4);
    if (n > (stts.end - stts.start - 8) / 8)
        return false;
    /* Each term below 2^64, the sums stopped past 2^32: no overflow. */
    for (uint64_t i = 0; i < n && delta <= UINT32_MAX; i++)
        delta += (uint64_t)fast_be32(m + stts.start + 8 + 8 * i) *
                 fast_be32(m + stts.start + 12 + 8 * i);
    fixed = fast_be32(m + stsz.start + 4);
    n = fast_be32(m + stsz.start + 8);
    if (fixed)
        size = fixed * n;
    else if (n > (stsz.end - stsz.start - 12) / 4)
        return false;
    else
        for (uint64_t i = 0; i < n && size <= UINT32_MAX; i++)
            size += fast_be32(m + stsz.start + 12 + 4 * i);
    if (!delta || delta > UINT32_MAX || !size || size > UINT32_MAX)
        return false;
    f->delta = (uint32_t)delta;
    f->size = (uint32_t)size;
    f->description = fast_be32(m + stsc.start + 16);
    f->offset = f->co64 ? fast_be64(m + stco.start + 8)
                        : fast_be32(m + stco.start + 8);
    return true;
}

/* A full box of 32-bit words 'v' (its version and flags the first). */
static void put_table(struct strbuf *sb, const char *type, const uint32_t *v,
                      size_t n)
{
    put32(sb, (uint32_t)(8 + 4 * n));
    strbuf_add(sb, type, 4);
    for (size_t i = 0; i < n; i++)
        put32(sb, v[i]);
}

/* Tables of the one sample 'f', a chunk of its own. */
static void put_one_sample(struct strbuf *sb, const struct one_sample *f)
{
    const uint32_t stts[] = { 0, 1, 1, f->delta };
    const uint32_t stsz[] = { 0, 0, 1, f->size };
    const uint32_t stsc[] = { 0, 1, 1, 1, f->description };
    const uint32_t co64[] = { 0, 1, (uint32_t)(f->offset >> 32),
                              (uint32_t)f->offset };

    put_table(sb, "stts", stts, ARRAY_SIZE(stts));
    put_table(sb, "stsz", stsz, ARRAY_SIZE(stsz));
    put_table(sb, "stsc", stsc, ARRAY_SIZE(stsc));
    if (f->co64) {
        put_table(sb, "co64", co64, ARRAY_SIZE(co64));
    } else {
        const uint32_t stco[] = { 0, 1, (uint32_t)f->offset };

        put_table(sb, "stco", stco, ARRAY_SIZE(stco));
    }
}

/*
 * Copies box 'b' (whose header starts at 'at' in 'm') into 'sb'; the boxes
 * on the way to the audio track's stbl ('way', one per level) are rebuilt
 * with that stbl's long tables replaced by those of one sample.
 */
static void light_copy(const uint8_t *m, uint64_t at, const struct box *b,
                       const uint64_t *way, int level,
                       const struct one_sample *f, struct strbuf *sb)
{
    size_t head = sb->len;
    struct box c;

    if (level > 4 || at != way[level]) {
        strbuf_add(sb, m + at, (size_t)(b->end - at));
        return;
    }
    put32(sb, 0);
    strbuf_add(sb, b->type, 4);
    for (uint64_t pos = b->start; box_at(m, pos, b->end, &c); pos = c.end)
        if (level < 4 || !long_table(c.type))
            light_copy(m, pos, &c, way, level + 1, f, sb);
    if (level == 4)
        put_one_sample(sb, f);
    put_size(sb->buf + head, sb->len - head);
}

/* The child 'type' of 'in' and where its header starts ('*at'). */
static bool child_at(const uint8_t *m, const struct box *in, const char *type,
                     struct box *out, uint64_t *at)
{
    for (uint64_t pos = in->start; box_at(m, pos, in->end, out);
         pos = out->end)
        if (!memcmp(out->type, type, 4)) {
            *at = pos;
            return true;
        }
    return false;
}

uint8_t *mp4_light_moov(struct fsrc *src, uint64_t *at, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    struct box moov, trak, b, x;
    struct one_sample f = { 0 };
    uint64_t way[5] = { 0 }, was;
    const uint8_t *p;
    uint8_t *m;
    int audio = 0;

    if (src->size < 8 || !(p = fsrc_get(src, 0, 8)) ||
        memcmp(p + 4, "ftyp", 4) || !(m = load_moov(src, &moov, at, &was)))
        return NULL;
    if (child(m, &moov, "mvex", &x) || was > UINT32_MAX)
        goto fail;
    for (uint64_t pos = moov.start; box_at(m, pos, moov.end, &b);
         pos = b.end) {
        if (!audio_trak(m, &b))
            continue;
        if (audio++)
            goto fail;          /* two audio tracks: libavformat chooses */
        trak = b;
        way[1] = pos;
    }
    if (!audio || !child_at(m, &trak, "mdia", &b, &way[2]) ||
        !child_at(m, &b, "minf", &x, &way[3]) ||
        !child_at(m, &x, "stbl", &b, &way[4]) || !one_sample_of(m, &b, &f))
        goto fail;
    /*
     * The copy holds moov's payload only: a new moov is built around its
     * children, the way down rebuilt. A free box then covers the rest of
     * the old one, whose bytes libavformat skips where they are.
     */
    put32(&sb, 0);
    strbuf_add(&sb, "moov", 4);
    for (uint64_t pos = moov.start; box_at(m, pos, moov.end, &b); pos = b.end)
        light_copy(m, pos, &b, way, 1, &f, &sb);
    if (sb.len + 8 > was)
        goto fail;              /* no room for the free box */
    put_size(sb.buf, sb.len);
    put32(&sb, (uint32_t)(was - sb.len));
    strbuf_add(&sb, "free", 4);
    free(m);
    *len = sb.len;
    return (uint8_t *)strbuf_detach(&sb, NULL);
fail:
    free(m);
    strbuf_release(&sb);
    return NULL;
}

static int mp4_measure(struct fsrc *src, const struct fast_input *in,
                       struct fast_result *r, struct strbuf *msg)
{
    struct tables t = { .edit_media = -1 };
    struct box moov, trak, mdia, x;
    struct box stbl, stts;
    uint64_t pos, at, len, total, played;
    uint8_t *m;
    int64_t whole;
    int ret = FAST_FALLBACK, audio = 0;

    (void)msg;
    if (!(m = load_moov(src, &moov, &at, &len)))
        return FAST_FALLBACK;
    if (child(m, &moov, "mvex", &x))
        goto out;               /* fragmented */
    if (child(m, &moov, "mvhd", &x) && x.end - x.start >= 24)
        t.movie_timescale = fast_be32(m + x.start +
                                      (m[x.start] == 1 ? 20 : 12));
    for (pos = moov.start; box_at(m, pos, moov.end, &trak); pos = trak.end) {
        struct box elst, cand;

        if (!audio_trak(m, &trak))
            continue;
        if (audio++)
            goto out;           /* two audio tracks: libavformat chooses */
        cand = trak;
        if (!child(m, &cand, "mdia", &mdia))
            goto out;
        if (path(m, &trak, "edts/elst", &elst) && elst.end - elst.start >= 8) {
            int v = m[elst.start];
            uint64_t n = fast_be32(m + elst.start + 4), esz = v ? 20 : 12;
            const uint8_t *e = m + elst.start + 8;

            /* One edit, after an empty one (a start offset) or not. */
            if (n > (elst.end - elst.start - 8) / esz)
                goto out;
            if (n == 2 && (v ? fast_be64(e + 8) : fast_be32(e + 4)) ==
                          (v ? UINT64_MAX : 0xffffffffu)) {
                e += esz;
                n = 1;
            }
            if (n != 1)
                goto out;
            t.edit_duration = v ? fast_be64(e) : fast_be32(e);
            t.edit_media = v ? (int64_t)fast_be64(e + 8)
                             : (int32_t)fast_be32(e + 4);
            if (t.edit_media < 0)
                goto out;
        }
    }
    if (!audio || !child(m, &mdia, "mdhd", &x) || x.end - x.start < 24)
        goto out;
    t.timescale = fast_be32(m + x.start + (m[x.start] == 1 ? 20 : 12));
    if (!t.timescale || !path(m, &mdia, "minf/stbl", &stbl) ||
        !child(m, &stbl, "stts", &stts) || !read_stts(m, &stts, &t))
        goto out;
    /* libavcodec reports HE-AAC at twice the track's rate. */
    if (t.timescale != (uint32_t)in->sample_rate)
        goto out;
    t.priming = itunsmpb(m, &moov);
    if (t.edit_media < 0)
        t.edit_media = t.priming < t.duration ? (int64_t)t.priming : 0;
    whole = whole_samples(m, &stbl, t.samples, src->size);
    if (whole < 0)
        goto out;
    total = decoded(m, &stts, t.samples, &t, in);
    played = (uint64_t)whole < t.samples ?
             decoded(m, &stts, (uint64_t)whole, &t, in) : total;
    if (!total)
        goto out;
    if (played < total) {
        r->truncated = true;
        r->header_ms = fast_ms((int64_t)total, t.timescale);
    }
    r->duration_ms = fast_ms((int64_t)played, t.timescale);
    r->method = PROBE_MP4_TABLES;
    ret = r->duration_ms > 0 ? FAST_OK : FAST_FALLBACK;
out:
    free(m);
    return ret;
}

const struct fast_ops fast_mp4_ops = { "mp4", mp4_measure };
