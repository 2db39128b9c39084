/*
 * Unit tests for src/meta: episode files (front matter fields, source
 * positions, BOM and CRLF, show notes as HTML and plain text, refusals),
 * the YAML tree (aliases, depth, duplicate keys, positions) and the Apple
 * category list with its suggestions.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "podpub/meta.h"
#include "podpub/strbuf.h"
#include "podpub/yamltree.h"

#define EP_PATH "episodes/001-milas.md"

/* 2025-10-31T00:00:00Z. */
#define OCT31 INT64_C(1761868800)

static char show_tz[] = "Europe/Amsterdam";

/* A show zeroed except for its time zone, as episode_parse_buffer() needs. */
static struct show test_show(void)
{
    struct show show;

    memset(&show, 0, sizeof(show));
    show.timezone.s = show_tz;
    return show;
}

/*
 * Parses 'text' as EP_PATH from a heap copy of exactly its length (no
 * NUL after it), so AddressSanitizer catches reads past the end.
 */
static int parse_len(const char *text, size_t len, struct episode *ep)
{
    struct show show = test_show();
    char *copy = xmalloc(len);
    int ret;

    memcpy(copy, text, len);
    ret = episode_parse_buffer(&show, EP_PATH, copy, len, ep);
    free(copy);
    return ret;
}

static int parse(const char *text, struct episode *ep)
{
    return parse_len(text, strlen(text), ep);
}

/* Captures what the code under test prints to stderr. */
static FILE *cap_file;
static int cap_saved = -1;

static void capture_start(void)
{
    fflush(stderr);
    cap_file = tmpfile();
    cap_saved = dup(STDERR_FILENO);
    if (!cap_file || cap_saved < 0 ||
        dup2(fileno(cap_file), STDERR_FILENO) < 0)
        die("cannot capture stderr");
}

/* Restores stderr, echoes what was captured and returns it (free it). */
static char *capture_end(void)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[512];
    size_t n;

    fflush(stderr);
    dup2(cap_saved, STDERR_FILENO);
    close(cap_saved);
    cap_saved = -1;
    rewind(cap_file);
    while ((n = fread(buf, 1, sizeof(buf), cap_file)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(cap_file);
    fputs(sb.buf, stderr);
    return strbuf_detach(&sb, NULL);
}

/* Parses 'text', expecting failure; returns the messages printed. */
static char *parse_fail(const char *text)
{
    struct episode ep;
    int ret;

    capture_start();
    ret = parse(text, &ep);
    episode_release(&ep);
    if (ret != PP_ERR_INPUT)
        fprintf(stderr, "(returned %d)\n", ret);
    CHECK_INT(ret, PP_ERR_INPUT);
    return capture_end();
}

#define CHECK_CONTAINS(hay, needle) do { \
        const char *h_ = (hay), *n_ = (needle); \
        harness_checks++; \
        if (!h_ || !strstr(h_, n_)) \
            harness_fail(__FILE__, __LINE__, "\"%s\" does not contain " \
                         "\"%s\"", h_ ? h_ : "(null)", n_); \
    } while (0)

#define CHECK_LACKS(hay, needle) do { \
        const char *h_ = (hay), *n_ = (needle); \
        harness_checks++; \
        if (!h_ || strstr(h_, n_)) \
            harness_fail(__FILE__, __LINE__, "\"%s\" contains \"%s\"", \
                         h_ ? h_ : "(null)", n_); \
    } while (0)

static const char full_episode[] =
    "---\n"                                     /* 1 */
    "title: Mila's story & more\n"              /* 2 */
    "guid: urn:test:001\n"                      /* 3 */
    "date: 2025-10-31T06:00:00\n"               /* 4 */
    "audio: 001-milas.mp3\n"                    /* 5 */
    "season: 2\n"                               /* 6 */
    "episode: 7\n"                              /* 7 */
    "type: bonus\n"                             /* 8 */
    "explicit: true\n"                          /* 9 */
    "summary: A short summary.\n"               /* 10 */
    "transcript: 001-milas.vtt\n"               /* 11 */
    "image: art/001.jpg\n"                      /* 12 */
    "link: https://example.org/001\n"           /* 13 */
    "draft: false\n"                            /* 14 */
    "---\n"                                     /* 15 */
    "Hello **world**.\n";                       /* 16 */

