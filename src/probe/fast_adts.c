/*
 * The ADTS AAC fast path. Raw AAC in ADTS frames has no header with a
 * length: each frame starts with a 7-byte header (9 with a CRC) holding
 * its 13-bit length and how many raw blocks of 1024 samples it carries.
 * The walk jumps from header to header, as the MP3 walk does, past ID3v2
 * tags at the start and ID3v1/APE tags at the end.
 */
#include <string.h>

#include "fast.h"

struct adts {
    int rate_index, channels;
    uint32_t bytes;             /* the frame's length, header included */
    int samples;                /* 1024 per raw data block */
};

static bool adts_header(const uint8_t *p, struct adts *a)
{
    if (p[0] != 0xff || (p[1] & 0xf6) != 0xf0)   /* sync, layer 0 */
        return false;
    a->rate_index = (p[2] >> 2) & 0x0f;
    a->channels = (p[2] & 1) << 2 | p[3] >> 6;
    a->bytes = (uint32_t)(p[3] & 3) << 11 | (uint32_t)p[4] << 3 | p[5] >> 5;
    a->samples = 1024 * ((p[6] & 3) + 1);
    return a->rate_index < 13 && a->bytes >= (p[1] & 1 ? 7u : 9u);
}

/* True when 'a' and 'b' are frames of one stream (profile, rate). */
static bool same_stream(const uint8_t *a, const uint8_t *b)
{
    return (a[1] & 0xf8) == (b[1] & 0xf8) && (a[2] & 0xfc) == (b[2] & 0xfc);
}

/* A frame at 'pos' followed by another of its stream, or by the end. */
static bool confirmed(struct fsrc *src, uint64_t pos, uint64_t end,
                      const uint8_t *ref)
{
    const uint8_t *p = pos + 7 <= end ? fsrc_get(src, pos, 7) : NULL;
    uint8_t h[7];
    struct adts a;

    if (!p || !adts_header(p, &a) || (ref && !same_stream(ref, p)))
        return false;
    if (pos + a.bytes == end)
        return true;
    memcpy(h, p, 7);
    p = pos + a.bytes + 7 <= end ? fsrc_get(src, pos + a.bytes, 7) : NULL;
    return p && adts_header(p, &a) && same_stream(h, p);
}

struct sync_arg {
    uint64_t end;
    const uint8_t *ref;
};

static bool sync_ok(struct fsrc *src, uint64_t pos, void *arg)
{
    struct sync_arg *a = arg;

    return confirmed(src, pos, a->end, a->ref);
}

static uint64_t resync(struct fsrc *src, uint64_t pos, uint64_t end,
                       const uint8_t *ref)
{
    struct sync_arg a = { end, ref };

    return fast_resync(src, pos, end, end, 7, sync_ok, &a);
}

static int adts_measure(struct fsrc *src, const struct fast_input *in,
                        struct fast_result *r, struct strbuf *msg)
{
    static const int rates[13] = { 96000, 88200, 64000, 48000, 44100, 32000,
                                   24000, 22050, 16000, 12000, 11025, 8000,
                                   7350 };
    uint64_t start, end, pos, samples = 0;
    const uint8_t *p;
    uint8_t ref[7];
    struct adts a;

    (void)msg;
    if (!fast_tag_bounds(src, &start, &end))
        return FAST_FALLBACK;
    pos = confirmed(src, start, end, NULL) ? start :
          resync(src, start, end, NULL);
    if (pos >= end || !(p = fsrc_get(src, pos, 7)))
        return FAST_FALLBACK;
    memcpy(ref, p, 7);
    if (!adts_header(ref, &a))
        return FAST_FALLBACK;
    /*
     * libavcodec reports HE-AAC at twice the header's rate (SBR); the
     * frames then hold twice the samples. Only plain AAC is walked.
     */
    if (rates[a.rate_index] != in->sample_rate)
        return FAST_FALLBACK;
    while (pos + 7 <= end && (p = fsrc_get(src, pos, 7))) {
        if (adts_header(p, &a) && same_stream(ref, p)) {
            if (pos + a.bytes > end)
                break;          /* a cut-off last frame */
            samples += (uint64_t)a.samples;
            pos += a.bytes;
        } else {
            pos = resync(src, pos + 1, end, ref);
        }
    }
    if (src->failed)
        return FAST_FALLBACK;
    r->duration_ms = fast_ms((int64_t)samples, in->sample_rate);
    r->method = PROBE_ADTS_FRAMES;
    return FAST_OK;
}

const struct fast_ops fast_adts_ops = { "aac", adts_measure };
