/*
 * The build: load, probe (from the cache, else in parallel), select,
 * order, write. Problems are reported at the episode line that caused
 * them, in file order whatever order the probe threads finish in, so the
 * output is the same from run to run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "podpub/build.h"
#include "podpub/check.h"
#include "podpub/feed.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

#define PROBE_CACHE_FILE ".podpub/probe-cache"

struct probe_job {
    struct episode *ep;
    struct audio_info info;
    struct strbuf msg;
    int ret;
    unsigned flags;         /* PROBE_LOUDNESS unless loudness: off */
    bool cached;            /* the cache answered (perhaps not the loudness) */
    bool measured;          /* this run measured what the cache lacked */
};

/*
 * Probes job i (any thread), or only measures its loudness when the cache
 * had the rest; its messages wait in job->msg.
 */
static void probe_one(void *ctx, size_t i)
{
    struct probe_job *job = ((struct probe_job **)ctx)[i];

    if (job->cached)
        job->ret = probe_loudness(job->ep->audio_path, &job->info.loudness,
                                  &job->msg);
    else
        job->ret = probe_audio_opts(job->ep->audio_path, &job->info,
                                    &job->msg, job->flags);
    job->measured = true;
}

struct probe_progress {
    const struct build_opts *opts;
    struct probe_job **todo;
};

static void probe_progress(void *ctx, size_t done, size_t total,
                           size_t current)
{
    struct probe_progress *pp = ctx;

    pp->opts->progress("probing", done, total, current < total ?
                       pp->todo[current]->ep->audio_path : NULL,
                       pp->opts->progress_ctx);
}

/*
 * Probes the jobs not answered by the cache on every core (libavformat
 * contexts are independent), reporting progress once probing has taken
 * more than a second.
 */
static void probe_parallel(const struct build_opts *opts,
                           struct probe_job **todo, size_t nr)
{
    struct probe_progress pp = { opts, todo };
    struct parallel_progress pg = { probe_progress, &pp, 1.0 };

    parallel_for_progress(nr, 1, probe_one, todo,
                          opts->progress ? &pg : NULL);
}

/* Takes the probe's result into the episode, or reports its failure. */
static int finish_job(struct probe_job *job)
{
    struct episode *ep = job->ep;

    if (job->ret == PP_ERR_INPUT) {
        input_error(&ep->audio.pos, "audio", "%s", job->msg.buf);
        return job->ret;
    }
    if (job->ret < 0) {
        errorf(job->ret, "%s", job->msg.buf);
        return job->ret;
    }
    strbuf_reset(&job->msg);
    if (probe_warning(ep->audio_path, &job->info, &job->msg))
        input_warning(&ep->audio.pos, "audio", "%s", job->msg.buf);
    ep->media.probed = true;
    ep->media.duration_ms = job->info.duration_ms;
    ep->media.size = job->info.size;
    ep->media.mime = job->info.mime;
    ep->media.loud = job->info.loudness.measured;
    ep->media.lufs = job->info.loudness.integrated;
    ep->media.lra = job->info.loudness.range;
    ep->media.true_peak = job->info.loudness.true_peak;
    /* Chapters written by the producer win over those in the audio. */
    if (!ep->chapters_nr && !ep->chapters_path && job->info.chapters_nr) {
        ep->chapters = xcalloc(job->info.chapters_nr, sizeof(*ep->chapters));
        for (size_t i = 0; i < job->info.chapters_nr; i++) {
            struct chapter *c = &ep->chapters[ep->chapters_nr++];

            c->start_ms = job->info.chapters[i].start_ms;
            c->title = xstrdup(job->info.chapters[i].title);
            c->pos = ep->audio.pos;
        }
    }
    return 0;
}

/* The cache's answers for the episodes, on every core. */
struct lookup_ctx {
    const struct show *show;
    struct probe_cache *cache;
    struct probe_job *jobs;     /* one per episode; 'ep' NULL: none */
};

