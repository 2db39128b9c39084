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
 * The channel's tags: funding, value, images, persons, location, license, medium, txt,
 * podroll, updateFrequency, block (and itunes:block, itunes:complete),
 * a trailer for each of the 'nr' episodes 'eps' of type trailer.
 */
void pi_write_channel(struct xmlout *x, const struct show *show,
                      struct episode *const *eps, size_t nr);

/*
 * An item's tags after its podcast:episode: itunes:block, value (with
 * the episode's value_time_splits, in a copy of 'show's block when the
 * episode has none of its own), images, persons, location, license,
 * txt, soundbites, socialInteract.
 */
void pi_write_item(struct xmlout *x, const struct show *show,
                   const struct episode *ep);

/*
 * The season name of each of the 'nr' episodes 'eps' (its own, else the
 * first that any episode of its season gives, else NULL), in one pass:
 * the caller frees the array (not the names, which are the episodes').
 */
const char **pi_season_names(struct episode *const *eps, size_t nr);

/*
 * podcast:season and podcast:episode, with name="" ('season_name', from
 * pi_season_names()) and display="".
 */
void pi_write_numbers(struct xmlout *x, const struct episode *ep,
                      const char *season_name);

/*
 * The updateFrequency that the dates of the 'nr' episodes 'eps' follow
 * (update_frequency: auto): an RRULE (daily, weekly on one weekday,
 * every N weeks, monthly, or every N days), its dtstart and words for
 * people. Fills 'out' (the caller releases it with pi_rec_release());
 * leaves it empty with fewer than two episodes.
 */
void pi_update_auto(struct episode *const *eps, size_t nr,
                    struct pi_update *out);

/* Podlove Simple Chapters, the form Spotify and gPodder read. */
#define NS_PSC "http://podlove.org/simple-chapters"

/*
 * psc:chapters of 'ep's chapters (the ones podcast:chapters names),
 * "HH:MM:SS.mmm" start times; nothing without chapters.
 */
void psc_write_chapters(struct xmlout *x, const struct episode *ep);

/*
 * The notes with 'ep's chapters as a timestamp list at the end
 * ("0:00 Title" a line, the form Apple and YouTube read): HTML into
 * 'html', plain text into 'text'.
 */
void notes_with_chapters(const struct episode *ep, struct strbuf *html,
                         struct strbuf *text);

#endif
