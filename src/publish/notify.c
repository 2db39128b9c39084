/*
 * After a new feed is live: telling those who asked. A WebSub hub gets
 * "hub.mode=publish&hub.url=FEED" as a form POST; Podcast Index's
 * pubnotify a GET naming the feed. A failure is a warning: the feed is
 * live either way, and apps poll.
 */
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "podpub/net.h"

#define NOTIFY_TIMEOUT_S 20L

void notify_all(const struct show *show, const struct publish_report *rep)
{
    char *feed = url_escape(show->feed_url.s);

    for (size_t i = 0; i < show->notify_nr; i++) {
        const char *hub = show->notify[i].s;
        struct strbuf err = STRBUF_INIT, body = STRBUF_INIT;
        long status = 0;
        int ret;

        if (!notify_is_hub(hub)) {
            char *url = xstrfmt("%s%curl=%s", hub, strchr(hub, '?') ? '&' : '?',
                                feed);

            ret = http_get(url, NOTIFY_TIMEOUT_S, 1u << 20, &body, &status,
                           &err);
            free(url);
        } else {
            char *form = xstrfmt("hub.mode=publish&hub.url=%s", feed);

            ret = http_post_form(hub, form, NOTIFY_TIMEOUT_S, &status, &err);
            free(form);
        }
        if (ret < 0 || status >= 300)
            warnf("notifying %s failed: %s", hub, ret < 0 ? err.buf :
                  "the hub answered with an error");
        else if (rep && rep->notified)
            rep->notified(rep->ctx, hub);
        strbuf_release(&err);
        strbuf_release(&body);
    }
    free(feed);
}