static void look_up(void *arg, size_t i)
{
    struct lookup_ctx *c = arg;
    struct episode *ep = &c->show->episodes[i];
    struct probe_job *job = &c->jobs[i];

    /* Scheduled episodes are probed too: CI publishes them later. */
    if (ep->draft.v || ep->invalid || !ep->audio_path)
        return;
    job->ep = ep;
    job->flags = c->show->loudness.off ? 0 : PROBE_LOUDNESS;
    strbuf_init(&job->msg);
    if (c->cache && (ep->audio_id_set ?
                     probe_cache_get_id(c->cache, ep->audio_path,
                                        &ep->audio_id, &job->info) :
                     probe_cache_get(c->cache, ep->audio_path, &job->info)))
        job->cached = true;
}

/* 'cache': the probe cache, or NULL (--no-cache); freed here. */
static int probe_all(const struct build_opts *opts, struct show *show,
                     struct build_result *res, struct probe_cache *cache)
{
    struct probe_job *jobs = xcalloc(show->nr + 1, sizeof(*jobs));
    struct probe_job **todo = xcalloc(show->nr + 1, sizeof(*todo));
    struct lookup_ctx lc = { show, cache, jobs };
    size_t todo_nr = 0;
    unsigned long opened = probe_files_opened();
    int ret = 0, r;

    parallel_for(show->nr, 256, look_up, &lc);
    for (size_t i = 0; i < show->nr; i++) {
        struct probe_job *job = &jobs[i];

        /* A file is decoded once in its life: the loudness is kept too. */
        if (job->ep && (!job->cached ||
                        (job->flags && !job->info.loudness.measured)))
            todo[todo_nr++] = job;
    }
    probe_parallel(opts, todo, todo_nr);
    for (size_t i = 0; i < show->nr; i++) {
        struct probe_job *job = &jobs[i];

        if (!job->ep)
            continue;
        if ((r = finish_job(job)) < 0) {
            if (ret == 0 || r == PP_ERR_IO)
                ret = r;
        } else {
            if (cache && job->measured)
                probe_cache_put(cache, job->ep->audio_path, &job->info);
        }
        audio_info_release(&job->info);
        strbuf_release(&job->msg);
        res->cached_nr += job->cached && !job->measured;
    }
    res->opened_nr = probe_files_opened() - opened;
    /* A failed save costs the next build time, not this one its feed. */
    if (cache && probe_cache_save(cache) < 0)
        warnf("the probe cache was not saved");
    probe_cache_free(cache);
    free(todo);
    free(jobs);
    return ret;
}

/* Oldest first; episodes at the same moment in file-name order. */
static int cmp_date_asc(const void *a, const void *b)
{
    const struct episode *x = *(struct episode *const *)a;
    const struct episode *y = *(struct episode *const *)b;

    if (x->date.t != y->date.t)
        return x->date.t < y->date.t ? -1 : 1;
    return strcmp(x->path, y->path);
}

static int cmp_date_desc(const void *a, const void *b)
{
    return cmp_date_asc(b, a);
}

