/*
 * `podpub serve`: build the show for http://ADDR:PORT/ into a temporary
 * folder, serve it with libmicrohttpd, rebuild on every change.
 *
 * Each build goes into a folder of its own (TMP/1, TMP/2, ...). A build
 * that succeeds becomes the served "site": a sorted table from URL path
 * to local file and MIME type, holding what the build wrote and the
 * files its feed and page point at (audio, artwork, transcripts, served
 * from the show's own folders as a web server would serve them). Nothing
 * else in the show is reachable: no podcast.yaml, no episode files. A
 * failed build changes nothing, so the last good one stays served.
 *
 * libmicrohttpd answers on its own thread; the site is swapped under a
 * write lock, and a request holds the read lock only while it looks its
 * file up and opens it (an open file stays readable after the folder it
 * was in is removed).
 */
#define _XOPEN_SOURCE 700   /* nftw(): walking our own temporary folders */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "podpub/media.h"
#include "podpub/serve.h"
#include "podpub/strbuf.h"

/* A change is built once the show has been quiet this long... */
#define SETTLE_MS 120
/* ...or this long after the first event, whichever comes first. */
#define SETTLE_MAX_MS 400

struct route {
    char *path;             /* "/001-milas.mp3", as requested (decoded) */
    char *file;             /* "episodes/001-milas.mp3" or TMP/3/feed.xml */
    const char *type;       /* static MIME type */
};

struct site {
    char *dir;              /* the build's folder */
    struct route *items;
    size_t nr, alloc;
};

struct watch {
    int wd;
    char *path;
};

struct serve {
    struct serve_opts opts;
    struct MHD_Daemon *mhd;
    int listen_fd;
    char *tmp;              /* the temporary folder, removed at the end */
    char *url;
    unsigned gen;           /* builds so far */
    pthread_rwlock_t lock;  /* guards 'site' */
    struct site *site;      /* NULL until a build succeeds */
    int inotify;
    struct watch *watches;
    size_t watches_nr, watches_alloc;
};

/* Rules that only say the show is served from here, not how it is. */
static const char *const serve_ignore[] = { "url.https", "pi.guid.mismatch" };

/* --- the site ----------------------------------------------------------- */

/* The Content-Type of 'name', as publishing uploads it (any case). */
static const char *type_by_name(const char *name)
{
    const struct media_type *m = media_of_name(name);

    return m ? m->content_type : "application/octet-stream";
}

/* Adds 'path' -> 'file' unless 'path' is taken (the first one wins). */
static void site_add(struct site *site, const char *path, const char *file,
                     const char *type)
{
    struct route *r;

    for (size_t i = 0; i < site->nr; i++)
        if (!strcmp(site->items[i].path, path))
            return;
    ALLOC_GROW(site->items, site->nr + 1, site->alloc);
    r = &site->items[site->nr++];
    r->path = xstrdup(path);
    r->file = xstrdup(file);
    r->type = type ? type : type_by_name(file);
}

/* 'rel' (relative to the show's base_url) -> "/rel". */
static void site_add_rel(struct site *site, const char *rel, const char *file,
                         const char *type)
{
    char *path;

    if (!rel || !file)
        return;
    path = xstrfmt("/%s", rel);
    site_add(site, path, file, type);
    free(path);
}

static int cmp_route(const void *a, const void *b)
{
    return strcmp(((const struct route *)a)->path,
                  ((const struct route *)b)->path);
}

static void site_free(struct site *site);

/* nftw() has no context argument: the site being filled. */
static _Thread_local struct site *walk_site;

static int add_built(const char *file, const struct stat *st, int flag,
                     struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_F && !ends_with(file, ".tmp")) {
        char *path = xstrfmt("/%s", file + strlen(walk_site->dir) + 1);

        site_add(walk_site, path, file, NULL);
        free(path);
    }
    return 0;
}

