/*
 * The one table between podpub and its net module (podpub-net.so): the
 * code that needs libcurl (src/net/http.c, download.c and range.c, and
 * src/publish but for the manifest), which the program loads on first use
 * (net_load.c) so that commands that touch no network start without
 * libcurl and its TLS, SSH, LDAP and HTTP/2 libraries. Each member is the
 * function of net.h, range.h or publish.h of the same name; the module's
 * init is net_init().
 */
#ifndef PODPUB_NET_MODULE_H
#define PODPUB_NET_MODULE_H

#include "podpub/module.h"
#include "podpub/net.h"
#include "podpub/publish.h"
#include "podpub/range.h"

#define PP_NET_MODULE_FILE "podpub-net.so"
#define PP_NET_MODULE_SYMBOL "podpub_net_module"

struct net_module {
    struct module_head head;
    void (*net_cleanup)(void);
    int (*http_get)(const char *url, long timeout_s, size_t limit,
                    struct strbuf *body, long *status, struct strbuf *err);
    void (*http_probe_all)(struct http_probe *probes, size_t nr,
                           int parallel, long timeout_s);
    int (*publish_show)(const struct publish_opts *o, struct show *show,
                        struct build_result *res,
                        struct publish_result *result);
    void (*publish_result_release)(struct publish_result *result);
    void (*http_download_all)(struct http_download *d, size_t nr,
                              int parallel, long timeout_s,
                              void (*started)(struct http_download *d),
                              void (*progress)(void *ctx,
                                  const struct http_download_progress *p),
                              void *progress_ctx);
    int (*http_range_open)(const char *url, long timeout_s,
                           struct http_range **out, struct strbuf *err);
    int64_t (*http_range_read)(struct http_range *r, uint64_t off, void *buf,
                               size_t len);
    const char *(*http_range_error)(const struct http_range *r, int *code);
    void (*http_range_stats)(const struct http_range *r,
                             struct http_range_stats *s);
    void (*http_range_close)(struct http_range *r);
};

#endif
