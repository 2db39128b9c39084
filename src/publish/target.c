/*
 * The storage behind `podpub publish`. One struct target per kind of URL,
 * with the handful of operations publishing needs. Every request verifies
 * TLS and SSH host keys; credentials come from the environment (or
 * ~/.netrc) and never appear in a message, a URL shown or a trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"

#define EMPTY_SHA256 \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char *env(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? xstrdup(v) : NULL;
}

static char *home_file(const char *rel)
{
    const char *home = getenv("HOME");
    struct passwd *pw;

    if (!home || !*home) {
        pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/";
    }
    return xstrfmt("%s/%s", home, rel);
}

static bool exists(const char *path)
{
    return path && access(path, R_OK) == 0;
}

static bool is_loopback(const char *host)
{
    const char *slash = strchr(host, '/');
    const char *at = memchr(host, '@', slash ? (size_t)(slash - host)
                                             : strlen(host));

    if (at)
        host = at + 1;   /* user:password@host */
    return starts_with(host, "127.") || starts_with(host, "localhost") ||
           starts_with(host, "[::1]");
}

/* "user:pass" from PODPUB_USER/PODPUB_PASSWORD; else ~/.netrc is used. */
static void basic_credentials(struct target *t)
{
    char *user = env("PODPUB_USER"), *pass = env("PODPUB_PASSWORD");

    if (user)
        t->userpwd = xstrfmt("%s:%s", user, pass ? pass : "");
    else
        t->netrc = true;
    free(user);
    free(pass);
}

static int open_s3(struct target *t, const char *rest)
{
    char *key = env("AWS_ACCESS_KEY_ID"), *secret = env("AWS_SECRET_ACCESS_KEY");
    char *region = env("AWS_REGION"), *endpoint = env("AWS_ENDPOINT_URL");
    const char *slash = strchr(rest, '/');
    char *bucket = slash ? xstrndup(rest, (size_t)(slash - rest))
                         : xstrdup(rest);
    const char *prefix = slash ? slash + 1 : "";
    int ret = 0;

    if (!region)
        region = env("AWS_DEFAULT_REGION");
    if (!region)
        region = xstrdup("us-east-1");
    if (!key || !secret) {
        ret = errorf(PP_ERR_INPUT, "s3://%s: no credentials: set "
                     "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", bucket);
        goto out;
    }
    if (!*bucket || strpbrk(bucket, " ?#")) {
        ret = errorf(PP_ERR_USAGE, "s3://%s: not a bucket name", bucket);
        goto out;
    }
    /* Custom endpoints (R2, B2, MinIO, Ceph) are addressed path-style. */
    if (endpoint) {
        size_t n = strlen(endpoint);

        while (n && endpoint[n - 1] == '/')
            endpoint[--n] = '\0';
        t->base = xstrfmt("%s/%s/%s", endpoint, bucket, prefix);
    } else {
        t->base = xstrfmt("https://%s.s3.%s.amazonaws.com/%s", bucket, region,
                          prefix);
    }
    t->userpwd = xstrfmt("%s:%s", key, secret);
    t->sigv4 = xstrfmt("aws:amz:%s:s3", region);
    t->session_token = env("AWS_SESSION_TOKEN");
out:
    free(key);
    free(secret);
    free(region);
    free(endpoint);
    free(bucket);
    return ret;
}

