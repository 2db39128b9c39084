/*
 * The Podcast Index namespace's tags beyond guid, locked, chapters and
 * transcript (internal to src/feed): written from show->pi and ep->pi
 * through the tables of pi.h.
 */
#ifndef PODPUB_FEED_PODCAST2_H
#define PODPUB_FEED_PODCAST2_H

#include "podpub/meta.h"
#include "xmlout.h"

/*
 * The channel's tags: funding, persons, location, license, medium, txt,
 * podroll, updateFrequency, block (and itunes:block, itunes:complete),
 * a trailer for each of the 'nr' episodes 'eps' of type trailer.
 */
void pi_write_channel(struct xmlout *x, const struct show *show,
                      struct episode *const *eps, size_t nr);

/*
 * An item's tags after its podcast:episode: persons, location, license,
 * txt, soundbites, socialInteract, itunes:block.
 */
void pi_write_item(struct xmlout *x, const struct episode *ep);

/*
 * podcast:season and podcast:episode, with name="" (the season's, as any
 * of the 'nr' episodes 'eps' names it) and display="".
 */
void pi_write_numbers(struct xmlout *x, const struct episode *ep,
                      struct episode *const *eps, size_t nr);

/*
 * The updateFrequency that the dates of the 'nr' episodes 'eps' follow
 * (update_frequency: auto): an RRULE (daily, weekly on one weekday,
 * every N weeks, monthly, or every N days), its dtstart and words for
 * people. Fills 'out' (the caller releases it with pi_rec_release());
 * leaves it empty with fewer than two episodes.
 */
void pi_update_auto(struct episode *const *eps, size_t nr,
                    struct pi_update *out);

#endif
