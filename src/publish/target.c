/*
 * The storage behind `podpub publish`: which kind a target URL names
 * (by its scheme, from one table), and every operation passed on to that
 * kind's table of functions. Also what several kinds share: credentials
 * taken out of a URL, the loopback test, the environment. Every request
 * verifies TLS and SSH host keys; credentials never appear in a message,
 * a URL shown or a trace.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target.h"

/* The kinds, by the scheme of the target URL. */
static const struct {
    const char *scheme;
    const struct target_ops *ops;
} kinds[] = {
    { "s3://", &target_s3_ops },
    { "sftp://", &target_sftp_ops },
    { "ftp://", &target_ftp_ops },
    { "ftps://", &target_ftp_ops },
    { "https://", &target_dav_ops },
    { "http://", &target_dav_ops },
    { "file://", &target_file_ops },
};

char *target_env(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? xstrdup(v) : NULL;
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

int target_parse_url(struct target *t, const char *url, bool insecure_http,
                     bool user_only, char **base, char **path)
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
        if (user_only)
            warnf("%s: the password is not used: %s logs in with a key",
                  t->display, t->ops->name);
    }
    if (user) {
        t->user = xstrdup(user);
        if (!user_only)
            t->password = xstrdup(pass ? pass : "");
    }
    if (starts_with(url, "http://") && !is_loopback(host) &&
        !insecure_http) {
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

void target_basic_credentials(struct target *t)
{
    if (t->user)
        return;
    t->user = target_env("PODPUB_USER");
    if (t->user) {
        t->password = target_env("PODPUB_PASSWORD");
        if (!t->password)
            t->password = xstrdup("");
    } else {
        t->netrc = true;
    }
}

int target_open(struct target *t, const char *url, bool insecure_http)
{
    memset(t, 0, sizeof(*t));
    if (!(t->share = curl_share_init()))
        die("cannot create a libcurl share handle");
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    t->display = display_url(url);
    t->ca_file = target_env("PODPUB_CA_FILE");
    random_hex(t->token, 8);
    if (!ends_with(url, "/"))
        return errorf(PP_ERR_USAGE, "%s: the target must end with '/' (a "
                      "folder)", t->display);
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
        if (starts_with(url, kinds[i].scheme)) {
            t->ops = kinds[i].ops;
            return t->ops->open(t, url, insecure_http);
        }
    return errorf(PP_ERR_USAGE, "%s: unknown target (want s3://, sftp://, "
                  "ftp://, ftps://, https:// (WebDAV) or file://)",
                  t->display);
}

void target_close(struct target *t)
{
    char *strs[] = { t->display, t->base, t->user, t->password,
                     t->ca_file };

    if (t->ops && t->ops->release)
        t->ops->release(t);
    /* The secret does not outlive the target in freed memory either. */
    if (t->password)
        memset(t->password, 0, strlen(t->password));
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(strs[i]);
    if (t->share)
        curl_share_cleanup(t->share);
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

int target_get(const struct target *t, const char *key, struct strbuf *body,
               size_t limit)
{
    target_assert_key(key);
    return t->ops->get(t, key, body, limit);
}

int target_put_data(const struct target *t, const char *key,
                    const char *data, size_t len, const char *type,
                    const char *cache)
{
    target_assert_key(key);
    return t->ops->put_data(t, key, data, len, type, cache);
}

int target_create(const struct target *t, const char *key, const char *data,
                  size_t len)
{
    target_assert_key(key);
    return t->ops->create(t, key, data, len);
}

int target_replace(const struct target *t, const struct pfile *f)
{
    target_assert_key(f->key);
    return t->ops->replace(t, f);
}

int target_delete(const struct target *t, const char *key)
{
    target_assert_key(key);
    return t->ops->remove(t, key);
}

int target_put_alone(const struct target *t, const struct pfile *f)
{
    target_assert_key(f->key);
    return t->ops->put_alone ? t->ops->put_alone(t, f) : 1;
}

int target_make_parent(const struct target *t, const char *key)
{
    target_assert_key(key);
    return t->ops->make_parent ? t->ops->make_parent(t, key) : PP_ERR_REMOTE;
}

size_t target_remove_stale_temps(const struct target *t, long older_than)
{
    return t->ops->remove_stale_temps ?
           t->ops->remove_stale_temps(t, older_than) : 0;
}
