/*
 * Error reporting, allocation and small string helpers. Everything podpub
 * prints about a problem goes through errorf(), warnf() or input_error(),
 * so the formats stay uniform: "podpub: ..." for operational failures and
 * "file:line:col: field: ..." for problems in the user's input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "podpub/strbuf.h"
#include "podpub/util.h"

int pp_verbosity;
atomic_uint input_error_count;

/* The buffer this thread's messages go to instead of stderr, if any. */
static _Thread_local struct strbuf *capture;
/* Where every thread's errors go instead, if anywhere. */
static const struct report_sink *sink;

const struct report_sink *report_sink_set(const struct report_sink *s)
{
    const struct report_sink *old = sink;

    sink = s;
    return old;
}

/* Hands an error to the sink; false when there is none. */
static bool to_sink(int code, const struct srcpos *pos, const char *field,
                    const char *fmt, va_list ap)
{
    struct strbuf text = STRBUF_INIT;
    struct report_msg m = { code, pos, field, NULL };

    if (!sink)
        return false;
    strbuf_vaddf(&text, fmt, ap);
    m.text = text.buf;
    sink->fn(sink->ctx, &m);
    strbuf_release(&text);
    return true;
}

struct strbuf *report_capture(struct strbuf *sb)
{
    struct strbuf *old = capture;

    capture = sb;
    return old;
}

void report_replay(const struct strbuf *sb)
{
    if (!sb->len)
        return;
    if (capture) {
        strbuf_add(capture, sb->buf, sb->len);
        return;
    }
    fflush(stdout);
    fwrite(sb->buf, 1, sb->len, stderr);
}

static size_t escape_into(struct strbuf *sb, const char *s, size_t len,
                          size_t max, bool keep_newlines);

/*
 * Every message is formatted whole and written with one call, so that
 * lines from two processes (or threads) do not mix mid-line.
 */
static void emit(struct strbuf *msg)
{
    struct strbuf safe = STRBUF_INIT;

    /*
     * A message may quote text from anywhere: whatever a caller did, no
     * control character, escape sequence or bidi override reaches the
     * terminal or a CI log (line breaks between lines stay).
     */
    escape_into(&safe, msg->buf, msg->len, msg->len, true);
    if (capture)
        strbuf_add(capture, safe.buf, safe.len);
    else
        report_replay(&safe);
    strbuf_release(&safe);
    strbuf_release(msg);
}

void vreport(const char *kind, const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;

    strbuf_addf(&msg, "podpub: %s", kind);
    strbuf_vaddf(&msg, fmt, ap);
    strbuf_addch(&msg, '\n');
    emit(&msg);
}

int errorf(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (!to_sink(code, NULL, NULL, fmt, ap)) {
        va_end(ap);
        va_start(ap, fmt);
        vreport("", fmt, ap);
    }
    va_end(ap);
    return code;
}

void warnf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

/* "file:line:col: " (or "podpub: " for no file), then kind and field. */
static void vinput_report(const struct srcpos *pos, const char *kind,
                          const char *field, const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;

    if (pos && pos->file) {
        strbuf_addstr(&msg, pos->file);
        if (pos->line > 0)
            strbuf_addf(&msg, ":%d", pos->line);
        if (pos->line > 0 && pos->col > 0)
            strbuf_addf(&msg, ":%d", pos->col);
        strbuf_addstr(&msg, ": ");
    } else {
        strbuf_addstr(&msg, "podpub: ");
    }
    strbuf_addstr(&msg, kind);
    if (field)
        strbuf_addf(&msg, "%s: ", field);
    strbuf_vaddf(&msg, fmt, ap);
    strbuf_addch(&msg, '\n');
    emit(&msg);
}

int input_error(const struct srcpos *pos, const char *field,
                const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (!to_sink(PP_ERR_INPUT, pos, field, fmt, ap)) {
        va_end(ap);
        va_start(ap, fmt);
        vinput_report(pos, "", field, fmt, ap);
    }
    va_end(ap);
    input_error_count++;
    return PP_ERR_INPUT;
}

