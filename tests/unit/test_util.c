/*
 * Unit tests for src/util: the strbuf, reading and atomically writing
 * files (limits, directories, FIFOs), the UTF-8 check that guards every
 * text going into the feed, typo suggestions and URL building.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "podpub/fileid.h"
#include "podpub/json.h"
#include "podpub/path.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"

/*
 * Makes a fresh scratch directory in $TMPDIR (or /tmp) into 'dir'; each
 * test that uses one removes what it made, then the directory.
 */
static void scratch_make(char dir[256])
{
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, 256, "%s/podpub-util-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        die("cannot create a scratch directory: %s", strerror(errno));
}

static void write_plain(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        die("cannot write '%s'", path);
}

static void test_strbuf_init(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct strbuf sb2;

    CHECK(sb.buf != NULL);
    CHECK_STR(sb.buf, "");
    CHECK_INT(sb.len, 0);
    CHECK_INT(sb.alloc, 0);

    memset(&sb2, 0xff, sizeof(sb2));
    strbuf_init(&sb2);
    CHECK(sb2.buf != NULL);
    CHECK_STR(sb2.buf, "");
    CHECK_INT(sb2.len, 0);
    CHECK_INT(sb2.alloc, 0);

    /* Operations that change nothing must not write to the shared "". */
    strbuf_add(&sb, "x", 0);
    strbuf_rtrim(&sb);
    strbuf_reset(&sb);
    CHECK(sb.buf != NULL);
    CHECK_INT(sb.len, 0);
    CHECK_INT(strbuf_empty[0], 0);
    strbuf_release(&sb);
    CHECK(sb.buf != NULL);
    CHECK_STR(sb.buf, "");
    strbuf_release(&sb);    /* twice is fine */
    CHECK_INT(sb.alloc, 0);
}

static void test_strbuf_add(void)
{
    struct strbuf sb = STRBUF_INIT;
    char big[300];

    strbuf_add(&sb, "abc", 3);
    CHECK_INT(sb.len, 3);
    CHECK_STR(sb.buf, "abc");
    CHECK(sb.alloc > sb.len);
    strbuf_addstr(&sb, "def");
    strbuf_addch(&sb, '!');
    CHECK_STR(sb.buf, "abcdef!");
    CHECK_INT(sb.len, 7);

    /* Embedded NULs count in 'len' and the buffer stays terminated. */
    strbuf_add(&sb, "x\0y", 3);
    CHECK_INT(sb.len, 10);
    CHECK(memcmp(sb.buf + 7, "x\0y", 3) == 0);
    CHECK_INT(sb.buf[10], 0);

    strbuf_setlen(&sb, 3);
    CHECK_STR(sb.buf, "abc");
    strbuf_reset(&sb);
    CHECK_STR(sb.buf, "");
    CHECK_INT(sb.len, 0);

    /* Growth across several reallocations keeps every byte. */
    for (int i = 0; i < 1000; i++)
        strbuf_addch(&sb, 'a' + i % 26);
    CHECK_INT(sb.len, 1000);
    CHECK_INT(strlen(sb.buf), 1000);
    CHECK_INT(sb.buf[0], 'a');
    CHECK_INT(sb.buf[999], 'a' + 999 % 26);
    CHECK(sb.alloc > 1000);

    memset(big, 'z', sizeof(big));
    strbuf_reset(&sb);
    strbuf_add(&sb, big, sizeof(big));
    CHECK_INT(sb.len, sizeof(big));
    CHECK_INT(sb.buf[sizeof(big)], 0);
    strbuf_release(&sb);
    CHECK_INT(sb.len, 0);
    CHECK_INT(sb.alloc, 0);
    CHECK_STR(sb.buf, "");
}

static void test_strbuf_addf(void)
{
    struct strbuf sb = STRBUF_INIT;
    char *want;

    strbuf_addf(&sb, "%d-%s", 42, "x");
    CHECK_STR(sb.buf, "42-x");
    CHECK_INT(sb.len, 4);
    strbuf_addf(&sb, "%s", "");
    CHECK_STR(sb.buf, "42-x");
    CHECK_INT(sb.len, 4);
    /* Longer than any first allocation: must grow, not truncate. */
    strbuf_addf(&sb, "|%0200d|", 7);
    CHECK_INT(sb.len, 4 + 202);
    CHECK_INT(strlen(sb.buf), 4 + 202);
    CHECK_INT(sb.buf[sb.len - 2], '7');
    CHECK_INT(sb.buf[sb.len - 1], '|');
    CHECK_INT(sb.buf[5], '0');

    strbuf_reset(&sb);
    for (int i = 0; i < 100; i++)
        strbuf_addf(&sb, "%03d,", i);
    CHECK_INT(sb.len, 400);
    CHECK(!strncmp(sb.buf, "000,001,002,", 12));
    CHECK(!strcmp(sb.buf + 392, "098,099,"));

    want = xstrfmt("%s=%u", "n", 5u);
    CHECK_STR(want, "n=5");
    free(want);
    strbuf_release(&sb);
}

static void test_strbuf_rtrim(void)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_addstr(&sb, "a b \t\r\n \n");
    strbuf_rtrim(&sb);
    CHECK_STR(sb.buf, "a b");
    CHECK_INT(sb.len, 3);
    strbuf_rtrim(&sb);
    CHECK_STR(sb.buf, "a b");

    strbuf_reset(&sb);
    strbuf_addstr(&sb, " \t\n");
    strbuf_rtrim(&sb);
    CHECK_STR(sb.buf, "");
    CHECK_INT(sb.len, 0);

    strbuf_reset(&sb);
    strbuf_addstr(&sb, "  lead");
    strbuf_rtrim(&sb);
    CHECK_STR(sb.buf, "  lead");

    /* A NUL byte is not white space: it stays, and so does what precedes. */
    strbuf_reset(&sb);
    strbuf_add(&sb, "ab \0", 4);
    strbuf_rtrim(&sb);
    CHECK_INT(sb.len, 4);
    strbuf_release(&sb);
}

