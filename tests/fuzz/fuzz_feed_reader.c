/*
 * Fuzz target: the feed reader on any bytes as a feed: feed_parse(), as
 * publishing uses it, then check_feed_buffer(), what `podpub check
 * --feed` does: the reader's own findings (XML, namespaces) and every
 * check rule, and the report as text and as JSON. The input is the feed
 * itself.
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
    struct feed_doc doc = { 0 };
    int parsed;

    if (size > (4u << 20))
        return 0;
    memset(&show, 0, sizeof(show));
    parsed = feed_parse("feed.xml", (const char *)data, size, &show);
    if (parsed == 0) {
        if (!show.path)
            fuzz_fail("feed_parse() left path unset");
        for (size_t i = 0; i < show.nr; i++)
            if (!show.episodes[i].path || !show.episodes[i].name)
                fuzz_fail("item %zu read without path or name", i + 1);
    }
    show_release(&show);
    memset(&show, 0, sizeof(show));
    if (check_feed_buffer("feed.xml", (const char *)data, size, &show, &doc,
                          &report, FZ_NOW) < 0) {
        if (parsed == 0)
            fuzz_fail("check_feed_buffer() refuses a feed feed_parse() "
                      "read");
        if (!report.nr)
            fuzz_fail("check_feed_buffer() refuses a feed without a "
                      "finding");
    }
    report_print(&report, fuzz_null, false, false, false);
    report_print(&report, fuzz_null, true, false, true);
    report_release(&report);
    show_release(&show);
    feed_doc_release(&doc);
    return 0;
}