static int open_sftp(struct target *t, const char *url)
{
    const char *rest = url + strlen("sftp://");
    const char *path = strchr(rest, '/');
    const char *at = memchr(rest, '@', path ? (size_t)(path - rest) : 0);
    char *rsa;

    if (!path)
        return errorf(PP_ERR_USAGE, "%s: no folder (want "
                      "sftp://[user@]host[:port]/path/)", url);
    t->remote_dir = xstrdup(path);
    if (at) {
        t->ssh_user = xstrndup(rest, (size_t)(at - rest));
        t->base = xstrfmt("sftp://%s", at + 1);
    } else {
        struct passwd *pw = getpwuid(getuid());

        t->ssh_user = xstrdup(getenv("USER") ? getenv("USER") :
                              pw ? pw->pw_name : "root");
        t->base = xstrdup(url);
    }
    t->ssh_key = env("PODPUB_SSH_KEY");
    if (!t->ssh_key) {
        static const char *const keys[] = { ".ssh/id_ed25519",
                                            ".ssh/id_ecdsa" };

        for (size_t i = 0; i < ARRAY_SIZE(keys) && !t->ssh_key; i++) {
            char *k = home_file(keys[i]);

            if (exists(k))
                t->ssh_key = k;
            else
                free(k);
        }
    }
    if (!exists(t->ssh_key)) {
        rsa = home_file(".ssh/id_rsa");
        if (exists(rsa)) {
            free(rsa);
            return errorf(PP_ERR_INPUT, "%s: only an RSA key (~/.ssh/id_rsa) "
                          "was found; libssh2 1.10 cannot use RSA keys with "
                          "current OpenSSH: make an ed25519 key (ssh-keygen "
                          "-t ed25519) or set PODPUB_SSH_KEY", t->display);
        }
        free(rsa);
        return errorf(PP_ERR_INPUT, "%s: no SSH key: set PODPUB_SSH_KEY or "
                      "create ~/.ssh/id_ed25519", t->display);
    }
    t->ssh_pub = xstrfmt("%s.pub", t->ssh_key);
    if (!exists(t->ssh_pub))
        FREE_AND_NULL(t->ssh_pub);
    /* libcurl checks no host key unless told: podpub always tells it. */
    t->host_key_sha256 = env("PODPUB_SSH_HOST_KEY_SHA256");
    t->known_hosts = env("PODPUB_KNOWN_HOSTS");
    if (!t->known_hosts)
        t->known_hosts = home_file(".ssh/known_hosts");
    if (!exists(t->known_hosts)) {
        FREE_AND_NULL(t->known_hosts);
        if (!t->host_key_sha256)
            return errorf(PP_ERR_INPUT, "%s: refusing SFTP without a known "
                          "host key: add the server to ~/.ssh/known_hosts "
                          "(ssh-keyscan -t ed25519 HOST), set "
                          "PODPUB_KNOWN_HOSTS, or pin "
                          "PODPUB_SSH_HOST_KEY_SHA256", t->display);
    }
    return 0;
}

/* The URL as shown: scheme, host and path, never a user or password. */
static char *display_url(const char *url)
{
    const char *scheme_end = strstr(url, "://");
    const char *host, *at, *slash;

    if (!scheme_end)
        return xstrdup(url);
    host = scheme_end + 3;
    slash = strchr(host, '/');
    at = memchr(host, '@', slash ? (size_t)(slash - host) : strlen(host));
    if (!at)
        return xstrdup(url);
    return xstrfmt("%.*s%s", (int)(host - url), url, at + 1);
}

