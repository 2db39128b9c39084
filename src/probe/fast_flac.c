/*
 * The FLAC fast path. Every FLAC frame header carries the number of its
 * first sample (or of the frame, in fixed-block streams) and its block
 * size, protected by a CRC-8; the frame ends with a CRC-16. So the length
 * is where the last frame ends: found near the end of the file, and
 * believed only when that frame's CRC-16 holds up to the end and the
 * first frame is number 0. A stream whose STREAMINFO has no total (as
 * streaming encoders write it) is measured so; one with a total is
 * checked against it: a last frame that is cut off, or ends short of the
 * total, is a cut-off file.
 */
#include <string.h>

#include "fast.h"

/* How much of the end of the file is searched for the last frame. */
#define TAIL_BYTES (256u << 10)

struct streaminfo {
    uint32_t min_block, max_block, max_frame;
    uint32_t rate;
    int channels, bits;
    uint64_t total;
    uint64_t frames_start;      /* offset of the first frame */
};

struct frame {
    uint64_t number;            /* sample number, or frame number */
    uint32_t block;             /* samples */
    bool variable;              /* 'number' counts samples */
};

static uint8_t crc8(const uint8_t *p, size_t n)
{
    uint8_t crc = 0;

    while (n--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = (uint8_t)(crc & 0x80 ? crc << 1 ^ 0x07 : crc << 1);
    }
    return crc;
}

static uint16_t crc16(const uint8_t *p, size_t n)
{
    static uint16_t table[256];
    uint16_t crc = 0;

    if (!table[1]) {
        /* Built on first use; racing threads write the same values. */
        for (unsigned i = 0; i < 256; i++) {
            uint16_t c = (uint16_t)(i << 8);

            for (int j = 0; j < 8; j++)
                c = (uint16_t)(c & 0x8000 ? c << 1 ^ 0x8005 : c << 1);
            table[i] = c;
        }
    }
    while (n--)
        crc = (uint16_t)(crc << 8 ^ table[(crc >> 8) ^ *p++]);
    return crc;
}

/*
 * Parses the frame header at 'p' ('n' bytes there) into 'f': true when it
 * is one, its CRC-8 holds and it fits the stream 'si'.
 */
static bool frame_header(const uint8_t *p, size_t n,
                         const struct streaminfo *si, struct frame *f)
{
    static const int rates[12] = { 0, 88200, 176400, 192000, 8000, 16000,
                                   22050, 24000, 32000, 44100, 48000, 96000 };
    static const int bits[8] = { 0, 8, 12, 0, 16, 20, 24, 32 };
    size_t len = 4, extra;
    int bcode, rcode, ch, scode;
    uint64_t v;

    if (n < 6 || p[0] != 0xff || (p[1] & 0xfe) != 0xf8)
        return false;
    bcode = p[2] >> 4;
    rcode = p[2] & 0x0f;
    ch = p[3] >> 4;
    scode = (p[3] >> 1) & 7;
    if (!bcode || rcode == 15 || ch > 10 || scode == 3 || (p[3] & 1))
        return false;
    if ((ch < 8 ? ch + 1 : 2) != si->channels ||
        (scode && bits[scode] != si->bits) ||
        (rcode && rcode < 12 && (uint32_t)rates[rcode] != si->rate))
        return false;
    /* The frame or sample number, coded like UTF-8 (up to 36 bits). */
    v = p[4];
    extra = v < 0x80 ? 0 : v >= 0xfe ? 6 : v >= 0xfc ? 5 : v >= 0xf8 ? 4 :
            v >= 0xf0 ? 3 : v >= 0xe0 ? 2 : v >= 0xc0 ? 1 : 7;
    if (extra == 7 || (extra == 6 && v == 0xff))
        return false;
    v &= extra ? 0x3fu >> extra : 0x7f;
    if (n < len + 1 + extra + 2 + 2 + 1)
        return false;
    for (size_t i = 0; i < extra; i++) {
        if ((p[5 + i] & 0xc0) != 0x80)
            return false;
        v = v << 6 | (p[5 + i] & 0x3f);
    }
    len += 1 + extra;
    f->number = v;
    f->variable = p[1] & 1;
    if (bcode == 6)
        f->block = p[len++] + 1u;
    else if (bcode == 7) {
        f->block = fast_be16(p + len) + 1u;
        len += 2;
    } else {
        f->block = bcode == 1 ? 192 : bcode <= 5 ? 576u << (bcode - 2) :
                   256u << (bcode - 8);
    }
    len += rcode == 12 ? 1 : rcode >= 13 ? 2 : 0;
    return n > len && crc8(p, len) == p[len] && f->block <= 65535;
}

static bool read_streaminfo(struct fsrc *src, uint64_t pos,
                            struct streaminfo *si)
{
    const uint8_t *p = fsrc_get(src, pos, 4);

