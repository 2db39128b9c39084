/*
 * Reading a remote file in pieces: HTTP(S) ranged GETs on one libcurl
 * handle (the connection is kept alive between them), behind a cache of
 * fixed-size blocks, so that a reader that seeks (libavformat, the probe's
 * fast paths) fetches the headers and tables it reads, not the file.
 */
#ifndef PODPUB_RANGE_H
#define PODPUB_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/strbuf.h"

/*
 * The block cache: 'nr' blocks of 'block' bytes of a file of 'size'
 * bytes, the least recently used replaced first. A miss fetches one block;
 * a miss on the block right after the last one fetched fetches a run of
 * blocks twice as long as the last run (up to 'max_run'), so a sequential
 * read of the whole file takes few requests.
 *
 * fetch(arg, off, buf, len) must fill 'buf' with the 'len' bytes at 'off'
 * (always inside the file) and return 0, or a negative PP_ERR_* (it keeps
 * its own message).
 */
struct block_cache;

/*
 * A cache over 'fetch'; 'nr' is raised to twice 'max_run' when smaller.
 * Free with block_cache_free().
 */
struct block_cache *block_cache_new(uint64_t size, size_t block, size_t nr,
                                    size_t max_run,
                                    int (*fetch)(void *arg, uint64_t off,
                                                 uint8_t *buf, size_t len),
                                    void *arg);

/*
 * Copies up to 'len' bytes at 'off' into 'buf'. Returns how many (fewer
 * only at the end of the file, 0 from its end on), or the negative
 * PP_ERR_* of a failed fetch (a failure is final: every later read fails
 * the same way).
 */
int64_t block_cache_read(struct block_cache *c, uint64_t off, void *buf,
                         size_t len);

/*
 * Stores the 'len' bytes at 'off' (a whole block, or the file's last
 * one) as if they had been fetched: what the first request brought.
 */
void block_cache_seed(struct block_cache *c, uint64_t off, const void *data,
                      size_t len);

/* How many fetches the cache made, and how many bytes they asked for. */
uint64_t block_cache_fetches(const struct block_cache *c);
uint64_t block_cache_fetched(const struct block_cache *c);

void block_cache_free(struct block_cache *c);

/*
 * A remote file open for ranged reads. Only http and https URLs are
 * accepted, also after a redirect (at most 5, followed on the first
 * request only: later reads go to where it ended). Every answer is
 * checked: 206 with the Content-Range asked for and the same total size
 * (and ETag and Last-Modified, when sent) as the first; a file that
 * changes between two reads is an error. A server that answers the first
 * ranged GET with 200 (it ignores Range) is read whole, once, into an
 * unlinked temporary file, and read from there.
 */
struct http_range;

struct http_range_stats {
    uint64_t size;              /* the file's size */
    uint64_t fetched;           /* body bytes received, all requests */
    unsigned long requests;
    bool whole;                 /* the server ignored Range: read whole */
    char type[128];             /* the Content-Type sent ("" if none) */
};

/*
 * Opens 'url' (borrowed) with a first ranged GET; 'timeout_s' bounds the
 * connection and each ranged request (a whole-file answer may take
 * longer, as long as it keeps flowing). Returns 0 with '*out' set, or
 * PP_ERR_INPUT (not an http(s) URL) or PP_ERR_REMOTE with one line naming
 * 'url' in 'err'.
 */
int http_range_open(const char *url, long timeout_s, struct http_range **out,
                    struct strbuf *err);

/*
 * Reads up to 'len' bytes at 'off' through the cache: returns how many
 * (0 at the end), or a negative PP_ERR_* after which
 * http_range_error() says what went wrong.
 */
int64_t http_range_read(struct http_range *r, uint64_t off, void *buf,
                        size_t len);

/*
 * The first failure's message (naming the URL), with its PP_ERR_* in
 * '*code'; NULL when nothing failed.
 */
const char *http_range_error(const struct http_range *r, int *code);

void http_range_stats(const struct http_range *r, struct http_range_stats *s);

/* Closes the connection and frees 'r'; accepts NULL. */
void http_range_close(struct http_range *r);

/*
 * True when 's' starts with a URL scheme ("xyz://"): `podpub probe` takes
 * it for a URL, not a path.
 */
bool looks_like_url(const char *s);

/* True when 's' is an http:// or https:// URL (the scheme in any case). */
bool is_http_url(const char *s);

#endif
