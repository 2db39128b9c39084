/*
 * nginx's and Apache's "combined" log format (and the Common Log Format,
 * which lacks the last two fields):
 *
 *   203.0.113.7 - - [10/Oct/2025:13:55:36 +0200] "GET /show/001.mp3 HTTP/1.1"
 *       206 1048576 "-" "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4)"
 *
 * Three space-separated fields come before the time (S3's logs have two).
 * Quotes inside quoted fields are escaped (nginx: \x22, Apache: \");
 * fields after the user agent (nginx configurations often add some) are
 * ignored. The Range header is not in this format: each request's bytes
 * count, wherever in the file they were.
 */
#include <string.h>

#include "internal.h"

static int parse_combined(void *state, const char *line, size_t len,
                          struct strbuf *scratch, struct stats_req *req)
{
    const char *p = line, *end = line + len, *tok, *close, *s;
    size_t n;
    uint64_t bytes;

    (void)state;
    (void)scratch;
    if (stats_token(&p, end, &req->ip, &req->ip_len) < 0 ||
        stats_token(&p, end, &tok, &n) < 0 || (n && tok[0] == '[') ||
        stats_token(&p, end, &tok, &n) < 0 || (n && tok[0] == '['))
        return STATS_LINE_NO;
    if (p >= end || *p != '[' || req->ip_len == 0)
        return STATS_LINE_NO;
    close = memchr(p, ']', (size_t)(end - p));
    if (!close || stats_parse_clf_time(p + 1, (size_t)(close - p - 1),
                                       &req->t) < 0)
        return STATS_LINE_NO;
    p = close + 1;
    if (p >= end || *p++ != ' ')
        return STATS_LINE_NO;
    if (stats_quoted(&p, end, &s, &n) < 0)
        return STATS_LINE_NO;
    stats_request_line(s, n, req);
    if (stats_token(&p, end, &tok, &n) < 0 ||
        (req->status = stats_status(tok, n)) < 0 ||
        stats_token(&p, end, &tok, &n) < 0 || stats_number(tok, n, &bytes) < 0)
        return STATS_LINE_NO;
    req->bytes = bytes;
    if (stats_referer_ua(&p, end, req) < 0)
        return STATS_LINE_NO;
    return STATS_LINE_REQ;
}

const struct stats_format_ops stats_format_combined = {
    .name = "combined",
    .description = "nginx/Apache combined (or common) log format",
    .parse = parse_combined,
};
