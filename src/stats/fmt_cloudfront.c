/*
 * Amazon CloudFront standard logs (legacy access logs): tab-separated,
 * one field list per file in a "#Fields:" header, which is followed when
 * present (else the documented order of version 1.0):
 *
 *   2025-02-06	21:02:31	AMS1-C1	1048990	2001:db8::1	GET	d1.cloudfront.net
 *       /show/001.mp3	206	-	Pocket%20Casts/7.57	...	0	1048575
 *
 * The user agent is percent-encoded (decoded here); sc-range-start and
 * sc-range-end tell which bytes were served.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { F_DATE, F_TIME, F_IP, F_METHOD, F_STEM, F_STATUS, F_UA, F_BYTES,
       F_RSTART, F_REND, F_NR };

static const char *const field_names[F_NR] = {
    "date", "time", "c-ip", "cs-method", "cs-uri-stem", "sc-status",
    "cs(User-Agent)", "sc-bytes", "sc-range-start", "sc-range-end",
};

/* Positions in the version 1.0 field list. */
static const int default_pos[F_NR] = { 0, 1, 4, 5, 7, 8, 10, 3, 31, 32 };

struct cf_state {
    bool have_fields;
    int pos[F_NR];          /* column of each field, -1 when absent */
    int max;                /* the highest column needed */
};

static void set_fields(struct cf_state *st, const char *s, size_t len)
{
    const char *p = s, *end = s + len, *tok;
    size_t n;
    int col = 0;

    for (int f = 0; f < F_NR; f++)
        st->pos[f] = -1;
    while (stats_token(&p, end, &tok, &n) == 0) {
        for (int f = 0; f < F_NR; f++)
            if (strlen(field_names[f]) == n && !memcmp(field_names[f], tok, n))
                st->pos[f] = col;
        col++;
    }
    st->have_fields = true;
}

/* Percent-decodes 's' into 'out'; true when that made a '%'. */
static bool decode_once(struct strbuf *out, const char *s, size_t len)
{
    bool pct = false;

    strbuf_reset(out);
    for (size_t i = 0; i < len; i++) {
        int hi, lo;

        if (s[i] == '%' && i + 2 < len &&
            (hi = hex_digit((unsigned char)s[i + 1])) >= 0 &&
            (lo = hex_digit((unsigned char)s[i + 2])) >= 0) {
            strbuf_addch(out, hi * 16 + lo);
            pct |= hi * 16 + lo == '%';
            i += 2;
        } else {
            strbuf_addch(out, s[i]);
        }
    }
    return pct;
}

/*
 * Percent-decodes the user agent 's' into 'out'. Some CloudFront versions
 * encode it twice ("%2520" for a space): a '%' that decoding made means
 * a second round.
 */
static void pct_decode(struct strbuf *out, const char *s, size_t len)
{
    if (decode_once(out, s, len)) {
        char *copy = xstrndup(out->buf, out->len);
        size_t n = out->len;

        decode_once(out, copy, n);
        free(copy);
    }
}

static int parse_cloudfront(void *state, const char *line, size_t len,
                            struct strbuf *scratch, struct stats_req *req)
{
    struct cf_state *st = state;
    const char *col[40], *p = line, *end = line + len;
    size_t col_len[40];
    int nr = 0, max = 0;
    const int *pos;
    char iso[40];
    uint64_t v;

    if (len && line[0] == '#') {
        if (len > 8 && !memcmp(line, "#Fields:", 8)) {
            set_fields(st, line + 8 + (line[8] == ' '),
                       len - 8 - (line[8] == ' '));
            return STATS_LINE_META;
        }
        if (len > 9 && !memcmp(line, "#Version:", 9))
            return STATS_LINE_META;
        return STATS_LINE_NO;
    }
    pos = st->have_fields ? st->pos : default_pos;
    for (int f = 0; f < F_NR; f++)
        if (pos[f] > max)
            max = pos[f];
    while (nr <= max && nr < 40) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));

        col[nr] = p;
        col_len[nr] = (size_t)((tab ? tab : end) - p);
        nr++;
        if (!tab)
            break;
        p = tab + 1;
    }
    for (int f = F_DATE; f <= F_BYTES; f++)
        if (pos[f] < 0 || pos[f] >= nr)
            return STATS_LINE_NO;
    if (col_len[pos[F_DATE]] != 10 || col_len[pos[F_TIME]] != 8)
        return STATS_LINE_NO;
    snprintf(iso, sizeof(iso), "%.10sT%.8sZ", col[pos[F_DATE]],
             col[pos[F_TIME]]);
    if (stats_parse_iso_time(iso, strlen(iso), &req->t) < 0)
        return STATS_LINE_NO;
    req->ip = col[pos[F_IP]];
    req->ip_len = col_len[pos[F_IP]];
    req->method = col[pos[F_METHOD]];
    req->method_len = col_len[pos[F_METHOD]];
    req->path = col[pos[F_STEM]];
    req->path_len = col_len[pos[F_STEM]];
    if ((req->status = stats_status(col[pos[F_STATUS]],
                                    col_len[pos[F_STATUS]])) < 0 ||
        stats_number(col[pos[F_BYTES]], col_len[pos[F_BYTES]], &v) < 0)
        return STATS_LINE_NO;
    req->bytes = v;
    pct_decode(scratch, col[pos[F_UA]], col_len[pos[F_UA]]);
    req->ua = scratch->buf;
    req->ua_len = scratch->len;
    req->range_start = req->range_end = -1;
    if (pos[F_RSTART] >= 0 && pos[F_REND] >= 0 && pos[F_REND] < nr &&
        stats_number(col[pos[F_RSTART]], col_len[pos[F_RSTART]], &v) == 0 &&
        !(col_len[pos[F_RSTART]] == 1 && col[pos[F_RSTART]][0] == '-')) {
        uint64_t e;

        req->range_start = (int64_t)v;
        if (stats_number(col[pos[F_REND]], col_len[pos[F_REND]], &e) == 0 &&
            !(col_len[pos[F_REND]] == 1 && col[pos[F_REND]][0] == '-') &&
            e >= v)
            req->range_end = (int64_t)e;
        else
            req->range_start = -1;
    }
    return STATS_LINE_REQ;
}

const struct stats_format_ops stats_format_cloudfront = {
    .name = "cloudfront",
    .description = "Amazon CloudFront standard logs (tab-separated)",
    .state_size = sizeof(struct cf_state),
    .parse = parse_cloudfront,
};
