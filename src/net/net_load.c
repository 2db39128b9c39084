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

void curl_lib_version(char *out, size_t size, const char *compiled,
                      bool load_now)
{
    module_lib_version(&slot, compiled, load_now, out, size);
}
