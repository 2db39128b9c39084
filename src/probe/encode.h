/*
 * Encoding audio into a file (internal to src/probe): what normalising
 * and transcoding write. Samples go in as interleaved floats at any rate;
 * libswresample converts them to the encoder's format and rate, a FIFO
 * cuts them into the encoder's frames, and libavformat muxes them into a
 * temporary file that becomes the real one only when it is complete.
 */
#ifndef PODPUB_PROBE_ENCODE_H
#define PODPUB_PROBE_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "podpub/strbuf.h"

struct SwrContext;
struct AVAudioFifo;

struct encoder_opts {
    const char *encoder;        /* libavcodec's name: "libopus", "aac" */
    int64_t bit_rate;           /* bits per second; 0: the codec's own */
    int sample_rate;            /* 0: the input's, if the codec takes it */
    const AVChannelLayout *layout;  /* the input's (and the output's) */
    int in_rate;                /* the input's sample rate */
    /* The sample format to encode from, if the codec takes it, or NULL. */
    const enum AVSampleFormat *prefer;
    /*
     * Tags, chapters and cover art to copy (a normalised copy keeps what
     * the original had), or NULL.
     */
    const AVFormatContext *meta_from;
};

struct encoder {
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *st;
    struct SwrContext *swr;
    struct AVAudioFifo *fifo;
    AVFrame *frame;
    AVPacket *pkt;
    uint8_t **conv;             /* swr's output buffer */
    int conv_alloc;             /* ... in samples */
    int64_t pts;                /* samples sent to the encoder */
    char *path, *tmp;
};

/*
 * Creates a temporary file beside 'path' and an encoder for it (the
 * container from 'path''s extension). Returns 0, or PP_ERR_IO /
 * PP_ERR_INPUT with the message in 'msg' (printed when NULL); call
 * encoder_close() either way.
 */
int encoder_open(struct encoder *e, const char *path,
                 const struct encoder_opts *o, struct strbuf *msg);

/* Encodes 'frames' interleaved frames of 'samples'. Returns 0 or an error. */
int encoder_write(struct encoder *e, const float *samples, size_t frames,
                  struct strbuf *msg);

/*
 * With 'ok': flushes the encoder, finishes the file and renames it to
 * its path (returns 0 or PP_ERR_IO); otherwise removes the temporary
 * file. Frees everything either way.
 */
int encoder_close(struct encoder *e, bool ok, struct strbuf *msg);

#endif
