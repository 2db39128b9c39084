/*
 * The serve module's table (see serve_module.h): built into
 * podpub-serve.so, whose only exported symbol it is.
 */
#include <stdio.h>

#include <microhttpd.h>

#include "serve_module.h"

/* libmicrohttpd as loaded: "0.9.75". */
static void mhd_version(char *out, size_t size)
{
    snprintf(out, size, "libmicrohttpd %s", MHD_get_version());
}

__attribute__((visibility("default")))
const struct serve_module podpub_serve_module = {
    .head = { PODPUB_VERSION, sizeof(struct serve_module), mhd_version,
              NULL },
    .serve_start = serve_start,
    .serve_url = serve_url,
    .serve_run = serve_run,
    .serve_free = serve_free,
};
