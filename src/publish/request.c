/*
 * The network kinds' shared machinery: a blocking libcurl request to a
 * key, retried on what is transient, with every answer bounded, the
 * failure described without credentials, and libcurl's trace (-v -v)
 * stripped of secrets and escaped before it goes to t->trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "request.h"

/*
 * Appends the trace line 'p' ('n' bytes) to 'sb' with the password of
 * any URL in it ("scheme://user:password@host") removed.
 */
static void add_without_userinfo(struct strbuf *sb, const char *p, size_t n)
{
    const char *end = p + n;

    while (p < end) {
        const char *sep = NULL, *at, *stop;

        for (const char *q = p; q + 3 <= end && !sep; q++)
            if (!memcmp(q, "://", 3))
                sep = q + 3;
        if (!sep) {
            strbuf_add(sb, p, (size_t)(end - p));
            return;
        }
        strbuf_add(sb, p, (size_t)(sep - p));
        stop = sep + strcspn(sep, "/ \t\r\n\"'<>");
        if (stop > end)
            stop = end;
        at = memchr(sep, '@', (size_t)(stop - sep));
        if (at) {
            strbuf_addstr(sb, "[redacted]");
            p = at;
        } else {
            p = sep;
        }
    }
}

/*
 * libcurl's trace with secrets removed: Authorization headers, session
 * tokens and FTP passwords are replaced, the user and password of any
 * URL in a line (Destination, Location, Referer...) too, and what the
 * server sent is escaped before anything is passed on to t->trace.
 */
static int redacting_trace(CURL *h, curl_infotype type, char *data,
                           size_t size, void *arg)
{
    static const char *const secret[] = {
        "authorization:", "proxy-authorization:", "x-amz-security-token:",
        "pass ", "cookie:", "set-cookie:",
    };
    const struct target *t = arg;
    const char *p = data, *end = data + size;
    struct strbuf line = STRBUF_INIT;
    char mark = '*';

    (void)h;
    if (type == CURLINFO_HEADER_OUT)
        mark = '>';
    else if (type == CURLINFO_HEADER_IN)
        mark = '<';
    else if (type != CURLINFO_TEXT)
        return 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        bool hide = false;
        char *shown;

        for (size_t i = 0; i < ARRAY_SIZE(secret); i++)
            if (n >= strlen(secret[i]) &&
                !strncasecmp(p, secret[i], strlen(secret[i])))
                hide = true;
        strbuf_reset(&line);
        if (hide) {
            /* Keep the header's name ("Authorization:", "PASS"). */
            const char *colon = memchr(p, ':', n);

            strbuf_add(&line, p, colon ? (size_t)(colon - p + 1) : 4);
            strbuf_addstr(&line, " [redacted]");
        } else {
            add_without_userinfo(&line, p, n && p[n - 1] == '\r' ? n - 1
                                                                    : n);
        }
        shown = printable_n(line.buf, line.len, 4096);
        t->trace(t->trace_ctx, mark, shown);
        free(shown);
        p += n + 1;
    }
    strbuf_release(&line);
    return 0;
}

