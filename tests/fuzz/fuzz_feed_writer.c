/*
 * Fuzz target: the RSS writer, feed_render(). The input is a show and up
 * to five episodes as fields separated by NUL bytes (make_corpus.py
 * writes seeds in this form from built feeds):
 *
 *   show:    ctl, title, description, language, link, base_url, feed_url,
 *            author, owner name, owner email, copyright, image, guid,
 *            funding url, funding text, category, subcategory
 *   episode: ctl, numbers, title, guid, audio, name, date, summary, link,
 *            image, transcript, notes (Markdown, through notes_render())
 *
 * Show ctl bytes: [0] bit 0 explicit, 1 serial, 2 locked set, 3 locked
 * yes, 4 paging links, 5 also the HTML page, 6 a subcategory; [1] the
 * number of episodes (low 3 bits, at most 5) and the time zone (the rest).
 * Episode ctl bytes: [0] bit 0 season, 1 episode number, 2-3 type,
 * 4 explicit set, 5 explicit, 6 chapters; [1] the MIME type; [2] the
 * transcript type. Numbers: "SIZE DURATION_MS SEASON EPISODE" in decimal.
 * A date is read as the front matter's (date_parse() in the zone), else
 * as Unix seconds in the zone. Empty optional fields are absent. Inputs
 * with text (any field but the ctl ones) that podpub would refuse (not
 * UTF-8, or characters XML 1.0 forbids: utf8_check_xml()) are skipped.
 *
 * The feed must be well-formed, read back (libxml2) with every title,
 * GUID, date and notes text as it went in, and read back by podpub's own
 * reader, feed_read(), with the same items.
 */
#include <ctype.h>
#include <inttypes.h>

#include "fuzz.h"

#include "podpub/feedread.h"

#define MAX_EPISODES 5

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const mimes[] = {
    "audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/ogg", "audio/opus",
    "audio/flac", "audio/wav",
};
static const char *const transcript_types[] = {
    "text/vtt", "application/x-subrip", "application/json", "text/html",
    "text/plain",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

struct input {
    struct fz_fields f;
    bool bad;           /* some text is one podpub would refuse */
};

/* The next field; "" when it is past the end. */
static const char *field(struct input *in)
{
    const char *s = fz_next(&in->f);

    if (!fuzz_xml_text_ok(s))
        in->bad = true;
    return s;
}

/*
 * The next control field: bytes read as bits, not text, so any value
 * goes (checking them as text skipped most inputs).
 */
static const char *ctl_field(struct input *in)
{
    return fz_next(&in->f);
}

/* The next field, NULL when empty (an optional field left out). */
static char *opt(struct input *in)
{
    const char *s = field(in);

    return *s ? (char *)s : NULL;
}

static unsigned ctl(const char *s, size_t i)
{
    return strlen(s) > i ? (unsigned char)s[i] : 0;
}

static long long clamp(long long v, long long lo, long long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The front matter's date in zone 'tz', else Unix seconds in that zone. */
static void read_date(const char *s, const char *tz, struct pp_date *d)
{
    const char *why;

    if (date_parse(s, tz, d, &why) == 0)
        return;
    /*
     * 1900-01-01 to 9999-12-30 UTC: in any zone a year date_parse() takes
     * (a moment at the end of 9999 is in 10000 east of UTC, which no
     * parser gives and RFC 2822's 4-digit year cannot hold).
     */
    date_in_zone(clamp(strtoll(s, NULL, 10), -2208988800LL,
                       253402300799LL - 86400), tz, d);
}

static void read_episode(struct input *in, const char *tz,
                         struct episode *ep)
{
    const char *c = ctl_field(in), *nums = field(in), *md, *t;
    char *p;

    memset(ep, 0, sizeof(*ep));
    ep->media.size = strtoull(nums, &p, 10);
    ep->media.duration_ms = clamp(strtoll(p, &p, 10), 0, 1000000000000LL);
    ep->season.v = clamp(strtoll(p, &p, 10), 1, 99999);
    ep->episode.v = clamp(strtoll(p, &p, 10), 1, 9999999);
    ep->season.set = ctl(c, 0) & 1;
    ep->episode.set = ctl(c, 0) & 2;
    ep->type = (enum episode_type)((ctl(c, 0) >> 2) % 3);
    ep->explicit.set = ctl(c, 0) & 16;
    ep->explicit.v = ctl(c, 0) & 32;
    ep->media.probed = true;
    ep->media.mime = mimes[ctl(c, 1) % ARRAY_SIZE(mimes)];
    ep->title.s = (char *)field(in);
    ep->guid.s = (char *)field(in);
    ep->audio.s = (char *)field(in);
    ep->name = (char *)field(in);
    read_date(field(in), tz, &ep->date);
    ep->summary.s = opt(in);
    ep->link.s = opt(in);
    ep->image.s = opt(in);
    if ((t = opt(in))) {
        ep->transcripts = xcalloc(1, sizeof(*ep->transcripts));
        ep->transcripts_nr = 1;
        ep->transcripts[0].file.s = (char *)t;
        ep->transcripts[0].type.s = (char *)
            transcript_types[ctl(c, 2) % ARRAY_SIZE(transcript_types)];
    }
    md = field(in);
    notes_render(&ep->notes, md, strlen(md));
    if (fz_skip_notes(&ep->notes))
        in->bad = true;
    if (ctl(c, 0) & 64) {
        ep->chapters = xcalloc(1, sizeof(*ep->chapters));
        ep->chapters[0].title = (char *)ep->title.s;
        ep->chapters_nr = 1;
    }
}

/* 's' without the white space podpub's reader trims; NULL if empty. */
static char *trimmed(const char *s)
{
    const char *e;

    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                     e[-1] == '\r'))
        e--;
    return e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
}

