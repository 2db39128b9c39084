/*
 * `podpub check --feed URL|FILE`: the rules applied to a feed podpub did
 * not build, read from a file or fetched over HTTP(S).
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/check.h"
#include "podpub/feedread.h"
#include "podpub/net.h"
#include "podpub/strbuf.h"

#define FEED_MAX_BYTES (64u << 20)

int check_feed(const char *source, struct show *show,
               struct check_report *r, int64_t now, long timeout_s)
{
    struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
    struct episode **eps;
    int ret;

    if (starts_with(source, "http://") || starts_with(source, "https://")) {
        long status = 0;

        if ((ret = http_get(source, timeout_s, FEED_MAX_BYTES, &body,
                            &status, &err)) < 0) {
            errorf(ret, "%s", err.buf);
            goto out;
        }
        if (status != 200) {
            ret = errorf(PP_ERR_REMOTE, "%s: HTTP status %ld", source,
                         status);
            goto out;
        }
    } else if ((ret = strbuf_read_file(&body, source, FEED_MAX_BYTES)) < 0) {
        goto out;
    }
    if ((ret = feed_parse(source, body.buf, body.len, show)) < 0)
        goto out;
    eps = xcalloc(show->nr + 1, sizeof(*eps));
    for (size_t i = 0; i < show->nr; i++)
        eps[i] = &show->episodes[i];
    check_show(r, show, eps, show->nr, now, body.len, show->nr);
    free(eps);
out:
    strbuf_release(&body);
    strbuf_release(&err);
    return ret;
}
