/*
 * `podpub publish`: the order of things is the safety. Build and check;
 * read the remote manifest and the live feed and refuse to drop or
 * re-identify what listeners have; if anything differs, take the lock;
 * upload what changed (in parallel, with retries); write the manifest;
 * replace the feed last; prune; release the lock; notify. A failure
 * before the feed leaves the old feed live, and everything it names is
 * still there.
 *
 * Trust: the manifest, the lock and the live feed are read from storage
 * others may write to. Every key taken from them passes key_valid()
 * first (a manifest with one bad key is refused whole); --prune deletes
 * only manifest entries of episodes that left the show; every local file
 * is opened inside the show's roots and uploaded exactly as hashed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "manifest.h"
#include "podpub/feedread.h"
#include "podpub/json.h"
#include "podpub/publish.h"
#include "target.h"

#define HASH_CACHE ".podpub/hash-cache"
#define MULTIPART_OVER (64u << 20)
/* The live feed podpub compares with is read up to this size. */
#define LIVE_FEED_MAX (64u << 20)

struct plan {
    struct pfile *files;
    size_t nr, alloc;
    struct pfile *feed;         /* files[nr - 1]: always last */
    size_t uploads;             /* files with a reason */
    uint64_t upload_bytes;
    char **remove;              /* --prune: keys no longer in the show */
    bool *removed;              /* which of them were removed */
    size_t remove_nr;
};

/* --- what goes where -------------------------------------------------- */

static const struct {
    const char *ext, *type;
} types[] = {
    { ".mp3", "audio/mpeg" }, { ".m4a", "audio/x-m4a" },
    { ".m4b", "audio/x-m4a" }, { ".mp4", "audio/mp4" },
    { ".aac", "audio/aac" },
    { ".ogg", "audio/ogg" }, { ".oga", "audio/ogg" },
    { ".opus", "audio/opus" }, { ".flac", "audio/flac" },
    { ".wav", "audio/wav" }, { ".jpg", "image/jpeg" },
    { ".jpeg", "image/jpeg" }, { ".png", "image/png" },
    { ".vtt", "text/vtt; charset=utf-8" },
    { ".srt", "application/x-subrip; charset=utf-8" },
    { ".txt", "text/plain; charset=utf-8" },
    { ".html", "text/html; charset=utf-8" },
    { ".xml", "application/rss+xml; charset=utf-8" },
    { ".json", "application/json; charset=utf-8" },
};

static const char *type_of(const char *key)
{
    if (starts_with(key, "chapters/"))
        return "application/json+chapters; charset=utf-8";
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (ends_with(key, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/*
 * Adds 'key' (a copy) from the local file 'local' to the plan, for the
 * episode 'guid' (NULL: the show's). Returns 0, or PP_ERR_INPUT for a
 * name that cannot be published (printed).
 */
static int plan_add(struct plan *p, const char *key, const char *local,
                    const char *guid)
{
    struct pfile *f;
    const char *why;

    if (!key_valid(key, strlen(key), &why)) {
        char *shown = printable(key, 200);
        int ret = errorf(PP_ERR_INPUT, "'%s' cannot be published under that "
                         "name: it has %s", shown, why);

        free(shown);
        return ret;
    }
    for (size_t i = 0; i < p->nr; i++)
        if (!strcmp(p->files[i].key, key))
            return 0;   /* one file named twice (a shared cover) */
    ALLOC_GROW(p->files, p->nr + 1, p->alloc);
    f = &p->files[p->nr++];
    memset(f, 0, sizeof(*f));
    f->key = xstrdup(key);
    f->local = xstrdup(local);
    f->guid = guid;
    f->type = type_of(key);
    /* Feeds and pages change; media under a name rarely do. */
    f->cache = ends_with(key, ".xml") || ends_with(key, ".html") ?
               "public, max-age=300" : "public, max-age=86400";
    return 0;
}

static void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nr; i++) {
        free(p->files[i].key);
        free(p->files[i].local);
    }
    free(p->files);
    for (size_t i = 0; i < p->remove_nr; i++)
        free(p->remove[i]);
    free(p->remove);
    free(p->removed);
    memset(p, 0, sizeof(*p));
}

/*
 * The key under the target of the public URL 'url', when it lies under
 * 'base' (percent-escapes decoded): a copy the caller frees, or NULL for
 * a URL elsewhere or a name key_valid() refuses.
 */
static char *key_of_url(const char *base, const char *url)
{
    size_t n = strlen(base);
    char *key, *dec;
    int len = 0;
    CURL *h;

    if (!url || strncmp(url, base, n) || !url[n])
        return NULL;
    if (!(h = curl_easy_init()))
        die("cannot create a libcurl handle");
    dec = curl_easy_unescape(h, url + n, 0, &len);
    curl_easy_cleanup(h);
    if (!dec)
        die("out of memory");
    key = len > 0 && key_valid(dec, (size_t)len, NULL) ?
          xstrndup(dec, (size_t)len) : NULL;
    curl_free(dec);
    return key;
}

/*
 * The feed's key: feed_url relative to base_url, else "feed.xml". A
 * feed_url whose path leaves the target ("../other/feed.xml") is
 * refused. The caller frees the key.
 */
static int feed_key(const struct show *show, char **key)
{
    const char *url = show->feed_url.s, *base = show->base_url.s;

    *key = NULL;
    if (!url || !starts_with(url, base) || !url[strlen(base)]) {
        *key = xstrdup("feed.xml");
        return 0;
    }
    *key = key_of_url(base, url);
    if (!*key || !strncmp(*key, ".podpub/", 8)) {
        char *shown = printable(url, 200);
        int ret = input_error(&show->feed_url.pos, "feed_url", "\"%s\" "
                              "cannot be published: its path under base_url "
                              "must be a plain relative name (no '.', '..', "
                              "'//', backslash or .podpub/)", shown);

        free(shown);
        FREE_AND_NULL(*key);
        return ret;
    }
    return 0;
}

/* Everything public: the built files, the live episodes' media, the art. */
static int plan_files(struct plan *p, const struct publish_opts *o,
                      const struct show *show,
                      const struct build_result *res, const char *fkey)
{
    char *local, *key;
    int ret = 0;

#define ADD(k, l, g) do { if (plan_add(p, k, l, g) < 0) ret = PP_ERR_INPUT; \
                     } while (0)
    for (size_t i = 0; i < res->live_nr; i++) {
        const struct episode *ep = res->live[i];
        const char *guid = ep->guid.s;

        ADD(ep->audio.s, ep->audio_path, guid);
        if (ep->transcript.s)
            ADD(ep->transcript.s, ep->transcript_path, guid);
        if (ep->image.s)
            ADD(ep->image.s, ep->image_path, guid);
        if (ep->chapters_nr) {
            key = xstrfmt("chapters/%s.json", ep->name);
            local = xstrfmt("%s/%s", o->out_dir, key);
            ADD(key, local, guid);
            free(local);
            free(key);
        }
    }
    if (show->image.s)
        ADD(show->image.s, show->image_path, NULL);
    local = xstrfmt("%s/index.html", o->out_dir);
    ADD("index.html", local, NULL);
    free(local);
    if (res->archive_path)
        ADD("feed-all.xml", res->archive_path, NULL);
    ADD(fkey, res->feed_path, NULL);
#undef ADD
    p->feed = &p->files[p->nr - 1];
    return ret;
}

