/*
 * `podpub check --online`: every URL of the feed fetched as an app would,
 * a HEAD and, for media, a two-byte range, many at once. What a listener's
 * app needs: an answer, the right size and type, and byte ranges for
 * streaming and seeking.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "podpub/check.h"
#include "podpub/feed.h"
#include "podpub/feedread.h"
#include "podpub/net.h"
#include "podpub/uuid.h"

enum url_kind { URL_ENCLOSURE, URL_IMAGE, URL_TRANSCRIPT, URL_CHAPTERS,
                URL_FEED };

struct target {
    char *url;
    enum url_kind kind;
    struct srcpos pos;
    int64_t size;               /* local bytes, -1 when unknown */
    const char *type;           /* expected Content-Type, NULL: any */
    size_t head, range;         /* indexes into the probes */
};

static int64_t file_size(const char *path)
{
    struct stat st;

    return path && stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static void add_target(struct target **t, size_t *nr, char *url,
                       enum url_kind kind, const struct srcpos *pos,
                       int64_t size, const char *type)
{
    *t = xrealloc(*t, (*nr + 1) * sizeof(**t));
    (*t)[*nr] = (struct target){ url, kind, *pos, size, type, 0, 0 };
    (*nr)++;
}

/* "audio/mp4; charset=..." -> compared without parameters and case. */
static bool type_matches(const char *got, const char *want)
{
    size_t n = strcspn(got, "; ");

    if (strlen(want) == n && !strncasecmp(got, want, n))
        return true;
    /* Servers name M4A audio either way; both play. */
    if ((!strcmp(want, "audio/x-m4a") || !strcmp(want, "audio/mp4")) &&
        ((n == 11 && !strncasecmp(got, "audio/x-m4a", n)) ||
         (n == 9 && !strncasecmp(got, "audio/mp4", n))))
        return true;
    return !strcmp(want, "image/jpeg") && n == 11 &&
           !strncasecmp(got, "image/jpg", n);
}

static bool judge(struct check_report *r, const struct target *t,
                  const struct http_probe *p, bool range)
{
    if (p->failed) {
        const char *rule = strstr(p->error, "redirect") ? "online.redirects"
                                                        : "online.unreachable";

        report_add(r, rule, &t->pos, t->url, "%s%s: %s", range ? "range "
                   "request for " : "", t->url, p->error);
        return !strcmp(rule, "online.unreachable");
    }
    if (!range && p->status != 200) {
        report_add(r, "online.status", &t->pos, t->url, "%s answers HTTP %ld "
                   "(want 200)", t->url, p->status);
        return false;
    }
    if (range) {
        if (p->status != 206 || !*p->content_range)
            report_add(r, "online.ranges", &t->pos, t->url, "%s answers a "
                       "range request with HTTP %ld, not 206 Partial Content: "
                       "apps cannot stream or seek", t->url, p->status);
        return false;
    }
    if (t->kind == URL_ENCLOSURE && !p->accept_ranges)
        report_add(r, "online.ranges", &t->pos, t->url, "%s does not send "
                   "\"Accept-Ranges: bytes\"", t->url);
    if (t->size >= 0 && p->content_length >= 0 &&
        p->content_length != t->size)
        report_add(r, "online.length", &t->pos, t->url, "%s is %" PRId64
                   " bytes there, %" PRId64 " here", t->url,
                   p->content_length, t->size);
    else if (t->size >= 0 && p->content_length < 0 && t->kind == URL_ENCLOSURE)
        report_add(r, "online.length", &t->pos, t->url, "%s sends no "
                   "Content-Length", t->url);
    if (t->type && !type_matches(p->content_type, t->type))
        report_add(r, "online.type", &t->pos, t->url, "%s is served as "
                   "\"%s\", the feed says \"%s\"", t->url,
                   *p->content_type ? p->content_type : "(no type)",
                   t->type);
    return false;
}

/* The live feed at feed_url must be this show's: same podcast:guid. */
static bool check_live_guid(struct check_report *r, const struct show *show,
                            const struct target *t, long timeout_s)
{
    struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
    struct show live = { 0 };
    struct feed_doc doc = { 0 };
    char want[UUID_STR_LEN];
    long status = 0;
    bool unreachable = false;

    if (http_get(t->url, timeout_s, 64u << 20, &body, &status, &err) < 0) {
        unreachable = true;   /* reported by the HEAD already */
    } else if (status == 200 &&
               feed_read(t->url, body.buf, body.len, &live, &doc) < 0) {
        const struct feed_issue *is = &doc.issues[doc.issues_nr - 1];

        report_add(r, "online.guid", &t->pos, t->url, "the feed at %s "
                   "cannot be read (line %d: %s), so its podcast:guid "
                   "cannot be compared", t->url, is->pos.line,
                   is->kind == FEED_ISSUE_XML ||
                   is->kind == FEED_ISSUE_ENTITY ? is->text :
                   "not an RSS feed with a <channel>");
    } else if (status == 200) {
        if (show->guid.s)
            snprintf(want, sizeof(want), "%s", show->guid.s);
        else
            podcast_guid_for_url(show->feed_url.s, want);
        if (!live.guid.s || strcasecmp(live.guid.s, want))
            report_add(r, "online.guid", &t->pos, t->url, "the feed at %s "
                       "has podcast:guid %s, this show %s", t->url,
                       live.guid.s ? live.guid.s : "(none)", want);
    }
    show_release(&live);
    feed_doc_release(&doc);
    strbuf_release(&body);
    strbuf_release(&err);
    return unreachable;
}

/*
 * A show that moved here (moved_from): its old feed URL must answer a
 * permanent redirect to feed_url, which apps follow and remember.
 */
static void judge_moved(struct check_report *r, const struct show *show,
                        const struct http_probe *p)
{
    const struct srcpos *pos = &show->moved_from.pos;
    const char *old = show->moved_from.s, *want = show->feed_url.s;

    if (p->failed) {
        report_add(r, "online.moved", pos, old, "the old feed %s cannot be "
                   "reached (%s): listeners who still have it get nothing; "
                   "point it at %s with a 301", old, p->error, want);
    } else if (p->status == 200) {
        report_add(r, "online.moved", pos, old, "the old feed %s still "
                   "answers 200: make it redirect to %s with a 301 (README: "
                   "\"Moving a show to podpub\")", old, want);
    } else if (p->status == 301 || p->status == 308) {
        if (strcmp(p->location, want))
            report_add(r, "online.moved", pos, old, "the old feed %s "
                       "redirects to %s, not to this feed %s", old,
                       *p->location ? p->location : "(nowhere)", want);
    } else if (p->status >= 300 && p->status < 400) {
        report_add(r, "online.moved", pos, old, "the old feed %s answers "
                   "HTTP %ld: a temporary redirect, which apps follow but do "
                   "not remember; make it a 301 to %s", old, p->status,
                   want);
    } else {
        report_add(r, "online.moved", pos, old, "the old feed %s answers "
                   "HTTP %ld, not a 301 to %s", old, p->status, want);
    }
}

int check_online(struct check_report *r, const struct show *show,
                 const struct feed_doc *doc, struct episode *const *live,
                 size_t nr, int jobs, long timeout_s)
{
    struct target *t = NULL;
    struct http_probe *probes;
    size_t tnr = 0, pnr = 0;
    struct srcpos show_pos = { show->path, 1, 1 };
    bool unreachable = false;

    if (show->feed_url.s)
        add_target(&t, &tnr, xstrdup(show->feed_url.s), URL_FEED,
                   show->feed_url.pos.file ? &show->feed_url.pos : &show_pos,
                   -1, NULL);
    if (show->image_url)
        add_target(&t, &tnr, xstrdup(show->image_url), URL_IMAGE,
                   show->image.pos.file ? &show->image.pos : &show_pos,
                   file_size(show->image_path),
                   show->image_path ? (ends_with(show->image_path, ".png") ?
                                       "image/png" : "image/jpeg") : NULL);
    if (doc)
        nr = show->nr;
    for (size_t i = 0; i < nr; i++) {
        const struct episode *ep = doc ? &show->episodes[i] : live[i];
        const struct feed_item *it = doc ? &doc->items[i] : NULL;
        struct srcpos ep_pos = it ? it->pos : (struct srcpos){ ep->path, 1,
                                                               1 };
        const char *type = it ? it->enclosure_type.s : ep->media.mime;

        if (ep->enclosure_url)
            add_target(&t, &tnr, xstrdup(ep->enclosure_url), URL_ENCLOSURE,
                       ep->audio.pos.file ? &ep->audio.pos :
                       ep->audio_url.pos.file ? &ep->audio_url.pos : &ep_pos,
                       ep->media.probed || (it && it->length.s) ?
                       (int64_t)ep->media.size : -1, type);
        if (ep->image_url && (ep->image_path || it))
            add_target(&t, &tnr, xstrdup(ep->image_url), URL_IMAGE,
                       &ep->image.pos, file_size(ep->image_path), NULL);
        for (size_t k = 0; k < ep->transcripts_nr; k++)
            if (ep->transcripts[k].url)
                add_target(&t, &tnr, xstrdup(ep->transcripts[k].url),
                           URL_TRANSCRIPT, &ep->transcripts[k].file.pos,
                           file_size(ep->transcripts[k].path), NULL);
        if (ep->chapters_nr && !it) {
            struct strbuf json = STRBUF_INIT;

            chapters_render(ep, &json);
            add_target(&t, &tnr, xstrdup(ep->chapters_url), URL_CHAPTERS,
                       &ep_pos, (int64_t)json.len, NULL);
            strbuf_release(&json);
        }
    }
    probes = xcalloc(2 * tnr + 2, sizeof(*probes));
    for (size_t i = 0; i < tnr; i++) {
        t[i].head = pnr;
        probes[pnr++] = (struct http_probe){ .url = t[i].url };
        if (t[i].kind == URL_ENCLOSURE) {
            t[i].range = pnr;
            probes[pnr++] = (struct http_probe){ .url = t[i].url,
                                                 .range = true };
        }
    }
    /* The old feed of a show that moved here, last. */
    if (show->moved_from.s && show->feed_url.s && !doc)
        probes[pnr++] = (struct http_probe){ .url = show->moved_from.s,
                                             .no_follow = true };
    http_probe_all(probes, pnr, jobs, timeout_s);
    if (show->moved_from.s && show->feed_url.s && !doc)
        judge_moved(r, show, &probes[pnr - 1]);
    for (size_t i = 0; i < tnr; i++) {
        bool lost = judge(r, &t[i], &probes[t[i].head], false);

        unreachable |= lost;
        if (!lost && t[i].kind == URL_ENCLOSURE &&
            !probes[t[i].head].failed && probes[t[i].head].status == 200)
            judge(r, &t[i], &probes[t[i].range], true);
        if (!lost && t[i].kind == URL_FEED && probes[t[i].head].status == 200)
            unreachable |= check_live_guid(r, show, &t[i], timeout_s);
        free(t[i].url);
    }
    free(t);
    free(probes);
    return unreachable ? PP_ERR_REMOTE : 0;
}
