/*
 * JSON log lines read with jansson: a whole line is parsed (linear time,
 * nesting depth bounded by jansson, invalid UTF-8 refused, object keys
 * hashed with a random seed so hostile keys cannot make lookups slow),
 * then the few fields a format needs are looked up by path. The only
 * file of podpub including jansson.h.
 */
#include <string.h>

#include <jansson.h>

#include "internal.h"

struct stats_json *stats_json_parse(struct stats_json_line *state,
                                    const char *line, size_t len)
{
    json_error_t err;
    json_t *j;

    stats_json_release(state);
    j = json_loadb(line, len, 0, &err);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    state->j = (struct stats_json *)j;
    return state->j;
}

void stats_json_release(void *state)
{
    struct stats_json_line *s = state;

    json_decref((json_t *)s->j);
    s->j = NULL;
}

/* The value at the "."-separated 'path'; a list stands for its first item. */
static json_t *lookup(const struct stats_json *j, const char *path)
{
    json_t *v = (json_t *)j;
    char key[64];

    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);

        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(v))
            v = json_array_get(v, 0);
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        path += n + (dot != NULL);
    }
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return v;
}

const char *stats_json_str(const struct stats_json *j, const char *path,
                           size_t *len)
{
    json_t *v = lookup(j, path);

    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

bool stats_json_num(const struct stats_json *j, const char *path, double *v)
{
    json_t *n = lookup(j, path);

    if (!json_is_number(n))
        return false;
    *v = json_number_value(n);
    return true;
}

bool stats_json_has(const struct stats_json *j, const char *path)
{
    return lookup(j, path) != NULL;
}
