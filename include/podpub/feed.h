/*
 * The RSS writer: a show and its episodes -> podcast RSS 2.0 with the
 * itunes, podcast (Podcast Index), content and atom namespaces.
 */
#ifndef PODPUB_FEED_H
#define PODPUB_FEED_H

#include <stddef.h>

#include "podpub/meta.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

#define PP_GENERATOR "podpub " PODPUB_VERSION

/*
 * Renders the feed of 'show' with the 'nr' episodes 'eps', in that order
 * (each probed: media.probed set), as UTF-8 XML appended to 'out'. The
 * same inputs give the same bytes. Every value the feed needs must be set
 * (a NULL one is a bug: it dies). Returns 0.
 */
int feed_render(const struct show *show, struct episode *const *eps,
                size_t nr, struct strbuf *out);

/*
 * RFC 5005 paging between feed.xml (the newest feed_limit episodes) and
 * the complete archive feed: the URLs this document links to (NULL: no
 * link) and its own URL.
 */
struct feed_paging {
    const char *self;           /* NULL: the show's feed_url */
    const char *first, *next, *previous;
};

/* Like feed_render(), with paging links when 'pg' is not NULL. */
int feed_render_paged(const struct show *show, struct episode *const *eps,
                      size_t nr, const struct feed_paging *pg,
                      struct strbuf *out);

/*
 * feed_render_paged() into 'o', which may compare the feed with the file
 * it replaces as it goes and stop early (see struct outbuf).
 */
int feed_render_to(const struct show *show, struct episode *const *eps,
                   size_t nr, const struct feed_paging *pg, struct outbuf *o);

/*
 * Renders the feed and writes it to 'path' atomically (temporary file and
 * rename): on failure the previous file is untouched. Returns 0 or
 * PP_ERR_IO (printed).
 */
int feed_write(const struct show *show, struct episode *const *eps,
               size_t nr, const char *path);

/*
 * Renders public/index.html for 'show' with the 'nr' episodes 'eps' (in
 * the order to show them), appended to 'out'. 'archive_url', when not
 * NULL, is linked as the feed with every episode.
 */
void page_render(const struct show *show, struct episode *const *eps,
                 size_t nr, const char *archive_url, struct strbuf *out);

/* page_render() into 'o' (see feed_render_to()). */
void page_render_to(const struct show *show, struct episode *const *eps,
                    size_t nr, const char *archive_url, struct outbuf *o);

/*
 * Renders 'ep's chapters as a Podcast Index JSON chapters file (version
 * 1.2.0) into 'out'.
 */
void chapters_render(const struct episode *ep, struct strbuf *out);

#endif
