/*
 * HTTP answer headers: trimming, Content-Length and Content-Range (see
 * header.h).
 */
#include <string.h>
#include <strings.h>

#include "header.h"

bool http_header_is(const char *line, size_t len, const char *name,
                    const char **value, size_t *vlen)
{
    size_t k = strlen(name);

    if (len <= k || line[k] != ':' || strncasecmp(line, name, k))
        return false;
    *value = line + k + 1;
    *vlen = len - k - 1;
    return true;
}

void http_header_copy(char *dst, size_t size, const char *v, size_t len)
{
    while (len && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
                   v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len >= size || memchr(v, '\0', len))
        len = 0;
    memcpy(dst, v, len);
    dst[len] = '\0';
}

bool http_parse_u63(const char **p, uint64_t *v)
{
    const char *s = *p;
    size_t n = 0;

    *v = 0;
    while (*s >= '0' && *s <= '9' && n < 19) {
        *v = *v * 10 + (uint64_t)(*s++ - '0');
        n++;
    }
    if (!n || n > 18)
        return false;
    *p = s;
    return true;
}

int64_t http_content_length(const char *s)
{
    uint64_t v;

    return http_parse_u63(&s, &v) && !*s ? (int64_t)v : -1;
}

bool http_content_range(const char *s, uint64_t *first, uint64_t *last,
                        int64_t *total)
{
    uint64_t t;

    *first = *last = UINT64_MAX;
    *total = -1;
    if (strncasecmp(s, "bytes ", 6))
        return false;
    s += 6;
    if (*s == '*') {
        s++;
    } else if (!http_parse_u63(&s, first) || *s++ != '-' ||
               !http_parse_u63(&s, last) || *last < *first) {
        return false;
    }
    if (*s++ != '/')
        return false;
    if (*s == '*' && !s[1])
        return *first != UINT64_MAX;
    if (!http_parse_u63(&s, &t) || *s || (*last != UINT64_MAX && *last >= t))
        return false;
    *total = (int64_t)t;
    return true;
}
