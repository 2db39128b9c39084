/*
 * The MP3 fast path. A Xing/Info/VBRI header whose byte count fits the
 * file gives the length at once (less the LAME delay and padding); any
 * other file is measured by walking from frame header to frame header,
 * reading 4 bytes per frame and never the payload, and counting what a
 * decoder would decode: complete frames of the first frame's stream,
 * skipping junk between frames as libavformat resynchronises, and
 * stopping before the tags at the end and a cut-off last frame.
 */
#include <string.h>

#include "fast.h"
#include "mp3hdr.h"

/* How far into the audio the first frame may be looked for. */
#define FIRST_FRAME_SCAN (1u << 20)

/*
 * True when a frame of the stream 'ref' starts at 'pos' and is followed
 * by another frame of it or by the end: two headers in a row are what
 * tells a frame from junk that happens to hold a sync word.
 */
static bool confirmed_frame(struct fsrc *src, uint64_t pos, uint64_t end,
                            const uint8_t ref[4], struct mp3_frame *f)
{
    const uint8_t *p = fsrc_get(src, pos, 4);
    uint8_t h[4];

    if (!p || pos + 4 > end || !mp3_frame_header(p, f) || !f->bytes ||
        (ref && !mp3_same_stream(ref, p)))
        return false;
    memcpy(h, p, 4);
    if (pos + f->bytes == end)
        return true;
    if (pos + f->bytes + 4 > end || !(p = fsrc_get(src, pos + f->bytes, 4)))
        return false;
    {
        struct mp3_frame next;

        return mp3_frame_header(p, &next) && next.bytes &&
               mp3_same_stream(h, p);
    }
}

struct sync_arg {
    uint64_t end;
    const uint8_t *ref;
};

static bool sync_ok(struct fsrc *src, uint64_t pos, void *arg)
{
    struct sync_arg *a = arg;
    struct mp3_frame f;

    return confirmed_frame(src, pos, a->end, a->ref, &f);
}

/* The next confirmed frame at or after 'pos', or 'end' when none is. */
static uint64_t resync(struct fsrc *src, uint64_t pos, uint64_t end,
                       const uint8_t *ref, uint64_t limit)
{
    struct sync_arg a = { end, ref };

    return fast_resync(src, pos, end, limit, 4, sync_ok, &a);
}

struct walk {
    uint64_t frames;        /* frames after the tag frame */
    uint64_t lost;          /* of them, what the decoder does not decode */
    uint64_t junk;          /* bytes skipped between frames */
    bool partial;           /* the last frame is cut off */
};

/* True when the bytes [pos, end) are not all zero. */
static bool nonzero(struct fsrc *src, uint64_t pos, uint64_t end)
{
    while (pos < end) {
        size_t n;
        const uint8_t *p = fsrc_some(src, pos, end - pos, &n);

        if (!p)
            return false;
        for (size_t i = 0; i < n; i++)
            if (p[i])
                return true;
        pos += n;
    }
    return false;
}

/*
 * Walks the frames of the stream 'ref' from 'pos' to 'end', counting what
 * FFmpeg's decoder decodes: a cut-off last frame is decoded (padded), and
 * a frame right after junk is not, unless the junk is all zero bytes (the
 * parser hands the junk over with the frame, and the decoder skips only
 * leading zeros before it looks for the header).
 */
static void walk_frames(struct fsrc *src, uint64_t pos, uint64_t end,
                        const uint8_t ref[4], struct walk *w)
{
    struct mp3_frame f;
    uint32_t bytes[16];

    /*
     * In the stream of 'ref' a frame's length follows from its bit rate
     * index and padding bit alone: a table of the lengths by index (0
     * where mp3_frame_header() refuses it or gives free format) answers
     * for each frame what mp3_frame_header() would.
     */
    for (unsigned i = 0; i < 16; i++) {
        uint8_t h[4] = { ref[0], ref[1],
                         (uint8_t)(i << 4 | (ref[2] & 0x0d)), ref[3] };

        bytes[i] = mp3_frame_header(h, &f) ? f.bytes : 0;
    }
    while (pos + 4 <= end) {
        const uint8_t *p = fsrc_get(src, pos, 4);
        uint64_t next, n;

        if (!p)
            return;
        if (p[0] == 0xff && mp3_same_stream(ref, p) && bytes[p[2] >> 4]) {
            n = bytes[p[2] >> 4] + ((p[2] >> 1) & 1);
            w->frames++;
            if (pos + n > end) {
                w->partial = true;
                return;
            }
            pos += n;
            continue;
        }
        next = resync(src, pos + 1, end, ref, end);
        w->junk += next - pos;
        if (next + 4 <= end && nonzero(src, pos, next) &&
            (p = fsrc_get(src, next, 4)) && mp3_frame_header(p, &f)) {
            w->lost++;          /* the frame after the junk */
        }
        pos = next;
    }
}

