/*
 * The one table between podpub and its av module (podpub-av.so): the
 * functions of src/probe that need FFmpeg (libavformat, libavcodec,
 * libswresample) or libebur128, which the program loads on first use
 * (av_load.c) so that commands that read no audio start without them.
 * Each member is the function of probe.h or sound.h of the same name.
 */
#ifndef PODPUB_PROBE_AV_MODULE_H
#define PODPUB_PROBE_AV_MODULE_H

#include "podpub/module.h"
#include "podpub/probe.h"
#include "podpub/sound.h"

#define PP_AV_MODULE_FILE "podpub-av.so"
#define PP_AV_MODULE_SYMBOL "podpub_av_module"

struct av_module {
    struct module_head head;
    int (*probe_audio_opts)(const char *path, struct audio_info *info,
                            struct strbuf *msg, unsigned flags);
    int (*probe_audio_memory_opts)(const char *name, const uint8_t *data,
                                   size_t len, struct audio_info *info,
                                   struct strbuf *msg, unsigned flags);
    int (*probe_fast_memory)(const char *name, const uint8_t *data,
                             size_t len, struct audio_info *info,
                             struct strbuf *msg);
    int (*probe_audio_tags)(const char *path, struct audio_tags *tags);
    int (*probe_loudness)(const char *path, struct loudness *out,
                          struct strbuf *msg);
    unsigned long (*probe_files_opened)(void);
    int (*sound_transcode)(const char *src, const char *dst,
                           const struct sound_codec *codec,
                           int64_t bit_rate, struct strbuf *msg);
    int (*sound_normalize)(const char *src, const char *dst,
                           const struct normalize_opts *o,
                           struct normalize_result *r, struct strbuf *msg);
};

#endif
