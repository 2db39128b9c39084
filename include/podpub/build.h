/*
 * `podpub build`: the show's metadata, probed, becomes public/feed.xml.
 * This module ties the stages together (meta -> probe -> feed) and owns
 * the rules of what goes into the feed: no drafts, nothing scheduled for
 * later than 'now', items in the order the show's type asks for.
 */
#ifndef PODPUB_BUILD_H
#define PODPUB_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/check.h"
#include "podpub/meta.h"
#include "podpub/strbuf.h"

struct build_opts {
    const char *out_dir;    /* "public" unless --out */
    int64_t now;            /* the moment to build for (Unix seconds) */
    bool no_cache;          /* neither read nor write the probe cache */
    bool no_urls;           /* the caller shows no URL: none computed */
    bool strict;            /* warnings count as errors */
    const char *const *ignore;  /* rule ids not to report (--ignore) */
    /*
     * When set, the show is built as if served from here (podpub serve):
     * base_url, feed_url, the default link and every URL under them move;
     * podcast:guid stays that of the show's own feed_url.
     */
    const char *base_url;
    size_t ignore_nr;
    /*
     * Called from the building thread while audio is probed or
     * transcoded ('what': "probing", "transcoding"), once that has taken
     * over a second: 'done' of 'total' files, 'current' the file being
     * read; a last call with current NULL ends it. May be NULL.
     */
    void (*progress)(const char *what, size_t done, size_t total,
                     const char *current, void *ctx);
    void *progress_ctx;
};

struct build_result {
    char *feed_path;            /* "public/feed.xml" */
    char *archive_path;         /* "public/feed-all.xml" with feed_limit */
    struct episode **live;      /* in feed order; borrowed from the show */
    struct episode **feed;      /* those in feed.xml (feed_limit), in order */
    size_t feed_nr;
    struct episode **drafts;    /* in file order */
    struct episode **scheduled; /* in date order */
    size_t live_nr, drafts_nr, scheduled_nr;
    int64_t total_ms;           /* duration of the live episodes */
    size_t cached_nr;           /* probe results taken from the cache */
    size_t transcoded_nr;       /* alternates encoded (not from the cache) */
    unsigned long opened_nr;    /* audio files opened to probe */
    struct check_report report; /* what the rules found */
    bool prepared;              /* show_prepare() succeeded */
};

/* What build_render() made, for build_write() (or the caller). */
struct build_output {
    struct outbuf feed;         /* feed.xml */
    struct outbuf archive;      /* feed-all.xml, when archive_url is set */
    struct outbuf page;         /* index.html, when 'write' */
    char *feed_path, *archive_path, *page_path;    /* when 'write' */
    const char *archive_url;    /* borrowed from the show, or NULL */
    bool write;                 /* rendered to be written, not measured */
};

/*
 * The stages of a build; commands compose them (`podpub list` prepares,
 * `podpub check` prepares and renders, `podpub build` does all three):
 *
 * show_prepare(): loads the show in the current directory into 'show'
 * (zeroed by the caller), fills its URLs, probes the audio of every
 * episode that is not a draft (through the cache), and sorts the
 * episodes into res's live (feed order), scheduled and drafts. Input
 * errors are printed; returns 0, PP_ERR_INPUT, or PP_ERR_IO.
 */
int show_prepare(const struct build_opts *opts, struct show *show,
                 struct build_result *res);

/*
 * After show_prepare() failed with PP_ERR_INPUT: the rules that need only
 * the show file, into res->report, when the show file itself read well.
 */
void build_check_show_file(const struct build_opts *opts,
                           const struct show *show, struct build_result *res);

/*
 * Renders feed.xml, feed-all.xml (with feed_limit) and, when 'write',
 * index.html into 'out' (at once, on separate threads), then runs the
 * check rules over the show and the rendered feed into res->report (the
 * caller prints them). When 'write', each document is compared with its
 * file in opts->out_dir as it is rendered and held whole only when it
 * differs; otherwise only the feeds' lengths are kept. Returns 0,
 * PP_ERR_INPUT when an error rule is broken, or an error. Release 'out'
 * with build_output_release().
 */
int build_render(const struct build_opts *opts, const struct show *show,
                 struct build_result *res, bool write,
                 struct build_output *out);

/*
 * Writes 'out' (rendered with 'write') into opts->out_dir: the chapters
 * JSON files, index.html, feed-all.xml, then feed.xml last (each
 * atomically, and only when the file does not hold it already), and
 * sets res->feed_path and archive_path. Returns 0 or PP_ERR_IO
 * (printed).
 */
int build_write(const struct build_opts *opts, struct build_result *res,
                const struct build_output *out);

void build_output_release(struct build_output *out);

/*
 * After show_prepare(): every live episode transcoded to each of the
 * show's "alternates:" (in parallel, reporting through opts->progress),
 * each transcode kept in .podpub/alt/ under its source's SHA-256 and the
 * setting, so nothing is encoded twice; probes and hashes them into each
 * episode's alts[] (key, URL, size, duration, SHA-256) for the feed and
 * publishing. Writes nothing under opts->out_dir. Returns 0 or a PP_ERR_*
 * code (printed); 0 at once for a show without alternates.
 */
int build_alternates(const struct build_opts *opts, struct show *show,
                     struct build_result *res);

/*
 * Links (or copies) each live episode's alternates from .podpub/alt/ to
 * their paths under opts->out_dir/alt/. Returns 0 or PP_ERR_IO (printed).
 */
int build_write_alternates(const struct build_opts *opts,
                           const struct build_result *res);

/*
 * All three: prepares, renders, checks, and writes public/ unless an
 * input is wrong or an error rule is broken (then PP_ERR_INPUT and
 * nothing written). Free 'res' with build_result_release() and 'show'
 * with show_release().
 */
int build_show(const struct build_opts *opts, struct show *show,
               struct build_result *res);

void build_result_release(struct build_result *res);

#endif