static void test_episode_fields(void)
{
    struct episode ep;

    CHECK_INT(parse(full_episode, &ep), 0);
    CHECK_STR(ep.path, EP_PATH);
    CHECK_STR(ep.name, "001-milas");
    CHECK_STR(ep.title.s, "Mila's story & more");
    CHECK_STR(ep.guid.s, "urn:test:001");
    CHECK_STR(ep.audio.s, "001-milas.mp3");
    CHECK_STR(ep.audio_path, "episodes/001-milas.mp3");
    CHECK_STR(ep.summary.s, "A short summary.");
    CHECK_INT(ep.transcripts_nr, 1);
    CHECK_STR(ep.transcripts[0].file.s, "001-milas.vtt");
    CHECK_STR(ep.transcripts[0].path, "episodes/001-milas.vtt");
    CHECK_STR(ep.transcripts[0].type.s, "text/vtt");
    CHECK(ep.transcripts[0].language.s == NULL);
    CHECK_STR(ep.image.s, "art/001.jpg");
    CHECK_STR(ep.image_path, "episodes/art/001.jpg");
    CHECK_STR(ep.link.s, "https://example.org/001");
    /* Zone-less, so local time in the show's zone (CET in October). */
    CHECK_INT(ep.date.t, OCT31 + 5 * 3600);
    CHECK_INT(ep.date.offset, 3600);
    CHECK(ep.season.set);
    CHECK_INT(ep.season.v, 2);
    CHECK(ep.episode.set);
    CHECK_INT(ep.episode.v, 7);
    CHECK_INT(ep.type, EPISODE_BONUS);
    CHECK(ep.explicit.set);
    CHECK(ep.explicit.v);
    CHECK(ep.draft.set);
    CHECK(!ep.draft.v);
    CHECK(!ep.media.probed);
    CHECK_STR(ep.notes.html, "<p>Hello <strong>world</strong>.</p>");
    CHECK_STR(ep.notes.text, "Hello world.");
    episode_release(&ep);
    CHECK(ep.title.s == NULL);
    CHECK(ep.path == NULL);
}

static void test_episode_positions(void)
{
    struct episode ep;

    CHECK_INT(parse(full_episode, &ep), 0);
    CHECK_STR(ep.title.pos.file, EP_PATH);
    CHECK_INT(ep.title.pos.line, 2);
    CHECK_INT(ep.title.pos.col, 8);
    CHECK_STR(ep.guid.pos.file, EP_PATH);
    CHECK_INT(ep.guid.pos.line, 3);
    CHECK_INT(ep.guid.pos.col, 7);
    CHECK_STR(ep.date_pos.file, EP_PATH);
    CHECK_INT(ep.date_pos.line, 4);
    CHECK_INT(ep.date_pos.col, 7);
    CHECK_INT(ep.audio.pos.line, 5);
    CHECK_INT(ep.audio.pos.col, 8);
    CHECK_INT(ep.season.pos.line, 6);
    CHECK_INT(ep.episode.pos.line, 7);
    CHECK_INT(ep.type_pos.line, 8);
    CHECK_INT(ep.type_pos.col, 7);
    CHECK_INT(ep.explicit.pos.line, 9);
    CHECK_INT(ep.explicit.pos.col, 11);
    CHECK_INT(ep.link.pos.line, 13);
    /* The notes start on the line after the closing '---'. */
    CHECK_INT(ep.notes.line, 16);
    episode_release(&ep);

    CHECK_INT(parse("---\n"
                    "guid: g\n"
                    "\n"
                    "# a comment\n"
                    "title:   \"Quoted\"\n"
                    "audio: a.mp3\n"
                    "date: 2025-10-31\n"
                    "...\n"
                    "\n"
                    "Notes.\n", &ep), 0);
    CHECK_STR(ep.title.s, "Quoted");
    CHECK_INT(ep.title.pos.line, 5);
    CHECK_INT(ep.title.pos.col, 10);
    CHECK_INT(ep.date_pos.line, 7);
    CHECK_INT(ep.notes.line, 9);
    CHECK_STR(ep.notes.text, "Notes.");
    episode_release(&ep);
}

static void test_episode_bom_crlf(void)
{
    static const char text[] =
        "\xef\xbb\xbf---\r\n"
        "title: Windows\r\n"
        "guid: urn:test:crlf\r\n"
        "date: 2025-10-31T06:00:00+01:00\r\n"
        "audio: a b.mp3\r\n"
        "---\r\n"
        "First line\r\n"
        "second line.\r\n"
        "\r\n"
        "Para two.\r\n";
    struct episode ep;

    CHECK_INT(parse(text, &ep), 0);
    CHECK_STR(ep.title.s, "Windows");
    CHECK_STR(ep.guid.s, "urn:test:crlf");
    CHECK_STR(ep.audio.s, "a b.mp3");
    CHECK_INT(ep.date.t, OCT31 + 5 * 3600);
    /* The BOM shifts neither lines nor columns. */
    CHECK_INT(ep.title.pos.line, 2);
    CHECK_INT(ep.title.pos.col, 8);
    CHECK_INT(ep.guid.pos.line, 3);
    CHECK_STR(ep.notes.text, "First line second line.\n\nPara two.");
    CHECK(ep.notes.html && !strchr(ep.notes.html, '\r'));
    episode_release(&ep);

    /* A BOM alone, LF line ends. */
    CHECK_INT(parse("\xef\xbb\xbf---\ntitle: T\nguid: g\ndate: 2025-10-31\n"
                    "audio: a.mp3\n---\n", &ep), 0);
    CHECK_STR(ep.title.s, "T");
    episode_release(&ep);
}

