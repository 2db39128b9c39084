/*
 * The one thread pool: work spread over the machine's cores, a shared
 * counter handing out indices so a slow item does not hold up the
 * others; optionally the calling thread reports progress instead of
 * working, and what each item prints can be held back and released in
 * order.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "podpub/strbuf.h"
#include "podpub/util.h"

struct pool {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t nr;
    size_t batch;           /* indices handed out at a time */
    atomic_size_t next, done, current;
};

static void *worker(void *arg)
{
    struct pool *pool = arg;
    size_t i;

    while ((i = atomic_fetch_add(&pool->next, pool->batch)) < pool->nr) {
        size_t end = pool->nr - i > pool->batch ? i + pool->batch : pool->nr;

        atomic_store(&pool->current, i);
        for (size_t j = i; j < end; j++)
            pool->fn(pool->ctx, j);
        atomic_fetch_add(&pool->done, end - i);
    }
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) +
           (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The calling thread's part when progress is asked for: report every
 * 50 ms, once the work has taken longer than pg->after_s, until done.
 */
static void watch(struct pool *pool, const struct parallel_progress *pg)
{
    struct timespec t0;
    bool shown = false;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&pool->done) < pool->nr) {
        struct timespec nap = { 0, 50 * 1000 * 1000 };

        nanosleep(&nap, NULL);
        if (seconds_since(&t0) > pg->after_s) {
            pg->fn(pg->ctx, atomic_load(&pool->done), pool->nr,
                   atomic_load(&pool->current));
            shown = true;
        }
    }
    if (shown)
        pg->fn(pg->ctx, pool->nr, pool->nr, SIZE_MAX);
}

size_t cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (size_t)n : 1;
}

void parallel_for_progress(size_t nr, size_t per_thread,
                           void (*fn)(void *ctx, size_t i), void *ctx,
                           const struct parallel_progress *pg)
{
    /*
     * Cheap items (a large 'per_thread') are handed out a few at a time:
     * two cores taking turns at one counter cost about a microsecond per
     * item, as much as a lookup or a stat takes.
     */
    struct pool pool = { fn, ctx, nr, per_thread / 8 ? per_thread / 8 : 1,
                         0, 0, 0 };
    size_t nthreads = cpu_count(), started = 0;
    pthread_t threads[PP_MAX_THREADS];

    if (!nr)
        return;
    if (per_thread && nthreads > nr / per_thread)
        nthreads = nr / per_thread;
    if (nthreads > nr)
        nthreads = nr;
    if (nthreads > PP_MAX_THREADS)
        nthreads = PP_MAX_THREADS;
    /*
     * This thread is one of the workers, or, reporting progress, watches
     * them: then there is one worker more.
     */
    for (size_t i = pg ? 0 : 1; i < nthreads; i++)
        if (pthread_create(&threads[started], NULL, worker, &pool) == 0)
            started++;
    if (pg && started)
        watch(&pool, pg);
    else
        worker(&pool);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

void parallel_for(size_t nr, size_t per_thread,
                  void (*fn)(void *ctx, size_t i), void *ctx)
{
    parallel_for_progress(nr, per_thread, fn, ctx, NULL);
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

struct task {
    void (*fn)(void *arg);
    void *arg;
    pthread_t thread;
    bool started;
    struct strbuf msgs;
};

static void *run_task(void *arg)
{
    struct task *t = arg;
    struct strbuf *outer = report_capture(&t->msgs);

    t->fn(t->arg);
    report_capture(outer);
    return NULL;
}

struct task *task_start(void (*fn)(void *arg), void *arg)
{
    struct task *t = xcalloc(1, sizeof(*t));

    t->fn = fn;
    t->arg = arg;
    strbuf_init(&t->msgs);
    t->started = pthread_create(&t->thread, NULL, run_task, t) == 0;
    if (!t->started)
        run_task(t);
    return t;
}

void task_join(struct task *t)
{
    if (!t)
        return;
    if (t->started)
        pthread_join(t->thread, NULL);
    report_replay(&t->msgs);
    strbuf_release(&t->msgs);
    free(t);
}
