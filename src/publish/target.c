/*
 * The storage behind `podpub publish`. One struct target per kind of URL,
 * with the handful of operations publishing needs. Every request verifies
 * TLS and SSH host keys; credentials come from the environment (or
 * ~/.netrc) and never appear in a message, a URL shown or a trace.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"
#include "target_file.h"

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

/*
 * True when 'host' (as libcurl's URL parser gives it: a name, an IPv4
 * address or "[v6]") is this machine: "localhost" exactly, 127.0.0.0/8
 * or ::1 (also as ::ffff:127.x.y.z). Not a prefix test:
 * 127.0.0.1.evil.example and localhostevil.example are other hosts.
 */
static bool is_loopback(const char *host)
{
    struct in_addr v4;
    struct in6_addr v6;
    char buf[64];
    size_t n = strlen(host);

    if (!strcasecmp(host, "localhost"))
        return true;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (n > 2 && n < sizeof(buf) && host[0] == '[' && host[n - 1] == ']') {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        if (inet_pton(AF_INET6, buf, &v6) != 1)
            return false;
        if (IN6_IS_ADDR_LOOPBACK(&v6))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
    }
    return false;
}

/*
 * FTP and WebDAV credentials: from the URL (already in t->user), else
 * PODPUB_USER/PODPUB_PASSWORD, else ~/.netrc.
 */
static void basic_credentials(struct target *t)
{
    if (t->user)
        return;
    t->user = env("PODPUB_USER");
    if (t->user) {
        t->password = env("PODPUB_PASSWORD");
        if (!t->password)
            t->password = xstrdup("");
    } else {
        t->netrc = true;
    }
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
    t->user = key;
    t->password = secret;
    key = secret = NULL;
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

static int open_sftp(struct target *t, const char *path)
{
    char *rsa;

    t->remote_dir = xstrdup(path);
    if (!t->ssh_user) {
        struct passwd *pw = getpwuid(getuid());

        t->ssh_user = xstrdup(getenv("USER") ? getenv("USER") :
                              pw ? pw->pw_name : "root");
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
    char *plain, *shown;

    if (!scheme_end)
        return printable(url, 300);
    host = scheme_end + 3;
    slash = strchr(host, '/');
    at = memchr(host, '@', slash ? (size_t)(slash - host) : strlen(host));
    plain = at ? xstrfmt("%.*s%s", (int)(host - url), url, at + 1)
               : xstrdup(url);
    shown = printable(plain, 300);
    free(plain);
    return shown;
}

/*
 * A network target's URL, parsed by libcurl: the user and password move
 * out of it into 't' (decoded; never printed), the host is judged, and
 * '*base' is the URL again without them. Returns 0 or PP_ERR_USAGE.
 */
static int parse_url(struct target *t, const char *url, bool insecure_http,
                     char **base, char **path)
{
    CURLU *u = curl_url();
    char *user = NULL, *pass = NULL, *host = NULL;
    int ret = 0;

    if (!u)
        die("cannot create a libcurl URL handle");
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) || !*host) {
        ret = errorf(PP_ERR_USAGE, "%s: not a URL podpub can use",
                     t->display);
        goto out;
    }
    curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE);
    curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
    if (pass) {
        warnf("%s: the target URL holds a password; podpub keeps it out of "
              "every message, but set PODPUB_USER and PODPUB_PASSWORD in the "
              "environment instead, so it is not in podcast.yaml or a shell "
              "history", t->display);
        if (t->kind == TARGET_SFTP)
            warnf("%s: the password is not used: SFTP logs in with a key",
                  t->display);
    }
    if (t->kind == TARGET_SFTP) {
        if (user)
            t->ssh_user = xstrdup(user);
    } else if (user) {
        t->user = xstrdup(user);
        t->password = xstrdup(pass ? pass : "");
    }
    if (t->kind == TARGET_DAV && starts_with(url, "http://") &&
        !is_loopback(host) && !insecure_http) {
        ret = errorf(PP_ERR_USAGE, "%s: WebDAV over plain http sends the "
                     "password in the clear; use https, or --insecure-http",
                     t->display);
        goto out;
    }
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    if (curl_url_get(u, CURLUPART_URL, base, 0) ||
        curl_url_get(u, CURLUPART_PATH, path, CURLU_URLDECODE)) {
        ret = errorf(PP_ERR_USAGE, "%s: not a URL podpub can use",
                     t->display);
        goto out;
    }
