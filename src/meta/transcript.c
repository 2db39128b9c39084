/*
 * Transcripts are judged by what they hold, not by their name: a file
 * called .vtt that is a shell history, a symlink target's secrets or a
 * half-written export would otherwise go to every listener's app. Each
 * type gets the check its readers rely on: WebVTT's signature, SubRip's
 * cue structure, the Podcast Index JSON shape, and text that is UTF-8.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "podpub/strbuf.h"
#include "podpub/yamltree.h"

/* A transcript file larger than this is refused rather than read. */
#define TRANSCRIPT_MAX (32u << 20)

/* The 1-based line of byte 'off' in 'buf'. */
static int line_of(const char *buf, size_t off)
{
    int line = 1;

    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* Reports a problem at 'ep's transcript field; returns PP_ERR_INPUT. */
static int bad(const struct episode *ep, const char *fmt, const char *detail,
               int line)
{
    char *path = printable(ep->transcript_path, 200);
    int ret;

    if (line)
        ret = input_error(&ep->transcript.pos, "transcript", "'%s' line %d: "
                          "%s%s", path, line, fmt, detail ? detail : "");
    else
        ret = input_error(&ep->transcript.pos, "transcript", "'%s' %s%s",
                          path, fmt, detail ? detail : "");
    free(path);
    return ret;
}

/* "HH:MM:SS,mmm" (SubRip; hours of any length) at 'p': its length or 0. */
static size_t srt_time(const char *p, const char *end)
{
    const char *s = p;

    while (s < end && isdigit((unsigned char)*s))
        s++;
    if (s == p || end - s < 10 || s[0] != ':' ||
        !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
        s[3] != ':' || !isdigit((unsigned char)s[4]) ||
        !isdigit((unsigned char)s[5]) || (s[6] != ',' && s[6] != '.') ||
        !isdigit((unsigned char)s[7]) || !isdigit((unsigned char)s[8]) ||
        !isdigit((unsigned char)s[9]))
        return 0;
    return (size_t)(s + 10 - p);
}

/*
 * SubRip: blocks separated by blank lines, each a cue number, a line
 * "00:00:01,000 --> 00:00:04,000" and the text.
 */
static int check_srt(const struct episode *ep, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    size_t cues = 0;

    while (p < end) {
        const char *nl, *t;
        size_t n;

        /* Blank lines between blocks. */
        while (p < end && (*p == '\n' || *p == '\r'))
            p++;
        if (p == end)
            break;
        nl = memchr(p, '\n', (size_t)(end - p));
        n = strspn(p, "0123456789");
        if (!n || (p + n < end && p[n] != '\r' && p[n] != '\n'))
            return bad(ep, "is not SubRip (.srt): a cue number was "
                       "expected", NULL, line_of(buf, (size_t)(p - buf)));
        if (!nl)
            return bad(ep, "is not SubRip (.srt): the cue has no timing "
                       "line", NULL, line_of(buf, (size_t)(p - buf)));
        t = nl + 1;
        if (!(n = srt_time(t, end)) || end - (t + n) < 5 ||
            memcmp(t + n, " --> ", 5) || !srt_time(t + n + 5, end))
            return bad(ep, "is not SubRip (.srt): want a timing line "
                       "\"00:00:01,000 --> 00:00:04,000\"", NULL,
                       line_of(buf, (size_t)(t - buf)));
        cues++;
        /* The text: up to the next blank line. */
        p = t;
        while (p < end) {
            nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                p = end;
                break;
            }
            p = nl + 1;
            if (p < end && (*p == '\n' || (*p == '\r' && p + 1 < end &&
                                           p[1] == '\n')))
                break;
        }
    }
    if (!cues)
        return bad(ep, "is not SubRip (.srt): it has no cues", NULL, 0);
    return 0;
}

/*
 * The Podcast Index JSON transcript: {"version": "1.0.0", "segments":
 * [{"startTime": 0.5, "endTime": 2, "body": "...", "speaker": "..."}]}.
 */
static int check_json(const struct episode *ep, const char *buf, size_t len)
{
    struct ynode *root = NULL;
    const struct ynode *segs;
    int ret;

    if ((ret = ytree_load(ep->transcript_path, buf, len, 0, &root)) < 0)
        return ret;
    segs = ytree_get(root, "segments");
    if (!root || root->type != YNODE_MAP || !segs || segs->type != YNODE_SEQ) {
        ret = bad(ep, "is not a Podcast Index JSON transcript: want "
                  "{\"version\": \"1.0.0\", \"segments\": [...]}", NULL, 0);
        goto out;
    }
    for (size_t i = 0; i < segs->nr; i++) {
        const struct ynode *s = segs->items[i];
        const struct ynode *body = ytree_get(s, "body");
        const struct ynode *start = ytree_get(s, "startTime");
        const struct ynode *stop = ytree_get(s, "endTime");
        int64_t a, b;

        if (s->type != YNODE_MAP || !body || body->type != YNODE_SCALAR ||
            !start || start->type != YNODE_SCALAR ||
            chapter_time_parse(start->value, &a) < 0 ||
            !stop || stop->type != YNODE_SCALAR ||
            chapter_time_parse(stop->value, &b) < 0 || b < a) {
            ret = bad(ep, "is not a Podcast Index JSON transcript: a segment "
                      "needs \"startTime\", \"endTime\" (seconds, not before "
                      "the start) and \"body\"", NULL, s->pos.line);
            goto out;
        }
    }
out:
    ytree_free(root);
    return ret;
}

int transcript_check(const struct episode *ep, int fd)
{
    struct strbuf sb = STRBUF_INIT;
    const char *buf;
    size_t len, off;
    const char *why;
    int ret;

    if ((ret = strbuf_read_fd(&sb, fd, ep->transcript_path,
                              TRANSCRIPT_MAX)) < 0) {
        input_error_count++;
        goto out;
    }
    buf = sb.buf;
    len = sb.len;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        buf += 3;
        len -= 3;
    }
    /* Every kind is text: UTF-8, no NUL or control characters. */
    if (utf8_check_xml(buf, len, &off, &why) < 0) {
        ret = bad(ep, "is not a text file: ", why, line_of(buf, off));
        goto out;
    }
    if (!strcmp(ep->transcript_type, "text/vtt")) {
        /* "WEBVTT", then a space, tab or line end (WebVTT 4.1). */
        if (len < 6 || memcmp(buf, "WEBVTT", 6) ||
            (len > 6 && buf[6] != ' ' && buf[6] != '\t' && buf[6] != '\n' &&
             buf[6] != '\r'))
            ret = bad(ep, "is not WebVTT: it must start with \"WEBVTT\"",
                      NULL, 0);
    } else if (!strcmp(ep->transcript_type, "application/x-subrip")) {
        ret = check_srt(ep, buf, len);
    } else if (!strcmp(ep->transcript_type, "application/json")) {
        ret = check_json(ep, buf, len);
    }
out:
    strbuf_release(&sb);
    return ret;
}