int target_open(struct target *t, const char *url, bool insecure_http)
{
    memset(t, 0, sizeof(*t));
    t->verbosity = pp_verbosity;
    t->display = display_url(url);
    t->ca_file = env("PODPUB_CA_FILE");
    if (!ends_with(url, "/"))
        return errorf(PP_ERR_USAGE, "%s: the target must end with '/' (a "
                      "folder)", t->display);
    if (starts_with(url, "file://")) {
        t->kind = TARGET_FILE;
        t->base = xstrdup(url + strlen("file://"));
        if (t->base[0] != '/')
            return errorf(PP_ERR_USAGE, "%s: want file:///absolute/path/",
                          t->display);
        return 0;
    }
    if (starts_with(url, "s3://")) {
        t->kind = TARGET_S3;
        return open_s3(t, url + strlen("s3://"));
    }
    if (starts_with(url, "sftp://")) {
        t->kind = TARGET_SFTP;
        return open_sftp(t, url);
    }
    if (starts_with(url, "ftp://") || starts_with(url, "ftps://")) {
        t->kind = TARGET_FTP;
        t->ftp_tls = starts_with(url, "ftps://");
        /* ftps:// here means explicit TLS (AUTH TLS) on the FTP port. */
        t->base = t->ftp_tls ? xstrfmt("ftp://%s", url + strlen("ftps://"))
                             : xstrdup(url);
        basic_credentials(t);
        return 0;
    }
    if (starts_with(url, "https://") || starts_with(url, "http://")) {
        const char *host = url + (url[4] == 's' ? 8 : 7);

        t->kind = TARGET_DAV;
        if (url[4] != 's' && !is_loopback(host) && !insecure_http)
            return errorf(PP_ERR_USAGE, "%s: WebDAV over plain http sends "
                          "the password in the clear; use https, or "
                          "--insecure-http", t->display);
        t->base = xstrdup(url);
        basic_credentials(t);
        return 0;
    }
    return errorf(PP_ERR_USAGE, "%s: unknown target (want s3://, sftp://, "
                  "ftp://, ftps://, https:// (WebDAV) or file://)", t->display);
}

void target_close(struct target *t)
{
    char *strs[] = { t->display, t->base, t->remote_dir, t->userpwd,
                     t->sigv4, t->session_token, t->ca_file, t->ssh_key,
                     t->ssh_pub, t->known_hosts, t->host_key_sha256,
                     t->ssh_user };

    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(strs[i]);
    memset(t, 0, sizeof(*t));
}

char *target_url(const struct target *t, const char *key)
{
    return url_for_path(t->base, key);
}

/* The absolute remote path of 'key' on an SFTP server. */
static char *sftp_path(const struct target *t, const char *key)
{
    return xstrfmt("%s%s", t->remote_dir, key);
}

/*
 * libcurl's trace with secrets removed: Authorization headers, session
 * tokens and FTP passwords are replaced before anything is printed.
 */
static int redacting_trace(CURL *h, curl_infotype type, char *data,
                           size_t size, void *arg)
{
    static const char *const secret[] = {
        "authorization:", "proxy-authorization:", "x-amz-security-token:",
        "pass ",
    };
    const char *p = data, *end = data + size;

    (void)h;
    (void)arg;
    if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN &&
        type != CURLINFO_HEADER_OUT)
        return 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        bool hide = false;

        for (size_t i = 0; i < ARRAY_SIZE(secret); i++)
            if (n >= strlen(secret[i]) &&
                !strncasecmp(p, secret[i], strlen(secret[i])))
                hide = true;
        if (hide) {
            /* Keep the header's name ("Authorization:", "PASS"). */
            const char *colon = memchr(p, ':', n);
            int keep = colon ? (int)(colon - p + 1) : 4;

            fprintf(stderr, "%c %.*s [redacted]\n",
                    type == CURLINFO_HEADER_OUT ? '>' : '<', keep, p);
        } else
            fprintf(stderr, "%c %.*s\n", type == CURLINFO_HEADER_OUT ? '>' :
                    type == CURLINFO_HEADER_IN ? '<' : '*',
                    (int)(n && p[n - 1] == '\r' ? n - 1 : n), p);
        p += n + 1;
    }
    return 0;
}

