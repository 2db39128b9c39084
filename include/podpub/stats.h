/*
 * `podpub stats`: downloads counted from the storage's or CDN's access
 * logs by the IAB Podcast Measurement Technical Guidelines (v2.2).
 *
 * The caller describes the show (stats_catalog: each episode's enclosure
 * URL, bytes, duration and date, plus URLs of earlier file names), loads
 * the OPAWG user-agent lists (stats_agents), and feeds log files to a
 * counter (struct stats). The counter returns a struct stats_result; it
 * prints nothing. IP addresses live only inside the counter, hashed with
 * a key made for the run, for as long as their 24-hour window is open;
 * neither the state file nor any result holds one, nor any text of a log
 * line.
 */
#ifndef PODPUB_STATS_H
#define PODPUB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/strbuf.h"

/* The state file of incremental counting, relative to the show. */
#define PP_STATS_STATE ".podpub/stats.json"

/* How many unmatched lines a result lists (all are counted). */
#define STATS_MAX_REPORTED 10

/* ------------------------------------------------------------------ */
/* The show's episodes and the URLs that fetch them                    */

struct stats_catalog;

/* A new, empty catalog; free it with stats_catalog_free(). */
struct stats_catalog *stats_catalog_new(void);
void stats_catalog_free(struct stats_catalog *cat);

/*
 * Adds an episode: its GUID (the identity kept in the state file), title,
 * publication time (Unix seconds), enclosure URL, byte size and duration.
 * Returns its index, or -1 when 'url' is not an absolute http(s) URL or
 * its path is already taken (the first episode keeps it). Strings are
 * copied.
 */
int stats_catalog_add(struct stats_catalog *cat, const char *guid,
                      const char *title, int64_t date, const char *url,
                      uint64_t bytes, int64_t duration_ms);

/* A published file name and the GUID of the episode it belongs to. */
struct stats_alias {
    const char *url;    /* the public URL of an earlier file name */
    const char *guid;
};

/*
 * Maps earlier file names of episodes (from the publish manifest) to
 * those episodes: each 'url' counts for the episode with that GUID. URLs
 * whose GUID is not in the catalog, and URLs that are an episode's
 * current file, are skipped. Returns the number of URLs added.
 */
size_t stats_catalog_add_aliases(struct stats_catalog *cat,
                                 const struct stats_alias *aliases,
                                 size_t nr);

/*
 * The episode index a request path ("/show/001-milas.mp3?x=1", percent
 * encoded or not, query ignored) fetches, or -1.
 */
int stats_catalog_lookup(const struct stats_catalog *cat, const char *path,
                         size_t len);

/* ------------------------------------------------------------------ */
/* OPAWG user-agent lists                                              */

struct stats_agents;

/*
 * Loads OPAWG user-agents-v2 pattern files into '*agents' (created on the
 * first call, so several paths add up). 'path' is a folder holding
 * bots.json, apps.json, libraries.json, browsers.json and devices.json
 * (the repository's src/ or build/ folder; *.runtime.json names work
 * too), or one of those files; the kind comes from the file name. Prints
 * and returns PP_ERR_INPUT for a file that is not such a list or a
 * pattern PCRE2 cannot compile, PP_ERR_IO when unreadable.
 */
int stats_agents_load(struct stats_agents **agents, const char *path);
void stats_agents_free(struct stats_agents *agents);

/* What a user agent is, by the lists. */
enum stats_agent_kind {
    STATS_AGENT_UNKNOWN,        /* on no list: counted, app "unknown" */
    STATS_AGENT_BOT,            /* not counted */
    STATS_AGENT_APP,
    STATS_AGENT_LIBRARY,
    STATS_AGENT_BROWSER,
};
struct stats_agent_class {
    enum stats_agent_kind kind;
    const char *name;           /* entry's name, or NULL; borrowed */
    const char *device;         /* devices.json entry's name, or NULL */
    const char *category;       /* the device's category, or NULL */
    int id, device_id;          /* entry numbers (-1: none), for counting */
};

/* Classifies 'ua' (of 'len' bytes; newlines are not expected). */
void stats_agents_classify(const struct stats_agents *agents, const char *ua,
                           size_t len, struct stats_agent_class *out);

