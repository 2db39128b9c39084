/*
 * Names and files from outside podpub's control. Everything here judges
 * what is actually there (the file an fd refers to, the bytes of a
 * name), never a name that could point somewhere else a moment later.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "podpub/path.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"

/* One byte of a key, as written or percent-decoded: may it be there? */
static const char *bad_byte(unsigned char c, bool decoded)
{
    if (c == 0)
        return "a NUL byte";
    if (c < 0x20 || c == 0x7f)
        return "a control character";
    if (c == '\\')
        return "a backslash";
    if (decoded && (c == '/' || c == '.' || c == '%'))
        return "a percent-escape of '/', '.' or '%'";
    return NULL;
}

bool key_valid(const char *s, size_t len, const char **why)
{
    const char *reason = NULL, *seg = s, *end = s + len;

    if (!len)
        reason = "empty";
    else if (len > PP_KEY_MAX)
        reason = "too long";
    else if (s[0] == '/')
        reason = "an absolute path";
    else if (s[len - 1] == '/')
        reason = "a trailing '/'";
    for (size_t i = 0; i < len && !reason; i++) {
        unsigned char c = (unsigned char)s[i];

        reason = bad_byte(c, false);
        if (!reason && c == '%' && i + 2 < len &&
            hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            unsigned char d = (unsigned char)(hex_digit(s[i + 1]) * 16 +
                                              hex_digit(s[i + 2]));

            reason = bad_byte(d, true);
            if (!reason && d >= 0x80 && d <= 0x9f)
                reason = "a percent-escaped control character";
        }
    }
    /* C1 controls are U+0080..U+009F, written as C2 80..C2 9F. */
    for (size_t i = 0; i + 1 < len && !reason; i++)
        if ((unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f)
            reason = "a control character";
    if (!reason) {
        size_t off;
        const char *w;

        if (utf8_check_xml(s, len, &off, &w) < 0)
            reason = "not UTF-8 text";
    }
    while (!reason && seg < end) {
        const char *slash = memchr(seg, '/', (size_t)(end - seg));
        size_t n = slash ? (size_t)(slash - seg) : (size_t)(end - seg);

        if (n == 0)
            reason = "an empty segment ('//')";
        else if (n == 1 && seg[0] == '.')
            reason = "a '.' segment";
        else if (n == 2 && seg[0] == '.' && seg[1] == '.')
            reason = "a '..' segment";
        seg += n + 1;
    }
    if (why)
        *why = reason;
    return !reason;
}

int path_roots_add(struct path_roots *roots, const char *dir)
{
    char *real = realpath(dir, NULL);
    struct stat st;

    if (!real)
        return -1;
    if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
        free(real);
        errno = ENOTDIR;
        return -1;
    }
    roots->dirs = xrealloc(roots->dirs, (roots->nr + 1) *
                           sizeof(*roots->dirs));
    roots->dirs[roots->nr++] = real;
    return 0;
}

void path_roots_release(struct path_roots *roots)
{
    if (roots->pinned)
        close(roots->pin_fd);
    roots->pinned = false;
    FREE_AND_NULL(roots->pin_name);
    FREE_AND_NULL(roots->pin_real);
    for (size_t i = 0; i < roots->nr; i++)
        free(roots->dirs[i]);
    free(roots->dirs);
    roots->dirs = NULL;
    roots->nr = 0;
}

bool path_inside(const struct path_roots *roots, const char *real)
{
    for (size_t i = 0; i < roots->nr; i++) {
        const char *d = roots->dirs[i];
        size_t n = strlen(d);

        /* "/" as a root holds everything (realpath never ends in '/'). */
        if (n == 1 && d[0] == '/')
            return real[0] == '/';
        if (!strncmp(real, d, n) && real[n] == '/')
            return true;
    }
    return false;
}

/*
 * The resolved path of the file open as 'fd': what /proc says it is (the
 * file itself, whatever names led to it), or, without /proc, realpath()
 * of 'path' if that is the same file.
 */
static char *fd_path(int fd, const char *path, const struct stat *st)
{
    char link[64], buf[PATH_MAX + 1];
    ssize_t n;
    struct stat again;
    char *real;

    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, buf, sizeof(buf) - 1);
    if (n > 0 && buf[0] == '/') {
        buf[n] = '\0';
        return xstrdup(buf);
    }
    real = realpath(path, NULL);
    if (real && (stat(real, &again) < 0 || again.st_dev != st->st_dev ||
                 again.st_ino != st->st_ino))
        FREE_AND_NULL(real);   /* it moved: judge it as unknown */
    return real;
}

void path_roots_pin(struct path_roots *roots, const char *dir)
{
    struct stat st;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *real;

    if (roots->pinned || fd < 0)
        goto fail;
    if (fstat(fd, &st) < 0 || !(real = fd_path(fd, dir, &st)))
        goto fail;
    if (!path_inside(roots, real)) {
        free(real);
        goto fail;
    }
    roots->pinned = true;
    roots->pin_fd = fd;
    roots->pin_name = xstrdup(dir);
    roots->pin_real = real;
    return;
fail:
    if (fd >= 0)
        close(fd);
}

/*
 * The name of 'path' in the pinned folder when 'path' is directly in it
 * ("episodes/001.md" -> "001.md"), else NULL.
 */
