/*
 * A reader for the first frame of an MP3 file. libavformat computes an MP3
 * duration from the Xing frame count but neither trims the LAME encoder
 * delay and padding from it (its decoder does, so a full decode is up to
 * 50 ms shorter) nor tells whether the file still holds as many bytes as
 * the header promises. Both need the header's fields, read here.
 */
#include <stdio.h>
#include <string.h>

#include "mp3hdr.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Sample rates by MPEG version index (3: MPEG-1, 2: MPEG-2, 0: 2.5). */
static int sample_rate_of(int version, int index)
{
    static const int base[3] = { 44100, 48000, 32000 };

    if (index == 3 || version == 1)
        return 0;
    return version == 3 ? base[index] : version == 2 ? base[index] / 2
                                                     : base[index] / 4;
}

/* True when 'p' holds a plausible MPEG audio layer III frame header. */
static bool frame_header(const uint8_t *p, int *version, int *rate,
                         bool *mono)
{
    if (p[0] != 0xff || (p[1] & 0xe0) != 0xe0)
        return false;
    *version = (p[1] >> 3) & 3;
    if (((p[1] >> 1) & 3) != 1)        /* layer III */
        return false;
    if ((p[2] >> 4) == 0xf)            /* bad bit rate index */
        return false;
    *rate = sample_rate_of(*version, (p[2] >> 2) & 3);
    *mono = (p[3] >> 6) == 3;
    return *rate > 0;
}

int mp3_header_parse(const uint8_t *buf, size_t len, uint64_t file_offset,
                     struct mp3_header *h)
{
    size_t i;
    int version = 0, rate = 0;
    bool mono = false;
    const uint8_t *f, *x;
    size_t side;

    memset(h, 0, sizeof(*h));
    for (i = 0; i + 4 <= len; i++)
        if (frame_header(buf + i, &version, &rate, &mono))
            break;
    if (i + 4 > len)
        return -1;
    f = buf + i;
    h->audio_start = file_offset + i;
    h->sample_rate = rate;
    h->samples_per_frame = version == 3 ? 1152 : 576;
    side = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    x = f + 4 + side;
    if (x + 8 <= buf + len &&
        (!memcmp(x, "Xing", 4) || !memcmp(x, "Info", 4))) {
        uint32_t flags = be32(x + 4);
        const uint8_t *p = x + 8;

        if ((flags & 1) && p + 4 <= buf + len) {
            h->frames = be32(p);
            p += 4;
        }
        if ((flags & 2) && p + 4 <= buf + len) {
            h->bytes = be32(p);
            p += 4;
        }
        if (flags & 4)
            p += 100;          /* seek table */
        if (flags & 8)
            p += 4;            /* quality */
        /* The LAME extension: a 9-byte encoder name, then fixed fields. */
        if (p + 24 <= buf + len &&
            (!memcmp(p, "LAME", 4) || !memcmp(p, "Lavf", 4) ||
             !memcmp(p, "Lavc", 4))) {
            h->has_lame = true;
            h->start_pad = p[21] << 4 | p[22] >> 4;
            h->end_pad = (p[22] & 0x0f) << 8 | p[23];
        }
        return 0;
    }
    x = f + 4 + 32;            /* VBRI sits at a fixed offset */
    if (x + 18 <= buf + len && !memcmp(x, "VBRI", 4)) {
        h->bytes = be32(x + 10);
        h->frames = be32(x + 14);
    }
    return 0;
}

int mp3_header_read(const char *path, struct mp3_header *h)
{
    uint8_t buf[8192];
    uint64_t offset = 0;
    size_t n;
    FILE *f = fopen(path, "rb");
    int ret = -1;

    if (!f)
        return -1;
    /* Skip ID3v2 tags (there may be more than one, each with a size). */
    for (;;) {
        uint8_t tag[10];
        uint64_t size;

        if (fseeko(f, (off_t)offset, SEEK_SET) < 0 ||
            fread(tag, 1, 10, f) != 10 || memcmp(tag, "ID3", 3) ||
            (tag[6] | tag[7] | tag[8] | tag[9]) & 0x80)
            break;
        size = (uint64_t)tag[6] << 21 | (uint64_t)tag[7] << 14 |
               (uint64_t)tag[8] << 7 | tag[9];
        offset += 10 + size + ((tag[5] & 0x10) ? 10 : 0);
    }
    if (fseeko(f, (off_t)offset, SEEK_SET) == 0 &&
        (n = fread(buf, 1, sizeof(buf), f)) > 0)
        ret = mp3_header_parse(buf, n, offset, h);
    fclose(f);
    return ret;
}

int mp3_header_read_mem(const uint8_t *buf, size_t len, struct mp3_header *h)
{
    uint64_t offset = 0;

    /* Skip ID3v2 tags, as mp3_header_read() does in a file. */
    while (len - offset >= 10 && !memcmp(buf + offset, "ID3", 3) &&
           !((buf[offset + 6] | buf[offset + 7] | buf[offset + 8] |
              buf[offset + 9]) & 0x80)) {
        uint64_t size = (uint64_t)buf[offset + 6] << 21 |
                        (uint64_t)buf[offset + 7] << 14 |
                        (uint64_t)buf[offset + 8] << 7 | buf[offset + 9];

        offset += 10 + size + ((buf[offset + 5] & 0x10) ? 10 : 0);
        if (offset >= len)
            return -1;
    }
    return mp3_header_parse(buf + offset, len - offset > 8192 ? 8192 :
                            len - offset, offset, h);
}

int64_t mp3_header_samples_trim(const struct mp3_header *h)
{
    int64_t total = (int64_t)h->frames * h->samples_per_frame;

    if (h->has_lame) {
        int64_t skip = h->start_pad + 529;
        int64_t discard = h->end_pad > 529 ? h->end_pad - 529 : 0;

        total -= skip + discard;
    }
    return total;
}

int64_t mp3_header_samples(const struct mp3_header *h)
{
    int64_t total = mp3_header_samples_trim(h);

    return total > 0 ? total : 0;
}
