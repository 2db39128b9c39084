/*
 * Dates as podpub reads them (YYYY-MM-DD or RFC 3339, zone-less values in
 * the show's IANA time zone) and writes them (RFC 2822 in English with a
 * numeric offset, whatever the locale).
 */
#ifndef PODPUB_PTIME_H
#define PODPUB_PTIME_H

#include <stdbool.h>
#include <stdint.h>

struct pp_date {
    int64_t t;        /* seconds since the Unix epoch, UTC */
    int offset;       /* the offset it was written in, seconds east of UTC */
};

/*
 * Parses 's' as "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" (a space may
 * replace the T) with an optional "Z" or "+HH:MM" zone. A value without a
 * zone is local time in 'tz' (an IANA name, e.g. "Europe/Amsterdam"; NULL
 * means UTC). Returns 0, or -1 with '*why' set to a static reason.
 */
int date_parse(const char *s, const char *tz, struct pp_date *out,
               const char **why);

/*
 * Parses an RFC 2822 date as feeds carry it ("Fri, 31 Oct 2025 06:00:00
 * +0100"): the day name optional, seconds optional, a two-digit year
 * read as 19xx/20xx, the zone numeric or a name (GMT, UT, Z, EST...).
 * Sets '*named_zone' when the zone was a name. Returns 0 or -1.
 */
int date_parse_rfc2822(const char *s, struct pp_date *out, bool *named_zone);

/* Formats 'd' as "Fri, 31 Oct 2025 06:00:00 +0100" into 'buf'. */
void date_format_rfc2822(const struct pp_date *d, char buf[32]);

/* Formats 'd' as "2025-10-31T06:00:00+01:00" into 'buf'. */
void date_format_rfc3339(const struct pp_date *d, char buf[32]);

/*
 * The moment 't' (Unix seconds) as written in zone 'tz' (NULL: UTC): its
 * offset there at that moment.
 */
void date_in_zone(int64_t t, const char *tz, struct pp_date *out);

/* True when 'name' is a time zone this machine knows ("UTC" always). */
bool tz_valid(const char *name);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