void target_configure(const struct target *t, CURL *h, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "podpub/" PODPUB_VERSION);
    /* Every request, not only the media: a stalled server fails it. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, t->stall_s > 0 ? t->stall_s
                                                               : 30L);
    if (t->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, t->ca_file);
    if (t->verbosity > 1) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, redacting_trace);
    }
    switch (t->kind) {
    case TARGET_S3:
        curl_easy_setopt(h, CURLOPT_USERPWD, t->userpwd);
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, t->sigv4);
        break;
    case TARGET_SFTP:
        curl_easy_setopt(h, CURLOPT_USERNAME, t->ssh_user);
        curl_easy_setopt(h, CURLOPT_SSH_AUTH_TYPES,
                         (long)CURLSSH_AUTH_PUBLICKEY);
        curl_easy_setopt(h, CURLOPT_SSH_PRIVATE_KEYFILE, t->ssh_key);
        if (t->ssh_pub)
            curl_easy_setopt(h, CURLOPT_SSH_PUBLIC_KEYFILE, t->ssh_pub);
        if (t->known_hosts)
            curl_easy_setopt(h, CURLOPT_SSH_KNOWNHOSTS, t->known_hosts);
        if (t->host_key_sha256)
            curl_easy_setopt(h, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256,
                             t->host_key_sha256);
        curl_easy_setopt(h, CURLOPT_FTP_CREATE_MISSING_DIRS,
                         (long)CURLFTP_CREATE_DIR_RETRY);
        break;
    case TARGET_FTP:
        if (t->ftp_tls) {
            curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
            curl_easy_setopt(h, CURLOPT_FTPSSLAUTH, (long)CURLFTPAUTH_TLS);
        }
        curl_easy_setopt(h, CURLOPT_FTP_CREATE_MISSING_DIRS,
                         (long)CURLFTP_CREATE_DIR_RETRY);
        /* fall through: user and password as for WebDAV */
    case TARGET_DAV:
        if (t->userpwd)
            curl_easy_setopt(h, CURLOPT_USERPWD, t->userpwd);
        else if (t->netrc)
            curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
        if (t->kind == TARGET_DAV)
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        break;
    case TARGET_FILE:
        break;
    }
}

/* Headers S3 needs for a request with a body of hash 'sha'. */
static struct curl_slist *s3_headers(const struct target *t, const char *sha,
                                     struct curl_slist *list)
{
    char *h = xstrfmt("x-amz-content-sha256: %s", sha);

    list = curl_slist_append(list, h);
    free(h);
    if (t->session_token) {
        h = xstrfmt("x-amz-security-token: %s", t->session_token);
        list = curl_slist_append(list, h);
        free(h);
    }
    return list;
}

bool transient_failure(CURLcode rc, long status)
{
    switch (rc) {
    case CURLE_OK:
        return status == 429 || status >= 500;
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_UPLOAD_FAILED:
    case CURLE_SSH:
    case CURLE_COULDNT_RESOLVE_HOST:
        return true;
    case CURLE_HTTP_RETURNED_ERROR:
        return status == 429 || status >= 500;
    default:
        return false;
    }
}

void describe_failure(struct strbuf *sb, const struct target *t,
                      const char *key, CURLcode rc, long status,
                      const char *errbuf, const char *body)
{
    strbuf_addf(sb, "%s%s: ", t->display, key);
    if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR) {
        strbuf_addf(sb, "the server answered %ld", status);
        if (status == 401 || status == 403)
            strbuf_addstr(sb, " (wrong credentials?)");
        if (body && *body) {
            /* S3 says why in <Code>; show that, not the whole XML. */
            const char *code = strstr(body, "<Code>");
            const char *end = code ? strstr(code, "</Code>") : NULL;

            if (code && end)
                strbuf_addf(sb, ": %.*s", (int)(end - code - 6), code + 6);
        }
    } else {
        strbuf_addstr(sb, *errbuf ? errbuf : curl_easy_strerror(rc));
        if (rc == CURLE_PEER_FAILED_VERIFICATION && t->kind == TARGET_SFTP)
            strbuf_addstr(sb, " (the server's host key is not the one in "
                          "known_hosts)");
        else if (rc == CURLE_LOGIN_DENIED)
            strbuf_addstr(sb, " (wrong user, password or key?)");
    }
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct strbuf *sb = arg;

    if (sb->len + size * n > (64u << 20))
        return 0;
    strbuf_add(sb, data, size * n);
    return size * n;
}

struct mem_reader {
    const char *data;
    size_t len, pos;
};

/*
 * Runs 'h' with retries; fills status and errbuf. Every attempt starts
 * afresh: an upload from 'mem' or 'fp' from its first byte, 'body' (the
 * answer) empty.
 */