static void test_episode_minimal(void)
{
    static const char text[] =
        "---\ntitle: T\nguid: g-1\ndate: 2025-07-01\naudio: a.mp3\n---\n";
    struct show show = test_show();
    struct episode ep;

    CHECK_INT(parse(text, &ep), 0);
    CHECK_INT(ep.type, EPISODE_FULL);
    CHECK(!ep.explicit.set);
    CHECK(!ep.draft.set);
    CHECK(!ep.draft.v);
    CHECK(!ep.season.set);
    CHECK(!ep.episode.set);
    CHECK(ep.summary.s == NULL);
    CHECK_INT(ep.transcripts_nr, 0);
    CHECK(ep.image_path == NULL);
    CHECK(ep.link.s == NULL);
    /* Midnight CEST. */
    CHECK_INT(ep.date.t, INT64_C(1751328000) - 7200);
    CHECK_INT(ep.date.offset, 7200);
    /* No notes: empty strings, not NULL (the feed tests *notes.text). */
    CHECK_STR(ep.notes.text, "");
    CHECK_STR(ep.notes.html, "");
    /* Without its own flag the episode takes the show's. */
    show.explicit.v = true;
    CHECK(episode_explicit(&show, &ep));
    show.explicit.v = false;
    CHECK(!episode_explicit(&show, &ep));
    episode_release(&ep);

    CHECK_INT(parse("---\ntitle: T\nguid: g\ndate: 2025-07-01\naudio: a.mp3\n"
                    "explicit: false\ntype: trailer\ndraft: true\n"
                    "transcript: t.srt\n---\n", &ep), 0);
    show.explicit.v = true;
    CHECK(!episode_explicit(&show, &ep));
    CHECK_INT(ep.type, EPISODE_TRAILER);
    CHECK(ep.draft.v);
    CHECK_STR(ep.transcripts[0].type.s, "application/x-subrip");
    episode_release(&ep);

    /* transcripts: a list, after transcript:, with language and rel. */
    CHECK_INT(parse("---\ntitle: T\nguid: g\ndate: 2025-07-01\naudio: a.mp3\n"
                    "transcript: t.vtt\ntranscripts:\n  - {file: t.en.vtt, "
                    "language: en, rel: captions}\n  - t.json\n---\n", &ep), 0);
    CHECK_INT(ep.transcripts_nr, 3);
    CHECK_STR(ep.transcripts[1].path, "episodes/t.en.vtt");
    CHECK_STR(ep.transcripts[1].language.s, "en");
    CHECK_STR(ep.transcripts[1].rel.s, "captions");
    CHECK_STR(ep.transcripts[2].type.s, "application/json");
    episode_release(&ep);

    /* The name drops ".md" only. */
    {
        struct episode e2;

        CHECK_INT(episode_parse_buffer(&show, "x/002-b.markdown", text,
                                       strlen(text), &e2), 0);
        CHECK_STR(e2.name, "002-b.markdown");
        episode_release(&e2);
    }
}

static void test_notes_html(void)
{
    static const char text[] =
        "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
        "Some **bold** and *em* & <b>raw</b>.\n"
        "\n"
        "<script>alert(1)</script>\n"
        "\n"
        "[safe](https://example.org/?a=1&b=2) [evil](javascript:alert(2))\n"
        "\n"
        "<iframe src=\"https://evil.example\"></iframe>\n";
    struct episode ep;

    CHECK_INT(parse(text, &ep), 0);
    CHECK_CONTAINS(ep.notes.html, "<strong>bold</strong>");
    CHECK_CONTAINS(ep.notes.html, "<em>em</em>");
    CHECK_CONTAINS(ep.notes.html, "&amp;");
    CHECK_CONTAINS(ep.notes.html,
                   "<a href=\"https://example.org/?a=1&amp;b=2\">safe</a>");
    CHECK_LACKS(ep.notes.html, "<script");
    CHECK_LACKS(ep.notes.html, "<b>");
    CHECK_LACKS(ep.notes.html, "<iframe");
    CHECK_LACKS(ep.notes.html, "javascript:");
    CHECK(ep.notes.html && ep.notes.html[strlen(ep.notes.html) - 1] != '\n');
    CHECK_LACKS(ep.notes.text, "**");
    CHECK_LACKS(ep.notes.text, "<script");
    CHECK_CONTAINS(ep.notes.text, "Some bold and em & ");
    episode_release(&ep);
}

