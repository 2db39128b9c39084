/*
 * Ranged reads of a remote file: the block cache (blockcache.c) over
 * HTTP(S) GETs with a Range header, all on one libcurl easy handle so the
 * connection is reused (in the net module, podpub-net.so). Everything the server says is checked before a
 * byte of it is used: the status, the Content-Range against what was
 * asked, the total size (and ETag, Last-Modified) against the first
 * answer, the body's length, and where a redirect points.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "header.h"
#include "internal.h"
#include "podpub/range.h"
#include "podpub/util.h"

#define RANGE_BLOCK (64u << 10)
#define RANGE_SLOTS 48
#define RANGE_MAX_RUN 16
/* A server that ignores Range sends the file: at most this much. */
#define WHOLE_LIMIT ((uint64_t)4 << 30)

/* One answer: its headers, and where its body goes. */
struct answer {
    long status;
    bool has_range;             /* a Content-Range we could read */
    bool bad_range;             /* one we could not */
    uint64_t first, last, total;
    int64_t length;             /* Content-Length, or -1 */
    char etag[128], modified[64], type[128];
    /* A 206 body goes into 'buf' (at most 'want' bytes)... */
    uint8_t *buf;
    size_t want, got;
    /* ...a 200 body, when 'whole_fd' >= 0, into that file. */
    int whole_fd;
    uint64_t spilled;
    bool over, io_failed;
    uint64_t received;          /* body bytes, whatever the status */
};

struct http_range {
    CURL *h;
    char *url;                  /* as given: what messages name */
    char *at;                   /* where redirects ended */
    char errbuf[CURL_ERROR_SIZE];
    long timeout_s;
    uint64_t size;
    char etag[128], modified[64], type[128];
    bool whole;
    int fd;                     /* the whole file, when 'whole' */
    struct block_cache *cache;
    struct strbuf err;
    int code;                   /* the first failure's PP_ERR_* */
    uint64_t fetched;
    unsigned long requests;
};

/*
 * "bytes FIRST-LAST/TOTAL", FIRST <= LAST < TOTAL: the only Content-Range
 * a ranged read accepts.
 */
static bool parse_content_range(const char *s, struct answer *a)
{
    int64_t total;

    if (!http_content_range(s, &a->first, &a->last, &total) ||
        a->first == UINT64_MAX || total < 0)
        return false;
    a->total = (uint64_t)total;
    return true;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct answer *a = arg;
    size_t len = size * n;
    const char *colon = memchr(line, ':', len), *v;
    char value[256] = "";
    size_t vlen;

    if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
        const char *sp = memchr(line, ' ', len);

        /* A new answer (after "100 Continue"): forget the last one's. */
        a->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        a->has_range = a->bad_range = false;
        a->length = -1;
        a->etag[0] = a->modified[0] = a->type[0] = '\0';
        return len;
    }
    if (!colon)
        return len;
    v = colon + 1;
    vlen = len - (size_t)(v - line);
    http_header_copy(value, sizeof(value), v, vlen);
#define IS(h) ((size_t)(colon - line) == strlen(h) && \
               !strncasecmp(line, h, strlen(h)))
    if (IS("Content-Range")) {
        a->has_range = parse_content_range(value, a);
        a->bad_range = !a->has_range;
    } else if (IS("Content-Length")) {
        a->length = http_content_length(value);
    } else if (IS("ETag")) {
        http_header_copy(a->etag, sizeof(a->etag), v, vlen);
    } else if (IS("Last-Modified")) {
        http_header_copy(a->modified, sizeof(a->modified), v, vlen);
    } else if (IS("Content-Type")) {
        http_header_copy(a->type, sizeof(a->type), v, vlen);
    }
