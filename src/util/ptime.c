/*
 * Date parsing and formatting. Formatting is table-driven rather than
 * strftime(): strftime's %a and %b follow the locale, and a Dutch locale
 * would write "vr, 31 okt", which no podcast parser reads. Zone-less local
 * times are resolved with the C library's tz database through TZ, the one
 * place where process state is touched (and restored).
 */
#include <ctype.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "podpub/ptime.h"
#include "podpub/util.h"

static const char day_names[7][4] = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed",  /* 1970-01-01 was a Thursday */
};
static const char month_names[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly 'n' digits at '*p'; returns -1 if they are not there. */
static int digits(const char **p, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

/*
 * "HH:MM" or "HH:MM:SS", as both date formats write the time of day.
 * Returns how many of the three it read (2 or 3), or -1.
 */
static int clock_time(const char **p, int *h, int *mi, int *sec)
{
    if ((*h = digits(p, 2)) < 0 || *(*p)++ != ':' || (*mi = digits(p, 2)) < 0)
        return -1;
    if (**p != ':')
        return 2;
    ++*p;
    return (*sec = digits(p, 2)) < 0 ? -1 : 3;
}

bool tz_valid(const char *name)
{
    const char *dir = getenv("TZDIR");
    char *path;
    FILE *f;
    char magic[4];
    bool ok;

    if (!strcmp(name, "UTC"))
        return true;
    if (!*name || name[0] == '/' || strstr(name, "..") ||
        strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789/_+-") != strlen(name))
        return false;
    path = xstrfmt("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    f = fopen(path, "rb");
    free(path);
    if (!f)
        return false;
    ok = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
    fclose(f);
    return ok;
}

/*
 * The C library converts local times only in the process's zone, TZ:
 * set it for a conversion and put the caller's back after. Returns the
 * saved value for tz_leave(). The environment is the process's, so one
 * thread at a time (episodes are parsed in parallel).
 */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static char *tz_enter(const char *tz)
{
    char *saved;

    pthread_mutex_lock(&tz_lock);
    saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    return saved;
}

static void tz_leave(char *saved)
{
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    pthread_mutex_unlock(&tz_lock);
    free(saved);
}

/*
 * Resolves a local civil time in zone 'tz' to UTC through mktime() with TZ
 * set. Fails for times skipped by a clock change.
 */
static int local_to_utc(const char *tz, int64_t y, unsigned mo, unsigned d,
                        unsigned h, unsigned mi, unsigned s, bool date_only,
                        struct pp_date *out, const char **why)
{
    struct tm tm = { 0 }, back;
    char *saved;
    time_t t;
    int ret = 0;

    if (y < 1900 || y > 9999) {
        *why = "year out of range (1900 to 9999)";
        return -1;
    }
    saved = tz_enter(tz);
    tm.tm_year = (int)(y - 1900);
    tm.tm_mon = (int)mo - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = (int)h;
    tm.tm_min = (int)mi;
    tm.tm_sec = (int)s;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    /*
     * A time the clock skipped comes back changed. For a bare date that
     * only means the day started later than midnight (America/Santiago
     * moves its clocks at 00:00): the day's first moment is meant.
     */
    if (!localtime_r(&t, &back) || back.tm_mday != (int)d ||
        (!date_only && (back.tm_hour != (int)h || back.tm_min != (int)mi))) {
        *why = "time does not exist in the show's time zone (clock change)";
        ret = -1;
    } else {
        int64_t as_utc = days_from_civil(y, mo, d) * 86400 +
                         back.tm_hour * 3600 + back.tm_min * 60 + back.tm_sec;

        out->t = (int64_t)t;
        out->offset = (int)(as_utc - out->t);
    }
    tz_leave(saved);
    return ret;
}

int date_parse(const char *s, const char *tz, struct pp_date *out,
               const char **why)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0, n;
    bool has_zone = false, date_only = true;

    *why = "is not a date (want 2025-10-31 or 2025-10-31T06:00:00+01:00)";
    if ((y = digits(&p, 4)) < 0 || *p++ != '-' ||
        (mo = digits(&p, 2)) < 0 || *p++ != '-' || (d = digits(&p, 2)) < 0)
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        date_only = false;
        if ((n = clock_time(&p, &h, &mi, &sec)) < 0)
            return -1;
        if (n == 3 && *p == '.') {   /* fractions of a second are dropped */
            p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            while (isdigit((unsigned char)*p))
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
            has_zone = true;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;

            if ((oh = digits(&p, 2)) < 0 || *p++ != ':' ||
                (om = digits(&p, 2)) < 0)
                return -1;
            if (oh > 14 || om > 59 || (oh == 14 && om)) {
                *why = "time zone offset out of range (-14:00 to +14:00)";
                return -1;
            }
            off = sign * (oh * 3600 + om * 60);
            has_zone = true;
        }
    }
    if (*p)
        return -1;
    if (mo < 1 || mo > 12) {
        *why = "month out of range";
        return -1;
    }
    if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo)) {
        *why = "day does not exist in that month";
        return -1;
    }
    if (h > 23 || mi > 59 || sec > 59) {
        *why = "time out of range (00:00:00 to 23:59:59)";
        return -1;
    }
    if (y < 1900) {
        /* RFC 2822, which pubDate follows, starts in 1900. */
        *why = "year out of range (1900 to 9999)";
        return -1;
    }
    if (!has_zone && tz && strcmp(tz, "UTC"))
        return local_to_utc(tz, y, (unsigned)mo, (unsigned)d, (unsigned)h,
                            (unsigned)mi, (unsigned)sec, date_only, out, why);
    out->t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
             h * 3600 + mi * 60 + sec - off;
    out->offset = off;
    return 0;
}

