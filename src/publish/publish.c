/*
 * `podpub publish`: the order of things is the safety. Build and check;
 * read the remote manifest; if anything differs, take the lock, read the
 * live feed and refuse to drop or re-identify what listeners have;
 * upload what changed (in parallel, with retries); write the manifest;
 * replace the feed last; release the lock; notify. A failure before the
 * feed leaves the old feed live, and everything it names is still there.
 */
#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/random_seed.h>

#include "podpub/feedread.h"
#include "podpub/publish.h"
#include "podpub/yamltree.h"
#include "target.h"

#define MANIFEST_KEY ".podpub/manifest.json"
#define LOCK_KEY ".podpub/lock"
#define HASH_CACHE ".podpub/hash-cache"
#define MULTIPART_OVER (64u << 20)

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

static void plan_add(struct plan *p, const char *key, const char *local)
{
    struct pfile *f;

    for (size_t i = 0; i < p->nr; i++)
        if (!strcmp(p->files[i].key, key))
            return;   /* one file named twice (a shared cover) */
    ALLOC_GROW(p->files, p->nr + 1, p->alloc);
    f = &p->files[p->nr++];
    memset(f, 0, sizeof(*f));
    f->key = xstrdup(key);
    f->local = xstrdup(local);
    f->type = type_of(key);
    /* Feeds and pages change; media under a name rarely do. */
    f->cache = ends_with(key, ".xml") || ends_with(key, ".html") ?
               "public, max-age=300" : "public, max-age=86400";
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

/* The feed's key: feed_url relative to base_url, else "feed.xml". */
static const char *feed_key(const struct show *show)
{
    if (show->feed_url.s && starts_with(show->feed_url.s, show->base_url.s) &&
        show->feed_url.s[strlen(show->base_url.s)])
        return show->feed_url.s + strlen(show->base_url.s);
    return "feed.xml";
}

/* Everything public: the built files, the live episodes' media, the art. */
static void plan_files(struct plan *p, const struct publish_opts *o,
                       const struct show *show,
                       const struct build_result *res)
{
    char *local;

    for (size_t i = 0; i < res->live_nr; i++) {
        const struct episode *ep = res->live[i];

        plan_add(p, ep->audio.s, ep->audio_path);
        if (ep->transcript.s)
            plan_add(p, ep->transcript.s, ep->transcript_path);
        if (ep->image.s)
            plan_add(p, ep->image.s, ep->image_path);
        if (ep->chapters_nr) {
            char *key = xstrfmt("chapters/%s.json", ep->name);

            local = xstrfmt("%s/%s", o->out_dir, key);
            plan_add(p, key, local);
            free(local);
            free(key);
        }
    }
    if (show->image.s)
        plan_add(p, show->image.s, show->image_path);
    local = xstrfmt("%s/index.html", o->out_dir);
    plan_add(p, "index.html", local);
    free(local);
    if (res->archive_path)
        plan_add(p, "feed-all.xml", res->archive_path);
    plan_add(p, feed_key(show), res->feed_path);
    p->feed = &p->files[p->nr - 1];
}

/* --- the local hash cache ------------------------------------------- */

/*
 * SHA-256 of every file, from .podpub/hash-cache when path, size, mtime
 * and inode match (hashing a large show's audio each run would be slow).
 */
static int hash_files(struct plan *p, bool save)
{
    struct strbuf cache = STRBUF_INIT, out = STRBUF_INIT;
    int ret = 0;

    if (access(HASH_CACHE, F_OK) == 0 &&
        strbuf_read_file(&cache, HASH_CACHE, 64u << 20) < 0)
        strbuf_reset(&cache);   /* unreadable: everything is hashed again */
    for (size_t i = 0; i < p->nr && ret == 0; i++) {
        struct pfile *f = &p->files[i];
        struct stat st;
        char *line;
        const char *hit;

        if (stat(f->local, &st) < 0) {
            ret = errorf(PP_ERR_IO, "cannot read '%s': %s", f->local,
                         strerror(errno));
            break;
        }
        f->size = (uint64_t)st.st_size;
        line = xstrfmt("%s\t%" PRIu64 "\t%lld\t%ld\t%llu\t", f->local,
                       f->size, (long long)st.st_mtim.tv_sec,
                       st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
        hit = strstr(cache.buf, line);
        if (hit && (hit == cache.buf || hit[-1] == '\n') &&
            strlen(hit + strlen(line)) >= 64 && hit[strlen(line) + 64] == '\n') {
            memcpy(f->sha256, hit + strlen(line), 64);
            f->sha256[64] = '\0';
        } else if ((ret = file_sha256(f->local, f->sha256)) < 0) {
            free(line);
            break;
        }
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

/* --- the remote manifest ---------------------------------------------- */

struct manifest_entry {
    char *key;
    uint64_t size;
    char sha256[65];
    char *uploaded_at;
};

struct manifest {
    struct manifest_entry *items;
    size_t nr;
};

static void manifest_release(struct manifest *m)
{
    for (size_t i = 0; i < m->nr; i++) {
        free(m->items[i].key);
        free(m->items[i].uploaded_at);
    }
    free(m->items);
    memset(m, 0, sizeof(*m));
}

static struct manifest_entry *manifest_find(const struct manifest *m,
                                            const char *key)
{
    for (size_t i = 0; i < m->nr; i++)
        if (!strcmp(m->items[i].key, key))
            return &m->items[i];
    return NULL;
}

/* JSON is YAML's flow style: the YAML reader parses the manifest. */
static int manifest_parse(struct manifest *m, const char *text, size_t len,
                          const char *where)
{
    struct ynode *root = NULL;
    const struct ynode *files;
    int ret;

    memset(m, 0, sizeof(*m));
    if ((ret = yaml_load(where, text, len, 0, &root)) < 0)
        return ret;
    files = ynode_get(root, "files");
    if (!files || files->type != YNODE_MAP) {
        ynode_free(root);
        return errorf(PP_ERR_REMOTE, "%s: not a podpub manifest", where);
    }
    m->items = xcalloc(files->nr / 2 + 1, sizeof(*m->items));
    for (size_t i = 0; i + 1 < files->nr; i += 2) {
        const struct ynode *v = files->items[i + 1];
        const struct ynode *size = ynode_get(v, "size");
        const struct ynode *sha = ynode_get(v, "sha256");
        const struct ynode *at = ynode_get(v, "uploaded_at");
        struct manifest_entry *e = &m->items[m->nr];

        if (!size || !sha || size->type != YNODE_SCALAR ||
            sha->type != YNODE_SCALAR || strlen(sha->value) != 64)
            continue;
        e->key = xstrdup(files->items[i]->value);
        e->size = strtoull(size->value, NULL, 10);
        memcpy(e->sha256, sha->value, 65);
        e->uploaded_at = xstrdup(at && at->type == YNODE_SCALAR ? at->value
                                                                : "");
        m->nr++;
    }
    ynode_free(root);
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct manifest_entry *)a)->key,
                  ((const struct manifest_entry *)b)->key);
}

static void manifest_render(struct manifest *m, struct strbuf *sb)
{
    if (m->nr)
        qsort(m->items, m->nr, sizeof(*m->items), cmp_entry);
    strbuf_addstr(sb, "{\"version\": 1, \"generator\": \"podpub "
                  PODPUB_VERSION "\", \"files\": {");
    for (size_t i = 0; i < m->nr; i++) {
        strbuf_addstr(sb, i ? ",\n  " : "\n  ");
        strbuf_add_json(sb, m->items[i].key);
        strbuf_addf(sb, ": {\"size\": %" PRIu64 ", \"sha256\": \"%s\", "
                    "\"uploaded_at\": ", m->items[i].size,
                    m->items[i].sha256);
        strbuf_add_json(sb, m->items[i].uploaded_at);
        strbuf_addch(sb, '}');
    }
    strbuf_addstr(sb, "\n}}\n");
}

static void manifest_set(struct manifest *m, const struct pfile *f,
                         const char *when)
{
    struct manifest_entry *e = manifest_find(m, f->key);

    if (!e) {
        m->items = xrealloc(m->items, (m->nr + 1) * sizeof(*m->items));
        e = &m->items[m->nr++];
        e->key = xstrdup(f->key);
        e->uploaded_at = NULL;
    }
    e->size = f->size;
    memcpy(e->sha256, f->sha256, 65);
    free(e->uploaded_at);
    e->uploaded_at = xstrdup(when);
}

static void manifest_remove(struct manifest *m, const char *key)
{
    struct manifest_entry *e = manifest_find(m, key);

    if (!e)
        return;
    free(e->key);
    free(e->uploaded_at);
    *e = m->items[--m->nr];
}

/* --- the guard: what listeners already have ---------------------------- */

struct diff {
    size_t added, changed_notes, removed, guid_changed, url_changed;
    struct strbuf refusals;
};

static const struct episode *by_guid(struct episode *const *eps, size_t nr,
                                     const char *guid)
{
    for (size_t i = 0; i < nr; i++)
        if (eps[i]->guid.s && guid && !strcmp(eps[i]->guid.s, guid))
            return eps[i];
    return NULL;
}

static void compare_feeds(const struct show *live,
                          const struct build_result *res,
                          const struct publish_opts *o, struct diff *d)
{
    for (size_t i = 0; i < live->nr; i++) {
        const struct episode *old = &live->episodes[i];
        const struct episode *now = by_guid(res->live, res->live_nr,
                                            old->guid.s);
        const char *t = old->title.s ? old->title.s : "(untitled)";

        if (now) {
            if (old->enclosure_url && now->enclosure_url &&
                strcmp(old->enclosure_url, now->enclosure_url)) {
                d->url_changed++;
                if (!o->allow_guid_change)
                    strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                                "change its audio URL from %s to %s\n", t,
                                old->guid.s, old->enclosure_url,
                                now->enclosure_url);
            } else if (old->description.s && *now->notes.html &&
                       strcmp(old->description.s, now->notes.html)) {
                d->changed_notes++;
            }
            continue;
        }
        /* Gone, or the same audio under a new guid? */
        for (size_t j = 0; j < res->live_nr && !now; j++)
            if (old->enclosure_url && res->live[j]->enclosure_url &&
                !strcmp(old->enclosure_url, res->live[j]->enclosure_url))
                now = res->live[j];
        if (now) {
            d->guid_changed++;
            if (!o->allow_guid_change)
                strbuf_addf(&d->refusals, "  \"%s\" would change its guid "
                            "from %s to %s (%s): every app would download "
                            "it again as a new episode\n", t,
                            old->guid.s ? old->guid.s : "(none)",
                            now->guid.s, now->path);
        } else {
            d->removed++;
            if (!o->allow_removal)
                strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                            "disappear from the feed\n", t,
                            old->guid.s ? old->guid.s : "(none)");
        }
    }
    for (size_t i = 0; i < res->feed_nr; i++) {
        bool known = false;

        for (size_t j = 0; j < live->nr && !known; j++)
            known = live->episodes[j].guid.s && res->feed[i]->guid.s &&
                    !strcmp(live->episodes[j].guid.s, res->feed[i]->guid.s);
        d->added += !known;
    }
}

