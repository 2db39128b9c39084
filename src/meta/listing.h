/*
 * The listing of episodes/ (internal to src/meta): the episode files'
 * names, read from the folder or kept from the last reading while the
 * folder has not changed. See listing.c.
 */
#ifndef PODPUB_META_LISTING_H
#define PODPUB_META_LISTING_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a name in episodes/ is an episode file's: "*.md", no dot first. */
bool episode_file_name(const char *name);

/*
 * The names of the episode files in PP_EPISODES_DIR, sorted by strcmp(),
 * into '*names' (each and the array freed by the caller): none when the
 * folder does not exist. With 'keep', the listing kept in
 * PP_EPISODE_NAMES is used while the folder is unchanged ('*kept' says
 * so), and a fresh one kept. Returns 0, or PP_ERR_INPUT (episodes/ is
 * not a folder) / PP_ERR_IO after printing an error.
 */
int episode_listing(bool keep, char ***names, size_t *nr, bool *kept);

#endif
