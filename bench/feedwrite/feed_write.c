/*
 * bench/scale's measure of podpub's feed-writing step alone, timed the
 * way bench/lib/scale_podcast.js times the npm podcast package: the show
 * is loaded first (podcast.yaml, every episode, the probe cache: not
 * timed, like node's JSON.parse), then each run renders feed.xml from
 * memory and writes it as `podpub build` does (temporary file, fsync,
 * rename: node's writeFileSync does not fsync).
 *
 *   podpub-feed-bench SHOW_DIR OUT.xml RUNS
 *
 * Prints one JSON object: {"runs_ms": [...], "median_ms": M,
 * "render_ms": R, "write_ms": W, "bytes": N, "items": K}, where render
 * and write are the medians of the two parts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "podpub/build.h"
#include "podpub/feed.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(const double *v, size_t nr)
{
    double *s = xmalloc(nr * sizeof(*s));
    double m;

    for (size_t i = 0; i < nr; i++)
        s[i] = v[i];
    qsort(s, nr, sizeof(*s), cmp_double);
    m = nr % 2 ? s[nr / 2] : (s[nr / 2 - 1] + s[nr / 2]) / 2;
    free(s);
    return m;
}

int main(int argc, char **argv)
{
    struct build_opts opts = { .out_dir = "public" };
    struct show show = { 0 };
    struct build_result res;
    double *total, *render, *write;
    size_t runs, bytes = 0;
    int ret;

    if (argc != 4 || (runs = strtoul(argv[3], NULL, 10)) < 1) {
        fprintf(stderr, "usage: podpub-feed-bench SHOW_DIR OUT.xml RUNS\n");
        return 2;
    }
    if (chdir(argv[1]) < 0) {
        perror(argv[1]);
        return 2;
    }
    opts.now = (int64_t)time(NULL);
    if ((ret = show_prepare(&opts, &show, &res)) < 0)
        return -ret;
    total = xcalloc(runs, sizeof(*total));
    render = xcalloc(runs, sizeof(*render));
    write = xcalloc(runs, sizeof(*write));
    for (size_t r = 0; r < runs; r++) {
        struct strbuf feed = STRBUF_INIT;
        double t0 = now_ms(), t1, t2;

        if (feed_render(&show, res.feed, res.feed_nr, &feed) < 0)
            return 4;
        t1 = now_ms();
        if (write_file_atomic(argv[2], feed.buf, feed.len) < 0)
            return 4;
        t2 = now_ms();
        render[r] = t1 - t0;
        write[r] = t2 - t1;
        total[r] = t2 - t0;
        bytes = feed.len;
        strbuf_release(&feed);
    }
    printf("{\"runs_ms\": [");
    for (size_t r = 0; r < runs; r++)
        printf("%s%.3f", r ? ", " : "", total[r]);
    printf("], \"median_ms\": %.3f, \"render_ms\": %.3f, \"write_ms\": %.3f, "
           "\"bytes\": %zu, \"items\": %zu}\n", median(total, runs),
           median(render, runs), median(write, runs), bytes, res.feed_nr);
    free(total);
    free(render);
    free(write);
    build_result_release(&res);
    show_release(&show);
    return 0;
}
