/*
 * Caches keyed on a file's identity: what podpub learnt from a file (a
 * probe's result, a SHA-256) kept in .podpub/ and trusted again only
 * while the file is the same one (device, inode, size, modification time
 * to the nanosecond). One format and one index for every such cache: a
 * versioned text file, a line per file, looked up through a hash table.
 * A cache that is cut off, from another version or otherwise odd counts
 * as empty: it may be lost, never trusted when in doubt.
 */
#ifndef PODPUB_FILEID_H
#define PODPUB_FILEID_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * The SHA-256 of files by identity: publishing's manifest and the
 * alternates' cache keys read it. The payload is 64 hex digits.
 */
#define PP_HASH_CACHE ".podpub/hash-cache"
#define PP_HASH_CACHE_MAGIC "podpub-hash-cache 1"

/* What identifies a file's version. */
struct fileid {
    uint64_t dev, inode, size;
    int64_t mtime_sec;
    long mtime_nsec;
};

void fileid_from_stat(struct fileid *id, const struct stat *st);
bool fileid_equal(const struct fileid *a, const struct fileid *b);

struct fileid_cache;

/*
 * Loads the cache file 'path' whose first line must be 'magic' (which
 * names the cache and its version: raise the version whenever what is
 * stored changes meaning). Never fails; an unusable file is an empty
 * cache (and is replaced on save). Free with fileid_cache_free().
 */
struct fileid_cache *fileid_cache_load(const char *path, const char *magic);

/*
 * The payload stored for 'file' when the cache holds it with identity
 * 'id', else NULL. The entry is kept on save. The string is the cache's.
 */
const char *fileid_cache_get(struct fileid_cache *c, const char *file,
                             const struct fileid *id);

/* Stores 'payload' (any text) for 'file' with identity 'id'. */
void fileid_cache_put(struct fileid_cache *c, const char *file,
                      const struct fileid *id, const char *payload);

/*
 * Writes the cache back when it changed, keeping only the entries got or
 * put since it was loaded (files no longer there drop out). Returns 0
 * or PP_ERR_IO (printed).
 */
int fileid_cache_save(struct fileid_cache *c);

/*
 * The SHA-256 of the open file 'fd' (named 'path' in messages; 'st' is
 * its fstat()) as 64 lower-case hex digits and a NUL in 'hex': taken
 * from the hash cache 'c' (PP_HASH_CACHE_MAGIC) when it holds this
 * version of the file, else computed and stored in it. Returns 0 or
 * PP_ERR_IO (printed).
 */
int fileid_cache_sha256(struct fileid_cache *c, const char *path, int fd,
                        const struct stat *st, char hex[65]);

/* The number of entries (for tests). */
size_t fileid_cache_size(const struct fileid_cache *c);

void fileid_cache_free(struct fileid_cache *c);

#endif
