/*
 * The av module's table (see av_module.h): built into podpub-av.so, whose
 * only exported symbol it is; the functions it points to are those of
 * probe.c, loudness.c, transcode.c and normalize.c.
 */
#include <stdio.h>

#include <libavformat/avformat.h>
#include <libavutil/avutil.h>

#include "av_module.h"

/* libavformat as loaded: "59.27.100 (FFmpeg 5.1.4)". */
static void libav_version(char *out, size_t size)
{
    unsigned v = avformat_version();

    snprintf(out, size, "%u.%u.%u (FFmpeg %s)", AV_VERSION_MAJOR(v),
             AV_VERSION_MINOR(v), AV_VERSION_MICRO(v), av_version_info());
}

__attribute__((visibility("default")))
const struct av_module podpub_av_module = {
    .head = { PODPUB_VERSION, sizeof(struct av_module), libav_version,
              NULL },
    .probe_audio_opts = probe_audio_opts,
    .probe_audio_memory_opts = probe_audio_memory_opts,
    .probe_fast_memory = probe_fast_memory,
    .probe_audio_tags = probe_audio_tags,
    .probe_loudness = probe_loudness,
    .probe_files_opened = probe_files_opened,
    .sound_transcode = sound_transcode,
    .sound_normalize = sound_normalize,
};
