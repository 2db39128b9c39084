/*
 * A small JSON writer into a strbuf: the one place podpub writes JSON
 * syntax (commas, colons, quoting), so that commands only open objects
 * and arrays and name values. The layout is Python's json.dumps default
 * (", " between elements, ": " after keys) on one line, except arrays
 * opened with json_array_lines(), which put each element after the first
 * on a line of its own, and containers opened with a struct json_layout
 * of their own (files whose format is fixed: chapters, the manifest).
 *
 *     struct json j;
 *     json_init(&j, &sb);
 *     json_object(&j);
 *     json_key(&j, "file");  json_str(&j, "episodes/001-a.md");
 *     json_key(&j, "line");  json_int(&j, 4);
 *     json_end(&j);                      // {"file": "episodes/001-a.md", "line": 4}
 */
#ifndef PODPUB_JSON_H
#define PODPUB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/strbuf.h"

#define JSON_MAX_DEPTH 32

/*
 * How a container's elements are laid out: 'first' before the first,
 * 'sep' between two, 'last' after the last (only when there is one),
 * 'empty' between the brackets when there is none (NULL: nothing);
 * strings that outlive the container. A layout that closes on a line
 * of its own, empty or not:
 *
 *     { "\n  ", ",\n  ", "\n", "\n" }     {\n  "a": 1,\n  "b": 2\n}  {\n}
 */
struct json_layout {
    const char *first, *sep, *last, *empty;
};

struct json {
    struct strbuf *out;         /* borrowed */
    int depth;
    struct {
        char close;             /* '}' or ']' */
        struct json_layout layout;
        size_t nr;              /* elements (or keys) so far */
    } open[JSON_MAX_DEPTH];
    bool after_key;             /* a key was written; its value is next */
};

/* Starts writing into 'out' (appending); allocates nothing. */
void json_init(struct json *j, struct strbuf *out);

/* Opens an object or an array as the next value. */
void json_object(struct json *j);
void json_array(struct json *j);
/*
 * Opens an array whose elements after the first each start a new line,
 * indented by 'indent' spaces (0 to 4): ",\n <element>" for 1.
 */
void json_array_lines(struct json *j, int indent);
/* Opens an object or array laid out as 'layout' says. */
void json_object_laid(struct json *j, const struct json_layout *layout);
void json_array_laid(struct json *j, const struct json_layout *layout);
/* Closes the innermost open object or array. */
void json_end(struct json *j);

/* Names the next value of the open object. */
void json_key(struct json *j, const char *key);

/* Values; json_str(j, NULL) writes null. */
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t len);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
/* A number with 'decimals' digits after the point (3 -> 12.345). */
void json_fixed(struct json *j, double v, int decimals);
/*
 * The number 'v' / 10^'decimals' (0 to 9), written from the integer, so
 * exactly: (12345, 3) is 12.345. With 'trim' the zeros at the end of the
 * fraction go, and the point with them: 12500 is 12.5, 754000 is 754.
 */
void json_decimal(struct json *j, int64_t v, int decimals, bool trim);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Key and value in one call, for the common case. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/*
 * Appends 's' to 'sb' as a JSON string, quotes included: '"' and '\'
 * escaped, control characters as \n, \t or \u00XX, everything else
 * (UTF-8) as it is. json_str() and json_strn() write the same.
 */
void json_quote(struct strbuf *sb, const char *s);

#endif
