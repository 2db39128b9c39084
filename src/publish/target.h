/*
 * Publishing targets (internal to src/publish): where a key (a path
 * relative to the show's base_url, "001-milas.mp3") lives, and the few
 * operations publishing needs of each kind of storage.
 *
 * Each kind is one file that fills one const struct target_ops, as curl
 * keeps a handler per protocol: target_s3.c, target_sftp.c,
 * target_ftp.c, target_dav.c, target_file.c. target.c picks the kind by
 * the URL's scheme and passes every call on; nothing outside a kind's
 * file asks which kind a target is. request.c holds what the network
 * kinds share (a libcurl request, retried; failures described).
 *
 * Every key handed to these functions has passed key_valid(): keys come
 * from the show's own files or from a remote manifest, lock or feed that
 * was validated first. A key that has not is a bug, and dies.
 */
#ifndef PODPUB_PUBLISH_TARGET_H
#define PODPUB_PUBLISH_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <curl/curl.h>

#include "podpub/path.h"
#include "podpub/strbuf.h"

struct target;

/* A file to upload and what is known of it. */
struct pfile {
    char *key;              /* "chapters/001-milas.json" */
    char *local;            /* "public/chapters/001-milas.json" */
    const char *guid;       /* the episode it belongs to, or NULL */
    uint64_t size;
    char sha256[65];
    /* The file that was hashed: an upload must read this same file. */
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    const char *type;       /* Content-Type */
    const char *cache;      /* Cache-Control */
    const char *reason;     /* "new", "changed", NULL: unchanged */
    bool done;
};

/*
 * A local file being uploaded: exactly 'size' bytes of the file that was
 * hashed, read from one open descriptor (so a symlink swapped or a file
 * grown after hashing cannot change what goes up). See source.c.
 */
struct upload_src {
    int fd;
    uint64_t size, pos;
    const struct pfile *f;
};

int upload_open(struct upload_src *src, const struct pfile *f,
                const struct path_roots *roots);
int upload_check(const struct upload_src *src);
void upload_close(struct upload_src *src);
size_t upload_read(char *buf, size_t size, size_t n, void *arg);
int upload_seek(void *arg, curl_off_t offset, int origin);

/*
 * One kind of storage. Every operation returns 0 or a negative PP_ERR_*
 * (printed), unless said otherwise; optional ones may be NULL.
 */
struct target_ops {
    const char *name;       /* "S3", "SFTP"...: for messages */
    /* Answers carry an HTTP status that decides success (S3, WebDAV). */
    bool http;
    /* Sets up 't' for 'url', whose scheme chose this kind. */
    int (*open)(struct target *t, const char *url, bool insecure_http);
    /* Frees what open() kept in t->priv. */
    void (*release)(struct target *t);
    /* Network kinds: the libcurl options every request needs. */
    void (*configure)(const struct target *t, CURL *h);
    /* Optional: headers every request carries for a body of 'sha256'. */
    struct curl_slist *(*headers)(const struct target *t, const char *sha256,
                                  struct curl_slist *list);
    /* Reads 'key' (at most 'limit' bytes): 0, 1 when absent, or < 0. */
    int (*get)(const struct target *t, const char *key, struct strbuf *body,
               size_t limit);
    /* Writes a small file (the manifest, a lock's temporary). */
    int (*put_data)(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache);
    /* Creates 'key' only if absent: 0 created, 1 exists, or < 0. */
    int (*create)(const struct target *t, const char *key, const char *data,
                  size_t len);
    /* Puts 'f' at its key in one atomic step where the storage has one. */
    int (*replace)(const struct target *t, const struct pfile *f);
    /* Deletes 'key': 0 when it is gone (or was never there). */
    int (*remove)(const struct target *t, const char *key);
    /*
     * Optional: uploads 'f' on its own, blocking, when this kind does not
     * send it through the parallel transfers (a folder copies; S3 sends
     * a large file in parts). Returns 1 when 'f' goes the parallel way.
     */
    int (*put_alone)(const struct target *t, const struct pfile *f);
    /* Optional: makes the folders above 'key' after a 409 (WebDAV). */
    int (*make_parent)(const struct target *t, const char *key);
    /* Optional: removes podpub's temporary files older than this. */
    size_t (*remove_stale_temps)(const struct target *t, long older_than);
    /* Optional: adds a hint to a failure's description. */
    void (*hint)(const struct target *t, CURLcode rc, struct strbuf *sb);
};

