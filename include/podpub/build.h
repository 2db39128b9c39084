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

struct build_opts {
    const char *out_dir;    /* "public" unless --out */
    int64_t now;            /* the moment to build for (Unix seconds) */
    bool no_cache;          /* neither read nor write the probe cache */
    bool no_write;          /* write nothing (podpub list, podpub check) */
    bool check;             /* with no_write: render and check the feed */
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
     * Called from the building thread while audio is probed, once probing
     * has taken over a second: 'done' of 'total' files, 'current' the file
     * being read; a last call with current NULL ends it. May be NULL.
     */
    void (*progress)(size_t done, size_t total, const char *current,
                     void *ctx);
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
    unsigned long opened_nr;    /* audio files opened to probe */
    struct check_report report; /* what the rules found */
};

/*
 * Loads the show in the current directory into 'show' (zeroed by the
 * caller), probes the audio of every episode that is not a draft, and
 * writes public/ (chapters, index.html, then feed.xml) into opts->out_dir.
 * Input errors are printed; the check rules' findings go into
 * res->report (the caller prints them). Nothing is written when an input
 * is wrong or an error rule is broken (then PP_ERR_INPUT). Returns 0 or a PP_ERR_* code. Free
 * 'res' with build_result_release() and 'show' with show_release().
 */
int build_show(const struct build_opts *opts, struct show *show,
               struct build_result *res);

void build_result_release(struct build_result *res);

#endif
