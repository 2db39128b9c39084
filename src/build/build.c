/*
 * The build: load, probe, select, order, write. Probing errors are
 * reported at the episode's 'audio:' line so that the producer sees which
 * file named the bad audio.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podpub/build.h"
#include "podpub/feed.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"

static int probe_episode(struct episode *ep)
{
    struct strbuf msg = STRBUF_INIT;
    struct audio_info info;
    int ret = probe_audio_msg(ep->audio_path, &info, &msg);

    if (ret == PP_ERR_INPUT) {
        input_error(&ep->audio.pos, "audio", "%s", msg.buf);
    } else if (ret < 0) {
        errorf(ret, "%s", msg.buf);
    } else {
        if (probe_warning(ep->audio_path, &info, &msg))
            input_warning(&ep->audio.pos, "audio", "%s", msg.buf);
        ep->media.probed = true;
        ep->media.duration_ms = info.duration_ms;
        ep->media.size = info.size;
        ep->media.mime = info.mime;
    }
    strbuf_release(&msg);
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

int build_show(const struct build_opts *opts, struct show *show,
               struct build_result *res)
{
    int ret, r;

    memset(res, 0, sizeof(*res));
    ret = show_load(show);
    if (ret == PP_ERR_IO || (ret < 0 && !show->title.s && !show->base_url.s))
        return ret;
    res->live = xcalloc(show->nr + 1, sizeof(*res->live));
    res->drafts = xcalloc(show->nr + 1, sizeof(*res->drafts));
    res->scheduled = xcalloc(show->nr + 1, sizeof(*res->scheduled));
    for (size_t i = 0; i < show->nr; i++) {
        struct episode *ep = &show->episodes[i];

        if (ep->draft.v) {
            res->drafts[res->drafts_nr++] = ep;
            continue;
        }
        if (ep->invalid)
            continue;
        /* Scheduled episodes are probed too: CI publishes them later. */
        if (ep->audio_path && (r = probe_episode(ep)) < 0 &&
            (ret == 0 || r == PP_ERR_IO))
            ret = r;
        if (ep->date.t > opts->now)
            res->scheduled[res->scheduled_nr++] = ep;
        else
            res->live[res->live_nr++] = ep;
    }
    if (ret < 0)
        return ret;
    qsort(res->live, res->live_nr, sizeof(*res->live),
          show->serial ? cmp_date_asc : cmp_date_desc);
    qsort(res->scheduled, res->scheduled_nr, sizeof(*res->scheduled),
          cmp_date_asc);
    for (size_t i = 0; i < res->live_nr; i++)
        res->total_ms += res->live[i]->media.duration_ms;
    if ((ret = make_dirs(opts->out_dir)) < 0)
        return ret;
    res->feed_path = xstrfmt("%s/feed.xml", opts->out_dir);
    return feed_write(show, res->live, res->live_nr, res->feed_path);
}

void build_result_release(struct build_result *res)
{
    free(res->feed_path);
    free(res->live);
    free(res->drafts);
    free(res->scheduled);
    memset(res, 0, sizeof(*res));
}
