/*
 * HTTP answer headers as libcurl hands them over, one line at a time
 * (internal to src/net): the one place that trims a value and reads a
 * Content-Range or Content-Length, for the downloads (download.c) and the
 * ranged reads (range.c). Every value comes from a server and is hostile
 * until these functions have read it.
 */
#ifndef PODPUB_NET_HEADER_H
#define PODPUB_NET_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether the header line 'line' of 'len' bytes is the header 'name'
 * (case-insensitive); then '*value' and '*vlen' are its raw value.
 */
bool http_header_is(const char *line, size_t len, const char *name,
                    const char **value, size_t *vlen);

/*
 * Copies the value 'v' of 'len' bytes into 'dst' of 'size' bytes, without
 * the blanks around it and the line end: "" when it does not fit or holds
 * a NUL.
 */
void http_header_copy(char *dst, size_t size, const char *v, size_t len);

/*
 * A decimal of 1 to 18 digits at '*p' into '*v', advancing '*p' past it;
 * false when there is none or it is longer.
 */
bool http_parse_u63(const char **p, uint64_t *v);

/*
 * A Content-Length value: its number, or -1 unless it is 1 to 18 digits
 * and nothing else.
 */
int64_t http_content_length(const char *s);

/*
 * A Content-Range value, "bytes FIRST-LAST/TOTAL" with FIRST <= LAST <
 * TOTAL. A star for FIRST-LAST (a 416's answer) gives '*first' and '*last'
 * UINT64_MAX; a star for TOTAL gives '*total' -1. Returns false for
 * anything else.
 */
bool http_content_range(const char *s, uint64_t *first, uint64_t *last,
                        int64_t *total);

#endif
