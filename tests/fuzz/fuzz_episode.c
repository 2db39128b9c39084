/*
 * Fuzz target: an episode file (episodes/NNN-*.md: YAML front matter and
 * Markdown notes) through episode_parse_buffer(). The input is the file
 * itself, so every seed and crash is a plain .md file. The show's time
 * zone is picked from the bytes' sum, leaving the file as it is.
 *
 * An episode that parses must be one podpub can publish: its texts fit
 * XML, and built as `podpub build` would (probed, rendered, checked) its
 * feed reads back with the same title, GUID, date and notes.
 */
#include "fuzz.h"

#include "podpub/check.h"
#include "podpub/yamltree.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/*
 * Fails unless every text the episode carries can go into a feed. Returns
 * false for a known finding stepped around (PODPUB_FUZZ_LENIENT).
 */
static bool check_texts(const struct episode *ep)
{
    const struct text *texts[] = {
        &ep->title, &ep->guid, &ep->audio, &ep->summary, &ep->image,
        &ep->link, &ep->chapters_file, &ep->audio_url,
    };

    if (!ep->title.s || !ep->guid.s || (!ep->audio.s && !ep->audio_url.s) ||
        (ep->audio.s && !ep->audio_path))
        fuzz_fail("episode accepted without title, guid or audio");
    if (!ep->notes.html || !ep->notes.text)
        fuzz_fail("episode accepted without rendered notes");
    if (fz_skip_notes(&ep->notes))
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        if (!fuzz_xml_text_ok(texts[i]->s))
            fuzz_fail("episode accepted with text unfit for XML (field %zu)",
                      i);
    if (!fuzz_xml_text_ok(ep->notes.html) || !fuzz_xml_text_ok(ep->notes.text))
        fuzz_fail("episode notes render to text unfit for XML: \"%.200s\"",
                  ep->notes.html);
    for (size_t i = 0; i < ep->transcripts_nr; i++)
        if (!fuzz_xml_text_ok(ep->transcripts[i].file.s) ||
            !fuzz_xml_text_ok(ep->transcripts[i].language.s) ||
            !fuzz_xml_text_ok(ep->transcripts[i].rel.s))
            fuzz_fail("transcript %zu accepted with text unfit for XML",
                      i + 1);
    for (size_t i = 0; i < ep->chapters_nr; i++)
        if (!fuzz_xml_text_ok(ep->chapters[i].title) ||
            !fuzz_xml_text_ok(ep->chapters[i].url) ||
            !fuzz_xml_text_ok(ep->chapters[i].img))
            fuzz_fail("chapter %zu accepted with text unfit for XML", i + 1);
    return true;
}

/* What `podpub build` does with a parsed episode, without files. */
static void build_one(const struct show *show, struct episode *ep)
{
    struct episode *eps[1] = { ep };
    struct strbuf out = STRBUF_INIT;
    struct check_report report = { 0 };

    ep->media.probed = true;
    ep->media.duration_ms = 2500;
    ep->media.size = 10338;
    ep->media.mime = "audio/mpeg";
    episode_fill_urls(show, ep);
    /* The check rules would open these files: there are none here. */
    FREE_AND_NULL(ep->image_path);
    if (feed_render(show, eps, 1, &out) < 0)
        fuzz_fail("feed_render() failed on a parsed episode");
    fuzz_check_feed(show, eps, 1, out.buf, out.len);
    check_show(&report, show, eps, 1, FZ_NOW, out.len, 1);
    report_print(&report, fuzz_null, false, false, false);
    report_print(&report, fuzz_null, true, false, false);
    report_release(&report);
    strbuf_reset(&out);
    page_render(show, eps, 1, NULL, &out);
    if (ep->chapters_nr) {
        strbuf_reset(&out);
        chapters_render(ep, &out);
    }
    strbuf_release(&out);
}

/*
 * With PODPUB_FUZZ_LENIENT=chapters: true when the front matter (found
 * roughly as episode_parse_buffer() finds it) gives "chapters:" an empty
 * or blank text, which crashes the parser (crashes/episode-2).
 */
static bool blank_chapters(const uint8_t *data, size_t size)
{
    struct strbuf sb = STRBUF_INIT;
    struct ynode *root = NULL;
    const struct ynode *n;
    const char *p, *q, *end;
    bool blank = false;

    if (!fuzz_lenient("chapters"))
        return false;
    if (size >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
        data += 3;
        size -= 3;
    }
    for (size_t i = 0; i < size; i++)
        if (!(data[i] == '\r' && i + 1 < size && data[i + 1] == '\n'))
            strbuf_addch(&sb, data[i]);
    end = sb.buf + sb.len;
    if (!starts_with(sb.buf, "---") || !(p = strchr(sb.buf, '\n')))
        goto out;
    for (q = ++p; q < end; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : end)
        if ((starts_with(q, "---") || starts_with(q, "...")) &&
            strspn(q + 3, " \t") == strcspn(q + 3, "\n"))
            break;
    if (ytree_load("fm", p, (size_t)(q - p), 0, &root) < 0 || !root)
        goto out;
    n = ytree_get(root, "chapters");
    blank = n && n->type == YNODE_SCALAR && !ytree_is_null(n) &&
            strspn(n->value, " \t\n") == n->len;
out:
    ytree_free(root);
    strbuf_release(&sb);
    return blank;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct show show;
    struct episode ep;
    unsigned sum = 0;

    if (size > PP_META_MAX_BYTES || blank_chapters(data, size))
        return 0;
    for (size_t i = 0; i < size; i++)
        sum += data[i];
    fz_base_show(&show, fz_zones[sum % ARRAY_SIZE(fz_zones)]);
    if (episode_parse_buffer(&show, "episodes/001-fuzz.md",
                             (const char *)data, size, &ep) == 0) {
        if (check_texts(&ep))
            build_one(&show, &ep);
    }
    episode_release(&ep);
    return 0;
}