extern const struct target_ops target_s3_ops, target_sftp_ops,
                                target_ftp_ops, target_dav_ops,
                                target_file_ops;

/*
 * One line of libcurl's trace (-v -v), already free of secrets and
 * escaped: 'dir' is '>' (sent), '<' (received) or '*' (libcurl).
 */
typedef void target_trace_fn(void *ctx, char dir, const char *line);

struct target {
    const struct target_ops *ops;
    char *display;          /* the URL without credentials, for messages */
    char *base;             /* URL (or folder) that keys are appended to */
    /* Credentials and TLS, never printed. */
    char *user, *password;  /* S3: key and secret; FTP/WebDAV: basic */
    bool netrc;             /* FTP/WebDAV: ~/.netrc when no user given */
    char *ca_file;          /* PODPUB_CA_FILE */
    long stall_s;           /* fail a request that moves nothing this long */
    /* The folders local files may be read from (borrowed). */
    const struct path_roots *roots;
    /* This publish's random token: temporary names at the target. */
    char token[17];
    /*
     * One pool of connections (and DNS and TLS sessions) for every
     * request of this publish, blocking or parallel: a publish is a few
     * hundred small requests to one host, and a new connection for each
     * would cost more than many of the transfers.
     */
    CURLSH *share;
    /* -v -v: where the trace goes (NULL: no trace). */
    target_trace_fn *trace;
    void *trace_ctx;
    void *priv;             /* the kind's own state */
};

/*
 * Opens the target 'url': its kind (by scheme), where keys go and the
 * credentials from the environment (or the URL, moved out of it with a
 * warning). Returns 0 or PP_ERR_USAGE / PP_ERR_INPUT (printed).
 */
int target_open(struct target *t, const char *url, bool insecure_http);
void target_close(struct target *t);

/* The operations, through t->ops (each key checked first). */
int target_get(const struct target *t, const char *key, struct strbuf *body,
               size_t limit);
int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache);
int target_create(const struct target *t, const char *key, const char *data,
                  size_t len);
int target_replace(const struct target *t, const struct pfile *f);
int target_delete(const struct target *t, const char *key);
/* 1 when 'f' goes through the parallel transfers (the usual case). */
int target_put_alone(const struct target *t, const struct pfile *f);
/* After a 409: 0 when the folders above 'key' were made, else < 0. */
int target_make_parent(const struct target *t, const char *key);
size_t target_remove_stale_temps(const struct target *t, long older_than);

/* The URL of 'key' (percent-encoded); the caller frees it. */
char *target_url(const struct target *t, const char *key);

/* Dies unless 'key' is valid: every key reaching a target must be. */
void target_assert_key(const char *key);

/* --- for the kinds' files ------------------------------------------------ */

/* A copy of environment variable 'name', or NULL when unset or empty. */
char *target_env(const char *name);

/*
 * Parses a network target's URL with libcurl: the user and password move
 * out of it into 't' (decoded; never printed; a password warned about),
 * the host is judged (plain http only to loopback unless
 * 'insecure_http'), and '*base' and '*path' are the URL without them and
 * its decoded path (free both with curl_free()). 'user_only' keeps no
 * password (SFTP logs in with a key). Returns 0 or PP_ERR_USAGE.
 */
int target_parse_url(struct target *t, const char *url, bool insecure_http,
                     bool user_only, char **base, char **path);

/* FTP and WebDAV: PODPUB_USER/PODPUB_PASSWORD unless the URL had one. */
void target_basic_credentials(struct target *t);

#endif
