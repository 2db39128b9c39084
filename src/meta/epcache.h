/*
 * The episode cache (internal to src/meta): parsed episodes kept in
 * PP_EPISODE_CACHE, so that show_load() parses only the files that
 * changed. See epcache.c.
 */
#ifndef PODPUB_META_EPCACHE_H
#define PODPUB_META_EPCACHE_H

#include <stdbool.h>
#include <stdint.h>

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
 * Fills 'ep' with the episode 'path' as parsed before, when the cache
 * holds it for this file identity 'id' and these bytes ('content', their
 * pp_hash64()), and appends what its parse printed (warnings) to 'msgs'.
 * Returns false, with 'ep' zeroed, on a miss or a damaged entry. Safe to
 * call from several threads at once.
 */
bool epcache_get(struct epcache *c, const char *path, const struct fileid *id,
                 uint64_t content, struct episode *ep, struct strbuf *msgs);

/* What epcache_save() keeps of an episode file. */
struct epcache_item {
    const struct episode *ep;   /* as parsed (NULL: not kept: errors) */
    struct fileid id;
    uint64_t content;
    const char *msgs;           /* what its parse printed */
    size_t msgs_len;
    bool hit;                   /* epcache_get() gave it */
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

#endif
