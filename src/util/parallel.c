/*
 * Work spread over the machine's cores: a shared counter hands out
 * indices, so a slow item does not hold up the others.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "podpub/strbuf.h"
#include "podpub/util.h"

struct pool {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t nr;
    atomic_size_t next;
};

static void *worker(void *arg)
{
    struct pool *pool = arg;
    size_t i;

    while ((i = atomic_fetch_add(&pool->next, 1)) < pool->nr)
        pool->fn(pool->ctx, i);
    return NULL;
}

size_t cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (size_t)n : 1;
}

void parallel_for(size_t nr, size_t per_thread,
                  void (*fn)(void *ctx, size_t i), void *ctx)
{
    struct pool pool = { fn, ctx, nr, 0 };
    size_t nthreads = cpu_count(), started = 0;
    pthread_t threads[PP_MAX_THREADS];

    if (per_thread && nthreads > nr / per_thread)
        nthreads = nr / per_thread;
    if (nthreads > PP_MAX_THREADS)
        nthreads = PP_MAX_THREADS;
    /* This thread is one of them: start the others. */
    for (size_t i = 1; i < nthreads; i++)
        if (pthread_create(&threads[started], NULL, worker, &pool) == 0)
            started++;
    worker(&pool);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

struct in_order {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    struct strbuf *msgs;
};

static void run_captured(void *arg, size_t i)
{
    struct in_order *o = arg;

    report_capture(&o->msgs[i]);
    o->fn(o->ctx, i);
    report_capture(NULL);
}

void parallel_for_in_order(size_t nr, size_t per_thread,
                           void (*fn)(void *ctx, size_t i), void *ctx)
{
    struct in_order o = { fn, ctx, xcalloc(nr ? nr : 1, sizeof(*o.msgs)) };

    for (size_t i = 0; i < nr; i++)
        strbuf_init(&o.msgs[i]);
    parallel_for(nr, per_thread, run_captured, &o);
    for (size_t i = 0; i < nr; i++) {
        report_replay(&o.msgs[i]);
        strbuf_release(&o.msgs[i]);
    }
    free(o.msgs);
}
