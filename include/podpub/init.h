/*
 * `podpub init`: a new show's folder, and `podpub add`: a new episode
 * file from an audio file, with the invariants (GUID, numbering, slug,
 * date) right from the start.
 */
#ifndef PODPUB_INIT_H
#define PODPUB_INIT_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/meta.h"
#include "podpub/sound.h"
#include "podpub/strbuf.h"

struct init_opts {
    const char *dir;            /* the new show's folder ("." allowed) */
    const char *title, *author, *email, *language, *base_url;
    bool force;                 /* overwrite podpub's own files */
    const char *ci;             /* init_ci_names[]; NULL: "github" */
    /*
     * The show file to write instead of the documented template (podpub
     * import's); NULL: the template, filled from the fields above.
     */
    const char *show_text;
};

/* The CI systems init writes a workflow for, and "none"; NULL-terminated. */
extern const char *const init_ci_names[];

/*
 * Creates feed/podcast.yaml (every field, the required ones filled, the
 * rest commented out with examples), episodes/, .gitignore and the CI
 * workflow opts->ci names (.github/workflows/publish.yml, .gitlab-ci.yml
 * or .forgejo/workflows/publish.yml) in opts->dir. Refuses (PP_ERR_INPUT) when
 * a show is already there, unless opts->force. Appends the created paths,
 * one per line, to 'created'. Returns 0 or a PP_ERR_* code (printed).
 */
int show_create(const struct init_opts *opts, struct strbuf *created);

enum add_placement { ADD_COPY, ADD_MOVE, ADD_LINK };

struct add_opts {
    const char *audio;          /* the audio file to add */
    const char *title;          /* NULL: from the audio's tags, else name */
    const char *date;           /* NULL: from the tags, else now */
    long long season, episode;  /* 0: default */
    const char *type;           /* NULL: full */
    bool draft;
    bool force;                 /* accept audio another episode uses */
    bool normalize;             /* place a loudness-normalised copy */
    enum add_placement placement;
    int64_t now;
};

struct add_result {
    char *episode_path;         /* "episodes/004-een-vraag.md" */
    char *audio_path;           /* "episodes/004-een-vraag.mp3" */
    char guid[37];
    char date[32];
    long long season, episode;  /* 0 when not set */
    char *title;
    int64_t duration_ms;
    uint64_t size;
    const char *mime;
    bool normalized;            /* the audio placed is a normalised copy */
    struct normalize_result norm;
};

/*
 * Adds an episode to the show in the current folder: probes 'audio',
 * takes its tags as defaults, places the audio in episodes/ and writes
 * episodes/NNN-slug.md with a fresh random GUID. Never overwrites a file.
 * Returns 0 or a PP_ERR_* code (printed); free 'res' with
 * add_result_release().
 */
int episode_add(const struct add_opts *opts, struct add_result *res);

void add_result_release(struct add_result *res);

/* What `podpub normalize` did to one episode. */
struct normalize_item {
    char *episode;              /* "episodes/001-milas.md" (or as named) */
    char *from, *to;            /* the audio before and the new copy */
    const char *skipped;        /* static, why nothing was done, or NULL */
    struct normalize_result r;  /* what was measured and applied */
    int ret;                    /* 0, or the PP_ERR_* of its failure */
};

struct normalize_request {
    const char *const *episodes;    /* files or names ("001-milas") */
    size_t nr;
    bool allow_audio_change;    /* also episodes already published */
    int64_t now;                /* what "published" is judged against */
    /* Called before each episode is worked on (may be NULL). */
    void (*starting)(void *ctx, const char *episode);
    void *ctx;
};

/*
 * Normalises the loudness of each named episode of the show in the
 * current folder to the show's "loudness:" goal: a copy in the same
 * codec and bit rate beside the audio ("<name>-norm.<ext>", never
 * overwriting a file), then the episode's audio: pointed at it.
 * An episode already published (not a draft and dated at or before
 * req->now: in the feed of every build and publish since) is refused
 * unless req->allow_audio_change; one already within the goal is left
 * alone. Fills 'items' (req->nr of them, in order). Every failure is
 * printed; returns 0 or the first PP_ERR_* code (PP_ERR_IO before
 * PP_ERR_INPUT). Free each item with normalize_item_release().
 */
int episodes_normalize(const struct normalize_request *req,
                       struct normalize_item *items);

void normalize_item_release(struct normalize_item *item);

#endif
