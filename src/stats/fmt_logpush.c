/*
 * Cloudflare Logpush "http_requests" JSON lines, the logs of an R2 bucket
 * served on a zone's custom domain (R2 itself writes no access logs):
 *
 *   {"ClientIP":"198.51.100.4","ClientRequestMethod":"GET",
 *    "ClientRequestURI":"/show/001.mp3","ClientRequestUserAgent":"Spotify/8.9",
 *    "EdgeResponseStatus":206,"EdgeResponseBodyBytes":1048576,
 *    "EdgeStartTimestamp":"2025-02-06T21:02:31Z"}
 *
 * EdgeStartTimestamp is RFC 3339, Unix seconds, milliseconds or
 * nanoseconds as the job's timestamp_format says; the size is the body's
 * (EdgeResponseBodyBytes) or, without it, EdgeResponseBytes. A Range
 * header is there only as the custom field RequestHeaders.range.
 */
#define _GNU_SOURCE     /* memmem() */
#include <string.h>

#include "internal.h"

static int parse_logpush(void *state, const char *line, size_t len,
                         struct strbuf *scratch, struct stats_req *req)
{
    struct stats_json *j;
    const char *s;
    size_t n;
    double v;

    (void)scratch;
    if (len < 2 || line[0] != '{' ||
        !memmem(line, len, "\"ClientRequest", 14))
        return STATS_LINE_NO;
    j = stats_json_parse(state, line, len);
    if (!j)
        return STATS_LINE_NO;
    if (stats_json_num(j, "EdgeStartTimestamp", &v)) {
        /* seconds, milliseconds or nanoseconds, by size */
        req->t = v > 1e17 ? (int64_t)(v / 1e9) :
                 v > 1e11 ? (int64_t)(v / 1e3) : (int64_t)v;
    } else if ((s = stats_json_str(j, "EdgeStartTimestamp", &n))) {
        if (stats_parse_iso_time(s, n, &req->t) < 0)
            return STATS_LINE_NO;
    } else {
        return STATS_LINE_NO;
    }
    req->ip = stats_json_str(j, "ClientIP", &req->ip_len);
    req->method = stats_json_str(j, "ClientRequestMethod", &req->method_len);
    req->path = stats_json_str(j, "ClientRequestURI", &req->path_len);
    if (!req->path)
        req->path = stats_json_str(j, "ClientRequestPath", &req->path_len);
    if (!req->ip || !req->method || !req->path)
        return STATS_LINE_NO;
    req->ua = stats_json_str(j, "ClientRequestUserAgent", &req->ua_len);
    if (!req->ua) {
        req->ua = "";
        req->ua_len = 0;
    }
    if (!stats_json_num(j, "EdgeResponseStatus", &v) || v < 100 || v > 599)
        return STATS_LINE_NO;
    req->status = (int)v;
    if (stats_json_num(j, "EdgeResponseBodyBytes", &v) ||
        stats_json_num(j, "EdgeResponseBytes", &v))
        req->bytes = v > 0 ? (uint64_t)v : 0;
    else
        req->bytes = 0;
    req->range_start = req->range_end = -1;
    s = stats_json_str(j, "RequestHeaders.range", &n);
    if (s && stats_parse_range(s, n, &req->range_start, &req->range_end) < 0)
        req->range_start = req->range_end = -1;
    return STATS_LINE_REQ;
}

const struct stats_format_ops stats_format_logpush = {
    .name = "logpush",
    .description = "Cloudflare Logpush JSON lines (R2 behind a zone)",
    .state_size = sizeof(struct stats_json_line),
    .parse = parse_logpush,
    .release = stats_json_release,
};