static void test_strbuf_detach(void)
{
    struct strbuf sb = STRBUF_INIT;
    size_t len = 99;
    char *p;

    strbuf_addstr(&sb, "hello");
    p = strbuf_detach(&sb, &len);
    CHECK_STR(p, "hello");
    CHECK_INT(len, 5);
    CHECK(sb.buf != NULL && sb.buf != p);
    CHECK_STR(sb.buf, "");
    CHECK_INT(sb.len, 0);
    CHECK_INT(sb.alloc, 0);
    free(p);

    /* An empty strbuf still hands over memory the caller can free. */
    len = 99;
    p = strbuf_detach(&sb, &len);
    CHECK(p != NULL);
    CHECK(p != strbuf_empty);
    CHECK_STR(p, "");
    CHECK_INT(len, 0);
    free(p);

    strbuf_addstr(&sb, "x");
    p = strbuf_detach(&sb, NULL);
    CHECK_STR(p, "x");
    free(p);
    /* The strbuf is usable again after detaching. */
    strbuf_addstr(&sb, "again");
    CHECK_STR(sb.buf, "again");
    strbuf_release(&sb);
}

static void test_read_file(void)
{
    struct strbuf sb = STRBUF_INIT;
    char dir[256], *path, *empty, *missing;

    scratch_make(dir);
    path = xstrfmt("%s/hello.txt", dir);
    empty = xstrfmt("%s/empty.txt", dir);
    missing = xstrfmt("%s/missing.txt", dir);

    write_plain(path, "hello\nworld\n", 12);
    write_plain(empty, "", 0);

    CHECK_INT(strbuf_read_file(&sb, path, 1000), 0);
    CHECK_STR(sb.buf, "hello\nworld\n");
    CHECK_INT(sb.len, 12);

    /* Reading appends. */
    strbuf_reset(&sb);
    strbuf_addstr(&sb, "pre:");
    CHECK_INT(strbuf_read_file(&sb, path, 1000), 0);
    CHECK_STR(sb.buf, "pre:hello\nworld\n");

    /* The limit is inclusive: exactly 'limit' bytes are fine. */
    strbuf_reset(&sb);
    CHECK_INT(strbuf_read_file(&sb, path, 12), 0);
    CHECK_INT(sb.len, 12);
    strbuf_reset(&sb);
    CHECK_INT(strbuf_read_file(&sb, path, 11), PP_ERR_INPUT);
    strbuf_reset(&sb);
    CHECK_INT(strbuf_read_file(&sb, path, 0), PP_ERR_INPUT);

    strbuf_reset(&sb);
    CHECK_INT(strbuf_read_file(&sb, empty, 0), 0);
    CHECK_INT(sb.len, 0);
    CHECK_STR(sb.buf, "");

    strbuf_reset(&sb);
    CHECK_INT(strbuf_read_file(&sb, missing, 1000), PP_ERR_INPUT);
    CHECK_INT(sb.len, 0);

    unlink(path);
    unlink(empty);
    rmdir(dir);
    free(path);
    free(empty);
    free(missing);
    strbuf_release(&sb);
}

static void test_read_file_not_regular(void)
{
    struct strbuf sb = STRBUF_INIT;
    char top[256], *dir, *fifo;

    scratch_make(top);
    dir = xstrfmt("%s/adir", top);
    fifo = xstrfmt("%s/afifo", top);
    if (mkdir(dir, 0755) < 0)
        die("mkdir '%s': %s", dir, strerror(errno));
    CHECK_INT(strbuf_read_file(&sb, dir, 1 << 20), PP_ERR_INPUT);
    CHECK_INT(sb.len, 0);

    if (mkfifo(fifo, 0644) < 0)
        die("mkfifo '%s': %s", fifo, strerror(errno));
    harness_deadline(10);
    CHECK_INT(strbuf_read_file(&sb, fifo, 1 << 20), PP_ERR_INPUT);
    harness_deadline(0);
    CHECK_INT(sb.len, 0);

    rmdir(dir);
    unlink(fifo);
    rmdir(top);
    free(dir);
    free(fifo);
    strbuf_release(&sb);
}

/* Counts the entries of 'dir' other than "." and "..". */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d)
        die("cannot open '%s'", dir);
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_write_file_atomic(void)
{
    struct strbuf sb = STRBUF_INIT;
    char dir[256], *path, *bad;
    struct stat st;

    scratch_make(dir);
    path = xstrfmt("%s/out.xml", dir);
    bad = xstrfmt("%s/no-such-dir/out.xml", dir);

    CHECK_INT(write_file_atomic(path, "first version", 13), 0);
    CHECK_INT(strbuf_read_file(&sb, path, 1000), 0);
    CHECK_STR(sb.buf, "first version");

    /* Replaced by something shorter: nothing of the old content stays. */
    strbuf_reset(&sb);
    CHECK_INT(write_file_atomic(path, "2nd", 3), 0);
    CHECK_INT(strbuf_read_file(&sb, path, 1000), 0);
    CHECK_STR(sb.buf, "2nd");
    CHECK_INT(sb.len, 3);
    /* Only the file itself: no "*.tmp" or other leftover next to it. */
    CHECK_INT(count_entries(dir), 1);

    strbuf_reset(&sb);
    CHECK_INT(write_file_atomic(path, "a\0b", 3), 0);
    CHECK_INT(strbuf_read_file(&sb, path, 1000), 0);
    CHECK_INT(sb.len, 3);
    CHECK(memcmp(sb.buf, "a\0b", 3) == 0);

    CHECK_INT(write_file_atomic(path, "", 0), 0);
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_size, 0);
    CHECK(S_ISREG(st.st_mode));

    /* A directory that does not exist: an I/O error, no file left over. */
    CHECK_INT(write_file_atomic(bad, "x", 1), PP_ERR_IO);
    CHECK_INT(stat(bad, &st), -1);
    CHECK_INT(count_entries(dir), 1);

    unlink(path);
    rmdir(dir);
    free(path);
    free(bad);
    strbuf_release(&sb);
}

/*
 * Renders 'doc' into 'o' in pieces of 'piece' bytes, as a renderer does,
 * until outbuf_flush() says the rest need not be rendered; then again
 * while outbuf_again() asks. Returns the pieces rendered in all, and the
 * most the buffer ever held in '*held'. With 'touch', the file 'touch'
 * gets a new modification time once half a megabyte has been let go.
 */
static size_t render_pieces(struct outbuf *o, const char *doc, size_t len,
                            size_t piece, size_t *held, const char *touch)
{
    size_t pieces = 0;

    *held = 0;
    do {
        for (size_t off = 0; off < len && outbuf_flush(o); off += piece) {
            if (touch && o->gone >= (512u << 10)) {
                struct timespec t[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };

                CHECK_INT(utimensat(AT_FDCWD, touch, t, 0), 0);
                touch = NULL;
            }
            strbuf_add(&o->sb, doc + off, len - off < piece ? len - off
                                                            : piece);
            pieces++;
            if (o->sb.len > *held)
                *held = o->sb.len;
        }
    } while (outbuf_again(o));
    return pieces;
}

