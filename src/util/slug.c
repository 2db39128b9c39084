/*
 * Slugs for file names: Apple asks for ASCII-only media URLs, and a Dutch
 * title is full of é, ë and ĳ. Latin letters are folded to ASCII; anything
 * else separates words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/strbuf.h"
#include "podpub/util.h"

/*
 * ASCII for U+00C0 to U+017F (Latin-1 Supplement letters and Latin
 * Extended-A): the base letter of each, from Unicode's decompositions, and
 * "ae", "ij", "oe", "ss", "th" for the ligatures and letters without one.
 * NULL for the multiplication and division signs.
 */
static const char *const folds[0x180 - 0xc0] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* U+00C0 */
    "e", "e", "e", "e", "i", "i", "i", "i",  /* U+00C8 */
    "d", "n", "o", "o", "o", "o", "o", NULL,  /* U+00D0 */
    "o", "u", "u", "u", "u", "y", "th", "ss",  /* U+00D8 */
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* U+00E0 */
    "e", "e", "e", "e", "i", "i", "i", "i",  /* U+00E8 */
    "d", "n", "o", "o", "o", "o", "o", NULL,  /* U+00F0 */
    "o", "u", "u", "u", "u", "y", "th", "y",  /* U+00F8 */
    "a", "a", "a", "a", "a", "a", "c", "c",  /* U+0100 */
    "c", "c", "c", "c", "c", "c", "d", "d",  /* U+0108 */
    "d", "d", "e", "e", "e", "e", "e", "e",  /* U+0110 */
    "e", "e", "e", "e", "g", "g", "g", "g",  /* U+0118 */
    "g", "g", "g", "g", "h", "h", "h", "h",  /* U+0120 */
    "i", "i", "i", "i", "i", "i", "i", "i",  /* U+0128 */
    "i", "i", "ij", "ij", "j", "j", "k", "k",  /* U+0130 */
    "k", "l", "l", "l", "l", "l", "l", "l",  /* U+0138 */
    "l", "l", "l", "n", "n", "n", "n", "n",  /* U+0140 */
    "n", "n", "n", "n", "o", "o", "o", "o",  /* U+0148 */
    "o", "o", "oe", "oe", "r", "r", "r", "r",  /* U+0150 */
    "r", "r", "s", "s", "s", "s", "s", "s",  /* U+0158 */
    "s", "s", "t", "t", "t", "t", "t", "t",  /* U+0160 */
    "u", "u", "u", "u", "u", "u", "u", "u",  /* U+0168 */
    "u", "u", "u", "u", "w", "w", "y", "y",  /* U+0170 */
    "y", "z", "z", "z", "z", "z", "z", "s",  /* U+0178 */
};

/* Decodes one UTF-8 character; returns its length (1 for a bad byte). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    size_t n = s[0] < 0x80 ? 0 : s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;

    *cp = n == 0 ? s[0] : s[0] & (0x3f >> n);
    for (size_t i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    return n + 1;
}

static const char *fold(uint32_t cp)
{
    return cp >= 0xc0 && cp < 0x180 ? folds[cp - 0xc0] : NULL;
}

char *slugify(const char *title, size_t max)
{
    const unsigned char *s = (const unsigned char *)title;
    struct strbuf sb = STRBUF_INIT;
    bool dash = false;

    while (*s) {
        uint32_t cp;
        const char *ascii;
        char lower[2] = { 0 };

        s += utf8_next(s, &cp);
        if (cp < 0x80 && ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')))
            lower[0] = (char)cp;
        else if (cp >= 'A' && cp <= 'Z')
            lower[0] = (char)(cp - 'A' + 'a');
        else if (cp == '\'' || cp == 0x2019 || cp == 0x2018)
            continue;               /* "Milas' leven" -> "milas-leven" */
        ascii = lower[0] ? lower : fold(cp);
        if (!ascii) {
            dash = sb.len > 0;
            continue;
        }
        if (dash)
            strbuf_addch(&sb, '-');
        dash = false;
        strbuf_addstr(&sb, ascii);
    }
    if (sb.len > max) {
        /* Cut at a word boundary where one is near. */
        size_t cut = max;

        while (cut > max / 2 && sb.buf[cut] != '-')
            cut--;
        strbuf_setlen(&sb, cut > max / 2 ? cut : max);
        while (sb.len && sb.buf[sb.len - 1] == '-')
            strbuf_setlen(&sb, sb.len - 1);
    }
    if (!sb.len)
        strbuf_addstr(&sb, "episode");
    return strbuf_detach(&sb, NULL);
}
