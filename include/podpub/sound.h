/*
 * What podpub does to the sound itself, the only steps that decode and
 * encode (implemented in src/probe, the one module that includes
 * libavcodec's headers): a loudness-normalised copy of an episode's
 * audio, and lighter copies in other codecs for
 * podcast:alternateEnclosure. Measuring loudness is probing: see
 * probe_loudness() in probe.h.
 */
#ifndef PODPUB_SOUND_H
#define PODPUB_SOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"

/* The codecs "alternates:" may name, with their file's extension. */
struct sound_codec {
    const char *name;           /* "opus", "aac" */
    const char *encoder;        /* libavcodec's: "libopus", "aac" */
    const char *ext;            /* "opus", "m4a" */
    const char *label;          /* "Opus", "AAC" */
};

/* The codec called 'name', or NULL. */
const struct sound_codec *sound_codec_find(const char *name);

/*
 * Decodes 'src' and encodes it with 'codec' at 'bit_rate' bits per
 * second into 'dst' (written under a temporary name, then renamed; Opus
 * at 48 kHz, AAC at the source's rate), keeping the channels. Returns 0,
 * or PP_ERR_INPUT / PP_ERR_IO with the message in 'msg' (printed when
 * NULL).
 */
int sound_transcode(const char *src, const char *dst,
                    const struct sound_codec *codec, int64_t bit_rate,
                    struct strbuf *msg);

struct normalize_opts {
    double target;              /* integrated loudness wanted, LUFS */
    double true_peak;           /* the highest true peak allowed, dBTP */
};

struct normalize_result {
    struct loudness before, after;  /* measured in 'src', then in 'dst' */
    double gain_db;             /* the linear gain applied */
    double limited_s;           /* seconds of audio the limiter lowered */
    const char *encoder;        /* static: libavcodec's encoder used */
    int64_t bit_rate;           /* bits per second written */
};

/*
 * Writes to 'dst' a copy of 'src' whose integrated loudness is
 * o->target and whose true peak is at most o->true_peak, in the same
 * codec, bit rate, sample rate and container, with the same tags,
 * chapters and cover art. Two passes, as loudnorm's linear mode: the
 * first measures; the second applies one gain to the whole file, and
 * only where that gain would take a peak over the limit, a look-ahead
 * true-peak limiter lowers those moments alone. The copy is measured
 * again; when the codec brought a peak back over the limit, it is made
 * once more with that much headroom. Returns 0 with 'r' filled, or a
 * PP_ERR_* code with the message in 'msg' (printed when NULL).
 */
int sound_normalize(const char *src, const char *dst,
                    const struct normalize_opts *o,
                    struct normalize_result *r, struct strbuf *msg);

#endif
