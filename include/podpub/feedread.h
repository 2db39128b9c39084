/*
 * Reading a published podcast feed (any feed, not only podpub's) into a
 * struct show, so that `podpub check --feed` applies the same rules and
 * publishing can compare with what listeners already have.
 */
#ifndef PODPUB_FEEDREAD_H
#define PODPUB_FEEDREAD_H

#include <stddef.h>

#include "podpub/meta.h"

/*
 * Parses the RSS feed in 'len' bytes of 'buf' into 'show' (zeroed by the
 * caller): channel fields and one episode per item, values as written
 * (raw_* fields) with the feed's line numbers, 'name' (a file or URL) as
 * the file of every position. Returns 0, or PP_ERR_INPUT (printed) when
 * it is not well-formed XML or not RSS. Free with show_release().
 */
int feed_parse(const char *name, const char *buf, size_t len,
               struct show *show);

#endif