void date_in_zone(int64_t t, const char *tz, struct pp_date *out)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char *saved;

    out->t = t;
    out->offset = 0;
    if (!tz || !strcmp(tz, "UTC"))
        return;
    saved = tz_enter(tz);
    if (localtime_r(&tt, &tm))
        out->offset = (int)tm.tm_gmtoff;
    tz_leave(saved);
}

int date_parse_rfc2822(const char *s, struct pp_date *out, bool *named_zone)
{
    static const struct {
        const char *name;
        int hours;
    } zones[] = {
        { "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
        { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
        { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
    };
    const char *p = s;
    int d, mo = -1, y, h, mi, sec = 0, off = 0, wday = -1;
    char mon[4];

    *named_zone = false;
    while (isspace((unsigned char)*p))
        p++;
    if (isalpha((unsigned char)*p)) {       /* "Fri," */
        for (int i = 0; i < 7; i++)
            if (!strncmp(p, day_names[i], 3) && p[3] == ',')
                wday = i;
        if (wday < 0)
            return -1;   /* "Woe," or "Friday,": not RFC 2822 */
        p += 4;
        while (isspace((unsigned char)*p))
            p++;
    }
    if (!isdigit((unsigned char)*p))
        return -1;
    d = (int)strtol(p, (char **)&p, 10);
    while (isspace((unsigned char)*p))
        p++;
    if (!isalpha((unsigned char)p[0]) || !isalpha((unsigned char)p[1]) ||
        !isalpha((unsigned char)p[2]))
        return -1;
    snprintf(mon, sizeof(mon), "%c%c%c", toupper((unsigned char)p[0]),
             tolower((unsigned char)p[1]), tolower((unsigned char)p[2]));
    for (int i = 0; i < 12; i++)
        if (!strcmp(month_names[i], mon))
            mo = i + 1;
    if (mo < 0 || isalpha((unsigned char)p[3]))
        return -1;   /* "January", "Janv": three letters only */
    p += 3;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    {
        const char *q = p;

        y = (int)strtol(p, (char **)&p, 10);
        if (p - q == 2)
            y += y < 50 ? 2000 : 1900;
        else if (p - q != 4)
            return -1;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (clock_time(&p, &h, &mi, &sec) < 0)
        return -1;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, hh, mm;

        if ((hh = digits(&p, 2)) < 0)
            return -1;
        /* "+01:00" is ISO 8601, not RFC 2822: gPodder ignores it. */
        if ((mm = digits(&p, 2)) < 0 || hh > 14 || mm > 59)
            return -1;
        off = sign * (hh * 3600 + mm * 60);
    } else if (*p) {
        size_t n = strcspn(p, " \t\r\n");
        bool found = false;

        for (size_t i = 0; i < ARRAY_SIZE(zones); i++)
            if (strlen(zones[i].name) == n && !strncasecmp(p, zones[i].name, n)) {
                off = zones[i].hours * 3600;
                found = true;
            }
        if (!found)
            return -1;
        /* Every parser reads GMT and UT; names like PST break some. */
        *named_zone = off != 0 || (n == 3 && !strncasecmp(p, "EST", 3));
        p += n;
    } else {
        return -1;   /* no zone at all: parsers disagree on what it means */
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p || mo < 1 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo) ||
        h > 23 || mi > 59 || sec > 60)
        return -1;
    if (sec == 60)
        sec = 59;
    out->t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
             h * 3600 + mi * 60 + sec - off;
    out->offset = off;
    /* A stated weekday must be the date's (1970-01-01 was a Thursday). */
    if (wday >= 0) {
        int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);

        if ((int)(((days % 7) + 7) % 7) != wday)
            return -1;
    }
    return 0;
}

struct civil {
    int64_t y;
    unsigned mo, d, h, mi, s, wday;
};

static void to_civil(const struct pp_date *dt, struct civil *c)
{
    int64_t local = dt->t + dt->offset;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;

    civil_from_days(days, &c->y, &c->mo, &c->d);
    c->h = (unsigned)(secs / 3600);
    c->mi = (unsigned)(secs / 60 % 60);
    c->s = (unsigned)(secs % 60);
    c->wday = (unsigned)(((days % 7) + 7) % 7);
}

/*
 * The date to write: as given, unless its offset is not whole minutes
 * (local mean time before a zone had standard time, e.g. +00:19:32),
 * which RFC 2822 and RFC 3339 cannot state, or its local year is not
 * four digits: then the same moment in UTC, exactly. Fills the civil
 * time to print, the offset's sign and its size in seconds.
 */
static void writable(const struct pp_date *dt, struct civil *c, char *sign,
                     int *off)
{
    struct pp_date d = *dt;

    if (d.offset % 60)
        d.offset = 0;
    to_civil(&d, c);
    if (c->y < 0 || c->y > 9999) {
        d.offset = 0;
        to_civil(&d, c);
    }
    *sign = d.offset < 0 ? '-' : '+';
    *off = d.offset < 0 ? -d.offset : d.offset;
}

/*
 * Formats into the 32 bytes of 'buf' through a larger buffer: writable()
 * keeps every field in range, so the text fits, but GCC 12's
 * -Wformat-truncation cannot know that of a snprintf() into 32 bytes.
 */
static void date_print(char buf[32], const char *fmt, ...) PP_PRINTF(2, 3);
static void date_print(char buf[32], const char *fmt, ...)
{
    char wide[128];
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(wide, sizeof(wide), fmt, ap);
    va_end(ap);
    n = strnlen(wide, 31);
    memcpy(buf, wide, n);
    buf[n] = '\0';
}

/* Writes 'v' as 'width' decimal digits at 'p'; returns the end. */
static char *put_digits(char *p, long long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Writes "HH:MM:SS" of 'c' at 'p'; returns the end. */
static char *put_clock(char *p, const struct civil *c)
{
    p = put_digits(p, c->h, 2);
    *p++ = ':';
    p = put_digits(p, c->mi, 2);
    *p++ = ':';
    return put_digits(p, c->s, 2);
}

/*
 * The fields in the ranges the fixed-width formats below assume (always,
 * but for years outside 0-9999 or an offset of 100 hours or more); the
 * feed writes two dates an episode, and snprintf() took a tenth of a
 * warm build.
 */
static bool fixed_width(const struct civil *c, int off)
{
    return c->y >= 0 && c->y <= 9999 && off / 3600 < 100 && c->mo >= 1 &&
           c->mo <= 12 && c->d <= 31 && c->h <= 23 && c->mi <= 59 &&
           c->s <= 60 && c->wday < 7;
}

void date_format_rfc2822(const struct pp_date *dt, char buf[32])
{
    struct civil c;
    char sign, *p = buf;
    int off;

    writable(dt, &c, &sign, &off);
    if (fixed_width(&c, off)) {
        /* "Fri, 31 Oct 2025 06:00:00 +0100" */
        memcpy(p, day_names[c.wday], 3);
        p += 3;
        *p++ = ',';
        *p++ = ' ';
        p = put_digits(p, c.d, 2);
        *p++ = ' ';
        memcpy(p, month_names[c.mo - 1], 3);
        p += 3;
        *p++ = ' ';
        p = put_digits(p, c.y, 4);
        *p++ = ' ';
        p = put_clock(p, &c);
        *p++ = ' ';
        *p++ = sign;
        p = put_digits(p, off / 3600, 2);
        p = put_digits(p, off / 60 % 60, 2);
        *p = '\0';
        return;
    }
    date_print(buf, "%s, %02u %s %04lld %02u:%02u:%02u %c%02d%02d",
               day_names[c.wday], c.d, month_names[c.mo - 1], (long long)c.y,
               c.h, c.mi, c.s, sign, off / 3600, off / 60 % 60);
}

void date_format_rfc3339(const struct pp_date *dt, char buf[32])
{
    struct civil c;
    char sign, *p = buf;
    int off;

    writable(dt, &c, &sign, &off);
    if (fixed_width(&c, off)) {
        /* "2025-10-31T06:00:00+01:00" */
        p = put_digits(p, c.y, 4);
        *p++ = '-';
        p = put_digits(p, c.mo, 2);
        *p++ = '-';
        p = put_digits(p, c.d, 2);
        *p++ = 'T';
        p = put_clock(p, &c);
        *p++ = sign;
        p = put_digits(p, off / 3600, 2);
        *p++ = ':';
        p = put_digits(p, off / 60 % 60, 2);
        *p = '\0';
        return;
    }
    date_print(buf, "%04lld-%02u-%02uT%02u:%02u:%02u%c%02d:%02d",
               (long long)c.y, c.mo, c.d, c.h, c.mi, c.s, sign, off / 3600,
               off / 60 % 60);
}
