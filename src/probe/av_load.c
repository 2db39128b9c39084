/*
 * The program's side of the av module (av_module.h): the functions of
 * probe.h and sound.h that need FFmpeg, each loading podpub-av.so on
 * first use and calling its table. Linked into the podpub program only;
 * the tests and fuzz targets link the module's code itself instead.
 * Commands that read no audio (list, check, a warm build...) never get
 * here, and so never map FFmpeg's libraries.
 */
#include <string.h>

#include "av_module.h"
#include "internal.h"
#include "podpub/version.h"

static struct module_slot slot =
    MODULE_SLOT_INIT(PP_AV_MODULE_FILE, PP_AV_MODULE_SYMBOL, struct av_module);

/* The module's table, loaded now if need be; NULL if it cannot be. */
static const struct av_module *av(void)
{
    return module_get(&slot);
}

int probe_audio_opts(const char *path, struct audio_info *info,
                     struct strbuf *msg, unsigned flags)
{
    const struct av_module *m = av();

    if (!m) {
        memset(info, 0, sizeof(*info));
        return probe_fail(msg, PP_ERR_IO, "%s: %s", path, slot.error.buf);
    }
    return m->probe_audio_opts(path, info, msg, flags);
}

int probe_audio_memory_opts(const char *name, const uint8_t *data,
                            size_t len, struct audio_info *info,
                            struct strbuf *msg, unsigned flags)
{
    const struct av_module *m = av();

    if (!m) {
        memset(info, 0, sizeof(*info));
        return probe_fail(msg, PP_ERR_IO, "%s: %s", name, slot.error.buf);
    }
    return m->probe_audio_memory_opts(name, data, len, info, msg, flags);
}

int probe_fast_memory(const char *name, const uint8_t *data, size_t len,
                      struct audio_info *info, struct strbuf *msg)
{
    const struct av_module *m = av();

    if (!m)
        return probe_fail(msg, PP_ERR_IO, "%s: %s", name, slot.error.buf);
    return m->probe_fast_memory(name, data, len, info, msg);
}

int probe_audio_tags(const char *path, struct audio_tags *tags)
{
    const struct av_module *m = av();

    if (!m) {
        memset(tags, 0, sizeof(*tags));
        return probe_fail(NULL, PP_ERR_IO, "%s: %s", path, slot.error.buf);
    }
    return m->probe_audio_tags(path, tags);
}

int probe_loudness(const char *path, struct loudness *out,
                   struct strbuf *msg)
{
    const struct av_module *m = av();

    if (!m) {
        memset(out, 0, sizeof(*out));
        return probe_fail(msg, PP_ERR_IO, "%s: %s", path, slot.error.buf);
    }
    return m->probe_loudness(path, out, msg);
}

/* Not loading the module: a process that never loaded it opened nothing. */
unsigned long probe_files_opened(void)
{
    const struct av_module *m = module_loaded(&slot);

    return m ? m->probe_files_opened() : 0;
}

int sound_transcode(const char *src, const char *dst,
                    const struct sound_codec *codec, int64_t bit_rate,
                    struct strbuf *msg)
{
    const struct av_module *m = av();

    if (!m)
        return probe_fail(msg, PP_ERR_IO, "%s: %s", src, slot.error.buf);
    return m->sound_transcode(src, dst, codec, bit_rate, msg);
}

int sound_normalize(const char *src, const char *dst,
                    const struct normalize_opts *o,
                    struct normalize_result *r, struct strbuf *msg)
{
    const struct av_module *m = av();

    if (!m)
        return probe_fail(msg, PP_ERR_IO, "%s: %s", src, slot.error.buf);
    return m->sound_normalize(src, dst, o, r, msg);
}

void av_lib_version(char *out, size_t size, const char *compiled,
                    bool load_now)
{
    module_lib_version(&slot, compiled, load_now, out, size);
}
