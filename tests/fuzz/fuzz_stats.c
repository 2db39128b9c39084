/*
 * Fuzz target: access logs through `podpub stats`' counter. The input is
 * a log file (any bytes: lines of the five formats, broken ones, NULs,
 * long lines, gzip); it is read as stats_read_fd() reads a file, with a
 * catalog of two episodes and no user-agent lists, then each of its
 * lines is given to every format's parser on its own.
 *
 * The promises checked: nothing crashes or leaks, every line is counted
 * once (read, a header, or unmatched), no more downloads than requests
 * that counted, and no result names a file it was not given.
 */
#define _GNU_SOURCE     /* memfd_create() */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

#include "podpub/stats.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void each_line(const uint8_t *data, size_t size)
{
    struct strbuf line = STRBUF_INIT, scratch = STRBUF_INIT;
    size_t start = 0;

    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\n')
            continue;
        strbuf_reset(&line);
        strbuf_add(&line, data + start, i - start);
        start = i + 1;
        if (memchr(line.buf, 0, line.len))
            continue;           /* the counter never passes a NUL */
        for (size_t f = 0; stats_formats[f]; f++) {
            const struct stats_format_ops *ops = stats_formats[f];
            void *state = xcalloc(1, ops->state_size + 1);
            struct stats_req req = { .range_start = -1, .range_end = -1 };

            if (ops->parse(state, line.buf, line.len, &scratch, &req) ==
                STATS_LINE_REQ && (req.status < 100 || req.status > 599))
                fuzz_fail("%s: status %d", ops->name, req.status);
            if (ops->release)
                ops->release(state);
            free(state);
        }
    }
    strbuf_release(&line);
    strbuf_release(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct stats_catalog *cat = stats_catalog_new();
    struct stats *st;
    struct stats_result res;
    int fd = memfd_create("log", 0);

    if (fd < 0 || write(fd, data, size) != (ssize_t)size ||
        lseek(fd, 0, SEEK_SET) != 0)
        fuzz_fail("memfd: %s", strerror(errno));
    stats_catalog_add(cat, "a", "A", 1735711200,
                      "https://media.example.org/show/001-a.mp3", 19200000,
                      2400000);
    stats_catalog_add(cat, "b", "B", 1735711200,
                      "https://media.example.org/show/002-b.mp3", 240000,
                      30000);
    st = stats_new(cat, &(struct stats_opts){ 0 });
    if (stats_read_fd(st, fd, "fuzz.log") < 0)
        fuzz_fail("stats_read_fd failed on a memfd");
    stats_result(st, &res);
    if (res.total > res.counted_requests)
        fuzz_fail("%llu downloads from %llu requests",
                  (unsigned long long)res.total,
                  (unsigned long long)res.counted_requests);
    if (res.requests + res.lines_meta + res.unmatched != res.lines)
        fuzz_fail("lines %llu != requests %llu + headers %llu + unmatched "
                  "%llu", (unsigned long long)res.lines,
                  (unsigned long long)res.requests,
                  (unsigned long long)res.lines_meta,
                  (unsigned long long)res.unmatched);
    for (size_t i = 0; i < res.unmatched_first_nr; i++)
        if (strcmp(res.unmatched_first[i].file, "fuzz.log"))
            fuzz_fail("an unmatched line of another file");
    stats_result_release(&res);
    stats_free(st);
    stats_catalog_free(cat);
    each_line(data, size);
    return 0;
}
