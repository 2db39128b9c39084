/*
 * `podpub add`: a new episode from an audio file. The invariants are set
 * here once and never touched again: a fresh random GUID, the next
 * number in the season, an ASCII slug, a date with its UTC offset. Files
 * are created exclusively: nothing that exists is ever overwritten.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "podpub/init.h"
#include "podpub/yamltree.h"
#include "podpub/probe.h"
#include "podpub/uuid.h"

/* Writes 'len' bytes to the new file 'path'; fails if it exists. */
static int create_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int ret = 0;

    if (fd < 0)
        return errorf(errno == EEXIST ? PP_ERR_INPUT : PP_ERR_IO,
                      "cannot create '%s': %s", path, strerror(errno));
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path,
                         strerror(errno));
            break;
        }
        data += n;
        len -= (size_t)n;
    }
    if (close(fd) < 0 && !ret)
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", path,
                     strerror(errno));
    if (ret)
        unlink(path);
    return ret;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out, ret = 0;
    char buf[1 << 16];
    ssize_t n;

    if (in < 0)
        return errorf(PP_ERR_IO, "cannot open '%s': %s", from,
                      strerror(errno));
    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return errorf(errno == EEXIST ? PP_ERR_INPUT : PP_ERR_IO,
                      "cannot create '%s': %s", to, strerror(errno));
    }
    while ((n = read(in, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = errorf(PP_ERR_IO, "cannot read '%s': %s", from,
                         strerror(errno));
            break;
        }
        if (write_all(out, buf, (size_t)n) < 0) {
            ret = errorf(PP_ERR_IO, "cannot write '%s': %s", to,
                         strerror(errno));
            goto out;
        }
    }
out:
    close(in);
    if (close(out) < 0 && !ret)
        ret = errorf(PP_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
    if (ret)
        unlink(to);
    return ret;
}

/* Puts the audio at 'to' as asked; 'to' must not exist. */
static int place_audio(const char *from, const char *to,
                       enum add_placement how)
{
    if (access(to, F_OK) == 0)
        return errorf(PP_ERR_INPUT, "'%s' exists; not overwritten", to);
    switch (how) {
    case ADD_MOVE:
        if (rename(from, to) == 0)
            return 0;
        if (errno != EXDEV)
            return errorf(PP_ERR_IO, "cannot move '%s' to '%s': %s", from,
                          to, strerror(errno));
        if (copy_file(from, to) < 0)
            return PP_ERR_IO;
        if (unlink(from) < 0)
            warnf("copied '%s' but could not remove it: %s", from,
                  strerror(errno));
        return 0;
    case ADD_LINK:
        if (link(from, to) == 0)
            return 0;
        /* Another file system: a symbolic link to the absolute path. */
        {
            char abs[PATH_MAX];

            if (!realpath(from, abs) || symlink(abs, to) < 0)
                return errorf(PP_ERR_IO, "cannot link '%s' to '%s': %s",
                              to, from, strerror(errno));
        }
        return 0;
    default:
        return copy_file(from, to);
    }
}

/* The path of 'p' relative to episodes/ when it is inside it, else NULL. */
static const char *inside_episodes(const char *p)
{
    if (starts_with(p, "./"))
        p += 2;
    if (starts_with(p, PP_EPISODES_DIR "/") && !strstr(p, "/../"))
        return p + strlen(PP_EPISODES_DIR) + 1;
    return NULL;
}

/*
 * Refuses audio that another episode already uses: same content (SHA-256,
 * compared only against files of the same size) or same path.
 */
static int check_duplicate(const struct show *show, const char *audio,
                           uint64_t size)
{
    char mine[65] = "", theirs[65];
    int ret = 0;

    for (size_t i = 0; i < show->nr && ret == 0; i++) {
        const struct episode *ep = &show->episodes[i];
        struct stat st;

        if (!ep->audio_path || stat(ep->audio_path, &st) < 0 ||
            (uint64_t)st.st_size != size)
            continue;
        if (!*mine && (ret = file_sha256(audio, mine)) < 0)
            break;
        if ((ret = file_sha256(ep->audio_path, theirs)) < 0)
            break;
        if (!strcmp(mine, theirs))
            ret = errorf(PP_ERR_INPUT, "'%s' is already the audio of %s "
                         "(same content); use --force to add it again",
                         audio, ep->path);
    }
    return ret;
}

/*
 * `add --normalize`: a copy of the audio at the show's loudness goal is
 * what goes to res->audio_path (the original stays where it is); the
 * result then describes the copy.
 */
static int normalize_into(const struct add_opts *o, const struct show *show,
                          struct add_result *res)
{
    struct normalize_opts no = { show->loudness.target,
                                 show->loudness.true_peak };
    struct audio_info info;
    int ret;

    if (access(res->audio_path, F_OK) == 0)
        return errorf(PP_ERR_INPUT, "'%s' exists; not overwritten",
                      res->audio_path);
    if ((ret = sound_normalize(o->audio, res->audio_path, &no, &res->norm,
                               NULL)) < 0)
        return ret;
    if ((ret = probe_audio(res->audio_path, &info)) < 0) {
        unlink(res->audio_path);
        return ret;
    }
    res->normalized = true;
    res->size = info.size;
    res->duration_ms = info.duration_ms;
    audio_info_release(&info);
    return 0;
}

/* A title from the file name: "002-mijn_aflevering.mp3" -> "mijn aflevering". */
static char *title_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    char *t, *dot;

    base = base ? base + 1 : path;
    base += strspn(base, "0123456789");
    base += strspn(base, "-_ .");
    t = xstrdup(*base ? base : "Episode");
    if ((dot = strrchr(t, '.')) && dot != t)
        *dot = '\0';
    for (char *p = t; *p; p++)
        if (*p == '_' || *p == '-')
            *p = ' ';
    return t;
}