#undef IS
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct answer *a = arg;
    size_t len = size * n;

    a->received += len;
    if (a->status == 206) {
        if (len > a->want - a->got) {
            a->over = true;
            return 0;   /* more than asked: libcurl stops */
        }
        memcpy(a->buf + a->got, data, len);
        a->got += len;
    } else if (a->status == 200 && a->whole_fd >= 0) {
        if (len > WHOLE_LIMIT - a->spilled) {
            a->over = true;
            return 0;
        }
        if (write_all(a->whole_fd, data, len) < 0) {
            a->io_failed = true;
            return 0;
        }
        a->spilled += len;
    } else if (a->received > (1u << 20)) {
        return 0;   /* an error page does not need reading to the end */
    }
    return len;
}

static int fail(struct http_range *r, int code, const char *fmt, ...)
    PP_PRINTF(3, 4);

/* Records the first failure, naming the URL; returns 'code'. */
static int fail(struct http_range *r, int code, const char *fmt, ...)
{
    va_list ap;

    if (r->err.len)
        return code;
    r->code = code;
    strbuf_addf(&r->err, "%s: ", r->url);
    va_start(ap, fmt);
    strbuf_vaddf(&r->err, fmt, ap);
    va_end(ap);
    return code;
}

/*
 * One GET of 'url' for bytes [off, off + len) into 'a' (its body target
 * set by the caller). Returns 0 when an HTTP answer came, whatever its
 * status, or PP_ERR_REMOTE.
 */
