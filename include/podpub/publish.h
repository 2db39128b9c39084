/*
 * `podpub publish`: build, check, upload what changed to the show's
 * target (S3-compatible storage, SFTP, FTP/FTPS, WebDAV, a local folder),
 * replace the feed last, and never break what listeners already have.
 *
 * The library reports what happens through the callbacks of struct
 * publish_report and returns what it planned and did in struct
 * publish_result; the command line turns both into text, progress bars
 * or JSON. Errors and warnings go through errorf()/warnf() as everywhere.
 */
#ifndef PODPUB_PUBLISH_H
#define PODPUB_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/build.h"

/* One file of the plan, and what came of it. */
struct publish_file {
    char *key;                  /* "001-milas.mp3" */
    uint64_t bytes;
    char sha256[65];
    const char *plan;           /* "new", "changed", or NULL: unchanged */
    bool uploaded;
};

/* A file --prune chose, and whether it went. */
struct publish_removal {
    char *key;
    bool removed;
};

/* What publishing planned (filled before anything is written) and did. */
struct publish_result {
    char *target;               /* the target's URL, without credentials */
    bool planned;               /* the plan below was made */
    bool dry_run;
    bool up_to_date;            /* nothing differs: nothing was written */
    /* Against the live feed. */
    size_t added, changed_notes, removed, guid_changed;
    struct publish_file *files; /* in plan order, the feed last */
    size_t files_nr;
    size_t uploads;             /* files with a plan */
    uint64_t upload_bytes;
    struct publish_removal *removals;
    size_t removals_nr;
};

/* A transfer running now, for a progress display. */
struct publish_transfer {
    const char *key;
    uint64_t sent, size;
};

struct publish_progress {
    const struct publish_transfer *running;
    size_t running_nr;
    uint64_t sent, total;       /* bytes of every upload, done and running */
    double seconds;             /* since the uploads began */
};

/*
 * Where publishing reports as it goes; every member may be NULL. 'ctx' is
 * passed back to each.
 */
struct publish_report {
    void *ctx;
    /* The plan is known (result->planned), before anything is written. */
    void (*planned)(void *ctx, const struct publish_result *result);
    /* A file is at the target. */
    void (*uploaded)(void *ctx, const struct publish_file *file);
    /* While uploads run, about four times a second. */
    void (*progress)(void *ctx, const struct publish_progress *p);
    /* The new feed is live at 'url'. */
    void (*feed_live)(void *ctx, const char *url);
    /* --prune removed 'key' (the key is valid but may be anyone's text). */
    void (*removed)(void *ctx, const char *key);
    /* A WebSub hub or ping URL was told (failures are warnings). */
    void (*notified)(void *ctx, const char *hub);
    /*
     * One line of libcurl's trace, free of secrets and escaped ('dir':
     * '>' sent, '<' received, '*' libcurl). NULL: no trace.
     */
    void (*trace)(void *ctx, char dir, const char *line);
};

struct publish_opts {
    const char *target;         /* URL; NULL: publish.target of the show */
    const char *out_dir;        /* the build's output folder ("public") */
    int jobs;                   /* uploads at once (default 8) */
    int retries;                /* per transfer (default 4) */
    long stall_s;               /* fail a transfer that moves nothing */
    long lock_stale_s;          /* take over a lock older than this */
    int64_t now;
    bool dry_run, allow_removal, allow_guid_change, prune, insecure_http;
    const struct publish_report *report;    /* may be NULL */
};

/*
 * Publishes the show in the current folder. Builds first (input errors
 * and error rules stop everything, as for `podpub build`: 'res' then holds
 * the report), then uploads. 'result' (zeroed by the caller) holds the
 * plan and what came of it, also after a failure. Returns 0, or
 * PP_ERR_INPUT (refused by a check or guard), PP_ERR_REMOTE (the target
 * failed: the live feed is the previous one), PP_ERR_IO or PP_ERR_USAGE.
 * Credentials are never printed or returned.
 */
int publish_show(const struct publish_opts *o, struct show *show,
                 struct build_result *res, struct publish_result *result);

void publish_result_release(struct publish_result *result);

#endif
