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
                                   now_s() - t0 };

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

int upload_all(const struct target *t, struct plan *p,
               const struct upload_opts *o)
{
    CURLM *multi;
    struct job *jobs;
    struct pfile **queue = xcalloc(p->nr + 1, sizeof(*queue));
    size_t qnr = 0, next = 0, active = 0;
    uint64_t sent_done = 0;
    int ret = 0, n = o->jobs > 0 ? o->jobs : 8;
    double t0 = now_s(), last_progress = 0;

    for (size_t i = 0; i < p->nr; i++) {
        struct pfile *f = &p->files[i];

        if (!f->reason || f == p->feed)
            continue;
        /* Local copies and multipart uploads run one at a time. */
        ret = target_put_alone(t, f);
        if (ret < 0)
            goto out_early;
        if (ret == 0) {
            f->done = true;
            sent_done += f->size;
            done(o, f);
            continue;
        }
        ret = 0;
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
            } else if (rc == CURLE_OK && (status < 300 || !t->ops->http)) {
                j->f->done = true;
                sent_done += j->f->size;
                done(o, j->f);
                j->f = NULL;
                active--;
            } else if (t->ops->make_parent && rc == CURLE_OK &&
                       status == 409 && !j->mkcol_tried) {
                /* A missing folder (WebDAV): make it and try again. */
                j->mkcol_tried = true;
                target_make_parent(t, j->f->key);
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
            report_progress(o, p, jobs, n, sent_done, t0);
            last_progress = now_s();
        }
        curl_multi_poll(multi, NULL, 0, 100, NULL);
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