static void expect_same(const char *what, const char *wrote, const char *read)
{
    char *want = trimmed(wrote);
    char b1[1024], b2[1024];

    if ((want == NULL) != (read == NULL) || (want && strcmp(want, read)))
        fuzz_fail("feed_read() reads %s \"%s\", want \"%s\"", what,
                  fz_show(read, b1), fz_show(want, b2));
    free(want);
}

/* podpub's own reader on podpub's feed: what publish compares with. */
static void read_back(const struct show *show, struct episode *const *eps,
                      size_t nr, const struct strbuf *xml)
{
    struct show back;
    struct feed_doc doc = { 0 };
    char len[32];

    memset(&back, 0, sizeof(back));
    if (feed_read("feed.xml", xml->buf, xml->len, &back, &doc) < 0)
        fuzz_fail("feed_read() refuses a feed feed_render() wrote");
    if (back.nr != nr)
        fuzz_fail("feed_read() reads %zu items, want %zu", back.nr, nr);
    expect_same("the show title", show->title.s, back.title.s);
    for (size_t i = 0; i < nr; i++) {
        const struct feed_item *it = &doc.items[i];

        expect_same("an item title", eps[i]->title.s,
                    back.episodes[i].title.s);
        expect_same("an item guid", eps[i]->guid.s, back.episodes[i].guid.s);
        snprintf(len, sizeof(len), "%" PRIu64, eps[i]->media.size);
        expect_same("an enclosure length", len, it->length.s);
        if (it->date_bad || back.episodes[i].date.t != eps[i]->date.t) {
            if (!(fuzz_lenient("dates") && !it->date_bad &&
                  llabs((long long)(back.episodes[i].date.t -
                                    eps[i]->date.t)) < 60))
                fuzz_fail("feed_read() reads item %zu's date as t=%lld%s, "
                          "want t=%lld", i + 1,
                          (long long)back.episodes[i].date.t,
                          it->date_bad ? " (bad)" : "",
                          (long long)eps[i]->date.t);
        }
    }
    show_release(&back);
    feed_doc_release(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { 0 };
    struct show show;
    struct episode items[MAX_EPISODES];
    struct episode *eps[MAX_EPISODES];
    struct category cat = { 0 };
    struct pi_funding funding = { 0 };
    struct strbuf out = STRBUF_INIT;
    const char *c, *tz;
    size_t nr;

    if (size > (1u << 20))
        return 0;
    fz_fields_init(&in.f, data, size);
    memset(&show, 0, sizeof(show));
    c = ctl_field(&in);
    nr = (ctl(c, 1) & 7) % (MAX_EPISODES + 1);
    tz = fz_zones[(ctl(c, 1) >> 3) % ARRAY_SIZE(fz_zones)];
    show.explicit.v = ctl(c, 0) & 1;
    show.explicit.set = true;
    show.serial = ctl(c, 0) & 2;
    show.locked.set = ctl(c, 0) & 4;
    show.locked.v = ctl(c, 0) & 8;
    show.timezone.s = (char *)tz;
    show.title.s = (char *)field(&in);
    show.description.s = (char *)field(&in);
    show.language.s = (char *)field(&in);
    show.link.s = (char *)field(&in);
    show.base_url.s = (char *)field(&in);
    show.feed_url.s = (char *)field(&in);
    show.author.s = opt(&in);
    show.owner_name.s = opt(&in);
    show.owner_email.s = opt(&in);
    show.copyright.s = opt(&in);
    show.image.s = opt(&in);
    show.guid.s = opt(&in);
    fz_step_around_guid(show.guid.s);
    funding.url.s = opt(&in);
    funding.text.s = opt(&in);
    if (funding.url.s && funding.text.s) {          /* both or none */
        show.pi.funding = &funding;
        show.pi.funding_nr = 1;
    }
    cat.name = opt(&in);
    cat.sub = opt(&in);
    if (!(ctl(c, 0) & 64))
        cat.sub = NULL;
    if (cat.name) {
        show.categories = &cat;
        show.categories_nr = 1;
    }
    for (size_t i = 0; i < nr; i++) {
        read_episode(&in, tz, &items[i]);
        eps[i] = &items[i];
    }
    if (in.bad)
        goto out;
    /* The public URLs, as the build fills them. */
    show_fill_urls(&show);
    for (size_t i = 0; i < nr; i++)
        episode_fill_urls(&show, &items[i]);

    if (ctl(c, 0) & 16) {
        struct feed_paging pg = { show.archive_url, show.feed_url.s,
                                  show.archive_url, show.feed_url.s };

        if (feed_render_paged(&show, eps, nr, &pg, &out) < 0)
            fuzz_fail("feed_render_paged() failed");
    } else if (feed_render(&show, eps, nr, &out) < 0) {
        fuzz_fail("feed_render() failed");
    }
    fuzz_check_feed(&show, eps, nr, out.buf, out.len);
    read_back(&show, eps, nr, &out);
    if (ctl(c, 0) & 32) {
        strbuf_reset(&out);
        page_render(&show, eps, nr, NULL, &out);
        for (size_t i = 0; i < nr; i++) {
            strbuf_reset(&out);
            chapters_render(eps[i], &out);
        }
    }
out:
    free(show.image_url);
    free(show.page_url);
    free(show.archive_url);
    for (size_t i = 0; i < nr; i++) {
        free(items[i].enclosure_url);
        free(items[i].image_url);
        if (items[i].transcripts_nr)
            free(items[i].transcripts[0].url);
        free(items[i].transcripts);
        free(items[i].chapters_url);
        free(items[i].page_url);
        free(items[i].notes.html);
        free(items[i].notes.text);
        free(items[i].chapters);
    }
    strbuf_release(&out);
    fz_fields_release(&in.f);
    return 0;
}
