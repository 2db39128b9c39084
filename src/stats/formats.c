/*
 * The log formats `podpub stats` reads, in the order detection tries
 * them, and what their parsers share: timestamps, Range values, SipHash.
 * Each format is one file (fmt_*.c) filling a struct stats_format_ops;
 * nothing else in src/stats knows which format a line was.
 */
#include <stdio.h>
#include <string.h>

#include "podpub/ptime.h"
#include "podpub/stats.h"
#include "internal.h"

const struct stats_format_ops *const stats_formats[] = {
    &stats_format_combined,
    &stats_format_s3,
    &stats_format_cloudfront,
    &stats_format_caddy,
    &stats_format_logpush,
    NULL,
};

const struct stats_format_ops *stats_format_find(const char *name)
{
    for (size_t i = 0; stats_formats[i]; i++)
        if (!strcmp(stats_formats[i]->name, name))
            return stats_formats[i];
    return NULL;
}

void stats_day_format(int64_t day, char *buf, size_t len)
{
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;

    snprintf(buf, len, "%04lld-%02u-%02u", (long long)y + (m <= 2), m, d);
}

/* Reads exactly 'n' digits at 's'; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int month_of(const char *s)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

    for (int i = 0; i < 12; i++)
        if (!memcmp(names + 3 * i, s, 3))
            return i + 1;
    return -1;
}

/* "+0100" / "-0700" into seconds east of UTC; -1 on error. */
static int zone_of(const char *s, int64_t *off)
{
    int hh = digits(s + 1, 2), mm = digits(s + 3, 2);

    if ((s[0] != '+' && s[0] != '-') || hh < 0 || mm < 0 || hh > 23 ||
        mm > 59)
        return -1;
    *off = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
    return 0;
}

static int valid_hms(int h, int mi, int s)
{
    return h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s <= 60;
}

int stats_parse_clf_time(const char *s, size_t len, int64_t *t)
{
    /* 10/Oct/2000:13:55:36 -0700 */
    int d, m, y, h, mi, sec;
    int64_t off;

    if (len != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' ||
        s[14] != ':' || s[17] != ':' || s[20] != ' ')
        return -1;
    d = digits(s, 2);
    m = month_of(s + 3);
    y = digits(s + 7, 4);
    h = digits(s + 12, 2);
    mi = digits(s + 15, 2);
    sec = digits(s + 18, 2);
    if (d < 1 || d > 31 || m < 0 || y < 0 || !valid_hms(h, mi, sec) ||
        zone_of(s + 21, &off) < 0)
        return -1;
    *t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
         h * 3600 + mi * 60 + sec - off;
    return 0;
}

int stats_parse_iso_time(const char *s, size_t len, int64_t *t)
{
    /* 2019-12-04T21:02:31[.fff](Z|+01:00|+0100) */
    int y, m, d, h, mi, sec;
    size_t i = 19;
    int64_t off = 0;

    if (len < 20 || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return -1;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    h = digits(s + 11, 2);
    mi = digits(s + 14, 2);
    sec = digits(s + 17, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || !valid_hms(h, mi, sec))
        return -1;
    if (s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            ;
    if (i < len && (s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        off = 0;
    } else if (i + 6 == len && s[i + 3] == ':') {
        char z[5] = { s[i], s[i + 1], s[i + 2], s[i + 4], s[i + 5] };

        if (zone_of(z, &off) < 0)
            return -1;
    } else if (i + 5 == len) {
        if (zone_of(s + i, &off) < 0)
            return -1;
    } else {
        return -1;
    }
    *t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
         h * 3600 + mi * 60 + sec - off;
    return 0;
}

/* Reads a decimal number of up to 18 digits; -1 when there is none. */
static int64_t number_at(const char *s, size_t len, size_t *i)
{
    int64_t v = 0;
    size_t start = *i;

    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - start < 18)
        v = v * 10 + (s[(*i)++] - '0');
    return *i == start ? -1 : v;
}

int stats_parse_range(const char *s, size_t len, int64_t *start,
                      int64_t *end)
{
    size_t i = 6;

    if (len < 7 || memcmp(s, "bytes=", 6))
        return -1;
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && s[i] == '-')
        return -1;      /* a suffix range: where it starts is unknown */
    *start = number_at(s, len, &i);
    if (*start < 0 || i >= len || s[i] != '-')
        return -1;
    i++;
    *end = number_at(s, len, &i);
    if (*end >= 0 && *end < *start)
        return -1;
    return 0;
}

/* SipHash-1-3 (Aumasson and Bernstein), as the reference code has it. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
    } while (0)

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;           /* podpub builds on little-endian machines */
}

uint64_t stats_siphash(const uint8_t key[16], const void *data, size_t len)
{
    const uint8_t *in = data, *end = in + (len & ~(size_t)7);
    uint64_t k0 = load64(key), k1 = load64(key + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = (uint64_t)len << 56, m;

    for (; in != end; in += 8) {
        m = load64(in);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t i = 0; i < (len & 7); i++)
        b |= (uint64_t)in[i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}
