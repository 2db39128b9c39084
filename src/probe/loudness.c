/*
 * Loudness per EBU R128 / ITU-R BS.1770-4: the file decoded by libavcodec
 * (decode.c) and measured by libebur128, the library made for it.
 * Integrated loudness and loudness range keep every 100 ms block (not
 * the histogram mode), so they are exact, and the K-weighting filters
 * are computed for the file's own sample rate, so nothing is resampled
 * first.
 *
 * The true peak is measured here, not by libebur128, whose interpolator
 * (a scalar loop over a ring buffer) took 80% of the time of a
 * measurement: the signal is oversampled 4x (2x from 96 kHz) by the
 * 48-tap filter BS.1770-4 Annex 2 gives, over contiguous blocks the
 * compiler vectorises, and a block is not interpolated at all when it
 * cannot hold a peak above the one already found (an interpolated value
 * is at most the sum of the taps' magnitudes times the largest sample
 * under them). The result is exactly that of interpolating everything.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>

#include "decode.h"
#include "internal.h"
#include "podpub/probe.h"

/* Where each channel of 'layout' counts (BS.1770-4 Table 3). */
static int channel_weight(const AVChannelLayout *layout, unsigned i)
{
    switch (av_channel_layout_channel_from_index(layout, i)) {
    case AV_CHAN_FRONT_LEFT:
        return EBUR128_LEFT;
    case AV_CHAN_FRONT_RIGHT:
        return EBUR128_RIGHT;
    case AV_CHAN_FRONT_CENTER:
        return EBUR128_CENTER;
    case AV_CHAN_LOW_FREQUENCY:
    case AV_CHAN_LOW_FREQUENCY_2:
        return EBUR128_UNUSED;
    case AV_CHAN_BACK_LEFT:
    case AV_CHAN_SIDE_LEFT:
        return EBUR128_LEFT_SURROUND;
    case AV_CHAN_BACK_RIGHT:
    case AV_CHAN_SIDE_RIGHT:
        return EBUR128_RIGHT_SURROUND;
    default:
        /* Unlabelled channels weigh 1.0, as a front channel does. */
        return EBUR128_LEFT;
    }
}

/* BS.1770-4 Annex 2: the 4x interpolation filter, its four phases. */
#define TP_TAPS 12
static const float tp_phase[4][TP_TAPS] = {
    { 0.0017089843750f, 0.0109863281250f, -0.0196533203125f,
      0.0332031250000f, -0.0594482421875f, 0.1373291015625f,
      0.9721679687500f, -0.1022949218750f, 0.0476074218750f,
      -0.0266113281250f, 0.0148925781250f, -0.0083007812500f },
    { -0.0291748046875f, 0.0292968750000f, -0.0517578125000f,
      0.0891113281250f, -0.1665039062500f, 0.4650878906250f,
      0.7797851562500f, -0.2003173828125f, 0.1015625000000f,
      -0.0582275390625f, 0.0330810546875f, -0.0189208984375f },
    { -0.0189208984375f, 0.0330810546875f, -0.0582275390625f,
      0.1015625000000f, -0.2003173828125f, 0.7797851562500f,
      0.4650878906250f, -0.1665039062500f, 0.0891113281250f,
      -0.0517578125000f, 0.0292968750000f, -0.0291748046875f },
    { -0.0083007812500f, 0.0148925781250f, -0.0266113281250f,
      0.0476074218750f, -0.1022949218750f, 0.9721679687500f,
      0.1373291015625f, -0.0594482421875f, 0.0332031250000f,
      -0.0196533203125f, 0.0109863281250f, 0.0017089843750f },
};
/* The largest sum of a phase's tap magnitudes (phases 1 and 2), rounded up. */
#define TP_GAIN_BOUND 2.03f

/* Which phases the rate needs: 4x below 96 kHz, 2x below 192 kHz. */
static int phase_step(int rate)
{
    return rate < 96000 ? 1 : rate < 192000 ? 2 : 4;
}

void meter_init(struct meter *m, const AVChannelLayout *layout, int rate)
{
    ebur128_state *st;

    m->channels = (unsigned)layout->nb_channels;
    st = ebur128_init(m->channels, (unsigned long)rate,
                      EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!st)
        die("out of memory");
    for (unsigned i = 0; i < m->channels; i++)
        ebur128_set_channel(st, i, channel_weight(layout, i));
    m->st = st;
    m->step = phase_step(rate);
    m->hist = xcalloc(m->channels * (TP_TAPS - 1), sizeof(*m->hist));
    m->peak = 0;
}

/*
 * Four floats processed as one (GCC's and clang's vector extension, which
 * each target lowers to its own SIMD or to plain code): lane p holds
 * phase p, so one multiply-add per tap interpolates all four points
 * between two samples.
 */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

/*
 * The largest magnitude the interpolator gives over 'x' (n samples, the
 * first TP_TAPS - 1 of them history), phases 'step' apart.
 */
