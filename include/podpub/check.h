/*
 * `podpub check`: one table of rules (what RSS, Apple Podcasts, Spotify and
 * the Podcast Index ask of a feed), applied to a show and its episodes,
 * each finding placed at the line of the file that caused it.
 */
#ifndef PODPUB_CHECK_H
#define PODPUB_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "podpub/meta.h"

struct feed_doc;        /* feedread.h */

/* The directories a rule comes from. */
enum {
    PP_DIR_RSS = 1,
    PP_DIR_APPLE = 2,
    PP_DIR_SPOTIFY = 4,
    PP_DIR_PI = 8,
};

enum rule_severity { RULE_ERROR, RULE_WARNING };

struct rule {
    const char *id;             /* "apple.image.size" */
    enum rule_severity severity;
    unsigned dirs;              /* PP_DIR_* */
    const char *summary;        /* one line, for --list-rules */
};

extern const struct rule check_rules[];
extern const size_t check_rules_nr;

/* The rule with 'id', or NULL. */
const struct rule *rule_find(const char *id);

struct finding {
    const struct rule *rule;
    enum rule_severity severity;    /* the rule's, or error with --strict */
    char *file;                 /* owned; NULL when not tied to a file */
    int line, col;
    char *message;              /* owned */
    char *url;                  /* owned; online checks */
};

struct check_report {
    struct finding *items;
    size_t nr, alloc;
    bool strict;                /* warnings count as errors */
    /* Rule ids (or "prefix.*") not reported: --ignore and check.ignore. */
    char **ignore;              /* owned (report_ignore()) */
    size_t ignore_nr, ignore_alloc;
};

/* Adds the 'nr' rule ids (or "prefix.*") 'ids' to those 'r' leaves out. */
void report_ignore(struct check_report *r, const char *const *ids,
                   size_t nr);

/*
 * Records a finding of rule 'id' at 'pos' (may be NULL) unless the rule
 * is ignored. 'url' may be NULL. Dies on an unknown rule id (a bug).
 */
void report_add(struct check_report *r, const char *id,
                const struct srcpos *pos, const char *url,
                const char *fmt, ...) PP_PRINTF(5, 6);

/* Counts the findings of 'severity'. */
size_t report_count(const struct check_report *r, enum rule_severity sev);

/*
 * Prints the findings sorted by file and line, "path:line:col: error:
 * message [rule-id]", with colour when 'colour'; 'only_errors' leaves out
 * warnings. As JSON (an array) when 'json'.
 */
void report_print(const struct check_report *r, FILE *out, bool json,
                  bool colour, bool only_errors);

void report_release(struct check_report *r);

/* Prints the rule table (id, severity, directories, summary). */
void rules_print(FILE *out, bool json);

/*
 * Applies the rules to 'show' and its 'nr' live episodes 'live' (probed,
 * as they go into the feed), with 'now' for "no future dates". Artwork is
 * probed from the files of a local show. 'feed_bytes' is the size of the
 * feed as written (0 when unknown), with 'feed_items' items.
 */
void check_show(struct check_report *r, const struct show *show,
                struct episode *const *live, size_t nr, int64_t now,
                size_t feed_bytes, size_t feed_items);

/*
 * check_show() in two steps, for a build that renders the feed while the
 * rules run: every rule but the feed's size, then that one, last, as
 * check_show() reports it.
 */
void check_show_items(struct check_report *r, const struct show *show,
                      struct episode *const *live, size_t nr, int64_t now);
void check_show_size(struct check_report *r, const struct show *show,
                     size_t feed_bytes, size_t feed_items);

/*
 * Fetches every URL of the built feed (enclosures, images, transcripts,
 * chapters, the feed itself) with up to 'jobs' requests at once and
 * 'timeout_s' per request, and records what is wrong. The episodes are
 * the 'nr' live ones of a local show, or, when 'doc' is not NULL, every
 * item of the feed check_feed() read into 'show' and 'doc' ('live' is
 * then ignored). Returns 0, or PP_ERR_REMOTE when some URL could not be
 * reached at all.
 */
int check_online(struct check_report *r, const struct show *show,
                 const struct feed_doc *doc, struct episode *const *live,
                 size_t nr, int jobs, long timeout_s);

/*
 * Reads the feed 'source' (an http(s) URL, a file: URL or a path) into
 * 'show' and 'doc' (zeroed by the caller; free both, whatever the
 * result, with show_release() and feed_doc_release()) and applies the rules to it, findings at the feed's lines.
 * What keeps the feed from being read is a finding too (input.unreadable,
 * online.unreachable, online.status, rss.feed.xml, rss.feed.format), and
 * nothing is printed. Returns 0, or the PP_ERR_* code of that problem:
 * PP_ERR_REMOTE when a URL could not be fetched, PP_ERR_IO or
 * PP_ERR_INPUT when a file could not be read, PP_ERR_INPUT when the feed
 * is not RSS that can be read.
 */
int check_feed(const char *source, struct show *show, struct feed_doc *doc,
               struct check_report *r, int64_t now, long timeout_s);

/*
 * check_feed() for a feed already in memory: the 'len' bytes of 'buf',
 * named 'name' in findings. Returns 0 or PP_ERR_INPUT.
 */
int check_feed_buffer(const char *name, const char *buf, size_t len,
                      struct show *show, struct feed_doc *doc,
                      struct check_report *r, int64_t now);

#endif
