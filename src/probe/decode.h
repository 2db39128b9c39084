/*
 * Decoding audio to samples, for what must hear the sound rather than
 * read its container: the loudness meter, normalising and transcoding
 * (internal to src/probe). One decoder per file and per thread: the
 * codec runs single-threaded, so a pool of one file per core uses every
 * core without the threads of one file competing with another's.
 */
#ifndef PODPUB_PROBE_DECODE_H
#define PODPUB_PROBE_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "podpub/strbuf.h"

struct decoder {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;             /* the frame decoder_next() returned */
    int si;                     /* the audio stream's index */
    bool draining;              /* the demuxer ended; the codec flushes */
    float *interleaved;         /* decoder_float()'s buffer */
    size_t interleaved_alloc;
};

/*
 * Opens 'path' and its best audio stream's decoder into 'd' (zeroed by
 * the caller). Returns 0, or PP_ERR_INPUT / PP_ERR_IO with the message,
 * starting with 'path', in 'msg' (printed when 'msg' is NULL). Close
 * with decoder_close() either way.
 */
int decoder_open(struct decoder *d, const char *path, struct strbuf *msg);

/*
 * Decodes the next frame into d->frame: 1, or 0 at the end. Damaged
 * packets are skipped, as players skip them.
 */
int decoder_next(struct decoder *d);

/*
 * The samples of d->frame as interleaved floats (the decoder's buffer,
 * valid until the next call): nb_samples * channels of them.
 */
const float *decoder_float(struct decoder *d);

void decoder_close(struct decoder *d);

/*
 * The loudness meter (libebur128, see loudness.c) over interleaved float
 * samples of 'channels' channels in 'layout' at 'rate' Hz.
 */
struct loudness;
struct meter {
    void *st;                   /* ebur128_state *, an anonymous struct */
    unsigned channels;
    float *hist;                /* the last TP_TAPS - 1 samples a channel */
    float *scratch;             /* one channel's history and block */
    size_t scratch_alloc;
    float peak;                 /* the true peak so far (linear) */
    bool oversample;            /* below 96 kHz: interpolate */
};

void meter_init(struct meter *m, const AVChannelLayout *layout, int rate);
void meter_add(struct meter *m, const float *samples, size_t frames);
void meter_result(struct meter *m, struct loudness *out);
void meter_release(struct meter *m);

#endif
