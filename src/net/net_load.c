/*
 * The program's side of the net module (net_module.h): the functions of
 * net.h and publish.h that need libcurl, each loading podpub-net.so on
 * first use (which initialises libcurl) and calling its table. Linked into
 * the podpub program only; the tests and fuzz targets link the module's
 * code itself instead.
 */
#include <stdio.h>

#include "net_module.h"
#include "podpub/util.h"
#include "podpub/version.h"

static struct module_slot slot =
    MODULE_SLOT_INIT(PP_NET_MODULE_FILE, PP_NET_MODULE_SYMBOL,
                     struct net_module);

/* The module's table, loaded now if need be; NULL if it cannot be. */
static const struct net_module *net(void)
{
    return module_get(&slot);
}

/* Nothing until a request is made: loading the module initialises. */
void net_init(void)
{
}

void net_cleanup(void)
{
    const struct net_module *m = module_loaded(&slot);

    if (m)
        m->net_cleanup();
}

int http_get(const char *url, long timeout_s, size_t limit,
             struct strbuf *body, long *status, struct strbuf *err)
{
    const struct net_module *m = net();

    if (!m) {
        strbuf_addf(err, "%s: %s", url, slot.error.buf);
        return PP_ERR_IO;
    }
    return m->http_get(url, timeout_s, limit, body, status, err);
}

void http_probe_all(struct http_probe *probes, size_t nr, int parallel,
                    long timeout_s)
{
    const struct net_module *m = net();

    if (!m) {
        for (size_t i = 0; i < nr; i++) {
            probes[i].failed = true;
            snprintf(probes[i].error, sizeof(probes[i].error), "%s",
                     slot.error.buf);
        }
        return;
    }
    m->http_probe_all(probes, nr, parallel, timeout_s);
}

int publish_show(const struct publish_opts *o, struct show *show,
                 struct build_result *res, struct publish_result *result)
{
    const struct net_module *m = net();

    if (!m)
        return errorf(PP_ERR_IO, "%s", slot.error.buf);
    return m->publish_show(o, show, res, result);
}

/* A result the module never filled holds nothing. */
void publish_result_release(struct publish_result *result)
{
    const struct net_module *m = module_loaded(&slot);

    if (m)
        m->publish_result_release(result);
}

void http_download_all(struct http_download *d, size_t nr, int parallel,
                       long timeout_s,
                       void (*started)(struct http_download *d),
                       void (*progress)(void *ctx,
                                        const struct http_download_progress *p),
                       void *progress_ctx)
{
    const struct net_module *m = net();

    if (!m) {
        for (size_t i = 0; i < nr; i++) {
            d[i].ret = PP_ERR_IO;
            snprintf(d[i].error, sizeof(d[i].error), "%s: %s", d[i].url,
                     slot.error.buf);
        }
        return;
    }
    m->http_download_all(d, nr, parallel, timeout_s, started, progress,
                         progress_ctx);
}

int http_range_open(const char *url, long timeout_s, struct http_range **out,
                    struct strbuf *err)
{
    const struct net_module *m = net();

    *out = NULL;
    if (!m) {
        strbuf_addf(err, "%s: %s", url, slot.error.buf);
        return PP_ERR_IO;
    }
    return m->http_range_open(url, timeout_s, out, err);
}

/* A range that is open came from the module, which is loaded then. */
int64_t http_range_read(struct http_range *r, uint64_t off, void *buf,
                        size_t len)
{
    return ((const struct net_module *)module_loaded(&slot))
        ->http_range_read(r, off, buf, len);
}

const char *http_range_error(const struct http_range *r, int *code)
{
    return ((const struct net_module *)module_loaded(&slot))
        ->http_range_error(r, code);
}

void http_range_stats(const struct http_range *r, struct http_range_stats *s)
{
    ((const struct net_module *)module_loaded(&slot))->http_range_stats(r, s);
}

void http_range_close(struct http_range *r)
{
    const struct net_module *m = module_loaded(&slot);

    if (r && m)
        m->http_range_close(r);
}

void curl_lib_version(char *out, size_t size, const char *compiled,
                      bool load_now)
{
    module_lib_version(&slot, compiled, load_now, out, size);
}
