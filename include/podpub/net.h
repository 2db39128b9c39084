/*
 * HTTP(S) requests with libcurl (the only code that includes its
 * headers, with src/publish): a single GET, and many requests at once
 * through the multi interface for online checks.
 */
#ifndef PODPUB_NET_H
#define PODPUB_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/strbuf.h"

/* Call once in main before any request; never fails (dies). */
void net_init(void);
void net_cleanup(void);

/*
 * GETs 'url' into 'body' (at most 'limit' bytes), following up to 5
 * redirects, TLS verified, 'timeout_s' in all. Returns 0 with the final
 * HTTP status in '*status', or PP_ERR_REMOTE with a one-line reason in
 * 'err' (which names the URL).
 */
int http_get(const char *url, long timeout_s, size_t limit,
             struct strbuf *body, long *status, struct strbuf *err);

/*
 * http_get() with "Authorization: 'auth'" (a secret: it is sent only to
 * the host of 'url', not after a redirect to another, and never appears
 * in 'err').
 */
int http_get_auth(const char *url, const char *auth, long timeout_s,
                  size_t limit, struct strbuf *body, long *status,
                  struct strbuf *err);

/*
 * POSTs the form 'form' ("a=1&b=2", already encoded) to 'url'; the answer
 * is read and dropped. Returns as http_get().
 */
int http_post_form(const char *url, const char *form, long timeout_s,
                   long *status, struct strbuf *err);

/*
 * The local path a file: URL names: "file:///srv/feed.xml" or
 * "file://localhost/srv/feed.xml" (RFC 8089), percent-decoded; a query or
 * fragment is ignored. Returns 0 with '*path' set (the caller frees it),
 * or PP_ERR_INPUT with a one-line reason in 'err', which does not repeat
 * the URL (another host, no absolute path, a bad or NUL escape).
 */
int file_url_path(const char *url, char **path, struct strbuf *err);

/* One request of a batch, and what came back. */
struct http_probe {
    const char *url;            /* borrowed */
    bool range;                 /* GET with "Range: bytes=0-1", else HEAD */
    bool no_follow;             /* report a redirect instead of following */
    /* Results: */
    bool failed;                /* no HTTP answer: see 'error' */
    char error[256];            /* libcurl's reason, when failed */
    long status;                /* last response's status */
    long redirects;
    int64_t content_length;     /* -1 when not sent */
    char content_type[128];     /* "" when not sent */
    char content_range[128];
    bool accept_ranges;         /* "Accept-Ranges: bytes" */
    char location[512];         /* with no_follow: where a redirect
                                   points ("" when none) */
};

/*
 * Runs the 'nr' requests 'probes' with at most 'parallel' at once, each
 * limited to 'timeout_s' seconds and 5 redirects. Fills the results.
 */
void http_probe_all(struct http_probe *probes, size_t nr, int parallel,
                    long timeout_s);

/*
 * One file to download (src/net/download.c). The body goes into
 * "<path>.part", which a later run continues with a Range request, and
 * is renamed to 'path' when it is complete.
 */
struct http_download {
    const char *url;            /* borrowed; http(s) only */
    const char *path;           /* borrowed; the final file */
    uint64_t max_bytes;         /* a larger body is refused */
    char validator[256];        /* in: the ETag or Last-Modified the .part
                                   was fetched with ("" if not known),
                                   sent as If-Range; out: the answer's */
    void *ctx;                  /* for the caller */
    /* Results: */
    int ret;                    /* 0, PP_ERR_REMOTE or PP_ERR_IO */
    char error[512];            /* why, naming the URL, when ret < 0 */
    long status;                /* the last answer's HTTP status */
    uint64_t resumed_from;      /* bytes of the .part the server
                                   continued from (206); 0 when none */
    uint64_t have;              /* bytes in the .part now */
    int64_t total;              /* the whole size the server said, or -1 */
    bool started;               /* an answer with a body arrived */
    bool done;
};

struct http_download_progress {
    size_t done, failed, nr;    /* transfers finished, failed, in all */
    uint64_t have;              /* bytes on disk of every transfer */
    uint64_t total;             /* of the sizes known so far */
    double seconds;             /* since the transfers began */
};

/*
 * Runs the 'nr' downloads 'd' with at most 'parallel' at once, through
 * one libcurl multi handle. Each follows at most 5 redirects, to http(s)
 * only; it fails when connecting takes more than 'timeout_s' seconds or
 * no byte arrives for 'timeout_s' seconds (a long download is never cut
 * off while it moves). A "<path>.part" left by an earlier run is
 * continued from its end when the server answers 206 with a
 * Content-Range starting there (and, given a validator, the file has not
 * changed since: If-Range); any 200 starts it again from byte 0.
 * 'started' (may be NULL) is called once the answer to a transfer is
 * known, before its first byte is written ('validator' is set then);
 * 'progress' (may be NULL) about four times a second. Fills the results
 * of each: a complete file is at 'path' (atomically renamed; an existing
 * file there is replaced) with ret 0.
 */
void http_download_all(struct http_download *d, size_t nr, int parallel,
                       long timeout_s,
                       void (*started)(struct http_download *d),
                       void (*progress)(void *ctx,
                                        const struct http_download_progress *p),
                       void *progress_ctx);

#endif