/* --- the local hash cache ------------------------------------------- */

/*
 * SHA-256 of every file, from .podpub/hash-cache when path, size, mtime
 * and inode match (hashing a large show's audio each run would be slow).
 * Each file is opened inside 'roots' and what it is (device, inode, size,
 * time) is recorded: the upload must send that same file.
 */
static int hash_files(struct plan *p, const struct path_roots *roots,
                      bool save)
{
    struct strbuf cache = STRBUF_INIT, out = STRBUF_INIT;
    int ret = 0;

    if (access(HASH_CACHE, F_OK) == 0 &&
        strbuf_read_file(&cache, HASH_CACHE, 64u << 20) < 0)
        strbuf_reset(&cache);   /* unreadable: everything is hashed again */
    for (size_t i = 0; i < p->nr && ret == 0; i++) {
        struct pfile *f = &p->files[i];
        struct confined_file cf;
        enum confine c = file_open_confined(f->local, roots, &cf);
        char *line;
        const char *hit;

        if (c != CONFINED) {
            char *why = confine_reason(c, f->local, &cf);

            ret = errorf(c == CONFINE_ERRNO ? PP_ERR_IO : PP_ERR_INPUT,
                         "%s", why);
            free(why);
            confined_close(&cf);
            break;
        }
        f->size = (uint64_t)cf.st.st_size;
        f->dev = cf.st.st_dev;
        f->ino = cf.st.st_ino;
        f->mtime = cf.st.st_mtim;
        line = xstrfmt("%s\t%" PRIu64 "\t%lld\t%ld\t%llu\t", f->local,
                       f->size, (long long)cf.st.st_mtim.tv_sec,
                       cf.st.st_mtim.tv_nsec,
                       (unsigned long long)cf.st.st_ino);
        hit = strstr(cache.buf, line);
        if (hit && (hit == cache.buf || hit[-1] == '\n') &&
            strlen(hit + strlen(line)) >= 64 &&
            hit[strlen(line) + 64] == '\n') {
            memcpy(f->sha256, hit + strlen(line), 64);
            f->sha256[64] = '\0';
        } else {
            ret = fd_sha256(cf.fd, f->local, f->size, f->sha256);
        }
        confined_close(&cf);
        if (ret == 0)
            strbuf_addf(&out, "%s%s\n", line, f->sha256);
        free(line);
    }
    if (ret == 0 && save && strcmp(out.buf, cache.buf)) {
        mkdir(".podpub", 0755);
        if (write_file_atomic(HASH_CACHE, out.buf, out.len) < 0)
            warnf("the hash cache was not saved");
    }
    strbuf_release(&cache);
    strbuf_release(&out);
    return ret;
}