void target_configure(const struct target *t, CURL *h, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "podpub/" PODPUB_VERSION);
    /* Every request, not only the media: a stalled server fails it. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, t->stall_s > 0 ? t->stall_s
                                                               : 30L);
    if (t->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, t->ca_file);
    curl_easy_setopt(h, CURLOPT_SHARE, t->share);
    if (t->trace) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, redacting_trace);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, (void *)t);
    }
    t->ops->configure(t, h);
}

bool transient_failure(CURLcode rc, long status)
{
    switch (rc) {
    case CURLE_OK:
        return status == 429 || status >= 500;
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_UPLOAD_FAILED:
    case CURLE_SSH:
    case CURLE_COULDNT_RESOLVE_HOST:
        return true;
    case CURLE_HTTP_RETURNED_ERROR:
        return status == 429 || status >= 500;
    default:
        return false;
    }
}

void describe_failure(struct strbuf *sb, const struct target *t,
                      const char *key, CURLcode rc, long status,
                      const char *errbuf, const char *body)
{
    char *shown = printable(key, 200);

    strbuf_addf(sb, "%s%s: ", t->display, shown);
    free(shown);
    if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR) {
        strbuf_addf(sb, "the server answered %ld", status);
        if (status == 401 || status == 403)
            strbuf_addstr(sb, " (wrong credentials?)");
        if (body && *body) {
            /* S3 says why in <Code>; show that, not the whole XML. */
            const char *code = strstr(body, "<Code>");
            const char *end = code ? strstr(code, "</Code>") : NULL;

            if (code && end) {
                shown = printable_n(code + 6, (size_t)(end - code - 6), 80);
                strbuf_addf(sb, ": %s", shown);
                free(shown);
            }
        }
    } else {
        /* libcurl's message may quote the server (an FTP reply). */
        shown = printable(*errbuf ? errbuf : curl_easy_strerror(rc), 300);
        strbuf_addstr(sb, shown);
        free(shown);
        if (t->ops->hint)
            t->ops->hint(t, rc, sb);
        if (rc == CURLE_LOGIN_DENIED)
            strbuf_addstr(sb, " (wrong user, password or key?)");
    }
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct strbuf *sb = arg;

    if (sb->len + size * n > ANSWER_MAX)
        return 0;
    strbuf_add(sb, data, size * n);
    return size * n;
}

struct mem_reader {
    const char *data;
    size_t len, pos;
};

/*
 * Runs 'h' with retries; fills status and errbuf. Every attempt starts
 * afresh: an upload from 'mem' or 'src' from its first byte, 'body' (the
 * answer) empty.
 */
static CURLcode perform(CURL *h, long *status, struct mem_reader *mem,
                        struct upload_src *src, struct strbuf *body)
{
    CURLcode rc = CURLE_OK;

    for (int attempt = 0; attempt < 3; attempt++) {
        if (mem)
            mem->pos = 0;
        if (src && upload_seek(src, 0, SEEK_SET) != CURL_SEEKFUNC_OK)
            return CURLE_READ_ERROR;
        strbuf_reset(body);
        rc = curl_easy_perform(h);
        *status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        if (!transient_failure(rc, *status))
            break;
        usleep(300000u << attempt);
    }
    return rc;
}

/*
 * A handle for one blocking request: the target's connection settings,
 * 'url' (NULL: the caller sets it), at most 'timeout' seconds, the
 * answer's body collected into 'body'. End it with blocking_done().
 */
static CURL *blocking_handle(const struct target *t, const char *url,
                             long timeout, struct strbuf *body, char *errbuf)
{
    CURL *h = curl_easy_init();

    if (!h)
        die("cannot create a libcurl handle");
    target_configure(t, h, errbuf);
    if (url)
        curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    return h;
}

static void blocking_done(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);   /* the caller's */
    curl_easy_cleanup(h);
}

/*
 * Whether a request failed. HTTP statuses count for S3 and WebDAV; over
 * SFTP and FTP libcurl reports failures in 'rc'.
 */
static bool request_failed(const struct target *t, CURLcode rc, long status)
{
    return rc != CURLE_OK || (status >= 300 && t->ops->http);
}

/* Prints "cannot <what> <target><key>: <why>"; returns PP_ERR_REMOTE. */
static int report_failure(const struct target *t, const char *key,
                          const char *what, CURLcode rc, long status,
                          const char *errbuf, const char *body)
{
    struct strbuf msg = STRBUF_INIT;
    int ret;

    describe_failure(&msg, t, key, rc, status, errbuf, body);
    ret = errorf(PP_ERR_REMOTE, "cannot %s %s", what, msg.buf);
    strbuf_release(&msg);
    return ret;
}

