/*
 * FTP and FTPS as a target. ftps:// is podpub's spelling of "FTP with TLS
 * required" (AUTH TLS on the FTP port): libcurl is handed ftp:// with
 * CURLUSESSL_ALL. The feed is replaced with RNFR/RNTO, which overwrites;
 * FTP has no exclusive create, so the lock is written when absent and
 * read back: best effort, as the README says.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "request.h"

struct ftp {
    bool tls;               /* ftps://: explicit TLS */
};

static int ftp_open(struct target *t, const char *url, bool insecure_http)
{
    struct ftp *f = xcalloc(1, sizeof(*f));
    char *base = NULL, *path = NULL;
    int ret;

    t->priv = f;
    ret = target_parse_url(t, url, insecure_http, false, &base, &path);
    if (ret == 0) {
        f->tls = starts_with(url, "ftps://");
        t->base = f->tls ? xstrfmt("ftp://%s", base + strlen("ftps://"))
                         : xstrdup(base);
        target_basic_credentials(t);
    }
    curl_free(base);
    curl_free(path);
    return ret;
}

static void ftp_release(struct target *t)
{
    FREE_AND_NULL(t->priv);
}

static void ftp_configure(const struct target *t, CURL *h)
{
    if (((const struct ftp *)t->priv)->tls) {
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
        curl_easy_setopt(h, CURLOPT_FTPSSLAUTH, (long)CURLFTPAUTH_TLS);
    }
    curl_easy_setopt(h, CURLOPT_FTP_CREATE_MISSING_DIRS,
                     (long)CURLFTP_CREATE_DIR_RETRY);
    if (t->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
    } else if (t->netrc) {
        curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
    }
}

/*
 * No exclusive create: write only when absent, then read back; a
 * concurrent writer is caught unless both write within the same moment.
 */
static int ftp_create(const struct target *t, const char *key,
                      const char *data, size_t len)
{
    int ret = net_exists(t, key);

    if (ret != 0)
        return ret;
    if ((ret = net_put_data(t, key, data, len, "text/plain", "no-store")) < 0)
        return ret;
    usleep(200000);
    return net_still_ours(t, key, data, len);
}

/* RNFR/RNTO replaces the file; both names in the same folder. */
static int ftp_replace(const struct target *t, const struct pfile *f)
{
    const char *slash = strrchr(f->key, '/');
    char *tmp = temp_name(f->key, t->token);
    char *from = xstrfmt("RNFR %s", strrchr(tmp, '/') ? strrchr(tmp, '/') + 1
                                                       : tmp);
    char *to = xstrfmt("RNTO %s", slash ? slash + 1 : f->key);
    int ret = net_put_file(t, f, tmp, (const char *[]){ from, to, NULL });

    free(from);
    free(to);
    free(tmp);
    return ret;
}

/* DELE in the key's folder (libcurl changes into it before POSTQUOTE). */
static int ftp_remove(const struct target *t, const char *key)
{
    const char *slash = strrchr(key, '/');
    char *dir = slash ? xstrndup(key, (size_t)(slash - key + 1)) : xstrdup("");
    char *cmd = xstrfmt("DELE %s", slash ? slash + 1 : key);
    struct curl_slist *list = curl_slist_append(NULL, cmd);
    int ret = net_remove_by_command(t, key, dir, NULL, list);

    curl_slist_free_all(list);
    free(cmd);
    free(dir);
    return ret;
}

const struct target_ops target_ftp_ops = {
    .name = "FTP",
    .open = ftp_open,
    .release = ftp_release,
    .configure = ftp_configure,
    .get = net_get,
    .put_data = net_put_data,
    .create = ftp_create,
    .replace = ftp_replace,
    .remove = ftp_remove,
};