/* --- the lock ------------------------------------------------------- */

/*
 * True when the lock was left by a publish on this machine whose process
 * is gone (it crashed or lost its connection): no one is publishing.
 */
static bool lock_is_dead(const char *lock)
{
    char host[256] = "", *mine;
    const char *owner = strstr(lock, "owner=");
    bool dead = false;

    if (!owner || gethostname(host, sizeof(host) - 1) < 0)
        return false;
    mine = xstrfmt("owner=%s:", host);
    if (starts_with(owner, mine)) {
        long pid = strtol(owner + strlen(mine), NULL, 10);

        dead = pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
    }
    free(mine);
    return dead;
}

static int take_lock(const struct target *t, const struct publish_opts *o,
                     bool *held)
{
    struct strbuf body = STRBUF_INIT;
    char host[256] = "?", *lock;
    int ret = target_get(t, LOCK_KEY, &body);

    *held = false;
    if (ret < 0)
        goto out;
    if (ret == 0) {
        const char *at = strstr(body.buf, "time=");
        long long since = at ? strtoll(at + 5, NULL, 10) : 0;

        if (since && o->now - since < o->lock_stale_s &&
            !lock_is_dead(body.buf)) {
            ret = errorf(PP_ERR_INPUT, "%s is being published by someone "
                         "else (lock %s%s: %.*s); try again later, or take "
                         "it over with --lock-stale SECONDS", t->display,
                         t->display, LOCK_KEY, (int)strcspn(body.buf, "\n"),
                         body.buf);
            goto out;
        }
        warnf("taking over a stale lock (%.*s)", (int)strcspn(body.buf, "\n"),
              body.buf);
    }
    gethostname(host, sizeof(host) - 1);
    lock = xstrfmt("owner=%s:%ld time=%lld\n", host, (long)getpid(),
                   (long long)o->now);
    ret = target_put_data(t, LOCK_KEY, lock, strlen(lock), "text/plain",
                          "no-store");
    free(lock);
    *held = ret == 0;
out:
    strbuf_release(&body);
    return ret;
}