static float interpolated_peak(const float *x, size_t n, int step)
{
    v4f taps[TP_TAPS], top = { 0, 0, 0, 0 };
    const v4i magnitude = { INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX };
    float best = 0;

    for (int k = 0; k < TP_TAPS; k++)
        for (int p = 0; p < 4; p++)   /* unused phases repeat phase 0 */
            taps[k][p] = tp_phase[p % step ? 0 : p][k];
    for (size_t i = 0; i + TP_TAPS <= n; i++) {
        v4f y = taps[0] * x[i];
        v4i bigger;

        for (int k = 1; k < TP_TAPS; k++)
            y += taps[k] * x[i + (size_t)k];
        y = (v4f)((v4i)y & magnitude);
        bigger = y > top;
        top = (v4f)(((v4i)y & bigger) | ((v4i)top & ~bigger));
    }
    for (int p = 0; p < 4; p++)
        if (top[p] > best)
            best = top[p];
    return best;
}

/*
 * The true peak of channel 'c' of 'frames' interleaved frames: the
 * channel's history and the block, contiguous in m->scratch, then the
 * interpolator over it unless the block cannot beat m->peak.
 */
static void true_peak(struct meter *m, const float *samples, size_t frames,
                      unsigned c)
{
    float *x = m->scratch, *hist = m->hist + c * (TP_TAPS - 1);
    float top = 0, v;

    memcpy(x, hist, (TP_TAPS - 1) * sizeof(*x));
    for (size_t i = 0; i < frames; i++) {
        x[TP_TAPS - 1 + i] = samples[i * m->channels + c];
        v = fabsf(samples[i * m->channels + c]);
        top = v > top ? v : top;
    }
    if (top > m->peak)
        m->peak = top;   /* never below the sample peak */
    for (size_t i = 0; i < TP_TAPS - 1; i++)
        top = fabsf(x[i]) > top ? fabsf(x[i]) : top;
    if (top * TP_GAIN_BOUND > m->peak &&
        (v = interpolated_peak(x, frames + TP_TAPS - 1, m->step)) > m->peak)
        m->peak = v;
    memcpy(hist, x + frames, (TP_TAPS - 1) * sizeof(*x));
}

void meter_add(struct meter *m, const float *samples, size_t frames)
{
    ebur128_state *st = m->st;

    if (ebur128_add_frames_float(st, samples, frames) != EBUR128_SUCCESS)
        die("out of memory");
    if (m->step == 4) {
        /* 192 kHz and more: the samples are the oversampled signal. */
        for (size_t i = 0; i < frames * m->channels; i++)
            m->peak = fmaxf(m->peak, fabsf(samples[i]));
        return;
    }
    if (frames + TP_TAPS > m->scratch_alloc) {
        m->scratch_alloc = frames + TP_TAPS;
        m->scratch = xrealloc(m->scratch, m->scratch_alloc * sizeof(float));
    }
    /* Blocks of 256: a quiet stretch is skipped, a loud one measured. */
    for (size_t at = 0; at < frames; at += 256) {
        size_t n = frames - at < 256 ? frames - at : 256;

        for (unsigned c = 0; c < m->channels; c++)
            true_peak(m, samples + at * m->channels, n, c);
    }
}

void meter_result(struct meter *m, struct loudness *out)
{
    ebur128_state *st = m->st;
    double v;

    memset(out, 0, sizeof(*out));
    out->measured = true;
    if (ebur128_loudness_global(st, &v) != EBUR128_SUCCESS)
        v = -HUGE_VAL;
    out->integrated = v > -70.0 ? v : -INFINITY;
    if (ebur128_loudness_range(st, &v) != EBUR128_SUCCESS)
        v = 0;
    out->range = v;
    out->true_peak = m->peak > 0 ? 20.0 * log10(m->peak) : -INFINITY;
}

void meter_release(struct meter *m)
{
    ebur128_state *st = m->st;

    if (st)
        ebur128_destroy(&st);
    free(m->hist);
    free(m->scratch);
    memset(m, 0, sizeof(*m));
}

int probe_loudness(const char *path, struct loudness *out,
                   struct strbuf *msg)
{
    struct decoder d = { 0 };
    struct meter m = { 0 };
    int ret;

    memset(out, 0, sizeof(*out));
    if ((ret = decoder_open(&d, path, msg)) < 0)
        goto out;
    meter_init(&m, &d.dec->ch_layout, d.dec->sample_rate);
    while (decoder_next(&d) > 0) {
        /* A stream that changes its layout mid-way is measured as begun. */
        if (d.frame->ch_layout.nb_channels != (int)m.channels ||
            d.frame->sample_rate != d.dec->sample_rate)
            continue;
        meter_add(&m, decoder_float(&d), (size_t)d.frame->nb_samples);
    }
    meter_result(&m, out);
    ret = 0;
out:
    meter_release(&m);
    decoder_close(&d);
    return ret;
}

const char *loudness_str(double v, char *buf, size_t size)
{
    if (isinf(v) || isnan(v))
        snprintf(buf, size, "-inf");
    else
        snprintf(buf, size, "%.1f", v);
    return buf;
}
