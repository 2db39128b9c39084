/*
 * What the transfers of src/net share (internal to src/net): the options
 * every libcurl handle of podpub's starts from.
 */
#ifndef PODPUB_NET_INTERNAL_H
#define PODPUB_NET_INTERNAL_H

#include <stdbool.h>

#include <curl/curl.h>

/* Redirects one request may take, libcurl's or followed by hand. */
#define NET_MAX_REDIRECTS 5

/*
 * Sets the options every transfer has on 'h': http and https only, also
 * after a redirect; libcurl's messages into 'errbuf'
 * (CURL_ERROR_SIZE bytes); no signals; podpub's user agent; and with
 * 'follow', redirects followed by libcurl, at most NET_MAX_REDIRECTS,
 * else none (the caller follows them itself, checking each). Timeouts,
 * the URL and callbacks are the caller's.
 */
void net_easy_base(CURL *h, char *errbuf, bool follow);

#endif
