/*
 * `podpub publish`: build, check, upload what changed to the show's
 * target (S3-compatible storage, SFTP, FTP/FTPS, WebDAV, a local folder),
 * replace the feed last, and never break what listeners already have.
 */
#ifndef PODPUB_PUBLISH_H
#define PODPUB_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/build.h"

struct publish_opts {
    const char *target;         /* URL; NULL: publish.target of the show */
    const char *out_dir;        /* the build's output folder ("public") */
    int jobs;                   /* uploads at once (default 4) */
    int retries;                /* per transfer (default 4) */
    long stall_s;               /* fail a transfer that moves nothing */
    long lock_stale_s;          /* take over a lock older than this */
    int64_t now;
    bool dry_run, allow_removal, allow_guid_change, prune, insecure_http;
    bool json;                  /* results as JSON on stdout */
    bool progress;              /* a progress line on stderr (a terminal) */
};

/*
 * Publishes the show in the current folder. Builds first (input errors
 * and error rules stop everything, as for `podpub build`: 'res' then holds
 * the report), then uploads. Returns 0, or PP_ERR_INPUT (refused by a
 * check or guard), PP_ERR_REMOTE (the target failed: the live feed is
 * the previous one), PP_ERR_IO or PP_ERR_USAGE. Messages are printed;
 * credentials never are.
 */
int publish_show(const struct publish_opts *o, struct show *show,
                 struct build_result *res);

#endif
