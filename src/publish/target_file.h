/*
 * The folder target's operations (target_file.c), called by target.c for
 * TARGET_FILE. Each takes a key that passed key_valid() and returns as
 * its target_*() counterpart in target.h.
 */
#ifndef PODPUB_PUBLISH_TARGET_FILE_H
#define PODPUB_PUBLISH_TARGET_FILE_H

#include "target.h"

int file_target_get(const struct target *t, const char *key,
                    struct strbuf *body, size_t limit);
int file_target_put_data(const struct target *t, const char *key,
                         const char *data, size_t len);
int file_target_create(const struct target *t, const char *key,
                       const char *data, size_t len);
int file_target_delete(const struct target *t, const char *key);
size_t file_target_remove_stale_temps(const struct target *t, long older);

#endif
