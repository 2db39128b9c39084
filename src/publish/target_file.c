/*
 * A folder as the target (file:///srv/www/show/). The folder may be
 * shared with others who can plant files in it, so below the target's
 * own folder nothing is followed: every folder on the way to a key is
 * opened with O_NOFOLLOW relative to the one above it, files are created
 * with O_EXCL under random names and renamed into place, and a key whose
 * path runs through a symlink is refused. A key can then only ever name
 * a file inside the target.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "target.h"

static void mkdir_p(const char *path);

/*
 * Opens the folder that holds 'key' (creating missing folders when
 * 'create'), walking from the target's folder one segment at a time
 * without following symlinks; '*leaf' points at the key's last segment.
 * Returns the folder's fd, or -1 with errno set (ELOOP/ENOTDIR for a
 * symlink or file on the way).
 */
static int open_parent(const struct target *t, const char *key, bool create,
                       const char **leaf)
{
    const char *p = key, *slash;
    int dir;

    target_assert_key(key);
    if (create)
        mkdir_p(t->base);   /* the target's own folder, as configured */
    dir = open(t->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (dir >= 0 && (slash = strchr(p, '/'))) {
        char *seg = xstrndup(p, (size_t)(slash - p));
        int next = openat(dir, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                    O_CLOEXEC);

        if (next < 0 && errno == ENOENT && create &&
            (mkdirat(dir, seg, 0755) == 0 || errno == EEXIST))
            next = openat(dir, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                    O_CLOEXEC);
        free(seg);
        {
            int saved = errno;

            close(dir);
            errno = saved;
        }
        dir = next;
        p = slash + 1;
    }
    *leaf = p;
    return dir;
}

/* Creates 'path' and the folders above it, as `mkdir -p` does. */
static void mkdir_p(const char *path)
{
    char *p = xstrdup(path);

    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    mkdir(p, 0755);
    free(p);
}

static int fail(const struct target *t, const char *what, const char *key,
                int err)
{
    char *shown = printable(key, 200);
    int ret = errorf(PP_ERR_REMOTE, "cannot %s %s%s: %s%s", what, t->base,
                     shown, strerror(err), err == ELOOP || err == ENOTDIR ?
                     " (podpub follows no symlink inside the target)" : "");

    free(shown);
    return ret;
}

static int file_get(const struct target *t, const char *key,
                    struct strbuf *body, size_t limit)
{
    const char *leaf;
    int dir = open_parent(t, key, false, &leaf), fd, ret;
    struct stat st;

    if (dir < 0)
        return errno == ENOENT ? 1 : fail(t, "read", key, errno);
    fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    close(dir);
    if (fd < 0)
        return errno == ENOENT ? 1 : fail(t, "read", key, errno);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(t, "read", key, EINVAL);
    }
    ret = strbuf_read_fd(body, fd, key, limit) < 0 ? PP_ERR_REMOTE : 0;
    close(fd);
    return ret;
}

/*
 * Writes what 'fill' produces into a fresh temporary beside 'key' and
 * renames it over 'key' ('exclusive': only if 'key' does not exist, by
 * linking it there instead; returns 1 when it does).
 */
static int put(const struct target *t, const char *key, bool exclusive,
               int (*fill)(int fd, void *arg), void *arg)
{
    const char *leaf;
    int dir = open_parent(t, key, true, &leaf), fd = -1, ret = 0;
    char *tmp = NULL;

    if (dir < 0)
        return fail(t, "write", key, errno);
    for (int attempt = 0; attempt < 8 && fd < 0; attempt++) {
        char token[17];

        random_hex(token, 8);
        free(tmp);
        tmp = temp_name(leaf, token);
        fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                              O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        ret = fail(t, "write", key, errno);
        goto out;
    }
    if ((ret = fill(fd, arg)) < 0)
        goto out;
    if (fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        ret = fail(t, "write", key, errno);
        goto out;
    }
    fd = -1;
    if (exclusive) {
        /* link() never replaces: the lock is taken by exactly one. */
        if (linkat(dir, tmp, dir, leaf, 0) < 0)
            ret = errno == EEXIST ? 1 : fail(t, "create", key, errno);
    } else if (renameat(dir, tmp, dir, leaf) < 0) {
        ret = fail(t, "write", key, errno);
    }
out:
    if (fd >= 0)
        close(fd);
    if (tmp && (ret != 0 || exclusive))
        unlinkat(dir, tmp, 0);
    free(tmp);
    close(dir);
    return ret;
}

