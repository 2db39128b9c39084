/*
 * The uploads: files the target sends on its own go first, one at a
 * time; the rest run through libcurl's multi interface, 'jobs' at once on
 * reused connections, each retried on a transient failure with
 * exponential backoff and jitter, failed when it stalls, and each read
 * from the very file that was hashed (source.c). Progress and finished
 * files are reported through callbacks: printing is the caller's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "request.h"
#include "upload.h"

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

/* Exponential backoff with jitter: 0.5 s, 1 s, 2 s... +-50%. */
static double backoff(int attempt)
{
    double base = 0.5 * (double)(1 << (attempt < 8 ? attempt : 8));
    double jitter = (double)(random_u32() % 1000) / 1000.0;

    return base * (0.5 + jitter);
}

static size_t discard_body(char *d, size_t size, size_t n, void *arg)
{
    (void)d;
    (void)arg;
    return size * n;
}

static int start_job(const struct target *t, const struct upload_opts *o,
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

/* Tells o->progress where the transfers are. */
static void report_progress(const struct upload_opts *o, const struct plan *p,
                            const struct job *jobs, int n, uint64_t sent,
                            double t0)
{
    struct publish_transfer *running = xcalloc((size_t)n + 1,
                                               sizeof(*running));
    struct publish_progress pr = { running, 0, sent, p->upload_bytes,
                                   monotonic_s() - t0 };

    for (int i = 0; i < n; i++) {
        curl_off_t up = 0;

        if (!jobs[i].f || jobs[i].not_before)
            continue;
        curl_easy_getinfo(jobs[i].h, CURLINFO_SIZE_UPLOAD_T, &up);
        running[pr.running_nr++] = (struct publish_transfer){
            jobs[i].f->key, (uint64_t)up, jobs[i].f->size };
        pr.sent += (uint64_t)up;
    }
    o->progress(o->ctx, &pr);
    free(running);
}

static void done(const struct upload_opts *o, const struct pfile *f)
{
    if (o->uploaded)
        o->uploaded(o->ctx, f);
}

/* One upload_all(): the queue, the transfer slots and how far they are. */
struct run {
    const struct target *t;
    const struct plan *p;
    const struct upload_opts *o;
    CURLM *multi;
    struct job *jobs;
    int n;                      /* slots */
    struct pfile **queue;
    size_t qnr, next, active;
    uint64_t sent_done;         /* bytes of finished files */
    double t0;                  /* when the uploads began */
    int ret;                    /* the first failure, kept */
};

static void finished(struct run *r, struct pfile *f)
{
    f->done = true;
    r->sent_done += f->size;
    done(r->o, f);
}

/* Keeps the first failure; later ones are reported by then. */
static void fail(struct run *r, int ret)
{
    if (r->ret == 0)
        r->ret = ret;
}

/*
 * Sends what the target sends on its own (local copies, multipart
 * uploads), one at a time, and queues the rest for the transfer slots.
 */
static int send_alone(struct run *r, struct plan *p)
{
    for (size_t i = 0; i < p->nr; i++) {
        struct pfile *f = &p->files[i];
        int ret;

        if (!f->reason || f == p->feed)
            continue;
        ret = target_put_alone(r->t, f);
        if (ret < 0)
            return ret;
        if (ret == 0)
            finished(r, f);
        else
            r->queue[r->qnr++] = f;
    }
    return 0;
}

/* Fills free slots from the queue, unless something failed for good. */
static void fill_slots(struct run *r)
{
    for (int i = 0; i < r->n && r->ret == 0 && r->next < r->qnr; i++) {
        struct job *j = &r->jobs[i];

        if (j->f)
            continue;
        j->f = r->queue[r->next++];
        j->attempt = 0;
        j->not_before = 0;
        j->mkcol_tried = false;
        if ((r->ret = start_job(r->t, r->o, r->multi, j)) < 0) {
            j->f = NULL;
            break;
        }
        r->active++;
    }
}

/* Starts again the retries whose backoff has run out. */
static void restart_due(struct run *r)
{
    for (int i = 0; i < r->n; i++) {
        struct job *j = &r->jobs[i];

        if (!j->f || !j->not_before || monotonic_s() < j->not_before)
            continue;
        j->not_before = 0;
        if (start_job(r->t, r->o, r->multi, j) < 0) {
            r->ret = PP_ERR_IO;
            j->f = NULL;
            r->active--;
        }
    }
}

/* What a finished transfer means: done, retry, make the folder, failed. */
static void transfer_done(struct run *r, struct job *j, CURLcode rc)
{
    const struct target *t = r->t;
    long status = 0;
    bool changed;

    curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(r->multi, j->h);
    changed = rc == CURLE_OK && upload_check(&j->src) < 0;
    end_job(j);
    if (changed) {
        /* Not what was hashed: nothing retried, the feed stays. */
        fail(r, PP_ERR_IO);
    } else if (rc == CURLE_OK && (status < 300 || !t->ops->http)) {
        finished(r, j->f);
    } else if (t->ops->make_parent && rc == CURLE_OK && status == 409 &&
               !j->mkcol_tried) {
        /* A missing folder (WebDAV): make it and try again. */
        j->mkcol_tried = true;
        target_make_parent(t, j->f->key);
        j->not_before = monotonic_s();
        return;
    } else if (transient_failure(rc, status) &&
               j->attempt < r->o->retries && r->ret == 0) {
        j->not_before = monotonic_s() + backoff(j->attempt++);
        if (pp_verbosity > 0)
            warnf("%s%s: retrying (%s)", t->display, j->f->key,
                  rc == CURLE_OK ? "server error" : curl_easy_strerror(rc));
        return;
    } else {
        struct strbuf m = STRBUF_INIT;

        describe_failure(&m, t, j->f->key, rc, status, j->errbuf, NULL);
        if (r->ret == 0)
            r->ret = errorf(PP_ERR_REMOTE, "upload failed: %s", m.buf);
        strbuf_release(&m);
    }
    j->f = NULL;
    r->active--;
}

/* Runs the queue through the slots until nothing is left to do. */
static void transfer_all(struct run *r)
{
    double last_progress = 0;

    for (;;) {
        CURLMsg *msg;
        int left, still;

        fill_slots(r);
        restart_due(r);
        if (!r->active)
            break;
        curl_multi_perform(r->multi, &still);
        while ((msg = curl_multi_info_read(r->multi, &left))) {
            struct job *j;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                              (char **)&j);
            transfer_done(r, j, msg->data.result);
        }
        if (r->o->progress && monotonic_s() - last_progress > 0.25) {
            report_progress(r->o, r->p, r->jobs, r->n, r->sent_done, r->t0);
            last_progress = monotonic_s();
        }
        curl_multi_poll(r->multi, NULL, 0, 100, NULL);
    }
}

int upload_all(const struct target *t, struct plan *p,
               const struct upload_opts *o)
{
    struct run r = { .t = t, .p = p, .o = o,
                     .n = o->jobs > 0 ? o->jobs : 8, .t0 = monotonic_s() };

    r.queue = xcalloc(p->nr + 1, sizeof(*r.queue));
    if ((r.ret = send_alone(&r, p)) < 0 || !r.qnr)
        goto out;
    if (!(r.multi = curl_multi_init()))
        die("cannot create a libcurl multi handle");
    r.jobs = xcalloc((size_t)r.n, sizeof(*r.jobs));
    for (int i = 0; i < r.n; i++) {
        r.jobs[i].src.fd = -1;
        if (!(r.jobs[i].h = curl_easy_init()))
            die("cannot create a libcurl handle");
    }
    transfer_all(&r);
    for (int i = 0; i < r.n; i++) {
        if (r.jobs[i].f)
            curl_multi_remove_handle(r.multi, r.jobs[i].h);
        end_job(&r.jobs[i]);
        curl_easy_cleanup(r.jobs[i].h);
    }
    free(r.jobs);
    curl_multi_cleanup(r.multi);
out:
    free(r.queue);
    return r.ret;
}
