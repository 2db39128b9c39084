/*
 * What the network kinds of target share (internal to src/publish): a
 * libcurl request to a key, retried on transient failures, its failure
 * described without credentials; reading, writing, probing a key. The
 * kinds' files (target_s3.c, target_sftp.c, target_ftp.c, target_dav.c)
 * build their operations from these; only what differs is theirs.
 */
#ifndef PODPUB_PUBLISH_REQUEST_H
#define PODPUB_PUBLISH_REQUEST_H

#include "target.h"

/* Answers are small (a manifest, a lock, a feed): at most this much. */
#define ANSWER_MAX (64u << 20)

/* The SHA-256 of no bytes (the body of GET, HEAD, DELETE). */
#define EMPTY_SHA256 \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/*
 * Sets the options every request to 't' needs: timeouts, the stall
 * limit, TLS, the trace (-v -v, through t->trace), then the kind's own
 * (credentials, keys). 'errbuf' gets libcurl's message.
 */
void target_configure(const struct target *t, CURL *h, char *errbuf);

/* True for a libcurl result or HTTP status worth retrying. */
bool transient_failure(CURLcode rc, long status);

/*
 * A one-line description of a failed request, without credentials;
 * what the server said is escaped.
 */
void describe_failure(struct strbuf *sb, const struct target *t,
                      const char *key, CURLcode rc, long status,
                      const char *errbuf, const char *body);

/*
 * One blocking request for 'key': 'method' ("DELETE", "MOVE", "NOOP"...)
 * or NULL for an upload of 'len' bytes of 'data', with 'headers' and the
 * FTP/SFTP commands 'quote' (before) and 'postquote' (after). Returns 0;
 * the HTTP status when it is 'ok_status' (a 412 the caller wants to
 * see); or PP_ERR_REMOTE ("cannot <what> ...", printed unless 'quiet').
 * A DELETE answered 404 succeeds.
 */
int net_request(const struct target *t, const char *key, const char *method,
                const char *data, size_t len, struct curl_slist *headers,
                struct curl_slist *quote, struct curl_slist *postquote,
                const char *what, long ok_status, bool quiet);

/* target_ops.get for the network kinds: a GET (or RETR). */
int net_get(const struct target *t, const char *key, struct strbuf *body,
            size_t limit);

/*
 * target_ops.put_data for the network kinds: one upload with the
 * Content-Type and Cache-Control (HTTP kinds), made again after
 * ops->make_parent when there is one.
 */
int net_put_data(const struct target *t, const char *key, const char *data,
                 size_t len, const char *type, const char *cache);

/*
 * Deletes 'key' with FTP/SFTP commands ('quote' before, 'postquote'
 * after changing into 'at'): a failed command means the key is gone only
 * if it is not there now. Returns 0 or PP_ERR_REMOTE (printed).
 */
int net_remove_by_command(const struct target *t, const char *key,
                          const char *at, struct curl_slist *quote,
                          struct curl_slist *postquote);

/* Whether 'key' exists (a HEAD, a stat): 1, 0, or PP_ERR_REMOTE. */
int net_exists(const struct target *t, const char *key);

/*
 * After a write that should have created 'key': 0 when it holds 'len'
 * bytes of 'data', 1 when another writer's (or nothing), or < 0.
 */
int net_still_ours(const struct target *t, const char *key,
                   const char *data, size_t len);

/*
 * The headers of an upload to an HTTP kind (Content-Type, Cache-Control
 * and the kind's own), or NULL for the others.
 */
struct curl_slist *net_put_headers(const struct target *t, const char *type,
                                   const char *cache, const char *sha256);

/*
 * Prepares 'h' to upload 'src' to 'key' (the parallel transfers);
 * '*headers' receives a list the caller frees after the transfer.
 */
void target_setup_put(const struct target *t, CURL *h,
                      struct upload_src *src, const char *key,
                      struct curl_slist **headers);

/*
 * Uploads 'f' to 'key' with one blocking request, then runs the commands
 * 'postquote' (NULL, or a NULL-terminated list of FTP/SFTP commands: a
 * rename). Returns 0 or < 0 (printed).
 */
int net_put_file(const struct target *t, const struct pfile *f,
                 const char *key, const char *const *postquote);

#endif