static CURLcode perform(CURL *h, long *status, struct mem_reader *mem,
                        FILE *fp, struct strbuf *body)
{
    CURLcode rc = CURLE_OK;

    for (int attempt = 0; attempt < 3; attempt++) {
        if (mem)
            mem->pos = 0;
        if (fp)
            rewind(fp);
        strbuf_reset(body);
        rc = curl_easy_perform(h);
        *status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        if (!transient_failure(rc, *status))
            break;
        usleep(300000u << attempt);
    }
    return rc;
}

/*
 * A handle for one blocking request: the target's connection settings,
 * 'url' (NULL: the caller sets it), at most 'timeout' seconds, the
 * answer's body collected into 'body'. End it with blocking_done().
 */
static CURL *blocking_handle(const struct target *t, const char *url,
                             long timeout, struct strbuf *body, char *errbuf)
{
    CURL *h = curl_easy_init();

    if (!h)
        die("cannot create a libcurl handle");
    target_configure(t, h, errbuf);
    if (url)
        curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    return h;
}

static void blocking_done(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);   /* the caller's */
    curl_easy_cleanup(h);
}

/*
 * Whether a request failed. HTTP statuses count for S3 and WebDAV; over
 * SFTP and FTP libcurl reports failures in 'rc'.
 */
static bool request_failed(const struct target *t, CURLcode rc, long status)
{
    return rc != CURLE_OK || (status >= 300 && (t->kind == TARGET_S3 ||
                                                t->kind == TARGET_DAV));
}

/* Prints "cannot <what> <target><key>: <why>"; returns PP_ERR_REMOTE. */
static int report_failure(const struct target *t, const char *key,
                          const char *what, CURLcode rc, long status,
                          const char *errbuf, const char *body)
{
    struct strbuf msg = STRBUF_INIT;
    int ret;

    describe_failure(&msg, t, key, rc, status, errbuf, body);
    ret = errorf(PP_ERR_REMOTE, "cannot %s %s", what, msg.buf);
    strbuf_release(&msg);
    return ret;
}

static int file_get(const struct target *t, const char *key,
                    struct strbuf *body)
{
    char *path = xstrfmt("%s%s", t->base, key);
    int ret;

    if (access(path, F_OK) < 0 && errno == ENOENT) {
        free(path);
        return 1;
    }
    ret = strbuf_read_file(body, path, 64u << 20) < 0 ? PP_ERR_REMOTE : 0;
    free(path);
    return ret;
}

int target_get(const struct target *t, const char *key, struct strbuf *body)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char *url;
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = 0;

    if (t->kind == TARGET_FILE)
        return file_get(t, key, body);
    url = target_url(t, key);
    h = blocking_handle(t, url, 120L, body, errbuf);
    if (t->kind == TARGET_S3) {
        headers = s3_headers(t, EMPTY_SHA256, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    rc = perform(h, &status, NULL, NULL, body);
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND ||
        (rc == CURLE_OK && status == 404) ||
        (t->kind == TARGET_FTP && rc == CURLE_FTP_COULDNT_RETR_FILE)) {
        strbuf_reset(body);
        ret = 1;
    } else if (request_failed(t, rc, status)) {
        ret = report_failure(t, key, "read", rc, status, errbuf, body->buf);
    }
    blocking_done(h);
    curl_slist_free_all(headers);
    free(url);
    return ret;
}

static size_t read_mem(char *buf, size_t size, size_t n, void *arg)
{
    struct mem_reader *m = arg;
    size_t want = size * n, left = m->len - m->pos;

    if (want > left)
        want = left;
    if (want)
        memcpy(buf, m->data + m->pos, want);
    m->pos += want;
    return want;
}

