/*
 * After a new feed is live: telling those who asked. A WebSub hub gets
 * "hub.mode=publish&hub.url=FEED" as a form POST; Podcast Index's
 * pubnotify a GET naming the feed; podping (publish.podping) a GET
 * naming the feed with the token from the environment as Authorization.
 * A failure is a warning: the feed is live either way, and apps poll.
 */
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "podpub/net.h"

#define NOTIFY_TIMEOUT_S 20L

/*
 * podping: GET URL?url=FEED with "Authorization: TOKEN", the token taken
 * from the environment variable publish.podping.token_env names. Returns
 * true when the server took it.
 */
static bool send_podping(const struct show *show, const char *feed)
{
    const char *name = show->podping_env.s;
    const char *token = getenv(name);
    const char *base = show->podping_url.s ? show->podping_url.s
                                           : PODPING_URL;
    struct strbuf err = STRBUF_INIT, body = STRBUF_INIT;
    long status = 0;
    char *url;
    int ret;

    if (!token || !*token) {
        warnf("podping not sent: $%s (publish.podping.token_env) is not set",
              name);
        return false;
    }
    url = xstrfmt("%s%curl=%s", base, strchr(base, '?') ? '&' : '?', feed);
    ret = http_get_auth(url, token, NOTIFY_TIMEOUT_S, 1u << 20, &body,
                        &status, &err);
    if (ret < 0 || status >= 300)
        warnf("podping to %s failed: %s", base, ret < 0 ? err.buf :
              "the server answered with an error");
    free(url);
    strbuf_release(&err);
    strbuf_release(&body);
    return ret == 0 && status < 300;
}

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
    if (show->podping_env.s && send_podping(show, feed) && rep &&
        rep->notified)
        rep->notified(rep->ctx, show->podping_url.s ? show->podping_url.s
                                                    : PODPING_URL);
    free(feed);
}
