/*
 * The local side of an upload. A file is hashed once, when the plan is
 * made; what goes up must be exactly those bytes: the same file (device
 * and inode, opened inside the show's roots whatever symlinks say now),
 * the same size and modification time before and after the transfer,
 * and never more than the size that was hashed (a /proc file that stats
 * as 0 bytes but reads forever sends nothing it did not declare).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target.h"

int upload_open(struct upload_src *src, const struct pfile *f,
                const struct path_roots *roots)
{
    struct confined_file cf;
    enum confine c = file_open_confined(f->local, roots, &cf);

    memset(src, 0, sizeof(*src));
    src->fd = -1;
    if (c != CONFINED) {
        char *why = confine_reason(c, f->local, &cf);
        int ret = errorf(c == CONFINE_ERRNO ? PP_ERR_IO : PP_ERR_INPUT,
                         "%s", why);

        free(why);
        confined_close(&cf);
        return ret;
    }
    if (cf.st.st_dev != f->dev || cf.st.st_ino != f->ino ||
        (uint64_t)cf.st.st_size != f->size ||
        cf.st.st_mtim.tv_sec != f->mtime.tv_sec ||
        cf.st.st_mtim.tv_nsec != f->mtime.tv_nsec) {
        confined_close(&cf);
        return errorf(PP_ERR_IO, "'%s' changed after it was hashed; "
                      "publish again", f->local);
    }
    src->fd = cf.fd;
    cf.fd = -1;
    confined_close(&cf);
    src->size = f->size;
    src->f = f;
    return 0;
}

int upload_check(const struct upload_src *src)
{
    struct stat st;

    if (fstat(src->fd, &st) < 0)
        return errorf(PP_ERR_IO, "cannot stat '%s': %s", src->f->local,
                      strerror(errno));
    if ((uint64_t)st.st_size != src->f->size ||
        st.st_mtim.tv_sec != src->f->mtime.tv_sec ||
        st.st_mtim.tv_nsec != src->f->mtime.tv_nsec)
        return errorf(PP_ERR_IO, "'%s' changed while it was uploaded; "
                      "publish again", src->f->local);
    return 0;
}

void upload_close(struct upload_src *src)
{
    if (src->fd >= 0)
        close(src->fd);
    src->fd = -1;
}

size_t upload_read(char *buf, size_t size, size_t n, void *arg)
{
    struct upload_src *src = arg;
    size_t want = size * n;
    ssize_t got;

    if (want > src->size - src->pos)
        want = (size_t)(src->size - src->pos);
    if (!want)
        return 0;
    do
        got = read(src->fd, buf, want);
    while (got < 0 && errno == EINTR);
    if (got <= 0)
        return CURL_READFUNC_ABORT;   /* an error, or shorter than hashed */
    src->pos += (uint64_t)got;
    return (size_t)got;
}

int upload_seek(void *arg, curl_off_t offset, int origin)
{
    struct upload_src *src = arg;

    if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > src->size ||
        lseek(src->fd, (off_t)offset, SEEK_SET) < 0)
        return CURL_SEEKFUNC_FAIL;
    src->pos = (uint64_t)offset;
    return CURL_SEEKFUNC_OK;
}
