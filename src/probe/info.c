/*
 * The parts of probing that need no FFmpeg, so that every command can use
 * them without loading the av module (av_load.c): audio_info's
 * lifecycle and output, warnings, failure messages, and the codecs
 * "alternates:" may name. The results they handle come from the module.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "podpub/json.h"
#include "podpub/probe.h"
#include "podpub/sound.h"
#include "podpub/strbuf.h"

void audio_info_release(struct audio_info *info)
{
    for (size_t i = 0; i < info->chapters_nr; i++)
        free(info->chapters[i].title);
    free(info->chapters);
    info->chapters = NULL;
    info->chapters_nr = 0;
}

void audio_info_copy(struct audio_info *dst, const struct audio_info *src)
{
    *dst = *src;
    if (!src->chapters_nr) {
        dst->chapters = NULL;
        return;
    }
    dst->chapters = xcalloc(src->chapters_nr, sizeof(*dst->chapters));
    for (size_t i = 0; i < src->chapters_nr; i++) {
        dst->chapters[i].start_ms = src->chapters[i].start_ms;
        dst->chapters[i].title = xstrdup(src->chapters[i].title);
    }
}

const char *probe_method_name(enum probe_method m)
{
    switch (m) {
    case PROBE_MP3_HEADER:  return "mp3-header";
    case PROBE_PACKETS:     return "packets";
    case PROBE_MP3_FRAMES:  return "mp3-frames";
    case PROBE_ADTS_FRAMES: return "adts-frames";
    case PROBE_MP4_TABLES:  return "mp4-tables";
    case PROBE_FLAC_FRAMES: return "flac-frames";
    case PROBE_WAV_SIZE:    return "wav-size";
    case PROBE_OGG_GRANULE: return "ogg-granules";
    default:               return "container";
    }
}

int probe_fail(struct strbuf *msg, int code, const char *fmt, ...)
{
    struct strbuf tmp = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(msg ? msg : &tmp, fmt, ap);
    va_end(ap);
    if (!msg)
        errorf(code, "%s", tmp.buf);
    strbuf_release(&tmp);
    return code;
}

int probe_audio(const char *path, struct audio_info *info)
{
    return probe_audio_opts(path, info, NULL, 0);
}

int probe_audio_msg(const char *path, struct audio_info *info,
                    struct strbuf *msg)
{
    return probe_audio_opts(path, info, msg, 0);
}

int probe_audio_memory(const char *name, const uint8_t *data, size_t len,
                       struct audio_info *info, struct strbuf *msg)
{
    return probe_audio_memory_opts(name, data, len, info, msg, 0);
}

void audio_tags_release(struct audio_tags *tags)
{
    free(tags->title);
    free(tags->artist);
    free(tags->date);
    memset(tags, 0, sizeof(*tags));
}

bool probe_warning(const char *path, const struct audio_info *info,
                   struct strbuf *out)
{
    if (!info->truncated)
        return false;
    strbuf_addf(out, "%s: truncated or damaged: its header says %" PRId64
                ".%03" PRId64 " s, %" PRId64 ".%03" PRId64 " s can be played",
                path, info->header_ms / 1000, info->header_ms % 1000,
                info->duration_ms / 1000, info->duration_ms % 1000);
    return true;
}

void loudness_json(struct json *j, const char *key,
                   const struct loudness *l)
{
    if (!l->measured)
        return;
    json_key(j, key);
    json_object(j);
    json_key(j, "integrated");
    json_fixed(j, l->integrated, 2);
    json_key(j, "range");
    json_fixed(j, l->range, 2);
    json_key(j, "true_peak");
    json_fixed(j, l->true_peak, 2);
    json_end(j);
}

void audio_info_json(struct json *j, const char *path,
                     const struct audio_info *info)
{
    json_object(j);
    json_kv_str(j, "path", path);
    json_key(j, "duration");
    json_decimal(j, info->duration_ms, 3, false);
    json_kv_int(j, "duration_ms", info->duration_ms);
    json_kv_uint(j, "bytes", info->size);
    json_kv_str(j, "mime", info->mime);
    json_kv_str(j, "container", info->container);
    json_kv_str(j, "codec", info->codec);
    json_kv_int(j, "sample_rate", info->sample_rate);
    json_kv_int(j, "channels", info->channels);
    json_kv_int(j, "bit_rate", info->bit_rate);
    json_kv_str(j, "method", probe_method_name(info->method));
    json_kv_bool(j, "truncated", info->truncated);
    if (info->remote) {
        json_kv_uint(j, "fetched", info->fetched);
        json_kv_uint(j, "requests", info->requests);
        json_kv_bool(j, "ranges", !info->whole);
        json_kv_str(j, "served_type", info->served_type);
    }
    loudness_json(j, "loudness", &info->loudness);
    json_key(j, "chapters");
    json_array(j);
    for (size_t i = 0; i < info->chapters_nr; i++) {
        json_object(j);
        json_kv_int(j, "start_ms", info->chapters[i].start_ms);
        json_kv_str(j, "title", info->chapters[i].title);
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

void audio_info_text(struct strbuf *out, const char *path,
                     const struct audio_info *info)
{
    strbuf_addf(out, "%s\n", path);
    strbuf_addf(out, "  duration: %" PRId64 ".%03" PRId64 " s (%s)\n",
                info->duration_ms / 1000, info->duration_ms % 1000,
                probe_method_name(info->method));
    strbuf_addf(out, "  bytes:    %" PRIu64 "\n", info->size);
    strbuf_addf(out, "  type:     %s (%s, %s, %d Hz, %d ch, %" PRId64
                " kbit/s)\n", info->mime, info->container, info->codec,
                info->sample_rate, info->channels,
                (info->bit_rate + 500) / 1000);
    if (info->remote)
        strbuf_addf(out, "  fetched:  %" PRIu64 " bytes in %lu request%s "
                    "(%.1f%% of the file%s)\n", info->fetched,
                    info->requests, info->requests == 1 ? "" : "s",
                    info->size ? 100.0 * (double)info->fetched /
                                 (double)info->size : 0.0,
                    info->whole ? ": the server ignores Range" : "");
    if (info->loudness.measured) {
        char i[16], lra[16], tp[16];

        strbuf_addf(out, "  loudness: %s LUFS integrated, range %s LU, true "
                    "peak %s dBTP\n",
                    loudness_str(info->loudness.integrated, i, sizeof(i)),
                    loudness_str(info->loudness.range, lra, sizeof(lra)),
                    loudness_str(info->loudness.true_peak, tp, sizeof(tp)));
    }
    for (size_t i = 0; i < info->chapters_nr; i++) {
        int64_t s = info->chapters[i].start_ms / 1000;

        strbuf_addf(out, "  chapter:  %" PRId64 ":%02" PRId64 ":%02" PRId64
                    ".%03" PRId64 " %s\n", s / 3600, s / 60 % 60, s % 60,
                    info->chapters[i].start_ms % 1000,
                    info->chapters[i].title);
    }
}

const char *loudness_str(double v, char *buf, size_t size)
{
    if (isinf(v) || isnan(v))
        snprintf(buf, size, "-inf");
    else
        snprintf(buf, size, "%.1f", v);
    return buf;
}

static const struct sound_codec codecs[] = {
    { "opus", "libopus", "opus", "Opus" },
    { "aac", "aac", "m4a", "AAC" },
};

const struct sound_codec *sound_codec_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(codecs); i++)
        if (!strcmp(codecs[i].name, name))
            return &codecs[i];
    return NULL;
}
