/*
 * file: URLs, for commands that take a URL or a path: RFC 8089's
 * "file:///abs/path" (and "file://localhost/abs/path"), percent-decoded.
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/net.h"

int file_url_path(const char *url, char **path, struct strbuf *err)
{
    struct strbuf sb = STRBUF_INIT;
    const char *p;

    *path = NULL;
    if (!starts_with(url, "file://")) {
        strbuf_addstr(err, "not a file:// URL");
        return PP_ERR_INPUT;
    }
    p = url + strlen("file://");
    if (starts_with(p, "localhost/"))
        p += strlen("localhost");
    if (*p != '/') {
        strbuf_addstr(err, "want file:///path (a local file, no host)");
        return PP_ERR_INPUT;
    }
    for (; *p && *p != '?' && *p != '#'; p++) {
        int hi, lo;

        if (*p != '%') {
            strbuf_addch(&sb, *p);
            continue;
        }
        if ((hi = hex_digit(p[1])) < 0 || (lo = hex_digit(p[2])) < 0 ||
            (hi == 0 && lo == 0)) {
            strbuf_addstr(err, "a '%' that is not a %XX escape of a byte "
                          "other than 0");
            strbuf_release(&sb);
            return PP_ERR_INPUT;
        }
        strbuf_addch(&sb, hi << 4 | lo);
        p += 2;
    }
    *path = strbuf_detach(&sb, NULL);
    return 0;
}
