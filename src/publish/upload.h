/*
 * Uploading the plan's files (internal to src/publish): the parallel
 * transfers, their retries and what they report.
 */
#ifndef PODPUB_PUBLISH_UPLOAD_H
#define PODPUB_PUBLISH_UPLOAD_H

#include "plan.h"

struct upload_opts {
    int jobs;               /* transfers at once */
    int retries;            /* per transfer */
    long stall_s;           /* fail a transfer that moves nothing this long */
    void *ctx;
    /* A file is at the target (may be NULL). */
    void (*uploaded)(void *ctx, const struct pfile *f);
    /* About four times a second while transfers run (may be NULL). */
    void (*progress)(void *ctx, const struct publish_progress *p);
};

/*
 * Uploads every planned file but the feed: the ones the target sends on
 * their own first (a folder's copies, S3's multipart uploads), then the
 * rest 'jobs' at once, retrying transient failures with backoff. Stops
 * starting new transfers after the first failure retries cannot mend.
 * Marks each file done. Returns 0 or the first error (printed).
 */
int upload_all(const struct target *t, struct plan *p,
               const struct upload_opts *o);

#endif
