/*
 * The encoder normalising and transcoding share (see encode.h): samples
 * in as interleaved floats, converted by libswresample, cut to the
 * codec's frame size, encoded by libavcodec and muxed by libavformat into
 * a temporary file created exclusively beside the real one, renamed over
 * it only once the trailer is written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/audio_fifo.h>
#include <libavutil/avutil.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "encode.h"
#include "internal.h"
#include "podpub/path.h"
#include "podpub/util.h"

/*
 * The sample format to feed the codec: 'prefer' if it takes it, else
 * float, else its first.
 */
static enum AVSampleFormat pick_format(const AVCodec *codec,
                                       const enum AVSampleFormat *prefer)
{
    static const enum AVSampleFormat liked[] = {
        AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S32,
        AV_SAMPLE_FMT_S16P, AV_SAMPLE_FMT_S16,
    };

    if (!codec->sample_fmts)
        return AV_SAMPLE_FMT_FLTP;
    for (const enum AVSampleFormat *f = codec->sample_fmts;
         prefer && *f != -1; f++)
        if (*f == *prefer)
            return *f;
    for (size_t i = 0; i < ARRAY_SIZE(liked); i++)
        for (const enum AVSampleFormat *f = codec->sample_fmts; *f != -1; f++)
            if (*f == liked[i])
                return *f;
    return codec->sample_fmts[0];
}

/* 'want' if the codec takes that rate, else the nearest it takes. */
static int pick_rate(const AVCodec *codec, int want)
{
    int best = 0;

    if (!codec->supported_samplerates)
        return want;
    for (const int *r = codec->supported_samplerates; *r; r++) {
        if (*r == want)
            return want;
        if (!best || abs(*r - want) < abs(best - want) ||
            (abs(*r - want) == abs(best - want) && *r > best))
            best = *r;
    }
    return best;
}

/*
 * Copies the tags, chapters and cover art (attached pictures) of 'from'
 * into 'to', the cover art as streams of their own whose one packet
 * encoder_open() writes after the header.
 */
static int copy_meta(AVFormatContext *to, const AVFormatContext *from)
{
    av_dict_copy(&to->metadata, from->metadata, 0);
    if (from->nb_chapters) {
        to->chapters = av_calloc(from->nb_chapters, sizeof(*to->chapters));
        if (!to->chapters)
            die("out of memory");
        for (unsigned i = 0; i < from->nb_chapters; i++) {
            const AVChapter *c = from->chapters[i];
            AVChapter *d = av_mallocz(sizeof(*d));

            if (!d)
                die("out of memory");
            d->id = c->id;
            d->time_base = c->time_base;
            d->start = c->start;
            d->end = c->end;
            av_dict_copy(&d->metadata, c->metadata, 0);
            to->chapters[to->nb_chapters++] = d;
        }
    }
    for (unsigned i = 0; i < from->nb_streams; i++) {
        const AVStream *s = from->streams[i];
        AVStream *d;

        if (!(s->disposition & AV_DISPOSITION_ATTACHED_PIC) ||
            !s->attached_pic.size || !to->oformat->video_codec ||
            !strcmp(to->oformat->name, "ogg") ||
            !strcmp(to->oformat->name, "opus") ||
            !strcmp(to->oformat->name, "wav") ||
            !strcmp(to->oformat->name, "adts"))
            continue;
        if (!(d = avformat_new_stream(to, NULL)))
            die("out of memory");
        if (avcodec_parameters_copy(d->codecpar, s->codecpar) < 0)
            die("out of memory");
        d->codecpar->codec_tag = 0;
        d->disposition = AV_DISPOSITION_ATTACHED_PIC;
        d->time_base = (AVRational){ 1, 90000 };
        av_dict_copy(&d->metadata, s->metadata, 0);
    }
    return 0;
}

/* Writes the cover art packets of 'from' to the streams copy_meta() made. */
static int write_pictures(AVFormatContext *to, const AVFormatContext *from)
{
    unsigned out = 1;   /* stream 0 is the audio */
    int ret = 0;

    for (unsigned i = 0; i < from->nb_streams && out < to->nb_streams; i++) {
        const AVStream *s = from->streams[i];
        AVPacket *pkt;

        if (!(s->disposition & AV_DISPOSITION_ATTACHED_PIC) ||
            !s->attached_pic.size)
            continue;
        if (!(pkt = av_packet_clone(&s->attached_pic)))
            die("out of memory");
        pkt->stream_index = (int)out++;
        pkt->pts = pkt->dts = 0;
        pkt->flags |= AV_PKT_FLAG_KEY;
        ret = av_interleaved_write_frame(to, pkt);
        av_packet_free(&pkt);
        if (ret < 0)
            break;
    }
    return ret;
}