/* One blocking request: 'method' NULL is an upload of 'data'. */
static int request(const struct target *t, const char *key,
                   const char *method, const char *data, size_t len,
                   struct curl_slist *headers, struct curl_slist *quote,
                   struct curl_slist *postquote, const char *what)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct strbuf body = STRBUF_INIT;
    struct mem_reader mem = { data, len, 0 };
    char *url = target_url(t, key);
    CURL *h = blocking_handle(t, url, 300L, &body, errbuf);
    CURLcode rc;
    long status = 0;
    int ret = 0;

    if (headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (quote)
        curl_easy_setopt(h, CURLOPT_QUOTE, quote);
    if (postquote)
        curl_easy_setopt(h, CURLOPT_POSTQUOTE, postquote);
    if (method) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (t->kind == TARGET_SFTP || t->kind == TARGET_FTP)
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mem);
        curl_easy_setopt(h, CURLOPT_READDATA, &mem);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    }
    rc = perform(h, &status, method ? NULL : &mem, NULL, &body);
    if (request_failed(t, rc, status) &&
        !(method && !strcmp(method, "DELETE") && status == 404))
        ret = report_failure(t, key, what, rc, status, errbuf, body.buf);
    blocking_done(h);
    strbuf_release(&body);
    free(url);
    return ret;
}

static int mkdirs_for(const char *path)
{
    char *p = xstrdup(path), *s;
    int ret = 0;

    for (s = p + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            ret = errorf(PP_ERR_REMOTE, "cannot create '%s': %s", p,
                         strerror(errno));
            break;
        }
        *s = '/';
    }
    free(p);
    return ret;
}

int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache)
{
    struct curl_slist *headers = NULL;
    int ret;

    if (t->kind == TARGET_FILE) {
        char *path = xstrfmt("%s%s", t->base, key);

        ret = mkdirs_for(path);
        if (ret == 0 && write_file_atomic(path, data, len) < 0)
            ret = PP_ERR_REMOTE;
        free(path);
        return ret;
    }
    if (t->kind == TARGET_S3 || t->kind == TARGET_DAV) {
        char *h = xstrfmt("Content-Type: %s", type);

        headers = curl_slist_append(headers, h);
        free(h);
        h = xstrfmt("Cache-Control: %s", cache);
        headers = curl_slist_append(headers, h);
        free(h);
        if (t->kind == TARGET_S3) {
            char sha[65];

            sha256_hex(data, len, sha);
            headers = s3_headers(t, sha, headers);
        }
    }
    ret = request(t, key, NULL, data, len, headers, NULL, NULL, "write");
    if (ret < 0 && t->kind == TARGET_DAV && target_dav_mkcol(t, key) == 0)
        ret = request(t, key, NULL, data, len, headers, NULL, NULL, "write");
    curl_slist_free_all(headers);
    return ret;
}

int target_delete(const struct target *t, const char *key)
{
    struct curl_slist *list = NULL;
    char *cmd;
    int ret;

    switch (t->kind) {
    case TARGET_FILE: {
        char *path = xstrfmt("%s%s", t->base, key);

        ret = unlink(path) < 0 && errno != ENOENT ?
              errorf(PP_ERR_REMOTE, "cannot remove '%s': %s", path,
                     strerror(errno)) : 0;
        free(path);
        return ret;
    }
    case TARGET_S3:
        list = s3_headers(t, EMPTY_SHA256, NULL);
        ret = request(t, key, "DELETE", NULL, 0, list, NULL, NULL, "delete");
        break;
    case TARGET_DAV:
        ret = request(t, key, "DELETE", NULL, 0, NULL, NULL, NULL, "delete");
        break;
    case TARGET_SFTP:
        cmd = sftp_path(t, key);
        {
            char *rm = xstrfmt("*rm \"%s\"", cmd);

            list = curl_slist_append(NULL, rm);
            free(rm);
        }
        free(cmd);
        ret = request(t, "", "NOOP", NULL, 0, NULL, list, NULL, "delete");
        break;
    default: {
        /* FTP: DELE in the key's folder (curl changes into it). */
        const char *slash = strrchr(key, '/');
        char *dir = slash ? xstrndup(key, (size_t)(slash - key + 1))
                          : xstrdup("");

        cmd = xstrfmt("*DELE %s", slash ? slash + 1 : key);
        list = curl_slist_append(NULL, cmd);
        free(cmd);
        /* QUOTE runs before libcurl changes folder; POSTQUOTE after. */
        ret = request(t, dir, "NOOP", NULL, 0, NULL, NULL, list, "delete");
        free(dir);
        break;
    }
    }
    curl_slist_free_all(list);
    return ret;
}

