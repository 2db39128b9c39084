/*
 * The show's "alternates:": each live episode transcoded to every codec
 * and bit rate listed, for podcast:alternateEnclosure. A transcode is
 * kept in .podpub/alt/ under the SHA-256 of its source and the setting
 * ("<sha256>-opus-24000.opus"), so it is made once whatever the file is
 * called or wherever the build writes; the build then links it into
 * <out>/alt/ under the episode's name, probes it like any audio and
 * hashes it (each through a file-identity cache of its own). The
 * transcodes run on every core, one file each, with the build's progress
 * callback.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podpub/build.h"
#include "podpub/fileid.h"
#include "podpub/probe.h"
#include "podpub/sound.h"
#include "podpub/strbuf.h"

#define ALT_CACHE_DIR ".podpub/alt"
/*
 * Their own caches: a file-identity cache keeps, when saved, only what
 * was looked up since it was loaded, so sharing the build's probe cache
 * or publishing's hash cache would drop the other's entries each time.
 */
#define ALT_PROBE_CACHE ALT_CACHE_DIR "/probe-cache"
#define ALT_HASH_CACHE ALT_CACHE_DIR "/hash-cache"

struct alt_job {
    struct episode *ep;
    const struct alternate *alt;
    const struct sound_codec *codec;
    char *cached;               /* .podpub/alt/<sha>-<codec>-<rate>.<ext> */
    struct strbuf msg;
    int ret;
};

struct alt_run {
    const struct build_opts *opts;
    struct alt_job *jobs, **todo;
    size_t nr, todo_nr;
};

/* The SHA-256 of 'path' through 'cache' (computed when not there). */
static int cached_sha256(struct fileid_cache *cache, const char *path,
                         char hex[65])
{
    struct stat st;
    int fd, ret;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
        ret = errorf(PP_ERR_IO, "cannot read '%s': %s", path,
                     strerror(errno));
        if (fd >= 0)
            close(fd);
        return ret;
    }
    ret = fileid_cache_sha256(cache, path, fd, &st, hex);
    close(fd);
    return ret;
}

static void transcode_one(void *ctx, size_t i)
{
    struct alt_job *job = ((struct alt_job **)ctx)[i];

    job->ret = sound_transcode(job->ep->audio_path, job->cached, job->codec,
                               job->alt->bitrate, &job->msg);
}

static void transcode_progress(void *ctx, size_t done, size_t total,
                               size_t current)
{
    struct alt_run *run = ctx;

    run->opts->progress("transcoding", done, total, current < total ?
                        run->todo[current]->ep->audio_path : NULL,
                        run->opts->progress_ctx);
}

/* "24k" for 24000, "64.5k" never happens: bit rates are whole kbit/s. */
static char *rate_name(int64_t bitrate)
{
    return bitrate % 1000 ? xstrfmt("%" PRId64, bitrate)
                          : xstrfmt("%" PRId64 "k", bitrate / 1000);
}

/* Fills ep->alts[] for job 'job', probing and hashing its file. */
static int describe(const struct build_opts *opts, const struct show *show,
                    struct alt_job *job, struct probe_cache *pc,
                    struct fileid_cache *hc)
{
    struct episode *ep = job->ep;
    struct episode_alt *a = &ep->alts[ep->alts_nr];
    struct audio_info info = { 0 };
    char *rate = rate_name(job->alt->bitrate);
    int ret;

    if (!probe_cache_get(pc, job->cached, &info)) {
        struct strbuf msg = STRBUF_INIT;

        if ((ret = probe_audio_msg(job->cached, &info, &msg)) < 0) {
            errorf(ret, "%s", msg.buf);
            strbuf_release(&msg);
            free(rate);
            return ret;
        }
        strbuf_release(&msg);
        probe_cache_put(pc, job->cached, &info);
    }
    memset(a, 0, sizeof(*a));
    if ((ret = cached_sha256(hc, job->cached, a->sha256)) < 0) {
        audio_info_release(&info);
        free(rate);
        return ret;
    }
    a->alt = job->alt;
    a->cached = xstrdup(job->cached);
    a->key = xstrfmt("alt/%s-%s.%s", ep->name, rate, job->codec->ext);
    a->path = xstrfmt("%s/%s", opts->out_dir, a->key);
    a->url = show_file_url(show, a->key);
    a->title = xstrfmt("%s %" PRId64 " kbit/s", job->codec->label,
                       job->alt->bitrate / 1000);
    a->size = info.size;
    a->duration_ms = info.duration_ms;
    a->bit_rate = info.duration_ms > 0 ?
                  (int64_t)(info.size * 8000 / (uint64_t)info.duration_ms) :
                  info.bit_rate;
    a->mime = info.mime;
    ep->alts_nr++;
    audio_info_release(&info);
    free(rate);
    return 0;
}

/* Removes the transcodes in .podpub/alt/ that no episode uses any more. */
static void prune_cache(const struct alt_run *run)
{
    DIR *d = opendir(ALT_CACHE_DIR);
    struct dirent *de;

    if (!d)
        return;
    while ((de = readdir(d))) {
        bool used = false;
        char *path;

        /* Only names this file makes: 64 hex digits, then a dash. */
        if (strlen(de->d_name) < 66 ||
            strspn(de->d_name, "0123456789abcdef") != 64 ||
            de->d_name[64] != '-')
            continue;
        path = xstrfmt("%s/%s", ALT_CACHE_DIR, de->d_name);
        for (size_t i = 0; i < run->nr && !used; i++)
            used = !strcmp(run->jobs[i].cached, path);
        if (!used)
            unlink(path);
        free(path);
    }
    closedir(d);
}

