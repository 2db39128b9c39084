/*
 * Downloads of large files (an imported show's media) with libcurl's
 * multi interface: several at once, each into "<file>.part", continued
 * from where an earlier run stopped with a Range request, and renamed to
 * its name only when complete, so a file with the final name is whole.
 *
 * The server's answer is someone else's input: a 206 counts only when
 * its Content-Range starts exactly at the end of the .part (anything
 * else starts the file again from byte 0), the body may not exceed the
 * caller's limit, and the size the server announced must be what came.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "header.h"
#include "internal.h"
#include "podpub/net.h"
#include "podpub/util.h"

#define PROGRESS_EVERY_S 0.25

struct slot {
    CURL *h;
    struct http_download *d;
    void (*started)(struct http_download *d);
    char *part;                 /* "<path>.part" */
    int fd;
    uint64_t from;              /* where the Range asked to start */
    bool decided;               /* the answer was judged */
    bool restart;               /* start again from 0 when this ends */
    bool restarted;             /* ... which happens once */
    bool ours;                  /* 'd->error' holds our own reason */
    struct curl_slist *headers;
    /* The last answer's headers (a redirect's are replaced). */
    char content_range[128];
    char etag[256], last_modified[256];
    int64_t content_length;
    char errbuf[CURL_ERROR_SIZE];
};

/* Records why 'd' failed (the first reason counts); returns 0 for curl. */
static size_t fail(struct slot *s, int code, const char *fmt, ...)
    PP_PRINTF(3, 4);

static size_t fail(struct slot *s, int code, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (s->ours)
        return 0;
    n = snprintf(s->d->error, sizeof(s->d->error), "%s: ", s->d->url);
    if (n < 0 || (size_t)n >= sizeof(s->d->error))
        n = 0;
    va_start(ap, fmt);
    vsnprintf(s->d->error + n, sizeof(s->d->error) - (size_t)n, fmt, ap);
    va_end(ap);
    s->d->ret = code;
    s->ours = true;
    return 0;
}

/* The headers kept of an answer: where each goes in the slot. */
static const struct {
    const char *name;
    size_t off, size;
} kept[] = {
    { "Content-Range", offsetof(struct slot, content_range),
      sizeof(((struct slot *)0)->content_range) },
    { "ETag", offsetof(struct slot, etag), sizeof(((struct slot *)0)->etag) },
    { "Last-Modified", offsetof(struct slot, last_modified),
      sizeof(((struct slot *)0)->last_modified) },
};

/* Every answer's header lines; a status line starts the next answer's. */
static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct slot *s = arg;
    size_t len = size * n, vlen;
    const char *v;
    char buf[32];

    if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
        for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
            *((char *)s + kept[i].off) = '\0';
        s->content_length = -1;
        return len;
    }
    for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
        if (http_header_is(line, len, kept[i].name, &v, &vlen))
            http_header_copy((char *)s + kept[i].off, kept[i].size, v, vlen);
    if (http_header_is(line, len, "Content-Length", &v, &vlen)) {
        http_header_copy(buf, sizeof(buf), v, vlen);
        s->content_length = http_content_length(buf);
    }
    return len;
}

/*
 * The first byte of the body is here: judge the answer. A 206 must
 * continue the .part exactly; a 200 replaces it.
 */
static int decide(struct slot *s)
{
    struct http_download *d = s->d;
    uint64_t first, last;

    s->decided = true;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &d->status);
    if (d->status == 206) {
        if (!s->from || !http_content_range(s->content_range, &first, &last,
                                            &d->total) ||
            first != s->from) {
            s->restart = true;
            return (int)fail(s, PP_ERR_REMOTE, "HTTP 206 with Content-Range "
                             "\"%.60s\", not from byte %" PRIu64,
                             s->content_range, s->from);
        }
        d->resumed_from = s->from;
    } else if (d->status == 200) {
        /* The whole file: the server ignored the Range or the file changed
         * since (If-Range). It starts again from byte 0. */
        if (ftruncate(s->fd, 0) < 0)
            return (int)fail(s, PP_ERR_IO, "cannot truncate '%s': %s",
                             s->part, strerror(errno));
        d->have = 0;
        d->resumed_from = 0;
        d->total = s->content_length;
    } else {
        return (int)fail(s, PP_ERR_REMOTE, "HTTP %ld", d->status);
    }
    if (d->total >= 0 && (uint64_t)d->total > d->max_bytes)
        return (int)fail(s, PP_ERR_REMOTE, "%" PRId64 " bytes, more than "
                         "the %" PRIu64 " podpub accepts", d->total,
                         d->max_bytes);
    if (lseek(s->fd, (off_t)d->have, SEEK_SET) < 0)
        return (int)fail(s, PP_ERR_IO, "cannot seek in '%s': %s", s->part,
                         strerror(errno));
    snprintf(d->validator, sizeof(d->validator), "%s",
             *s->etag && strncmp(s->etag, "W/", 2) ? s->etag :
             s->last_modified);
    d->started = true;
    if (s->started)
        s->started(d);
    return 1;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct slot *s = arg;
    struct http_download *d = s->d;
    size_t len = size * n;

    if (!s->decided && decide(s) <= 0)
        return 0;
    if (s->ours)
        return 0;
    if (d->have + len > d->max_bytes)
        return fail(s, PP_ERR_REMOTE, "more than the %" PRIu64 " bytes "
                    "podpub accepts", d->max_bytes);
    if (write_all(s->fd, data, len) < 0)
        return fail(s, PP_ERR_IO, "cannot write '%s': %s", s->part,
                    strerror(errno));
    d->have += len;
    return len;
}

