/*
 * The plan of a publish: every public file of the show under its key,
 * hashed (through the file-identity cache .podpub/hash-cache), compared
 * with the target's manifest; the guard over what listeners already
 * have; what --prune may delete. The manifest and the live feed are as
 * long as someone else made them: everything here is O(n log n).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "podpub/fileid.h"
#include "podpub/media.h"


/* --- what goes where -------------------------------------------------- */

/*
 * The Content-Type of 'key': chapters/ holds chapters files, the rest is
 * known by its extension, in any case (".MP3" is MP3, as probe reads it).
 */
static const char *type_of(const char *key)
{
    const struct media_type *m = starts_with(key, "chapters/") ?
                                 &media_chapters : media_of_name(key);

    return m ? m->content_type : "application/octet-stream";
}

/*
 * Adds 'key' (a copy) from the local file 'local' to the plan, for the
 * episode 'guid' (NULL: the show's). A key named twice (a shared cover)
 * is dropped later by plan_dedupe(). Returns 0, or PP_ERR_INPUT for a
 * name that cannot be published (printed).
 */
static int plan_add(struct plan *p, const char *key, const char *local,
                    const char *guid)
{
    struct pfile *f;
    const char *why;

    if (!key || !local)
        die("plan_add: a file without a key or a local path");
    if (!key_valid(key, strlen(key), &why)) {
        char *shown = printable(key, 200);
        int ret = errorf(PP_ERR_INPUT, "'%s' cannot be published under that "
                         "name: it has %s", shown, why);

        free(shown);
        return ret;
    }
    ALLOC_GROW(p->files, p->nr + 1, p->alloc);
    f = &p->files[p->nr++];
    memset(f, 0, sizeof(*f));
    f->key = xstrdup(key);
    f->local = xstrdup(local);
    f->guid = guid;
    f->type = type_of(key);
    /* Feeds and pages change; media under a name rarely do. */
    f->cache = ends_with(key, ".xml") || ends_with(key, ".html") ?
               "public, max-age=300" : "public, max-age=86400";
    return 0;
}

void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nr; i++) {
        free(p->files[i].key);
        free(p->files[i].local);
    }
    free(p->files);
    for (size_t i = 0; i < p->remove_nr; i++)
        free(p->remove[i]);
    free(p->remove);
    free(p->removed);
    memset(p, 0, sizeof(*p));
}

/*
 * The key under the target of the public URL 'url', when it lies under
 * 'base' (percent-escapes decoded): a copy the caller frees, or NULL for
 * a URL elsewhere or a name key_valid() refuses.
 */
static char *key_of_url(const char *base, const char *url)
{
    size_t n = strlen(base), len;
    char *key;

    if (!url || strncmp(url, base, n) || !url[n])
        return NULL;
    key = url_unescape(url + n, &len);
    if (!key_valid(key, len, NULL))
        FREE_AND_NULL(key);
    return key;
}

int plan_feed_key(const struct show *show, char **key)
{
    const char *url = show->feed_url.s, *base = show->base_url.s;

    *key = NULL;
    if (!url || !starts_with(url, base) || !url[strlen(base)]) {
        *key = xstrdup("feed.xml");
        return 0;
    }
    *key = key_of_url(base, url);
    if (!*key || !strncmp(*key, ".podpub/", 8)) {
        char *shown = printable(url, 200);
        int ret = input_error(&show->feed_url.pos, "feed_url", "\"%s\" "
                              "cannot be published: its path under base_url "
                              "must be a plain relative name (no '.', '..', "
                              "'//', backslash or .podpub/)", shown);

        free(shown);
        FREE_AND_NULL(*key);
        return ret;
    }
    return 0;
}

/* --- lookups ----------------------------------------------------------- */

/*
 * A sorted index of strings (guids, URLs, keys), each with the position
 * it came from: the live feed and the manifest are as long as someone
 * else made them, so comparing them with the show is O(n log n), never
 * one against all.
 */
struct sindex {
    struct sentry {
        const char *s;
        size_t at;
    } *items;
    size_t nr;
};