/* 'o' is final and holds 'doc' whole. */
#define CHECK_KEPT(o, doc, len) do { \
        CHECK(!(o).same); \
        CHECK_INT((o).mode, OUTBUF_KEEP); \
        CHECK_INT((o).gone, 0); \
        CHECK_INT((o).sb.len, (len)); \
        CHECK(memcmp((o).sb.buf, (doc), (len)) == 0); \
    } while (0)

/*
 * struct outbuf: a document compared with the file it replaces while it
 * is rendered, held whole only when it differs: then what was let go is
 * read back from the file, unless the file changed meanwhile (then all
 * is rendered again). What a planted symlink or FIFO in the file's place
 * gets: nothing read through it, all kept.
 */
static void test_outbuf(void)
{
    const size_t len = 3u << 20, piece = 3000, all = (len + piece - 1) / piece;
    char *doc = xmalloc(len), *other = xmalloc(len + 1);
    char dir[256], *path, *link, *fifo, *sub;
    struct outbuf o;
    size_t held, pieces;

    for (size_t i = 0; i < len; i++)
        doc[i] = (char)('a' + (i * 7 + i / 4093) % 26);
    scratch_make(dir);
    path = xstrfmt("%s/feed.xml", dir);
    link = xstrfmt("%s/link.xml", dir);
    fifo = xstrfmt("%s/fifo.xml", dir);
    sub = xstrfmt("%s/sub.xml", dir);

    /* The same bytes: never held whole, found the same, nothing kept. */
    write_plain(path, doc, len);
    outbuf_init(&o, OUTBUF_COMPARE, path);
    CHECK_INT(render_pieces(&o, doc, len, piece, &held, NULL), all);
    CHECK(o.same);
    CHECK(held < len / 8);
    CHECK_INT(outbuf_len(&o), len);
    outbuf_release(&o);

    /*
     * Different early, in the middle, in the last byte; one byte longer,
     * one byte shorter: rendered once, what was let go read back.
     */
    for (int k = 0; k < 5; k++) {
        size_t olen = k == 3 ? len + 1 : k == 4 ? len - 1 : len;

        memcpy(other, doc, len);
        other[len] = 'x';
        if (k < 3)
            other[k == 0 ? 10 : k == 1 ? len / 2 : len - 1] ^= 1;
        write_plain(path, other, olen);
        outbuf_init(&o, OUTBUF_COMPARE, path);
        CHECK_INT(render_pieces(&o, doc, len, piece, &held, NULL), all);
        CHECK_KEPT(o, doc, len);
        outbuf_release(&o);
    }

    /*
     * The file given a new modification time while it was compared: what
     * was let go is not read back from it, the document is rendered again.
     */
    memcpy(other, doc, len);
    other[len / 2] ^= 1;
    write_plain(path, other, len);
    outbuf_init(&o, OUTBUF_COMPARE, path);
    pieces = render_pieces(&o, doc, len, piece, &held, path);
    CHECK(pieces > all && pieces < 2 * all);
    CHECK_KEPT(o, doc, len);
    outbuf_release(&o);

    /*
     * No file, a symlink to a file with the same bytes, a FIFO and a
     * folder: kept whole from the start, rendered once, nothing compared.
     */
    write_plain(path, doc, len);
    CHECK_INT(symlink(path, link), 0);
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(mkdir(sub, 0700), 0);
    {
        char *none = xstrfmt("%s/none.xml", dir);
        const char *places[] = { none, link, fifo, sub };

        for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
            outbuf_init(&o, OUTBUF_COMPARE, places[i]);
            CHECK_INT(o.mode, OUTBUF_KEEP);
            CHECK_INT(render_pieces(&o, doc, len, piece, &held, NULL), all);
            CHECK_KEPT(o, doc, len);
            outbuf_release(&o);
        }
        free(none);
    }

    /* Counted: the length only, never held whole. */
    outbuf_init(&o, OUTBUF_COUNT, NULL);
    CHECK_INT(render_pieces(&o, doc, len, piece, &held, NULL), all);
    CHECK(!o.same);
    CHECK(held < len / 8);
    CHECK_INT(outbuf_len(&o), len);
    outbuf_release(&o);

    /* An empty document and an empty file are the same. */
    write_plain(path, "", 0);
    outbuf_init(&o, OUTBUF_COMPARE, path);
    CHECK_INT(render_pieces(&o, doc, 0, piece, &held, NULL), 0);
    CHECK(o.same);
    outbuf_release(&o);

    unlink(path);
    unlink(link);
    unlink(fifo);
    rmdir(sub);
    rmdir(dir);
    free(path);
    free(link);
    free(fifo);
    free(sub);
    free(doc);
    free(other);
}

/*
 * Runs utf8_check_xml() on a heap copy of exactly 'len' bytes, so that
 * AddressSanitizer catches a read past the end. Returns the result and
 * stores the offset (or (size_t)-1) and the reason.
 */
static int utf8(const char *s, size_t len, size_t *off, const char **why)
{
    char *copy = xmalloc(len);
    int ret;

    memcpy(copy, s, len);
    *off = (size_t)-1;
    *why = NULL;
    ret = utf8_check_xml(copy, len, off, why);
    free(copy);
    return ret;
}

#define UTF8_OK(lit) do { \
        size_t off_; \
        const char *why_; \
        CHECK_INT(utf8((lit), sizeof(lit) - 1, &off_, &why_), 0); \
    } while (0)

/*
 * fields.c and episode.c compare the reason with "invalid UTF-8" to tell
 * encoding errors from forbidden characters, so the exact text matters.
 */
#define UTF8_INVALID(lit, want_off) do { \
        size_t off_; \
        const char *why_; \
        CHECK_INT(utf8((lit), sizeof(lit) - 1, &off_, &why_), -1); \
        CHECK_INT(off_, (want_off)); \
        CHECK_STR(why_, "invalid UTF-8"); \
    } while (0)

#define UTF8_FORBIDDEN(lit, want_off) do { \
        size_t off_; \
        const char *why_; \
        CHECK_INT(utf8((lit), sizeof(lit) - 1, &off_, &why_), -1); \
        CHECK_INT(off_, (want_off)); \
        CHECK(why_ && *why_ && strcmp(why_, "invalid UTF-8")); \
    } while (0)

