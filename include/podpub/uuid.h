/*
 * UUIDs: the Podcast Index feed GUID (version 5) and fresh episode GUIDs
 * (version 4), built on libavutil's SHA-1 and random source.
 */
#ifndef PODPUB_UUID_H
#define PODPUB_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 37   /* 36 characters and the NUL */

/* The Podcast Index namespace for podcast:guid. */
#define PP_PODCAST_GUID_NS "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"

/*
 * Writes the version 5 UUID of 'name' in namespace 'ns' (a UUID string) to
 * 'out' in lower case. Returns 0, or -1 if 'ns' is not a UUID.
 */
int uuid_v5(const char *ns, const char *name, char out[UUID_STR_LEN]);

/* Writes a fresh random version 4 UUID to 'out'. Returns 0. */
int uuid_v4(char out[UUID_STR_LEN]);

/* True when 's' is a UUID in 8-4-4-4-12 hex form (either case). */
bool uuid_valid(const char *s);

/*
 * Writes the podcast:guid for 'feed_url': the UUIDv5 of the URL with its
 * scheme and trailing slashes removed, as the Podcast Index specifies.
 */
void podcast_guid_for_url(const char *feed_url, char out[UUID_STR_LEN]);

#endif