int encoder_open(struct encoder *e, const char *path,
                 const struct encoder_opts *o, struct strbuf *msg)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(o->encoder);
    AVCodecContext *enc;
    int ret = 0, fd;

    probe_quiet_logs();
    memset(e, 0, sizeof(*e));
    e->path = xstrdup(path);
    if (!codec)
        return probe_fail(msg, PP_ERR_INPUT, "%s: this libavcodec has no %s "
                          "encoder", path, o->encoder);
    ret = avformat_alloc_output_context2(&e->fmt, NULL, NULL, path);
    if (ret < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: no container for this "
                          "name: %s", path, av_err2str(ret));
    if (!(e->st = avformat_new_stream(e->fmt, NULL)) ||
        !(e->enc = enc = avcodec_alloc_context3(codec)) ||
        !(e->frame = av_frame_alloc()) || !(e->pkt = av_packet_alloc()))
        die("out of memory");
    enc->sample_fmt = pick_format(codec, o->prefer);
    enc->sample_rate = pick_rate(codec, o->sample_rate ? o->sample_rate
                                                       : o->in_rate);
    /* A WAV without a channel mask: the usual layout for that many. */
    if (o->layout->order == AV_CHANNEL_ORDER_NATIVE)
        ret = av_channel_layout_copy(&enc->ch_layout, o->layout);
    else
        av_channel_layout_default(&enc->ch_layout, o->layout->nb_channels);
    if (ret < 0)
        die("out of memory");
    if (o->bit_rate > 0)
        enc->bit_rate = o->bit_rate;
    enc->time_base = (AVRational){ 1, enc->sample_rate };
    enc->thread_count = 1;
    if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((ret = avcodec_open2(enc, codec, NULL)) < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: cannot encode %s at %"
                          PRId64 " bit/s, %d Hz: %s", path, o->encoder,
                          o->bit_rate, enc->sample_rate, av_err2str(ret));
    if (avcodec_parameters_from_context(e->st->codecpar, enc) < 0)
        die("out of memory");
    e->st->time_base = enc->time_base;
    if (o->meta_from)
        copy_meta(e->fmt, o->meta_from);
    ret = swr_alloc_set_opts2(&e->swr, &enc->ch_layout, enc->sample_fmt,
                              enc->sample_rate, &enc->ch_layout,
                              AV_SAMPLE_FMT_FLT, o->in_rate, 0, NULL);
    if (ret < 0 || (ret = swr_init(e->swr)) < 0)
        return probe_fail(msg, PP_ERR_INPUT, "%s: cannot convert the "
                          "samples: %s", path, av_err2str(ret));
    if (!(e->fifo = av_audio_fifo_alloc(enc->sample_fmt,
                                        enc->ch_layout.nb_channels, 4096)))
        die("out of memory");

    /* The temporary file: exclusive, then opened by name (see encode.h). */
    if ((fd = temp_create(path, &e->tmp)) < 0)
        return probe_fail(msg, PP_ERR_IO, "cannot create a file beside "
                          "'%s': %s", path, strerror(errno));
    close(fd);
    av_freep(&e->fmt->url);
    e->fmt->url = av_strdup(e->tmp);
    if ((ret = avio_open(&e->fmt->pb, e->tmp, AVIO_FLAG_WRITE)) < 0)
        return probe_fail(msg, PP_ERR_IO, "cannot write '%s': %s", e->tmp,
                          av_err2str(ret));
    {
        AVDictionary *mux = NULL;

        /* MP4: the index first, so players start before the download ends. */
        if (!strcmp(e->fmt->oformat->name, "ipod") ||
            !strcmp(e->fmt->oformat->name, "mp4"))
            av_dict_set(&mux, "movflags", "+faststart", 0);
        ret = avformat_write_header(e->fmt, &mux);
        av_dict_free(&mux);
    }
    if (ret < 0)
        return probe_fail(msg, PP_ERR_IO, "%s: cannot write the header: %s",
                          path, av_err2str(ret));
    if (o->meta_from && (ret = write_pictures(e->fmt, o->meta_from)) < 0)
        return probe_fail(msg, PP_ERR_IO, "%s: cannot write the cover: %s",
                          path, av_err2str(ret));
    return 0;
}