int target_dav_mkcol(const struct target *t, const char *key)
{
    const char *p = key;
    int ret = 0;

    while ((p = strchr(p, '/'))) {
        char *dir = xstrndup(key, (size_t)(p - key + 1));
        char *url = target_url(t, dir);
        char errbuf[CURL_ERROR_SIZE] = "";
        struct strbuf sink = STRBUF_INIT;
        CURL *h = blocking_handle(t, url, 60L, &sink, errbuf);
        long status = 0;
        CURLcode rc;

        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "MKCOL");
        rc = perform(h, &status, NULL, NULL, &sink);
        /* 405: exists already. */
        if (rc != CURLE_OK || (status >= 300 && status != 405))
            ret = PP_ERR_REMOTE;
        blocking_done(h);
        strbuf_release(&sink);
        free(url);
        free(dir);
        p++;
    }
    return ret;
}

void target_setup_put(const struct target *t, CURL *h, const struct pfile *f,
                      FILE *fp, struct curl_slist **headers)
{
    char *url = target_url(t, f->key);

    *headers = NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READDATA, fp);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)f->size);
    if (t->kind == TARGET_S3 || t->kind == TARGET_DAV) {
        char *hd = xstrfmt("Content-Type: %s", f->type);

        *headers = curl_slist_append(*headers, hd);
        free(hd);
        hd = xstrfmt("Cache-Control: %s", f->cache);
        *headers = curl_slist_append(*headers, hd);
        free(hd);
        if (t->kind == TARGET_S3)
            *headers = s3_headers(t, f->sha256, *headers);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
    }
    free(url);
}

int target_file_put(const struct target *t, const struct pfile *f)
{
    char *path = xstrfmt("%s%s", t->base, f->key);
    char *tmp = xstrfmt("%s.podpub-%ld.tmp", path, (long)getpid());
    int in = -1, out = -1, ret = 0;
    char buf[1 << 16];
    ssize_t n;

    if ((ret = mkdirs_for(path)) < 0)
        goto out;
    if ((in = open(f->local, O_RDONLY | O_CLOEXEC)) < 0) {
        ret = errorf(PP_ERR_IO, "cannot open '%s': %s", f->local,
                     strerror(errno));
        goto out;
    }
    if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                    0644)) < 0) {
        ret = errorf(PP_ERR_REMOTE, "cannot create '%s': %s", tmp,
                     strerror(errno));
        goto out;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        for (ssize_t w, done = 0; done < n; done += w) {
            if ((w = write(out, buf + done, (size_t)(n - done))) < 0) {
                ret = errorf(PP_ERR_REMOTE, "cannot write '%s': %s", tmp,
                             strerror(errno));
                goto out;
            }
        }
    }
    if (n < 0) {
        ret = errorf(PP_ERR_IO, "cannot read '%s': %s", f->local,
                     strerror(errno));
        goto out;
    }
    if (fsync(out) < 0 || close(out) < 0) {
        out = -1;
        ret = errorf(PP_ERR_REMOTE, "cannot write '%s': %s", tmp,
                     strerror(errno));
        goto out;
    }
    out = -1;
    if (rename(tmp, path) < 0)
        ret = errorf(PP_ERR_REMOTE, "cannot rename '%s' to '%s': %s", tmp,
                     path, strerror(errno));
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (ret < 0)
        unlink(tmp);
    free(tmp);
    free(path);
    return ret;
}

