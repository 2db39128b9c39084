/*
 * podpub import's pieces that need no network: show notes from HTML to
 * Markdown (a golden table of tricky notes), each also checked the way
 * import checks every note, by rendering the Markdown back with cmark.
 */
#include <string.h>

#include "harness.h"
#include "podpub/feedread.h"
#include "podpub/import.h"

static const struct {
    const char *html, *md;
} notes[] = {
    { "<p>One <b>bold</b> and <i>it</i>.</p><p>Two<br>lines<br/></p>",
      "One **bold** and *it*.\n"
          "\n"
          "Two\\\n"
          "lines" },
    { "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>",
      "- a\n"
          "  - b\n"
          "  - c\n"
          "- d" },
    { "<ol start=\"3\"><li><p>x</p><p>y</p></li><li>z</li></ol>",
      "3. x\n"
          "\n"
          "   y\n"
          "4. z" },
    { "<p><a href=\"https://e.org/a b?x=1&amp;y=(2)\" title=\"T &quot;q&quot;\">link</a> and <a href=\"javascript:alert(1)\">js</a></p>",
      "[link](<https://e.org/a%20b?x=1&y=(2)> \"T \\\"q\\\"\") and js" },
    { "AT&amp;T &amp;copy; 5 * 3 _x_ [y] #tag <script>alert(1)</script><style>p{}</style>",
      "AT\\&T \\&copy; 5 \\* 3 \\_x\\_ \\[y\\] \\#tag" },
    { "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
      "A \\| B\\\n"
          "1 \\| 2" },
    { "<blockquote><p>q1</p><p>q2</p></blockquote>",
      "> q1\n"
          ">\n"
          "> q2" },
    { "<pre>code\n"
          "  ``x``\n"
          "</pre>",
      "```\n"
          "code\n"
          "  ``x``\n"
          "```" },
    { "<h2>Head <em>ing</em></h2><hr>after",
      "## Head *ing*\n"
          "\n"
          "* * *\n"
          "\n"
          "after" },
    { "Plain text\n"
          "second line\n"
          "\n"
          "1. not a list\n"
          "- nor this",
      "Plain text\\\n"
          "second line\n"
          "\n"
          "1\\. not a list\\\n"
          "\\- nor this" },
    { "<p><code>a`b</code> <em> spaced </em>x</p>",
      "``a`b`` *spaced* x" },
    { "<div><p>in div</p>tail</div>",
      "in div\n"
          "\n"
          "tail" },
    { "<p>Unclosed <b>bold <i>both</p><p>next",
      "Unclosed **bold *both***\n"
          "\n"
          "next" },
    { "<p>&lt;not a tag&gt; &amp; 1 &lt; 2</p>",
      "\\<not a tag\\> & 1 \\< 2" },
    { "<p>Dutch „quotes“ é ë — and emoji 🎧</p>",
      "Dutch „quotes“ é ë — and emoji 🎧" },
    { "<p><img src=\"x.jpg\" alt=\"cover\"> <iframe src=\"https://e.org\"></iframe>Watch</p>",
      "Watch" },
    { "<p><a href=\"mailto:a@example.org\">mail</a> <a href=\"/relative\">rel</a> <a href=\"https://e.org/\"></a></p>",
      "[mail](<mailto:a@example.org>) rel" },
    { "<ol><li>one</li><li>two<ol><li>two.a</li></ol></li></ol>",
      "1. one\n"
          "2. two\n"
          "   1. two.a" },
    { "<p>2024. A year</p><p>+ plus - minus</p>",
      "2024\\. A year\n"
          "\n"
          "\\+ plus - minus" },
    { "<h7>not a heading</h7><p>x</p>",
      "not a heading\n"
          "\n"
          "x" },
};

static void test_html_to_markdown(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(notes); i++) {
        struct strbuf md = STRBUF_INIT;

        html_to_markdown(notes[i].html, strlen(notes[i].html), &md);
        CHECK_STR(md.buf, notes[i].md);
        CHECK(import_notes_same(notes[i].html, md.buf));
        strbuf_release(&md);
    }
}

/*
 * Deep nesting is read as text past MAX_DEPTH, in bounded time and stack;
 * past libxml2's own limit (256 levels in 2.9) the parser stops, and the
 * walk must still end.
 */
static void test_html_deep(void)
{
    struct strbuf html = STRBUF_INIT, md = STRBUF_INIT;

    for (int i = 0; i < 80; i++)
        strbuf_addstr(&html, "<blockquote><em>");
    strbuf_addstr(&html, "deep");
    html_to_markdown(html.buf, html.len, &md);
    CHECK(strstr(md.buf, "deep") != NULL);
    CHECK(import_notes_same(html.buf, md.buf));
    strbuf_reset(&md);
    for (int i = 0; i < 20000; i++)
        strbuf_addstr(&html, "<ul><li><blockquote><em>");
    html_to_markdown(html.buf, html.len, &md);
    CHECK(strstr(md.buf, "deep") != NULL);
    strbuf_release(&html);
    strbuf_release(&md);
}

/* The check import runs on every note does notice lost text. */
static void test_notes_differ(void)
{
    CHECK(!import_notes_same("<p>one two</p>", "one"));
    CHECK(import_notes_same("<p>one <b>two</b></p>", "one **two**"));
}

static const struct harness_test tests[] = {
    TEST(test_html_to_markdown),
    TEST(test_html_deep),
    TEST(test_notes_differ),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
