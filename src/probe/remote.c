/*
 * Probing a file at an http(s) URL: the same fast paths and libavformat
 * as for a local file, reading through ranged GETs and a block cache
 * (src/net/range.c) instead of a file descriptor, so that what is
 * fetched is what they read: an MP3's first frames and end tags, an
 * M4A's boxes (moov at the end: the start and the end), an Ogg's first
 * and last pages. A VBR MP3 without a Xing header is walked frame by
 * frame, so it is read whole, in long runs.
 *
 * The loudness is not measured: it needs the whole file decoded, which
 * for a URL means downloading an episode to read a few kilobytes of it.
 * Whoever wants it downloads the file and probes that.
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/media.h"
#include "podpub/range.h"
#include "fast.h"
#include "internal.h"

/* Connecting, and each ranged request, may take this long. */
#define REMOTE_TIMEOUT_S 30L

static int64_t remote_read(void *arg, uint64_t off, void *buf, size_t len)
{
    return http_range_read(arg, off, buf, len);
}

/* The file name in 'url': its last path segment, without the query. */
static char *url_name(const char *url)
{
    const char *p = strstr(url, "://") + 3;
    size_t n = strcspn(p, "?#"), start = n;

    while (start && p[start - 1] != '/')
        start--;
    /* No path at all ("https://host"): no name. */
    if (!start)
        start = n;
    return xstrndup(p + start, n - start);
}

/* The MIME type of a Content-Type header: before ';', trimmed. */
static void served_type(char *dst, size_t size, const char *v)
{
    size_t n = strcspn(v, "; \t");

    snprintf(dst, size, "%.*s", (int)n, v);
}

int probe_remote(const char *url, struct audio_info *info,
                 struct strbuf *msg, unsigned flags)
{
    struct strbuf err = STRBUF_INIT;
    struct http_range *r = NULL;
    struct http_range_stats st;
    const struct media_type *f;
    char *name = NULL;
    struct fsrc src;
    const char *failure;
    int ret, code;

    probe_quiet_logs();
    memset(info, 0, sizeof(*info));
    if (!is_http_url(url))
        return probe_fail(msg, PP_ERR_INPUT, "%s: not an http:// or "
                          "https:// URL (give a local file as a path)", url);
    name = url_name(url);
    if (!(f = probe_find_format(name))) {
        struct strbuf want = STRBUF_INIT;

        media_list_exts(&want, MEDIA_AUDIO);
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: unsupported file type "
                         "(want %s)", url, want.buf);
        strbuf_release(&want);
        goto out;
    }
    if ((ret = http_range_open(url, REMOTE_TIMEOUT_S, &r, &err)) < 0) {
        probe_fail(msg, ret, "%s", err.buf);
        goto out;
    }
    http_range_stats(r, &st);
    info->size = st.size;
    fsrc_init_fn(&src, remote_read, r, st.size);
    ret = probe_source(url, &src, f, info, &err, flags & ~PROBE_LOUDNESS);
    fsrc_release(&src);
    /* A read that failed may have made the file look damaged: say why. */
    if ((failure = http_range_error(r, &code))) {
        if (ret == 0)
            audio_info_release(info);
        ret = probe_fail(msg, code, "%s", failure);
        goto out;
    }
    if (ret < 0) {
        probe_fail(msg, ret, "%s", err.buf);
        goto out;
    }
    http_range_stats(r, &st);
    info->remote = true;
    info->whole = st.whole;
    info->fetched = st.fetched;
    info->requests = st.requests;
    served_type(info->served_type, sizeof(info->served_type), st.type);
out:
    http_range_close(r);
    strbuf_release(&err);
    free(name);
    return ret;
}