static void test_utf8_valid(void)
{
    size_t off;
    const char *why;

    UTF8_OK("");
    UTF8_OK("plain ASCII, with punctuation ~!@#$%^&*()");
    UTF8_OK("tab\tnewline\ncarriage return\r");
    UTF8_OK("caf\xc3\xa9 \xc3\x89\xc3\xa9n vraag");       /* é É */
    UTF8_OK("\xc2\xa0 no-break space");                   /* U+00A0 */
    UTF8_OK("\xe2\x82\xac 5");                            /* € */
    UTF8_OK("\xe2\x80\x98quoted\xe2\x80\x99");            /* ‘ ’ */
    UTF8_OK("emoji \xf0\x9f\x98\x80 and \xf0\x9f\x8e\x99\xef\xb8\x8f");
    UTF8_OK("\xef\xbf\xbd");                              /* U+FFFD */
    UTF8_OK("\xee\x80\x80");                              /* U+E000 */
    UTF8_OK("\xf4\x8f\xbf\xbf");                          /* U+10FFFF */
    UTF8_OK("\x7f");                                      /* DEL: allowed */

    /* Only 'len' bytes count: what follows is not looked at. */
    CHECK_INT(utf8("ok\xff", 2, &off, &why), 0);
}

static void test_utf8_invalid(void)
{
    UTF8_INVALID("ab\xc0\x80", 2);            /* overlong NUL */
    UTF8_INVALID("\xc1\xbf", 0);              /* overlong '\x7f' */
    UTF8_INVALID("\xe0\x80\xaf", 0);          /* overlong '/' in 3 bytes */
    UTF8_INVALID("\xf0\x8f\xbf\xbf", 0);      /* overlong in 4 bytes */
    UTF8_INVALID("x\xed\xa0\x80", 1);         /* surrogate U+D800 */
    UTF8_INVALID("\xed\xbf\xbf", 0);          /* surrogate U+DFFF */
    UTF8_INVALID("\xf5\x80\x80\x80", 0);      /* lead byte past U+10FFFF */
    UTF8_INVALID("\xf4\x90\x80\x80", 0);      /* U+110000 */
    UTF8_INVALID("abc\xe2\x82", 3);           /* truncated € */
    UTF8_INVALID("\xf0\x9f\x98", 0);          /* truncated emoji */
    UTF8_INVALID("ok \xc3", 3);               /* truncated é at the end */
    UTF8_INVALID("\x80", 0);                  /* lone continuation byte */
    UTF8_INVALID("\xc3\x28", 0);              /* lead byte, then ASCII */
    UTF8_INVALID("\xff", 0);
    UTF8_INVALID("\xfe", 0);
    UTF8_INVALID("caf\xc3\xa9 \xe9t\xe9", 6); /* Latin-1 after valid UTF-8 */
}

static void test_utf8_forbidden(void)
{
    size_t off;
    const char *why;

    UTF8_FORBIDDEN("a\x07" "b", 1);           /* BEL */
    UTF8_FORBIDDEN("ab\x00" "c", 2);          /* NUL inside 'len' */
    UTF8_FORBIDDEN("\x1b[0m", 0);             /* ESC */
    UTF8_FORBIDDEN("\x0b", 0);                /* vertical tab */
    UTF8_FORBIDDEN("\x0c", 0);                /* form feed */
    UTF8_FORBIDDEN("x\xc2\x85", 1);           /* C1 U+0085 (NEL) */
    UTF8_FORBIDDEN("\xc2\x80", 0);            /* C1 U+0080 */
    UTF8_FORBIDDEN("\xc2\x9f", 0);            /* C1 U+009F */
    UTF8_FORBIDDEN("ok \xef\xbf\xbe", 3);     /* U+FFFE */
    UTF8_FORBIDDEN("\xef\xbf\xbf", 0);        /* U+FFFF */

    /* The first problem is the one reported. */
    CHECK_INT(utf8("\xc3\xa9\x01\xff", 4, &off, &why), -1);
    CHECK_INT(off, 2);
}

/*
 * The checker skips printable ASCII eight bytes at a time: every byte
 * value at every position of a 19-byte run (all alignments of the fast
 * path and its tail) is judged as it would be alone.
 */
static void test_utf8_every_position(void)
{
    size_t wrong = 0;

    for (unsigned b = 0; b < 256; b++) {
        char one[1] = { (char)b };
        size_t off1;
        const char *why1;
        int alone = utf8(one, 1, &off1, &why1);

        for (size_t at = 0; at < 19; at++) {
            char s[19];
            size_t off = 99;
            const char *why;
            int r;

            memset(s, 'a', sizeof(s));
            s[at] = (char)b;
            r = utf8(s, sizeof(s), &off, &why);
            if (r != alone || (r < 0 && off != at))
                wrong++;
        }
    }
    CHECK_INT(wrong, 0);
}

static void test_edit_distance(void)
{
    CHECK_INT(edit_distance("", ""), 0);
    CHECK_INT(edit_distance("abc", ""), 3);
    CHECK_INT(edit_distance("", "abcd"), 4);
    CHECK_INT(edit_distance("same", "same"), 0);
    CHECK_INT(edit_distance("kitten", "sitting"), 3);
    CHECK_INT(edit_distance("sitting", "kitten"), 3);
    CHECK_INT(edit_distance("flaw", "lawn"), 2);
    CHECK_INT(edit_distance("title", "titel"), 2);
    CHECK_INT(edit_distance("date", "dat"), 1);
    CHECK_INT(edit_distance("guid", "gUid"), 1);
}

static void test_nearest_word(void)
{
    static const char *const keys[] = {
        "title", "guid", "date", "audio", "season", "episode", "explicit",
        NULL,
    };
    static const char *const none[] = { NULL };

    CHECK_STR(nearest_word("titel", keys), "title");
    CHECK_STR(nearest_word("title", keys), "title");
    CHECK_STR(nearest_word("dat", keys), "date");
    CHECK_STR(nearest_word("episdoe", keys), "episode");
    CHECK_STR(nearest_word("seasons", keys), "season");
    CHECK_STR(nearest_word("explict", keys), "explicit");
    CHECK(nearest_word("xyzzy", keys) == NULL);
    CHECK(nearest_word("description", keys) == NULL);
    CHECK(nearest_word("a", keys) == NULL);
    CHECK(nearest_word("title", none) == NULL);
}