/* True when a failed read means "there is no such file". */
static bool not_found(const struct target *t, CURLcode rc, long status)
{
    (void)t;
    return rc == CURLE_REMOTE_FILE_NOT_FOUND ||
           (rc == CURLE_OK && status == 404) ||
           rc == CURLE_FTP_COULDNT_RETR_FILE;
}

/* The kind's own headers (S3's) for a body of 'sha256', if any. */
static struct curl_slist *kind_headers(const struct target *t,
                                       const char *sha256,
                                       struct curl_slist *list)
{
    return t->ops->headers ? t->ops->headers(t, sha256, list) : list;
}

int net_get(const struct target *t, const char *key, struct strbuf *body,
            size_t limit)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char *url;
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = 0;

    url = target_url(t, key);
    h = blocking_handle(t, url, 120L, body, errbuf);
    if ((headers = kind_headers(t, EMPTY_SHA256, NULL)))
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    rc = perform(h, &status, NULL, NULL, body);
    if (not_found(t, rc, status)) {
        strbuf_reset(body);
        ret = 1;
    } else if (rc == CURLE_WRITE_ERROR || body->len > limit) {
        char *shown = printable(key, 200);

        ret = errorf(PP_ERR_REMOTE, "%s%s is larger than podpub reads (%zu "
                     "bytes)", t->display, shown, limit);
        free(shown);
    } else if (request_failed(t, rc, status)) {
        ret = report_failure(t, key, "read", rc, status, errbuf, body->buf);
    }
    blocking_done(h);
    curl_slist_free_all(headers);
    free(url);
    return ret;
}

static size_t read_mem(char *buf, size_t size, size_t n, void *arg)
{
    struct mem_reader *m = arg;
    size_t want = size * n, left = m->len - m->pos;

    if (want > left)
        want = left;
    if (want)
        memcpy(buf, m->data + m->pos, want);
    m->pos += want;
    return want;
}

int net_request(const struct target *t, const char *key, const char *method,
                const char *data, size_t len, struct curl_slist *headers,
                struct curl_slist *quote, struct curl_slist *postquote,
                const char *what, long ok_status, bool quiet)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct strbuf body = STRBUF_INIT;
    struct mem_reader mem = { data, len, 0 };
    char *url = target_url(t, key);
    CURL *h = blocking_handle(t, url, 300L, &body, errbuf);
    CURLcode rc;
    long status = 0;
    int ret = 0;

    if (headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (quote)
        curl_easy_setopt(h, CURLOPT_QUOTE, quote);
    if (postquote)
        curl_easy_setopt(h, CURLOPT_POSTQUOTE, postquote);
    if (method) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (!t->ops->http)   /* FTP and SFTP: commands, no transfer */
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mem);
        curl_easy_setopt(h, CURLOPT_READDATA, &mem);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    }
    rc = perform(h, &status, method ? NULL : &mem, NULL, &body);
    if (ok_status && rc == CURLE_OK && status == ok_status)
        ret = (int)status;
    else if (request_failed(t, rc, status) &&
             !(method && !strcmp(method, "DELETE") && status == 404))
        ret = quiet ? PP_ERR_REMOTE : report_failure(t, key, what, rc,
                                                     status, errbuf,
                                                     body.buf);
    blocking_done(h);
    strbuf_release(&body);
    free(url);
    return ret;
}

struct curl_slist *net_put_headers(const struct target *t, const char *type,
                                   const char *cache, const char *sha256)
{
    struct curl_slist *list = NULL;
    char *h;

    if (!t->ops->http)
        return NULL;
    h = xstrfmt("Content-Type: %s", type);
    list = curl_slist_append(list, h);
    free(h);
    h = xstrfmt("Cache-Control: %s", cache);
    list = curl_slist_append(list, h);
    free(h);
    return kind_headers(t, sha256, list);
}

