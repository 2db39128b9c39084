/*
 * The listing of episodes/: the names of the episode files in it, sorted.
 * Reading a folder of 20,000 names costs 10-13 ms here, more than the
 * rest of a warm build's loading; so, with the episode cache on, the
 * listing is kept in PP_EPISODE_NAMES and used while the folder is the
 * same one and unchanged: the same device and inode, and the same
 * modification and status change times. A name added, removed or renamed
 * moves both. The listing is kept only when the folder was settled, left
 * alone for EPCACHE_SETTLE_S before it was read: a change after the
 * reading then gives it a change time later than the kept one, even on a
 * file system whose clock ticks coarsely (the episode cache's rule for
 * files read without reading them, epcache_get_settled()).
 *
 * On disk, native byte order (it never leaves the machine):
 *
 *     "podpub-names\n\0\0\0", u32 format, u32 0x01020304,
 *     u64 device, u64 inode, i64 mtime s, i64 mtime ns, i64 ctime s,
 *     i64 ctime ns, u64 names, u64 bytes of names,
 *     the names, each followed by a NUL, then
 *     u64 pp_hash64() of everything before it
 *
 * Every name must be one that listing the folder could give (an episode
 * file's name, without '/'), in strictly increasing order; anything amiss
 * and the folder is read, and the file replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "epcache.h"
#include "listing.h"
#include "podpub/strbuf.h"

#define NAMES_MAGIC "podpub-names\n\0\0"
#define NAMES_FORMAT 1
#define NAMES_HEAD 88
#define NAMES_MAX_BYTES (64u << 20)

struct dir_stamp {
    uint64_t dev, ino;
    int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

static void stamp_of(struct dir_stamp *s, const struct stat *st)
{
    memset(s, 0, sizeof(*s));
    s->dev = (uint64_t)st->st_dev;
    s->ino = (uint64_t)st->st_ino;
    s->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    s->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
    s->ctime_sec = (int64_t)st->st_ctim.tv_sec;
    s->ctime_nsec = (int64_t)st->st_ctim.tv_nsec;
}

bool episode_file_name(const char *name)
{
    return name[0] != '.' && !strchr(name, '/') && ends_with(name, ".md");
}

static void free_names(char **names, size_t nr)
{
    for (size_t i = 0; i < nr; i++)
        free(names[i]);
    free(names);
}

/*
 * The kept listing into 'names' when it was made of the folder as 'now'
 * is; false (nothing kept) when it is missing, damaged or stale.
 */
static bool kept_listing(const struct dir_stamp *now, char ***names,
                         size_t *nr)
{
    struct strbuf sb = STRBUF_INIT;
    const unsigned char *p;
    const char *s, *end;
    uint32_t format, order;
    uint64_t count, bytes, sum;
    struct dir_stamp was;
    char **out = NULL;
    size_t got = 0;
    struct stat st;
    int fd = open(PP_EPISODE_NAMES, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
                  O_CLOEXEC);

    if (fd < 0)
        return false;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_size < NAMES_HEAD + 8 || st.st_size > NAMES_MAX_BYTES)
        goto miss;
    strbuf_grow(&sb, (size_t)st.st_size);
    while (sb.len < (size_t)st.st_size) {
        ssize_t n = read(fd, sb.buf + sb.len, (size_t)st.st_size - sb.len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto miss;
        sb.len += (size_t)n;
    }
    close(fd);
    fd = -1;
    p = (const unsigned char *)sb.buf;
    memcpy(&format, p + 16, 4);
    memcpy(&order, p + 20, 4);
    memcpy(&was, p + 24, sizeof(was));
    memcpy(&count, p + 72, 8);
    memcpy(&bytes, p + 80, 8);
    memcpy(&sum, p + sb.len - 8, 8);
    if (memcmp(p, NAMES_MAGIC, 16) || format != NAMES_FORMAT ||
        order != 0x01020304u || bytes != sb.len - NAMES_HEAD - 8 ||
        count > bytes / 5 || sum != pp_hash64(p, sb.len - 8, 0))
        goto miss;
    if (memcmp(&was, now, sizeof(was)))
        goto miss;      /* another folder, or changed since */
    s = sb.buf + NAMES_HEAD;
    end = s + bytes;
    out = xcalloc(count ? (size_t)count : 1, sizeof(*out));
    while (s < end) {
        const char *nul = memchr(s, '\0', (size_t)(end - s));

        if (!nul || got == count || !episode_file_name(s) ||
            (got && strcmp(out[got - 1], s) >= 0))
            goto miss;
        out[got++] = xstrndup(s, (size_t)(nul - s));
        s = nul + 1;
    }
    if (got != count)
        goto miss;
    strbuf_release(&sb);
    *names = out;
    *nr = got;
    return true;
miss:
    if (fd >= 0)
        close(fd);
    free_names(out, got);
    strbuf_release(&sb);
    return false;
}

