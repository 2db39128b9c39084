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

#include "podpub/fileid.h"
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

/* Whether the next 'len' bytes read from 'fd' are those of 'data'. */
static bool read_equal(int fd, const char *data, size_t len)
{
    char buf[1 << 16];
    size_t off = 0;

    while (off < len) {
        size_t want = len - off < sizeof(buf) ? len - off : sizeof(buf);
        ssize_t n = read(fd, buf, want);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || memcmp(buf, data + off, (size_t)n))
            return false;
        off += (size_t)n;
    }
    return true;
}

/* Whether 'fd' is at its end (and did not grow meanwhile). */
static bool at_end(int fd)
{
    char c;
    ssize_t n;

    while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
        ;
    return n == 0;
}

/* The regular file 'path' for reading, not through a symlink; or -1. */
static int open_regular(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

    if (fd >= 0 && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

bool file_holds(const char *path, const void *data, size_t len)
{
    struct stat st;
    int fd = open_regular(path, &st);
    bool same = fd >= 0 && (unsigned long long)st.st_size == len &&
                read_equal(fd, data, len) && at_end(fd);

    if (fd >= 0)
        close(fd);
    return same;
}

int write_file_if_changed(const char *path, const void *data, size_t len)
{
    return file_holds(path, data, len) ? 0
                                       : write_file_atomic(path, data, len);
}

/* Compared and let go once this much is held: a quarter of a megabyte. */
#define OUTBUF_FLUSH (256u << 10)

void outbuf_init(struct outbuf *o, enum outbuf_mode mode, const char *path)
{
    struct stat st;

    memset(o, 0, sizeof(*o));
    strbuf_init(&o->sb);
    o->fd = -1;
    o->mode = mode;
    if (mode == OUTBUF_COMPARE &&
        (!path || (o->fd = open_regular(path, &st)) < 0))
        o->mode = OUTBUF_KEEP;  /* nothing to compare with: all is new */
    else if (mode == OUTBUF_COMPARE)
        fileid_from_stat(&o->id, &st);
}

/* The document is kept whole from now on. */
static void keep_all(struct outbuf *o)
{
    close(o->fd);
    o->fd = -1;
    o->mode = OUTBUF_KEEP;
}

/*
 * At the first difference: the 'gone' bytes let go are the file's first
 * ones, read back from it while it is still the file that was opened (a
 * write in place would have moved its modification time), and the rest
 * of the document is kept. Else 'differs': it is rendered again.
 */
static void take_back(struct outbuf *o)
{
    struct strbuf all = STRBUF_INIT;
    struct fileid now;
    struct stat st;
    size_t off = 0;

    strbuf_grow(&all, o->gone + o->sb.len + OUTBUF_FLUSH);
    while (off < o->gone) {
        ssize_t n = pread(o->fd, all.buf + off, o->gone - off, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    if (off == o->gone && fstat(o->fd, &st) == 0) {
        fileid_from_stat(&now, &st);
        if (fileid_equal(&now, &o->id)) {
            all.len = off;
            strbuf_add(&all, o->sb.buf, o->sb.len);
            strbuf_release(&o->sb);
            o->sb = all;
            o->gone = 0;
            keep_all(o);
            return;
        }
    }
    strbuf_release(&all);
    o->differs = true;
}

/* Compares or counts what 'sb' holds, and lets it go. */
static void let_go(struct outbuf *o)
{
    if (o->mode == OUTBUF_COMPARE &&
        !read_equal(o->fd, o->sb.buf, o->sb.len)) {
        take_back(o);
        return;
    }
    o->gone += o->sb.len;
    strbuf_reset(&o->sb);
}

bool outbuf_flush(struct outbuf *o)
{
    if (o->mode != OUTBUF_KEEP && !o->differs && o->sb.len >= OUTBUF_FLUSH)
        let_go(o);
    return !o->differs;
}

bool outbuf_again(struct outbuf *o)
{
    if (o->mode == OUTBUF_COMPARE && !o->differs) {
        let_go(o);      /* the last piece */
        if (o->mode == OUTBUF_COMPARE && !o->differs) {
            if (at_end(o->fd)) {
                o->same = true;
                return false;
            }
            take_back(o);   /* the file is longer */
        }
    }
    if (!o->differs)
        return false;
    /* What was let go could not be taken back: all again, kept. */
    keep_all(o);
    o->gone = 0;
    o->differs = false;
    strbuf_reset(&o->sb);
    return true;
}

void outbuf_release(struct outbuf *o)
{
    if (o->mode == OUTBUF_COMPARE)
        close(o->fd);
    strbuf_release(&o->sb);
    o->fd = -1;
    o->mode = OUTBUF_KEEP;
}
