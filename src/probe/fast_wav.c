/*
 * The WAV fast path: the data chunk's size over the block size. Streaming
 * encoders cannot go back to fill in the sizes, and leave 0 or 0xffffffff
 * (libavformat then only estimates); the data then runs to the end of the
 * file. A size that is real but larger than the file is a cut-off file.
 * RF64 files give the size in their ds64 chunk. Only PCM and IEEE float
 * are measured; any other codec goes to the packet walk.
 */
#include <string.h>

#include "fast.h"

/* What a size field holds when the encoder could not fill it in. */
static bool placeholder(uint32_t size)
{
    return size == 0 || size >= 0x7ffff000u;
}

static int wav_measure(struct fsrc *src, const struct fast_input *in,
                       struct fast_result *r, struct strbuf *msg)
{
    const uint8_t *p = fsrc_get(src, 0, 12);
    uint64_t pos = 12, ds64_data = 0, data_size;
    uint32_t rate = 0, block = 0, format = 0, channels = 0;
    bool rf64;

    (void)msg;
    if (!p || (memcmp(p, "RIFF", 4) && memcmp(p, "RF64", 4)) ||
        memcmp(p + 8, "WAVE", 4))
        return FAST_FALLBACK;
    rf64 = !memcmp(p, "RF64", 4);
    for (;;) {
        uint32_t id_size;

        if (!(p = fsrc_get(src, pos, 8)))
            return FAST_FALLBACK;
        id_size = fast_le32(p + 4);
        if (!memcmp(p, "data", 4))
            break;
        if (!memcmp(p, "fmt ", 4) && id_size >= 16) {
            if (!(p = fsrc_get(src, pos + 8, 16)))
                return FAST_FALLBACK;
            format = p[0] | (uint32_t)p[1] << 8;
            channels = p[2] | (uint32_t)p[3] << 8;
            rate = fast_le32(p + 4);
            block = p[12] | (uint32_t)p[13] << 8;
            if (format == 0xfffe && id_size >= 40 &&
                (p = fsrc_get(src, pos + 8 + 24, 2)))
                format = p[0] | (uint32_t)p[1] << 8;   /* the sub-format */
        } else if (!memcmp(p, "ds64", 4) && id_size >= 24) {
            if (!(p = fsrc_get(src, pos + 8, 24)))
                return FAST_FALLBACK;
            ds64_data = fast_le64(p + 8);
        }
        pos += 8 + (uint64_t)id_size + (id_size & 1);
    }
    if ((format != 1 && format != 3) || !block || !rate ||
        rate != (uint32_t)in->sample_rate ||
        channels != (uint32_t)in->channels)
        return FAST_FALLBACK;
    data_size = fast_le32(p + 4);
    pos += 8;
    if (rf64 && data_size == 0xffffffffu)
        data_size = ds64_data;
    else if (placeholder((uint32_t)data_size))
        data_size = src->size - pos;
    if (pos + data_size > src->size) {
        r->truncated = true;
        r->header_ms = fast_ms((int64_t)(data_size / block), rate);
        data_size = src->size - pos;
    }
    r->duration_ms = fast_ms((int64_t)(data_size / block), rate);
    r->method = PROBE_WAV_SIZE;
    return FAST_OK;
}

const struct fast_ops fast_wav_ops = { "wav", wav_measure };
