/*
 * Publishing targets (internal to src/publish): where a key (a path
 * relative to the show's base_url, "001-milas.mp3") lives, and the few
 * operations publishing needs of each kind of storage.
 *
 * Every key handed to these functions has passed key_valid(): keys come
 * from the show's own files or from a remote manifest, lock or feed that
 * publish.c validated first. A key that has not is a bug, and dies.
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

enum target_kind { TARGET_FILE, TARGET_S3, TARGET_SFTP, TARGET_FTP,
                   TARGET_DAV };

struct target {
    enum target_kind kind;
    char *display;          /* the URL without credentials, for messages */
    char *base;             /* URL (or folder) that keys are appended to */
    char *remote_dir;       /* SFTP: the absolute folder of 'base' */
    /* Credentials and TLS, never printed. */
    char *user, *password;  /* S3: key and secret; FTP/WebDAV: basic */
    char *sigv4;            /* S3: "aws:amz:REGION:s3" */
    char *session_token;    /* S3: x-amz-security-token */
    bool netrc;             /* FTP/WebDAV: ~/.netrc when no user given */
    bool ftp_tls;           /* ftps://: explicit TLS */
    char *ca_file;          /* PODPUB_CA_FILE */
    char *ssh_key, *ssh_pub, *known_hosts, *host_key_sha256, *ssh_user;
    int verbosity;
    long stall_s;           /* fail a request that moves nothing this long */
    /* The folders local files may be read from (borrowed). */
    const struct path_roots *roots;
    /* This publish's random token: temporary names at the target. */
    char token[17];
};

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
 * grown after hashing cannot change what goes up).
 */
struct upload_src {
    int fd;
    uint64_t size, pos;
    const struct pfile *f;
};

/*
 * Opens 'f' inside 'roots' and checks it is still the file that was
 * hashed (device, inode, size, modification time). Returns 0, or
 * PP_ERR_IO / PP_ERR_INPUT (printed).
 */
int upload_open(struct upload_src *src, const struct pfile *f,
                const struct path_roots *roots);
/* After a transfer: 0 when the file did not change meanwhile (printed). */
int upload_check(const struct upload_src *src);
void upload_close(struct upload_src *src);
/* libcurl's read and seek callbacks over an upload_src. */
size_t upload_read(char *buf, size_t size, size_t n, void *arg);
int upload_seek(void *arg, curl_off_t offset, int origin);

/*
 * Opens the target 'url': its kind, where keys go and the credentials
 * from the environment (or the URL, moved out of it with a warning).
 * Prints and returns PP_ERR_USAGE / PP_ERR_INPUT for a URL podpub cannot
 * use or missing credentials.
 */
int target_open(struct target *t, const char *url, bool insecure_http);
void target_close(struct target *t);

/* The URL of 'key' (percent-encoded); the caller frees it. */
char *target_url(const struct target *t, const char *key);

/* Sets the options every request to 't' needs (auth, TLS, SSH keys). */
void target_configure(const struct target *t, CURL *h, char *errbuf);

/*
 * Reads 'key' into 'body' (at most 'limit' bytes: more is an error).
 * Returns 0; 1 when it does not exist; or PP_ERR_REMOTE (printed).
 */
int target_get(const struct target *t, const char *key, struct strbuf *body,
               size_t limit);

/* Writes 'len' bytes of 'data' to 'key' (small files: lock, manifest). */
int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache);

/*
 * Creates 'key' with 'len' bytes of 'data' only if it does not exist,
 * atomically where the storage can (folder: O_EXCL; S3: If-None-Match;
 * WebDAV: MOVE with Overwrite: F; SFTP: rename, which never replaces),
 * else by writing and reading back (FTP, best effort). Returns 0 when
 * created, 1 when 'key' exists (or another writer won), or PP_ERR_REMOTE.
 */
int target_create(const struct target *t, const char *key, const char *data,
                  size_t len);

/*
 * Puts 'f' at its key as one atomic step where the storage has one
 * (S3: one PUT; WebDAV: PUT then MOVE; FTP: RNFR/RNTO; SFTP: remove then
 * rename in one batch; folder: rename). Returns 0 or PP_ERR_REMOTE.
 */
int target_replace(const struct target *t, const struct pfile *f);

/*
 * Deletes 'key'. Returns 0 when it is gone (a missing key is not an
 * error), or PP_ERR_REMOTE (printed) when it could not be removed.
 */
int target_delete(const struct target *t, const char *key);

/*
 * Removes podpub's own temporary files (temp_name()) older than
 * 'older_than' seconds at a folder target: what a publish killed in the
 * middle left behind. Returns how many were removed.
 */
size_t target_remove_stale_temps(const struct target *t, long older_than);

/*
 * Prepares 'h' to upload 'src' to its key; '*headers' receives a list
 * the caller frees after the transfer. For TARGET_FILE nothing is done.
 */
void target_setup_put(const struct target *t, CURL *h,
                      struct upload_src *src, const char *key,
                      struct curl_slist **headers);

/* Creates the WebDAV collections above 'key' (after a 409). */
int target_dav_mkcol(const struct target *t, const char *key);

/* Copies 'f' into a folder target atomically (TARGET_FILE). */
int target_file_put(const struct target *t, const struct pfile *f);

/* S3 multipart upload of a large file. */
int target_s3_multipart(const struct target *t, const struct pfile *f);

/* True for a libcurl result or HTTP status worth retrying. */
bool transient_failure(CURLcode rc, long status);

/*
 * A one-line description of a failed request, without credentials;
 * what the server said is escaped.
 */
void describe_failure(struct strbuf *sb, const struct target *t,
                      const char *key, CURLcode rc, long status,
                      const char *errbuf, const char *body);

/* Dies unless 'key' is valid: every key reaching a target must be. */
void target_assert_key(const char *key);

#endif
