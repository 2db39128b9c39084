/*
 * Unit tests for src/util/ptime.c: parsing the dates of episode files
 * (with and without a zone, in the show's time zone across DST changes),
 * refusing dates that do not exist, and formatting RFC 2822 and RFC 3339
 * exactly, in English whatever the locale.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "podpub/ptime.h"
#include "podpub/util.h"

#define AMS "Europe/Amsterdam"

/* 2025-10-31T00:00:00Z, computed independently (date -d ... +%s). */
#define OCT31 INT64_C(1761868800)

/* Parses 's' and checks the instant and the offset it was written in. */
#define PARSE_OK(s, tz, want_t, want_off) do { \
        struct pp_date d_ = { -7, -7 }; \
        const char *why_ = NULL; \
        int r_ = date_parse((s), (tz), &d_, &why_); \
        CHECK_INT(r_, 0); \
        if (r_ == 0) { \
            CHECK_INT(d_.t, (want_t)); \
            CHECK_INT(d_.offset, (want_off)); \
        } else { \
            fprintf(stderr, "  (\"%s\" in %s: %s)\n", (s), \
                    (tz) ? (tz) : "UTC", why_ ? why_ : "?"); \
        } \
    } while (0)

/* Checks that 's' is refused with a reason. */
#define PARSE_FAIL(s, tz) do { \
        struct pp_date d_ = { 0, 0 }; \
        const char *why_ = NULL; \
        CHECK_INT(date_parse((s), (tz), &d_, &why_), -1); \
        CHECK(why_ != NULL && *why_ != '\0'); \
    } while (0)

static void rfc2822(int64_t t, int offset, char buf[32])
{
    struct pp_date d = { t, offset };

    date_format_rfc2822(&d, buf);
}

static void rfc3339(int64_t t, int offset, char buf[32])
{
    struct pp_date d = { t, offset };

    date_format_rfc3339(&d, buf);
}