/* "opawg user-agents-v2: 412 bots, 803 apps, ..." for the report. */
void stats_agents_describe(const struct stats_agents *agents,
                           struct strbuf *out);

/* ------------------------------------------------------------------ */
/* Log formats                                                          */

/* One request as a log line gives it; pointers are into the line. */
struct stats_req {
    int64_t t;                  /* Unix seconds */
    const char *ip, *ua, *path, *method;
    size_t ip_len, ua_len, path_len, method_len;
    bool ua_encoded;            /* 'ua' is percent-encoded (CloudFront) */
    bool path_is_key;           /* 'path' is an S3 key (no leading '/') */
    int status;
    uint64_t bytes;             /* bytes sent (-: 0) */
    int64_t range_start, range_end;   /* the served range; -1: unknown */
};

/* Returned by a format's parse(). */
enum {
    STATS_LINE_NO = -1,         /* not this format */
    STATS_LINE_REQ = 0,         /* a request, in '*req' */
    STATS_LINE_META = 1,        /* a header or comment of the format */
};

/*
 * A log format: one file in src/stats per format fills one of these.
 * parse() reads one line (without its newline, NUL-terminated at
 * line[len], no NUL inside) into 'req'; 'state' is 'state_size' zeroed
 * bytes kept per log file (CloudFront's #Fields order, say), and 'scratch'
 * a buffer a parser may decode into. Pointers in 'req' point into the
 * line, 'scratch' or 'state', valid until the next call. Sets every field
 * of 'req' but range_start/range_end, which the caller sets to -1 first.
 */
struct stats_format_ops {
    const char *name;           /* "combined", "s3", ... (--format) */
    const char *description;
    size_t state_size;
    int (*parse)(void *state, const char *line, size_t len,
                 struct strbuf *scratch, struct stats_req *req);
    /* Frees what 'state' holds at the end of a file (may be NULL). */
    void (*release)(void *state);
};

/* The formats, in the order detection tries them; NULL-terminated. */
extern const struct stats_format_ops *const stats_formats[];
/* The format named 'name', or NULL. */
const struct stats_format_ops *stats_format_find(const char *name);

/* ------------------------------------------------------------------ */
/* Counting                                                            */

struct stats;

struct stats_opts {
    const struct stats_format_ops *format;  /* NULL: detect per line */
    const struct stats_agents *agents;      /* NULL: no bot filter */
};

/*
 * A new counter for the episodes of 'cat' (borrowed: it must outlive the
 * counter). Free with stats_free().
 */
struct stats *stats_new(const struct stats_catalog *cat,
                        const struct stats_opts *opts);
void stats_free(struct stats *st);

/*
 * Reads the state file 'path' (what earlier runs counted, and where each
 * log file was left). A missing file is an empty state. Returns 0, or
 * PP_ERR_INPUT (printed) for a file that is not podpub's state.
 */
int stats_state_load(struct stats *st, const char *path);

/*
 * Writes the state to 'path' (atomically): counts per episode GUID, and
 * per log file its identity (a hash of its first line) and how far it
 * was read. No address, no user agent, no line text. Returns 0 or
 * PP_ERR_IO.
 */
int stats_state_save(const struct stats *st, const char *path);

/*
 * Counts the log read from 'fd' (gzip or plain: detected), named 'name'
 * in results ("-" for stdin). With a state loaded, lines counted before
 * are skipped (by the file's identity and offset). Returns 0, or PP_ERR_IO
 * (printed) when reading fails; bad lines are counted, never fatal.
 */
int stats_read_fd(struct stats *st, int fd, const char *name);

/* stats_read_fd() of the file 'path' ("-": stdin). */
int stats_read_file(struct stats *st, const char *path);

/*
 * stats_read_file() of each of 'paths', oldest first (by the first
 * request in each; "-" last): rotated logs given newest first, as a shell
 * glob lists them, are counted in time order. Stops at the first error.
 */
int stats_read_files(struct stats *st, const char *const *paths, size_t nr);

/* ------------------------------------------------------------------ */
/* Results                                                             */

struct stats_count {
    const char *name;           /* borrowed from the agents or "unknown" */
    uint64_t n;
};