static int request(struct http_range *r, const char *url, uint64_t off,
                   size_t len, struct answer *a, bool whole_ok)
{
    char range[64];
    CURLcode rc;

    snprintf(range, sizeof(range), "%" PRIu64 "-%" PRIu64, off,
             off + len - 1);
    a->status = 0;
    a->length = -1;
    a->want = len;
    a->got = 0;
    a->received = 0;
    r->errbuf[0] = '\0';
    curl_easy_setopt(r->h, CURLOPT_URL, url);
    curl_easy_setopt(r->h, CURLOPT_RANGE, range);
    curl_easy_setopt(r->h, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(r->h, CURLOPT_WRITEDATA, a);
    /*
     * A ranged answer is at most a run of blocks: 'timeout_s' is
     * plenty. A whole file may take longer; it must keep moving.
     */
    curl_easy_setopt(r->h, CURLOPT_TIMEOUT, whole_ok ? 0L : r->timeout_s);
    rc = curl_easy_perform(r->h);
    r->requests++;
    r->fetched += a->received;
    if (rc == CURLE_OK)
        return 0;
    if (a->over && a->status == 206)
        return fail(r, PP_ERR_REMOTE, "the server sent more than the %zu "
                    "bytes asked for", len);
    if (a->over)
        return fail(r, PP_ERR_REMOTE, "larger than %" PRIu64 " bytes",
                    WHOLE_LIMIT);
    if (a->io_failed)
        return fail(r, PP_ERR_IO, "cannot write a temporary file: %s",
                    strerror(errno));
    if (rc == CURLE_WRITE_ERROR && a->status >= 300)
        return 0;   /* an error page cut short: its status tells */
    return fail(r, PP_ERR_REMOTE, "%s", *r->errbuf ? r->errbuf :
                curl_easy_strerror(rc));
}

/* 0 when 'a' is the 206 asked for; else fails, saying why. */
static int check_range(struct http_range *r, const struct answer *a,
                       uint64_t off, size_t len)
{
    if (a->status == 200)
        return fail(r, PP_ERR_REMOTE, "answered a Range request with the "
                    "whole file (HTTP 200) after answering with ranges");
    if (a->status != 206)
        return fail(r, PP_ERR_REMOTE, "HTTP %ld to a Range request for "
                    "bytes %" PRIu64 "-%" PRIu64, a->status, off,
                    off + len - 1);
    if (!a->has_range)
        return fail(r, PP_ERR_REMOTE, "HTTP 206 without a valid "
                    "Content-Range");
    if (a->total != r->size)
        return fail(r, PP_ERR_REMOTE, "the file changed while it was read "
                    "(%" PRIu64 " bytes, then %" PRIu64 ")", r->size,
                    a->total);
    if ((*r->etag && strcmp(a->etag, r->etag)) ||
        (*r->modified && strcmp(a->modified, r->modified)))
        return fail(r, PP_ERR_REMOTE, "the file changed while it was read "
                    "(its ETag or Last-Modified changed)");
    if (a->first != off || a->last != off + len - 1)
        return fail(r, PP_ERR_REMOTE, "asked for bytes %" PRIu64 "-%" PRIu64
                    ", the server sent %" PRIu64 "-%" PRIu64, off,
                    off + len - 1, a->first, a->last);
    if (a->got != len)
        return fail(r, PP_ERR_REMOTE, "the answer ended after %zu of %zu "
                    "bytes", a->got, len);
    return 0;
}

/* The block cache's fetch: one ranged GET, or a read of the whole copy. */
static int fetch(void *arg, uint64_t off, uint8_t *buf, size_t len)
{
    struct http_range *r = arg;
    struct answer a = { .buf = buf, .whole_fd = -1 };
    int ret;

    if (r->whole) {
        for (size_t done = 0; done < len;) {
            ssize_t n = pread(r->fd, buf + done, len - done,
                              (off_t)(off + done));

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return fail(r, PP_ERR_IO, "cannot read the temporary copy: "
                            "%s", n < 0 ? strerror(errno) : "it is short");
            done += (size_t)n;
        }
        return 0;
    }
    if ((ret = request(r, r->at, off, len, &a, false)) < 0)
        return ret;
    return check_range(r, &a, off, len);
}

/* An unlinked temporary file for a server that sends the whole file. */
static int temp_file(struct http_range *r)
{
    const char *dir = getenv("TMPDIR");
    char *path = xstrfmt("%s/podpub-probe-XXXXXX", dir && *dir ? dir :
                         "/tmp");
    int fd = mkstemp(path);

    if (fd < 0)
        fail(r, PP_ERR_IO, "cannot create a temporary file in %s: %s",
             dir && *dir ? dir : "/tmp", strerror(errno));
    else
        unlink(path);
    free(path);
    return fd;
}

/*
 * The first request, for block 0: follows redirects (to http(s) only),
 * learns the size, and seeds the cache; or, when the server ignores
 * Range, reads the whole file into a temporary copy.
 */
static int first_request(struct http_range *r)
{
    uint8_t *buf = xmalloc(RANGE_BLOCK);
    struct answer a = { .buf = buf, .whole_fd = -1 };
    int ret, hops = 0;

    r->at = xstrdup(r->url);
    if ((a.whole_fd = r->fd = temp_file(r)) < 0) {
        ret = PP_ERR_IO;
        goto out;
    }
    for (;;) {
        char *to = NULL;

        if ((ret = request(r, r->at, 0, RANGE_BLOCK, &a, true)) < 0)
            goto out;
        if (a.status < 300 || a.status >= 400)
            break;
        curl_easy_getinfo(r->h, CURLINFO_REDIRECT_URL, &to);
        if (!to) {
            ret = fail(r, PP_ERR_REMOTE, "HTTP %ld without a Location",
                       a.status);
            goto out;
        }
        if (!is_http_url(to)) {
            ret = fail(r, PP_ERR_REMOTE, "redirect to '%s' refused (only "
                       "http and https)", to);
            goto out;
        }
        if (++hops > NET_MAX_REDIRECTS) {
            ret = fail(r, PP_ERR_REMOTE, "more than %d redirects",
                       NET_MAX_REDIRECTS);
            goto out;
        }
        free(r->at);
        r->at = xstrdup(to);
    }
    snprintf(r->type, sizeof(r->type), "%s", a.type);
    if (a.status == 200) {
        if (a.length >= 0 && (uint64_t)a.length != a.spilled) {
            ret = fail(r, PP_ERR_REMOTE, "the answer ended after %" PRIu64
                       " of %" PRId64 " bytes", a.spilled, a.length);
            goto out;
        }
        if (!a.spilled) {
            ret = fail(r, PP_ERR_REMOTE, "empty file");
            goto out;
        }
        r->whole = true;
        r->size = a.spilled;
        r->cache = block_cache_new(r->size, RANGE_BLOCK, RANGE_SLOTS,
                                   RANGE_MAX_RUN, fetch, r);
        ret = 0;
        goto out;
    }
    close(r->fd);
    r->fd = -1;
    if (a.status == 416) {
        ret = fail(r, PP_ERR_REMOTE, "HTTP 416 to a Range request for its "
                   "first bytes (an empty file?)");
        goto out;
    }
    if (a.status != 206) {
        ret = fail(r, PP_ERR_REMOTE, "HTTP %ld", a.status);
        goto out;
    }
    if (!a.has_range) {
        ret = fail(r, PP_ERR_REMOTE, "HTTP 206 without a valid "
                   "Content-Range");
        goto out;
    }
    r->size = a.total;
    snprintf(r->etag, sizeof(r->etag), "%s", a.etag);
    snprintf(r->modified, sizeof(r->modified), "%s", a.modified);
    /* Block 0 is the whole file when it is smaller than a block. */
    if ((ret = check_range(r, &a, 0, r->size < RANGE_BLOCK ?
                           (size_t)r->size : RANGE_BLOCK)) < 0)
        goto out;
    r->cache = block_cache_new(r->size, RANGE_BLOCK, RANGE_SLOTS,
                               RANGE_MAX_RUN, fetch, r);
    block_cache_seed(r->cache, 0, buf, a.got);
    ret = 0;
out:
    free(buf);
    return ret;
}

int http_range_open(const char *url, long timeout_s, struct http_range **out,
                    struct strbuf *err)
{
    struct http_range *r;
    int ret;

    *out = NULL;
    if (!is_http_url(url)) {
        strbuf_addf(err, "%s: not an http:// or https:// URL", url);
        return PP_ERR_INPUT;
    }
    r = xcalloc(1, sizeof(*r));
    strbuf_init(&r->err);
    r->url = xstrdup(url);
    r->fd = -1;
    r->timeout_s = timeout_s > 0 ? timeout_s : 30;
    if (!(r->h = curl_easy_init()))
        die("cannot create a libcurl handle");
    /* Redirects are followed by hand, each target checked. */
    net_easy_base(r->h, r->errbuf, false);
    curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT, r->timeout_s < 10 ?
                     r->timeout_s : 10L);
    /* Stalled: less than 1 KB/s for 'timeout_s'. */
    curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_TIME, r->timeout_s);
    /* No Accept-Encoding: ranges of the file, not of a compressed form. */
    curl_easy_setopt(r->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, on_body);
    if ((ret = first_request(r)) < 0) {
        strbuf_addstr(err, r->err.buf);
        http_range_close(r);
        return ret;
    }
    *out = r;
    return 0;
}

int64_t http_range_read(struct http_range *r, uint64_t off, void *buf,
                        size_t len)
{
    return block_cache_read(r->cache, off, buf, len);
}

const char *http_range_error(const struct http_range *r, int *code)
{
    *code = r->code;
    return r->err.len ? r->err.buf : NULL;
}

void http_range_stats(const struct http_range *r, struct http_range_stats *s)
{
    s->size = r->size;
    s->fetched = r->fetched;
    s->requests = r->requests;
    s->whole = r->whole;
    snprintf(s->type, sizeof(s->type), "%s", r->type);
}

void http_range_close(struct http_range *r)
{
    if (!r)
        return;
    if (r->h) {
        curl_easy_setopt(r->h, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_cleanup(r->h);
    }
    if (r->fd >= 0)
        close(r->fd);
    block_cache_free(r->cache);
    strbuf_release(&r->err);
    free(r->url);
    free(r->at);
    free(r);
}