/* Uploads 'f' to 'key' with one blocking request. */
static int put_file_as(const struct target *t, const struct pfile *f,
                       const char *key, struct curl_slist *postquote,
                       struct curl_slist *extra_headers)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    struct pfile as = *f;
    struct strbuf body = STRBUF_INIT;
    FILE *fp = fopen(f->local, "rb");
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = 0;

    if (!fp)
        return errorf(PP_ERR_IO, "cannot open '%s': %s", f->local,
                      strerror(errno));
    as.key = (char *)key;
    h = blocking_handle(t, NULL, 600L, &body, errbuf);
    target_setup_put(t, h, &as, fp, &headers);
    for (struct curl_slist *e = extra_headers; e; e = e->next)
        headers = curl_slist_append(headers, e->data);
    if (headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (postquote)
        curl_easy_setopt(h, CURLOPT_POSTQUOTE, postquote);
    rc = perform(h, &status, NULL, fp, &body);
    if (request_failed(t, rc, status))
        ret = report_failure(t, key, "upload", rc, status, errbuf, body.buf);
    blocking_done(h);
    curl_slist_free_all(headers);
    strbuf_release(&body);
    fclose(fp);
    return ret;
}

int target_replace(const struct target *t, const struct pfile *f)
{
    const char *slash = strrchr(f->key, '/');
    char *tmp = slash ? xstrfmt("%.*s.%s.podpub-tmp",
                                (int)(slash - f->key + 1), f->key, slash + 1)
                      : xstrfmt(".%s.podpub-tmp", f->key);
    struct curl_slist *list = NULL;
    char *a, *b, *cmd;
    int ret;

    switch (t->kind) {
    case TARGET_FILE:
        ret = target_file_put(t, f);   /* a temporary file and rename() */
        break;
    case TARGET_S3:
        ret = put_file_as(t, f, f->key, NULL, NULL);   /* one PUT */
        break;
    case TARGET_SFTP:
        /*
         * OpenSSH's SFTP rename does not replace a file: remove, then
         * rename, in one batch after the upload (a one round-trip gap).
         */
        a = sftp_path(t, tmp);
        b = sftp_path(t, f->key);
        cmd = xstrfmt("*rm \"%s\"", b);
        list = curl_slist_append(list, cmd);
        free(cmd);
        cmd = xstrfmt("rename \"%s\" \"%s\"", a, b);
        list = curl_slist_append(list, cmd);
        free(cmd);
        ret = put_file_as(t, f, tmp, list, NULL);
        free(a);
        free(b);
        break;
    case TARGET_FTP:
        /* RNFR/RNTO replaces the file; both names in the same folder. */
        cmd = xstrfmt("RNFR %s", strrchr(tmp, '/') ? strrchr(tmp, '/') + 1
                                                    : tmp);
        list = curl_slist_append(list, cmd);
        free(cmd);
        cmd = xstrfmt("RNTO %s", slash ? slash + 1 : f->key);
        list = curl_slist_append(list, cmd);
        free(cmd);
        ret = put_file_as(t, f, tmp, list, NULL);
        break;
    default: {
        /* WebDAV: PUT the new file beside it, then MOVE over it. */
        char *dest = target_url(t, f->key);
        struct curl_slist *h = NULL;

        ret = put_file_as(t, f, tmp, NULL, NULL);
        if (ret < 0 && target_dav_mkcol(t, f->key) == 0)
            ret = put_file_as(t, f, tmp, NULL, NULL);
        if (ret == 0) {
            cmd = xstrfmt("Destination: %s", dest);
            h = curl_slist_append(h, cmd);
            free(cmd);
            h = curl_slist_append(h, "Overwrite: T");
            ret = request(t, tmp, "MOVE", NULL, 0, h, NULL, NULL, "move");
            curl_slist_free_all(h);
        }
        free(dest);
        break;
    }
    }
    curl_slist_free_all(list);
    free(tmp);
    return ret;
}