/* --- lookups ----------------------------------------------------------- */

/*
 * A sorted index of strings (guids, URLs, keys), each with the position
 * it came from: the live feed and the manifest are as long as someone
 * else made them, so comparing them with the show is O(n log n), never
 * one against all.
 */
struct sindex {
    struct sentry {
        const char *s;
        size_t at;
    } *items;
    size_t nr;
};

static int cmp_sentry(const void *a, const void *b)
{
    const struct sentry *x = a, *y = b;
    int c = strcmp(x->s, y->s);

    return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Indexes the non-NULL strings get(ctx, i) for i below 'nr'. */
static void sindex_build(struct sindex *ix, size_t nr,
                         const char *(*get)(const void *ctx, size_t i),
                         const void *ctx)
{
    ix->items = xcalloc(nr + 1, sizeof(*ix->items));
    ix->nr = 0;
    for (size_t i = 0; i < nr; i++) {
        const char *s = get(ctx, i);

        if (s)
            ix->items[ix->nr++] = (struct sentry){ s, i };
    }
    if (ix->nr)
        qsort(ix->items, ix->nr, sizeof(*ix->items), cmp_sentry);
}

/* The position of the first 's', or -1. */
static long sindex_find(const struct sindex *ix, const char *s)
{
    size_t lo = 0, hi = ix->nr;

    if (!s)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(ix->items[mid].s, s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nr && !strcmp(ix->items[lo].s, s) ?
           (long)ix->items[lo].at : -1;
}

static void sindex_release(struct sindex *ix)
{
    free(ix->items);
    ix->items = NULL;
    ix->nr = 0;
}

static const char *ep_guid(const void *ctx, size_t i)
{
    return ((struct episode *const *)ctx)[i]->guid.s;
}

static const char *ep_url(const void *ctx, size_t i)
{
    return ((struct episode *const *)ctx)[i]->enclosure_url;
}

static const char *live_guid(const void *ctx, size_t i)
{
    return ((const struct show *)ctx)->episodes[i].guid.s;
}

static const char *plan_key(const void *ctx, size_t i)
{
    return ((const struct plan *)ctx)->files[i].key;
}

/* --- the guard: what listeners already have ---------------------------- */

struct diff {
    size_t added, changed_notes, removed, guid_changed, url_changed;
    struct strbuf refusals;
};

static void compare_feeds(const struct show *live,
                          const struct build_result *res,
                          const struct publish_opts *o, struct diff *d)
{
    struct sindex guids, urls, old_guids;

    sindex_build(&guids, res->live_nr, ep_guid, res->live);
    sindex_build(&urls, res->live_nr, ep_url, res->live);
    sindex_build(&old_guids, live->nr, live_guid, live);
    for (size_t i = 0; i < live->nr; i++) {
        const struct episode *old = &live->episodes[i];
        long at = sindex_find(&guids, old->guid.s);
        const struct episode *now = at >= 0 ? res->live[at] : NULL;
        /* The live feed is read from the target: escape what it says. */
        char *t = printable(old->title.s ? old->title.s : "(untitled)", 80);
        char *g = printable(old->guid.s ? old->guid.s : "(none)", 120);
        char *u = old->enclosure_url ? printable(old->enclosure_url, 200)
                                     : NULL;

        if (now) {
            if (old->enclosure_url && now->enclosure_url &&
                strcmp(old->enclosure_url, now->enclosure_url)) {
                d->url_changed++;
                if (!o->allow_guid_change)
                    strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                                "change its audio URL from %s to %s\n", t,
                                g, u, now->enclosure_url);
            } else if (old->description.s && *now->notes.html &&
                       strcmp(old->description.s, now->notes.html)) {
                d->changed_notes++;
            }
            goto next;
        }
        /* Gone, or the same audio under a new guid? */
        at = sindex_find(&urls, old->enclosure_url);
        now = at >= 0 ? res->live[at] : NULL;
        if (now) {
            d->guid_changed++;
            if (!o->allow_guid_change)
                strbuf_addf(&d->refusals, "  \"%s\" would change its guid "
                            "from %s to %s (%s): every app would download "
                            "it again as a new episode\n", t, g,
                            now->guid.s, now->path);
        } else {
            d->removed++;
            if (!o->allow_removal)
                strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                            "disappear from the feed\n", t, g);
        }
next:
        free(t);
        free(g);
        free(u);
    }
    for (size_t i = 0; i < res->feed_nr; i++)
        d->added += sindex_find(&old_guids, res->feed[i]->guid.s) < 0;
    sindex_release(&guids);
    sindex_release(&urls);
    sindex_release(&old_guids);
}

/* --- pruning ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Candidate 'key' for removal: only when podpub published it (it is in
 * the manifest) and the show does not publish it now.
 */
static void candidate(struct plan *p, const struct manifest *m,
                      const struct sindex *planned, const char *key,
                      size_t *alloc)
{
    if (!manifest_find(m, key) || sindex_find(planned, key) >= 0)
        return;
    ALLOC_GROW(p->remove, p->remove_nr + 1, *alloc);
    p->remove[p->remove_nr++] = xstrdup(key);
}