static const char *pinned_name(const struct path_roots *roots,
                               const char *path)
{
    size_t n;
    const char *name;

    if (!roots->pinned)
        return NULL;
    n = strlen(roots->pin_name);
    if (strncmp(path, roots->pin_name, n) || path[n] != '/')
        return NULL;
    name = path + n + 1;
    if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
        !strcmp(name, ".."))
        return NULL;
    return name;
}

enum confine file_open_confined(const char *path,
                                const struct path_roots *roots,
                                struct confined_file *cf)
{
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    const char *name = pinned_name(roots, path);

    memset(cf, 0, sizeof(*cf));
    /*
     * A name directly in the pinned folder, not a symlink (O_NOFOLLOW
     * fails on one): the file is that folder's entry, and its resolved
     * path the folder's plus the name.
     */
    cf->fd = name ? openat(roots->pin_fd, name, flags | O_NOFOLLOW) : -1;
    if (cf->fd < 0 && name && errno != ELOOP) {
        cf->err = errno;
        return CONFINE_ERRNO;
    }
    if (cf->fd < 0)
        name = NULL;
    if (!name)
        cf->fd = open(path, flags);
    if (cf->fd < 0) {
        cf->err = errno;
        return CONFINE_ERRNO;
    }
    if (fstat(cf->fd, &cf->st) < 0) {
        cf->err = errno;
        confined_close(cf);
        return CONFINE_ERRNO;
    }
    cf->real = name ? xpathjoin(roots->pin_real, name)
                    : fd_path(cf->fd, path, &cf->st);
    if (!cf->real || !path_inside(roots, cf->real)) {
        close(cf->fd);
        cf->fd = -1;
        return CONFINE_OUTSIDE;
    }
    if (!S_ISREG(cf->st.st_mode)) {
        close(cf->fd);
        cf->fd = -1;
        return CONFINE_NOT_FILE;
    }
    /*
     * Reads of a regular file never block; normal reads from here on.
     * O_NONBLOCK is the only status flag 'flags' set (O_RDONLY is the
     * access mode, which F_SETFL leaves), so 0 clears it in one call.
     */
    fcntl(cf->fd, F_SETFL, 0);
    return CONFINED;
}

bool file_stat_pinned(const char *path, const struct path_roots *roots,
                      struct stat *st)
{
    const char *name = pinned_name(roots, path);

    return name &&
           fstatat(roots->pin_fd, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISREG(st->st_mode);
}

void confined_close(struct confined_file *cf)
{
    if (cf->fd >= 0)
        close(cf->fd);
    cf->fd = -1;
    FREE_AND_NULL(cf->real);
}

char *confine_reason(enum confine c, const char *path,
                     const struct confined_file *cf)
{
    char *p = printable(path, 200), *r = NULL, *msg;

    switch (c) {
    case CONFINED:
        msg = xstrfmt("'%s' is fine", p);
        break;
    case CONFINE_ERRNO:
        msg = xstrfmt("cannot read '%s': %s", p, strerror(cf->err));
        break;
    case CONFINE_OUTSIDE:
        r = cf->real ? printable(cf->real, 200) : NULL;
        msg = xstrfmt("'%s' resolves to '%s', outside the show's folder "
                      "(name its folder in media_roots in feed/podcast.yaml "
                      "to allow it)", p, r ? r : "(unknown)");
        break;
    default:
        msg = xstrfmt("'%s' is not a regular file", p);
        break;
    }
    free(r);
    free(p);
    return msg;
}

void random_hex(char *hex, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char buf[64];
    size_t got = 0;

    if (n > sizeof(buf))
        die("random_hex: %zu bytes is too many", n);
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die("cannot read random bytes: %s", strerror(errno));
        got += (size_t)r;
    }
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[buf[i] >> 4];
        hex[2 * i + 1] = digits[buf[i] & 15];
    }
    hex[2 * n] = '\0';
}

uint32_t random_u32(void)
{
    char hex[9];

    random_hex(hex, 4);
    return (uint32_t)strtoul(hex, NULL, 16);
}

char *temp_name(const char *path, const char *token)
{
    const char *slash = strrchr(path, '/');

    if (slash)
        return xstrfmt("%.*s.%s.podpub-%s.tmp", (int)(slash - path + 1),
                       path, slash + 1, token);
    return xstrfmt(".%s.podpub-%s.tmp", path, token);
}

bool is_temp_name(const char *path)
{
    const char *base = strrchr(path, '/'), *p;
    size_t n;

    base = base ? base + 1 : path;
    n = strlen(base);
    /* ".X.podpub-" + 16 hex + ".tmp": at least 1 + 1 + 8 + 16 + 4 bytes */
    if (n < 30 || base[0] != '.' || !ends_with(base, ".tmp"))
        return false;
    p = base + n - 4 - 16;
    if (strspn(p, "0123456789abcdef") != 16 || strncmp(p - 8, ".podpub-", 8))
        return false;
    return true;
}

int temp_create(const char *path, char **tmp)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        char token[17];
        int fd;

        random_hex(token, 8);
        *tmp = temp_name(path, token);
        fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);
        if (fd >= 0)
            return fd;
        FREE_AND_NULL(*tmp);
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}
