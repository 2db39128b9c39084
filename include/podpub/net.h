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

#endif
