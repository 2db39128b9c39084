/*
 * The JSON writer: separators and quoting in one place. Misuse (a value
 * in an object without a key, closing what is not open, nesting deeper
 * than JSON_MAX_DEPTH) is a programming error and dies.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "podpub/json.h"

void json_init(struct json *j, struct strbuf *out)
{
    memset(j, 0, sizeof(*j));
    j->out = out;
}

static void quote(struct strbuf *sb, const char *s, size_t len)
{
    const char *end = s + len;

    strbuf_addch(sb, '"');
    while (s < end) {
        /* Copy a run of bytes that need no escape in one go. */
        const char *run = s;

        while (s < end && (unsigned char)*s >= 0x20 && *s != '"' &&
               *s != '\\')
            s++;
        if (s > run)
            strbuf_add(sb, run, (size_t)(s - run));
        if (s == end)
            break;
        switch (*s) {
        case '"':  strbuf_addstr(sb, "\\\""); break;
        case '\\': strbuf_addstr(sb, "\\\\"); break;
        case '\n': strbuf_addstr(sb, "\\n"); break;
        case '\t': strbuf_addstr(sb, "\\t"); break;
        default:   strbuf_addf(sb, "\\u%04x", (unsigned char)*s); break;
        }
        s++;
    }
    strbuf_addch(sb, '"');
}

/* Writes what comes before the next element of the open container. */
static void separate(struct json *j)
{
    const struct json_layout *l = &j->open[j->depth - 1].layout;

    strbuf_addstr(j->out, j->open[j->depth - 1].nr++ ? l->sep : l->first);
}

/* Writes what comes before a value: a separator, unless it is the first. */
static void before_value(struct json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->depth)
        return;
    if (j->open[j->depth - 1].close == '}')
        die("json: a value in an object needs a key");
    separate(j);
}

static void open_container(struct json *j, char open, char close,
                           const struct json_layout *layout)
{
    before_value(j);
    if (j->depth == JSON_MAX_DEPTH)
        die("json: nested deeper than %d", JSON_MAX_DEPTH);
    j->open[j->depth].close = close;
    j->open[j->depth].layout = *layout;
    j->open[j->depth].nr = 0;
    j->depth++;
    strbuf_addch(j->out, open);
}

static const struct json_layout one_line = { "", ", ", "", NULL };

void json_object(struct json *j)
{
    open_container(j, '{', '}', &one_line);
}

void json_array(struct json *j)
{
    open_container(j, '[', ']', &one_line);
}

void json_object_laid(struct json *j, const struct json_layout *layout)
{
    open_container(j, '{', '}', layout);
}

void json_array_laid(struct json *j, const struct json_layout *layout)
{
    open_container(j, '[', ']', layout);
}

void json_array_lines(struct json *j, int indent)
{
    static const struct json_layout lines[] = {
        { "", ",\n", "", NULL }, { "", ",\n ", "", NULL },
        { "", ",\n  ", "", NULL }, { "", ",\n   ", "", NULL },
        { "", ",\n    ", "", NULL },
    };

    if (indent < 0 || (size_t)indent >= ARRAY_SIZE(lines))
        die("json: indent %d is not supported", indent);
    open_container(j, '[', ']', &lines[indent]);
}

void json_end(struct json *j)
{
    if (!j->depth || j->after_key)
        die("json: nothing to close");
    j->depth--;
    if (j->open[j->depth].nr)
        strbuf_addstr(j->out, j->open[j->depth].layout.last);
    else if (j->open[j->depth].layout.empty)
        strbuf_addstr(j->out, j->open[j->depth].layout.empty);
    strbuf_addch(j->out, j->open[j->depth].close);
}

void json_key(struct json *j, const char *key)
{
    if (!j->depth || j->open[j->depth - 1].close != '}' || j->after_key)
        die("json: a key outside an object");
    separate(j);
    quote(j->out, key, strlen(key));
    strbuf_addstr(j->out, ": ");
    j->after_key = true;
}

void json_quote(struct strbuf *sb, const char *s)
{
    quote(sb, s, strlen(s));
}

void json_str(struct json *j, const char *s)
{
    if (!s) {
        json_null(j);
        return;
    }
    json_strn(j, s, strlen(s));
}

void json_strn(struct json *j, const char *s, size_t len)
{
    before_value(j);
    quote(j->out, s, len);
}

void json_int(struct json *j, int64_t v)
{
    before_value(j);
    strbuf_addf(j->out, "%" PRId64, v);
}

void json_uint(struct json *j, uint64_t v)
{
    before_value(j);
    strbuf_addf(j->out, "%" PRIu64, v);
}

void json_fixed(struct json *j, double v, int decimals)
{
    before_value(j);
    if (!isfinite(v))
        strbuf_addstr(j->out, "null");   /* JSON has no NaN or infinity */
    else
        strbuf_addf(j->out, "%.*f", decimals, v);
}

void json_decimal(struct json *j, int64_t v, int decimals, bool trim)
{
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v, scale = 1;
    char frac[24];
    int n = decimals;

    if (decimals < 0 || decimals > 9)
        die("json: %d decimals are not supported", decimals);
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    before_value(j);
    strbuf_addf(j->out, "%s%" PRIu64, v < 0 ? "-" : "", mag / scale);
    if (!decimals)
        return;
    snprintf(frac, sizeof(frac), "%0*" PRIu64, decimals, mag % scale);
    while (trim && n > 0 && frac[n - 1] == '0')
        frac[--n] = '\0';
    if (n)
        strbuf_addf(j->out, ".%s", frac);
}

void json_bool(struct json *j, bool v)
{
    before_value(j);
    strbuf_addstr(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
    before_value(j);
    strbuf_addstr(j->out, "null");
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str(j, s);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
    json_key(j, key);
    json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
    json_key(j, key);
    json_uint(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}