    if (!p || memcmp(p, "fLaC", 4))
        return false;
    pos += 4;
    for (bool last = false; !last;) {
        uint32_t size;

        if (!(p = fsrc_get(src, pos, 4)))
            return false;
        last = p[0] & 0x80;
        size = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if ((p[0] & 0x7f) == 0) {
            if (size < 34 || !(p = fsrc_get(src, pos + 4, 34)))
                return false;
            si->min_block = fast_be16(p);
            si->max_block = fast_be16(p + 2);
            si->max_frame = (uint32_t)p[7] << 16 | (uint32_t)p[8] << 8 | p[9];
            si->rate = (uint32_t)p[10] << 12 | (uint32_t)p[11] << 4 |
                       p[12] >> 4;
            si->channels = ((p[12] >> 1) & 7) + 1;
            si->bits = ((p[12] & 1) << 4 | p[13] >> 4) + 1;
            si->total = (uint64_t)(p[13] & 0x0f) << 32 | fast_be32(p + 14);
        }
        pos += 4 + (uint64_t)size;
    }
    si->frames_start = pos;
    return si->rate && si->max_block;
}

/*
 * The last frame of the 'n' bytes at 'p' when it is whole: the last
 * header whose frame's CRC-16 holds to the end. Looked for from the end,
 * a few headers back at most (a chance match in the data fails its CRC),
 * it costs a frame's CRC instead of the whole tail's; when it is not
 * found (a frame cut off, junk at the end), the tail is read forward.
 */
static bool last_whole_frame(const uint8_t *p, size_t n,
                             const struct streaminfo *si, struct frame *last)
{
    int tried = 0;

    for (size_t i = n >= 6 ? n - 5 : 0; i-- > 0 && tried < 4;) {
        struct frame f;

        if (p[i] != 0xff || !frame_header(p + i, n - i, si, &f))
            continue;
        tried++;
        if (crc16(p + i, n - i) == 0) {
            *last = f;
            return true;
        }
    }
    return false;
}

/* Where the frame at 'f' starts counting samples. */
static uint64_t first_sample(const struct frame *f,
                             const struct streaminfo *si)
{
    return f->variable ? f->number : f->number * si->max_block;
}

static int flac_measure(struct fsrc *src, const struct fast_input *in,
                        struct fast_result *r, struct strbuf *msg)
{
    struct streaminfo si = { 0 };
    struct frame f, last = { 0 }, prev = { 0 };
    uint64_t start, end, tail, last_pos = 0, played;
    const uint8_t *p;
    size_t n;
    bool have_last = false, have_prev = false, whole;

    (void)msg;
    if (!fast_tag_bounds(src, &start, &end) ||
        !read_streaminfo(src, start, &si) ||
        si.rate != (uint32_t)in->sample_rate ||
        si.channels != in->channels)
        return FAST_FALLBACK;
    /*
     * The first frame is number 0, or the numbers do not count from the
     * start; frame numbers count blocks of one size.
     */
    if (!(p = fsrc_some(src, si.frames_start, 32, &n)) ||
        !frame_header(p, n, &si, &f) || f.number != 0 ||
        (!f.variable && si.min_block != si.max_block))
        return FAST_FALLBACK;
    /*
     * The frame headers in the tail: a header counts once the CRC-16 of
     * the frame before it holds up to it (a frame's CRC-16 over itself,
     * its own two CRC bytes included, is 0); until one does, a header
     * may be a chance match in the data, and the next one replaces it.
     */
    tail = end - si.frames_start > TAIL_BYTES ? end - TAIL_BYTES :
           si.frames_start;
    if (!(p = fsrc_get(src, tail, (size_t)(end - tail))))
        return FAST_FALLBACK;
    whole = last_whole_frame(p, (size_t)(end - tail), &si, &last);
    for (size_t i = 0; !whole && i + 6 <= end - tail; i++) {
        if (p[i] != 0xff || !frame_header(p + i, (size_t)(end - tail) - i,
                                          &si, &f))
            continue;
        if (have_last && crc16(p + (last_pos - tail),
                               (size_t)(tail + i - last_pos)) == 0) {
            prev = last;
            have_prev = true;
        } else if (have_prev) {
            continue;
        }
        last = f;
        last_pos = tail + i;
        have_last = true;
    }
    if (!whole && !have_last)
        return FAST_FALLBACK;
    if (!whole)
        whole = crc16(p + (last_pos - tail), (size_t)(end - last_pos)) == 0;
    if (!whole && !have_prev)
        return FAST_FALLBACK;
    played = whole ? first_sample(&last, &si) + last.block :
             first_sample(&prev, &si) + prev.block;
    if (si.total && played != si.total) {
        /* Cut off: short of the total, and the last frame incomplete. */
        if (whole || played > si.total)
            return FAST_FALLBACK;
        r->truncated = true;
        r->header_ms = fast_ms((int64_t)si.total, si.rate);
    } else if (!whole) {
        r->truncated = true;    /* no total, but a frame cut off */
        r->header_ms = fast_ms((int64_t)(first_sample(&last, &si) +
                                         last.block), si.rate);
    }
    r->duration_ms = fast_ms((int64_t)played, si.rate);
    r->method = PROBE_FLAC_FRAMES;
    return FAST_OK;
}

const struct fast_ops fast_flac_ops = { "flac", flac_measure };