/* Keeps the listing 'names' of the folder stamped 's'; best effort. */
static void keep_listing(const struct dir_stamp *s, char **names, size_t nr)
{
    struct strbuf sb = STRBUF_INIT;
    unsigned char head[NAMES_HEAD] = { 0 };
    uint32_t format = NAMES_FORMAT, order = 0x01020304u;
    uint64_t count = nr, bytes, sum;

    strbuf_add(&sb, head, sizeof(head));
    for (size_t i = 0; i < nr; i++)
        strbuf_add(&sb, names[i], strlen(names[i]) + 1);
    bytes = sb.len - NAMES_HEAD;
    memcpy(head, NAMES_MAGIC, 16);
    memcpy(head + 16, &format, 4);
    memcpy(head + 20, &order, 4);
    memcpy(head + 24, s, sizeof(*s));
    memcpy(head + 72, &count, 8);
    memcpy(head + 80, &bytes, 8);
    memcpy(sb.buf, head, sizeof(head));
    sum = pp_hash64(sb.buf, sb.len, 0);
    strbuf_add(&sb, &sum, sizeof(sum));
    /*
     * A listing not kept costs the next build a reading of the folder,
     * nothing else; the episode cache already says when .podpub/ cannot
     * be written.
     */
    if (mkdir(".podpub", 0755) == 0 || errno == EEXIST)
        write_file_atomic(PP_EPISODE_NAMES, sb.buf, sb.len);
    strbuf_release(&sb);
}

/* The one error of reading the folder: PP_ERR_IO, printed. */
static int unreadable(int err)
{
    return errorf(PP_ERR_IO, "cannot read '%s/': %s", PP_EPISODES_DIR,
                  strerror(err));
}

int episode_listing(bool keep, char ***names, size_t *nr, bool *kept)
{
    int fd = open(PP_EPISODES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct timespec now;
    struct dir_stamp stamp;
    struct stat st;
    struct dirent *de;
    size_t alloc = 0;
    DIR *d;

    *names = NULL;
    *nr = 0;
    *kept = false;
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;   /* a show without episodes yet */
        return errorf(errno == ENOTDIR ? PP_ERR_INPUT : PP_ERR_IO,
                      "cannot read '%s/': %s", PP_EPISODES_DIR,
                      strerror(errno));
    }
    clock_gettime(CLOCK_REALTIME, &now);
    if (fstat(fd, &st) < 0) {
        int err = errno;

        close(fd);
        return unreadable(err);
    }
    stamp_of(&stamp, &st);
    if (keep && kept_listing(&stamp, names, nr)) {
        close(fd);
        *kept = true;
        return 0;
    }
    if (!(d = fdopendir(fd))) {
        int err = errno;

        close(fd);
        return unreadable(err);
    }
    errno = 0;
    while ((de = readdir(d))) {
        if (episode_file_name(de->d_name)) {
            ALLOC_GROW(*names, *nr + 1, alloc);
            (*names)[(*nr)++] = xstrdup(de->d_name);
        }
        errno = 0;
    }
    if (errno) {
        int err = errno;

        closedir(d);
        free_names(*names, *nr);
        *names = NULL;
        *nr = 0;
        return unreadable(err);
    }
    closedir(d);
    if (*nr)
        qsort(*names, *nr, sizeof(**names), cmp_strings);
    if (keep && stamp.ctime_sec <= (int64_t)now.tv_sec - EPCACHE_SETTLE_S)
        keep_listing(&stamp, *names, *nr);
    return 0;
}
