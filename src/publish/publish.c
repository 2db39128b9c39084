/*
 * `podpub publish`: the order of things is the safety. Build and check;
 * read the remote manifest and the live feed and refuse to drop or
 * re-identify what listeners have; if anything differs, take the lock;
 * upload what changed (in parallel, with retries); write the manifest;
 * replace the feed last; prune; release the lock; notify. A failure
 * before the feed leaves the old feed live, and everything it names is
 * still there. Each step is a function below; publish_show() only runs
 * them in order.
 *
 * Trust: the manifest, the lock and the live feed are read from storage
 * others may write to. Every key taken from them passes key_valid()
 * first (a manifest with one bad key is refused whole); --prune deletes
 * only manifest entries of episodes that left the show; every local file
 * is opened inside the show's roots and uploaded exactly as hashed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lock.h"
#include "notify.h"
#include "plan.h"
#include "podpub/feedread.h"
#include "podpub/publish.h"
#include "upload.h"

/* The live feed podpub compares with is read up to this size. */
#define LIVE_FEED_MAX (64u << 20)

/* Everything one publish holds, so each step can be a function. */
struct publish {
    const struct publish_opts *o;
    const struct publish_report *rep;
    struct show *show;
    struct build_result *res;
    struct publish_result *out;
    struct target t;
    struct path_roots roots;
    struct plan p;
    struct manifest m;
    struct diff d;
    struct strbuf live_bytes;   /* the live feed as served */
    bool live_exists;           /* there is a live feed */
    struct show live;           /* ... and what it says, when readable */
    bool live_read;
    char *feed_key;
    bool locked;
};

/* --- the result the caller prints ---------------------------------------- */

/* Copies the plan into the result (once it is known). */
static void result_plan(struct publish *pub)
{
    struct publish_result *r = pub->out;

    r->planned = true;
    r->dry_run = pub->o->dry_run;
    r->added = pub->d.added;
    r->changed_notes = pub->d.changed_notes;
    r->removed = pub->d.removed;
    r->guid_changed = pub->d.guid_changed;
    r->files = xcalloc(pub->p.nr + 1, sizeof(*r->files));
    r->files_nr = pub->p.nr;
    for (size_t i = 0; i < pub->p.nr; i++) {
        const struct pfile *f = &pub->p.files[i];

        r->files[i].key = xstrdup(f->key);
        r->files[i].bytes = f->size;
        memcpy(r->files[i].sha256, f->sha256, 65);
        r->files[i].plan = f->reason;
    }
    r->uploads = pub->p.uploads;
    r->upload_bytes = pub->p.upload_bytes;
    r->removals = xcalloc(pub->p.remove_nr + 1, sizeof(*r->removals));
    r->removals_nr = pub->p.remove_nr;
    for (size_t i = 0; i < pub->p.remove_nr; i++)
        r->removals[i].key = xstrdup(pub->p.remove[i]);
    r->up_to_date = !pub->p.uploads && !pub->p.remove_nr;
}

void publish_result_release(struct publish_result *r)
{
    for (size_t i = 0; i < r->files_nr; i++)
        free(r->files[i].key);
    free(r->files);
    for (size_t i = 0; i < r->removals_nr; i++)
        free(r->removals[i].key);
    free(r->removals);
    free(r->target);
    memset(r, 0, sizeof(*r));
}

/* The upload loop's "this file is up": marked in the result, reported. */
static void file_uploaded(void *ctx, const struct pfile *f)
{
    struct publish *pub = ctx;
    struct publish_file *rf = &pub->out->files[f - pub->p.files];

    rf->uploaded = true;
    if (pub->rep && pub->rep->uploaded)
        pub->rep->uploaded(pub->rep->ctx, rf);
}

static void progress(void *ctx, const struct publish_progress *pr)
{
    const struct publish *pub = ctx;

    pub->rep->progress(pub->rep->ctx, pr);
}

static void trace(void *ctx, char dir, const char *line)
{
    const struct publish_report *rep = ctx;

    rep->trace(rep->ctx, dir, line);
}

/* --- the steps ------------------------------------------------------------ */

/*
 * The folders publish may read local files from: the show's roots (its
 * folder, media_roots) and the build's output folder.
 */
static int local_roots(struct publish *pub)
{
    const struct path_roots *show = &pub->show->roots;

    for (size_t i = 0; i < show->nr; i++)
        if (path_roots_add(&pub->roots, show->dirs[i]) < 0)
            return errorf(PP_ERR_IO, "cannot resolve '%s': %s",
                          show->dirs[i], strerror(errno));
    if (path_roots_add(&pub->roots, pub->o->out_dir) < 0)
        return errorf(PP_ERR_IO, "cannot resolve '%s': %s", pub->o->out_dir,
                      strerror(errno));
    return 0;
}

