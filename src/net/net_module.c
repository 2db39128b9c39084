/*
 * The net module's table (see net_module.h): built into podpub-net.so,
 * whose only exported symbol it is.
 */
#include <stdio.h>

#include <curl/curl.h>

#include "net_module.h"

/* libcurl as loaded: "7.88.1, OpenSSL/3.0.11". */
static void curl_version_line(char *out, size_t size)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);

    snprintf(out, size, "%s%s%s", curl->version,
             curl->ssl_version ? ", " : "",
             curl->ssl_version ? curl->ssl_version : "");
}

__attribute__((visibility("default")))
const struct net_module podpub_net_module = {
    .head = { PODPUB_VERSION, sizeof(struct net_module), curl_version_line,
              net_init },
    .net_cleanup = net_cleanup,
    .http_get = http_get,
    .http_probe_all = http_probe_all,
    .publish_show = publish_show,
    .publish_result_release = publish_result_release,
    .http_download_all = http_download_all,
    .http_range_open = http_range_open,
    .http_range_read = http_range_read,
    .http_range_error = http_range_error,
    .http_range_stats = http_range_stats,
    .http_range_close = http_range_close,
};