/* The same for the live feed's URL 'url', when it lies under 'base'. */
static void candidate_url(struct plan *p, const struct manifest *m,
                          const struct sindex *planned, const char *base,
                          const char *url, size_t *alloc)
{
    char *key = key_of_url(base, url);

    if (key)
        candidate(p, m, planned, key, alloc);
    free(key);
}

/*
 * What --prune may delete: only files podpub itself published (in the
 * manifest) of episodes that left the feed: an entry whose recorded guid
 * is no episode of the show now, or a file the live feed (before this
 * publish) names for an episode no longer in the show. Never a file the
 * show still publishes, never anything outside the target's prefix
 * (every key is validated), never a file the manifest does not list.
 */
static void plan_prune(struct plan *p, const struct manifest *m,
                       const struct show *live, const struct show *show,
                       const struct build_result *res)
{
    struct sindex now, planned;
    size_t alloc = 0, kept = 0;

    sindex_build(&now, res->live_nr, ep_guid, res->live);
    sindex_build(&planned, p->nr, plan_key, p);
    for (size_t i = 0; i < m->nr; i++)
        if (m->items[i].guid && sindex_find(&now, m->items[i].guid) < 0)
            candidate(p, m, &planned, m->items[i].key, &alloc);
    for (size_t i = 0; live && i < live->nr; i++) {
        const struct episode *old = &live->episodes[i];

        if (!old->guid.s || sindex_find(&now, old->guid.s) >= 0)
            continue;
        candidate_url(p, m, &planned, show->base_url.s, old->enclosure_url,
                      &alloc);
        candidate_url(p, m, &planned, show->base_url.s, old->transcript.s,
                      &alloc);
        candidate_url(p, m, &planned, show->base_url.s, old->image.s,
                      &alloc);
    }
    /* Each key once, in order. */
    if (p->remove_nr)
        qsort(p->remove, p->remove_nr, sizeof(*p->remove), cmp_str);
    for (size_t i = 0; i < p->remove_nr; i++) {
        if (kept && !strcmp(p->remove[kept - 1], p->remove[i]))
            free(p->remove[i]);
        else
            p->remove[kept++] = p->remove[i];
    }
    p->remove_nr = kept;
    sindex_release(&now);
    sindex_release(&planned);
}

/* --- uploading --------------------------------------------------------- */

