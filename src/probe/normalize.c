/*
 * Loudness normalisation in two passes, as FFmpeg's loudnorm does in its
 * linear mode: measure (loudness.c), then one gain for the whole file.
 * Where that gain would take the true peak over the limit, loudnorm gives
 * up its linear mode and compresses everything; here a true-peak limiter
 * lowers only the moments that would pass the limit, and the rest of the
 * file keeps the one gain:
 *
 *   - each frame's true peak after the gain is estimated with the same
 *     4x interpolator the meter uses (truepeak.c), giving the gain
 *     r[n] <= 1 that frame needs;
 *   - m[k], the least r over the W frames from k on (a look-ahead of W
 *     frames, 5 ms), then released towards 1 no faster than a 60 ms time
 *     constant;
 *   - the gain applied to frame n is the mean of m over the W frames up
 *     to n. Every one of those windows holds frame n, so the mean is at
 *     most r[n]: the peak is under the limit, and the gain moves in
 *     ramps of W frames, never in steps.
 *
 * The copy is encoded in the source's codec, bit rate, sample rate and
 * container (encode.c), then measured; a codec that brought a peak back
 * over the limit, or a limiter that took away loudness, is answered by
 * encoding once more with the difference corrected.
 */
#include <math.h>
#include <string.h>

#include "decode.h"
#include "encode.h"
#include "internal.h"
#include "podpub/sound.h"
#include "truepeak.h"

#define LOOKAHEAD_S 0.005
#define RELEASE_S 0.060
#define MAX_PASSES 4

/*
 * The limiter, streaming: frames go in (already multiplied by the gain)
 * and come out about W + TP_TAPS frames later. Frame indices count from
 * the first frame pushed; 'lead' silent frames are pushed first and never
 * output, so the first real frame has whole windows behind it.
 */
struct limiter {
    unsigned ch;
    size_t w;                   /* the look-ahead, in frames */
    float ceiling;              /* linear */
    double release;             /* per-frame factor of (1 - gain) */
    float *ring;                /* the last 'ring_nr' frames */
    size_t ring_nr;
    double *m2;                 /* the last w released minima */
    size_t *dq_at;              /* the sliding minimum's deque */
    float *dq_v;
    size_t dq_head, dq_len;
    double m2_prev, sum;
    size_t in, lead, real_end;  /* frames pushed; silent ones; the end */
    float *out;                 /* frames ready for the encoder */
    size_t out_nr, out_alloc;
    size_t limited;             /* frames lowered by more than 0.01 dB */
};

static void limiter_init(struct limiter *l, unsigned ch, int rate,
                         float ceiling)
{
    memset(l, 0, sizeof(*l));
    l->ch = ch;
    l->w = (size_t)(LOOKAHEAD_S * rate) + 1;
    l->ceiling = ceiling;
    l->release = exp(-1.0 / (RELEASE_S * rate));
    l->ring_nr = l->w + 2 * TP_TAPS;
    l->ring = xcalloc(l->ring_nr * ch, sizeof(*l->ring));
    l->m2 = xcalloc(l->w, sizeof(*l->m2));
    l->dq_at = xcalloc(l->w + 1, sizeof(*l->dq_at));
    l->dq_v = xcalloc(l->w + 1, sizeof(*l->dq_v));
    l->m2_prev = 1.0;
    l->lead = 2 * l->w;
    l->real_end = SIZE_MAX;
}

static void limiter_release(struct limiter *l)
{
    free(l->ring);
    free(l->m2);
    free(l->dq_at);
    free(l->dq_v);
    free(l->out);
    memset(l, 0, sizeof(*l));
}

/* Frame 'i' (still in the ring). */
static float *frame_at(struct limiter *l, size_t i)
{
    return l->ring + (i % l->ring_nr) * l->ch;
}

/*
 * The gain frame 'c' needs: its sample and the points the interpolator
 * puts between it and the next frame (frames c - TP_CENTRE to
 * c - TP_CENTRE + TP_TAPS - 1 in the window), against the ceiling.
 */
static float needed_gain(struct limiter *l, size_t c)
{
    float peak = 0;

    for (unsigned k = 0; k < l->ch; k++) {
        float x[TP_TAPS];

        for (size_t t = 0; t < TP_TAPS; t++)
            x[t] = c + t >= TP_CENTRE ?
                   frame_at(l, c + t - TP_CENTRE)[k] : 0;
        peak = fmaxf(peak, fmaxf(fabsf(x[TP_CENTRE]), tp_peak(x, TP_TAPS)));
    }
    return peak > l->ceiling ? l->ceiling / peak : 1.0f;
}

