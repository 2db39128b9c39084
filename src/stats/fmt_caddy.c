/*
 * Caddy's JSON access logs (one object per line, logger http.log.access):
 *
 *   {"level":"info","ts":1738800031.52,"logger":"http.log.access",
 *    "msg":"handled request","request":{"remote_ip":"2001:db8::1",
 *    "client_ip":"2001:db8::1","method":"GET","uri":"/show/001.mp3",
 *    "headers":{"User-Agent":["Overcast/3.0"],"Range":["bytes=0-1"]}},
 *    "size":2,"status":206}
 *
 * "ts" is seconds (a number) or, with a time_format set, an ISO 8601
 * string. The client address is client_ip (after trusted proxies), else
 * remote_ip. The Range header, when logged, says which bytes were served.
 */
#define _GNU_SOURCE     /* memmem() */
#include <string.h>

#include "internal.h"

static int parse_caddy(void *state, const char *line, size_t len,
                       struct strbuf *scratch, struct stats_req *req)
{
    struct stats_json *j;
    const char *s;
    size_t n;
    double v;

    if (len < 2 || line[0] != '{' || !memmem(line, len, "\"request\"", 9))
        return STATS_LINE_NO;
    j = stats_json_parse(state, line, len);
    if (!j)
        return STATS_LINE_NO;
    if (!stats_json_has(j, "request.method") ||
        !stats_json_has(j, "request.uri"))
        return STATS_LINE_NO;
    if (stats_json_num(j, "ts", &v)) {
        req->t = (int64_t)v;
    } else if ((s = stats_json_str(j, "ts", &n))) {
        if (stats_parse_iso_time(s, n, &req->t) < 0)
            return STATS_LINE_NO;
    } else {
        return STATS_LINE_NO;
    }
    req->ip = stats_json_str(j, "request.client_ip", &req->ip_len);
    if (!req->ip || !req->ip_len)
        req->ip = stats_json_str(j, "request.remote_ip", &req->ip_len);
    req->method = stats_json_str(j, "request.method", &req->method_len);
    req->path = stats_json_str(j, "request.uri", &req->path_len);
    if (!req->ip || !req->method || !req->path)
        return STATS_LINE_NO;
    req->ua = stats_json_str(j, "request.headers.User-Agent", &req->ua_len);
    if (!req->ua) {
        req->ua = "";
        req->ua_len = 0;
    }
    if (!stats_json_num(j, "status", &v) || v < 100 || v > 599)
        return STATS_LINE_NO;
    req->status = (int)v;
    req->bytes = stats_json_num(j, "size", &v) && v > 0 ? (uint64_t)v : 0;
    req->range_start = req->range_end = -1;
    s = stats_json_str(j, "request.headers.Range", &n);
    if (s && stats_parse_range(s, n, &req->range_start, &req->range_end) < 0)
        req->range_start = req->range_end = -1;
    (void)scratch;
    return STATS_LINE_REQ;
}

const struct stats_format_ops stats_format_caddy = {
    .name = "caddy",
    .description = "Caddy JSON access logs",
    .state_size = sizeof(struct stats_json_line),
    .parse = parse_caddy,
    .release = stats_json_release,
};