static void test_url_for_path(void)
{
    static const char base[] = "https://cdn.example.org/show/";
    char *u;

    u = url_for_path(base, "001-milas.mp3");
    CHECK_STR(u, "https://cdn.example.org/show/001-milas.mp3");
    free(u);
    u = url_for_path(base, "my episode.mp3");
    CHECK_STR(u, "https://cdn.example.org/show/my%20episode.mp3");
    free(u);
    u = url_for_path(base, "caf\xc3\xa9.mp3");
    CHECK_STR(u, "https://cdn.example.org/show/caf%C3%A9.mp3");
    free(u);
    u = url_for_path(base, "\xc3\x89\xc3\xa9n vraag.mp3");
    CHECK_STR(u, "https://cdn.example.org/show/%C3%89%C3%A9n%20vraag.mp3");
    free(u);
    u = url_for_path(base, "season 1/a~b_c-d.e.mp3");
    CHECK_STR(u, "https://cdn.example.org/show/season%201/a~b_c-d.e.mp3");
    free(u);
    u = url_for_path(base, "a?b#c&d+e%f'g\"h<i>");
    CHECK_STR(u, "https://cdn.example.org/show/"
                 "a%3Fb%23c%26d%2Be%25f%27g%22h%3Ci%3E");
    free(u);
    u = url_for_path(base, "");
    CHECK_STR(u, base);
    free(u);
}

static void test_string_helpers(void)
{
    unsigned before = input_error_count;
    struct srcpos pos = { "x.md", 3, 7 };
    char *s;

    CHECK(starts_with("episodes/001.md", "episodes/"));
    CHECK(!starts_with("ep", "episodes/"));
    CHECK(starts_with("abc", ""));
    CHECK(ends_with("001.md", ".md"));
    CHECK(!ends_with("md", ".md"));
    CHECK(ends_with("abc", ""));
    s = xstrndup("abcdef", 3);
    CHECK_STR(s, "abc");
    free(s);

    CHECK_INT(errorf(PP_ERR_IO, "expected test message %d", 1), PP_ERR_IO);
    CHECK_INT(input_error(&pos, "date", "expected test message"),
              PP_ERR_INPUT);
    CHECK_INT(input_error_count, before + 1);
}

/* Messages a thread prints while capturing go to its buffer, whole. */
static void test_report_capture(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct srcpos pos = { "episodes/001.md", 4, 7 };
    struct srcpos nofile = { NULL, 0, 0 };
    unsigned before = input_error_count;

    report_capture(&sb);
    errorf(PP_ERR_IO, "cannot write '%s'", "x");
    warnf("disk %d%% full", 93);
    input_error(&pos, "date", "\"%s\" is not a date", "31-10");
    input_warning(&pos, NULL, "odd");
    input_error(&nofile, "guid", "missing");
    report_capture(NULL);
    CHECK_STR(sb.buf, "podpub: cannot write 'x'\n"
                      "podpub: warning: disk 93% full\n"
                      "episodes/001.md:4:7: date: \"31-10\" is not a date\n"
                      "episodes/001.md:4:7: warning: odd\n"
                      "podpub: guid: missing\n");
    CHECK_INT(input_error_count, before + 2);
    strbuf_release(&sb);
}

/* parallel_for() calls fn once for every index, on several threads. */
struct count_ctx {
    atomic_uint *hits;
    atomic_uint calls;
};

static void count_one(void *arg, size_t i)
{
    struct count_ctx *ctx = arg;

    atomic_fetch_add(&ctx->hits[i], 1);
    atomic_fetch_add(&ctx->calls, 1);
}

static void test_parallel_for(void)
{
    static const size_t sizes[] = { 0, 1, 63, 64, 1000, 100000 };

    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        size_t nr = sizes[s];
        struct count_ctx ctx = { xcalloc(nr + 1, sizeof(atomic_uint)), 0 };
        size_t wrong = 0;

        parallel_for(nr, 64, count_one, &ctx);
        for (size_t i = 0; i < nr; i++)
            wrong += atomic_load(&ctx.hits[i]) != 1;
        CHECK_INT(wrong, 0);
        CHECK_INT(atomic_load(&ctx.calls), nr);
        free(ctx.hits);
    }
    CHECK(cpu_count() >= 1);
}

/* Slow items, so that progress is reported while they run. */
static void slow_one(void *arg, size_t i)
{
    struct timespec nap = { 0, 30 * 1000 * 1000 };

    count_one(arg, i);
    nanosleep(&nap, NULL);
}

struct progress_seen {
    size_t calls, last_done, ends;
    bool backwards, bad_current;
};

static void on_progress(void *ctx, size_t done, size_t total, size_t current)
{
    struct progress_seen *p = ctx;

    p->calls++;
    if (done < p->last_done)
        p->backwards = true;
    p->last_done = done;
    if (done == total && current == SIZE_MAX)
        p->ends++;
    else if (current >= total)
        p->bad_current = true;
}

/*
 * parallel_for_progress(): every item done once, progress reported by
 * the calling thread, never backwards, and one final report.
 */
static void test_parallel_progress(void)
{
    size_t nr = 12, wrong = 0;
    struct count_ctx ctx = { xcalloc(nr + 1, sizeof(atomic_uint)), 0 };
    struct progress_seen seen = { 0 };
    struct parallel_progress pg = { on_progress, &seen, 0.0 };

    parallel_for_progress(nr, 1, slow_one, &ctx, &pg);
    for (size_t i = 0; i < nr; i++)
        wrong += atomic_load(&ctx.hits[i]) != 1;
    CHECK_INT(wrong, 0);
    CHECK(seen.calls >= 2);
    CHECK_INT(seen.ends, 1);
    CHECK(!seen.backwards);
    CHECK(!seen.bad_current);
    free(ctx.hits);
}