out:
    curl_free(user);
    curl_free(pass);
    curl_free(host);
    curl_url_cleanup(u);
    return ret;
}

int target_open(struct target *t, const char *url, bool insecure_http)
{
    char *base = NULL, *path = NULL;
    int ret;

    memset(t, 0, sizeof(*t));
    t->verbosity = pp_verbosity;
    t->display = display_url(url);
    t->ca_file = env("PODPUB_CA_FILE");
    random_hex(t->token, 8);
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
        if (memchr(url, '@', strcspn(url + 5, "/") + 5))
            return errorf(PP_ERR_USAGE, "%s: credentials do not go in an "
                          "s3:// URL: set AWS_ACCESS_KEY_ID and "
                          "AWS_SECRET_ACCESS_KEY", t->display);
        return open_s3(t, url + strlen("s3://"));
    }
    if (starts_with(url, "sftp://"))
        t->kind = TARGET_SFTP;
    else if (starts_with(url, "ftp://") || starts_with(url, "ftps://"))
        t->kind = TARGET_FTP;
    else if (starts_with(url, "https://") || starts_with(url, "http://"))
        t->kind = TARGET_DAV;
    else
        return errorf(PP_ERR_USAGE, "%s: unknown target (want s3://, "
                      "sftp://, ftp://, ftps://, https:// (WebDAV) or "
                      "file://)", t->display);
    if ((ret = parse_url(t, url, insecure_http, &base, &path)) < 0)
        goto out;
    switch (t->kind) {
    case TARGET_SFTP:
        t->base = xstrdup(base);
        ret = open_sftp(t, path);
        break;
    case TARGET_FTP:
        /* ftps:// here means explicit TLS (AUTH TLS) on the FTP port. */
        t->ftp_tls = starts_with(url, "ftps://");
        t->base = t->ftp_tls ? xstrfmt("ftp://%s", base + strlen("ftps://"))
                             : xstrdup(base);
        basic_credentials(t);
        break;
    default:
        t->base = xstrdup(base);
        basic_credentials(t);
        break;
    }
out:
    curl_free(base);
    curl_free(path);
    return ret;
}

void target_close(struct target *t)
{
    char *strs[] = { t->display, t->base, t->remote_dir, t->user,
                     t->password, t->sigv4, t->session_token, t->ca_file,
                     t->ssh_key, t->ssh_pub, t->known_hosts,
                     t->host_key_sha256, t->ssh_user };

    /* The secret does not outlive the target in freed memory either. */
    if (t->password)
        memset(t->password, 0, strlen(t->password));
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(strs[i]);
    memset(t, 0, sizeof(*t));
}

char *target_url(const struct target *t, const char *key)
{
    return url_for_path(t->base, key);
}

void target_assert_key(const char *key)
{
    const char *why;

    if (!key_valid(key, strlen(key), &why))
        die("an invalid key reached the target (%s)", why);
}

/*
 * The absolute remote path of 'key' on an SFTP server, quoted for
 * libcurl's SFTP commands: '"' and '\' escaped, so a name cannot end the
 * argument early and add one of its own.
 */
static char *sftp_path(const struct target *t, const char *key)
{
    char *path = xstrfmt("%s%s", t->remote_dir, key);
    struct strbuf sb = STRBUF_INIT;

    strbuf_addch(&sb, '"');
    for (const char *p = path; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_addch(&sb, '\\');
        strbuf_addch(&sb, *p);
    }
    strbuf_addch(&sb, '"');
    free(path);
    return strbuf_detach(&sb, NULL);
}

