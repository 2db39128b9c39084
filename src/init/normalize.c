/*
 * `podpub normalize EPISODE...`: each episode's audio brought to the
 * show's loudness goal (sound_normalize(), in src/probe) as a new file
 * beside the old one, and the episode pointed at it. The old file is
 * kept: an app that downloaded the episode has those bytes, and a
 * producer may want to go back.
 *
 * What counts as published: an episode that is not a draft and whose
 * date has come. podpub cannot see the live feed without the network,
 * and a show published by CI every hour has every such episode in it
 * within the hour; a manifest copy on this machine would say nothing
 * about what CI published from another. So a past date is taken as
 * published, and changing that audio needs --allow-audio-change.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "podpub/init.h"
#include "podpub/probe.h"

char *normalized_name(const char *audio_path)
{
    const char *slash = strrchr(audio_path, '/');
    const char *dot = strrchr(audio_path, '.');
    size_t stem;
    char *name = NULL;

    if (!dot || (slash && dot < slash))
        dot = audio_path + strlen(audio_path);
    stem = (size_t)(dot - audio_path);
    /* A copy of a copy is named after the original: x-norm, not x-norm-norm. */
    {
        size_t n = stem;

        while (n && audio_path[n - 1] >= '0' && audio_path[n - 1] <= '9')
            n--;
        if (n >= 5 && !strncmp(audio_path + n - 5, "-norm", 5))
            stem = n - 5;
    }
    for (int i = 1; i < 1000; i++) {
        free(name);
        name = i == 1 ? xstrfmt("%.*s-norm%s", (int)stem, audio_path, dot)
                      : xstrfmt("%.*s-norm%d%s", (int)stem, audio_path, i,
                                dot);
        if (strcmp(name, audio_path) && access(name, F_OK) < 0 &&
            errno == ENOENT)
            return name;
    }
    free(name);
    return NULL;
}

/* The episode 'arg' names: its file ("episodes/x.md", "x.md") or "x". */
static struct episode *find_episode(struct show *show, const char *arg)
{
    const char *base = strrchr(arg, '/');
    size_t n;

    base = base ? base + 1 : arg;
    n = strlen(base);
    if (n > 3 && !strcmp(base + n - 3, ".md"))
        n -= 3;
    for (size_t i = 0; i < show->nr; i++) {
        struct episode *ep = &show->episodes[i];

        if (!strcmp(ep->path, arg) ||
            (strlen(ep->name) == n && !strncmp(ep->name, base, n)))
            return ep;
    }
    return NULL;
}

/* 'audio' with its last segment replaced by that of 'path'. */
static char *sibling(const char *audio, const char *path)
{
    const char *a = strrchr(audio, '/'), *p = strrchr(path, '/');

    p = p ? p + 1 : path;
    return a ? xstrfmt("%.*s/%s", (int)(a - audio), audio, p) : xstrdup(p);
}

static int normalize_one(const struct normalize_request *req,
                         struct show *show, const char *arg,
                         struct normalize_item *it)
{
    const struct loudness_goal *g = &show->loudness;
    struct normalize_opts o = { g->target, g->true_peak };
    struct episode *ep = find_episode(show, arg);
    struct loudness now;
    char *rel;
    int ret;

    it->episode = xstrdup(ep ? ep->path : arg);
    if (!ep)
        return errorf(PP_ERR_INPUT, "'%s' is not an episode of this show "
                      "(want episodes/NNN-name.md or NNN-name)", arg);
    if (ep->invalid || !ep->audio_path)
        return errorf(PP_ERR_INPUT, "%s: has errors (above); not "
                      "normalised", ep->path);
    it->from = xstrdup(ep->audio_path);
    if (!ep->draft.v && ep->date.t <= req->now && !req->allow_audio_change)
        return errorf(PP_ERR_INPUT, "%s is published (dated before now and "
                      "not a draft): listeners have its audio, and a new "
                      "file would change its enclosure under them; "
                      "--allow-audio-change to do it anyway", ep->path);
    if (req->starting)
        req->starting(req->ctx, ep->path);
    if ((ret = probe_loudness(ep->audio_path, &now, NULL)) < 0)
        return ret;
    if (!isinf(now.integrated) &&
        fabs(now.integrated - g->target) <= g->tolerance &&
        now.true_peak <= g->true_peak) {
        it->r.before = it->r.after = now;
        it->skipped = "already at the show's loudness";
        return 0;
    }
    if (!(it->to = normalized_name(ep->audio_path)))
        return errorf(PP_ERR_IO, "%s: no free name for the copy",
                      ep->audio_path);
    if ((ret = sound_normalize(ep->audio_path, it->to, &o, &it->r,
                               NULL)) < 0)
        return ret;
    rel = sibling(ep->audio.s, it->to);
    ret = episode_set_text(ep->path, &ep->audio, rel);
    free(rel);
    if (ret < 0)
        unlink(it->to);   /* no copy that no episode names */
    return ret;
}

int episodes_normalize(const struct normalize_request *req,
                       struct normalize_item *items)
{
    struct show show = { 0 };
    int ret = show_load(&show), r;

    memset(items, 0, req->nr * sizeof(*items));
    if (ret < 0 && !show.nr) {
        show_release(&show);
        return ret;
    }
    ret = 0;
    for (size_t i = 0; i < req->nr; i++) {
        r = items[i].ret = normalize_one(req, &show, req->episodes[i],
                                         &items[i]);
        if (r < 0 && (ret == 0 || r == PP_ERR_IO))
            ret = r;
    }
    show_release(&show);
    return ret;
}

void normalize_item_release(struct normalize_item *item)
{
    free(item->episode);
    free(item->from);
    free(item->to);
    memset(item, 0, sizeof(*item));
}
