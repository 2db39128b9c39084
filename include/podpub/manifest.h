/*
 * The remote manifest (.podpub/manifest.json at the target): what podpub
 * itself uploaded there, with each file's size, SHA-256, when it went up
 * and which episode it belongs to. It is read back from a place others
 * may write to, so it is validated as a whole before any of it is used.
 */
#ifndef PODPUB_PUBLISH_MANIFEST_H
#define PODPUB_PUBLISH_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/strbuf.h"

#define MANIFEST_KEY ".podpub/manifest.json"
/* The copy publish keeps in the show's folder of what it last wrote. */
#define MANIFEST_COPY ".podpub/manifest.json"
/* Larger manifests are refused (documented in the README). */
#define MANIFEST_MAX_BYTES (16u << 20)
#define MANIFEST_MAX_FILES 100000

struct manifest_entry {
    char *key;
    uint64_t size;
    char sha256[65];
    char *uploaded_at;          /* RFC 3339, or "" */
    char *guid;                 /* the episode's guid, or NULL */
};

/* Entries sorted by key (found by binary search). */
struct manifest {
    struct manifest_entry *items;
    size_t nr, alloc;
};

/*
 * Parses the manifest text of 'len' bytes read from 'where' (the
 * target's name for it). Every key must pass key_valid() and lie outside
 * .podpub/; sizes, hashes and dates must be well-formed; at most
 * MANIFEST_MAX_FILES entries. One bad entry refuses the whole manifest:
 * returns PP_ERR_REMOTE after printing the entry (escaped), and 'm' is
 * empty. Otherwise 0.
 */
int manifest_parse(struct manifest *m, const char *text, size_t len,
                   const char *where);

/* The manifest as JSON, keys sorted: what manifest_parse() reads. */
void manifest_render(struct manifest *m, struct strbuf *sb);

/* The entry for 'key', or NULL. */
struct manifest_entry *manifest_find(const struct manifest *m,
                                     const char *key);

/*
 * Records 'key' (a copy) as uploaded now: size, hash, when, episode
 * ('guid' may be NULL). Keeps the entries sorted.
 */
void manifest_set(struct manifest *m, const char *key, uint64_t size,
                  const char *sha256, const char *when, const char *guid);

/* Forgets 'key' (nothing when it is not there). */
void manifest_remove(struct manifest *m, const char *key);

void manifest_release(struct manifest *m);

#endif