/*
 * Appends the trace line 'p' ('n' bytes) to 'sb' with the password of
 * any URL in it ("scheme://user:password@host") removed.
 */
static void add_without_userinfo(struct strbuf *sb, const char *p, size_t n)
{
    const char *end = p + n;

    while (p < end) {
        const char *sep = NULL, *at, *stop;

        for (const char *q = p; q + 3 <= end && !sep; q++)
            if (!memcmp(q, "://", 3))
                sep = q + 3;
        if (!sep) {
            strbuf_add(sb, p, (size_t)(end - p));
            return;
        }
        strbuf_add(sb, p, (size_t)(sep - p));
        stop = sep + strcspn(sep, "/ \t\r\n\"'<>");
        if (stop > end)
            stop = end;
        at = memchr(sep, '@', (size_t)(stop - sep));
        if (at) {
            strbuf_addstr(sb, "[redacted]");
            p = at;
        } else {
            p = sep;
        }
    }
}

/*
 * libcurl's trace with secrets removed: Authorization headers, session
 * tokens and FTP passwords are replaced, the user and password of any
 * URL in a line (Destination, Location, Referer...) too, and what the
 * server sent is escaped before anything is printed.
 */
static int redacting_trace(CURL *h, curl_infotype type, char *data,
                           size_t size, void *arg)
{
    static const char *const secret[] = {
        "authorization:", "proxy-authorization:", "x-amz-security-token:",
        "pass ", "cookie:", "set-cookie:",
    };
    const char *p = data, *end = data + size;
    struct strbuf out = STRBUF_INIT, line = STRBUF_INIT;
    char mark = type == CURLINFO_HEADER_OUT ? '>' :
                type == CURLINFO_HEADER_IN ? '<' : '*';

    (void)h;
    (void)arg;
    if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN &&
        type != CURLINFO_HEADER_OUT)
        return 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        bool hide = false;
        char *shown;

        for (size_t i = 0; i < ARRAY_SIZE(secret); i++)
            if (n >= strlen(secret[i]) &&
                !strncasecmp(p, secret[i], strlen(secret[i])))
                hide = true;
        strbuf_reset(&line);
        if (hide) {
            /* Keep the header's name ("Authorization:", "PASS"). */
            const char *colon = memchr(p, ':', n);

            strbuf_add(&line, p, colon ? (size_t)(colon - p + 1) : 4);
            strbuf_addstr(&line, " [redacted]");
        } else {
            add_without_userinfo(&line, p, n && p[n - 1] == '\r' ? n - 1
                                                                    : n);
        }
        shown = printable_n(line.buf, line.len, 4096);
        strbuf_addf(&out, "%c %s\n", mark, shown);
        free(shown);
        p += n + 1;
    }
    fputs(out.buf, stderr);
    strbuf_release(&out);
    strbuf_release(&line);
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
        curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
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
        if (t->user) {
            curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
            curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
        } else if (t->netrc)
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
    char *shown = printable(key, 200);

    strbuf_addf(sb, "%s%s: ", t->display, shown);
    free(shown);
    if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR) {
        strbuf_addf(sb, "the server answered %ld", status);
        if (status == 401 || status == 403)
            strbuf_addstr(sb, " (wrong credentials?)");
        if (body && *body) {
            /* S3 says why in <Code>; show that, not the whole XML. */
            const char *code = strstr(body, "<Code>");
            const char *end = code ? strstr(code, "</Code>") : NULL;

            if (code && end) {
                shown = printable_n(code + 6, (size_t)(end - code - 6), 80);
                strbuf_addf(sb, ": %s", shown);
                free(shown);
            }
        }
    } else {
        /* libcurl's message may quote the server (an FTP reply). */
        shown = printable(*errbuf ? errbuf : curl_easy_strerror(rc), 300);
        strbuf_addstr(sb, shown);
        free(shown);
        if (rc == CURLE_PEER_FAILED_VERIFICATION && t->kind == TARGET_SFTP)
            strbuf_addstr(sb, " (the server's host key is not the one in "
                          "known_hosts)");
        else if (rc == CURLE_LOGIN_DENIED)
            strbuf_addstr(sb, " (wrong user, password or key?)");
    }
}

