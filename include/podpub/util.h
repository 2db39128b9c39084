/*
 * podpub utilities: error reporting with exit codes, allocation that cannot
 * fail, and small string helpers shared by every module.
 */
#ifndef PODPUB_UTIL_H
#define PODPUB_UTIL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strbuf;

#define PP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PP_NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

/*
 * Error codes: fallible functions return 0 or one of these (negative); the
 * absolute value is the process exit status.
 */
enum {
    PP_OK = 0,
    PP_ERR_INPUT = -1,   /* bad input or feed (validation) */
    PP_ERR_USAGE = -2,   /* wrong command line */
    PP_ERR_REMOTE = -3,  /* network or remote failure */
    PP_ERR_IO = -4,      /* local I/O failure */
};

/* Where in a source file a value came from; line and col are 1-based. */
struct srcpos {
    const char *file;    /* borrowed; NULL when unknown */
    int line, col;
};

/* Verbosity: -1 quiet, 0 normal, 1 verbose. Set once by main. */
extern int pp_verbosity;

/*
 * Prints "podpub: <message>" to stderr and returns 'code', so that callers
 * can write 'return errorf(PP_ERR_IO, ...)'.
 */
int errorf(int code, const char *fmt, ...) PP_PRINTF(2, 3);

/*
 * Prints "podpub: <kind><message>" and a newline to stderr, after what
 * stdout holds: the one place every message above goes through.
 */
void vreport(const char *kind, const char *fmt, va_list ap);

/* Prints "podpub: warning: <message>" to stderr (even with -q). */
void warnf(const char *fmt, ...) PP_PRINTF(1, 2);

/*
 * Prints "<file>:<line>:<col>: <field>: <message>" to stderr and counts it
 * in 'input_error_count'. Returns PP_ERR_INPUT. 'field' may be NULL.
 */
int input_error(const struct srcpos *pos, const char *field,
                const char *fmt, ...) PP_PRINTF(3, 4);
/* Like input_error() but a warning: "<pos>: warning: <field>: <message>". */
void input_warning(const struct srcpos *pos, const char *field,
                   const char *fmt, ...) PP_PRINTF(3, 4);
extern atomic_uint input_error_count;

/*
 * Until report_capture(NULL), the messages above that this thread prints
 * (not die()'s) are appended to 'sb' instead of going to stderr; threads
 * working through files in parallel keep them, and report_replay() prints
 * them in file order afterwards. Returns the buffer capturing before, so
 * that captures nest: put it back when done. report_replay() appends to
 * the thread's capture when there is one, else writes to stderr.
 */
struct strbuf *report_capture(struct strbuf *sb);
void report_replay(const struct strbuf *sb);

/* An error errorf() or input_error() reports, as a sink receives it. */
struct report_msg {
    int code;                   /* errorf()'s code; PP_ERR_INPUT for
                                   input_error() */
    const struct srcpos *pos;   /* input_error()'s position, or NULL */
    const char *field;          /* input_error()'s field, or NULL */
    const char *text;           /* the message alone: no "podpub: ", no
                                   position, no field */
};

struct report_sink {
    void (*fn)(void *ctx, const struct report_msg *m);
    void *ctx;
};

/*
 * Until it is replaced, errorf() and input_error() on every thread hand
 * their message to 'sink' instead of printing or capturing it (so
 * 'sink->fn' must be safe to call from several threads at once);
 * input_error() still counts it. Warnings print as before. NULL goes
 * back to printing. Returns the sink replaced (or NULL), for the caller
 * to put back. Set it only while no other thread reports.
 */
const struct report_sink *report_sink_set(const struct report_sink *sink);

/* Prints "podpub: fatal: <message>" and aborts: only for can't-happen. */
void die(const char *fmt, ...) PP_PRINTF(1, 2) PP_NORETURN;

/* The number of cores online (at least 1). */
size_t cpu_count(void);