void input_warning(const struct srcpos *pos, const char *field,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vinput_report(pos, "warning: ", field, fmt, ap);
    va_end(ap);
}

/*
 * Not through vreport(): that allocates, and die() is how allocation
 * failures end. Never captured either: the process ends here.
 */
void die(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs("podpub: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        die("out of memory (%zu x %zu bytes)", nmemb, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die("out of memory (%zu bytes)", n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xpathjoin(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = xmalloc(na + nb + 2);

    memcpy(s, a, na + 1);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

char *xstrfmt(const char *fmt, ...)
{
    va_list ap, aq;
    int n;
    char *p;

    va_start(ap, fmt);
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("bad format string '%s'", fmt);
    p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return p;
}

bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int cmp_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int utf8_check_xml(const char *s, size_t len, size_t *bad_off,
                   const char **why)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t c;
        size_t n, k;

        /*
         * Eight bytes at a time while they are printable ASCII (no high
         * bit, none below 0x20): most of any text, and all of most.
         */
        while (len - i >= 8) {
            uint64_t w;

            memcpy(&w, p + i, 8);
            if ((w | ((w - 0x2020202020202020u) & ~w)) &
                0x8080808080808080u)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                *bad_off = i;
                *why = c ? "control character" : "NUL byte";
                return -1;
            }
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            c &= 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            c &= 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            c &= 0x07;
        } else {
            goto invalid;
        }
        if (len - i <= n)
            goto invalid;
        for (k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                goto invalid;
            c = (c << 6) | (p[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF. */
        if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
            c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            goto invalid;
        if (c == 0xfffe || c == 0xffff || (c >= 0x80 && c <= 0x9f)) {
            *bad_off = i;
            *why = "control character";
            return -1;
        }
        i += n + 1;
        continue;
invalid:
        *bad_off = i;
        *why = "invalid UTF-8";
        return -1;
    }
    return 0;
}

unsigned edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    unsigned *row = xmalloc((m + 1) * sizeof(*row));
    unsigned result;

    for (size_t j = 0; j <= m; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned diag = row[0];

        row[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    result = row[m];
    free(row);
    return result;
}

size_t utf8_fit(const char *s, size_t cols)
{
    size_t i = 0, n = 0;

    while (s[i] && n < cols) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        n++;
    }
    return i;
}

const char *nearest_word(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    unsigned best_d = ~0u;
    size_t len = strlen(word);
    /* A typo changes at most about a third of a word. */
    unsigned limit = len < 4 ? 1 : (unsigned)(len / 3 + 1);

    for (; *candidates; candidates++) {
        unsigned d = edit_distance(word, *candidates);

        if (d < best_d) {
            best_d = d;
            best = *candidates;
        }
    }
    return best_d <= limit ? best : NULL;
}

int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 'base' and 'rel' percent-encoded, keeping 'keep' as they are. */
static char *encode(const char *base, const char *rel, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t blen = strlen(base), rlen = strlen(rel);
    char *out = xmalloc(blen + 3 * rlen + 1), *p = out + blen;

    /* The result is NUL-terminated after the loop, not by this copy. */
    memcpy(out, base, blen);   /* NOLINT(bugprone-not-null-terminated-result) */
    for (; *rel; rel++) {
        unsigned char c = (unsigned char)*rel;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || (c && strchr(keep, c))) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    *p = '\0';
    return out;
}

char *url_for_path(const char *base, const char *rel)
{
    return encode(base, rel, "-._~/");
}

char *url_escape(const char *s)
{
    return encode("", s, "-._~");
}

char *url_unescape(const char *s, size_t *len)
{
    char *out = xmalloc(strlen(s) + 1), *p = out;

    for (; *s; s++) {
        int hi, lo;

        if (*s == '%' && (hi = hex_digit(s[1])) >= 0 &&
            (lo = hex_digit(s[2])) >= 0) {
            *p++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *p++ = *s;
        }
    }
    *p = '\0';
    *len = (size_t)(p - out);
    return out;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

bool email_valid(const char *e)
{
    const char *at = strchr(e, '@');
    size_t n = strlen(e);

    return at && at != e && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
           at[1] != '.' && n && e[n - 1] != '.' && !strpbrk(e, " \t<>,;\"");
}

/*
 * The code point of the UTF-8 sequence at 'p' (at most 'len' bytes) in
 * '*cp'; returns its length, or 0 for an invalid, overlong, surrogate or
 * cut-off sequence.
 */
static size_t utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    uint32_t c = p[0];
    size_t n;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len <= n)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[k] & 0x3f);
    }
    if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n + 1;
}