/* The JSON writer: separators, nesting, quoting, the line layout. */
static void test_json_writer(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    json_object(&j);
    json_kv_str(&j, "file", "episodes/001-a.md");
    json_kv_int(&j, "line", -4);
    json_kv_uint(&j, "bytes", 18446744073709551615u);
    json_kv_bool(&j, "ok", false);
    json_key(&j, "none");
    json_str(&j, NULL);
    json_key(&j, "list");
    json_array(&j);
    json_int(&j, 1);
    json_fixed(&j, 2.5, 3);
    json_object(&j);
    json_end(&j);
    json_array(&j);
    json_end(&j);
    json_end(&j);
    json_end(&j);
    CHECK_STR(sb.buf, "{\"file\": \"episodes/001-a.md\", \"line\": -4, "
              "\"bytes\": 18446744073709551615, \"ok\": false, "
              "\"none\": null, \"list\": [1, 2.500, {}, []]}");

    strbuf_reset(&sb);
    json_init(&j, &sb);
    json_array_lines(&j, 1);
    for (int i = 0; i < 3; i++) {
        json_object(&j);
        json_kv_int(&j, "i", i);
        json_end(&j);
    }
    json_end(&j);
    CHECK_STR(sb.buf, "[{\"i\": 0},\n {\"i\": 1},\n {\"i\": 2}]");

    strbuf_reset(&sb);
    json_quote(&sb, "a\"b\\c\nd\te\x01\x1f\x7f\xc3\xa9");
    CHECK_STR(sb.buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\x7f\xc3\xa9\"");

    strbuf_reset(&sb);
    json_init(&j, &sb);
    json_fixed(&j, 0.0 / 0.0, 2);
    CHECK_STR(sb.buf, "null");
    strbuf_release(&sb);
}

/* Layouts with text for an empty container; exact decimals. */
static void test_json_layout_decimal(void)
{
    static const struct json_layout lines = { "\n  ", ",\n  ", "\n", "\n" };
    static const struct {
        int64_t v;
        int decimals;
        bool trim;
        const char *want;
    } nums[] = {
        { 0, 3, false, "0.000" }, { 0, 3, true, "0" },
        { 12345, 3, false, "12.345" }, { 12500, 3, true, "12.5" },
        { 754000, 3, true, "754" }, { 1, 3, true, "0.001" },
        { 1010, 3, true, "1.01" }, { -1500, 3, false, "-1.500" },
        { -500, 3, true, "-0.5" }, { 42, 0, true, "42" },
        { INT64_MIN, 3, false, "-9223372036854775.808" },
        { INT64_MAX, 9, true, "9223372036.854775807" },
    };
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    json_object_laid(&j, &lines);
    json_kv_int(&j, "a", 1);
    json_key(&j, "b");
    json_array_laid(&j, &lines);
    json_end(&j);
    json_end(&j);
    CHECK_STR(sb.buf, "{\n  \"a\": 1,\n  \"b\": [\n]\n}");
    for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
        strbuf_reset(&sb);
        json_init(&j, &sb);
        json_decimal(&j, nums[i].v, nums[i].decimals, nums[i].trim);
        CHECK_STR(sb.buf, nums[i].want);
    }
    strbuf_release(&sb);
}

/* printable(): the one escape for text from outside. */
static void test_printable(void)
{
    static const struct {
        const char *in;
        size_t len, max;
        const char *want;
    } cases[] = {
        { "plain title", 11, 80, "plain title" },
        { "Één vraag 🎧", 16, 80, "Één vraag 🎧" },
        { "a\nb\tc\rd", 7, 80, "a\\nb\\tc\\rd" },
        { "\x1b[2J\x1b]0;pwned\x07", 14, 80,
          "\\x1b[2J\\x1b]0;pwned\\x07" },
        { "nul\0inside", 10, 80, "nul\\x00inside" },
        { "del\x7f", 4, 80, "del\\x7f" },
        /* C1 controls as UTF-8 (U+0085 NEL, U+009B CSI). */
        { "c1\xc2\x85\xc2\x9b", 6, 80, "c1\\x85\\x9b" },
        /* Bytes that are not UTF-8: lone, overlong, surrogate, cut. */
        { "\xff\xc0\xaf\xed\xa0\x80\xe2\x82", 8, 80,
          "\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82" },
        /* Bidi override (U+202E), isolate (U+2066), BOM, U+2028. */
        { "a\xe2\x80\xae" "b\xe2\x81\xa6\xef\xbb\xbf\xe2\x80\xa8", 14, 80,
          "a\\u202eb\\u2066\\ufeff\\u2028" },
        /* Cut at 'max' bytes, never inside a character. */
        { "abcdef", 6, 3, "abc..." },
        { "ab\xc3\xa9" "cd", 6, 3, "ab..." },
        { "ab\xc3\xa9" "cd", 6, 4, "ab\xc3\xa9..." },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *got = printable_n(cases[i].in, cases[i].len, cases[i].max);

        CHECK_STR(got, cases[i].want);
        free(got);
    }
    /* Every byte value, alone: never a raw control in the output. */
    for (int c = 0; c < 256; c++) {
        char in[1] = { (char)c }, *got = printable_n(in, 1, 8);

        for (const char *p = got; *p; p++)
            CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f &&
                  (unsigned char)*p < 0x80);
        free(got);
    }
}

/* key_valid(): the one rule for names from outside. */
static void test_key_valid(void)
{
    static const char *const good[] = {
        "feed.xml", "episodes/001-milas.mp3", "chapters/001.json",
        "Één vraag.mp3", "a b/c+d(1).mp3", ".hidden", "..x", "x..", "...",
        "100%.mp3", "a%20b.mp3", "%zz", "a%2", "x/.y/z",
    };
    static const struct {
        const char *key;
        size_t len;         /* 0: strlen */
    } bad[] = {
        { "", 0 }, { "/etc/passwd", 0 }, { "../../outside/victim.txt", 0 },
        { "./001-milas.mp3", 0 }, { "a/../b", 0 }, { "a/./b", 0 },
        { "a//b", 0 }, { "a/", 0 }, { "..", 0 }, { ".", 0 },
        { "a\\..\\b", 0 }, { "c:\\x", 0 }, { "a\r\nDELE x", 0 },
        { "a\nb", 0 }, { "a\tb", 0 }, { "nul\0x", 5 }, { "del\x7f", 0 },
        { "c1\xc2\x85", 0 }, { "\xff\xfe", 0 }, { "\xc0\xaf", 0 },
        { "%2e%2e/x", 0 }, { "a%2fb", 0 }, { "a%2Fb", 0 }, { "%5c", 0 },
        { "%00", 0 }, { "%0d%0aDELE", 0 }, { "%25", 0 }, { "%85", 0 },
        { ".%2e/x", 0 },
    };
    char longkey[PP_KEY_MAX + 2];
    const char *why;

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        bool ok = key_valid(good[i], strlen(good[i]), &why);

        if (!ok)
            fprintf(stderr, "  refused: \"%s\" (%s)\n", good[i], why);
        CHECK(ok);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].key);

        why = NULL;
        CHECK(!key_valid(bad[i].key, len, &why));
        CHECK(why != NULL);
    }
    memset(longkey, 'a', sizeof(longkey));
    CHECK(key_valid(longkey, PP_KEY_MAX, NULL));
    CHECK(!key_valid(longkey, PP_KEY_MAX + 1, &why));
    CHECK_STR(why, "too long");
}