/* notes_render() on its own: Markdown to plain text. */
static void test_notes_text(void)
{
    struct notes n;
    static const char md[] =
        "# Heading\n"
        "\n"
        "Intro with a [link](https://example.org/x) and "
        "<https://example.org/y>.\n"
        "\n"
        "- one\n"
        "- two *em*\n"
        "\n"
        "3. third\n"
        "4. fourth\n"
        "\n"
        "Soft\n"
        "break and hard  \n"
        "break.\n"
        "\n"
        "    code block\n"
        "\n"
        "Last `code`.\n";

    memset(&n, 0, sizeof(n));
    notes_render(&n, md, strlen(md));
    CHECK_CONTAINS(n.text, "Heading\n\nIntro with a link "
                   "(https://example.org/x) and https://example.org/y.");
    CHECK_CONTAINS(n.text, "- one\n- two em");
    CHECK_CONTAINS(n.text, "3. third\n4. fourth");
    CHECK_CONTAINS(n.text, "Soft break and hard\nbreak.");
    CHECK_CONTAINS(n.text, "code block");
    CHECK(n.text && ends_with(n.text, "\n\nLast code."));
    CHECK_LACKS(n.text, "#");
    CHECK_LACKS(n.text, "*");
    CHECK_LACKS(n.text, "`");
    CHECK_CONTAINS(n.html, "<ol start=\"3\">");
    CHECK_CONTAINS(n.html, "<h1>Heading</h1>");
    free(n.html);
    free(n.text);

    /* Nested lists and a list right after a paragraph. */
    memset(&n, 0, sizeof(n));
    {
        static const char nested[] = "1. a\n2. b\n   - b1\n   - b2\n3. c\n";

        notes_render(&n, nested, strlen(nested));
    }
    CHECK_CONTAINS(n.text, "1. a\n2. b");
    CHECK_CONTAINS(n.text, "- b1\n- b2");
    CHECK_CONTAINS(n.text, "3. c");
    free(n.html);
    free(n.text);

    memset(&n, 0, sizeof(n));
    notes_render(&n, "", 0);
    CHECK_STR(n.html, "");
    CHECK_STR(n.text, "");
    free(n.html);
    free(n.text);

    memset(&n, 0, sizeof(n));
    notes_render(&n, "x ]]> y", 7);
    CHECK_STR(n.text, "x ]]> y");
    CHECK_STR(n.html, "<p>x ]]&gt; y</p>");
    free(n.html);
    free(n.text);
}

