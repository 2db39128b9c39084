/*
 * Fuzz target: the show file (feed/podcast.yaml) through
 * show_parse_buffer(). The input is the file itself.
 *
 * A show that parses must be one podpub can publish: its texts fit XML,
 * the check rules run on it, and its feed (with one fixed episode, read
 * in the show's time zone) reads back with the same title and GUID.
 */
#include "fuzz.h"

#include "podpub/check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A zone-less date, so the show's time zone decides the moment. */
static const char episode_md[] =
    "---\n"
    "title: \"Episode <1> & more\"\n"
    "guid: urn:fuzz:001\n"
    "date: 2025-10-31T06:00\n"
    "audio: 001-fuzz.mp3\n"
    "season: 1\n"
    "episode: 1\n"
    "chapters:\n"
    "  - \"00:00 Intro\"\n"
    "  - \"01:00 Talk ]]> here\"\n"
    "---\n"
    "Notes with *emphasis* and a [link](https://example.org/).\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void check_texts(const struct show *show)
{
    const struct text *texts[] = {
        &show->title, &show->description, &show->language, &show->link,
        &show->author, &show->owner_name, &show->owner_email, &show->image,
        &show->copyright, &show->base_url, &show->feed_url, &show->timezone,
        &show->guid, &show->publish_target,
    };

    if (!show->title.s || !show->description.s || !show->language.s ||
        !show->base_url.s || !show->feed_url.s || !show->link.s)
        fuzz_fail("show accepted without title, description, language, "
                  "base_url, feed_url or link");
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        if (!fuzz_xml_text_ok(texts[i]->s))
            fuzz_fail("show accepted with text unfit for XML (field %zu)", i);
    for (size_t i = 0; i < show->categories_nr; i++)
        if (!show->categories[i].name ||
            !fuzz_xml_text_ok(show->categories[i].name) ||
            !fuzz_xml_text_ok(show->categories[i].sub))
            fuzz_fail("category %zu unfit for XML", i + 1);
    for (size_t i = 0; i < show->links_nr; i++)
        if (!fuzz_xml_text_ok(show->links[i].key) ||
            !fuzz_xml_text_ok(show->links[i].url.s))
            fuzz_fail("link %zu unfit for XML", i + 1);
    for (size_t i = 0; i < show->pi.funding_nr; i++)
        if (!fuzz_xml_text_ok(show->pi.funding[i].url.s) ||
            !fuzz_xml_text_ok(show->pi.funding[i].text.s))
            fuzz_fail("funding %zu unfit for XML", i + 1);
}

/* What `podpub build` and `podpub check` do with the show. */
static void build(struct show *show)
{
    struct episode ep;
    struct episode *eps[1] = { &ep };
    struct strbuf out = STRBUF_INIT, all = STRBUF_INIT;
    struct check_report report = { 0 };
    const char *archive = NULL;

    /* The artwork rules would open feed/<image>: there is no file here. */
    FREE_AND_NULL(show->image_path);
    check_show(&report, show, NULL, 0, FZ_NOW, 0, 0);
    report_print(&report, fuzz_null, false, false, false);
    report_print(&report, fuzz_null, true, false, false);
    report_release(&report);

    show_fill_urls(show);   /* as the build does */
    if (feed_render(show, NULL, 0, &out) < 0)
        fuzz_fail("feed_render() failed on a parsed show");
    fuzz_check_feed(show, NULL, 0, out.buf, out.len);
    strbuf_reset(&out);

    if (episode_parse_buffer(show, "episodes/001-fuzz.md", episode_md,
                             sizeof(episode_md) - 1, &ep) < 0) {
        /* Only a time zone where 06:00 that day did not exist may fail. */
        if (!show->timezone.s)
            fuzz_fail("the fixed episode did not parse");
        episode_release(&ep);
        return;
    }
    ep.media.probed = true;
    ep.media.duration_ms = 125000;
    ep.media.size = 1234567;
    ep.media.mime = "audio/mpeg";
    episode_fill_urls(show, &ep);
    if (show->feed_limit) {
        /* As build_show() with feed_limit: two feeds linked as pages. */
        struct feed_paging head = { 0 }, page = { 0 };

        archive = show->archive_url;
        head.first = show->feed_url.s;
        head.next = archive;
        page.self = archive;
        page.first = show->feed_url.s;
        page.previous = show->feed_url.s;
        if (feed_render_paged(show, eps, 1, &head, &out) < 0 ||
            feed_render_paged(show, eps, 1, &page, &all) < 0)
            fuzz_fail("feed_render_paged() failed on a parsed show");
        fuzz_check_feed(show, eps, 1, all.buf, all.len);
    } else if (feed_render(show, eps, 1, &out) < 0) {
        fuzz_fail("feed_render() failed on a parsed show");
    }
    fuzz_check_feed(show, eps, 1, out.buf, out.len);
    check_show(&report, show, eps, 1, FZ_NOW, out.len, 1);
    report_print(&report, fuzz_null, false, false, false);
    report_release(&report);
    strbuf_reset(&out);
    page_render(show, eps, 1, archive, &out);
    strbuf_release(&out);
    strbuf_release(&all);
    episode_release(&ep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct show show;

    if (size > PP_META_MAX_BYTES)
        return 0;
    memset(&show, 0, sizeof(show));
    if (show_parse_buffer(&show, "feed/podcast.yaml", (const char *)data,
                          size) == 0) {
        check_texts(&show);
        fz_step_around_guid(show.guid.s);
        build(&show);
    }
    show_release(&show);
    return 0;
}
