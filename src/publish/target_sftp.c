/*
 * SFTP as a target (OpenSSH's internal-sftp and the like), through
 * libcurl's libssh2 backend: key authentication only, the host key always
 * checked (known_hosts or a pinned SHA-256; podpub refuses SFTP with
 * neither), absolute remote paths, and OpenSSH's rename, which never
 * replaces a file: the lock is created by a rename, the feed replaced by
 * a remove and a rename in one batch.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "request.h"

struct sftp {
    char *remote_dir;       /* the absolute folder of t->base */
    char *ssh_key, *ssh_pub, *known_hosts, *host_key_sha256;
};

#define SFTP(t) ((struct sftp *)(t)->priv)

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

static int sftp_open(struct target *t, const char *url, bool insecure_http)
{
    struct sftp *s = xcalloc(1, sizeof(*s));
    char *rsa, *base = NULL, *path = NULL;
    int ret;

    t->priv = s;
    ret = target_parse_url(t, url, insecure_http, true, &base, &path);
    if (ret == 0) {
        t->base = xstrdup(base);
        s->remote_dir = xstrdup(path);
    }
    curl_free(base);
    curl_free(path);
    if (ret < 0)
        return ret;
    if (!t->user) {
        struct passwd *pw = getpwuid(getuid());

        t->user = xstrdup(getenv("USER") ? getenv("USER") :
                          pw ? pw->pw_name : "root");
    }
    s->ssh_key = target_env("PODPUB_SSH_KEY");
    if (!s->ssh_key) {
        static const char *const keys[] = { ".ssh/id_ed25519",
                                            ".ssh/id_ecdsa" };

        for (size_t i = 0; i < ARRAY_SIZE(keys) && !s->ssh_key; i++) {
            char *k = home_file(keys[i]);

            if (exists(k))
                s->ssh_key = k;
            else
                free(k);
        }
    }
    if (!exists(s->ssh_key)) {
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
    s->ssh_pub = xstrfmt("%s.pub", s->ssh_key);
    if (!exists(s->ssh_pub))
        FREE_AND_NULL(s->ssh_pub);
    /* libcurl checks no host key unless told: podpub always tells it. */
    s->host_key_sha256 = target_env("PODPUB_SSH_HOST_KEY_SHA256");
    s->known_hosts = target_env("PODPUB_KNOWN_HOSTS");
    if (!s->known_hosts)
        s->known_hosts = home_file(".ssh/known_hosts");
    if (!exists(s->known_hosts)) {
        FREE_AND_NULL(s->known_hosts);
        if (!s->host_key_sha256)
            return errorf(PP_ERR_INPUT, "%s: refusing SFTP without a known "
                          "host key: add the server to ~/.ssh/known_hosts "
                          "(ssh-keyscan -t ed25519 HOST), set "
                          "PODPUB_KNOWN_HOSTS, or pin "
                          "PODPUB_SSH_HOST_KEY_SHA256", t->display);
    }
    return 0;
}

static void sftp_release(struct target *t)
{
    struct sftp *s = t->priv;

    if (s) {
        free(s->remote_dir);
        free(s->ssh_key);
        free(s->ssh_pub);
        free(s->known_hosts);
        free(s->host_key_sha256);
    }
    FREE_AND_NULL(t->priv);
}

static void sftp_configure(const struct target *t, CURL *h)
{
    const struct sftp *s = SFTP(t);

    curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
    curl_easy_setopt(h, CURLOPT_SSH_AUTH_TYPES, (long)CURLSSH_AUTH_PUBLICKEY);
    curl_easy_setopt(h, CURLOPT_SSH_PRIVATE_KEYFILE, s->ssh_key);
    if (s->ssh_pub)
        curl_easy_setopt(h, CURLOPT_SSH_PUBLIC_KEYFILE, s->ssh_pub);
    if (s->known_hosts)
        curl_easy_setopt(h, CURLOPT_SSH_KNOWNHOSTS, s->known_hosts);
    if (s->host_key_sha256)
        curl_easy_setopt(h, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256,
                         s->host_key_sha256);
    curl_easy_setopt(h, CURLOPT_FTP_CREATE_MISSING_DIRS,
                     (long)CURLFTP_CREATE_DIR_RETRY);
}

/*
 * The absolute remote path of 'key' on an SFTP server, quoted for
 * libcurl's SFTP commands: '"' and '\' escaped, so a name cannot end the
 * argument early and add one of its own.
 */
static char *sftp_path(const struct target *t, const char *key)
{
    char *path = xstrfmt("%s%s", SFTP(t)->remote_dir, key);
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

/* The "rm" command of an SFTP batch for 'key'. */
static char *sftp_rm(const struct target *t, const char *key, bool optional)
{
    char *path = sftp_path(t, key);
    char *cmd = xstrfmt("%srm %s", optional ? "*" : "", path);

    free(path);
    return cmd;
}

/* Upload beside it and rename: OpenSSH's rename never replaces a file. */
static int sftp_create(const struct target *t, const char *key,
                       const char *data, size_t len)
{
    char *tmp = temp_name(key, t->token);
    char *a = sftp_path(t, tmp), *b = sftp_path(t, key);
    char *cmd = xstrfmt("rename %s %s", a, b);
    struct curl_slist *list = curl_slist_append(NULL, cmd);
    int ret = net_request(t, tmp, NULL, data, len, NULL, NULL, list, "create",
                          0, true);

    if (ret < 0) {
        /* Either the key exists, or the upload itself failed. */
        t->ops->remove(t, tmp);
        ret = net_exists(t, key);
        if (ret == 0) {
            char *shown = printable(key, 200);

            ret = errorf(PP_ERR_REMOTE, "cannot create %s%s: the upload or "
                         "the rename failed", t->display, shown);
            free(shown);
        }
    }
    curl_slist_free_all(list);
    free(cmd);
    free(a);
    free(b);
    free(tmp);
    return ret;
}

/*
 * OpenSSH's SFTP rename does not replace a file: remove, then rename, in
 * one batch after the upload (a one round-trip gap without a feed).
 */
static int sftp_replace(const struct target *t, const struct pfile *f)
{
    char *tmp = temp_name(f->key, t->token);
    char *a = sftp_path(t, tmp), *b = sftp_path(t, f->key);
    char *rm = sftp_rm(t, f->key, true), *mv = xstrfmt("rename %s %s", a, b);
    int ret = net_put_file(t, f, tmp, (const char *[]){ rm, mv, NULL });

    free(rm);
    free(mv);
    free(a);
    free(b);
    free(tmp);
    return ret;
}

/* "rm" without libcurl's '*', which would hide a failure. */
static int sftp_remove(const struct target *t, const char *key)
{
    char *cmd = sftp_rm(t, key, false);
    struct curl_slist *list = curl_slist_append(NULL, cmd);
    int ret = net_remove_by_command(t, key, "", list, NULL);

    curl_slist_free_all(list);
    free(cmd);
    return ret;
}

static void sftp_hint(const struct target *t, CURLcode rc, struct strbuf *sb)
{
    (void)t;
    if (rc == CURLE_PEER_FAILED_VERIFICATION)
        strbuf_addstr(sb, " (the server's host key is not the one in "
                      "known_hosts)");
}

const struct target_ops target_sftp_ops = {
    .name = "SFTP",
    .open = sftp_open,
    .release = sftp_release,
    .configure = sftp_configure,
    .get = net_get,
    .put_data = net_put_data,
    .create = sftp_create,
    .replace = sftp_replace,
    .remove = sftp_remove,
    .hint = sftp_hint,
};