struct stats_day {
    int64_t day;                /* Unix day (seconds / 86400) */
    uint64_t n;
};

struct stats_episode_result {
    int index;                  /* in the catalog */
    const char *guid, *title;   /* borrowed from the catalog */
    int64_t date;
    uint64_t total, first[3];   /* all; in the first 1, 7 and 30 days */
    uint64_t curve[30];         /* downloads on day 0..29 after 'date' */
    bool complete30;            /* 30 days have passed in the logs */
    struct stats_count *apps;   /* most first */
    size_t apps_nr;
};

struct stats_unmatched {
    const char *file;           /* borrowed: the name given to read */
    uint64_t line;
    const char *why;            /* static: "no format matches", ... */
};

struct stats_result {
    struct stats_episode_result *episodes;  /* catalog order */
    size_t episodes_nr;
    uint64_t total;
    struct stats_day *days;                 /* every day with a download */
    size_t days_nr;
    struct stats_count *apps, *platforms, *formats;   /* most first */
    size_t apps_nr, platforms_nr, formats_nr;
    uint64_t curve_median[30];              /* of episodes with 30 days */
    size_t curve_median_nr;                 /* how many such episodes */
    int64_t first_t, last_t;                /* log time span (0: none) */
    /* Lines: read now, skipped as counted by an earlier run, ... */
    uint64_t lines, lines_seen_before, lines_meta, requests, unmatched;
    /* Requests not counted, by reason. */
    uint64_t not_episode, not_get, not_ok, probe, bot, too_short;
    /* Requests that counted toward a download. */
    uint64_t counted_requests;
    uint64_t pending;           /* windows kept at the end */
    uint64_t windows_peak;      /* the most kept at once: the memory bound */
    struct stats_unmatched unmatched_first[STATS_MAX_REPORTED];
    size_t unmatched_first_nr;
};

/*
 * The numbers so far (state plus what was read), into 'res'. Names in it
 * are borrowed from the counter and the catalog: release 'res' before
 * either. Called once per counter, at the end (before stats_state_save(),
 * which then saves what is final).
 */
void stats_result(struct stats *st, struct stats_result *res);
void stats_result_release(struct stats_result *res);

/* ------------------------------------------------------------------ */
/* Output: one writer per format (src/stats/out_*.c)                   */

struct stats_report_info {
    const char *show_title;
    const char *agents;         /* stats_agents_describe()'s text */
};

/*
 * Renders 'res' into 'out' (appending): the terminal table, JSON, CSV
 * (one row per episode) or the HTML page with its SVG charts. Text from
 * the lists and the show is escaped for the format; nothing from a log
 * line is in a result.
 */
struct stats_writer_ops {
    const char *name;
    void (*write)(const struct stats_result *res,
                  const struct stats_report_info *info, struct strbuf *out);
};
extern const struct stats_writer_ops stats_writer_table, stats_writer_json,
                                     stats_writer_csv, stats_writer_html;

/*
 * The episodes of 'res', newest first (by date, then catalog order), as
 * an array the caller frees with free().
 */
const struct stats_episode_result **stats_newest_first(
    const struct stats_result *res);

/* The calendar date "2025-10-31" of Unix day 'day' into 'buf' (11+). */
void stats_day_format(int64_t day, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Internals shared by the format files (src/stats/)                   */

/*
 * Parses "10/Oct/2000:13:55:36 -0700" (the part inside [...]) into Unix
 * seconds. Returns 0 or -1.
 */
int stats_parse_clf_time(const char *s, size_t len, int64_t *t);
/* Parses "2019-12-04T21:02:31.123Z" or with an offset. Returns 0 or -1. */
int stats_parse_iso_time(const char *s, size_t len, int64_t *t);
/*
 * Parses "bytes=S-E" / "bytes=S-" (first range only) into '*start' and
 * '*end' (-1 when open). Returns 0 or -1.
 */
int stats_parse_range(const char *s, size_t len, int64_t *start,
                      int64_t *end);

/* SipHash-1-3 of 'len' bytes with the 16-byte 'key'. */
uint64_t stats_siphash(const uint8_t key[16], const void *data, size_t len);

#endif