static int cmp_sentry(const void *a, const void *b)
{
    const struct sentry *x = a, *y = b;
    int c = strcmp(x->s, y->s);

    return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Indexes the non-NULL strings get(ctx, i) for i below 'nr'. */
static void sindex_build(struct sindex *ix, size_t nr,
                         const char *(*get)(const void *ctx, size_t i),
                         const void *ctx)
{
    ix->items = xcalloc(nr + 1, sizeof(*ix->items));
    ix->nr = 0;
    for (size_t i = 0; i < nr; i++) {
        const char *s = get(ctx, i);

        if (s)
            ix->items[ix->nr++] = (struct sentry){ s, i };
    }
    if (ix->nr)
        qsort(ix->items, ix->nr, sizeof(*ix->items), cmp_sentry);
}

/* The position of the first 's', or -1. */
static long sindex_find(const struct sindex *ix, const char *s)
{
    size_t lo = 0, hi = ix->nr;

    if (!s)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(ix->items[mid].s, s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nr && !strcmp(ix->items[lo].s, s) ?
           (long)ix->items[lo].at : -1;
}

static void sindex_release(struct sindex *ix)
{
    free(ix->items);
    ix->items = NULL;
    ix->nr = 0;
}

static const char *ep_guid(const void *ctx, size_t i)
{
    return ((struct episode *const *)ctx)[i]->guid.s;
}

static const char *ep_url(const void *ctx, size_t i)
{
    return ((struct episode *const *)ctx)[i]->enclosure_url;
}

static const char *live_guid(const void *ctx, size_t i)
{
    return ((const struct show *)ctx)->episodes[i].guid.s;
}

static const char *plan_key(const void *ctx, size_t i)
{
    return ((const struct plan *)ctx)->files[i].key;
}

/*
 * Drops every file whose key an earlier file of the plan has (one cover
 * for several episodes), keeping the first: sorted indexes, O(n log n).
 */
static void plan_dedupe(struct plan *p)
{
    struct sindex ix;
    bool *drop = xcalloc(p->nr + 1, sizeof(*drop));
    size_t kept = 0;

    sindex_build(&ix, p->nr, plan_key, p);
    for (size_t i = 1; i < ix.nr; i++)
        if (!strcmp(ix.items[i].s, ix.items[i - 1].s))
            drop[ix.items[i].at] = true;   /* sorted by key, then place */
    sindex_release(&ix);
    for (size_t i = 0; i < p->nr; i++) {
        if (drop[i]) {
            free(p->files[i].key);
            free(p->files[i].local);
        } else {
            p->files[kept++] = p->files[i];
        }
    }
    p->nr = kept;
    free(drop);
}

int plan_files(struct plan *p, const char *out_dir, const struct show *show,
               const struct build_result *res, const char *fkey)
{
    char *local, *key;
    int ret = 0;

#define ADD(k, l, g) do { if (plan_add(p, k, l, g) < 0) ret = PP_ERR_INPUT; \
                     } while (0)
    for (size_t i = 0; i < res->live_nr; i++) {
        const struct episode *ep = res->live[i];
        const char *guid = ep->guid.s;

        if (ep->audio.s)   /* audio_url: hosted elsewhere, not uploaded */
            ADD(ep->audio.s, ep->audio_path, guid);
        for (size_t k = 0; k < ep->transcripts_nr; k++)
            if (ep->transcripts[k].path)
                ADD(ep->transcripts[k].file.s, ep->transcripts[k].path,
                    guid);
        if (ep->image.s)
            ADD(ep->image.s, ep->image_path, guid);
        for (size_t k = 0; k < ep->pi.images_nr; k++)
            if (ep->pi.images[k].path)
                ADD(ep->pi.images[k].href.s, ep->pi.images[k].path, guid);
        for (size_t k = 0; k < ep->alts_nr; k++)
            ADD(ep->alts[k].key, ep->alts[k].path, guid);
        if (ep->chapters_nr) {
            key = xstrfmt("chapters/%s.json", ep->name);
            local = xstrfmt("%s/%s", out_dir, key);
            ADD(key, local, guid);
            free(local);
            free(key);
        }
    }
    if (show->image.s)
        ADD(show->image.s, show->image_path, NULL);
    for (size_t k = 0; k < show->pi.images_nr; k++)
        if (show->pi.images[k].path)
            ADD(show->pi.images[k].href.s, show->pi.images[k].path, NULL);
    local = xstrfmt("%s/index.html", out_dir);
    ADD("index.html", local, NULL);
    free(local);
    if (res->archive_path)
        ADD("feed-all.xml", res->archive_path, NULL);
    ADD(fkey, res->feed_path, NULL);
#undef ADD
    plan_dedupe(p);
    p->feed = &p->files[p->nr - 1];
    return ret;
}

/* --- hashing ------------------------------------------------------------ */

int plan_hash(struct plan *p, const struct path_roots *roots, bool save)
{
    struct fileid_cache *cache = fileid_cache_load(PP_HASH_CACHE,
                                                   PP_HASH_CACHE_MAGIC);
    int ret = 0;

    for (size_t i = 0; i < p->nr && ret == 0; i++) {
        struct pfile *f = &p->files[i];
        struct confined_file cf;
        enum confine c = file_open_confined(f->local, roots, &cf);

        if (c != CONFINED) {
            char *why = confine_reason(c, f->local, &cf);

            ret = errorf(c == CONFINE_ERRNO ? PP_ERR_IO : PP_ERR_INPUT,
                         "%s", why);
            free(why);
            confined_close(&cf);
            break;
        }
        f->size = (uint64_t)cf.st.st_size;
        f->dev = cf.st.st_dev;
        f->ino = cf.st.st_ino;
        f->mtime = cf.st.st_mtim;
        ret = fileid_cache_sha256(cache, f->local, cf.fd, &cf.st, f->sha256);
        confined_close(&cf);
    }
    if (ret == 0 && save) {
        mkdir(".podpub", 0755);
        if (fileid_cache_save(cache) < 0)
            warnf("the hash cache was not saved");
    }
    fileid_cache_free(cache);
    return ret;
}

int plan_reasons(struct plan *p, const struct manifest *m,
                 const struct strbuf *live)
{
    for (size_t i = 0; i < p->nr; i++) {
        struct pfile *f = &p->files[i];
        const struct manifest_entry *e = manifest_find(m, f->key);

        if (f == p->feed) {
            /*
             * The feed is compared as it is served, byte for byte (it is
             * not in the manifest, so a feed that failed to go up is never
             * taken as up).
             */
            struct strbuf mine = STRBUF_INIT;

            if (strbuf_read_file(&mine, f->local, 64u << 20) < 0)
                return PP_ERR_IO;
            f->reason = !live ? "new" : mine.len != live->len ||
                        memcmp(mine.buf, live->buf, live->len) ? "changed" :
                        NULL;
            strbuf_release(&mine);
        } else {
            f->reason = !e ? "new" : e->size != f->size ||
                        strcmp(e->sha256, f->sha256) ? "changed" : NULL;
        }
        if (f->reason) {
            p->uploads++;
            p->upload_bytes += f->size;
        }
    }
    return 0;
}

/* --- the guard: what listeners already have ---------------------------- */

void plan_compare(const struct show *live, const struct build_result *res,
                  bool allow_removal, bool allow_guid_change, struct diff *d)
{
    struct sindex guids, urls, old_guids;

    sindex_build(&guids, res->live_nr, ep_guid, res->live);
    sindex_build(&urls, res->live_nr, ep_url, res->live);
    sindex_build(&old_guids, live->nr, live_guid, live);
    for (size_t i = 0; i < live->nr; i++) {
        const struct episode *old = &live->episodes[i];
        long at = sindex_find(&guids, old->guid.s);
        const struct episode *now = at >= 0 ? res->live[at] : NULL;
        /* The live feed is read from the target: escape what it says. */
        char *t = printable(old->title.s ? old->title.s : "(untitled)", 80);
        char *g = printable(old->guid.s ? old->guid.s : "(none)", 120);
        char *u = old->enclosure_url ? printable(old->enclosure_url, 200)
                                     : NULL;

        if (now) {
            if (old->enclosure_url && now->enclosure_url &&
                strcmp(old->enclosure_url, now->enclosure_url)) {
                d->url_changed++;
                if (!allow_guid_change)
                    strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                                "change its audio URL from %s to %s\n", t,
                                g, u, now->enclosure_url);
            } else if (old->notes.html && *now->notes.html &&
                       strcmp(old->notes.html, now->notes.html)) {
                d->changed_notes++;
            }
            goto next;
        }
        /* Gone, or the same audio under a new guid? */
        at = sindex_find(&urls, old->enclosure_url);
        now = at >= 0 ? res->live[at] : NULL;
        if (now) {
            d->guid_changed++;
            if (!allow_guid_change)
                strbuf_addf(&d->refusals, "  \"%s\" would change its guid "
                            "from %s to %s (%s): every app would download "
                            "it again as a new episode\n", t, g,
                            now->guid.s, now->path);
        } else {
            d->removed++;
            if (!allow_removal)
                strbuf_addf(&d->refusals, "  \"%s\" (guid %s) would "
                            "disappear from the feed\n", t, g);
        }
next:
        free(t);
        free(g);
        free(u);
    }
    for (size_t i = 0; i < res->feed_nr; i++)
        d->added += sindex_find(&old_guids, res->feed[i]->guid.s) < 0;
    sindex_release(&guids);
    sindex_release(&urls);
    sindex_release(&old_guids);
}