/* Answers are small (a manifest, a lock, a feed): at most this much. */
#define ANSWER_MAX (64u << 20)

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct strbuf *sb = arg;

    if (sb->len + size * n > ANSWER_MAX)
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
 * afresh: an upload from 'mem' or 'src' from its first byte, 'body' (the
 * answer) empty.
 */
static CURLcode perform(CURL *h, long *status, struct mem_reader *mem,
                        struct upload_src *src, struct strbuf *body)
{
    CURLcode rc = CURLE_OK;

    for (int attempt = 0; attempt < 3; attempt++) {
        if (mem)
            mem->pos = 0;
        if (src && upload_seek(src, 0, SEEK_SET) != CURL_SEEKFUNC_OK)
            return CURLE_READ_ERROR;
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

/* True when a failed read means "there is no such file". */
static bool not_found(const struct target *t, CURLcode rc, long status)
{
    return rc == CURLE_REMOTE_FILE_NOT_FOUND ||
           (rc == CURLE_OK && status == 404) ||
           (t->kind == TARGET_FTP && rc == CURLE_FTP_COULDNT_RETR_FILE);
}

int target_get(const struct target *t, const char *key, struct strbuf *body,
               size_t limit)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char *url;
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = 0;

    target_assert_key(key);
    if (t->kind == TARGET_FILE)
        return file_target_get(t, key, body, limit);
    url = target_url(t, key);
    h = blocking_handle(t, url, 120L, body, errbuf);
    if (t->kind == TARGET_S3) {
        headers = s3_headers(t, EMPTY_SHA256, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    rc = perform(h, &status, NULL, NULL, body);
    if (not_found(t, rc, status)) {
        strbuf_reset(body);
        ret = 1;
    } else if (rc == CURLE_WRITE_ERROR || body->len > limit) {
        char *shown = printable(key, 200);

        ret = errorf(PP_ERR_REMOTE, "%s%s is larger than podpub reads (%zu "
                     "bytes)", t->display, shown, limit);
        free(shown);
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

/*
 * One blocking request: 'method' NULL is an upload of 'data'. Returns 0,
 * the HTTP status when it is one of 'ok_status' (a 412 the caller wants
 * to see, say), or PP_ERR_REMOTE (printed, unless 'quiet').
 */
static int request(const struct target *t, const char *key,
                   const char *method, const char *data, size_t len,
                   struct curl_slist *headers, struct curl_slist *quote,
                   struct curl_slist *postquote, const char *what,
                   long ok_status, bool quiet)
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
    if (ok_status && rc == CURLE_OK && status == ok_status)
        ret = (int)status;
    else if (request_failed(t, rc, status) &&
             !(method && !strcmp(method, "DELETE") && status == 404))
        ret = quiet ? PP_ERR_REMOTE : report_failure(t, key, what, rc,
                                                     status, errbuf,
                                                     body.buf);
    blocking_done(h);
    strbuf_release(&body);
    free(url);
    return ret;
}

/* The Content-Type and Cache-Control of an upload (S3 and WebDAV). */
static struct curl_slist *http_put_headers(const struct target *t,
                                           const char *type,
                                           const char *cache,
                                           const char *sha256)
{
    struct curl_slist *list = NULL;
    char *h;

    if (t->kind != TARGET_S3 && t->kind != TARGET_DAV)
        return NULL;
    h = xstrfmt("Content-Type: %s", type);
    list = curl_slist_append(list, h);
    free(h);
    h = xstrfmt("Cache-Control: %s", cache);
    list = curl_slist_append(list, h);
    free(h);
    if (t->kind == TARGET_S3)
        list = s3_headers(t, sha256, list);
    return list;
}

int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache)
{
    struct curl_slist *headers;
    char sha[65];
    int ret;

    target_assert_key(key);
    if (t->kind == TARGET_FILE)
        return file_target_put_data(t, key, data, len);
    sha256_hex(data, len, sha);
    headers = http_put_headers(t, type, cache, sha);
    ret = request(t, key, NULL, data, len, headers, NULL, NULL, "write", 0,
                  false);
    if (ret < 0 && t->kind == TARGET_DAV && target_dav_mkcol(t, key) == 0)
        ret = request(t, key, NULL, data, len, headers, NULL, NULL, "write",
                      0, false);
    curl_slist_free_all(headers);
    return ret;
}

/*
 * Whether 'key' exists: 1 yes, 0 no, or PP_ERR_REMOTE (printed). A HEAD,
 * or libcurl's equivalent over SFTP and FTP (a stat, SIZE): no body.
 */
static int exists_at(const struct target *t, const char *key)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct strbuf body = STRBUF_INIT;
    struct curl_slist *headers = NULL;
    char *url = target_url(t, key);
    CURL *h = blocking_handle(t, url, 60L, &body, errbuf);
    long status = 0;
    CURLcode rc;
    int ret = 1;

    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (t->kind == TARGET_S3) {
        headers = s3_headers(t, EMPTY_SHA256, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    rc = perform(h, &status, NULL, NULL, &body);
    if (not_found(t, rc, status) ||
        (t->kind == TARGET_FTP && rc == CURLE_FTP_COULDNT_RETR_FILE))
        ret = 0;
    else if (request_failed(t, rc, status))
        ret = report_failure(t, key, "look up", rc, status, errbuf, NULL);
    blocking_done(h);
    curl_slist_free_all(headers);
    strbuf_release(&body);
    free(url);
    return ret;
}

/* The "rm" command of an SFTP batch for 'key'. */
static char *sftp_rm(const struct target *t, const char *key, bool optional)
{
    char *path = sftp_path(t, key);
    char *cmd = xstrfmt("%srm %s", optional ? "*" : "", path);

    free(path);
    return cmd;
}

/*
 * After a write that should have created 'key': 0 when it holds our
 * 'len' bytes of 'data', 1 when another writer's (or it is gone), or
 * PP_ERR_REMOTE.
 */
static int still_ours(const struct target *t, const char *key,
                      const char *data, size_t len)
{
    struct strbuf back = STRBUF_INIT;
    int ret = target_get(t, key, &back, ANSWER_MAX);

    if (ret == 0)
        ret = back.len == len && !memcmp(back.buf, data, len) ? 0 : 1;
    strbuf_release(&back);
    return ret;
}

int target_create(const struct target *t, const char *key, const char *data,
                  size_t len)
{
    char *tmp, *cmd, *a, *b;
    struct curl_slist *list = NULL;
    char sha[65];
    int ret;

    target_assert_key(key);
    switch (t->kind) {
    case TARGET_FILE:
        return file_target_create(t, key, data, len);
    case TARGET_S3:
        /* A conditional write: 412 when the object exists (AWS, R2, MinIO). */
        sha256_hex(data, len, sha);
        list = http_put_headers(t, "text/plain", "no-store", sha);
        list = curl_slist_append(list, "If-None-Match: *");
        ret = request(t, key, NULL, data, len, list, NULL, NULL, "create", 412,
                      false);
        curl_slist_free_all(list);
        if (ret == 0) {
            /*
             * A store that ignores If-None-Match would have replaced the
             * other writer's lock: read back what is there now.
             */
            ret = still_ours(t, key, data, len);
        }
        return ret == 412 ? 1 : ret;
    case TARGET_DAV:
        /*
         * PUT beside it, then MOVE with "Overwrite: F", which RFC 4918
         * requires to fail (412) when the destination exists. (nginx
         * ignores If-None-Match on PUT; it honours Overwrite: F.)
         */
        tmp = temp_name(key, t->token);
        ret = target_put_data(t, tmp, data, len, "text/plain", "no-store");
        if (ret == 0) {
            char *dest = target_url(t, key);

            cmd = xstrfmt("Destination: %s", dest);
            list = curl_slist_append(list, cmd);
            list = curl_slist_append(list, "Overwrite: F");
            ret = request(t, tmp, "MOVE", NULL, 0, list, NULL, NULL, "create",
                          412, false);
            free(cmd);
            free(dest);
            curl_slist_free_all(list);
            if (ret == 412) {
                target_delete(t, tmp);
                ret = 1;
            }
        }
        free(tmp);
        return ret;
    case TARGET_SFTP:
        /*
         * Upload beside it and rename: OpenSSH's SFTP rename links the new
         * name and never replaces an existing file.
         */
        tmp = temp_name(key, t->token);
        a = sftp_path(t, tmp);
        b = sftp_path(t, key);
        cmd = xstrfmt("rename %s %s", a, b);
        list = curl_slist_append(list, cmd);
        free(cmd);
        free(a);
        free(b);
        ret = request(t, tmp, NULL, data, len, NULL, NULL, list, "create", 0,
                      true);
        curl_slist_free_all(list);
        if (ret < 0) {
            /* Either the key exists, or the upload itself failed. */
            target_delete(t, tmp);
            ret = exists_at(t, key);
            if (ret == 0) {
                char *shown = printable(key, 200);

                ret = errorf(PP_ERR_REMOTE, "cannot create %s%s: the upload "
                             "or the rename failed", t->display, shown);
                free(shown);
            }
        }
        free(tmp);
        return ret;
    default:
        /*
         * FTP has no exclusive create: write only when absent, then read
         * back; a concurrent writer is caught unless both write within
         * the same moment (best effort, documented).
         */
        if ((ret = exists_at(t, key)) != 0)
            return ret;
        if ((ret = target_put_data(t, key, data, len, "text/plain",
                                   "no-store")) < 0)
            return ret;
        usleep(200000);
        return still_ours(t, key, data, len);
    }
}

int target_delete(const struct target *t, const char *key)
{
    struct curl_slist *list = NULL;
    char *cmd;
    int ret;

    target_assert_key(key);
    switch (t->kind) {
    case TARGET_FILE:
        return file_target_delete(t, key);
    case TARGET_S3:
        list = s3_headers(t, EMPTY_SHA256, NULL);
        ret = request(t, key, "DELETE", NULL, 0, list, NULL, NULL, "delete",
                      0, false);
        break;
    case TARGET_DAV:
        ret = request(t, key, "DELETE", NULL, 0, NULL, NULL, NULL, "delete",
                      0, false);
        break;
    case TARGET_SFTP:
        /*
         * "rm" without libcurl's '*' (which hides a failure): when it
         * fails, the key is gone only if it is not there now.
         */
        cmd = sftp_rm(t, key, false);
        list = curl_slist_append(NULL, cmd);
        free(cmd);
        ret = request(t, "", "NOOP", NULL, 0, NULL, list, NULL, "delete", 0,
                      true);
        break;
    default: {
        /* FTP: DELE in the key's folder (curl changes into it). */
        const char *slash = strrchr(key, '/');
        char *dir = slash ? xstrndup(key, (size_t)(slash - key + 1))
                          : xstrdup("");

        cmd = xstrfmt("DELE %s", slash ? slash + 1 : key);
        list = curl_slist_append(NULL, cmd);
        free(cmd);
        /* QUOTE runs before libcurl changes folder; POSTQUOTE after. */
        ret = request(t, dir, "NOOP", NULL, 0, NULL, NULL, list, "delete", 0,
                      true);
        free(dir);
        break;
    }
    }
    curl_slist_free_all(list);
    if (ret < 0 && (t->kind == TARGET_SFTP || t->kind == TARGET_FTP)) {
        int there = exists_at(t, key);

        if (there == 0)
            ret = 0;   /* it was not there: nothing to remove */
        else if (there == 1) {
            char *shown = printable(key, 200);

            ret = errorf(PP_ERR_REMOTE, "cannot delete %s%s: the server "
                         "refused", t->display, shown);
            free(shown);
        }
    }
    return ret;
}

size_t target_remove_stale_temps(const struct target *t, long older_than)
{
    return t->kind == TARGET_FILE ?
           file_target_remove_stale_temps(t, older_than) : 0;
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

void target_setup_put(const struct target *t, CURL *h,
                      struct upload_src *src, const char *key,
                      struct curl_slist **headers)
{
    char *url;

    target_assert_key(key);
    url = target_url(t, key);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(h, CURLOPT_READDATA, src);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, upload_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, src);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)src->size);
    *headers = http_put_headers(t, src->f->type, src->f->cache,
                                src->f->sha256);
    if (*headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
    free(url);
}

/* Uploads 'f' to 'key' with one blocking request. */
static int put_file_as(const struct target *t, const struct pfile *f,
                       const char *key, struct curl_slist *postquote)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    struct strbuf body = STRBUF_INIT;
    struct upload_src src;
    CURL *h;
    CURLcode rc;
    long status = 0;
    int ret = upload_open(&src, f, t->roots);

    if (ret < 0)
        return ret;
    h = blocking_handle(t, NULL, 600L, &body, errbuf);
    target_setup_put(t, h, &src, key, &headers);
    if (postquote)
        curl_easy_setopt(h, CURLOPT_POSTQUOTE, postquote);
    rc = perform(h, &status, NULL, &src, &body);
    if (request_failed(t, rc, status))
        ret = report_failure(t, key, "upload", rc, status, errbuf, body.buf);
    else
        ret = upload_check(&src);
    blocking_done(h);
    curl_slist_free_all(headers);
    strbuf_release(&body);
    upload_close(&src);
    return ret;
}

int target_replace(const struct target *t, const struct pfile *f)
{
    const char *slash = strrchr(f->key, '/');
    char *tmp = temp_name(f->key, t->token);
    struct curl_slist *list = NULL;
    char *a, *b, *cmd;
    int ret;

    target_assert_key(f->key);
    switch (t->kind) {
    case TARGET_FILE:
        ret = target_file_put(t, f);   /* a temporary file and rename() */
        break;
    case TARGET_S3:
        ret = put_file_as(t, f, f->key, NULL);   /* one PUT */
        break;
    case TARGET_SFTP:
        /*
         * OpenSSH's SFTP rename does not replace a file: remove, then
         * rename, in one batch after the upload (a one round-trip gap).
         */
        a = sftp_path(t, tmp);
        b = sftp_path(t, f->key);
        list = curl_slist_append(list, (cmd = sftp_rm(t, f->key, true)));
        free(cmd);
        cmd = xstrfmt("rename %s %s", a, b);
        list = curl_slist_append(list, cmd);
        free(cmd);
        ret = put_file_as(t, f, tmp, list);
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
        ret = put_file_as(t, f, tmp, list);
        break;
    default: {
        /* WebDAV: PUT the new file beside it, then MOVE over it. */
        char *dest = target_url(t, f->key);
        struct curl_slist *h = NULL;

        ret = put_file_as(t, f, tmp, NULL);
        if (ret < 0 && target_dav_mkcol(t, f->key) == 0)
            ret = put_file_as(t, f, tmp, NULL);
        if (ret == 0) {
            cmd = xstrfmt("Destination: %s", dest);
            h = curl_slist_append(h, cmd);
            free(cmd);
            h = curl_slist_append(h, "Overwrite: T");
            ret = request(t, tmp, "MOVE", NULL, 0, h, NULL, NULL, "move", 0,
                          false);
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