int net_put_data(const struct target *t, const char *key, const char *data,
                 size_t len, const char *type, const char *cache)
{
    struct curl_slist *headers;
    char sha[65];
    int ret;

    sha256_hex(data, len, sha);
    headers = net_put_headers(t, type, cache, sha);
    ret = net_request(t, key, NULL, data, len, headers, NULL, NULL, "write",
                      0, false);
    if (ret < 0 && t->ops->make_parent && t->ops->make_parent(t, key) == 0)
        ret = net_request(t, key, NULL, data, len, headers, NULL, NULL,
                          "write", 0, false);
    curl_slist_free_all(headers);
    return ret;
}

int net_exists(const struct target *t, const char *key)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct strbuf body = STRBUF_INIT;
    struct curl_slist *headers = NULL;
    char *url = target_url(t, key);
    CURL *h = blocking_handle(t, url, 60L, &body, errbuf);
    long status = 0;
    CURLcode rc;
    int ret = 1;

    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if ((headers = kind_headers(t, EMPTY_SHA256, NULL)))
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    rc = perform(h, &status, NULL, NULL, &body);
    if (not_found(t, rc, status))
        ret = 0;
    else if (request_failed(t, rc, status))
        ret = report_failure(t, key, "look up", rc, status, errbuf, NULL);
    blocking_done(h);
    curl_slist_free_all(headers);
    strbuf_release(&body);
    free(url);
    return ret;
}

int net_still_ours(const struct target *t, const char *key,
                   const char *data, size_t len)
{
    struct strbuf back = STRBUF_INIT;
    int ret = net_get(t, key, &back, ANSWER_MAX);

    if (ret == 0)
        ret = back.len == len && !memcmp(back.buf, data, len) ? 0 : 1;
    strbuf_release(&back);
    return ret;
}

void target_setup_put(const struct target *t, CURL *h,
                      struct upload_src *src, const char *key,
                      struct curl_slist **headers)
{
    char *url;

    target_assert_key(key);
    url = target_url(t, key);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(h, CURLOPT_READDATA, src);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, upload_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, src);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)src->size);
    *headers = net_put_headers(t, src->f->type, src->f->cache,
                               src->f->sha256);
    if (*headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
    free(url);
}

int net_put_file(const struct target *t, const struct pfile *f,
                 const char *key, const char *const *postquote)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL, *quote = NULL;
    struct strbuf body = STRBUF_INIT;
    struct upload_src src;
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = upload_open(&src, f, t->roots);

    if (ret < 0)
        return ret;
    h = blocking_handle(t, NULL, 600L, &body, errbuf);
    target_setup_put(t, h, &src, key, &headers);
    for (size_t i = 0; postquote && postquote[i]; i++)
        quote = curl_slist_append(quote, postquote[i]);
    if (quote)
        curl_easy_setopt(h, CURLOPT_POSTQUOTE, quote);
    rc = perform(h, &status, NULL, &src, &body);
    if (request_failed(t, rc, status))
        ret = report_failure(t, key, "upload", rc, status, errbuf, body.buf);
    else
        ret = upload_check(&src);
    blocking_done(h);
    curl_slist_free_all(headers);
    curl_slist_free_all(quote);
    strbuf_release(&body);
    upload_close(&src);
    return ret;
}

int net_remove_by_command(const struct target *t, const char *key,
                          const char *at, struct curl_slist *quote,
                          struct curl_slist *postquote)
{
    int ret = net_request(t, at, "NOOP", NULL, 0, NULL, quote, postquote,
                          "delete", 0, true);
    int there;

    if (ret == 0)
        return 0;
    there = net_exists(t, key);
    if (there == 0)
        return 0;   /* it was not there: nothing to remove */
    if (there == 1) {
        char *shown = printable(key, 200);

        ret = errorf(PP_ERR_REMOTE, "cannot delete %s%s: the server refused",
                     t->display, shown);
        free(shown);
    }
    return ret;
}
