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
 * measurement and under-reads high tones: the signal is oversampled 4x
 * (truepeak.c) over contiguous blocks, and a block is not interpolated
 * at all when it cannot hold a peak above the one already found (an
 * interpolated value is at most the sum of the taps' magnitudes times
 * the largest sample under them). The result is exactly that of
 * interpolating everything. From 96 kHz the samples are dense enough
 * for the sample peak (BS.1770-4 asks 4x of 48 kHz).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>

#include "decode.h"
#include "internal.h"
#include "truepeak.h"
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
    m->oversample = rate < 96000;
    m->hist = xcalloc(m->channels * (TP_TAPS - 1), sizeof(*m->hist));
    m->peak = 0;
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
    if (top * tp_gain_bound() > m->peak &&
        (v = tp_peak(x, frames + TP_TAPS - 1)) > m->peak)
        m->peak = v;
    memcpy(hist, x + frames, (TP_TAPS - 1) * sizeof(*x));
}

void meter_add(struct meter *m, const float *samples, size_t frames)
{
    ebur128_state *st = m->st;

    if (ebur128_add_frames_float(st, samples, frames) != EBUR128_SUCCESS)
        die("out of memory");
    if (!m->oversample) {
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