static const char *ext_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    return dot && !strchr(dot, '/') ? dot + 1 : "";
}

int episode_add(const struct add_opts *o, struct add_result *res)
{
    struct show show = { 0 };
    struct audio_info info = { 0 };
    struct audio_tags tags = { 0 };
    struct pp_date date;
    struct strbuf md = STRBUF_INIT;
    const char *why, *in_place;
    long long season = o->season, number = o->episode;
    char *slug = NULL, *ext = NULL, *audio_rel = NULL;
    bool numbered;
    int ret;

    memset(res, 0, sizeof(*res));
    ret = show_load(&show);
    if (ret < 0 && !show.base_url.s)
        goto out;
    if (ret < 0)
        warnf("the show has errors (above); the new episode is added "
              "anyway");
    if ((ret = probe_audio(o->audio, &info)) < 0 ||
        (ret = probe_audio_tags(o->audio, &tags)) < 0)
        goto out;
    if (!o->force && (ret = check_duplicate(&show, o->audio, info.size)) < 0)
        goto out;

    res->title = xstrdup(o->title ? o->title : tags.title ? tags.title :
                         "");
    if (!*res->title) {
        free(res->title);
        res->title = title_from_name(o->audio);
    }
    if (o->date) {
        if (date_parse(o->date, show.timezone.s, &date, &why) < 0) {
            ret = errorf(PP_ERR_USAGE, "--date: \"%s\" %s", o->date, why);
            goto out;
        }
    } else if (!tags.date || strlen(tags.date) < 10 ||
               date_parse(tags.date, show.timezone.s, &date, &why) < 0) {
        /* No full date in the tags: now, to the minute, in the show's zone. */
        date_in_zone(o->now - o->now % 60, show.timezone.s, &date);
    }
    date_format_rfc3339(&date, res->date);

    /* Season: asked, the tag's disc, else the show's latest season. */
    if (!season)
        season = tags.disc;
    for (size_t i = 0; i < show.nr && !season; i++)
        if (show.episodes[i].season.set && show.episodes[i].season.v > season)
            season = show.episodes[i].season.v;
    numbered = !o->type || !strcmp(o->type, "full") || o->episode;
    if (numbered && !number) {
        long long max = 0;

        for (size_t i = 0; i < show.nr; i++) {
            const struct episode *ep = &show.episodes[i];

            if (ep->episode.set && (ep->season.set ? ep->season.v : 0) ==
                season && ep->episode.v > max)
                max = ep->episode.v;
        }
        number = tags.track > max ? tags.track : max + 1;
    }
    res->season = season;
    res->episode = numbered ? number : 0;
    for (size_t i = 0; i < show.nr && numbered; i++) {
        const struct episode *ep = &show.episodes[i];

        if (ep->episode.set && ep->episode.v == number &&
            (ep->season.set ? ep->season.v : 0) == season) {
            ret = errorf(PP_ERR_INPUT, "episode %lld of season %lld is "
                         "already %s; give another --episode", number,
                         season, ep->path);
            goto out;
        }
    }

    slug = slugify(res->title, 60);
    ext = xstrdup(ext_of(o->audio));
    for (char *p = ext; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    {
        /* The file number orders files; unnumbered trailers sort first. */
        long long nnn = numbered ? number : 0;

        res->episode_path = xstrfmt("%s/%03lld-%s.md", PP_EPISODES_DIR, nnn,
                                    slug);
        in_place = inside_episodes(o->audio);
        if (in_place && o->normalize) {
            /* Already in episodes/: the normalised copy goes beside it. */
            char *to = normalized_name(o->audio);

            if (!to) {
                ret = errorf(PP_ERR_IO, "%s: no free name for the "
                             "normalised copy", o->audio);
                goto out;
            }
            in_place = inside_episodes(to);
            audio_rel = xstrdup(in_place);
            res->audio_path = xstrfmt("%s/%s", PP_EPISODES_DIR, in_place);
            free(to);
        } else if (in_place && o->placement != ADD_LINK) {
            audio_rel = xstrdup(in_place);   /* already where it belongs */
            res->audio_path = xstrfmt("%s/%s", PP_EPISODES_DIR, in_place);
        } else {
            audio_rel = xstrfmt("%03lld-%s.%s", nnn, slug, ext);
            res->audio_path = xstrfmt("%s/%s", PP_EPISODES_DIR, audio_rel);
        }
    }
    if (access(res->episode_path, F_OK) == 0) {
        ret = errorf(PP_ERR_INPUT, "'%s' exists; not overwritten (give "
                     "another --title or --episode)", res->episode_path);
        goto out;
    }
    uuid_v4(res->guid);

    strbuf_addstr(&md, "---\ntitle: ");
    ytree_add_quoted(&md, res->title);
    strbuf_addf(&md, "\nguid: %s\ndate: %s\naudio: ", res->guid, res->date);
    ytree_add_quoted(&md, audio_rel);
    strbuf_addch(&md, '\n');
    if (season)
        strbuf_addf(&md, "season: %lld\n", season);
    if (numbered)
        strbuf_addf(&md, "episode: %lld\n", number);
    strbuf_addf(&md, "type: %s\n", o->type ? o->type : "full");
    if (o->draft)
        strbuf_addstr(&md, "draft: true\n");
    strbuf_addstr(&md, "---\n"
                  "What this episode is about, in a few sentences: the show "
                  "notes, in Markdown.\n\n"
                  "- who speaks, and [links](https://www.example.org/) to "
                  "what is mentioned\n");
    if (tags.artist) {
        strbuf_addstr(&md, "- credits: ");
        strbuf_addstr(&md, tags.artist);
        strbuf_addch(&md, '\n');
    }

    if (mkdir(PP_EPISODES_DIR, 0755) < 0 && errno != EEXIST) {
        ret = errorf(PP_ERR_IO, "cannot create '%s/': %s", PP_EPISODES_DIR,
                     strerror(errno));
        goto out;
    }
    if (o->normalize) {
        ret = normalize_into(o, &show, res);
        if (ret < 0)
            goto out;
    } else if (!(in_place && o->placement != ADD_LINK) &&
        (ret = place_audio(o->audio, res->audio_path, o->placement)) < 0) {
        goto out;
    }
    if ((ret = create_file(res->episode_path, md.buf, md.len)) < 0) {
        /* Put the audio back as it was: no half-added episode. */
        bool placed = o->normalize || !(in_place &&
                                        o->placement != ADD_LINK);

        if (placed && !o->normalize && o->placement == ADD_MOVE)
            rename(res->audio_path, o->audio);
        else if (placed)
            unlink(res->audio_path);
        goto out;
    }
    if (!res->normalized) {
        res->duration_ms = info.duration_ms;
        res->size = info.size;
    }
    res->mime = info.mime;
out:
    free(slug);
    free(ext);
    free(audio_rel);
    strbuf_release(&md);
    audio_tags_release(&tags);
    audio_info_release(&info);
    show_release(&show);
    return ret;
}

void add_result_release(struct add_result *res)
{
    free(res->episode_path);
    free(res->audio_path);
    free(res->title);
    memset(res, 0, sizeof(*res));
}