/* Creates 'dir' and its parents, like mkdir -p. */
static int make_dirs(const char *dir)
{
    char *p = xstrdup(dir);
    int ret = 0;

    for (char *s = p + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;

            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST) {
                ret = errorf(PP_ERR_IO, "cannot create '%s': %s", p,
                             strerror(errno));
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return ret;
}

/* Writes out_dir/chapters/<episode>.json for each live episode. */
static int write_chapters(const struct build_opts *opts,
                          struct build_result *res)
{
    char *dir = xstrfmt("%s/chapters", opts->out_dir);
    int ret = 0;
    bool made = false;

    for (size_t i = 0; i < res->live_nr && ret == 0; i++) {
        struct episode *ep = res->live[i];
        struct strbuf sb = STRBUF_INIT;
        char *path;

        if (!ep->chapters_nr)
            continue;
        if (!made && (ret = make_dirs(dir)) < 0)
            break;
        made = true;
        chapters_render(ep, &sb);
        path = xstrfmt("%s/%s.json", dir, ep->name);
        ret = write_file_if_changed(path, sb.buf, sb.len);
        free(path);
        strbuf_release(&sb);
    }
    free(dir);
    return ret;
}

/* public/index.html: every live episode, newest first. */
static void render_page(const struct show *show,
                        const struct build_result *res, const char *archive,
                        struct outbuf *o)
{
    struct episode **eps = xcalloc(res->live_nr + 1, sizeof(*eps));

    if (res->live_nr) {
        memcpy(eps, res->live, res->live_nr * sizeof(*eps));
        qsort(eps, res->live_nr, sizeof(*eps), cmp_date_desc);
    }
    do
        page_render_to(show, eps, res->live_nr, archive, o);
    while (outbuf_again(o));
    free(eps);
}

/* A feed into 'o', rendered again when it differs from the file's. */
static int render_feed(const struct show *show, struct episode *const *eps,
                       size_t nr, const struct feed_paging *pg,
                       struct outbuf *o)
{
    int ret;

    do
        ret = feed_render_to(show, eps, nr, pg, o);
    while (ret == 0 && outbuf_again(o));
    return ret;
}

static void init_report(const struct build_opts *opts,
                        struct build_result *res)
{
    res->report.strict = opts->strict;
    report_ignore(&res->report, opts->ignore, opts->ignore_nr);
}

/*
 * The documents a build writes, rendered at once on separate threads
 * (they only read the show): feed.xml, index.html unless nothing is to
 * be written, and with feed_limit the complete archive feed, the two
 * feeds linked as RFC 5005 pages. Each is compared with the file it
 * replaces as it is rendered (struct outbuf). Meanwhile the rules run,
 * all but the feed's size, which waits for the feed (the longest of the
 * three).
 */
struct render_ctx {
    const struct build_opts *opts;
    const struct show *show;
    struct build_result *res;
    struct build_output *out;
    int ret[3];
};

static void render_one(void *arg, size_t i)
{
    struct render_ctx *c = arg;
    const struct show *show = c->show;
    struct build_result *res = c->res;
    struct build_output *out = c->out;

    if (i == 3) {
        init_report(c->opts, res);
        check_show_items(&res->report, show, res->live, res->live_nr,
                         c->opts->now);
    } else if (i == 0) {
        struct feed_paging head = { 0 };

        head.first = show->feed_url.s;
        head.next = out->archive_url;
        c->ret[0] = render_feed(show, res->feed, res->feed_nr,
                                out->archive_url ? &head : NULL, &out->feed);
    } else if (i == 1 && out->write) {
        render_page(show, res, out->archive_url, &out->page);
    } else if (i == 2 && out->archive_url) {
        struct feed_paging all = { 0 };

        all.self = out->archive_url;
        all.first = show->feed_url.s;
        all.previous = show->feed_url.s;
        c->ret[2] = render_feed(show, res->live, res->live_nr, &all,
                                &out->archive);
    }
}

/* Sorts the episodes into live, scheduled and drafts, live in feed order. */
static void select_episodes(const struct build_opts *opts, struct show *show,
                            struct build_result *res)
{
    res->live = xcalloc(show->nr + 1, sizeof(*res->live));
    res->drafts = xcalloc(show->nr + 1, sizeof(*res->drafts));
    res->scheduled = xcalloc(show->nr + 1, sizeof(*res->scheduled));
    for (size_t i = 0; i < show->nr; i++) {
        struct episode *ep = &show->episodes[i];

        if (ep->draft.v)
            res->drafts[res->drafts_nr++] = ep;
        else if (ep->date.t > opts->now)
            res->scheduled[res->scheduled_nr++] = ep;
        else
            res->live[res->live_nr++] = ep;
    }
    qsort(res->live, res->live_nr, sizeof(*res->live),
          show->serial ? cmp_date_asc : cmp_date_desc);
    qsort(res->scheduled, res->scheduled_nr, sizeof(*res->scheduled),
          cmp_date_asc);
    for (size_t i = 0; i < res->live_nr; i++)
        res->total_ms += res->live[i]->media.duration_ms;
    /* feed_limit keeps the newest N in feed.xml; the page keeps all. */
    res->feed = res->live;
    res->feed_nr = res->live_nr;
    if (show->feed_limit && res->live_nr > (size_t)show->feed_limit) {
        res->feed_nr = (size_t)show->feed_limit;
        if (show->serial)   /* oldest first: the newest are at the end */
            res->feed = res->live + (res->live_nr - res->feed_nr);
    }
}

/*
 * The width, height and type of the files of "images:" from their
 * headers, for podcast:image (the rule pi.images.size compares them with
 * what is written).
 */
static int probe_images(struct pi_image *im, size_t nr)
{
    int ret = 0;

    for (size_t i = 0; i < nr; i++, im++) {
        struct image_info info;
        struct strbuf msg = STRBUF_INIT;

        if (!im->path)
            continue;
        if (probe_image(im->path, &info, &msg) < 0) {
            ret = input_error(&im->href.pos, "images.href", "%s", msg.buf);
            strbuf_release(&msg);
            continue;
        }
        im->file_width = info.width;
        im->file_height = info.height;
        im->file_type = !info.format ? NULL : !strcmp(info.format, "png") ?
                        "image/png" : "image/jpeg";
    }
    return ret;
}

/* Moves the show's URLs under 'base' (opts->base_url: podpub serve). */
static void rebase_show(struct show *show, const char *base)
{
    char guid[UUID_STR_LEN];

    if (!show->guid.s && show->feed_url.s) {
        podcast_guid_for_url(show->feed_url.s, guid);
        show->guid.s = xstrdup(guid);
    }
    if (show->link.s && show->base_url.s &&
        !strcmp(show->link.s, show->base_url.s)) {
        free(show->link.s);
        show->link.s = xstrdup(base);
    }
    free(show->base_url.s);
    show->base_url.s = xstrdup(base);
    free(show->feed_url.s);
    show->feed_url.s = xstrfmt("%sfeed.xml", base);
}

static void load_probe_cache(void *arg)
{
    *(struct probe_cache **)arg = probe_cache_load(PROBE_CACHE_FILE);
}

int show_prepare(const struct build_opts *opts, struct show *show,
                 struct build_result *res)
{
    struct probe_cache *cache = NULL;
    /* The probe cache is read beside the show, which leaves a core idle. */
    struct task *loading = opts->no_cache ? NULL :
                           task_start(load_probe_cache, &cache);
    int ret, r;

    memset(res, 0, sizeof(*res));
    show->episode_cache = !opts->no_cache;
    ret = show_load(show);
    task_join(loading);
    if (ret == PP_ERR_IO || (ret < 0 && !show->title.s && !show->base_url.s)) {
        probe_cache_free(cache);
        return ret;
    }
    if (opts->base_url)
        rebase_show(show, opts->base_url);
    if (!opts->no_urls)
        show_fill_urls(show);
    if ((r = probe_all(opts, show, res, cache)) < 0 &&
        (ret == 0 || r == PP_ERR_IO))
        ret = r;
    if (probe_images(show->pi.images, show->pi.images_nr) < 0 && !ret)
        ret = PP_ERR_INPUT;
    for (size_t i = 0; i < show->nr; i++)
        if (!show->episodes[i].draft.v && !show->episodes[i].invalid &&
            probe_images(show->episodes[i].pi.images,
                         show->episodes[i].pi.images_nr) < 0 && !ret)
            ret = PP_ERR_INPUT;
    if (ret < 0)
        return ret;
    select_episodes(opts, show, res);
    res->prepared = true;
    return 0;
}

void build_check_show_file(const struct build_opts *opts,
                           const struct show *show, struct build_result *res)
{
    if (!show->file_ok)
        return;
    init_report(opts, res);
    check_show(&res->report, show, NULL, 0, opts->now, 0, 0);
}

int build_render(const struct build_opts *opts, const struct show *show,
                 struct build_result *res, bool write,
                 struct build_output *out)
{
    struct render_ctx rc = { opts, show, res, out, { 0, 0, 0 } };
    enum outbuf_mode mode = write ? OUTBUF_COMPARE : OUTBUF_COUNT;
    int ret;

    memset(out, 0, sizeof(*out));
    out->write = write;
    out->archive_url = res->feed_nr < res->live_nr ? show->archive_url : NULL;
    if (write) {
        out->feed_path = xstrfmt("%s/feed.xml", opts->out_dir);
        out->page_path = xstrfmt("%s/index.html", opts->out_dir);
        if (out->archive_url)
            out->archive_path = xstrfmt("%s/feed-all.xml", opts->out_dir);
    }
    outbuf_init(&out->feed, mode, out->feed_path);
    outbuf_init(&out->archive, mode, out->archive_path);
    outbuf_init(&out->page, mode, out->page_path);
    parallel_for_in_order(4, 1, render_one, &rc);
    if ((ret = rc.ret[0]) < 0 || (ret = rc.ret[2]) < 0)
        return ret;
    /* The rules judge the feed as it will be, size included. */
    check_show_size(&res->report, show, outbuf_len(&out->feed), res->feed_nr);
    return report_count(&res->report, RULE_ERROR) ? PP_ERR_INPUT : 0;
}

/* 'o' into 'path', unless the file already holds it. */
static int write_output(const char *path, const struct outbuf *o)
{
    if (o->same)
        return 0;
    if (o->gone)
        die("build_write: %s was let go of, not kept", path);
    return write_file_atomic(path, o->sb.buf, o->sb.len);
}

int build_write(const struct build_opts *opts, struct build_result *res,
                const struct build_output *out)
{
    int ret;

    if (!out->write)
        die("build_write: the output was rendered only to be measured");
    if (out->archive_url)
        res->archive_path = xstrdup(out->archive_path);
    res->feed_path = xstrdup(out->feed_path);
    /*
     * Written in this order, the feed last: everything it points at is
     * in place by then.
     */
    if ((ret = make_dirs(opts->out_dir)) < 0 ||
        (ret = build_write_alternates(opts, res)) < 0 ||
        (ret = write_chapters(opts, res)) < 0 ||
        (ret = write_output(out->page_path, &out->page)) < 0 ||
        (out->archive_url &&
         (ret = write_output(out->archive_path, &out->archive)) < 0))
        return ret;
    return write_output(out->feed_path, &out->feed);
}

void build_output_release(struct build_output *out)
{
    outbuf_release(&out->feed);
    outbuf_release(&out->archive);
    outbuf_release(&out->page);
    free(out->feed_path);
    free(out->archive_path);
    free(out->page_path);
    memset(out, 0, sizeof(*out));
}

int build_show(const struct build_opts *opts, struct show *show,
               struct build_result *res)
{
    struct build_output out = { 0 };
    int ret = show_prepare(opts, show, res);

    if (ret < 0) {
        /*
         * Episodes with errors cannot be judged, but a show file that read
         * well can: report its rules now rather than after the next run.
         */
        if (ret == PP_ERR_INPUT)
            build_check_show_file(opts, show, res);
        return ret;
    }
    if ((ret = build_alternates(opts, show, res)) < 0)
        return ret;
    /* Nothing is written if an error rule is broken. */
    if ((ret = build_render(opts, show, res, true, &out)) == 0)
        ret = build_write(opts, res, &out);
    build_output_release(&out);
    return ret;
}

void build_result_release(struct build_result *res)
{
    report_release(&res->report);
    free(res->feed_path);
    free(res->archive_path);
    free(res->live);
    free(res->drafts);
    free(res->scheduled);
    memset(res, 0, sizeof(*res));
}