int build_alternates(const struct build_opts *opts, struct show *show,
                     struct build_result *res)
{
    struct alt_run run = { opts, NULL, NULL, 0, 0 };
    struct parallel_progress pg = { transcode_progress, &run, 1.0 };
    struct fileid_cache *hc;
    struct probe_cache *pc;
    size_t max = res->live_nr * show->alternates_nr;
    int ret = 0;

    if (!max)
        return 0;
    if (mkdir(".podpub", 0755) < 0 && errno != EEXIST)
        return errorf(PP_ERR_IO, "cannot create '.podpub': %s",
                      strerror(errno));
    if (mkdir(ALT_CACHE_DIR, 0755) < 0 && errno != EEXIST)
        return errorf(PP_ERR_IO, "cannot create '%s': %s", ALT_CACHE_DIR,
                      strerror(errno));
    hc = fileid_cache_load(ALT_HASH_CACHE, PP_HASH_CACHE_MAGIC);
    pc = probe_cache_load(opts->no_cache ? "/dev/null" : ALT_PROBE_CACHE);
    run.jobs = xcalloc(max, sizeof(*run.jobs));
    run.todo = xcalloc(max, sizeof(*run.todo));
    for (size_t i = 0; i < res->live_nr && ret == 0; i++) {
        struct episode *ep = res->live[i];
        char sha[65];

        if (!ep->audio_path || !ep->media.probed)
            continue;
        if ((ret = cached_sha256(hc, ep->audio_path, sha)) < 0)
            break;
        episode_clear_alts(ep);
        ep->alts = xcalloc(show->alternates_nr, sizeof(*ep->alts));
        for (size_t k = 0; k < show->alternates_nr; k++) {
            struct alt_job *job = &run.jobs[run.nr++];
            struct stat st;

            job->ep = ep;
            job->alt = &show->alternates[k];
            job->codec = sound_codec_find(job->alt->codec);
            if (!job->codec)
                die("alternates: unknown codec '%s'", job->alt->codec);
            job->cached = xstrfmt("%s/%s-%s-%" PRId64 ".%s", ALT_CACHE_DIR,
                                  sha, job->codec->name, job->alt->bitrate,
                                  job->codec->ext);
            strbuf_init(&job->msg);
            if (opts->no_cache || stat(job->cached, &st) < 0 ||
                !S_ISREG(st.st_mode))
                run.todo[run.todo_nr++] = job;
        }
    }
    if (ret == 0) {
        parallel_for_progress(run.todo_nr, 1, transcode_one, run.todo,
                              opts->progress ? &pg : NULL);
        res->transcoded_nr = run.todo_nr;
    }
    for (size_t i = 0; i < run.nr && ret == 0; i++) {
        struct alt_job *job = &run.jobs[i];

        if (job->ret < 0) {
            ret = errorf(job->ret, "%s: cannot make the %s alternate: %s",
                         job->ep->path, job->codec->label, job->msg.buf);
            break;
        }
        ret = describe(opts, show, job, pc, hc);
    }
    if (ret == 0) {
        prune_cache(&run);
        if (!opts->no_cache && probe_cache_save(pc) < 0)
            warnf("the probe cache was not saved");
        if (fileid_cache_save(hc) < 0)
            warnf("the hash cache was not saved");
    }
    for (size_t i = 0; i < run.nr; i++) {
        free(run.jobs[i].cached);
        strbuf_release(&run.jobs[i].msg);
    }
    free(run.jobs);
    free(run.todo);
    probe_cache_free(pc);
    fileid_cache_free(hc);
    return ret;
}

/* Puts 'from' at 'to': a hard link, else a copy (another file system). */
static int place(const char *from, const char *to)
{
    struct stat a, b;
    struct strbuf sb = STRBUF_INIT;
    int ret;

    if (stat(from, &a) == 0 && stat(to, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return 0;   /* already the same file */
    if (unlink(to) < 0 && errno != ENOENT)
        return errorf(PP_ERR_IO, "cannot replace '%s': %s", to,
                      strerror(errno));
    if (link(from, to) == 0)
        return 0;
    if ((ret = strbuf_read_file(&sb, from, SIZE_MAX / 2)) == 0)
        ret = write_file_atomic(to, sb.buf, sb.len);
    strbuf_release(&sb);
    return ret;
}

int build_write_alternates(const struct build_opts *opts,
                           const struct build_result *res)
{
    char *dir = xstrfmt("%s/alt", opts->out_dir);
    int ret = 0;

    for (size_t i = 0; i < res->live_nr && ret == 0; i++) {
        const struct episode *ep = res->live[i];

        for (size_t k = 0; k < ep->alts_nr && ret == 0; k++) {
            if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                ret = errorf(PP_ERR_IO, "cannot create '%s': %s", dir,
                             strerror(errno));
            else
                ret = place(ep->alts[k].cached, ep->alts[k].path);
        }
    }
    free(dir);
    return ret;
}