/* Sends 'frame' (NULL: the end) and muxes what comes out. */
static int encode(struct encoder *e, AVFrame *frame, struct strbuf *msg)
{
    int ret = avcodec_send_frame(e->enc, frame);

    while (ret >= 0) {
        ret = avcodec_receive_packet(e->enc, e->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            break;
        av_packet_rescale_ts(e->pkt, e->enc->time_base, e->st->time_base);
        e->pkt->stream_index = e->st->index;
        ret = av_interleaved_write_frame(e->fmt, e->pkt);
    }
    return probe_fail(msg, PP_ERR_IO, "%s: cannot encode: %s", e->path,
                      av_err2str(ret));
}

/* Encodes whole frames from the FIFO; with 'last', what is left too. */
static int drain_fifo(struct encoder *e, bool last, struct strbuf *msg)
{
    int size = e->enc->frame_size > 0 ? e->enc->frame_size : 4096;
    bool small = !e->enc->frame_size ||
                 (e->enc->codec->capabilities &
                  (AV_CODEC_CAP_SMALL_LAST_FRAME |
                   AV_CODEC_CAP_VARIABLE_FRAME_SIZE));
    int ret;

    while (av_audio_fifo_size(e->fifo) >= size ||
           (last && av_audio_fifo_size(e->fifo) > 0)) {
        int n = av_audio_fifo_size(e->fifo) < size ?
                av_audio_fifo_size(e->fifo) : size;

        av_frame_unref(e->frame);
        e->frame->nb_samples = small ? n : size;
        e->frame->format = e->enc->sample_fmt;
        e->frame->sample_rate = e->enc->sample_rate;
        if (av_channel_layout_copy(&e->frame->ch_layout,
                                   &e->enc->ch_layout) < 0 ||
            av_frame_get_buffer(e->frame, 0) < 0)
            die("out of memory");
        if (n < e->frame->nb_samples)   /* a full last frame, padded */
            av_samples_set_silence(e->frame->extended_data, n,
                                   e->frame->nb_samples - n,
                                   e->enc->ch_layout.nb_channels,
                                   e->enc->sample_fmt);
        if (av_audio_fifo_read(e->fifo, (void **)e->frame->extended_data,
                               n) < n)
            die("audio fifo: short read");
        e->frame->pts = e->pts;
        e->pts += n;
        if ((ret = encode(e, e->frame, msg)) < 0)
            return ret;
    }
    return 0;
}

/* Converts 'frames' of 'samples' (NULL: what swr holds back) into the FIFO. */
static void convert(struct encoder *e, const float *samples, size_t frames)
{
    int out = swr_get_out_samples(e->swr, (int)frames);
    const uint8_t *in[1] = { (const uint8_t *)samples };
    int got;

    if (out > e->conv_alloc) {
        if (e->conv)
            av_freep(&e->conv[0]);
        av_freep(&e->conv);
        if (av_samples_alloc_array_and_samples(&e->conv, NULL,
                                               e->enc->ch_layout.nb_channels,
                                               out, e->enc->sample_fmt, 0) < 0)
            die("out of memory");
        e->conv_alloc = out;
    }
    got = swr_convert(e->swr, e->conv, out, samples ? in : NULL,
                      (int)frames);
    if (got > 0 && av_audio_fifo_write(e->fifo, (void **)e->conv, got) < got)
        die("out of memory");
}

int encoder_write(struct encoder *e, const float *samples, size_t frames,
                  struct strbuf *msg)
{
    if (!frames)
        return 0;
    convert(e, samples, frames);
    return drain_fifo(e, false, msg);
}

int encoder_close(struct encoder *e, bool ok, struct strbuf *msg)
{
    int ret = 0;

    if (ok) {
        convert(e, NULL, 0);
        if ((ret = drain_fifo(e, true, msg)) == 0 &&
            (ret = encode(e, NULL, msg)) == 0 &&
            (ret = av_write_trailer(e->fmt)) < 0)
            ret = probe_fail(msg, PP_ERR_IO, "%s: cannot finish: %s",
                             e->path, av_err2str(ret));
    }
    if (e->fmt && e->fmt->pb && avio_closep(&e->fmt->pb) < 0 && ok && !ret)
        ret = probe_fail(msg, PP_ERR_IO, "cannot write '%s'", e->tmp);
    if (ok && !ret && rename(e->tmp, e->path) < 0)
        ret = probe_fail(msg, PP_ERR_IO, "cannot rename '%s' to '%s': %s",
                         e->tmp, e->path, strerror(errno));
    if ((!ok || ret) && e->tmp)
        unlink(e->tmp);
    avcodec_free_context(&e->enc);
    avformat_free_context(e->fmt);
    swr_free(&e->swr);
    if (e->fifo)
        av_audio_fifo_free(e->fifo);
    if (e->conv)
        av_freep(&e->conv[0]);
    av_freep(&e->conv);
    av_frame_free(&e->frame);
    av_packet_free(&e->pkt);
    free(e->path);
    free(e->tmp);
    memset(e, 0, sizeof(*e));
    return ret;
}
