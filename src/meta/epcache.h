/*
 * The episode cache (internal to src/meta): parsed episodes kept in
 * PP_EPISODE_CACHE, so that show_load() parses only the files that
 * changed. See epcache.c.
 */
#ifndef PODPUB_META_EPCACHE_H
#define PODPUB_META_EPCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "podpub/fileid.h"
#include "podpub/meta.h"
#include "podpub/strbuf.h"

struct epcache;

/*
 * Opens the cache of 'show' (its show file read: the key includes its
 * bytes). Never fails: a missing, damaged, hostile or stale cache is an
 * empty one, replaced by epcache_save(). Free with epcache_free().
 */
struct epcache *epcache_open(const struct show *show);

/*
 * What the cache keeps of an episode file besides its identity: a hash of
 * its bytes, and its status change time when they were read, and when.
 */
struct epcache_stamp {
    uint64_t content;           /* pp_hash64() of its bytes */
    int64_t ctime_sec;          /* its st_ctim before they were read */
    long ctime_nsec;
    int64_t read_sec;           /* CLOCK_REALTIME before they were read */
};

/*
 * How long before it was read a file must have been left alone for
 * epcache_get_settled() to trust it without reading it: more than any
 * file system's timestamp granularity.
 */
#define EPCACHE_SETTLE_S 2

/*
 * Fills 'ep' with the episode 'path' as parsed before, when the cache
 * holds it for this file identity 'id' and these bytes ('content', their
 * pp_hash64()), and appends what its parse printed (warnings) to 'msgs'.
 * Returns false, with 'ep' zeroed, on a miss or a damaged entry. Safe to
 * call from several threads at once.
 */
bool epcache_get(struct epcache *c, const char *path, const struct fileid *id,
                 uint64_t content, struct episode *ep, struct strbuf *msgs);

/*
 * As epcache_get(), without the file's bytes: the entry is used when
 * 'st', the file's status now, has the identity and the status change
 * time the file had when it was read, and that change was at least
 * EPCACHE_SETTLE_S older than the reading. No write can have happened
 * since: it would have set the change time to its own time, after the
 * reading (the same rule git applies to its index, with the change time,
 * which no one can set back, instead of the modification time). The
 * caller has judged 'path' a regular file inside the show without
 * following a symlink (file_stat_pinned()). '*stamp' gets the entry's,
 * for epcache_save().
 */
bool epcache_get_settled(struct epcache *c, const char *path,
                         const struct stat *st, struct episode *ep,
                         struct strbuf *msgs, struct epcache_stamp *stamp);

/* What epcache_save() keeps of an episode file. */
struct epcache_item {
    const struct episode *ep;   /* as parsed (NULL: not kept: errors) */
    struct fileid id;
    struct epcache_stamp stamp;
    const char *msgs;           /* what its parse printed */
    size_t msgs_len;
    bool hit;                   /* epcache_get() gave it */
    bool unread;                /* epcache_get_settled() did */
};

/*
 * Writes the cache afresh with 'items' (in path order), unless it holds
 * exactly them already; atomically (temporary file, rename). Call it
 * before show_validate() changes the episodes. Returns 0 or PP_ERR_IO
 * (printed).
 */
int epcache_save(struct epcache *c, const struct epcache_item *items,
                 size_t nr);

/* Unmaps and frees 'c'; accepts NULL. */
void epcache_free(struct epcache *c);

/*
 * epcache_free(), except that the mapping of the cache file goes to
 * '*map' and '*len' (NULL and 0 when none), for whoever holds episodes
 * whose notes are borrowed from it; munmap() it after them.
 */
void epcache_close(struct epcache *c, void **map, size_t *len);

#endif
