/*
 * MP3 frame headers, and a reader for the first frame of an MP3 file.
 * libavformat computes an MP3 duration from the Xing frame count but
 * neither trims the LAME encoder delay and padding from it (its decoder
 * does, so a full decode is up to 50 ms shorter) nor tells whether the
 * file still holds as many bytes as the header promises. Both need the
 * header's fields, read here.
 */
#include <stdio.h>
#include <string.h>

#include "fast.h"
#include "mp3hdr.h"

/* Sample rates by MPEG version index (3: MPEG-1, 2: MPEG-2, 0: 2.5). */
static int sample_rate_of(int version, int index)
{
    static const int base[3] = { 44100, 48000, 32000 };

    if (index == 3 || version == 1)
        return 0;
    return version == 3 ? base[index] : version == 2 ? base[index] / 2
                                                     : base[index] / 4;
}

bool mp3_frame_header(const uint8_t *p, struct mp3_frame *f)
{
    /* Layer III bit rates in kbit/s, MPEG-1 and MPEG-2/2.5. */
    static const uint16_t kbps[2][15] = {
        { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },
        { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
    };
    int index = p[2] >> 4;

    if (p[0] != 0xff || (p[1] & 0xe0) != 0xe0 ||
        ((p[1] >> 1) & 3) != 1 ||       /* layer III */
        index == 0xf)                   /* bad bit rate index */
        return false;
    f->version = (p[1] >> 3) & 3;
    f->sample_rate = sample_rate_of(f->version, (p[2] >> 2) & 3);
    if (!f->sample_rate)
        return false;
    f->samples = f->version == 3 ? 1152 : 576;
    f->mono = (p[3] >> 6) == 3;
    f->crc = !(p[1] & 1);
    f->bytes = (uint32_t)(f->samples / 8 * 1000 *
                          kbps[f->version != 3][index] / f->sample_rate) +
               ((p[2] >> 1) & 1);
    if (!index)
        f->bytes = 0;
    return true;
}

bool mp3_same_stream(const uint8_t *a, const uint8_t *b)
{
    /* Sync, version and layer; then the sample rate index. */
    return (a[1] & 0xfe) == (b[1] & 0xfe) && (a[2] & 0x0c) == (b[2] & 0x0c);
}

int mp3_header_parse(const uint8_t *buf, size_t len, uint64_t file_offset,
                     struct mp3_header *h)
{
    size_t i;
    struct mp3_frame fr;
    const uint8_t *f, *x;
    size_t side;

    memset(h, 0, sizeof(*h));
    for (i = 0; i + 4 <= len; i++)
        if (mp3_frame_header(buf + i, &fr))
            break;
    if (i + 4 > len)
        return -1;
    f = buf + i;
    h->audio_start = file_offset + i;
    h->sample_rate = fr.sample_rate;
    h->samples_per_frame = fr.samples;
    side = fr.version == 3 ? (fr.mono ? 17 : 32) : (fr.mono ? 9 : 17);
    x = f + 4 + side;
    if (x + 8 <= buf + len &&
        (!memcmp(x, "Xing", 4) || !memcmp(x, "Info", 4))) {
        uint32_t flags = fast_be32(x + 4);
        const uint8_t *p = x + 8;

        h->tag_frame = true;
        if ((flags & 1) && p + 4 <= buf + len) {
            h->frames = fast_be32(p);
            p += 4;
        }
        if ((flags & 2) && p + 4 <= buf + len) {
            h->bytes = fast_be32(p);
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
        h->tag_frame = true;
        h->bytes = fast_be32(x + 10);
        h->frames = fast_be32(x + 14);
    }
    return 0;
}

int mp3_header_read(struct fsrc *src, struct mp3_header *h)
{
    uint64_t start, end;
    const uint8_t *p;
    size_t n;

    if (!fast_tag_bounds(src, &start, &end) ||
        !(p = fsrc_some(src, start, 8192, &n)))
        return -1;
    return mp3_header_parse(p, n, start, h);
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
