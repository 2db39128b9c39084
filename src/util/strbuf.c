/*
 * strbuf: growable strings. The buffer is always NUL-terminated so it can be
 * handed to C string functions, and starts as a shared empty string so an
 * initialised strbuf costs no allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podpub/path.h"
#include "podpub/strbuf.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
    sb->buf = strbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    strbuf_init(sb);
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;

    if (need < sb->len)
        die("strbuf size overflow");
    if (need <= sb->alloc)
        return;
    if (!sb->alloc)
        sb->buf = NULL;
    sb->alloc = sb->alloc * 3 / 2 > need ? sb->alloc * 3 / 2 : need;
    if (sb->alloc < 64)
        sb->alloc = 64;
    sb->buf = xrealloc(sb->buf, sb->alloc);
    if (!sb->len)
        sb->buf[0] = '\0';
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
    if (len > sb->len)
        die("strbuf_setlen beyond end (%zu > %zu)", len, sb->len);
    sb->len = len;
    if (sb->alloc)
        sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
    if (!len)
        return;
    strbuf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
    char ch = (char)c;

    strbuf_add(sb, &ch, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list aq;
    int n;

    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        die("bad format string '%s'", fmt);
    strbuf_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
    while (sb->len) {
        char c = sb->buf[sb->len - 1];

        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            break;
        sb->len--;
    }
    if (sb->alloc)
        sb->buf[sb->len] = '\0';
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *p;

    if (len)
        *len = sb->len;
    p = sb->alloc ? sb->buf : xstrdup("");
    strbuf_init(sb);
    return p;
}

int strbuf_read_fd(struct strbuf *sb, int fd, const char *path, size_t limit)
{
    size_t start = sb->len;

    for (;;) {
        ssize_t n;

        strbuf_grow(sb, 8192);
        n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errorf(PP_ERR_IO, "cannot read '%s': %s", path,
                          strerror(errno));
        }
        if (n == 0)
            return 0;
        sb->len += (size_t)n;
        sb->buf[sb->len] = '\0';
        if (sb->len - start > limit)
            return errorf(PP_ERR_INPUT, "'%s' is too large (limit %zu bytes)",
                          path, limit);
    }
}

int strbuf_read_file(struct strbuf *sb, const char *path, size_t limit)
{
    struct stat st;
    int fd, ret = 0;

    /* O_NONBLOCK so that opening a FIFO cannot hang; refused just below. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errorf(errno == ENOENT ? PP_ERR_INPUT : PP_ERR_IO,
                      "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fd, &st) < 0) {
        ret = errorf(PP_ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        ret = errorf(PP_ERR_INPUT, "'%s' is not a regular file", path);
        goto out;
    }
    if ((unsigned long long)st.st_size > limit) {
        ret = errorf(PP_ERR_INPUT, "'%s' is too large (%lld bytes, limit %zu)",
                     path, (long long)st.st_size, limit);
        goto out;
    }
    ret = strbuf_read_fd(sb, fd, path, limit);
out:
    close(fd);
    return ret;
}

int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!n)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
    char *tmp = NULL;
    int fd, ret = 0;

    /*
     * A fresh random name created exclusively: a file or symlink planted
     * beside 'path' is never written through.
     */
    fd = temp_create(path, &tmp);
    if (fd < 0) {
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (write_all(fd, data, len) < 0) {
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path,
                     strerror(errno));
        goto fail;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path,
                     strerror(errno));
        goto fail;
    }
    if (close(fd) < 0) {
        fd = -1;
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path,
                     strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        ret = errorf(PP_ERR_IO, "cannot rename '%s' to '%s': %s", tmp, path,
                     strerror(errno));
        goto fail;
    }
    goto out;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
out:
    free(tmp);
    return ret;
}

/* True when the file open as 'fd' holds exactly 'len' bytes of 'data'. */
static bool same_bytes(int fd, const char *data, size_t len)
{
    char buf[1 << 16];
    struct stat st;
    size_t off = 0;

    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        (unsigned long long)st.st_size != len)
        return false;
    while (off < len) {
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (size_t)n > len - off || memcmp(buf, data + off, n))
            return false;
        off += (size_t)n;
    }
    return read(fd, buf, 1) == 0;   /* and it did not grow meanwhile */
}

bool file_holds(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    bool same = fd >= 0 && same_bytes(fd, data, len);

    if (fd >= 0)
        close(fd);
    return same;
}

int write_file_if_changed(const char *path, const void *data, size_t len)
{
    return file_holds(path, data, len) ? 0
                                       : write_file_atomic(path, data, len);
}