struct job {
    struct pfile *f;
    CURL *h;
    struct upload_src src;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
    int attempt;
    double not_before;          /* monotonic seconds: retry backoff */
    bool mkcol_tried;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Exponential backoff with jitter: 0.5 s, 1 s, 2 s... +-50%. */
static double backoff(int attempt)
{
    double base = 0.5 * (double)(1 << (attempt < 8 ? attempt : 8));
    double jitter = (double)(random_u32() % 1000) / 1000.0;

    return base * (0.5 + jitter);
}

/*
 * The progress block on a terminal: a bar per running transfer and a
 * total, redrawn in place; erased before anything else is printed.
 */
static int progress_lines;

static void erase_progress(void)
{
    if (progress_lines)
        fprintf(stderr, "\033[%dF\033[J", progress_lines);
    progress_lines = 0;
}

static void report_done(const struct publish_opts *o, const struct pfile *f)
{
    if (o->json || pp_verbosity < 0)
        return;
    if (o->progress) {
        erase_progress();
        fflush(stderr);
    }
    printf("uploaded %s (%" PRIu64 " bytes, %s)\n", f->key, f->size,
           f->reason);
    fflush(stdout);
}

static size_t discard_body(char *d, size_t size, size_t n, void *arg)
{
    (void)d;
    (void)arg;
    return size * n;
}

static int start_job(const struct target *t, const struct publish_opts *o,
                     CURLM *multi, struct job *j)
{
    int ret = upload_open(&j->src, j->f, t->roots);

    if (ret < 0)
        return ret;
    curl_easy_reset(j->h);
    j->errbuf[0] = '\0';
    target_configure(t, j->h, j->errbuf);
    target_setup_put(t, j->h, &j->src, j->f->key, &j->headers);
    /* A stalled server fails the transfer instead of hanging the job. */
    curl_easy_setopt(j->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(j->h, CURLOPT_LOW_SPEED_TIME, o->stall_s);
    curl_easy_setopt(j->h, CURLOPT_PRIVATE, j);
    /* The answer's body is not for stdout; what matters is the status. */
    curl_easy_setopt(j->h, CURLOPT_WRITEFUNCTION, discard_body);
    curl_multi_add_handle(multi, j->h);
    return 0;
}

static void end_job(struct job *j)
{
    upload_close(&j->src);
    curl_slist_free_all(j->headers);
    j->headers = NULL;
}

static void bar(struct strbuf *sb, uint64_t done, uint64_t total)
{
    int width = 24, filled = total ? (int)(done * (uint64_t)width / total) : 0;

    if (filled > width)
        filled = width;
    strbuf_addch(sb, '[');
    for (int i = 0; i < width; i++)
        strbuf_addch(sb, i < filled ? '#' : '-');
    strbuf_addf(sb, "] %3d%%", total ? (int)(done * 100 / total) : 100);
}


static void show_progress(const struct plan *p, const struct job *jobs,
                          int n, uint64_t sent, double t0)
{
    struct strbuf sb = STRBUF_INIT;
    double secs = now_s() - t0;
    double rate = secs > 0 ? (double)sent / secs : 0;
    int lines = 0;

    for (int i = 0; i < n; i++) {
        curl_off_t up = 0;

        if (!jobs[i].f || jobs[i].not_before)
            continue;
        curl_easy_getinfo(jobs[i].h, CURLINFO_SIZE_UPLOAD_T, &up);
        strbuf_addf(&sb, "  %-32.32s ", jobs[i].f->key);
        bar(&sb, (uint64_t)up, jobs[i].f->size);
        strbuf_addch(&sb, '\n');
        lines++;
    }
    strbuf_addstr(&sb, "  total                            ");
    bar(&sb, sent, p->upload_bytes);
    strbuf_addf(&sb, " %.1f of %.1f MB, %.1f MB/s", (double)sent / 1e6,
                (double)p->upload_bytes / 1e6, rate / 1e6);
    if (rate > 0 && p->upload_bytes > sent)
        strbuf_addf(&sb, ", %.0f s left",
                    (double)(p->upload_bytes - sent) / rate);
    strbuf_addch(&sb, '\n');
    erase_progress();
    fputs(sb.buf, stderr);
    fflush(stderr);
    progress_lines = lines + 1;
    strbuf_release(&sb);
}

/*
 * Uploads every planned file but the feed, 'jobs' at once, retrying
 * transient failures with backoff. Stops starting new transfers after
 * the first failure that retries cannot mend.
 */
static int upload_all(const struct target *t, const struct publish_opts *o,
                      struct plan *p)
{
    CURLM *multi;
    struct job *jobs;
    struct pfile **queue = xcalloc(p->nr + 1, sizeof(*queue));
    size_t qnr = 0, next = 0, active = 0;
    uint64_t sent_done = 0;
    int ret = 0, n = o->jobs > 0 ? o->jobs : 4;
    double t0 = now_s(), last_progress = 0;

    for (size_t i = 0; i < p->nr; i++) {
        struct pfile *f = &p->files[i];

        if (!f->reason || f == p->feed)
            continue;
        if (t->kind == TARGET_FILE ||
            (t->kind == TARGET_S3 && f->size > MULTIPART_OVER)) {
            /* Local copies and multipart uploads run one at a time. */
            ret = t->kind == TARGET_FILE ? target_file_put(t, f)
                                         : target_s3_multipart(t, f);
            if (ret < 0)
                goto out_early;
            f->done = true;
            sent_done += f->size;
            report_done(o, f);
            continue;
        }
        queue[qnr++] = f;
    }
    if (!qnr)
        goto out_early;
    if (!(multi = curl_multi_init()))
        die("cannot create a libcurl multi handle");
    jobs = xcalloc((size_t)n, sizeof(*jobs));
    for (int i = 0; i < n; i++) {
        jobs[i].src.fd = -1;
        if (!(jobs[i].h = curl_easy_init()))
            die("cannot create a libcurl handle");
    }
    for (;;) {
        CURLMsg *msg;
        int left, still;

        /* Fill free slots, unless something already failed for good. */
        for (int i = 0; i < n && ret == 0 && next < qnr; i++) {
            if (jobs[i].f)
                continue;
            jobs[i].f = queue[next++];
            jobs[i].attempt = 0;
            jobs[i].not_before = 0;
            jobs[i].mkcol_tried = false;
            if ((ret = start_job(t, o, multi, &jobs[i])) < 0) {
                jobs[i].f = NULL;
                break;
            }
            active++;
        }
        /* Retries whose backoff has run out. */
        for (int i = 0; i < n; i++)
            if (jobs[i].f && jobs[i].not_before &&
                now_s() >= jobs[i].not_before) {
                jobs[i].not_before = 0;
                if (start_job(t, o, multi, &jobs[i]) < 0) {
                    ret = PP_ERR_IO;
                    jobs[i].f = NULL;
                    active--;
                }
            }
        if (!active)
            break;
        curl_multi_perform(multi, &still);
        while ((msg = curl_multi_info_read(multi, &left))) {
            struct job *j;
            long status = 0;
            CURLcode rc;
            bool changed;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                              (char **)&j);
            rc = msg->data.result;
            curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi, j->h);
            changed = rc == CURLE_OK && upload_check(&j->src) < 0;
            end_job(j);
            if (changed) {
                /* Not what was hashed: nothing retried, the feed stays. */
                if (ret == 0)
                    ret = PP_ERR_IO;
                j->f = NULL;
                active--;
            } else if (rc == CURLE_OK && (status < 300 ||
                                          t->kind == TARGET_SFTP ||
                                          t->kind == TARGET_FTP)) {
                j->f->done = true;
                sent_done += j->f->size;
                report_done(o, j->f);
                j->f = NULL;
                active--;
            } else if (t->kind == TARGET_DAV && rc == CURLE_OK &&
                       status == 409 && !j->mkcol_tried) {
                /* A missing collection: make it and try again. */
                j->mkcol_tried = true;
                target_dav_mkcol(t, j->f->key);
                j->not_before = now_s();
            } else if (transient_failure(rc, status) &&
                       j->attempt < o->retries && ret == 0) {
                j->not_before = now_s() + backoff(j->attempt++);
                if (pp_verbosity > 0)
                    warnf("%s%s: retrying (%s)", t->display, j->f->key,
                          rc == CURLE_OK ? "server error" :
                          curl_easy_strerror(rc));
            } else {
                struct strbuf m = STRBUF_INIT;

                describe_failure(&m, t, j->f->key, rc, status, j->errbuf,
                                 NULL);
                if (ret == 0)
                    ret = errorf(PP_ERR_REMOTE, "upload failed: %s", m.buf);
                strbuf_release(&m);
                j->f = NULL;
                active--;
            }
        }
        if (o->progress && now_s() - last_progress > 0.25) {
            uint64_t sent = sent_done;

            for (int i = 0; i < n; i++) {
                curl_off_t up = 0;

                if (jobs[i].f && !jobs[i].not_before &&
                    curl_easy_getinfo(jobs[i].h, CURLINFO_SIZE_UPLOAD_T,
                                      &up) == CURLE_OK)
                    sent += (uint64_t)up;
            }
            show_progress(p, jobs, n, sent, t0);
            last_progress = now_s();
        }
        curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    if (o->progress) {
        erase_progress();
        fflush(stderr);
    }
    for (int i = 0; i < n; i++) {
        if (jobs[i].f)
            curl_multi_remove_handle(multi, jobs[i].h);
        end_job(&jobs[i]);
        curl_easy_cleanup(jobs[i].h);
    }
    free(jobs);
    curl_multi_cleanup(multi);
out_early:
    free(queue);
    return ret;
}

/* --- notify ------------------------------------------------------------ */

static void notify(const struct show *show)
{
    for (size_t i = 0; i < show->notify_nr; i++) {
        const char *hub = show->notify[i].s;
        char errbuf[CURL_ERROR_SIZE] = "";
        CURL *h = curl_easy_init();
        char *enc, *url = NULL, *form = NULL;
        CURLcode rc;
        long status = 0;

        if (!h)
            die("cannot create a libcurl handle");
        enc = curl_easy_escape(h, show->feed_url.s, 0);
        if (strstr(hub, "pubnotify")) {
            /* Podcast Index: a GET naming the feed. */
            url = xstrfmt("%s%curl=%s", hub, strchr(hub, '?') ? '&' : '?',
                          enc);
            curl_easy_setopt(h, CURLOPT_URL, url);
        } else {
            /* WebSub: hub.mode=publish as a form POST. */
            form = xstrfmt("hub.mode=publish&hub.url=%s", enc);
            curl_easy_setopt(h, CURLOPT_URL, hub);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
        }
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "podpub/" PODPUB_VERSION);
        curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
        rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK || status >= 300)
            warnf("notifying %s failed: %s", hub, rc != CURLE_OK ?
                  (*errbuf ? errbuf : curl_easy_strerror(rc)) :
                  "the hub answered with an error");
        else if (pp_verbosity >= 0)
            fprintf(stderr, "notified %s\n", hub);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
        curl_free(enc);
        curl_easy_cleanup(h);
        free(url);
        free(form);
    }
}

