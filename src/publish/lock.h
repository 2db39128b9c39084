/*
 * The publish lock (.podpub/lock at the target): one publisher at a
 * time. Taken with the storage's exclusive create (target_create()), so
 * of two publishes that start together exactly one gets it wherever the
 * storage allows (everything but FTP).
 */
#ifndef PODPUB_PUBLISH_LOCK_H
#define PODPUB_PUBLISH_LOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"

#define LOCK_KEY ".podpub/lock"

/*
 * Takes the lock for this publish (t->token identifies it). A lock older
 * than 'stale_s' (or dated that far in the future), or left by a dead
 * process on this machine, is taken over with a warning; the temporary
 * files its publish may have left ('temps': keys whose temp_name() with
 * that publish's token to remove, NULL-terminated) are removed first.
 * Returns 0 with '*held' set, PP_ERR_INPUT when someone else holds it
 * (printed, with the holder escaped), or PP_ERR_REMOTE.
 */
int lock_take(const struct target *t, int64_t now, long stale_s,
              const char *const *temps, bool *held);

/*
 * Removes the lock if it is still this publish's. Returns 0, or
 * PP_ERR_REMOTE (printed).
 */
int lock_release(const struct target *t);

#endif