static int mp3_measure(struct fsrc *src, const struct fast_input *in,
                       struct fast_result *r, struct strbuf *msg)
{
    struct mp3_header h;
    struct mp3_frame f;
    struct walk w = { 0 };
    uint64_t start, end, first;
    const uint8_t *p;
    uint8_t ref[4];
    int64_t header_ms = 0;
    size_t n;

    (void)msg;
    if (!fast_tag_bounds(src, &start, &end))
        return FAST_FALLBACK;
    first = confirmed_frame(src, start, end, NULL, &f) ? start :
            resync(src, start, end, NULL, start + FIRST_FRAME_SCAN);
    if (first >= end || !(p = fsrc_some(src, first, 8192, &n)) ||
        mp3_header_parse(p, n, first, &h) < 0 || h.audio_start != first)
        return FAST_FALLBACK;
    memcpy(ref, p, 4);
    mp3_frame_header(ref, &f);
    if (h.sample_rate != in->sample_rate)
        return FAST_FALLBACK;
    if (h.frames) {
        uint64_t have = end - h.audio_start;
        uint64_t frame = h.bytes / h.frames + 1;

        header_ms = fast_ms(mp3_header_samples(&h), h.sample_rate);
        /*
         * The header's counts hold when the file has the bytes it
         * promises, give or take two frames; far more bytes are MP3s
         * joined with cat, which keep the first file's header.
         */
        if (h.bytes && have + 2 * frame >= h.bytes &&
            have <= h.bytes + h.bytes / 50 + 4 * frame + 128 * 1024) {
            r->duration_ms = header_ms;
            r->method = PROBE_MP3_HEADER;
            return header_ms > 0 ? FAST_OK : FAST_FALLBACK;
        }
        if (!h.bytes) {
            r->duration_ms = header_ms;
            r->method = PROBE_MP3_HEADER;
            return header_ms > 0 ? FAST_OK : FAST_FALLBACK;
        }
        r->truncated = have + 2 * frame < h.bytes;
    }
    walk_frames(src, h.tag_frame ? first + f.bytes : first, end, ref, &w);
    if (src->failed)
        return FAST_FALLBACK;
    w.frames -= w.lost < w.frames ? w.lost : w.frames;
    /* A walk that reaches the header's count finds the file whole. */
    if (r->truncated && w.frames + 1 < h.frames) {
        /* The end is gone: only the delay at the start is trimmed. */
        struct mp3_header trim = h;

        trim.frames = 0;
        trim.end_pad = 0;
        r->header_ms = header_ms;
        r->duration_ms = fast_ms((int64_t)w.frames * h.samples_per_frame +
                                 mp3_header_samples_trim(&trim),
                                 h.sample_rate);
    } else {
        r->truncated = false;
        h.frames = (uint32_t)w.frames;
        if (w.frames != h.frames)
            return FAST_FALLBACK;       /* over 4 G frames: not audio */
        r->duration_ms = fast_ms(mp3_header_samples(&h), h.sample_rate);
    }
    r->method = PROBE_MP3_FRAMES;
    return r->duration_ms > 0 ? FAST_OK : FAST_FALLBACK;
}

bool mp3_free_format(struct fsrc *src)
{
    uint64_t start, end;
    const uint8_t *p;
    struct mp3_frame f;

    return fast_tag_bounds(src, &start, &end) &&
           (p = fsrc_get(src, start, 4)) && mp3_frame_header(p, &f) &&
           !f.bytes;
}

const struct fast_ops fast_mp3_ops = { "mp3", mp3_measure };
