/*
 * WebDAV as a target (nginx's dav module, Apache mod_dav, Nextcloud...):
 * PUT, MKCOL for missing folders, MOVE with "Overwrite: T" to replace the
 * feed atomically and with "Overwrite: F" to create the lock only when it
 * is absent (RFC 4918 requires a 412 then; nginx ignores If-None-Match on
 * PUT but honours this). Plain http only to loopback unless
 * --insecure-http: the password would go in the clear.
 */
#include <stdlib.h>
#include <string.h>

#include "request.h"

static int dav_open(struct target *t, const char *url, bool insecure_http)
{
    char *base = NULL, *path = NULL;
    int ret = target_parse_url(t, url, insecure_http, false, &base, &path);

    if (ret == 0) {
        t->base = xstrdup(base);
        target_basic_credentials(t);
    }
    curl_free(base);
    curl_free(path);
    return ret;
}

static void dav_configure(const struct target *t, CURL *h)
{
    if (t->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
    } else if (t->netrc) {
        curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
    }
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
}

/* MKCOL of each folder above 'key' (405: it exists already). */
static int dav_make_parent(const struct target *t, const char *key)
{
    int ret = 0;

    for (const char *p = key; (p = strchr(p, '/')); p++) {
        char *dir = xstrndup(key, (size_t)(p - key + 1));

        if (net_request(t, dir, "MKCOL", NULL, 0, NULL, NULL, NULL, "create",
                        405, true) < 0)
            ret = PP_ERR_REMOTE;
        free(dir);
    }
    return ret;
}

/*
 * MOVEs the temporary 'tmp' onto 'key'; 'overwrite' "T" or "F". Returns
 * 0, 412 (F and 'key' exists) or PP_ERR_REMOTE.
 */
static int dav_move(const struct target *t, const char *tmp, const char *key,
                    const char *overwrite, const char *what)
{
    char *dest = target_url(t, key);
    char *d = xstrfmt("Destination: %s", dest);
    char *o = xstrfmt("Overwrite: %s", overwrite);
    struct curl_slist *h = curl_slist_append(NULL, d);
    int ret;

    h = curl_slist_append(h, o);
    ret = net_request(t, tmp, "MOVE", NULL, 0, h, NULL, NULL, what, 412,
                      false);
    curl_slist_free_all(h);
    free(o);
    free(d);
    free(dest);
    return ret;
}

/* PUT beside it, then MOVE with "Overwrite: F": 412 when it exists. */
static int dav_create(const struct target *t, const char *key,
                      const char *data, size_t len)
{
    char *tmp = temp_name(key, t->token);
    int ret = net_put_data(t, tmp, data, len, "text/plain", "no-store");

    if (ret == 0 && (ret = dav_move(t, tmp, key, "F", "create")) == 412) {
        net_request(t, tmp, "DELETE", NULL, 0, NULL, NULL, NULL, "delete", 0,
                    false);
        ret = 1;
    }
    free(tmp);
    return ret;
}

/* PUT the new file beside it, then MOVE over it. */
static int dav_replace(const struct target *t, const struct pfile *f)
{
    char *tmp = temp_name(f->key, t->token);
    int ret = net_put_file(t, f, tmp, NULL);

    if (ret < 0 && dav_make_parent(t, f->key) == 0)
        ret = net_put_file(t, f, tmp, NULL);
    if (ret == 0)
        ret = dav_move(t, tmp, f->key, "T", "move");
    free(tmp);
    return ret == 412 ? PP_ERR_REMOTE : ret;
}

static int dav_remove(const struct target *t, const char *key)
{
    return net_request(t, key, "DELETE", NULL, 0, NULL, NULL, NULL, "delete",
                       0, false);
}

const struct target_ops target_dav_ops = {
    .name = "WebDAV",
    .http = true,
    .open = dav_open,
    .configure = dav_configure,
    .get = net_get,
    .put_data = net_put_data,
    .create = dav_create,
    .replace = dav_replace,
    .remove = dav_remove,
    .make_parent = dav_make_parent,
};