/* Opens the target and plans and hashes the show's files. */
static int open_and_plan(struct publish *pub, const char *url)
{
    int ret;

    if ((ret = plan_feed_key(pub->show, &pub->feed_key)) < 0)
        return ret;
    if ((ret = target_open(&pub->t, url, pub->o->insecure_http)) < 0)
        return ret;
    pub->out->target = xstrdup(pub->t.display);
    pub->t.stall_s = pub->o->stall_s;
    if (pub->rep && pub->rep->trace) {
        pub->t.trace = trace;
        pub->t.trace_ctx = (void *)pub->rep;
    }
    if ((ret = local_roots(pub)) < 0)
        return ret;
    pub->t.roots = &pub->roots;
    if ((ret = plan_files(&pub->p, pub->o->out_dir, pub->show, pub->res,
                          pub->feed_key)) < 0)
        return ret;
    return plan_hash(&pub->p, &pub->roots, !pub->o->dry_run);
}

/* Reads and validates the manifest (refused whole when any of it is bad). */
static int read_manifest(struct publish *pub)
{
    struct strbuf body = STRBUF_INIT;
    int ret = target_get(&pub->t, MANIFEST_KEY, &body, MANIFEST_MAX_BYTES);

    if (ret == 0) {
        char *where = xstrfmt("%s%s", pub->t.display, MANIFEST_KEY);

        ret = manifest_parse(&pub->m, body.buf, body.len, where);
        free(where);
    }
    strbuf_release(&body);
    return ret < 0 ? ret : 0;
}

/*
 * Reads the live feed as it is served, and compares what it says with
 * the show (the guard). A feed that cannot be read is a warning: then
 * there is nothing to compare with.
 */
static int read_live_feed(struct publish *pub)
{
    int ret = target_get(&pub->t, pub->feed_key, &pub->live_bytes,
                         LIVE_FEED_MAX);

    if (ret < 0)
        return ret;
    pub->live_exists = ret == 0;
    if (!pub->live_exists) {
        pub->d.added = pub->res->feed_nr;   /* the first publish */
        return 0;
    }
    if (feed_parse(pub->feed_key, pub->live_bytes.buf, pub->live_bytes.len,
                   &pub->live) == 0) {
        plan_compare(&pub->live, pub->res, pub->o->allow_removal,
                     pub->o->allow_guid_change, &pub->d);
        pub->live_read = true;
    } else {
        warnf("the live feed at %s%s could not be read; publishing without "
              "comparing", pub->t.display, pub->feed_key);
    }
    return 0;
}

/* What goes up and what goes away, told to the caller. */
static int make_plan(struct publish *pub)
{
    int ret = plan_reasons(&pub->p, &pub->m,
                           pub->live_exists ? &pub->live_bytes : NULL);

    if (ret < 0)
        return ret;
    if (pub->o->prune)
        plan_prune(&pub->p, &pub->m, pub->live_read ? &pub->live : NULL,
                   pub->show, pub->res);
    result_plan(pub);
    if (pub->rep && pub->rep->planned)
        pub->rep->planned(pub->rep->ctx, pub->out);
    return 0;
}

/*
 * Takes the lock; holding it, podpub may clear what an earlier publish
 * killed in the middle left behind.
 */
static int lock(struct publish *pub)
{
    const char *temps[] = { pub->feed_key, LOCK_KEY, NULL };
    size_t removed;
    int ret = lock_take(&pub->t, pub->o->now, pub->o->lock_stale_s, temps,
                        &pub->locked);

    if (ret < 0)
        return ret;
    removed = target_remove_stale_temps(&pub->t, pub->o->lock_stale_s);
    if (removed)
        warnf("removed %zu temporary file%s an interrupted publish left at "
              "%s", removed, removed == 1 ? "" : "s", pub->t.display);
    return 0;
}

static int upload(struct publish *pub)
{
    const struct publish_report *rep = pub->rep;
    struct upload_opts uo = {
        .jobs = pub->o->jobs, .retries = pub->o->retries,
        .stall_s = pub->o->stall_s, .ctx = pub, .uploaded = file_uploaded,
        .progress = rep && rep->progress ? progress : NULL,
    };

    return upload_all(&pub->t, &pub->p, &uo);
}

/*
 * Writes the manifest to the target, and a copy into the show's .podpub/
 * (what `podpub stats` maps earlier file names with).
 */
