/*
 * The counter's own structures, shared by count.c (reading and windows)
 * and state.c (the state file and results).
 */
#ifndef PODPUB_STATS_COUNTER_H
#define PODPUB_STATS_COUNTER_H

#include <stdint.h>

#include "podpub/stats.h"
#include "internal.h"

#define DAY 86400

/* The state file's "podpub_stats" version. */
#define STATE_VERSION 1

/* Counts of one name (an app, a platform) by interned name id. */
struct name_count {
    int nid;
    uint64_t n;
};

struct day_count {
    int64_t day;
    uint64_t n;
};

/* What is counted of one episode. */
struct ep_agg {
    uint64_t total, first[3], curve[30];
    struct day_count *days;     /* ascending */
    size_t days_nr, days_alloc;
    struct name_count *apps;
    size_t apps_nr, apps_alloc;
};

/* Counts of a set of downloads: per episode (by catalog index). */
struct agg {
    struct ep_agg *eps;         /* catalog order */
    size_t eps_nr;
    struct name_count *platforms;
    size_t platforms_nr, platforms_alloc;
};

/* An episode of the state file that the catalog does not have. */
struct orphan {
    char *guid;
    struct ep_agg a;
};

/* A log file the state file knows. */
struct file_mark {
    char id[65];                /* SHA-256 of its first line */
    uint64_t offset, lines;     /* read up to, lines up to there */
    uint64_t replay, replay_lines;  /* where the next run starts again */
    bool seen;                  /* read in this run */
};

struct interned {
    char **names;
    size_t nr, alloc;
    int *slots;                 /* open addressing over 'names'; -1 empty */
    size_t slots_nr;
};

struct stats;   /* count.c */

/* Interns 'name' ("unknown" for NULL); returns its id. */
int intern(struct interned *in, const char *name);
void interned_release(struct interned *in);

void agg_init(struct agg *g, size_t eps_nr);
void agg_release(struct agg *g);
void ep_agg_release(struct ep_agg *a);
/* Adds one download of episode 'ep' at 'start' to 'g'. */
void agg_add(struct agg *g, const struct stats_catalog *cat, int ep,
             int64_t start, int app, int platform);
void name_count_add(struct name_count **v, size_t *nr, size_t *alloc,
                    int nid, uint64_t n);
void day_count_add(struct ep_agg *a, int64_t day, uint64_t n);

/* What state.c needs of the counter. */
struct stats_core {
    const struct stats_catalog *cat;
    struct interned names;
    struct agg committed;
    struct orphan *orphans;
    size_t orphans_nr;
    struct file_mark *files;
    size_t files_nr, files_alloc;
    int64_t cutoff;             /* windows starting before: committed */
    /*
     * Downloads of windows still open when the last run ended, as it
     * counted them (state file), and as this run counts them.
     */
    struct agg saved, provisional;
    bool have_saved;
    int64_t first_t, last_t;
};

/* count.c: the counter's shared part; ending a count (see there). */
struct stats_core *stats_core(struct stats *st);
void stats_finish(struct stats *st, struct stats_result *r);

#endif