/* Frame 'k' leaves with gain 'g', unless it is a lead or past the end. */
static void emit(struct limiter *l, size_t k, double g)
{
    const float *f = frame_at(l, k);

    if (k < l->lead || k >= l->real_end)
        return;
    if (l->out_nr + 1 > l->out_alloc) {
        l->out_alloc = l->out_alloc ? 2 * l->out_alloc : 4096;
        l->out = xrealloc(l->out, l->out_alloc * l->ch * sizeof(*l->out));
    }
    for (unsigned c = 0; c < l->ch; c++)
        l->out[l->out_nr * l->ch + c] = (float)(f[c] * g);
    l->out_nr++;
    l->limited += g < 0.99885;   /* 0.01 dB */
}

/* The needed gain 'r' of frame 'c' arrives: maybe frame c - 2w + 1 leaves. */
static void push_gain(struct limiter *l, size_t c, float r)
{
    size_t w = l->w, k;
    double m, m2;

    /* The sliding minimum of r over [c - w + 1, c]: a monotonic deque. */
    while (l->dq_len &&
           l->dq_v[(l->dq_head + l->dq_len - 1) % (w + 1)] >= r)
        l->dq_len--;
    l->dq_at[(l->dq_head + l->dq_len) % (w + 1)] = c;
    l->dq_v[(l->dq_head + l->dq_len) % (w + 1)] = r;
    l->dq_len++;
    if (l->dq_at[l->dq_head] + w <= c) {
        l->dq_head = (l->dq_head + 1) % (w + 1);
        l->dq_len--;
    }
    if (c + 1 < w)
        return;
    k = c + 1 - w;              /* m[k] is the least r of [k, k + w) */
    m = l->dq_v[l->dq_head];
    m2 = 1.0 - (1.0 - l->m2_prev) * l->release;
    if (m < m2)
        m2 = m;
    l->m2_prev = m2;
    l->sum += m2 - l->m2[k % w];
    l->m2[k % w] = m2;
    if (k + 1 >= w)
        emit(l, k, l->sum / (double)w);
}

/* Pushes one frame of 'ch' samples (NULL: silence). */
static void push_frame(struct limiter *l, const float *f)
{
    size_t i = l->in++;
    float *slot = frame_at(l, i);

    if (f)
        memcpy(slot, f, l->ch * sizeof(*slot));
    else
        memset(slot, 0, l->ch * sizeof(*slot));
    /* Frame i completes the window of frame i - (TP_TAPS - 1 - TP_CENTRE). */
    if (i + TP_CENTRE + 1 >= TP_TAPS)
        push_gain(l, i + TP_CENTRE + 1 - TP_TAPS,
                  needed_gain(l, i + TP_CENTRE + 1 - TP_TAPS));
}

/* The encoder for a copy of what 'd' decodes, to be written to 'dst'. */
static const char *encoder_for(const AVCodecParameters *par)
{
    const AVCodec *c;

    switch (par->codec_id) {
    case AV_CODEC_ID_MP3:       return "libmp3lame";
    case AV_CODEC_ID_AAC:       return "aac";
    case AV_CODEC_ID_OPUS:      return "libopus";
    case AV_CODEC_ID_VORBIS:    return "libvorbis";
    case AV_CODEC_ID_FLAC:      return "flac";
    default:
        c = avcodec_find_encoder(par->codec_id);
        return c ? c->name : NULL;
    }
}

/* One encoding of 'src' into 'dst' with 'gain_db' and 'ceiling_db'. */
static int one_pass(const char *src, const char *dst, double gain_db,
                    double ceiling_db, bool limit,
                    struct normalize_result *r, struct strbuf *msg)
{
    struct decoder d = { 0 };
    struct encoder e = { 0 };
    struct encoder_opts o = { 0 };
    struct limiter l = { 0 };
    float gain = (float)pow(10.0, gain_db / 20.0), *buf = NULL;
    size_t buf_alloc = 0;
    const AVCodecParameters *par;
    bool opened = false;
    int ret;