/* --- pruning ------------------------------------------------------------ */

/*
 * Candidate 'key' for removal: only when podpub published it (it is in
 * the manifest) and the show does not publish it now.
 */
static void candidate(struct plan *p, const struct manifest *m,
                      const struct sindex *planned, const char *key,
                      size_t *alloc)
{
    if (!manifest_find(m, key) || sindex_find(planned, key) >= 0)
        return;
    ALLOC_GROW(p->remove, p->remove_nr + 1, *alloc);
    p->remove[p->remove_nr++] = xstrdup(key);
}

/* The same for the live feed's URL 'url', when it lies under 'base'. */
static void candidate_url(struct plan *p, const struct manifest *m,
                          const struct sindex *planned, const char *base,
                          const char *url, size_t *alloc)
{
    char *key = key_of_url(base, url);

    if (key)
        candidate(p, m, planned, key, alloc);
    free(key);
}

/*
 * What --prune may delete: only files podpub itself published (in the
 * manifest) of episodes that left the feed: an entry whose recorded guid
 * is no episode of the show now, or a file the live feed (before this
 * publish) names for an episode no longer in the show. Never a file the
 * show still publishes, never anything outside the target's prefix
 * (every key is validated), never a file the manifest does not list.
 */
void plan_prune(struct plan *p, const struct manifest *m,
                const struct show *live, const struct show *show,
                const struct build_result *res)
{
    struct sindex now, planned;
    size_t alloc = 0, kept = 0;

    sindex_build(&now, res->live_nr, ep_guid, res->live);
    sindex_build(&planned, p->nr, plan_key, p);
    for (size_t i = 0; i < m->nr; i++)
        if (m->items[i].guid && sindex_find(&now, m->items[i].guid) < 0)
            candidate(p, m, &planned, m->items[i].key, &alloc);
    for (size_t i = 0; live && i < live->nr; i++) {
        const struct episode *old = &live->episodes[i];

        if (!old->guid.s || sindex_find(&now, old->guid.s) >= 0)
            continue;
        candidate_url(p, m, &planned, show->base_url.s, old->enclosure_url,
                      &alloc);
        for (size_t k = 0; k < old->transcripts_nr; k++)
            candidate_url(p, m, &planned, show->base_url.s,
                          old->transcripts[k].file.s, &alloc);
        candidate_url(p, m, &planned, show->base_url.s, old->image.s,
                      &alloc);
    }
    /* Each key once, in order. */
    if (p->remove_nr)
        qsort(p->remove, p->remove_nr, sizeof(*p->remove), cmp_strings);
    for (size_t i = 0; i < p->remove_nr; i++) {
        if (kept && !strcmp(p->remove[kept - 1], p->remove[i]))
            free(p->remove[i]);
        else
            p->remove[kept++] = p->remove[i];
    }
    p->remove_nr = kept;
    sindex_release(&now);
    sindex_release(&planned);
}