/* --- the whole publish -------------------------------------------------- */

/*
 * --json: one object on stdout when publishing ends, the plan and what
 * came of it: each file's reason and result, the removals, the exit code.
 */
static void print_json(const struct publish_opts *o, const struct plan *p,
                       const struct diff *d, const char *target, int ret)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_addstr(&sb, "{\"target\": ");
    json_quote(&sb, target);
    strbuf_addf(&sb, ", \"dry_run\": %s, \"published\": %s, \"exit\": %d, "
                "\"diff\": {\"new\": %zu, \"changed_notes\": %zu, "
                "\"removed\": %zu, \"guid_changed\": %zu}, \"files\": [",
                o->dry_run ? "true" : "false",
                ret == 0 && !o->dry_run ? "true" : "false", ret < 0 ? -ret : 0,
                d->added, d->changed_notes, d->removed, d->guid_changed);
    for (size_t i = 0; i < p->nr; i++) {
        const struct pfile *f = &p->files[i];

        strbuf_addstr(&sb, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
        json_quote(&sb, f->key);
        strbuf_addf(&sb, ", \"bytes\": %" PRIu64 ", \"sha256\": \"%s\", "
                    "\"plan\": \"%s\", \"result\": \"%s\"}", f->size,
                    f->sha256, f->reason ? f->reason : "unchanged",
                    !f->reason ? "unchanged" : f->done ? "uploaded" :
                    o->dry_run ? "would upload" : "not uploaded");
    }
    strbuf_addstr(&sb, "], \"remove\": [");
    for (size_t i = 0; i < p->remove_nr; i++) {
        strbuf_addstr(&sb, i ? ", {\"key\": " : "{\"key\": ");
        json_quote(&sb, p->remove[i]);
        strbuf_addf(&sb, ", \"removed\": %s}",
                    p->removed && p->removed[i] ? "true" : "false");
    }
    strbuf_addstr(&sb, "]}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

static void print_plan(const struct publish_opts *o, const struct plan *p,
                       const struct diff *d, const char *target)
{
    size_t unchanged = p->nr - p->uploads;

    if (o->json)
        return;   /* printed once, with the results, by print_json() */
    if (pp_verbosity < 0)
        return;
    printf("%s: +%zu new, %zu changed notes, %zu removed%s\n", target,
           d->added, d->changed_notes, d->removed,
           d->guid_changed ? ", guids changed" : "");
    if (o->dry_run || pp_verbosity > 0) {
        for (size_t i = 0; i < p->nr; i++)
            if (p->files[i].reason)
                printf("  %s %s (%" PRIu64 " bytes)\n",
                       o->dry_run ? "would upload" : "upload",
                       p->files[i].key, p->files[i].size);
        for (size_t i = 0; i < p->remove_nr; i++) {
            char *shown = printable(p->remove[i], 200);

            printf("  %s %s\n", o->dry_run ? "would remove" : "remove",
                   shown);
            free(shown);
        }
    }
    printf("%zu to upload (%.1f MB), %zu unchanged\n", p->uploads,
           (double)p->upload_bytes / 1e6, unchanged);
}

/*
 * The folders publish may read local files from: the show's roots (its
 * folder, media_roots) and the build's output folder.
 */
static int local_roots(const struct show *show, const char *out_dir,
                       struct path_roots *roots)
{
    for (size_t i = 0; i < show->roots.nr; i++)
        if (path_roots_add(roots, show->roots.dirs[i]) < 0)
            return errorf(PP_ERR_IO, "cannot resolve '%s': %s",
                          show->roots.dirs[i], strerror(errno));
    if (path_roots_add(roots, out_dir) < 0)
        return errorf(PP_ERR_IO, "cannot resolve '%s': %s", out_dir,
                      strerror(errno));
    return 0;
}

/* Writes the manifest 'm' to the target. */
static int put_manifest(const struct target *t, struct manifest *m)
{
    struct strbuf sb = STRBUF_INIT;
    int ret;

    manifest_render(m, &sb);
    ret = target_put_data(t, MANIFEST_KEY, sb.buf, sb.len,
                          "application/json", "no-store");
    strbuf_release(&sb);
    return ret;
}

/*
 * --prune, with the new feed live: deletes what plan_prune() chose, each
 * failure reported, and records the manifest without what went.
 */
static int prune(const struct target *t, const struct publish_opts *o,
                 struct plan *p, struct manifest *m)
{
    int ret = 0;

    p->removed = xcalloc(p->remove_nr + 1, sizeof(*p->removed));
    for (size_t i = 0; i < p->remove_nr; i++) {
        if (target_delete(t, p->remove[i]) < 0) {
            ret = PP_ERR_REMOTE;   /* printed; the others still go */
            continue;
        }
        p->removed[i] = true;
        manifest_remove(m, p->remove[i]);
        if (!o->json && pp_verbosity >= 0) {
            char *shown = printable(p->remove[i], 200);

            printf("removed %s\n", shown);
            free(shown);
        }
    }
    if (p->remove_nr && put_manifest(t, m) < 0)
        warnf("the manifest was not updated after pruning");
    return ret;
}

int publish_show(const struct publish_opts *o, struct show *show,
                 struct build_result *res)
{
    struct build_opts bo = { .out_dir = o->out_dir, .now = o->now };
    struct target t = { 0 };
    struct plan p = { 0 };
    struct manifest m = { 0 };
    struct diff d = { 0, 0, 0, 0, 0, STRBUF_INIT };
    struct strbuf body = STRBUF_INIT;
    struct show live = { 0 };
    struct path_roots roots = { 0 };
    const char *url, *temps[3] = { NULL, LOCK_KEY, NULL };
    char when[32], *fkey = NULL;
    struct pp_date now;
    bool locked = false, live_read = false;
    int ret, r;

    /* 1. Build and check: any error stops here, nothing is uploaded. */
    if ((ret = build_show(&bo, show, res)) < 0)
        return ret;
    url = o->target ? o->target : show->publish_target.s;
    if (!url)
        return errorf(PP_ERR_USAGE, "nowhere to publish: set publish.target "
                      "in %s or give --target URL", PP_SHOW_FILE);
    if ((ret = feed_key(show, &fkey)) < 0)
        return ret;
    temps[0] = fkey;
    if ((ret = target_open(&t, url, o->insecure_http)) < 0)
        goto out;
    t.stall_s = o->stall_s;
    if ((ret = local_roots(show, o->out_dir, &roots)) < 0)
        goto out;
    t.roots = &roots;
    if ((ret = plan_files(&p, o, show, res, fkey)) < 0 ||
        (ret = hash_files(&p, &roots, !o->dry_run)) < 0)
        goto out;

    /*
     * 2. The live state: the manifest says what files are there; the
     * feed is compared as it is served, byte for byte (it is not in the
     * manifest, so a feed that failed to go up is never taken as up).
     * Both come from the target: the manifest is refused whole if any
     * of it is wrong, the feed is read with bounded cost.
     */
    r = target_get(&t, MANIFEST_KEY, &body, MANIFEST_MAX_BYTES);
    if (r < 0) {
        ret = r;
        goto out;
    }
    if (r == 0) {
        char *where = xstrfmt("%s%s", t.display, MANIFEST_KEY);

        ret = manifest_parse(&m, body.buf, body.len, where);
        free(where);
        if (ret < 0)
            goto out;
    }
    strbuf_reset(&body);
    r = target_get(&t, fkey, &body, LIVE_FEED_MAX);
    if (r < 0) {
        ret = r;
        goto out;
    }
    if (r == 0 && feed_parse(fkey, body.buf, body.len, &live) == 0) {
        compare_feeds(&live, res, o, &d);
        live_read = true;
    } else if (r == 0) {
        warnf("the live feed at %s%s could not be read; publishing without "
              "comparing", t.display, fkey);
    } else {
        d.added = res->feed_nr;   /* the first publish */
    }
    for (size_t i = 0; i < p.nr; i++) {
        struct pfile *f = &p.files[i];
        const struct manifest_entry *e = manifest_find(&m, f->key);

        if (f == p.feed) {
            struct strbuf mine = STRBUF_INIT;

            if (strbuf_read_file(&mine, f->local, 64u << 20) < 0) {
                ret = PP_ERR_IO;
                goto out;
            }
            f->reason = r == 1 ? "new" : mine.len != body.len ||
                        memcmp(mine.buf, body.buf, body.len) ? "changed" :
                        NULL;
            strbuf_release(&mine);
        } else {
            f->reason = !e ? "new" : e->size != f->size ||
                        strcmp(e->sha256, f->sha256) ? "changed" : NULL;
        }
        if (f->reason) {
            p.uploads++;
            p.upload_bytes += f->size;
        }
    }
    if (o->prune)
        plan_prune(&p, &m, live_read ? &live : NULL, show, res);
    print_plan(o, &p, &d, t.display);
    if (!p.uploads && !p.remove_nr) {
        /* Nothing differs: no lock, no upload; two reads in all. */
        if (!o->json && pp_verbosity >= 0)
            printf("nothing to publish: %s is up to date\n", t.display);
        goto out;
    }
    if (d.refusals.len) {
        ret = errorf(PP_ERR_INPUT, "refusing to publish: listeners already "
                     "have these episodes:\n%s(--allow-removal and "
                     "--allow-guid-change override this)", d.refusals.buf);
        goto out;
    }
    if (o->dry_run)
        goto out;

    /*
     * 3. The lock: one publisher at a time. Holding it, podpub may clear
     * what an earlier publish killed in the middle left behind.
     */
    if ((ret = lock_take(&t, o->now, o->lock_stale_s, temps, &locked)) < 0)
        goto out;
    r = (int)target_remove_stale_temps(&t, o->lock_stale_s);
    if (r && pp_verbosity >= 0)
        warnf("removed %d temporary file%s an interrupted publish left at "
              "%s", r, r == 1 ? "" : "s", t.display);

    /* 4. Media and everything else, then the manifest, then the feed. */
    if ((ret = upload_all(&t, o, &p)) < 0)
        goto out;
    date_in_zone(o->now, NULL, &now);
    date_format_rfc3339(&now, when);
    for (size_t i = 0; i < p.nr; i++)
        if (p.files[i].done)
            manifest_set(&m, p.files[i].key, p.files[i].size,
                         p.files[i].sha256, when, p.files[i].guid);
    if ((ret = put_manifest(&t, &m)) < 0)
        goto out;
    if (p.feed->reason) {
        if ((ret = target_replace(&t, p.feed)) < 0)
            goto out;
        p.feed->done = true;
        if (!o->json && pp_verbosity >= 0)
            printf("feed live: %s\n", show->feed_url.s);
    }

    /* 5. Only now, with the new feed live: prune, and notify. */
    ret = prune(&t, o, &p, &m);
    if (p.feed->reason)
        notify(show);
out:
    if (o->json && p.nr)
        print_json(o, &p, &d, t.display, ret);
    if (locked && lock_release(&t) < 0)
        warnf("the lock %s%s could not be removed", t.display, LOCK_KEY);
    show_release(&live);
    strbuf_release(&d.refusals);
    strbuf_release(&body);
    manifest_release(&m);
    plan_release(&p);
    path_roots_release(&roots);
    target_close(&t);
    free(fkey);
    return ret;
}
