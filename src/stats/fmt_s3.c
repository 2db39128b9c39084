/*
 * Amazon S3 server access logs (also written by S3-compatible stores that
 * copy the format):
 *
 *   79a5... bucket [06/Feb/2025:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE
 *       REST.GET.OBJECT show/001.mp3 "GET /show/001.mp3 HTTP/1.1" 206 -
 *       1048576 52428800 70 10 "-" "Overcast/3.0 (+http://overcast.fm/)" - ...
 *
 * The method is the operation's (REST.GET.OBJECT, REST.HEAD.OBJECT); the
 * key field is matched with a leading '/' added, the Request-URI when the
 * key is "-". The Range header is not logged.
 */
#include <string.h>

#include "internal.h"

static int parse_s3(void *state, const char *line, size_t len,
                    struct strbuf *scratch, struct stats_req *req)
{
    const char *p = line, *end = line + len, *tok, *close, *op, *key, *uri;
    size_t n, op_len, key_len, uri_len;
    uint64_t bytes;

    (void)state;
    if (stats_token(&p, end, &tok, &n) < 0 || (n && tok[0] == '[') ||
        stats_token(&p, end, &tok, &n) < 0 || (n && tok[0] == '[') ||
        p >= end || *p != '[')
        return STATS_LINE_NO;
    close = memchr(p, ']', (size_t)(end - p));
    if (!close || stats_parse_clf_time(p + 1, (size_t)(close - p - 1),
                                       &req->t) < 0)
        return STATS_LINE_NO;
    p = close + 1;
    if (p >= end || *p++ != ' ' ||
        stats_token(&p, end, &req->ip, &req->ip_len) < 0 ||
        stats_token(&p, end, &tok, &n) < 0 ||             /* requester */
        stats_token(&p, end, &tok, &n) < 0 ||             /* request id */
        stats_token(&p, end, &op, &op_len) < 0 ||
        stats_token(&p, end, &key, &key_len) < 0 ||
        stats_quoted(&p, end, &uri, &uri_len) < 0 ||
        stats_token(&p, end, &tok, &n) < 0 ||
        (req->status = stats_status(tok, n)) < 0 ||
        stats_token(&p, end, &tok, &n) < 0 ||             /* error code */
        stats_token(&p, end, &tok, &n) < 0 || stats_number(tok, n, &bytes) < 0)
        return STATS_LINE_NO;
    req->bytes = bytes;
    if (op_len < 6 || memcmp(op, "REST.", 5))
        return STATS_LINE_NO;
    /* REST.GET.OBJECT -> GET */
    req->method = op + 5;
    req->method_len = 0;
    while (5 + req->method_len < op_len && op[5 + req->method_len] != '.')
        req->method_len++;
    if (key_len == 1 && key[0] == '-') {
        const char *method = req->method;
        size_t method_len = req->method_len;

        /* the method stays the operation's */
        stats_request_line(uri, uri_len, req);
        req->method = method;
        req->method_len = method_len;
    } else {
        strbuf_reset(scratch);
        strbuf_addch(scratch, '/');
        strbuf_add(scratch, key, key_len);
        req->path = scratch->buf;
        req->path_len = scratch->len;
    }
    /* object size, total time, turn-around time, then the quoted two */
    for (int i = 0; i < 3; i++)
        if (stats_token(&p, end, &tok, &n) < 0)
            return STATS_LINE_NO;
    if (p >= end || stats_referer_ua(&p, end, req) < 0)
        return STATS_LINE_NO;
    return STATS_LINE_REQ;
}

const struct stats_format_ops stats_format_s3 = {
    .name = "s3",
    .description = "Amazon S3 server access logs",
    .parse = parse_s3,
};