/*
 * Characters a terminal or a log viewer would act on rather than show:
 * C1 controls, line and paragraph separators, and the bidirectional
 * overrides and isolates that reorder what follows them ("Trojan
 * Source"), plus the byte order mark.
 */
static bool invisible_control(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200e || c == 0x200f || c == 0x061c || c == 0xfeff;
}

/*
 * Appends at most 'max' bytes of 's' ('len' bytes) to 'sb', escaped as
 * printable() says; line breaks stay when 'keep_newlines'. Returns the
 * number of bytes of 's' taken.
 */
static size_t escape_into(struct strbuf *sb, const char *s, size_t len,
                          size_t max, bool keep_newlines)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len && i < max) {
        uint32_t c;
        size_t n = utf8_decode(p + i, len - i, &c);

        if (n && i + n > max)
            break;   /* never cut a character in two */
        if (!n) {
            strbuf_addf(sb, "\\x%02x", p[i]);
            i++;
            continue;
        }
        if (c == '\n')
            strbuf_addstr(sb, keep_newlines ? "\n" : "\\n");
        else if (c == '\t')
            strbuf_addstr(sb, "\\t");
        else if (c == '\r')
            strbuf_addstr(sb, "\\r");
        else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            strbuf_addf(sb, "\\x%02x", (unsigned)c);
        else if (invisible_control(c))
            strbuf_addf(sb, "\\u%04x", (unsigned)c);
        else
            strbuf_add(sb, p + i, n);
        i += n;
    }
    return i;
}

char *printable_n(const char *s, size_t len, size_t max)
{
    struct strbuf sb = STRBUF_INIT;

    if (escape_into(&sb, s, len, max, false) < len)
        strbuf_addstr(&sb, "...");
    return strbuf_detach(&sb, NULL);
}

char *printable(const char *s, size_t max)
{
    return printable_n(s, strlen(s), max);
}

size_t xml_replace_illegal(char **s)
{
    size_t len = strlen(*s), start = 0, off, replaced = 0;
    const char *why;
    char *out = NULL, *p;

    if (utf8_check_xml(*s, len, &off, &why) == 0)
        return 0;
    /* Each bad byte becomes 3 bytes at most: room for the worst case. */
    out = xmalloc(3 * len + 1);
    p = out;
    while (start < len) {
        if (utf8_check_xml(*s + start, len - start, &off, &why) == 0) {
            memcpy(p, *s + start, len - start);
            p += len - start;
            break;
        }
        memcpy(p, *s + start, off);
        p += off;
        memcpy(p, "\xef\xbf\xbd", 3);
        p += 3;
        replaced++;
        /* Skip the whole offending character, or one invalid byte. */
        start += off + 1;
        if (strcmp(why, "invalid UTF-8"))
            while (start < len && ((unsigned char)(*s)[start] & 0xc0) == 0x80)
                start++;
    }
    *p = '\0';
    free(*s);
    *s = out;
    return replaced;
}

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* A final mix that spreads every input bit over the result (MurmurHash3). */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/*
 * Eight bytes a step, each multiplied in (as xxHash's rounds do): a few
 * gigabytes a second, so that checking a 30 MB cache costs milliseconds.
 */
uint64_t pp_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15u);
    uint64_t w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h ^= rotl64(w * 0x87c37b91114253d5u, 31) * 0x4cf5ad432745937fu;
        h = rotl64(h, 27) * 5 + 0x52dce729;
    }
    w = 0;
    memcpy(&w, p, len);
    h ^= rotl64(w * 0x87c37b91114253d5u, 31) * 0x4cf5ad432745937fu;
    return mix64(h);
}

double monotonic_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
