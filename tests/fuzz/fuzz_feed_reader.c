/*
 * Fuzz target: the feed reader, feed_parse(), on any bytes as a feed, then
 * what `podpub check --feed` does with what it read: every check rule,
 * and the report as text and as JSON. The input is the feed itself.
 */
#include "fuzz.h"

#include "podpub/check.h"
#include "podpub/feedread.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct show show;
    struct check_report report = { 0 };
    struct episode **eps;

    if (size > (4u << 20))
        return 0;
    memset(&show, 0, sizeof(show));
    if (feed_parse("feed.xml", (const char *)data, size, &show) == 0) {
        if (!show.from_feed || !show.path)
            fuzz_fail("feed_parse() left from_feed or path unset");
        eps = xcalloc(show.nr + 1, sizeof(*eps));
        for (size_t i = 0; i < show.nr; i++) {
            if (!show.episodes[i].path || !show.episodes[i].name)
                fuzz_fail("item %zu read without path or name", i + 1);
            eps[i] = &show.episodes[i];
        }
        /* As check_feed(): findings at the feed's lines. */
        check_show(&report, &show, eps, show.nr, FZ_NOW, size, show.nr);
        report_print(&report, fuzz_null, false, false, false);
        report_print(&report, fuzz_null, true, false, true);
        report_release(&report);
        free(eps);
    }
    show_release(&show);
    return 0;
}