struct mem {
    const char *data;
    size_t len;
};

static int fill_mem(int fd, void *arg)
{
    struct mem *m = arg;

    return write_all(fd, m->data, m->len) < 0 ? PP_ERR_REMOTE : 0;
}

static int file_put_data(const struct target *t, const char *key,
                         const char *data, size_t len, const char *type,
                         const char *cache)
{
    struct mem m = { data, len };

    (void)type;     /* a folder keeps no Content-Type or Cache-Control */
    (void)cache;
    return put(t, key, false, fill_mem, &m);
}

static int file_create(const struct target *t, const char *key,
                       const char *data, size_t len)
{
    struct mem m = { data, len };

    return put(t, key, true, fill_mem, &m);
}

/* Copies exactly what was hashed (upload_src) into the temporary file. */
static int fill_file(int fd, void *arg)
{
    struct upload_src *src = arg;
    char buf[1 << 16];

    for (;;) {
        size_t n = upload_read(buf, 1, sizeof(buf), src);

        if (n == CURL_READFUNC_ABORT)
            return errorf(PP_ERR_IO, "cannot read '%s': %s", src->f->local,
                          errno ? strerror(errno) : "shorter than hashed");
        if (n == 0)
            break;
        if (write_all(fd, buf, n) < 0)
            return errorf(PP_ERR_REMOTE, "cannot write a copy of '%s': %s",
                          src->f->local, strerror(errno));
    }
    return upload_check(src);
}

static int file_replace(const struct target *t, const struct pfile *f)
{
    struct upload_src src;
    int ret = upload_open(&src, f, t->roots);

    if (ret == 0)
        ret = put(t, f->key, false, fill_file, &src);
    upload_close(&src);
    return ret;
}

static int file_remove(const struct target *t, const char *key)
{
    const char *leaf;
    int dir = open_parent(t, key, false, &leaf), ret = 0;

    if (dir < 0)
        return errno == ENOENT ? 0 : fail(t, "remove", key, errno);
    if (unlinkat(dir, leaf, 0) < 0 && errno != ENOENT)
        ret = fail(t, "remove", key, errno);
    close(dir);
    return ret;
}

/* Walks 'dir' (an open folder, consumed) for stale temporary files. */
static size_t sweep(int dir, time_t before, int depth)
{
    DIR *d = fdopendir(dir);
    struct dirent *de;
    size_t removed = 0;

    if (!d) {
        close(dir);
        return 0;
    }
    while ((de = readdir(d))) {
        struct stat st;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 32) {
            int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
                                                   O_NOFOLLOW | O_CLOEXEC);

            if (sub >= 0)
                removed += sweep(sub, before, depth + 1);
        } else if (is_temp_name(de->d_name) && st.st_mtime < before &&
                   (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
                   unlinkat(dirfd(d), de->d_name, 0) == 0) {
            removed++;
        }
    }
    closedir(d);
    return removed;
}

static size_t file_remove_stale_temps(const struct target *t, long older)
{
    int dir = open(t->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dir < 0)
        return 0;
    return sweep(dir, time(NULL) - older, 0);
}

static int file_open(struct target *t, const char *url, bool insecure_http)
{
    (void)insecure_http;
    t->base = xstrdup(url + strlen("file://"));
    if (t->base[0] != '/')
        return errorf(PP_ERR_USAGE, "%s: want file:///absolute/path/",
                      t->display);
    return 0;
}

/* Every file is copied on its own: no network, nothing to run at once. */
static int file_put_alone(const struct target *t, const struct pfile *f)
{
    return file_replace(t, f);
}

const struct target_ops target_file_ops = {
    .name = "folder",
    .open = file_open,
    .get = file_get,
    .put_data = file_put_data,
    .create = file_create,
    .replace = file_replace,
    .remove = file_remove,
    .put_alone = file_put_alone,
    .remove_stale_temps = file_remove_stale_temps,
};