/*
 * Calls fn(ctx, i) for every i below 'nr', on one thread per core (at
 * most PP_MAX_THREADS, this one included, and at least 'per_thread' items
 * each, so small jobs stay on this thread; they are handed out
 * per_thread / 8 at a time), and returns when all are done. 'fn' must be
 * safe to run concurrently for different i.
 */
#define PP_MAX_THREADS 16
void parallel_for(size_t nr, size_t per_thread,
                  void (*fn)(void *ctx, size_t i), void *ctx);

/*
 * Progress of parallel work: fn(ctx, done, total, current) is called by
 * the calling thread about every 50 ms once the work has taken longer
 * than 'after_s' seconds ('current': an index being worked on), and once
 * more at the end with done == total and current == SIZE_MAX.
 */
struct parallel_progress {
    void (*fn)(void *ctx, size_t done, size_t total, size_t current);
    void *ctx;
    double after_s;
};

/*
 * parallel_for() with progress: the calling thread watches and reports
 * while a worker per core does the work ('pg' NULL: as parallel_for()).
 */
void parallel_for_progress(size_t nr, size_t per_thread,
                           void (*fn)(void *ctx, size_t i), void *ctx,
                           const struct parallel_progress *pg);

/*
 * parallel_for() for work that reports problems: what fn(ctx, i) prints
 * (errorf, input_error, ...) is held back and printed after all are done,
 * in the order of i, exactly as one thread doing them in turn would.
 */
void parallel_for_in_order(size_t nr, size_t per_thread,
                           void (*fn)(void *ctx, size_t i), void *ctx);

/*
 * fn(arg) on a thread of its own while the caller goes on, until
 * task_join(), which prints what it printed (held back till then) and
 * frees the task. Without a thread to be had, fn runs in task_start().
 */
struct task;
struct task *task_start(void (*fn)(void *arg), void *arg);
void task_join(struct task *t);

/*
 * An item's key for find_duplicates(): a string 's' (compared with
 * strcmp) and/or two numbers; 'set' false when the item has none.
 */
struct dup_key {
    const char *s;
    long long a, b;
    bool set;
};

/*
 * The one duplicate finder: sets first[i] to the index of the earliest
 * of the 'nr' items whose key equals item i's, or SIZE_MAX when none
 * does (or item i has no key). key(ctx, i, &k) fills item i's key. O(n
 * log n).
 */
void find_duplicates(size_t nr, void (*key)(const void *ctx, size_t i,
                                             struct dup_key *k),
                     const void *ctx, size_t *first);

/*
 * A 64-bit hash of 'len' bytes of 'data' (not cryptographic: for caches,
 * to tell a changed or damaged record from the one written), with
 * 'seed' mixed in.
 */
uint64_t pp_hash64(const void *data, size_t len, uint64_t seed);

/* Allocation that dies on out-of-memory: never returns NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/*
 * Returns a newly allocated "<a>/<b>" (a path in a folder) without the
 * cost of a format; the caller frees it.
 */
char *xpathjoin(const char *a, const char *b);

/* Returns a newly allocated formatted string; the caller frees it. */
char *xstrfmt(const char *fmt, ...) PP_PRINTF(1, 2);

/* Seconds on the monotonic clock: for durations, not dates. */
double monotonic_s(void);

/*
 * Grows 'items' so it holds at least 'nr' elements, doubling 'alloc'.
 * Usage: ALLOC_GROW(v->items, v->nr + 1, v->alloc);
 */
#define ALLOC_GROW(items, nr, alloc) do { \
        if ((nr) > (alloc)) { \
            (alloc) = (alloc) ? (alloc) * 2 : 8; \
            if ((alloc) < (nr)) \
                (alloc) = (nr); \
            (items) = xrealloc((items), (alloc) * sizeof(*(items))); \
        } \
    } while (0)

/* True when 's' starts (ends) with 'prefix' ('suffix'). */
bool starts_with(const char *s, const char *prefix);
bool ends_with(const char *s, const char *suffix);

/* qsort() order of an array of strings (char *): strcmp()'s. */
int cmp_strings(const void *a, const void *b);