/* Temporary names: random, recognisable, created without following. */
static void test_temp_files(void)
{
    char dir[256], *path, *tmp = NULL, *tmp2 = NULL, *victim;
    int fd, fd2;

    CHECK(is_temp_name("public/.feed.xml.podpub-0123456789abcdef.tmp"));
    CHECK(is_temp_name(".x.podpub-0123456789abcdef.tmp"));
    CHECK(!is_temp_name("feed.xml.podpub-0123456789abcdef.tmp"));
    CHECK(!is_temp_name(".x.podpub-0123456789abcdeg.tmp"));
    CHECK(!is_temp_name(".x.podpub-0123.tmp"));
    CHECK(!is_temp_name("feed.xml.1234.tmp"));
    path = temp_name("a/b/feed.xml", "0123456789abcdef");
    CHECK_STR(path, "a/b/.feed.xml.podpub-0123456789abcdef.tmp");
    free(path);

    scratch_make(dir);
    path = xstrfmt("%s/feed.xml", dir);
    fd = temp_create(path, &tmp);
    fd2 = temp_create(path, &tmp2);
    CHECK(fd >= 0 && fd2 >= 0);
    CHECK(tmp && tmp2 && strcmp(tmp, tmp2) && is_temp_name(tmp));
    close(fd);
    close(fd2);
    unlink(tmp);
    unlink(tmp2);
    /*
     * A symlink planted where the old predictable name was is never
     * written through: write_file_atomic() leaves its target alone and
     * replaces only 'path'.
     */
    victim = xstrfmt("%s/victim", dir);
    write_plain(victim, "keep", 4);
    {
        char *planted = xstrfmt("%s.%ld.tmp", path, (long)getpid());

        CHECK(symlink(victim, planted) == 0);
        CHECK_INT(write_file_atomic(path, "new", 3), 0);
        unlink(planted);
        free(planted);
    }
    {
        struct strbuf sb = STRBUF_INIT;

        CHECK_INT(strbuf_read_file(&sb, victim, 100), 0);
        CHECK_STR(sb.buf, "keep");
        strbuf_reset(&sb);
        CHECK_INT(strbuf_read_file(&sb, path, 100), 0);
        CHECK_STR(sb.buf, "new");
        strbuf_release(&sb);
    }
    unlink(path);
    unlink(victim);
    rmdir(dir);
    free(victim);
    free(tmp);
    free(tmp2);
    free(path);
}

/* A folder inside 'show' (kept in a static buffer). */
static const char *fifo_dir_of(const char *show)
{
    static char buf[300];

    snprintf(buf, sizeof(buf), "%s/folder.mp3", show);
    return buf;
}

/* file_open_confined() judges the file opened, through any symlinks. */
static void test_confined(void)
{
    char dir[256], *show, *in, *out, *link_in, *link_out, *fifo;
    struct path_roots roots = { 0 };
    struct confined_file cf;

    scratch_make(dir);
    show = xstrfmt("%s/show", dir);
    CHECK(mkdir(show, 0755) == 0);
    in = xstrfmt("%s/in.mp3", show);
    out = xstrfmt("%s/secret", dir);
    link_in = xstrfmt("%s/link-in.mp3", show);
    link_out = xstrfmt("%s/link-out.mp3", show);
    fifo = xstrfmt("%s/fifo.mp3", show);
    write_plain(in, "ID3", 3);
    write_plain(out, "AWS_SECRET", 10);
    CHECK(symlink("in.mp3", link_in) == 0);
    CHECK(symlink(out, link_out) == 0);
    CHECK(mkfifo(fifo, 0644) == 0);
    CHECK_INT(path_roots_add(&roots, show), 0);

    CHECK_INT(file_open_confined(in, &roots, &cf), CONFINED);
    CHECK(cf.fd >= 0 && cf.st.st_size == 3);
    confined_close(&cf);
    CHECK_INT(file_open_confined(link_in, &roots, &cf), CONFINED);
    confined_close(&cf);
    CHECK_INT(file_open_confined(link_out, &roots, &cf), CONFINE_OUTSIDE);
    CHECK(cf.fd < 0 && cf.real && !strcmp(cf.real, out));
    confined_close(&cf);
    CHECK_INT(file_open_confined("/proc/self/environ", &roots, &cf),
              CONFINE_OUTSIDE);
    confined_close(&cf);
    CHECK_INT(file_open_confined(fifo, &roots, &cf), CONFINE_NOT_FILE);
    confined_close(&cf);
    CHECK(mkdir(fifo_dir_of(show), 0755) == 0 || errno == EEXIST);
    CHECK_INT(file_open_confined(fifo_dir_of(show), &roots, &cf),
              CONFINE_NOT_FILE);
    confined_close(&cf);
    rmdir(fifo_dir_of(show));
    CHECK_INT(file_open_confined("/no/such/file", &roots, &cf),
              CONFINE_ERRNO);
    CHECK_INT(cf.err, ENOENT);
    confined_close(&cf);
    /* A root named explicitly lets the outside file in. */
    CHECK_INT(path_roots_add(&roots, dir), 0);
    CHECK_INT(file_open_confined(link_out, &roots, &cf), CONFINED);
    confined_close(&cf);
    CHECK(!path_inside(&roots, "/"));
    CHECK(path_inside(&roots, out));
    path_roots_release(&roots);

    unlink(in);
    unlink(out);
    unlink(link_in);
    unlink(link_out);
    unlink(fifo);
    rmdir(show);
    rmdir(dir);
    free(show);
    free(in);
    free(out);
    free(link_in);
    free(link_out);
    free(fifo);
}

/* Keys for test_find_duplicates(): a string (or none) and two numbers. */
struct dup_case {
    const char *s[400];
    long long a[400], b[400];
    bool set[400];
};

static void dup_case_key(const void *ctx, size_t i, struct dup_key *k)
{
    const struct dup_case *c = ctx;

    k->s = c->s[i];
    k->a = c->a[i];
    k->b = c->b[i];
    k->set = c->set[i];
}