/* --- uploading --------------------------------------------------------- */

struct job {
    struct pfile *f;
    CURL *h;
    FILE *fp;
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
    double jitter = (double)(av_get_random_seed() % 1000) / 1000.0;

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
    j->fp = fopen(j->f->local, "rb");
    if (!j->fp)
        return errorf(PP_ERR_IO, "cannot open '%s': %s", j->f->local,
                      strerror(errno));
    curl_easy_reset(j->h);
    j->errbuf[0] = '\0';
    target_configure(t, j->h, j->errbuf);
    target_setup_put(t, j->h, j->f, j->fp, &j->headers);
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
    if (j->fp)
        fclose(j->fp);
    j->fp = NULL;
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
    for (int i = 0; i < n; i++)
        if (!(jobs[i].h = curl_easy_init()))
            die("cannot create a libcurl handle");
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

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                              (char **)&j);
            rc = msg->data.result;
            curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi, j->h);
            end_job(j);
            if (rc == CURLE_OK && (status < 300 || t->kind == TARGET_SFTP ||
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
    strbuf_add_json(&sb, target);
    strbuf_addf(&sb, ", \"dry_run\": %s, \"published\": %s, \"exit\": %d, "
                "\"diff\": {\"new\": %zu, \"changed_notes\": %zu, "
                "\"removed\": %zu, \"guid_changed\": %zu}, \"files\": [",
                o->dry_run ? "true" : "false",
                ret == 0 && !o->dry_run ? "true" : "false", ret < 0 ? -ret : 0,
                d->added, d->changed_notes, d->removed, d->guid_changed);
    for (size_t i = 0; i < p->nr; i++) {
        const struct pfile *f = &p->files[i];

        strbuf_addstr(&sb, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
        strbuf_add_json(&sb, f->key);
        strbuf_addf(&sb, ", \"bytes\": %" PRIu64 ", \"sha256\": \"%s\", "
                    "\"plan\": \"%s\", \"result\": \"%s\"}", f->size,
                    f->sha256, f->reason ? f->reason : "unchanged",
                    !f->reason ? "unchanged" : f->done ? "uploaded" :
                    o->dry_run ? "would upload" : "not uploaded");
    }
    strbuf_addstr(&sb, "], \"remove\": [");
    for (size_t i = 0; i < p->remove_nr; i++) {
        strbuf_addstr(&sb, i ? ", {\"key\": " : "{\"key\": ");
        strbuf_add_json(&sb, p->remove[i]);
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
        for (size_t i = 0; i < p->remove_nr; i++)
            printf("  %s %s\n", o->dry_run ? "would remove" : "remove",
                   p->remove[i]);
    }
    printf("%zu to upload (%.1f MB), %zu unchanged\n", p->uploads,
           (double)p->upload_bytes / 1e6, unchanged);
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
    const char *url;
    char when[32];
    struct pp_date now;
    bool locked = false;
    int ret, r;

    /* 1. Build and check: any error stops here, nothing is uploaded. */
    if ((ret = build_show(&bo, show, res)) < 0)
        return ret;
    url = o->target ? o->target : show->publish_target.s;
    if (!url)
        return errorf(PP_ERR_USAGE, "nowhere to publish: set publish.target "
                      "in %s or give --target URL", PP_SHOW_FILE);
    if ((ret = target_open(&t, url, o->insecure_http)) < 0)
        goto out;
    t.stall_s = o->stall_s;
    plan_files(&p, o, show, res);
    if ((ret = hash_files(&p, !o->dry_run)) < 0)
        goto out;

    /*
     * 2. The live state: the manifest says what files are there; the
     * feed is compared as it is served, byte for byte (it is not in the
     * manifest, so a feed that failed to go up is never taken as up).
     */
    r = target_get(&t, MANIFEST_KEY, &body);
    if (r < 0) {
        ret = r;
        goto out;
    }
    if (r == 0 && (ret = manifest_parse(&m, body.buf, body.len,
                                        MANIFEST_KEY)) < 0)
        goto out;
    strbuf_reset(&body);
    r = target_get(&t, feed_key(show), &body);
    if (r < 0) {
        ret = r;
        goto out;
    }
    if (r == 0 && feed_parse(feed_key(show), body.buf, body.len, &live) == 0)
        compare_feeds(&live, res, o, &d);
    else if (r == 0)
        warnf("the live feed at %s%s could not be read; publishing without "
              "comparing", t.display, feed_key(show));
    else
        d.added = res->feed_nr;   /* the first publish */
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
    if (o->prune) {
        for (size_t i = 0; i < m.nr; i++) {
            bool keep = false;

            for (size_t j = 0; j < p.nr && !keep; j++)
                keep = !strcmp(p.files[j].key, m.items[i].key);
            if (!keep) {
                p.remove = xrealloc(p.remove, (p.remove_nr + 1) *
                                    sizeof(*p.remove));
                p.remove[p.remove_nr++] = xstrdup(m.items[i].key);
            }
        }
    }
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

    /* 3. The lock: one publisher at a time. */
    if ((ret = take_lock(&t, o, &locked)) < 0)
        goto out;

    /* 4. Media and everything else, then the manifest, then the feed. */
    if ((ret = upload_all(&t, o, &p)) < 0)
        goto out;
    date_in_zone(o->now, NULL, &now);
    date_format_rfc3339(&now, when);
    for (size_t i = 0; i < p.nr; i++)
        if (p.files[i].done)
            manifest_set(&m, &p.files[i], when);
    strbuf_reset(&body);
    manifest_render(&m, &body);
    if ((ret = target_put_data(&t, MANIFEST_KEY, body.buf, body.len,
                               "application/json", "no-store")) < 0)
        goto out;
    if (p.feed->reason) {
        if ((ret = target_replace(&t, p.feed)) < 0)
            goto out;
        p.feed->done = true;
        if (!o->json && pp_verbosity >= 0)
            printf("feed live: %s\n", show->feed_url.s);
    }

    /* 5. Only now, with the new feed live: prune, and notify. */
    p.removed = xcalloc(p.remove_nr + 1, sizeof(*p.removed));
    for (size_t i = 0; i < p.remove_nr; i++) {
        if (target_delete(&t, p.remove[i]) == 0) {
            p.removed[i] = true;
            manifest_remove(&m, p.remove[i]);
            if (!o->json && pp_verbosity >= 0)
                printf("removed %s\n", p.remove[i]);
        }
    }
    if (p.remove_nr) {
        strbuf_reset(&body);
        manifest_render(&m, &body);
        if (target_put_data(&t, MANIFEST_KEY, body.buf, body.len,
                            "application/json", "no-store") < 0)
            warnf("the manifest was not updated after pruning");
    }
    if (p.feed->reason)
        notify(show);
out:
    if (o->json && p.nr)
        print_json(o, &p, &d, t.display, ret);
    if (locked && target_delete(&t, LOCK_KEY) < 0)
        warnf("the lock %s%s could not be removed", t.display, LOCK_KEY);
    show_release(&live);
    strbuf_release(&d.refusals);
    strbuf_release(&body);
    manifest_release(&m);
    plan_release(&p);
    target_close(&t);
    return ret;
}