/*
 * Checks that 's' (of 'len' bytes) is well-formed UTF-8 with no character
 * that XML 1.0 forbids (controls other than tab, newline and carriage
 * return; U+FFFE, U+FFFF; surrogates). Returns 0, or -1 with '*bad_off'
 * set to the offending byte offset and '*why' to a short reason.
 */
int utf8_check_xml(const char *s, size_t len, size_t *bad_off,
                   const char **why);

/*
 * Replaces, in the NUL-terminated UTF-8 string '*s' (reallocated when it
 * changes), every character XML 1.0 forbids and every invalid byte with
 * U+FFFD. Returns the number replaced.
 */
size_t xml_replace_illegal(char **s);

/*
 * Levenshtein distance between 'a' and 'b', used to suggest the nearest
 * known key or value.
 */
unsigned edit_distance(const char *a, const char *b);

/*
 * Returns the candidate nearest to 'word' from the NULL-terminated
 * 'candidates', or NULL when none is close enough to be a likely typo.
 */
const char *nearest_word(const char *word, const char *const *candidates);

/*
 * Returns 'base' (ending in '/') followed by the relative path 'rel' with
 * every byte outside RFC 3986's unreserved set and '/' percent-encoded, so
 * a file "Één vraag.mp3" gets a valid URL. The caller frees the result.
 */
char *url_for_path(const char *base, const char *rel);

/*
 * 's' with every byte outside RFC 3986's unreserved set percent-encoded
 * (a query value, a form field). The caller frees the result.
 */
char *url_escape(const char *s);

/*
 * Decodes the percent-escapes of 's' ("%C3%A9" -> "é"); '*len' is the
 * result's length (it may hold NUL bytes). The caller frees it.
 */
char *url_unescape(const char *s, size_t *len);

/* The value of the hex digit 'c' (either case), or -1. */
int hex_digit(int c);

/*
 * Writes the SHA-256 of the file 'path' as 64 lower-case hex digits and a
 * NUL to 'hex'. Returns 0 or PP_ERR_IO (printed).
 */
int file_sha256(const char *path, char hex[65]);

/*
 * Writes the SHA-256 of exactly 'size' bytes read from 'fd' (named 'path'
 * in messages) as hex to 'hex'. Returns 0 or PP_ERR_IO (printed; also
 * when the file ends before 'size').
 */
int fd_sha256(int fd, const char *path, uint64_t size, char hex[65]);

/*
 * Writes the Subresource Integrity form of the SHA-256 in 64 hex digits
 * 'hex' ("sha256-" and the digest in base64, 51 characters) and a NUL to
 * 'sri'. Returns 0, or -1 when 'hex' is not 64 hex digits.
 */
int sha256_sri(const char *hex, char sri[52]);

/* Writes the SHA-256 of 'len' bytes of 'data' as hex to 'hex'. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * The file-name slug of 'title': lower-case ASCII, accents folded
 * ("Één vraag" -> "een-vraag"), other characters as single dashes, at
 * most 'max' characters, never empty ("episode"). Caller frees.
 */
char *slugify(const char *title, size_t max);

/*
 * The one escape for text from outside (a remote key, a live feed's
 * title, a lock, a server's message) and for any value quoted in a
 * one-line message: at most 'max' bytes of 's' (never half a character,
 * "..." when cut), with line breaks and tabs as \n, \r, \t, other C0 and
 * C1 control characters, DEL and bytes that are not UTF-8 as \xNN, and
 * characters that reorder or hide text (bidi overrides and isolates,
 * U+2028/9, the BOM) as \uNNNN. The caller frees the result.
 */
char *printable(const char *s, size_t max);
/* printable() of 'len' bytes that may hold NULs. */
char *printable_n(const char *s, size_t len, size_t max);

/*
 * The bytes of the UTF-8 string 's' that fit in 'cols' terminal columns
 * (one per code point), never half a character.
 */
size_t utf8_fit(const char *s, size_t cols);

/* The characters (code points) of the UTF-8 text 's'. */
size_t utf8_chars(const char *s);

/* True for a plausible e-mail address: one @, a dot in the domain. */
bool email_valid(const char *e);

#endif
