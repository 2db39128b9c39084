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
#include "podpub/strbuf.h"

struct init_opts {
    const char *dir;            /* the new show's folder ("." allowed) */
    const char *title, *author, *email, *language, *base_url;
    bool force;                 /* overwrite podpub's own files */
    const char *ci;             /* init_ci_names[]; NULL: "github" */
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

#endif