static void close_fd(struct slot *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/* Opens the .part and asks for what it lacks. Returns 0 or -1 (failed). */
static int start(CURLM *multi, struct slot *s, long timeout_s)
{
    struct http_download *d = s->d;
    struct stat st;

    s->decided = s->restart = s->ours = false;
    s->errbuf[0] = '\0';
    s->content_range[0] = s->etag[0] = s->last_modified[0] = '\0';
    d->ret = 0;
    d->error[0] = '\0';
    d->status = 0;
    d->total = -1;
    d->resumed_from = 0;
    d->started = false;
    if (!s->part)
        s->part = xstrfmt("%s.part", d->path);
    /* O_NOFOLLOW: a symlink planted as the .part is not written through. */
    s->fd = open(s->part, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (s->fd < 0 || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        fail(s, PP_ERR_IO, "cannot open '%s': %s", s->part,
             s->fd < 0 ? strerror(errno) : "not a regular file");
        close_fd(s);
        return -1;
    }
    d->have = (uint64_t)st.st_size;
    if (d->have > d->max_bytes || s->restarted)
        d->have = 0;
    s->from = d->have;
    curl_easy_reset(s->h);
    net_easy_base(s->h, s->errbuf, true);
    curl_easy_setopt(s->h, CURLOPT_URL, d->url);
    curl_easy_setopt(s->h, CURLOPT_CONNECTTIMEOUT, timeout_s);
    /* No limit on the whole: a stall of 'timeout_s' seconds fails. */
    curl_easy_setopt(s->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(s->h, CURLOPT_LOW_SPEED_TIME, timeout_s);
    /* The bytes as stored (no Accept-Encoding): ranges count those. */
    curl_easy_setopt(s->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(s->h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s->h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
    curl_slist_free_all(s->headers);
    s->headers = NULL;
    if (s->from) {
        char range[32];

        snprintf(range, sizeof(range), "%" PRIu64 "-", s->from);
        curl_easy_setopt(s->h, CURLOPT_RANGE, range);
        if (*d->validator && !strpbrk(d->validator, "\r\n")) {
            char *line = xstrfmt("If-Range: %s", d->validator);

            if (!(s->headers = curl_slist_append(NULL, line)))
                die("out of memory");
            free(line);
            curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->headers);
        }
    }
    curl_multi_add_handle(multi, s->h);
    return 0;
}

/* A transfer without a body to judge: a 416 may mean the .part is whole. */
static void no_body(struct slot *s)
{
    struct http_download *d = s->d;
    uint64_t first, last;

    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &d->status);
    if (d->status == 416 && s->from &&
        http_content_range(s->content_range, &first, &last, &d->total) &&
        first == UINT64_MAX && d->total == (int64_t)s->from) {
        d->have = s->from;
        return;
    }
    if (d->status == 416 && s->from) {
        s->restart = true;
        fail(s, PP_ERR_REMOTE, "HTTP 416 for bytes from %" PRIu64, s->from);
    } else if (d->status >= 300 || d->status < 200) {
        fail(s, PP_ERR_REMOTE, "HTTP %ld", d->status);
    } else if (d->status == 200) {
        if (ftruncate(s->fd, 0) == 0)
            d->have = 0;
        d->total = 0;
    }
}

/* The transfer in 's' ended with 'rc': the result, and the file. */
static void finish(struct slot *s, CURLcode rc)
{
    struct http_download *d = s->d;

    if (rc == CURLE_OK && !s->decided)
        no_body(s);
    if (rc != CURLE_OK && !s->ours)
        fail(s, PP_ERR_REMOTE, "%s", *s->errbuf ? s->errbuf :
             curl_easy_strerror(rc));
    if (!s->ours && d->total >= 0 && d->have != (uint64_t)d->total)
        fail(s, PP_ERR_REMOTE, "ended after %" PRIu64 " of %" PRId64
             " bytes", d->have, d->total);
    if (!s->ours && !d->have)
        fail(s, PP_ERR_REMOTE, "empty (0 bytes)");
    if (!s->ours && fsync(s->fd) < 0 && errno != EINVAL)
        fail(s, PP_ERR_IO, "cannot write '%s': %s", s->part,
             strerror(errno));
    close_fd(s);
    /* An empty .part has nothing to continue. */
    if (s->ours && !d->have)
        unlink(s->part);
    if (!s->ours && rename(s->part, d->path) < 0)
        fail(s, PP_ERR_IO, "cannot rename '%s' to '%s': %s", s->part,
             d->path, strerror(errno));
}

static void report(struct http_download *d, size_t nr, double t0,
                   void (*progress)(void *,
                                    const struct http_download_progress *),
                   void *ctx)
{
    struct http_download_progress p = { .nr = nr };

    for (size_t i = 0; i < nr; i++) {
        p.have += d[i].have;
        p.total += d[i].total > 0 ? (uint64_t)d[i].total : d[i].have;
        p.done += d[i].done;
        p.failed += d[i].done && d[i].ret < 0;
    }
    p.seconds = monotonic_s() - t0;
    progress(ctx, &p);
}

void http_download_all(struct http_download *d, size_t nr, int parallel,
                       long timeout_s,
                       void (*started)(struct http_download *d),
                       void (*progress)(void *ctx,
                                        const struct http_download_progress *p),
                       void *progress_ctx)
{
    CURLM *multi = curl_multi_init();
    struct slot *slots;
    size_t next = 0, running_nr = 0;
    double t0 = monotonic_s(), shown = 0;
    int still;

    if (!multi)
        die("cannot create a libcurl multi handle");
    parallel = parallel < 1 ? 1 : parallel;
    slots = xcalloc((size_t)parallel, sizeof(*slots));
    for (int i = 0; i < parallel; i++)
        slots[i].fd = -1;
    for (size_t i = 0; i < nr; i++)
        d[i].total = -1;
    for (;;) {
        CURLMsg *msg;
        int left;

        /* Fill the free slots (a transfer that cannot start is done). */
        for (int i = 0; i < parallel && next < nr; i++) {
            struct slot *s = &slots[i];

            if (s->d)
                continue;
            /* A handle per slot, made when first used, reused after. */
            if (!s->h && !(s->h = curl_easy_init()))
                die("cannot create a libcurl handle");
            s->started = started;
            s->d = &d[next++];
            s->restarted = false;
            FREE_AND_NULL(s->part);
            if (start(multi, s, timeout_s) < 0) {
                s->d->done = true;
                s->d = NULL;
                i--;
                continue;
            }
            running_nr++;
        }
        if (!running_nr)
            break;
        curl_multi_perform(multi, &still);
        while ((msg = curl_multi_info_read(multi, &left))) {
            struct slot *s;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                              (char **)&s);
            curl_multi_remove_handle(multi, s->h);
            finish(s, msg->data.result);
            curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, NULL);
            if (s->restart && !s->restarted) {
                /* Once more from byte 0: the .part could not be continued. */
                s->restarted = true;
                if (start(multi, s, timeout_s) == 0)
                    continue;
            }
            s->d->done = true;
            s->d = NULL;
            running_nr--;
        }
        if (progress && monotonic_s() - shown >= PROGRESS_EVERY_S) {
            shown = monotonic_s();
            report(d, nr, t0, progress, progress_ctx);
        }
        if (running_nr)
            curl_multi_poll(multi, NULL, 0, 250, NULL);
    }
    if (progress)
        report(d, nr, t0, progress, progress_ctx);
    for (int i = 0; i < parallel; i++) {
        curl_easy_cleanup(slots[i].h);
        curl_slist_free_all(slots[i].headers);
        free(slots[i].part);
        close_fd(&slots[i]);
    }
    free(slots);
    curl_multi_cleanup(multi);
}