/*
 * find_duplicates() against the obvious quadratic answer: the earliest
 * set item with an equal key, on random keys drawn from a few values so
 * that equal ones are common (strings with a long common start, NULL
 * strings, unset items, the same string with other numbers).
 */
static void test_find_duplicates(void)
{
    static const char *const strs[] = {
        NULL, "", "episodes/00012-a.mp3", "episodes/00012-b.mp3",
        "episodes/00012-a.mp3x", "urn:uuid:1", "urn:uuid:2",
    };
    static struct dup_case c;
    size_t first[400], wrong = 0, dups = 0;
    unsigned seed = 12345;

    for (int round = 0; round < 50; round++) {
        size_t nr = round == 0 ? 0 : round == 1 ? 1 : 400;

        for (size_t i = 0; i < nr; i++) {
            seed = seed * 1103515245u + 12345u;
            c.s[i] = strs[(seed >> 8) % ARRAY_SIZE(strs)];
            c.a[i] = (long long)((seed >> 16) % 3);
            c.b[i] = round % 2 ? (long long)((seed >> 20) % 4) : 0;
            c.set[i] = (seed >> 24) % 8 != 0;
        }
        find_duplicates(nr, dup_case_key, &c, first);
        for (size_t i = 0; i < nr; i++) {
            size_t want = SIZE_MAX;

            for (size_t j = 0; j < i && c.set[i] && want == SIZE_MAX; j++)
                if (c.set[j] && c.a[j] == c.a[i] && c.b[j] == c.b[i] &&
                    (c.s[j] == c.s[i] ||
                     (c.s[j] && c.s[i] && !strcmp(c.s[j], c.s[i]))))
                    want = j;
            wrong += first[i] != want;
            dups += want != SIZE_MAX;
        }
    }
    CHECK_INT(wrong, 0);
    CHECK(dups > 1000);   /* the keys did repeat */
}

/*
 * The file-identity cache: entries survive a save and a load (paths and
 * payloads with tabs, newlines and backslashes), a loaded entry can be
 * replaced, only entries got or put are kept, and a damaged file (cut,
 * unsorted, a bad escape or number, empty lines only) is an empty cache.
 */
static void test_fileid_cache(void)
{
    static const char *const bad[] = {
        "M 1\nF\tb\t1\t2\t3\t4\t5\tx\nF\ta\t1\t2\t3\t4\t5\ty\nend\t2\n",
        "M 1\nF\ta\t1\t2\t3\t4\t5\tx\n",
        "M 1\nF\ta\t1\t2\t3\t4\t5\tbad\\q\nend\t1\n",
        "M 1\nF\ta\t1\t-2\t3\t4\t5\tx\nend\t1\n",
        "M 1\nF\ta\t1\t99999999999999999999\t3\t4\t5\tx\nend\t1\n",
        "M 1\nF\ta\t1\t2\t3\t4\t1000000000\tx\nend\t1\n",
        "M 1\nF\ta\t1\t2\t3\t4\t5\tx\nend\t2\n",
        "M 1\n\n\n\n\n\n\n\n",
        "M 2\nF\ta\t1\t2\t3\t4\t5\tx\nend\t1\n",
    };
    struct fileid id1 = { 1, 2, 3, 4, 5 }, id2 = { 6, 7, 8, 9, 10 };
    struct fileid_cache *c;
    char dir[256], *file;

    scratch_make(dir);
    file = xstrfmt("%s/cache", dir);
    c = fileid_cache_load(file, "M 1");
    CHECK_INT(fileid_cache_size(c), 0);
    for (int i = 0; i < 300; i++) {
        char *path = xstrfmt("episodes/%03d\tx\\y.mp3", i);
        char *payload = xstrfmt("%d ms\nline two", i);

        fileid_cache_put(c, path, i % 2 ? &id1 : &id2, payload);
        free(path);
        free(payload);
    }
    CHECK_INT(fileid_cache_save(c), 0);
    fileid_cache_free(c);

    c = fileid_cache_load(file, "M 1");
    CHECK_INT(fileid_cache_size(c), 300);
    CHECK_STR(fileid_cache_get(c, "episodes/007\tx\\y.mp3", &id1),
              "7 ms\nline two");
    CHECK(!fileid_cache_get(c, "episodes/007\tx\\y.mp3", &id2));
    CHECK(!fileid_cache_get(c, "episodes/007", &id1));
    /* A loaded entry replaced; another kept as loaded; the rest dropped. */
    fileid_cache_put(c, "episodes/008\tx\\y.mp3", &id1, "new");
    CHECK_STR(fileid_cache_get(c, "episodes/008\tx\\y.mp3", &id1), "new");
    CHECK(fileid_cache_get(c, "episodes/009\tx\\y.mp3", &id1) != NULL);
    CHECK_INT(fileid_cache_save(c), 0);
    fileid_cache_free(c);

    c = fileid_cache_load(file, "M 1");
    CHECK_INT(fileid_cache_size(c), 3);
    CHECK_STR(fileid_cache_get(c, "episodes/008\tx\\y.mp3", &id1), "new");
    CHECK_STR(fileid_cache_get(c, "episodes/009\tx\\y.mp3", &id1),
              "9 ms\nline two");
    fileid_cache_free(c);

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        write_plain(file, bad[i], strlen(bad[i]));
        c = fileid_cache_load(file, "M 1");
        CHECK_INT(fileid_cache_size(c), 0);
        fileid_cache_free(c);
    }
    unlink(file);
    rmdir(dir);
    free(file);
}

static const struct harness_test tests[] = {
    TEST(test_strbuf_init),
    TEST(test_strbuf_add),
    TEST(test_strbuf_addf),
    TEST(test_strbuf_rtrim),
    TEST(test_strbuf_detach),
    TEST(test_read_file),
    TEST(test_read_file_not_regular),
    TEST(test_write_file_atomic),
    TEST(test_outbuf),
    TEST(test_utf8_valid),
    TEST(test_utf8_invalid),
    TEST(test_utf8_forbidden),
    TEST(test_utf8_every_position),
    TEST(test_edit_distance),
    TEST(test_nearest_word),
    TEST(test_url_for_path),
    TEST(test_string_helpers),
    TEST(test_report_capture),
    TEST(test_parallel_for),
    TEST(test_parallel_progress),
    TEST(test_json_writer),
    TEST(test_json_layout_decimal),
    TEST(test_printable),
    TEST(test_key_valid),
    TEST(test_temp_files),
    TEST(test_confined),
    TEST(test_find_duplicates),
    TEST(test_fileid_cache),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
