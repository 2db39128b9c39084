/*
 * The plan of a publish (internal to src/publish): which local file goes
 * to which key, hashed; what differs from the target's manifest; what
 * listeners already have (the guard); what --prune may delete.
 */
#ifndef PODPUB_PUBLISH_PLAN_H
#define PODPUB_PUBLISH_PLAN_H

#include "podpub/manifest.h"
#include "podpub/publish.h"
#include "target.h"

struct plan {
    struct pfile *files;
    size_t nr, alloc;
    struct pfile *feed;         /* files[nr - 1]: always last */
    size_t uploads;             /* files with a reason */
    uint64_t upload_bytes;
    char **remove;              /* --prune: keys to delete */
    bool *removed;              /* which of them were removed */
    size_t remove_nr;
};

void plan_release(struct plan *p);

/*
 * The feed's key: feed_url relative to base_url, else "feed.xml". A
 * feed_url whose path leaves the target ("../other/feed.xml") is refused
 * (PP_ERR_INPUT, printed). The caller frees '*key'.
 */
int plan_feed_key(const struct show *show, char **key);

/*
 * Every public file of the show: the live episodes' media, transcripts,
 * images and chapters, the artwork, the page, the archive feed, and the
 * feed ('feed_key') last; each name checked with key_valid(). Returns 0
 * or PP_ERR_INPUT (printed).
 */
int plan_files(struct plan *p, const char *out_dir, const struct show *show,
               const struct build_result *res, const char *feed_key);

/*
 * Hashes every file, opened inside 'roots' (recording what was hashed),
 * through the hash cache .podpub/hash-cache (saved when 'save').
 */
int plan_hash(struct plan *p, const struct path_roots *roots, bool save);

/*
 * Gives each file its reason to go up ("new", "changed", or none) from
 * the manifest 'm', and the feed from the live feed's bytes 'live' (NULL:
 * there is none). Counts the uploads.
 */
int plan_reasons(struct plan *p, const struct manifest *m,
                 const struct strbuf *live);

/* What the show changes for listeners, and what the guard refuses. */
struct diff {
    size_t added, changed_notes, removed, guid_changed, url_changed;
    struct strbuf refusals;     /* one line per refused change */
};

/*
 * Compares the live feed 'live' (read from the target) with the show's
 * episodes now: episodes that would disappear, change their guid or
 * their audio URL are refused unless allowed.
 */
void plan_compare(const struct show *live, const struct build_result *res,
                  bool allow_removal, bool allow_guid_change, struct diff *d);

/*
 * What --prune may delete: only files podpub itself published (in 'm')
 * of episodes no longer in the show (by the manifest's guid, or named by
 * 'live', the feed before this publish, which may be NULL); never a file
 * the show still publishes.
 */
void plan_prune(struct plan *p, const struct manifest *m,
                const struct show *live, const struct show *show,
                const struct build_result *res);

#endif