    if ((ret = decoder_open(&d, src, msg)) < 0)
        goto out;
    par = d.fmt->streams[d.si]->codecpar;
    if (!(o.encoder = encoder_for(par))) {
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: podpub cannot encode %s",
                         src, avcodec_get_name(par->codec_id));
        goto out;
    }
    o.bit_rate = par->bit_rate > 0 ? par->bit_rate : d.fmt->bit_rate;
    if (par->codec_id == AV_CODEC_ID_FLAC ||
        par->codec_id == AV_CODEC_ID_ALAC ||
        av_get_bits_per_sample(par->codec_id) > 0)
        o.bit_rate = 0;         /* lossless and PCM: no bit rate to keep */
    o.sample_rate = d.dec->sample_rate;
    o.in_rate = d.dec->sample_rate;
    o.layout = &d.dec->ch_layout;
    o.prefer = &d.dec->sample_fmt;     /* 16-bit FLAC stays 16-bit */
    o.meta_from = d.fmt;
    r->encoder = o.encoder;
    r->bit_rate = o.bit_rate;
    opened = true;
    if ((ret = encoder_open(&e, dst, &o, msg)) < 0)
        goto out;
    limiter_init(&l, (unsigned)d.dec->ch_layout.nb_channels,
                 d.dec->sample_rate, (float)pow(10.0, ceiling_db / 20.0));
    for (size_t i = 0; i < l.lead; i++)
        push_frame(&l, NULL);
    while (ret == 0 && decoder_next(&d) > 0) {
        size_t n = (size_t)d.frame->nb_samples * l.ch;
        const float *in;

        if (d.frame->ch_layout.nb_channels != (int)l.ch ||
            d.frame->sample_rate != d.dec->sample_rate)
            continue;
        in = decoder_float(&d);
        if (n > buf_alloc) {
            buf_alloc = n;
            buf = xrealloc(buf, n * sizeof(*buf));
        }
        for (size_t i = 0; i < n; i++)
            buf[i] = in[i] * gain;
        if (!limit) {
            ret = encoder_write(&e, buf, (size_t)d.frame->nb_samples, msg);
            continue;
        }
        for (size_t i = 0; i < (size_t)d.frame->nb_samples; i++)
            push_frame(&l, buf + i * l.ch);
        ret = encoder_write(&e, l.out, l.out_nr, msg);
        l.out_nr = 0;
    }
    if (ret == 0 && limit) {
        /* The end: silence pushes the last real frames out. */
        l.real_end = l.in;
        for (size_t i = 0; i < 2 * l.w + 2 * TP_TAPS; i++)
            push_frame(&l, NULL);
        ret = encoder_write(&e, l.out, l.out_nr, msg);
    }
    r->limited_s = (double)l.limited / d.dec->sample_rate;
out:
    if (opened) {
        int rc = encoder_close(&e, ret == 0, msg);

        if (ret == 0)
            ret = rc;
    }
    limiter_release(&l);
    free(buf);
    decoder_close(&d);
    return ret;
}

int sound_normalize(const char *src, const char *dst,
                    const struct normalize_opts *o,
                    struct normalize_result *r, struct strbuf *msg)
{
    double gain, ceiling;
    int ret;

    memset(r, 0, sizeof(*r));
    if ((ret = probe_loudness(src, &r->before, msg)) < 0)
        return ret;
    if (isinf(r->before.integrated))
        return probe_fail(msg, PP_ERR_INPUT, "%s: silent (nothing above "
                          "-70 LUFS): nothing to normalise", src);
    gain = o->target - r->before.integrated;
    /* Lossy codecs add overshoot: start with a little headroom. */
    ceiling = o->true_peak - 0.3;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        bool limit = r->before.true_peak + gain > ceiling;

        if ((ret = one_pass(src, dst, gain, ceiling, limit, r, msg)) < 0 ||
            (ret = probe_loudness(dst, &r->after, msg)) < 0)
            return ret;
        r->gain_db = gain;
        if (r->after.true_peak <= o->true_peak &&
            fabs(r->after.integrated - o->target) <= 0.2)
            break;
        /* Correct what the codec and the limiter did, and go again. */
        if (r->after.true_peak > o->true_peak)
            ceiling -= r->after.true_peak - o->true_peak + 0.1;
        gain += o->target - r->after.integrated;
    }
    return 0;
}