static void test_episode_errors(void)
{
    static const struct {
        const char *what, *text;
    } bad[] = {
        { "no front matter", "title: T\nguid: g\n" },
        { "text before front matter", "\n---\ntitle: T\n---\n" },
        { "front matter not closed",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n" },
        { "empty front matter", "---\n---\nNotes.\n" },
        { "front matter is a list", "---\n- a\n- b\n---\n" },
        { "front matter is a scalar", "---\njust text\n---\n" },
        { "invalid YAML",
          "---\ntitle: [T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "unknown key",
          "---\ntitel: T\ntitle: T\nguid: g\ndate: 2025-10-31\n"
          "audio: a.mp3\n---\n" },
        { "explicit: yes",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "explicit: yes\n---\n" },
        { "explicit quoted",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "explicit: \"true\"\n---\n" },
        { "draft: 1",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "draft: 1\n---\n" },
        { "missing title",
          "---\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "empty title",
          "---\ntitle:\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "blank title",
          "---\ntitle: \"  \"\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "---\n" },
        { "title is a list",
          "---\ntitle: [a, b]\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "---\n" },
        { "missing guid",
          "---\ntitle: T\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "empty guid",
          "---\ntitle: T\nguid:\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        /* Inner spaces are allowed (imported guids have them). */
        { "guid with a trailing space",
          "---\ntitle: T\nguid: \"a \"\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "guid with a tab",
          "---\ntitle: T\nguid: \"a\\tb\"\ndate: 2025-10-31\naudio: a.mp3\n---\n" },
        { "missing date",
          "---\ntitle: T\nguid: g\naudio: a.mp3\n---\n" },
        { "bad date",
          "---\ntitle: T\nguid: g\ndate: 31-10-2025\naudio: a.mp3\n---\n" },
        { "date in the DST gap",
          "---\ntitle: T\nguid: g\ndate: 2025-03-30T02:30:00\n"
          "audio: a.mp3\n---\n" },
        { "missing audio",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\n---\n" },
        { "audio outside episodes/",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: ../a.mp3\n---\n" },
        { "absolute audio",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: /a.mp3\n---\n" },
        { "audio URL",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\n"
          "audio: https://x.org/a.mp3\n---\n" },
        { "bad type",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "type: special\n---\n" },
        { "season 0",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "season: 0\n---\n" },
        { "season quoted",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "season: \"2\"\n---\n" },
        { "episode 1.5",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "episode: 1.5\n---\n" },
        { "episode negative",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "episode: -3\n---\n" },
        { "episode huge",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "episode: 99999999999999999999999\n---\n" },
        { "link not http",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "link: ftp://example.org/x\n---\n" },
        { "transcript type",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "transcript: t.pdf\n---\n" },
        { "duplicate key",
          "---\ntitle: T\nguid: g\ntitle: U\ndate: 2025-10-31\n"
          "audio: a.mp3\n---\n" },
        { "alias",
          "---\ntitle: &t T\nguid: *t\ndate: 2025-10-31\naudio: a.mp3\n"
          "---\n" },
        { "control character in title",
          "---\ntitle: \"a\\x07b\"\nguid: g\ndate: 2025-10-31\n"
          "audio: a.mp3\n---\n" },
        { "invalid UTF-8 in title",
          "---\ntitle: caf\xe9\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
          "---\n" },
        { "control character in notes",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
          "Ding\x07!\n" },
        { "C1 control in notes",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
          "x\xc2\x85y\n" },
        { "invalid UTF-8 in notes",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
          "caf\xe9\n" },
        { "U+FFFE in notes",
          "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
          "\xef\xbf\xbe\n" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        unsigned before = input_error_count;
        struct episode ep;
        int ret = parse(bad[i].text, &ep);

        if (ret != PP_ERR_INPUT)
            fprintf(stderr, "  (%s: returned %d)\n", bad[i].what, ret);
        CHECK_INT(ret, PP_ERR_INPUT);
        /* Every refusal is reported: none may be silent. */
        if (input_error_count == before)
            fprintf(stderr, "  (%s: refused without a message)\n",
                    bad[i].what);
        CHECK(input_error_count > before);
        episode_release(&ep);
    }
}

static void test_episode_nul(void)
{
    static const char text[] =
        "---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n---\n"
        "a\0b\n";
    struct episode ep;
    char *msg;

    capture_start();
    CHECK_INT(parse_len(text, sizeof(text) - 1, &ep), PP_ERR_INPUT);
    episode_release(&ep);
    msg = capture_end();
    CHECK_CONTAINS(msg, EP_PATH ":7:2:");
    free(msg);
}

/* Messages name the file, line and column of the offending value. */
static void test_episode_error_messages(void)
{
    char *msg;

    msg = parse_fail("---\ntitle: T\nguid: g\ndate: 31-10-2025\n"
                     "audio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":4:7: date: ");
    CHECK_CONTAINS(msg, "31-10-2025");
    free(msg);

    msg = parse_fail("---\ntitel: T\ntitle: T\nguid: g\ndate: 2025-10-31\n"
                     "audio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":2:1: ");
    CHECK_CONTAINS(msg, "did you mean 'title'");
    free(msg);

    msg = parse_fail("---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
                     "explicit: yes\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":6:11: explicit: ");
    free(msg);

    msg = parse_fail("---\ntitle: T\ndate: 2025-10-31\naudio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, "guid: missing");
    free(msg);

    /* "guid:" with no value is refused, and must say so. */
    msg = parse_fail("---\ntitle: T\nguid:\ndate: 2025-10-31\n"
                     "audio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":3:");
    CHECK_CONTAINS(msg, "guid");
    free(msg);

    msg = parse_fail("title: T\n");
    CHECK_CONTAINS(msg, EP_PATH ":1:1: ");
    CHECK_CONTAINS(msg, "front matter");
    free(msg);

    msg = parse_fail("---\ntitle: T\nguid: g\ntitle: U\ndate: 2025-10-31\n"
                     "audio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":4:1: title: duplicate key (first at line 2)");
    free(msg);

    /* Notes problems point into the notes: line 8, column 5 ("Ding" + BEL). */
    msg = parse_fail("---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
                     "---\nFirst.\nDing\x07!\n");
    CHECK_CONTAINS(msg, EP_PATH ":8:5: notes: ");
    CHECK_CONTAINS(msg, "U+0007");
    free(msg);

    /* A C1 control is named by its code point, not its first byte. */
    msg = parse_fail("---\ntitle: T\nguid: g\ndate: 2025-10-31\naudio: a.mp3\n"
                     "---\n\xc3\xa9x\xc2\x85y\n");
    CHECK_CONTAINS(msg, EP_PATH ":7:3: notes: ");
    CHECK_CONTAINS(msg, "U+0085");
    free(msg);

    msg = parse_fail("---\ntitle: \"x\\u0085y\"\nguid: g\ndate: 2025-10-31\n"
                     "audio: a.mp3\n---\n");
    CHECK_CONTAINS(msg, EP_PATH ":2:8: title: ");
    CHECK_CONTAINS(msg, "U+0085");
    free(msg);
}

/* A node that ytree_load() must overwrite with NULL when it fails. */
static struct ynode sentinel;

/* Runs ytree_load() on a heap copy of exactly 'len' bytes. */
static int yload(const char *text, int line_offset, struct ynode **root)
{
    size_t len = strlen(text);
    char *copy = xmalloc(len);
    int ret;

    memcpy(copy, text, len);
    ret = ytree_load("t.yaml", copy, len, line_offset, root);
    free(copy);
    return ret;
}

static void test_yaml_tree(void)
{
    static const char text[] =
        "title: Hi\n"                   /* 1 */
        "list:\n"                       /* 2 */
        "  - one\n"                     /* 3 */
        "  - 'two'\n"                   /* 4 */
        "owner:\n"                      /* 5 */
        "  name: \"N\\0M\"\n"           /* 6 */
        "empty:\n"                      /* 7 */
        "tilde: ~\n"                    /* 8 */
        "qnull: 'null'\n";              /* 9 */
    struct ynode *root = NULL, *n;

    CHECK_INT(yload(text, 0, &root), 0);
    CHECK(root != NULL);
    if (!root)
        return;
    CHECK_INT(root->type, YNODE_MAP);
    CHECK_INT(root->nr, 12);
    CHECK_STR(root->pos.file, "t.yaml");

    n = ytree_get(root, "title");
    CHECK(n && n->type == YNODE_SCALAR && n->plain);
    CHECK_STR(n ? n->value : NULL, "Hi");
    CHECK_INT(n ? n->pos.line : 0, 1);
    CHECK_INT(n ? n->pos.col : 0, 8);
    CHECK_INT(root->items[0]->pos.line, 1);
    CHECK_INT(root->items[0]->pos.col, 1);

    n = ytree_get(root, "list");
    CHECK(n && n->type == YNODE_SEQ && n->nr == 2);
    if (n && n->nr == 2) {
        CHECK_STR(n->items[0]->value, "one");
        CHECK(n->items[0]->plain);
        CHECK_INT(n->items[0]->pos.line, 3);
        CHECK_INT(n->items[0]->pos.col, 5);
        CHECK_STR(n->items[1]->value, "two");
        CHECK(!n->items[1]->plain);
        CHECK_STR(ytree_kind(n), "a list");
    }
    n = ytree_get(ytree_get(root, "owner"), "name");
    CHECK(n != NULL);
    if (n) {
        CHECK_INT(n->len, 3);
        CHECK(!memcmp(n->value, "N\0M", 4));
        CHECK_INT(n->pos.line, 6);
        CHECK_INT(n->pos.col, 9);
    }
    CHECK_STR(ytree_kind(ytree_get(root, "owner")), "a mapping");
    CHECK_STR(ytree_kind(ytree_get(root, "title")), "a string");
    CHECK(ytree_is_null(ytree_get(root, "empty")));
    CHECK(ytree_is_null(ytree_get(root, "tilde")));
    CHECK(!ytree_is_null(ytree_get(root, "qnull")));
    CHECK(!ytree_is_null(ytree_get(root, "title")));
    CHECK(ytree_get(root, "nope") == NULL);
    CHECK(ytree_get(ytree_get(root, "title"), "x") == NULL);
    CHECK(ytree_get(NULL, "x") == NULL);
    ytree_free(root);

    /* The offset moves lines only. */
    CHECK_INT(yload(text, 5, &root), 0);
    n = ytree_get(root, "title");
    CHECK_INT(n ? n->pos.line : 0, 6);
    CHECK_INT(n ? n->pos.col : 0, 8);
    n = ytree_get(root, "list");
    CHECK_INT(n && n->nr ? n->items[0]->pos.line : 0, 8);
    ytree_free(root);

    ytree_free(NULL);
}

static void test_yaml_empty(void)
{
    struct ynode *root = &sentinel;

    CHECK_INT(yload("", 0, &root), 0);
    CHECK(root == NULL);
    root = &sentinel;
    CHECK_INT(yload("# only a comment\n", 0, &root), 0);
    CHECK(root == NULL);
    CHECK_INT(yload("just text", 0, &root), 0);
    CHECK(root && root->type == YNODE_SCALAR);
    ytree_free(root);
}

static void test_yaml_refusals(void)
{
    static const char *const bad[] = {
        "a: &x 1\nb: *x\n",
        "a: &x [1, 2]\nb: [*x, *x]\n",
        "base: &b {k: v}\nderived:\n  <<: *b\n",
        "a: 1\nb: 2\na: 3\n",
        "m:\n  x: 1\n  y: 2\n  x: 2\n",
        "a: 1\n'a': 2\n",
        "a: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "? [a, b]\n: 1\n",
        "? {a: 1}\n: 1\n",
        NULL,
    };

    for (const char *const *s = bad; *s; s++) {
        struct ynode *root = &sentinel;
        int ret = yload(*s, 0, &root);

        if (ret != PP_ERR_INPUT)
            fprintf(stderr, "  (accepted: %s)\n", *s);
        CHECK_INT(ret, PP_ERR_INPUT);
        CHECK(root == NULL);
    }
}

static void test_yaml_messages(void)
{
    struct ynode *root;
    char *msg;

    capture_start();
    CHECK_INT(yload("x: 1\na: &x 1\nb: *x\n", 10, &root), PP_ERR_INPUT);
    msg = capture_end();
    CHECK_CONTAINS(msg, "t.yaml:13:4: ");
    CHECK_CONTAINS(msg, "alias");
    free(msg);

    capture_start();
    CHECK_INT(yload("a: 1\nb: 2\n\n  # c\na: 3\n", 1, &root), PP_ERR_INPUT);
    msg = capture_end();
    CHECK_CONTAINS(msg, "t.yaml:6:1: a: duplicate key (first at line 2)");
    free(msg);
}

/*
 * Large mappings find duplicates through a hash of their keys: every
 * position of the repeated key, keys that collide in length and prefix,
 * and maps nested in maps each with their own keys.
 */
static void test_yaml_duplicates_large(void)
{
    static const size_t sizes[] = { 7, 8, 9, 64, 65, 1000, 20000 };

    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        size_t n = sizes[s];
        size_t dups[] = { 0, n / 2, n - 1 };

        for (size_t d = 0; d < ARRAY_SIZE(dups); d++) {
            struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
            struct ynode *root;
            char *msg;

            strbuf_addstr(&sb, "files:\n");
            for (size_t i = 0; i < n; i++)
                strbuf_addf(&sb, "  k%zu: {a: 1, b: 2}\n", i);
            strbuf_addf(&sb, "  k%zu: {a: 1}\n", dups[d]);
            capture_start();
            CHECK_INT(yload(sb.buf, 0, &root), PP_ERR_INPUT);
            msg = capture_end();
            strbuf_addf(&want, "t.yaml:%zu:3: k%zu: duplicate key (first at "
                        "line %zu)", n + 2, dups[d], dups[d] + 2);
            CHECK_CONTAINS(msg, want.buf);
            free(msg);
            strbuf_release(&want);

            /* Without the repeat, all keys are distinct: accepted. */
            strbuf_setlen(&sb, sb.len - strlen(strrchr(sb.buf, 'k') ?
                                              strrchr(sb.buf, 'k') : ""));
            CHECK_INT(yload(sb.buf, 0, &root), 0);
            CHECK_INT(ytree_get(root, "files")->nr, 2 * n);
            ytree_free(root);
            strbuf_release(&sb);
        }
    }
}

/* Builds flow sequences nested 'depth' deep: "[[[x]]]". */
static char *nested_flow(int depth)
{
    struct strbuf sb = STRBUF_INIT;

    for (int i = 0; i < depth; i++)
        strbuf_addch(&sb, '[');
    strbuf_addch(&sb, 'x');
    for (int i = 0; i < depth; i++)
        strbuf_addch(&sb, ']');
    return strbuf_detach(&sb, NULL);
}

/* Builds block mappings nested 'depth' deep: "k:\n k:\n  k: x". */
static char *nested_block(int depth)
{
    struct strbuf sb = STRBUF_INIT;

    for (int i = 0; i < depth; i++) {
        for (int j = 0; j < i; j++)
            strbuf_addch(&sb, ' ');
        strbuf_addstr(&sb, i == depth - 1 ? "k: x\n" : "k:\n");
    }
    return strbuf_detach(&sb, NULL);
}

static void test_yaml_depth(void)
{
    struct ynode *root = NULL;
    char *s;

    s = nested_flow(YAML_MAX_DEPTH);
    CHECK_INT(yload(s, 0, &root), 0);
    CHECK(root && root->type == YNODE_SEQ);
    ytree_free(root);
    free(s);

    s = nested_flow(YAML_MAX_DEPTH + 1);
    root = &sentinel;
    CHECK_INT(yload(s, 0, &root), PP_ERR_INPUT);
    CHECK(root == NULL);
    free(s);

    s = nested_flow(1000);
    root = &sentinel;
    CHECK_INT(yload(s, 0, &root), PP_ERR_INPUT);
    CHECK(root == NULL);
    free(s);

    s = nested_block(YAML_MAX_DEPTH);
    CHECK_INT(yload(s, 0, &root), 0);
    CHECK(root && root->type == YNODE_MAP);
    ytree_free(root);
    free(s);

    s = nested_block(YAML_MAX_DEPTH + 1);
    root = &sentinel;
    CHECK_INT(yload(s, 0, &root), PP_ERR_INPUT);
    CHECK(root == NULL);
    free(s);
}

/*
 * Checks apple_category_valid() for 'name' and 'sub': 'want' is the
 * suggestion expected when it is refused (NULL for none).
 */
static void check_category(int line, const char *name, const char *sub,
                           bool valid, const char *want)
{
    char *sug = (char *)"unset";
    bool ok = apple_category_valid(name, sub, &sug);

    harness_checks++;
    if (ok != valid)
        harness_fail(__FILE__, line, "\"%s\"/\"%s\" valid == %d, want %d",
                     name, sub ? sub : "(null)", ok, valid);
    if ((!want && sug) || (want && (!sug || strcmp(sug, want))))
        harness_fail(__FILE__, line, "\"%s\"/\"%s\": suggestion \"%s\", "
                     "want \"%s\"", name, sub ? sub : "(null)",
                     sug ? sug : "(null)", want ? want : "(null)");
    if (sug && strcmp(sug, "unset"))
        free(sug);
}

#define CATEGORY(name, sub, valid, want) \
    check_category(__LINE__, (name), (sub), (valid), (want))

static void test_apple_categories(void)
{
    CATEGORY("Technology", NULL, true, NULL);
    CATEGORY("Arts", "Design", true, NULL);
    CATEGORY("Arts", NULL, true, NULL);
    CATEGORY("Society & Culture", "Documentary", true, NULL);
    CATEGORY("Leisure", "Video Games", true, NULL);
    CATEGORY("News", "Tech News", true, NULL);
    CATEGORY("TV & Film", NULL, true, NULL);
    CATEGORY("Religion & Spirituality", "Islam", true, NULL);
    CATEGORY("True Crime", NULL, true, NULL);

    /* Wrong case: the right spelling, with the subcategory kept. */
    CATEGORY("technology", NULL, false, "Technology");
    CATEGORY("society & culture", NULL, false, "Society & Culture");
    CATEGORY("Arts", "design", false, "Arts/Design");
    CATEGORY("leisure", "video games", false, "Leisure/Video Games");
    /* Typos: the nearest name. */
    CATEGORY("Tecnology", NULL, false, "Technology");
    CATEGORY("Comdy", NULL, false, "Comedy");
    CATEGORY("Arts", "Desgin", false, "Arts/Design");
    CATEGORY("Sports", "Socer", false, "Sports/Soccer");
    CATEGORY("Sprots", "Soccer", false, "Sports/Soccer");
    /* Retired names from Apple's old list: their replacements. */
    CATEGORY("Games & Hobbies", NULL, false, "Leisure/Games");
    CATEGORY("Arts", "Literature", false, "Arts/Books");
    CATEGORY("Technology", "Gadgets", false, "Technology");
    CATEGORY("Technology", "Tech News", false, "News/Tech News");
    CATEGORY("news & politics", NULL, false, "News");
    /* Nothing close: no suggestion, or only the category. */
    CATEGORY("Spaceships", NULL, false, NULL);
    CATEGORY("", NULL, false, NULL);
    CATEGORY("Arts", "Spaceships", false, "Arts");
    CATEGORY("History", "Ancient", false, "History");
}

static const struct harness_test tests[] = {
    TEST(test_episode_fields),
    TEST(test_episode_positions),
    TEST(test_episode_bom_crlf),
    TEST(test_episode_minimal),
    TEST(test_notes_html),
    TEST(test_notes_text),
    TEST(test_episode_errors),
    TEST(test_episode_nul),
    TEST(test_episode_error_messages),
    TEST(test_yaml_tree),
    TEST(test_yaml_empty),
    TEST(test_yaml_refusals),
    TEST(test_yaml_messages),
    TEST(test_yaml_duplicates_large),
    TEST(test_yaml_depth),
    TEST(test_apple_categories),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
