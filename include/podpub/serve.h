/*
 * `podpub serve`: the show built into a temporary folder as if it were
 * served from http://ADDR:PORT/, served over HTTP by libmicrohttpd (the
 * only code that includes its headers), and rebuilt whenever something
 * under feed/ or episodes/ changes. A build that fails leaves the last
 * good one served.
 */
#ifndef PODPUB_SERVE_H
#define PODPUB_SERVE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "podpub/build.h"

struct serve;

struct serve_opts {
    const char *bind;           /* numeric IPv4 or IPv6 address to listen on */
    unsigned port;              /* 0: any free port */
    bool fixed_time;            /* build for 'at', not for the clock */
    int64_t at;
    /*
     * Called after every build, on the thread running serve_run():
     * 'ret' is build_show()'s
     * result, 'res' and 'show' what it built (valid during the call),
     * 'kept' true when a failed build left the previous one served.
     */
    void (*built)(int ret, const struct build_result *res,
                  const struct show *show, bool kept, void *ctx);
    void *ctx;
};

/*
 * Listens on opts->bind:opts->port and makes the temporary folder;
 * requests answer 503 until a build succeeds. Returns 0 with '*out' set, or
 * PP_ERR_USAGE (an address that is not numeric), PP_ERR_IO (the port is
 * taken, no temporary folder, no inotify), printed. Free with
 * serve_free().
 */
int serve_start(const struct serve_opts *opts, struct serve **out);

/* "http://127.0.0.1:8080/": the base URL the show is built for. */
const char *serve_url(const struct serve *s);

/*
 * Builds the show, then watches feed/ and episodes/ (and the folders
 * below them) and rebuilds within a second of a change, until '*stop' is set (by a signal handler:
 * a signal also interrupts the wait). Returns 0, or PP_ERR_IO (printed)
 * when watching fails.
 */
int serve_run(struct serve *s, volatile sig_atomic_t *stop);

/* Stops serving and removes the temporary folder. Accepts NULL. */
void serve_free(struct serve *s);

#endif