static int put_manifest(struct publish *pub)
{
    struct strbuf sb = STRBUF_INIT;
    int ret;

    manifest_render(&pub->m, &sb);
    ret = target_put_data(&pub->t, MANIFEST_KEY, sb.buf, sb.len,
                          "application/json", "no-store");
    if (ret == 0 && (mkdir(".podpub", 0755) == 0 || errno == EEXIST) &&
        write_file_atomic(MANIFEST_COPY, sb.buf, sb.len) < 0)
        warnf("the local copy of the manifest was not saved");
    strbuf_release(&sb);
    return ret;
}

/* Records what went up in the manifest, and writes it. */
static int write_manifest(struct publish *pub)
{
    struct pp_date now;
    char when[32];

    date_in_zone(pub->o->now, NULL, &now);
    date_format_rfc3339(&now, when);
    for (size_t i = 0; i < pub->p.nr; i++) {
        const struct pfile *f = &pub->p.files[i];

        if (f->done)
            manifest_set(&pub->m, f->key, f->size, f->sha256, when, f->guid);
    }
    return put_manifest(pub);
}

/* The feed, last of all: atomically where the storage allows it. */
static int replace_feed(struct publish *pub)
{
    int ret;

    if (!pub->p.feed->reason)
        return 0;
    if ((ret = target_replace(&pub->t, pub->p.feed)) < 0)
        return ret;
    pub->p.feed->done = true;
    pub->out->files[pub->p.nr - 1].uploaded = true;
    if (pub->rep && pub->rep->feed_live)
        pub->rep->feed_live(pub->rep->ctx, pub->show->feed_url.s);
    return 0;
}

/*
 * --prune, with the new feed live: deletes what plan_prune() chose, each
 * failure reported, and records the manifest without what went.
 */
static int prune(struct publish *pub)
{
    int ret = 0;

    for (size_t i = 0; i < pub->p.remove_nr; i++) {
        const char *key = pub->p.remove[i];

        if (target_delete(&pub->t, key) < 0) {
            ret = PP_ERR_REMOTE;   /* printed; the others still go */
            continue;
        }
        pub->out->removals[i].removed = true;
        manifest_remove(&pub->m, key);
        if (pub->rep && pub->rep->removed)
            pub->rep->removed(pub->rep->ctx, key);
    }
    if (pub->p.remove_nr && put_manifest(pub) < 0)
        warnf("the manifest was not updated after pruning");
    return ret;
}

static void publish_release(struct publish *pub)
{
    if (pub->locked && lock_release(&pub->t) < 0)
        warnf("the lock %s%s could not be removed", pub->t.display,
              LOCK_KEY);
    show_release(&pub->live);
    strbuf_release(&pub->d.refusals);
    strbuf_release(&pub->live_bytes);
    manifest_release(&pub->m);
    plan_release(&pub->p);
    path_roots_release(&pub->roots);
    target_close(&pub->t);
    free(pub->feed_key);
}

int publish_show(const struct publish_opts *o, struct show *show,
                 struct build_result *res, struct publish_result *out)
{
    struct build_opts bo = { .out_dir = o->out_dir, .now = o->now };
    struct publish pub = {
        .o = o, .rep = o->report, .show = show, .res = res, .out = out,
        .d = { .refusals = STRBUF_INIT }, .live_bytes = STRBUF_INIT,
    };
    const char *url;
    int ret;

    /* 1. Build and check: any error stops here, nothing is uploaded. */
    if ((ret = build_show(&bo, show, res)) < 0)
        return ret;
    url = o->target ? o->target : show->publish_target.s;
    if (!url)
        return errorf(PP_ERR_USAGE, "nowhere to publish: set publish.target "
                      "in %s or give --target URL", PP_SHOW_FILE);
    /* 2. The live state, and the plan against it. */
    if ((ret = open_and_plan(&pub, url)) < 0 ||
        (ret = read_manifest(&pub)) < 0 ||
        (ret = read_live_feed(&pub)) < 0 ||
        (ret = make_plan(&pub)) < 0)
        goto out;
    if (out->up_to_date)
        goto out;   /* nothing differs: no lock, no write; two reads */
    if (pub.d.refusals.len) {
        ret = errorf(PP_ERR_INPUT, "refusing to publish: listeners already "
                     "have these episodes:\n%s(--allow-removal and "
                     "--allow-guid-change override this)",
                     pub.d.refusals.buf);
        goto out;
    }
    if (o->dry_run)
        goto out;
    /* 3. One publisher at a time. 4. Media, manifest, then the feed. */
    if ((ret = lock(&pub)) < 0 || (ret = upload(&pub)) < 0 ||
        (ret = write_manifest(&pub)) < 0 || (ret = replace_feed(&pub)) < 0)
        goto out;
    /* 5. Only now, with the new feed live: prune, and notify. */
    ret = prune(&pub);
    if (pub.p.feed->reason)
        notify_all(show, pub.rep);
out:
    publish_release(&pub);
    return ret;
}
