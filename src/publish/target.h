/*
 * Publishing targets (internal to src/publish): where a key (a path
 * relative to the show's base_url, "001-milas.mp3") lives, and the few
 * operations publishing needs of each kind of storage.
 */
#ifndef PODPUB_PUBLISH_TARGET_H
#define PODPUB_PUBLISH_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "podpub/strbuf.h"

enum target_kind { TARGET_FILE, TARGET_S3, TARGET_SFTP, TARGET_FTP,
                   TARGET_DAV };

struct target {
    enum target_kind kind;
    char *display;          /* the URL without credentials, for messages */
    char *base;             /* URL (or folder) that keys are appended to */
    char *remote_dir;       /* SFTP: the absolute folder of 'base' */
    /* Credentials and TLS, never printed. */
    char *userpwd;          /* S3: "key:secret"; FTP/WebDAV: "user:pass" */
    char *sigv4;            /* S3: "aws:amz:REGION:s3" */
    char *session_token;    /* S3: x-amz-security-token */
    bool netrc;             /* FTP/WebDAV: ~/.netrc when no PODPUB_USER */
    bool ftp_tls;           /* ftps://: explicit TLS */
    char *ca_file;          /* PODPUB_CA_FILE */
    char *ssh_key, *ssh_pub, *known_hosts, *host_key_sha256, *ssh_user;
    int verbosity;
    long stall_s;           /* fail a request that moves nothing this long */
};

/* A file to upload and what is known of it. */
struct pfile {
    char *key;              /* "chapters/001-milas.json" */
    char *local;            /* "public/chapters/001-milas.json" */
    uint64_t size;
    char sha256[65];
    const char *type;       /* Content-Type */
    const char *cache;      /* Cache-Control */
    const char *reason;     /* "new", "changed", NULL: unchanged */
    bool done;
};

/*
 * Opens the target 'url': its kind, where keys go and the credentials from
 * the environment. Prints and returns PP_ERR_USAGE / PP_ERR_INPUT for a
 * URL podpub cannot use or missing credentials.
 */
int target_open(struct target *t, const char *url, bool insecure_http);
void target_close(struct target *t);

/* The URL of 'key' (percent-encoded); the caller frees it. */
char *target_url(const struct target *t, const char *key);

/* Sets the options every request to 't' needs (auth, TLS, SSH keys). */
void target_configure(const struct target *t, CURL *h, char *errbuf);

/*
 * Reads 'key' into 'body'. Returns 0; 1 when it does not exist; or
 * PP_ERR_REMOTE (printed).
 */
int target_get(const struct target *t, const char *key, struct strbuf *body);

/* Writes 'len' bytes of 'data' to 'key' (small files: lock, manifest). */
int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache);

/*
 * Puts 'f' at its key as one atomic step where the storage has one
 * (S3: one PUT; WebDAV: PUT then MOVE; FTP: RNFR/RNTO; SFTP: remove then
 * rename in one batch; folder: rename). Returns 0 or PP_ERR_REMOTE.
 */
int target_replace(const struct target *t, const struct pfile *f);

/* Deletes 'key'; a missing key is not an error. */
int target_delete(const struct target *t, const char *key);

/*
 * Prepares 'h' to upload 'f' (opened as 'fp'); '*headers' receives a list
 * the caller frees after the transfer. For TARGET_FILE nothing is done.
 */
void target_setup_put(const struct target *t, CURL *h, const struct pfile *f,
                      FILE *fp, struct curl_slist **headers);

/* Creates the WebDAV collections above 'key' (after a 409). */
int target_dav_mkcol(const struct target *t, const char *key);

/* Copies 'f' into a folder target atomically (TARGET_FILE). */
int target_file_put(const struct target *t, const struct pfile *f);

/* S3 multipart upload of a large file. */
int target_s3_multipart(const struct target *t, const struct pfile *f);

/* True for a libcurl result or HTTP status worth retrying. */
bool transient_failure(CURLcode rc, long status);

/* A one-line description of a failed request, without credentials. */
void describe_failure(struct strbuf *sb, const struct target *t,
                      const char *key, CURLcode rc, long status,
                      const char *errbuf, const char *body);

#endif