static void test_parse_utc(void)
{
    PARSE_OK("2025-10-31", NULL, OCT31, 0);
    PARSE_OK("2025-10-31", "UTC", OCT31, 0);
    PARSE_OK("2025-10-31T05:00:00Z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T05:00:00z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31t05:00:00Z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T05:00Z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T05:00:07", NULL, OCT31 + 5 * 3600 + 7, 0);
    PARSE_OK("2025-10-31 05:00:00Z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("1970-01-01T00:00:00Z", NULL, 0, 0);
    PARSE_OK("1969-12-31T23:59:59Z", NULL, -1, 0);
}

static void test_parse_offsets(void)
{
    PARSE_OK("2025-10-31T06:00:00+01:00", NULL, OCT31 + 5 * 3600, 3600);
    /* An explicit zone wins over the show's time zone. */
    PARSE_OK("2025-10-31T06:00:00+01:00", AMS, OCT31 + 5 * 3600, 3600);
    PARSE_OK("2025-07-01T12:00:00Z", AMS,
             INT64_C(1751328000) + 12 * 3600, 0);
    PARSE_OK("2025-10-31T02:30:00-03:30", NULL, OCT31 + 6 * 3600, -12600);
    PARSE_OK("2025-10-31T05:45:00+05:45", NULL, OCT31, 20700);
    PARSE_OK("2025-10-31T14:00:00+14:00", NULL, OCT31, 14 * 3600);
    PARSE_OK("2025-10-30T12:00:00-12:00", NULL, OCT31, -12 * 3600);
    PARSE_OK("2025-10-31T05:00:00+00:00", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T05:00:00-00:00", NULL, OCT31 + 5 * 3600, 0);
}

static void test_parse_fractions(void)
{
    /* Fractions of a second are accepted and dropped. */
    PARSE_OK("2025-10-31T05:00:00.5Z", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T05:00:00.999999+00:00", NULL, OCT31 + 5 * 3600, 0);
    PARSE_OK("2025-10-31T06:00:00.123+01:00", NULL, OCT31 + 5 * 3600, 3600);
    PARSE_OK("2025-10-31 06:00:00.25", AMS, OCT31 + 5 * 3600, 3600);
    PARSE_FAIL("2025-10-31T05:00:00.Z", NULL);
    PARSE_FAIL("2025-10-31T05:00:00.", NULL);
    PARSE_FAIL("2025-10-31T05:00.5Z", NULL);
}

static void test_parse_local(void)
{
    /* Winter: CET, +01:00 (DST ended on 2025-10-26). */
    PARSE_OK("2025-10-31", AMS, OCT31 - 3600, 3600);
    PARSE_OK("2025-10-31T06:00:00", AMS, OCT31 + 5 * 3600, 3600);
    PARSE_OK("2025-10-31T06:00", AMS, OCT31 + 5 * 3600, 3600);
    PARSE_OK("2025-10-31 06:00:00", AMS, OCT31 + 5 * 3600, 3600);
    PARSE_OK("2025-01-15T12:00:00", AMS,
             INT64_C(1736942400) - 3600, 3600);
    /* Summer: CEST, +02:00. 2025-07-01T00:00:00Z is 1751328000. */
    PARSE_OK("2025-07-01T12:00:00", AMS, INT64_C(1751328000) + 10 * 3600,
             7200);
    PARSE_OK("2025-07-01", AMS, INT64_C(1751328000) - 7200, 7200);
    /* Other zones: behind UTC, and a half-hour offset. */
    PARSE_OK("2025-10-31T06:00:00", "America/New_York",
             OCT31 + 10 * 3600, -4 * 3600);
    PARSE_OK("2025-10-31T06:00:00", "Asia/Kolkata",
             OCT31 + 30 * 60, 19800);
    /* Before 1970, and the second whose time_t is -1 (mktime's error). */
    PARSE_OK("1960-02-29T12:00:00", AMS, INT64_C(-3594) * 86400 + 11 * 3600,
             3600);
    PARSE_OK("1969-12-31T23:59:59", "Etc/UTC", -1, 0);
    PARSE_OK("1970-01-01T00:59:59", AMS, -1, 3600);
}

static void test_parse_dst_gap(void)
{
    /* On 2025-03-30 Amsterdam jumps from 02:00 CET to 03:00 CEST. */
    PARSE_OK("2025-03-30T01:59:59", AMS, INT64_C(1743296399), 3600);
    PARSE_FAIL("2025-03-30T02:30:00", AMS);
    PARSE_FAIL("2025-03-30T02:00:00", AMS);
    PARSE_FAIL("2025-03-30 02:59", AMS);
    PARSE_OK("2025-03-30T03:00:00", AMS, INT64_C(1743296400), 7200);
    /* With an explicit zone the same wall time is fine. */
    PARSE_OK("2025-03-30T02:30:00+01:00", AMS, INT64_C(1743298200), 3600);
    /* In UTC nothing is skipped. */
    PARSE_OK("2025-03-30T02:30:00", NULL, INT64_C(1743301800), 0);
}

/*
 * Where the clock jumps at midnight, a date alone still names a day that
 * exists: it means the first moment of that day, not "no such time".
 */
static void test_parse_date_at_skipped_midnight(void)
{
    char buf[32];
    struct pp_date d = { 0, 0 };
    const char *why = NULL;
    int r;

    /* Santiago: 2024-09-08 starts at 01:00 -03 (00:00 -04 is skipped). */
    r = date_parse("2024-09-08", "America/Santiago", &d, &why);
    if (r < 0)
        fprintf(stderr, "  (2024-09-08 in America/Santiago: %s)\n", why);
    CHECK_INT(r, 0);
    if (r == 0) {
        date_format_rfc3339(&d, buf);
        CHECK_STR(buf, "2024-09-08T01:00:00-03:00");
    }
    /* Havana: 2025-03-09 starts at 01:00 CDT. */
    r = date_parse("2025-03-09", "America/Havana", &d, &why);
    CHECK_INT(r, 0);
    if (r == 0) {
        date_format_rfc3339(&d, buf);
        CHECK_STR(buf, "2025-03-09T01:00:00-04:00");
    }
    /* An explicit midnight in the gap is still refused. */
    PARSE_FAIL("2024-09-08T00:00:00", "America/Santiago");
    PARSE_FAIL("2024-09-08T00:30", "America/Santiago");
    PARSE_OK("2024-09-08T01:00", "America/Santiago", INT64_C(1725768000),
             -10800);
}

static void test_parse_dst_overlap(void)
{
    /* 02:30 happens twice on 2025-10-26: either reading is consistent. */
    struct pp_date d = { 0, 0 };
    const char *why = NULL;
    int64_t first = INT64_C(1761438600);    /* 00:30Z, still +02:00 */

    CHECK_INT(date_parse("2025-10-26T02:30:00", AMS, &d, &why), 0);
    CHECK(d.t == first || d.t == first + 3600);
    CHECK(d.offset == (d.t == first ? 7200 : 3600));
}

static void test_parse_calendar(void)
{
    PARSE_OK("2024-02-29", NULL, INT64_C(19782) * 86400, 0);
    PARSE_OK("2024-02-29T12:00:00", AMS, INT64_C(19782) * 86400 + 11 * 3600,
             3600);
    PARSE_OK("2000-02-29", NULL, INT64_C(11016) * 86400, 0);
    PARSE_FAIL("2025-02-29", NULL);
    PARSE_FAIL("2025-02-29", AMS);
    PARSE_FAIL("1900-02-29", NULL);
    PARSE_FAIL("2100-02-29", NULL);
    PARSE_FAIL("2025-02-30", NULL);
    PARSE_FAIL("2025-04-31", NULL);
    PARSE_FAIL("2025-06-31T10:00:00Z", NULL);
    PARSE_FAIL("2025-13-01", NULL);
    PARSE_FAIL("2025-00-10", NULL);
    PARSE_FAIL("2025-01-00", NULL);
    PARSE_FAIL("2025-01-32", NULL);
    PARSE_OK("2025-12-31T23:59:59Z", NULL, INT64_C(1767225599), 0);
}

static void test_parse_bad_times(void)
{
    PARSE_FAIL("2025-10-31T24:00:00Z", NULL);
    PARSE_FAIL("2025-10-31T24:00", NULL);
    PARSE_FAIL("2025-10-31T24:00:00", AMS);
    PARSE_FAIL("2025-10-31T23:60:00Z", NULL);
    PARSE_FAIL("2025-10-31T23:59:61Z", NULL);
    PARSE_FAIL("2025-10-31T06:00:00+15:00", NULL);
    PARSE_FAIL("2025-10-31T06:00:00-15:00", NULL);
    PARSE_FAIL("2025-10-31T06:00:00+14:30", NULL);
    PARSE_FAIL("2025-10-31T06:00:00+05:60", NULL);
}

static void test_parse_garbage(void)
{
    static const char *const bad[] = {
        "", "yesterday", "31-10-2025", "2025/10/31", "2025-1-31",
        "2025-10-1", "25-10-31", "20251031", "2025-10-31T", "2025-10-31T6:00",
        "2025-10-31T06", "2025-10-31T06:", "2025-10-31T06:00:0",
        "2025-10-31T06:00:00+0100", "2025-10-31T06:00:00+01",
        "2025-10-31T06:00:00+1:00", "2025-10-31T06:00:00 +01:00",
        "2025-10-31T06:00:00Zjunk", "2025-10-31T06:00:00ZZ",
        "2025-10-31x", "2025-10-31 ", " 2025-10-31", "2025-10-31\n",
        "2025-10-31TT06:00", "-2025-10-31", "+2025-10-31", "2025-10-31Z",
        "2025-1a-31", "0x7e9-10-31", "2025-10-31T06:00:00EST",
        "2025-10-31T06:00:00UTC", NULL,
    };

    for (const char *const *s = bad; *s; s++) {
        struct pp_date d = { 0, 0 };
        const char *why = NULL;
        int r = date_parse(*s, NULL, &d, &why);

        CHECK_INT(r, -1);
        CHECK(why != NULL && *why != '\0');
        if (r != -1)
            fprintf(stderr, "  (\"%s\" was accepted)\n", *s);
    }
    PARSE_FAIL("garbage", AMS);
}

/* date_parse() sets TZ only while it works: the caller's TZ comes back. */
static void test_parse_keeps_tz(void)
{
    const char *env = getenv("TZ");
    char *saved = env ? xstrdup(env) : NULL;
    struct pp_date d;
    const char *why;

    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    CHECK_INT(date_parse("2025-07-01T12:00:00", AMS, &d, &why), 0);
    CHECK_STR(getenv("TZ"), "Asia/Tokyo");
    CHECK_INT(date_parse("2025-03-30T02:30:00", AMS, &d, &why), -1);
    CHECK_STR(getenv("TZ"), "Asia/Tokyo");

    unsetenv("TZ");
    tzset();
    CHECK_INT(date_parse("2025-07-01T12:00:00", AMS, &d, &why), 0);
    CHECK(getenv("TZ") == NULL);

    if (saved)
        setenv("TZ", saved, 1);
    tzset();
    free(saved);
}

static void test_format_rfc2822(void)
{
    char buf[32];

    rfc2822(OCT31 + 5 * 3600, 3600, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 06:00:00 +0100");
    rfc2822(OCT31 + 5 * 3600, 0, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 05:00:00 +0000");
    rfc2822(OCT31 + 5 * 3600, -12600, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 01:30:00 -0330");
    rfc2822(OCT31 + 5 * 3600, -1800, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 04:30:00 -0030");
    rfc2822(OCT31, 20700, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 05:45:00 +0545");
    /* The offset moves the calendar day, and the weekday with it. */
    rfc2822(OCT31, -3600, buf);
    CHECK_STR(buf, "Thu, 30 Oct 2025 23:00:00 -0100");
    rfc2822(OCT31 - 1, 14 * 3600, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 13:59:59 +1400");
    rfc2822(0, 0, buf);
    CHECK_STR(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
    rfc2822(INT64_C(1751328000) + 10 * 3600, 7200, buf);
    CHECK_STR(buf, "Tue, 01 Jul 2025 12:00:00 +0200");
    rfc2822(INT64_C(1767225599), 0, buf);
    CHECK_STR(buf, "Wed, 31 Dec 2025 23:59:59 +0000");
}

static void test_format_rfc2822_old_and_leap(void)
{
    char buf[32];

    rfc2822(-1, 0, buf);
    CHECK_STR(buf, "Wed, 31 Dec 1969 23:59:59 +0000");
    rfc2822(0, -3600, buf);
    CHECK_STR(buf, "Wed, 31 Dec 1969 23:00:00 -0100");
    rfc2822(-86400, 0, buf);
    CHECK_STR(buf, "Wed, 31 Dec 1969 00:00:00 +0000");
    rfc2822(-86401, 0, buf);
    CHECK_STR(buf, "Tue, 30 Dec 1969 23:59:59 +0000");
    rfc2822(INT64_C(-3594) * 86400 + 10 * 3600, 7200, buf);
    CHECK_STR(buf, "Mon, 29 Feb 1960 12:00:00 +0200");
    rfc2822(INT64_C(19782) * 86400 + 12 * 3600, 0, buf);
    CHECK_STR(buf, "Thu, 29 Feb 2024 12:00:00 +0000");
    rfc2822(INT64_C(11016) * 86400, 0, buf);
    CHECK_STR(buf, "Tue, 29 Feb 2000 00:00:00 +0000");
    rfc2822(INT64_C(11017) * 86400, 0, buf);
    CHECK_STR(buf, "Wed, 01 Mar 2000 00:00:00 +0000");
    rfc2822(INT64_C(-719162) * 86400, 0, buf);
    CHECK_STR(buf, "Mon, 01 Jan 0001 00:00:00 +0000");
    rfc2822(INT64_C(2932896) * 86400 + 86399, 0, buf);
    CHECK_STR(buf, "Fri, 31 Dec 9999 23:59:59 +0000");
}

static void test_format_rfc3339(void)
{
    char buf[32];

    rfc3339(OCT31 + 5 * 3600, 3600, buf);
    CHECK_STR(buf, "2025-10-31T06:00:00+01:00");
    rfc3339(OCT31 + 5 * 3600, 0, buf);
    CHECK_STR(buf, "2025-10-31T05:00:00+00:00");
    rfc3339(OCT31 + 5 * 3600, -12600, buf);
    CHECK_STR(buf, "2025-10-31T01:30:00-03:30");
    rfc3339(-1, 0, buf);
    CHECK_STR(buf, "1969-12-31T23:59:59+00:00");
    rfc3339(INT64_C(-3594) * 86400, 0, buf);
    CHECK_STR(buf, "1960-02-29T00:00:00+00:00");
}

/*
 * Found by fuzzing: an offset that is not whole minutes (local mean time,
 * Amsterdam before 1937 was +00:19:32) cannot be written in RFC 2822 or
 * RFC 3339; the same moment is written in UTC, exactly.
 */
static void test_format_odd_offset(void)
{
    struct pp_date d = { 0, -2670 }, back;
    const char *why;
    char buf[32];
    bool named;

    date_format_rfc2822(&d, buf);
    CHECK_STR(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
    CHECK_INT(date_parse_rfc2822(buf, &back, &named), 0);
    CHECK_INT(back.t, 0);
    date_format_rfc3339(&d, buf);
    CHECK_STR(buf, "1970-01-01T00:00:00+00:00");
    CHECK_INT(date_parse(buf, NULL, &back, &why), 0);
    CHECK_INT(back.t, 0);
}

/* RFC 2822 dates start in 1900: earlier years are refused. */
static void test_year_range(void)
{
    struct pp_date d;
    const char *why = NULL;

    CHECK_INT(date_parse("0000-01-06", NULL, &d, &why), -1);
    CHECK(why && strstr(why, "1900"));
    CHECK_INT(date_parse("1899-12-31T23:59:59Z", NULL, &d, &why), -1);
    CHECK_INT(date_parse("1900-01-01T00:00:00Z", NULL, &d, &why), 0);
    CHECK_INT(date_parse("2025-06-30T23:59:60Z", NULL, &d, &why), -1);
}

/* Text that is already canonical RFC 3339 comes back unchanged. */
static void test_round_trip(void)
{
    static const char *const canon[] = {
        "2025-10-31T06:00:00+01:00", "2025-10-31T01:30:00-03:30",
        "2025-07-01T12:00:00+02:00", "2024-02-29T23:59:59+00:00",
        "2000-02-29T00:00:00+14:00", "1969-07-20T20:17:40+00:00",
        "1960-02-29T12:00:00-12:00", "1900-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "2025-10-31T05:45:00+05:45", "1970-01-01T00:59:59+01:00", NULL,
    };

    for (const char *const *s = canon; *s; s++) {
        struct pp_date d = { 0, 0 }, d2 = { 1, 1 };
        const char *why = NULL;
        char buf[32], buf2[32];

        CHECK_INT(date_parse(*s, NULL, &d, &why), 0);
        date_format_rfc3339(&d, buf);
        CHECK_STR(buf, *s);
        CHECK_INT(date_parse(buf, AMS, &d2, &why), 0);
        CHECK_INT(d2.t, d.t);
        CHECK_INT(d2.offset, d.offset);
        date_format_rfc2822(&d, buf);
        date_format_rfc2822(&d2, buf2);
        CHECK_STR(buf2, buf);
    }
}

/* Zone-less local times come back as RFC 3339 with the zone's offset. */
static void test_round_trip_local(void)
{
    struct pp_date d;
    const char *why;
    char buf[32];

    CHECK_INT(date_parse("2025-07-01 12:00", AMS, &d, &why), 0);
    date_format_rfc3339(&d, buf);
    CHECK_STR(buf, "2025-07-01T12:00:00+02:00");
    date_format_rfc2822(&d, buf);
    CHECK_STR(buf, "Tue, 01 Jul 2025 12:00:00 +0200");
    CHECK_INT(date_parse("2025-12-24", AMS, &d, &why), 0);
    date_format_rfc3339(&d, buf);
    CHECK_STR(buf, "2025-12-24T00:00:00+01:00");
}

/* A moment as written in a zone: the offset there, then. */
static void test_date_in_zone(void)
{
    const char *env = getenv("TZ");
    char *saved = env ? xstrdup(env) : NULL;
    struct pp_date d = { 1, 1 };
    char buf[32];

    date_in_zone(OCT31 + 5 * 3600, AMS, &d);
    CHECK_INT(d.t, OCT31 + 5 * 3600);
    CHECK_INT(d.offset, 3600);
    date_format_rfc2822(&d, buf);
    CHECK_STR(buf, "Fri, 31 Oct 2025 06:00:00 +0100");
    date_in_zone(INT64_C(1751328000), AMS, &d);
    CHECK_INT(d.offset, 7200);
    date_in_zone(OCT31, "America/New_York", &d);
    CHECK_INT(d.offset, -4 * 3600);
    date_in_zone(OCT31, NULL, &d);
    CHECK_INT(d.t, OCT31);
    CHECK_INT(d.offset, 0);
    date_in_zone(OCT31, "UTC", &d);
    CHECK_INT(d.offset, 0);
    /* TZ is the caller's again afterwards. */
    CHECK((env == NULL) == (getenv("TZ") == NULL));
    if (env)
        CHECK_STR(getenv("TZ"), saved);
    free(saved);
}

/* Day and month names are English whatever LC_TIME says. */
static void test_format_locale(void)
{
    struct pp_date d = { OCT31 + 5 * 3600, 3600 }, p;
    const char *why;
    char before[32], after[32], before3339[32], after3339[32];

    date_format_rfc2822(&d, before);
    date_format_rfc3339(&d, before3339);
    if (!setlocale(LC_ALL, "nl_NL.UTF-8")) {
        fprintf(stderr, "  (locale nl_NL.UTF-8 missing: comparison "
                "skipped)\n");
        return;
    }
    date_format_rfc2822(&d, after);
    date_format_rfc3339(&d, after3339);
    CHECK_STR(after, before);
    CHECK_STR(after, "Fri, 31 Oct 2025 06:00:00 +0100");
    CHECK_STR(after3339, before3339);
    d.t = INT64_C(1746144000);      /* 2025-05-02, "mei" in Dutch */
    d.offset = 7200;
    date_format_rfc2822(&d, after);
    CHECK_STR(after, "Fri, 02 May 2025 02:00:00 +0200");
    CHECK_INT(date_parse("2025-10-31T06:00:00", AMS, &p, &why), 0);
    CHECK_INT(p.t, OCT31 + 5 * 3600);
    setlocale(LC_ALL, "C");
}

static void test_tz_valid(void)
{
    const char *env = getenv("TZDIR");
    char *saved = env ? xstrdup(env) : NULL;

    CHECK(tz_valid("Europe/Amsterdam"));
    CHECK(tz_valid("UTC"));
    CHECK(tz_valid("America/New_York"));
    CHECK(tz_valid("America/Argentina/Buenos_Aires"));
    CHECK(tz_valid("Etc/GMT+5"));
    CHECK(!tz_valid("Mars/Base"));
    CHECK(!tz_valid("../etc/passwd"));
    CHECK(!tz_valid("Europe/../../../etc/passwd"));
    /* Refused even where ".." would lead to a real zone file. */
    CHECK(!tz_valid("Europe/../Europe/Amsterdam"));
    CHECK(!tz_valid("../zoneinfo/Europe/Amsterdam"));
    CHECK(!tz_valid("/etc/localtime"));
    CHECK(!tz_valid("/usr/share/zoneinfo/Europe/Amsterdam"));
    CHECK(!tz_valid(""));
    CHECK(!tz_valid("Europe"));             /* a directory */
    CHECK(!tz_valid("Europe/Amsterdam "));
    CHECK(!tz_valid("Europe/Amsterdam\n"));
    CHECK(!tz_valid("europe amsterdam"));
    CHECK(!tz_valid("CET-1CEST,M3.5.0,M10.5.0/3"));  /* POSIX TZ, no file */

    /* TZDIR is honoured; "UTC" needs no file at all. */
    setenv("TZDIR", "/nonexistent-podpub-tzdir", 1);
    CHECK(!tz_valid("Europe/Amsterdam"));
    CHECK(tz_valid("UTC"));
    if (saved)
        setenv("TZDIR", saved, 1);
    else
        unsetenv("TZDIR");
    free(saved);
    CHECK(tz_valid("Europe/Amsterdam"));
}

static void test_days_from_civil(void)
{
    CHECK_INT(days_from_civil(1970, 1, 1), 0);
    CHECK_INT(days_from_civil(1970, 1, 2), 1);
    CHECK_INT(days_from_civil(1969, 12, 31), -1);
    CHECK_INT(days_from_civil(2000, 1, 1), 10957);
    CHECK_INT(days_from_civil(2000, 2, 29), 11016);
    CHECK_INT(days_from_civil(2000, 3, 1), 11017);
    CHECK_INT(days_from_civil(2024, 2, 29), 19782);
    CHECK_INT(days_from_civil(2025, 10, 31), 20392);
    CHECK_INT(days_from_civil(1960, 2, 29), -3594);
    CHECK_INT(days_from_civil(1900, 3, 1), -25508);
    CHECK_INT(days_from_civil(1600, 1, 1), -135140);
    CHECK_INT(days_from_civil(1, 1, 1), -719162);
    CHECK_INT(days_from_civil(0, 3, 1), -719468);
    CHECK_INT(days_from_civil(0, 1, 1), -719528);
    CHECK_INT(days_from_civil(-1, 1, 1), -719893);
    CHECK_INT(days_from_civil(-400, 1, 1), -719528 - 146097);
    CHECK_INT(days_from_civil(9999, 12, 31), 2932896);
    /* Consecutive days across a leap year are consecutive numbers. */
    for (unsigned m = 1, d = 1, n = 0; n < 366; n++) {
        static const unsigned dim[] = {
            31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        };

        CHECK_INT(days_from_civil(2024, m, d), 19723 + (int64_t)n);
        if (++d > dim[m - 1]) {
            d = 1;
            m++;
        }
    }
}

static const struct harness_test tests[] = {
    TEST(test_parse_utc),
    TEST(test_parse_offsets),
    TEST(test_parse_fractions),
    TEST(test_parse_local),
    TEST(test_parse_dst_gap),
    TEST(test_parse_dst_overlap),
    TEST(test_parse_date_at_skipped_midnight),
    TEST(test_parse_calendar),
    TEST(test_parse_bad_times),
    TEST(test_parse_garbage),
    TEST(test_parse_keeps_tz),
    TEST(test_format_rfc2822),
    TEST(test_format_rfc2822_old_and_leap),
    TEST(test_format_rfc3339),
    TEST(test_round_trip),
    TEST(test_year_range),
    TEST(test_format_odd_offset),
    TEST(test_round_trip_local),
    TEST(test_date_in_zone),
    TEST(test_format_locale),
    TEST(test_tz_valid),
    TEST(test_days_from_civil),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