/* The site of a successful build into 'dir'. */
static struct site *site_make(const char *dir, const struct show *show,
                              const struct build_result *res)
{
    struct site *site = xcalloc(1, sizeof(*site));
    char *index = xstrfmt("%s/index.html", dir);

    site->dir = xstrdup(dir);
    site_add(site, "/", index, NULL);
    walk_site = site;
    nftw(dir, add_built, 16, FTW_PHYS);
    walk_site = NULL;
    site_add_rel(site, show->image.s, show->image_path, NULL);
    for (size_t i = 0; i < res->live_nr; i++) {
        const struct episode *ep = res->live[i];

        site_add_rel(site, ep->audio.s, ep->audio_path, ep->media.mime);
        site_add_rel(site, ep->transcript.s, ep->transcript_path,
                     ep->transcript_type);
        site_add_rel(site, ep->image.s, ep->image_path, NULL);
    }
    qsort(site->items, site->nr, sizeof(*site->items), cmp_route);
    free(index);
    return site;
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Removes 'dir' and everything below it (our own temporary files). */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void site_free(struct site *site)
{
    if (!site)
        return;
    remove_tree(site->dir);
    for (size_t i = 0; i < site->nr; i++) {
        free(site->items[i].path);
        free(site->items[i].file);
    }
    free(site->items);
    free(site->dir);
    free(site);
}

/* --- answering requests ------------------------------------------------ */

/*
 * Parses a Range header for a file of 'size' bytes (RFC 9110 14.1.2).
 * Returns 1 with [*first, *last] for one satisfiable range, 0 to answer
 * the whole file (no header, several ranges, or one that is not bytes),
 * -1 for 416.
 */
static int parse_range(const char *h, uint64_t size, uint64_t *first,
                       uint64_t *last)
{
    char *end;
    unsigned long long a, b;

    if (!h || !starts_with(h, "bytes=") || strchr(h, ','))
        return 0;
    h += 6;
    if (*h == '-') {            /* the last N bytes */
        if (h[1] < '0' || h[1] > '9')
            return 0;
        errno = 0;
        b = strtoull(h + 1, &end, 10);
        if (*end || errno)
            return 0;
        if (!b || !size)
            return -1;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return 1;
    }
    if (*h < '0' || *h > '9')
        return 0;
    errno = 0;
    a = strtoull(h, &end, 10);
    if (*end != '-' || errno)
        return 0;
    h = end + 1;
    b = UINT64_MAX;
    if (*h) {
        if (*h < '0' || *h > '9')
            return 0;
        b = strtoull(h, &end, 10);
        if (*end || errno || b < a)
            return 0;
    }
    if (a >= size)
        return -1;
    *first = a;
    *last = b >= size ? size - 1 : b;
    return 1;
}

static enum MHD_Result answer_text(struct MHD_Connection *c,
                                   unsigned status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; charset=utf-8");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/*
 * Looks 'path' up in the served site and opens its file: the descriptor,
 * or -1 with '*status' (404, or 503 before the first good build).
 */
static int open_route(struct serve *s, const char *path, const char **type,
                      unsigned *status)
{
    struct route key = { .path = (char *)path }, *r;
    int fd = -1;

    pthread_rwlock_rdlock(&s->lock);
    if (s->site && (r = bsearch(&key, s->site->items, s->site->nr,
                                sizeof(*r), cmp_route)) &&
        (fd = open(r->file, O_RDONLY | O_CLOEXEC)) >= 0)
        *type = r->type;
    else
        *status = s->site ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE;
    pthread_rwlock_unlock(&s->lock);
    return fd;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **req)
{
    struct serve *s = cls;
    struct MHD_Response *r;
    const char *type = NULL;
    unsigned status = MHD_HTTP_OK;
    uint64_t size, first = 0, last = 0;
    struct stat st;
    enum MHD_Result ret;
    int fd, range;

    (void)version;
    (void)upload;
    (void)upload_size;
    (void)req;
    if (strcmp(method, MHD_HTTP_METHOD_GET) &&
        strcmp(method, MHD_HTTP_METHOD_HEAD))
        return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                           "podpub serve answers GET and HEAD only\n");
    fd = open_route(s, url, &type, &status);
    if (fd < 0)
        return answer_text(c, status, status == MHD_HTTP_NOT_FOUND ?
                           "not in the show\n" :
                           "no good build yet: see podpub serve's output\n");
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return answer_text(c, MHD_HTTP_NOT_FOUND, "not in the show\n");
    }
    size = (uint64_t)st.st_size;
    range = parse_range(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_RANGE),
                        size, &first, &last);
    if (range < 0) {
        char cr[48];

        close(fd);
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        snprintf(cr, sizeof(cr), "bytes */%" PRIu64, size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        ret = MHD_queue_response(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (range == 0)
        last = size ? size - 1 : 0;
    /* libmicrohttpd closes 'fd' when it is done with the response. */
    r = MHD_create_response_from_fd_at_offset64(
        size ? last - first + 1 : 0, fd, first);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    if (range > 0) {
        char cr[80];

        snprintf(cr, sizeof(cr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
                 first, last, size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        status = MHD_HTTP_PARTIAL_CONTENT;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    /* A preview changes under the listener: never serve a stale copy. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* --- building ------------------------------------------------------------ */

static void rebuild(struct serve *s)
{
    char *dir = xstrfmt("%s/%u", s->tmp, ++s->gen);
    struct build_opts bo = {
        .out_dir = dir,
        .now = s->opts.fixed_time ? s->opts.at : (int64_t)time(NULL),
        .ignore = serve_ignore,
        .ignore_nr = ARRAY_SIZE(serve_ignore),
        .base_url = s->url,
    };
    struct show show = { 0 };
    struct build_result res;
    struct site *old = NULL;
    int ret = build_show(&bo, &show, &res);

    if (ret == 0) {
        struct site *site = site_make(dir, &show, &res);

        pthread_rwlock_wrlock(&s->lock);
        old = s->site;
        s->site = site;
        pthread_rwlock_unlock(&s->lock);
    }
    if (s->opts.built)
        s->opts.built(ret, &res, &show, ret < 0 && s->site, s->opts.ctx);
    build_result_release(&res);
    show_release(&show);
    if (ret < 0)
        remove_tree(dir);   /* whatever a failed build left */
    site_free(old);
    free(dir);
}

/* --- watching ------------------------------------------------------------ */

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
                    IN_CREATE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR)

static void watch_add(struct serve *s, const char *path, uint32_t mask)
{
    int wd = inotify_add_watch(s->inotify, path, mask);

    if (wd < 0)
        return;     /* gone already, or not a folder: nothing to watch */
    for (size_t i = 0; i < s->watches_nr; i++)
        if (s->watches[i].wd == wd)
            return;
    ALLOC_GROW(s->watches, s->watches_nr + 1, s->watches_alloc);
    s->watches[s->watches_nr].wd = wd;
    s->watches[s->watches_nr++].path = xstrdup(path);
}

static _Thread_local struct serve *walk_serve;

static int add_dir(const char *path, const struct stat *st, int flag,
                   struct FTW *ftw)
{
    (void)st;
    /* Hidden folders (an editor's) are not the show's. */
    if (flag == FTW_D && !(ftw->level > 0 && path[ftw->base] == '.'))
        watch_add(walk_serve, path, WATCH_MASK);
    return 0;
}

/* Watches 'dir' and every folder below it. */
static void watch_tree(struct serve *s, const char *dir)
{
    walk_serve = s;
    nftw(dir, add_dir, 16, FTW_PHYS);
    walk_serve = NULL;
}

static const char *watch_path(const struct serve *s, int wd)
{
    for (size_t i = 0; i < s->watches_nr; i++)
        if (s->watches[i].wd == wd)
            return s->watches[i].path;
    return NULL;
}

/*
 * Reads what inotify has; true when something of the show changed (not
 * a hidden file or an editor's backup). New folders are watched too.
 */
static bool read_events(struct serve *s)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    ssize_t n;

    while ((n = read(s->inotify, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const void *)p;
            const char *dir = watch_path(s, ev->wd);
            const char *name = ev->len ? ev->name : "";

            p += sizeof(*ev) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                changed = true;
                continue;
            }
            if (!dir || name[0] == '.' || ends_with(name, "~"))
                continue;
            if (!strcmp(dir, ".")) {
                /* The show's own folder: only feed/ or episodes/ appearing. */
                if ((ev->mask & IN_ISDIR) && (!strcmp(name, PP_SHOW_DIR) ||
                                              !strcmp(name, PP_EPISODES_DIR))) {
                    watch_tree(s, name);
                    changed = true;
                }
                continue;
            }
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
                char *sub = xstrfmt("%s/%s", dir, name);

                watch_tree(s, sub);
                free(sub);
            }
            changed = true;
        }
    }
    return changed;
}

static long long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int serve_run(struct serve *s, volatile sig_atomic_t *stop)
{
    struct pollfd pfd = { .fd = s->inotify, .events = POLLIN };

    rebuild(s);
    while (!*stop) {
        long long first;

        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return errorf(PP_ERR_IO, "cannot watch the show: %s",
                          strerror(errno));
        }
        if (!read_events(s))
            continue;
        /* An editor's save is several events: wait until it is quiet. */
        first = now_ms();
        while (!*stop) {
            long long left = first + SETTLE_MAX_MS - now_ms();
            int r;

            if (left <= 0)
                break;
            r = poll(&pfd, 1, left < SETTLE_MS ? (int)left : SETTLE_MS);
            if (r == 0)
                break;
            if (r > 0)
                read_events(s);
        }
        if (!*stop)
            rebuild(s);
    }
    return 0;
}

/* --- starting and stopping ---------------------------------------------- */

/* A listening socket on 'addr':'port'; -1 with the reason printed. */
static int listen_on(const char *addr, unsigned port, unsigned *bound,
                     int *ret)
{
    struct sockaddr_storage ss = { 0 };
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    socklen_t len;
    int fd, one = 1;

    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        len = sizeof(*in4);
    } else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        len = sizeof(*in6);
    } else {
        *ret = errorf(PP_ERR_USAGE, "--bind: '%s' is not an IPv4 or IPv6 "
                      "address", addr);
        return -1;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        *ret = errorf(PP_ERR_IO, "cannot listen on %s port %u: %s", addr,
                      port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *bound = ntohs(ss.ss_family == AF_INET ? in4->sin_port : in6->sin6_port);
    return fd;
}

int serve_start(const struct serve_opts *opts, struct serve **out)
{
    struct serve *s = xcalloc(1, sizeof(*s));
    const char *tmpdir = getenv("TMPDIR");
    unsigned port = 0;
    char *host;
    int ret = 0;

    s->opts = *opts;
    s->listen_fd = -1;
    s->inotify = -1;
    pthread_rwlock_init(&s->lock, NULL);
    *out = NULL;
    if ((s->listen_fd = listen_on(opts->bind, opts->port, &port, &ret)) < 0)
        goto fail;
    /* Listening on every address: the show is still built for loopback. */
    if (!strcmp(opts->bind, "0.0.0.0") || !strcmp(opts->bind, "::"))
        host = xstrdup("127.0.0.1");
    else if (strchr(opts->bind, ':'))
        host = xstrfmt("[%s]", opts->bind);
    else
        host = xstrdup(opts->bind);
    s->url = xstrfmt("http://%s:%u/", host, port);
    free(host);
    s->tmp = xstrfmt("%s/podpub-serve-XXXXXX",
                     tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(s->tmp)) {
        ret = errorf(PP_ERR_IO, "cannot create a temporary folder '%s': %s",
                     s->tmp, strerror(errno));
        FREE_AND_NULL(s->tmp);
        goto fail;
    }
    s->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->inotify < 0) {
        ret = errorf(PP_ERR_IO, "cannot watch the show (inotify): %s",
                     strerror(errno));
        goto fail;
    }
    watch_add(s, ".", IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
    watch_tree(s, PP_SHOW_DIR);
    watch_tree(s, PP_EPISODES_DIR);
    s->mhd = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL,
                              answer, s,
                              MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
                              MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                              MHD_OPTION_END);
    if (!s->mhd) {
        ret = errorf(PP_ERR_IO, "cannot start the web server on %s",
                     s->url);
        goto fail;
    }
    *out = s;
    return 0;
fail:
    serve_free(s);
    return ret;
}

const char *serve_url(const struct serve *s)
{
    return s->url;
}

void serve_free(struct serve *s)
{
    if (!s)
        return;
    if (s->mhd)
        MHD_stop_daemon(s->mhd);   /* it closes the listening socket */
    else if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->inotify >= 0)
        close(s->inotify);
    site_free(s->site);
    if (s->tmp)
        remove_tree(s->tmp);
    for (size_t i = 0; i < s->watches_nr; i++)
        free(s->watches[i].path);
    free(s->watches);
    pthread_rwlock_destroy(&s->lock);
    free(s->tmp);
    free(s->url);
    free(s);
}
