/*
 * What the rule files share: the context a rule runs in. check.c holds
 * the rules of a show and its episodes, feedcheck.c those that only a
 * feed read back can break (its XML, namespaces, what only a feed
 * states: itunes:duration, several enclosures).
 */
#ifndef PODPUB_CHECK_INTERNAL_H
#define PODPUB_CHECK_INTERNAL_H

#include "podpub/check.h"
#include "podpub/feedread.h"

/* Values quoted in findings come from any feed: cut and escaped. */
#define QUOTE_MAX 80

struct ctx {
    struct check_report *r;
    const struct show *show;
    struct srcpos show_pos;     /* the show file's line 1, or <channel> */
    const struct feed_doc *doc; /* the feed read back, or NULL */
};

/*
 * check_show() for a feed read back: 'doc' (which may be NULL) adds the
 * feed's own rules and places show-level findings at <channel>.
 */
void check_run(struct check_report *r, const struct show *show,
               struct episode *const *live, size_t nr, int64_t now,
               size_t feed_bytes, size_t feed_items,
               const struct feed_doc *doc);

/* The rules of one item that only a feed read back can break. */
void check_feed_item(struct ctx *c, const struct episode *ep,
                     const struct feed_item *it);

/* The rules of the feed's document: XML, namespaces. */
void check_feed_doc(struct check_report *r, const struct feed_doc *doc);

#endif
