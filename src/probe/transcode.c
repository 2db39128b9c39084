/*
 * Lighter copies of an episode for podcast:alternateEnclosure: decoded
 * (decode.c) and encoded again (encode.c) in Opus (libopus) or AAC
 * (FFmpeg's own encoder), the channels kept.
 */
#include <string.h>

#include "decode.h"
#include "encode.h"
#include "internal.h"
#include "podpub/sound.h"

int sound_transcode(const char *src, const char *dst,
                    const struct sound_codec *codec, int64_t bit_rate,
                    struct strbuf *msg)
{
    struct decoder d = { 0 };
    struct encoder e = { 0 };
    struct encoder_opts o = { 0 };
    bool opened = false;
    int ret;

    if ((ret = decoder_open(&d, src, msg)) < 0)
        goto out;
    o.encoder = codec->encoder;
    o.bit_rate = bit_rate;
    /* Opus runs at 48 kHz inside whatever it is given: give it that. */
    o.sample_rate = !strcmp(codec->name, "opus") ? 48000 : 0;
    o.layout = &d.dec->ch_layout;
    o.in_rate = d.dec->sample_rate;
    opened = true;
    if ((ret = encoder_open(&e, dst, &o, msg)) < 0)
        goto out;
    while (decoder_next(&d) > 0) {
        if (d.frame->ch_layout.nb_channels != d.dec->ch_layout.nb_channels ||
            d.frame->sample_rate != d.dec->sample_rate)
            continue;
        if ((ret = encoder_write(&e, decoder_float(&d),
                                 (size_t)d.frame->nb_samples, msg)) < 0)
            goto out;
    }
out:
    if (opened) {
        int r = encoder_close(&e, ret == 0, msg);

        if (ret == 0)
            ret = r;
    }
    decoder_close(&d);
    return ret;
}
