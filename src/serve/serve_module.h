/*
 * The one table between podpub and its serve module (podpub-serve.so):
 * `podpub serve`, the only code that needs libmicrohttpd (and through it
 * GnuTLS), which the program loads on first use (serve_load.c) so that
 * every other command starts without them. Each member is the function
 * of serve.h of the same name.
 */
#ifndef PODPUB_SERVE_MODULE_H
#define PODPUB_SERVE_MODULE_H

#include "podpub/module.h"
#include "podpub/serve.h"

#define PP_SERVE_MODULE_FILE "podpub-serve.so"
#define PP_SERVE_MODULE_SYMBOL "podpub_serve_module"

struct serve_module {
    struct module_head head;
    int (*serve_start)(const struct serve_opts *opts, struct serve **out);
    const char *(*serve_url)(const struct serve *s);
    int (*serve_run)(struct serve *s, volatile sig_atomic_t *stop);
    void (*serve_free)(struct serve *s);
};

#endif
