/*
 * The decoder the loudness meter, normalising and transcoding share: a
 * file's best audio stream decoded frame by frame with libavcodec, and
 * its samples as interleaved floats whatever the codec's sample format.
 */
#include <errno.h>
#include <string.h>

#include <libavutil/avutil.h>

#include "decode.h"
#include "internal.h"
#include "podpub/util.h"

int decoder_open(struct decoder *d, const char *path, struct strbuf *msg)
{
    const AVCodec *codec;
    int ret;

    probe_quiet_logs();
    d->si = -1;
    ret = probe_open_local(&d->fmt, path, NULL);
    if (ret < 0)
        return probe_fail(msg, ret == AVERROR(ENOENT) ? PP_ERR_INPUT :
                          ret == AVERROR(EIO) ? PP_ERR_IO : PP_ERR_INPUT,
                          "%s: cannot decode: %s", path, av_err2str(ret));
    if ((ret = avformat_find_stream_info(d->fmt, NULL)) < 0 ||
        (d->si = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1,
                                     &codec, 0)) < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: cannot decode: no audio "
                          "stream", path);
    /* Only the audio stream is read: cover art and chapters are skipped. */
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->si)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    if (!(d->dec = avcodec_alloc_context3(codec)) ||
        !(d->pkt = av_packet_alloc()) || !(d->frame = av_frame_alloc()))
        die("out of memory");
    if ((ret = avcodec_parameters_to_context(d->dec,
                                             d->fmt->streams[d->si]->codecpar))
        < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: cannot decode: %s", path,
                          av_err2str(ret));
    d->dec->thread_count = 1;     /* one file per core, see decode.h */
    d->dec->pkt_timebase = d->fmt->streams[d->si]->time_base;
    if ((ret = avcodec_open2(d->dec, codec, NULL)) < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: cannot decode %s: %s", path,
                          codec->name, av_err2str(ret));
    return 0;
}

int decoder_next(struct decoder *d)
{
    for (;;) {
        int ret = avcodec_receive_frame(d->dec, d->frame);

        if (ret >= 0)
            return 1;
        /*
         * The end, or (flushing) a frame the codec could not rebuild;
         * while reading, a damaged frame is skipped and reading goes on.
         */
        if (ret == AVERROR_EOF || d->draining)
            return 0;
        if (av_read_frame(d->fmt, d->pkt) < 0) {
            d->draining = true;
            avcodec_send_packet(d->dec, NULL);
            continue;
        }
        if (d->pkt->stream_index == d->si)
            avcodec_send_packet(d->dec, d->pkt);  /* damaged: skipped */
        av_packet_unref(d->pkt);
    }
}

/* Sample 'i' of plane 'p' of 'data' in 'fmt' (packed or planar) as float. */
static inline float sample_at(const uint8_t *data, enum AVSampleFormat fmt,
                              size_t i)
{
    float f;
    double d;

    switch (fmt) {
    case AV_SAMPLE_FMT_U8:
    case AV_SAMPLE_FMT_U8P:
        return ((float)data[i] - 128.0f) / 128.0f;
    case AV_SAMPLE_FMT_S16:
    case AV_SAMPLE_FMT_S16P:
        return (float)((const int16_t *)data)[i] / 32768.0f;
    case AV_SAMPLE_FMT_S32:
    case AV_SAMPLE_FMT_S32P:
        return (float)((double)((const int32_t *)data)[i] / 2147483648.0);
    case AV_SAMPLE_FMT_S64:
    case AV_SAMPLE_FMT_S64P:
        return (float)((double)((const int64_t *)data)[i] /
                       9223372036854775808.0);
    case AV_SAMPLE_FMT_FLT:
    case AV_SAMPLE_FMT_FLTP:
        memcpy(&f, data + i * sizeof(f), sizeof(f));
        return f;
    case AV_SAMPLE_FMT_DBL:
    case AV_SAMPLE_FMT_DBLP:
        memcpy(&d, data + i * sizeof(d), sizeof(d));
        return (float)d;
    default:
        return 0.0f;
    }
}

const float *decoder_float(struct decoder *d)
{
    const AVFrame *f = d->frame;
    enum AVSampleFormat fmt = f->format;
    size_t ch = (size_t)f->ch_layout.nb_channels;
    size_t n = (size_t)f->nb_samples * ch;

    if (fmt == AV_SAMPLE_FMT_FLT)
        return (const float *)f->extended_data[0];
    if (n > d->interleaved_alloc) {
        d->interleaved_alloc = n;
        d->interleaved = xrealloc(d->interleaved, n * sizeof(float));
    }
    if (fmt == AV_SAMPLE_FMT_FLTP) {
        /* The common case (MP3, AAC, Opus): one plain loop per channel. */
        for (size_t c = 0; c < ch; c++) {
            const float *src = (const float *)f->extended_data[c];
            float *dst = d->interleaved + c;

            for (int i = 0; i < f->nb_samples; i++)
                dst[(size_t)i * ch] = src[i];
        }
    } else if (av_sample_fmt_is_planar(fmt)) {
        for (size_t c = 0; c < ch; c++)
            for (int i = 0; i < f->nb_samples; i++)
                d->interleaved[(size_t)i * ch + c] =
                    sample_at(f->extended_data[c], fmt, (size_t)i);
    } else {
        for (size_t i = 0; i < n; i++)
            d->interleaved[i] = sample_at(f->extended_data[0], fmt, i);
    }
    return d->interleaved;
}

void decoder_close(struct decoder *d)
{
    avcodec_free_context(&d->dec);
    avformat_close_input(&d->fmt);
    av_packet_free(&d->pkt);
    av_frame_free(&d->frame);
    free(d->interleaved);
    memset(d, 0, sizeof(*d));
}
