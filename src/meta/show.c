/*
 * feed/podcast.yaml -> struct show, and the whole show (show file plus
 * every episode file) with the checks that need all of it: unique GUIDs,
 * unique episode numbers, the files that episodes name.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "epcache.h"
#include "fields.h"
#include "listing.h"
#include "podpub/strbuf.h"

static const char *const show_keys[] = {
    "title", "description", "language", "link", "author", "owner", "image",
    "categories", "explicit", "type", "copyright", "timezone", "base_url",
    "feed_url", "guid", "locked", "funding", "publish", "links",
    "feed_limit", "check", "media_roots", "loudness", "alternates",
    "moved_to", "moved_from",
    /* Podcast Index namespace (pi.c) */
    "persons", "location", "license", "medium", "txt", "podroll",
    "update_frequency", "block", "complete", "chapters_in_notes", "value",
    "images", NULL,
};
static const char *const check_keys[] = { "ignore", NULL };
static const char *const owner_keys[] = { "name", "email", "hide_email",
                                           NULL };
static const char *const publish_keys[] = { "target", "notify", "logs",
                                             "podping", NULL };
static const char *const podping_keys[] = { "token_env", "url", NULL };

static void text_release(struct text *t)
{
    FREE_AND_NULL(t->s);
}

static int parse_categories(struct show *show, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "categories");
    const struct ynode *single[1];
    const struct ynode *const *items;
    size_t nr;
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type == YNODE_SCALAR) {
        single[0] = n;
        items = single;
        nr = 1;
    } else if (n->type == YNODE_SEQ) {
        items = (const struct ynode *const *)n->items;
        nr = n->nr;
    } else {
        return input_error(&n->pos, "categories",
                           "want a list of \"Category/Subcategory\", got %s",
                           ytree_kind(n));
    }
    for (size_t i = 0; i < nr; i++) {
        const struct ynode *c = items[i];
        const char *slash;
        char *name, *sub = NULL;

        if (c->type != YNODE_SCALAR) {
            ret = input_error(&c->pos, "categories", "want text, got %s",
                              ytree_kind(c));
            continue;
        }
        if (meta_check_text(c, "categories") < 0) {
            ret = PP_ERR_INPUT;
            continue;
        }
        slash = strchr(c->value, '/');
        name = slash ? xstrndup(c->value, (size_t)(slash - c->value))
                     : xstrdup(c->value);
        if (slash)
            sub = xstrdup(slash + 1);
        show->categories = xrealloc(show->categories,
                                    (show->categories_nr + 1) *
                                    sizeof(*show->categories));
        show->categories[show->categories_nr].name = name;
        show->categories[show->categories_nr].sub = sub;
        show->categories[show->categories_nr].pos = c->pos;
        show->categories_nr++;
    }
    return ret;
}

/* Reads the nested mapping 'key' with its 'known' keys; NULL if absent. */
static const struct ynode *sub_map(const struct ynode *root, const char *key,
                                   const char *const *known, int *ret)
{
    const struct ynode *n = ytree_get(root, key);
    char prefix[32];

    if (!n || ytree_is_null(n))
        return NULL;
    if (n->type != YNODE_MAP) {
        *ret = input_error(&n->pos, key, "want a mapping, got %s",
                           ytree_kind(n));
        return NULL;
    }
    snprintf(prefix, sizeof(prefix), "%s.", key);
    if (meta_check_keys(n, known, prefix) < 0)
        *ret = PP_ERR_INPUT;
    return n;
}

/* True for a name a shell can export: [A-Za-z_][A-Za-z0-9_]*. */
static bool env_name_ok(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/*
 * publish.podping: {token_env: NAME, url: URL}. The token stays in the
 * environment: podcast.yaml is in git.
 */
static int parse_podping(struct show *show, const struct ynode *pub)
{
    int ret = 0;
    const struct ynode *n = sub_map(pub, "podping", podping_keys, &ret);

    if (!n)
        return ret;
    if (meta_text(n, "token_env", "publish.podping.token_env", true,
                  &show->podping_env) < 0)
        return PP_ERR_INPUT;
    if (!env_name_ok(show->podping_env.s))
        ret = input_error(&show->podping_env.pos, "publish.podping.token_env",
                          "want the name of an environment variable "
                          "(PODPING_TOKEN), not the token itself");
    if (meta_text(n, "url", "publish.podping.url", false,
                  &show->podping_url) < 0 ||
        (show->podping_url.s &&
         meta_check_url(&show->podping_url, "publish.podping.url") < 0))
        ret = PP_ERR_INPUT;
    return ret;
}

static int parse_publish(struct show *show, const struct ynode *root)
{
    int ret = 0;
    const struct ynode *pub = sub_map(root, "publish", publish_keys, &ret);
    const struct ynode *n;

    if (!pub)
        return ret;
    if (meta_text(pub, "target", "publish.target", false,
                  &show->publish_target) < 0)
        ret = PP_ERR_INPUT;
    /* Where the storage writes its access logs, for `podpub stats`. */
    if (meta_text(pub, "logs", "publish.logs", false,
                  &show->publish_logs) < 0)
        ret = PP_ERR_INPUT;
    if (parse_podping(show, pub) < 0)
        ret = PP_ERR_INPUT;
    n = ytree_get(pub, "notify");
    if (!n || ytree_is_null(n))
        return ret;
    if (n->type != YNODE_SEQ)
        return input_error(&n->pos, "publish.notify", "want a list of URLs, "
                           "got %s", ytree_kind(n));
    show->notify = xcalloc(n->nr, sizeof(*show->notify));
    for (size_t i = 0; i < n->nr; i++) {
        const struct ynode *u = n->items[i];

        if (u->type != YNODE_SCALAR) {
            ret = input_error(&u->pos, "publish.notify", "want a URL, got %s",
                              ytree_kind(u));
            continue;
        }
        show->notify[show->notify_nr].s = xstrdup(u->value);
        show->notify[show->notify_nr].pos = u->pos;
        if (meta_check_url(&show->notify[show->notify_nr],
                           "publish.notify") < 0)
            ret = PP_ERR_INPUT;
        show->notify_nr++;
    }
    return ret;
}

/* "links:": a mapping of directory names to the show's page there. */
static int parse_links(struct show *show, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "links");
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type != YNODE_MAP)
        return input_error(&n->pos, "links", "want a mapping (apple: URL, "
                           "spotify: URL, ...), got %s", ytree_kind(n));
    show->links = xcalloc(n->nr / 2 + 1, sizeof(*show->links));
    for (size_t i = 0; i + 1 < n->nr; i += 2) {
        struct show_link *l = &show->links[show->links_nr];
        char *name = xstrfmt("links.%s", n->items[i]->value);

        if (meta_text(n, n->items[i]->value, name, true, &l->url) < 0 ||
           meta_check_url(&l->url, name) < 0) {
            ret = PP_ERR_INPUT;
            FREE_AND_NULL(l->url.s);
        } else {
            l->key = xstrdup(n->items[i]->value);
            show->links_nr++;
        }
        free(name);
    }
    return ret;
}

/*
 * "media_roots: [/srv/audio]": folders outside the show that episodes
 * may take files from (through symlinks), for shows kept on a NAS.
 * Absolute folders that exist; kept resolved in show->roots.
 */
static int parse_media_roots(struct show *show, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "media_roots");
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type != YNODE_SEQ)
        return input_error(&n->pos, "media_roots", "want a list of "
                           "absolute folders, got %s", ytree_kind(n));
    for (size_t i = 0; i < n->nr; i++) {
        const struct ynode *d = n->items[i];
        char *shown;

        if (d->type != YNODE_SCALAR || meta_check_text(d, "media_roots") < 0) {
            ret = input_error(&d->pos, "media_roots", "want a folder");
            continue;
        }
        shown = printable(d->value, 200);
        if (d->value[0] != '/')
            ret = input_error(&d->pos, "media_roots", "'%s' is not an "
                              "absolute folder (want /srv/audio)", shown);
        else if (path_roots_add(&show->roots, d->value) < 0)
            ret = input_error(&d->pos, "media_roots", "'%s': %s", shown,
                              strerror(errno));
        free(shown);
    }
    return ret;
}

/* "check: {ignore: [rule ids]}": deliberate exceptions to check's rules. */
static int parse_check(struct show *show, const struct ynode *root)
{
    int ret = 0;
    const struct ynode *m = sub_map(root, "check", check_keys, &ret);
    const struct ynode *list = m ? ytree_get(m, "ignore") : NULL;

    if (!list || ytree_is_null(list))
        return ret;
    if (list->type != YNODE_SEQ)
        return input_error(&list->pos, "check.ignore", "want a list of rule "
                           "ids, got %s", ytree_kind(list));
    show->check_ignore = xcalloc(list->nr + 1, sizeof(*show->check_ignore));
    for (size_t i = 0; i < list->nr; i++) {
        const struct ynode *id = list->items[i];

        if (id->type != YNODE_SCALAR ||
            meta_check_text(id, "check.ignore") < 0) {
            ret = input_error(&id->pos, "check.ignore", "want a rule id");
            continue;
        }
        show->check_ignore[show->check_ignore_nr++] = xstrdup(id->value);
    }
    return ret;
}

static int parse_show_root(struct show *show, const struct ynode *root)
{
    struct text type = { 0 };
    const struct ynode *m;
    int ret = 0;

#define F(call) do { if ((call) < 0) ret = PP_ERR_INPUT; } while (0)
    F(meta_check_keys(root, show_keys, ""));
    F(meta_text(root, "title", "title", true, &show->title));
    F(meta_text(root, "description", "description", true,
                &show->description));
    F(meta_text(root, "language", "language", true, &show->language));
    F(meta_text(root, "link", "link", false, &show->link));
    F(meta_text(root, "author", "author", false, &show->author));
    F(meta_text(root, "image", "image", false, &show->image));
    F(meta_text(root, "copyright", "copyright", false, &show->copyright));
    F(meta_text(root, "timezone", "timezone", false, &show->timezone));
    F(meta_text(root, "base_url", "base_url", true, &show->base_url));
    F(meta_text(root, "feed_url", "feed_url", false, &show->feed_url));
    F(meta_text(root, "guid", "guid", false, &show->guid));
    F(meta_text(root, "moved_to", "moved_to", false, &show->moved_to));
    F(meta_text(root, "moved_from", "moved_from", false, &show->moved_from));
    F(meta_text(root, "type", "type", false, &type));
    F(meta_flag(root, "explicit", "explicit", false, &show->explicit));
    F(meta_flag(root, "locked", "locked", false, &show->locked));
    if ((m = sub_map(root, "owner", owner_keys, &ret))) {
        F(meta_text(m, "name", "owner.name", true, &show->owner_name));
        F(meta_text(m, "email", "owner.email", true, &show->owner_email));
    }
    F(parse_categories(show, root));
    F(parse_publish(show, root));
    F(parse_links(show, root));
    F(parse_check(show, root));
    F(parse_media_roots(show, root));
    F(parse_sound(show, root));
    F(pi_show_parse(show, root));
    {
        struct number limit = { 0 };

        F(meta_number(root, "feed_limit", "feed_limit", 1, 1000000, &limit));
        show->feed_limit = limit.set ? (int)limit.v : 0;
        show->feed_limit_pos = limit.pos;
    }

    F(meta_check_url(&show->link, "link"));
    F(meta_check_url(&show->base_url, "base_url"));
    F(meta_check_url(&show->feed_url, "feed_url"));
    F(meta_check_url(&show->moved_to, "moved_to"));
    F(meta_check_url(&show->moved_from, "moved_from"));
    F(meta_check_rel_path(&show->image, "image", PP_SHOW_DIR));
#undef F
    if (show->timezone.s && !tz_valid(show->timezone.s))
        ret = input_error(&show->timezone.pos, "timezone",
                          "\"%.80s\" is not a known time zone (want an IANA "
                          "name such as Europe/Amsterdam)", show->timezone.s);
    if (type.s) {
        show->type_pos = type.pos;
        if (!strcmp(type.s, "serial"))
            show->serial = true;
        else if (strcmp(type.s, "episodic"))
            ret = input_error(&type.pos, "type",
                              "\"%.40s\" is not episodic or serial", type.s);
        text_release(&type);
    }
    if (!show->link.s && show->base_url.s) {
        show->link.s = xstrdup(show->base_url.s);
        show->link.pos = show->base_url.pos;
    }
    if (!show->feed_url.s && show->base_url.s && !ret) {
        show->feed_url.s = xstrfmt("%sfeed.xml", show->base_url.s);
        show->feed_url.pos = show->base_url.pos;
    }
    if (show->image.s)
        show->image_path = xstrfmt("%s/%s", PP_SHOW_DIR, show->image.s);
    return ret;
}

static int parse_buffer(struct show *show, const char *buf, size_t len);

int show_parse_file(struct show *show, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    int ret;

    show->path = xstrdup(path);
    if (access(path, F_OK) < 0 && errno == ENOENT) {
        ret = errorf(PP_ERR_INPUT, "no show here: '%s' is missing (run "
                     "podpub in the show's folder, or use -C DIR)", path);
        goto out;
    }
    if ((ret = strbuf_read_file(&sb, path, PP_META_MAX_BYTES)) < 0)
        goto out;
    show->file_hash = pp_hash64(sb.buf, sb.len, 0);
    ret = parse_buffer(show, sb.buf, sb.len);
out:
    strbuf_release(&sb);
    return ret;
}

int show_parse_buffer(struct show *show, const char *path, const char *buf,
                      size_t len)
{
    show->path = xstrdup(path);
    return parse_buffer(show, buf, len);
}

/* The show file's bytes (BOM allowed) -> 'show' (its path already set). */
static int parse_buffer(struct show *show, const char *buf, size_t len)
{
    struct ynode *root = NULL;
    int ret;

    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        buf += 3;
        len -= 3;
    }
    if ((ret = meta_check_bytes(show->path, buf, len, 1, NULL)) < 0)
        goto out;
    if ((ret = ytree_load(show->path, buf, len, 0, &root)) < 0)
        goto out;
    if (!root || root->type != YNODE_MAP) {
        struct srcpos pos = { show->path, 1, 1 };

        ret = input_error(root ? &root->pos : &pos, NULL,
                          "want a mapping of fields (title: ..., "
                          "description: ...)");
        goto out;
    }
    ret = parse_show_root(show, root);
    show->file_ok = ret == 0;
out:
    ytree_free(root);
    return ret;
}

/* One episode file, read and parsed by whichever thread takes it. */
struct load_job {
    char *path;
    int ret;
    bool parsed;            /* the episode slot is filled in */
    /* With the episode cache: */
    bool hit;               /* the cache gave the episode */
    bool unread;            /* without reading the file */
    bool keep;              /* parsed without errors: to be cached */
    struct fileid id;
    struct epcache_stamp stamp;
    struct strbuf msgs;     /* what the parse printed */
};

struct load_ctx {
    const struct show *show;
    struct load_job *jobs;
    struct episode *eps;    /* one slot per file, compacted afterwards */
    struct epcache *cache;  /* NULL: parse every file */
};

/*
 * Parses the bytes 'sb' of job's file (whose fstat() is 'st') into 'ep',
 * or takes the episode from the cache when it holds these bytes of this
 * file. What a parse prints is kept for the cache, and printed as usual;
 * a cached episode prints it again, so the output is the same.
 */
static int parse_or_reuse(struct load_ctx *ctx, struct load_job *job,
                          const struct stat *st, int64_t read_sec,
                          const struct strbuf *sb, struct episode *ep)
{
    struct strbuf *outer;
    int ret;

    fileid_from_stat(&job->id, st);
    job->stamp.content = pp_hash64(sb->buf, sb->len, 0);
    job->stamp.ctime_sec = (int64_t)st->st_ctim.tv_sec;
    job->stamp.ctime_nsec = st->st_ctim.tv_nsec;
    job->stamp.read_sec = read_sec;
    if (epcache_get(ctx->cache, job->path, &job->id, job->stamp.content, ep,
                    &job->msgs)) {
        job->hit = true;
        report_replay(&job->msgs);
        return 0;
    }
    outer = report_capture(&job->msgs);
    ret = episode_parse_buffer(ctx->show, job->path, sb->buf, sb->len, ep);
    report_capture(outer);
    report_replay(&job->msgs);
    job->keep = ret == 0;
    return ret;
}

/*
 * Keeps the episodes parsed without errors in the cache, and closes it:
 * its mapping goes to 'show', whose episodes' notes may point into it.
 */
static void save_cache(struct load_ctx *ctx, size_t nr, struct show *show)
{
    struct epcache_item *items = xcalloc(nr ? nr : 1, sizeof(*items));

    for (size_t i = 0; i < nr; i++) {
        struct load_job *job = &ctx->jobs[i];

        items[i].ep = job->keep || job->hit ? &ctx->eps[i] : NULL;
        items[i].id = job->id;
        items[i].stamp = job->stamp;
        items[i].msgs = job->msgs.buf;
        items[i].msgs_len = job->msgs.len;
        items[i].hit = job->hit;
        items[i].unread = job->unread;
    }
    if (epcache_save(ctx->cache, items, nr) < 0)
        warnf("the episode cache was not saved");
    free(items);
    epcache_close(ctx->cache, &show->cache_map, &show->cache_map_len);
    ctx->cache = NULL;
}

/*
 * The episode of 'job' from the cache without reading its file, when the
 * file is a regular one directly in episodes/ and has not changed since
 * it was read (epcache_get_settled()).
 */
static bool reuse_unread(struct load_ctx *ctx, struct load_job *job,
                         struct episode *ep)
{
    struct stat st;

    if (!ctx->cache ||
        !file_stat_pinned(job->path, &ctx->show->roots, &st) ||
        !epcache_get_settled(ctx->cache, job->path, &st, ep, &job->msgs,
                             &job->stamp))
        return false;
    fileid_from_stat(&job->id, &st);
    job->hit = job->unread = true;
    job->parsed = true;
    report_replay(&job->msgs);
    return true;
}

static void load_episode(void *arg, size_t i)
{
    struct load_ctx *ctx = arg;
    struct load_job *job = &ctx->jobs[i];
    struct strbuf sb = STRBUF_INIT;
    struct srcpos pos = { job->path, 0, 0 };
    struct confined_file cf;
    enum confine c;
    struct timespec now;

    if (reuse_unread(ctx, job, &ctx->eps[i]))
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    c = file_open_confined(job->path, &ctx->show->roots, &cf);

    if (c == CONFINE_ERRNO) {
        job->ret = input_error(&pos, NULL, "cannot read: %s",
                               strerror(cf.err));
    } else if (c == CONFINE_NOT_FILE) {
        job->ret = input_error(&pos, NULL, "%s", S_ISDIR(cf.st.st_mode) ?
                               "is a folder, not an episode file" :
                               "not a regular file");
    } else if (c == CONFINE_OUTSIDE) {
        char *why = confine_reason(c, job->path, &cf);

        job->ret = input_error(&pos, NULL, "%s", why);
        free(why);
    } else if ((unsigned long long)cf.st.st_size > PP_META_MAX_BYTES ||
               (job->ret = strbuf_read_fd(&sb, cf.fd, job->path,
                                          PP_META_MAX_BYTES)) < 0) {
        if (!job->ret)
            job->ret = errorf(PP_ERR_INPUT, "'%s' is too large (%lld "
                              "bytes, limit %u)", job->path,
                              (long long)cf.st.st_size, PP_META_MAX_BYTES);
        input_error_count++;
    } else {
        /*
         * An episode with errors stays in the list, marked, so that the
         * checks across episodes (a GUID used twice) still see it.
         */
        job->ret = ctx->cache ?
            parse_or_reuse(ctx, job, &cf.st, (int64_t)now.tv_sec, &sb,
                           &ctx->eps[i]) :
            episode_parse_buffer(ctx->show, job->path, sb.buf, sb.len,
                                 &ctx->eps[i]);
        ctx->eps[i].invalid = job->ret < 0;
        job->parsed = true;
    }
    confined_close(&cf);
    strbuf_release(&sb);
}

/*
 * Files are independent until show_validate(): parse them on every core
 * (YAML and Markdown are most of a warm build); what each printed comes
 * out in file order and the episodes keep it, as with one thread.
 */
int show_load(struct show *show)
{
    struct load_ctx ctx = { show, NULL, NULL, NULL };
    char **names = NULL;
    size_t nr = 0;
    int ret = show_parse_file(show, PP_SHOW_FILE);
    int r;

    if (ret < 0 && !show->title.s && !show->base_url.s && !show->language.s)
        return ret;   /* no usable show file: episode errors would be noise */
    /* The show's own folder first: the root most files are under. */
    if (path_roots_add(&show->roots, ".") < 0)
        return errorf(PP_ERR_IO, "cannot resolve the show's folder: %s",
                      strerror(errno));
    if (show->roots.nr > 1) {
        char *first = show->roots.dirs[show->roots.nr - 1];

        memmove(show->roots.dirs + 1, show->roots.dirs,
                (show->roots.nr - 1) * sizeof(*show->roots.dirs));
        show->roots.dirs[0] = first;
    }
    if ((r = episode_listing(show->episode_cache, &names, &nr,
                             &show->episodes_listed)) < 0)
        return r;
    /* Episode files and their media are mostly right in episodes/. */
    path_roots_pin(&show->roots, PP_EPISODES_DIR);
    ctx.jobs = xcalloc(nr ? nr : 1, sizeof(*ctx.jobs));
    ctx.eps = xcalloc(nr ? nr : 1, sizeof(*ctx.eps));
    for (size_t i = 0; i < nr; i++) {
        ctx.jobs[i].path = xpathjoin(PP_EPISODES_DIR, names[i]);
        strbuf_init(&ctx.jobs[i].msgs);
        free(names[i]);
    }
    free(names);
    if (show->episode_cache)
        ctx.cache = epcache_open(show);
    parallel_for_in_order(nr, 64, load_episode, &ctx);
    if (ctx.cache)
        save_cache(&ctx, nr, show);
    show->episodes = ctx.eps;
    show->alloc = nr;
    for (size_t i = 0; i < nr; i++) {
        struct load_job *job = &ctx.jobs[i];

        if (job->parsed)
            show->episodes[show->nr++] = ctx.eps[i];
        show->episodes_cached += job->hit;
        show->episodes_unread += job->unread;
        strbuf_release(&job->msgs);
        if (job->ret < 0 && (ret == 0 || job->ret == PP_ERR_IO))
            ret = job->ret;
        free(job->path);
    }
    free(ctx.jobs);
    if ((r = show_validate(show)) < 0 && ret == 0)
        ret = r;
    return ret;
}

/*
 * Checks that 'path' (named by 'field', called 'name') is a regular file
 * inside the show's roots, and opens it: returns the fd (the caller
 * closes it), or PP_ERR_INPUT (printed).
 */
static int open_named_file(const struct show *show, const struct text *field,
                           const char *name, const char *path)
{
    struct confined_file cf;
    enum confine c = file_open_confined(path, &show->roots, &cf);
    int fd;

    if (c != CONFINED) {
        char *why = confine_reason(c, path, &cf);

        confined_close(&cf);
        input_error(&field->pos, name, "%s", why);
        free(why);
        return PP_ERR_INPUT;
    }
    fd = cf.fd;
    cf.fd = -1;
    confined_close(&cf);
    return fd;
}

/*
 * open_named_file() for files only checked here, not read: a regular
 * file directly in episodes/ that is not a symlink needs no opening.
 * The file's identity goes to '*id' when asked for.
 */
static int check_file(const struct show *show, const struct text *field,
                      const char *name, const char *path, struct fileid *id)
{
    struct stat st;
    int fd;

    if (file_stat_pinned(path, &show->roots, &st)) {
        if (id)
            fileid_from_stat(id, &st);
        return 0;
    }
    fd = open_named_file(show, field, name, path);
    if (fd < 0)
        return fd;
    if (id && fstat(fd, &st) == 0)
        fileid_from_stat(id, &st);
    else if (id)
        memset(id, 0, sizeof(*id));
    close(fd);
    return 0;
}

/* The files of "images:" are regular files inside the show. */
static int check_images(const struct show *show, struct pi_image *im,
                        size_t nr)
{
    int ret = 0;

    for (size_t i = 0; i < nr; i++)
        if (im[i].path && check_file(show, &im[i].href, "images.href",
                                     im[i].path, NULL) < 0) {
            FREE_AND_NULL(im[i].path);   /* reported once, here */
            ret = PP_ERR_INPUT;
        }
    return ret;
}

/*
 * Duplicates across episodes: the same guid, episode number in a season,
 * or audio file, found by find_duplicates() in O(n log n); reported in
 * file order, each naming the first episode that had the value.
 */
enum dup_kind { DUP_GUID, DUP_NUMBER, DUP_AUDIO };

struct dup_ctx {
    const struct show *show;
    enum dup_kind kind;
};

static void dup_key(const void *arg, size_t i, struct dup_key *k)
{
    const struct dup_ctx *c = arg;
    const struct episode *ep = &c->show->episodes[i];

    switch (c->kind) {
    case DUP_GUID:
        k->s = ep->guid.s;
        k->set = ep->guid.s != NULL;
        break;
    case DUP_AUDIO:
        k->s = ep->audio_path;
        k->set = ep->audio_path != NULL;
        break;
    case DUP_NUMBER:
        k->a = ep->season.set ? ep->season.v : 0;
        k->b = ep->episode.v;
        k->set = ep->episode.set;
        break;
    }
}

/* The three kinds of duplicates, found side by side. */
struct dups_ctx {
    const struct show *show;
    size_t *first[DUP_AUDIO + 1];
};

static void find_kind(void *arg, size_t kind)
{
    struct dups_ctx *d = arg;
    struct dup_ctx c = { d->show, (enum dup_kind)kind };

    find_duplicates(d->show->nr, dup_key, &c, d->first[kind]);
}

static int report_duplicates(const struct show *show)
{
    struct dups_ctx d = { show, { NULL } };
    size_t **first = d.first;
    bool any = false;

    for (int kind = DUP_GUID; kind <= DUP_AUDIO; kind++)
        first[kind] = xcalloc(show->nr + 1, sizeof(*first[kind]));
    /* Side by side in a large show; in a small one a thread costs more. */
    if (show->nr > 1000)
        parallel_for(DUP_AUDIO + 1, 1, find_kind, &d);
    else
        for (size_t kind = DUP_GUID; kind <= DUP_AUDIO; kind++)
            find_kind(&d, kind);
    /* In file order; for one episode, guid, then number, then audio. */
    for (size_t i = 0; i < show->nr; i++) {
        const struct episode *ep = &show->episodes[i];

        if (first[DUP_GUID][i] != SIZE_MAX)
            input_error(&ep->guid.pos, "guid", "\"%s\" is already the guid "
                        "of %s", ep->guid.s,
                        show->episodes[first[DUP_GUID][i]].path);
        if (first[DUP_NUMBER][i] != SIZE_MAX)
            input_error(&ep->episode.pos, "episode", "number %lld is already "
                        "used in this season by %s", ep->episode.v,
                        show->episodes[first[DUP_NUMBER][i]].path);
        if (first[DUP_AUDIO][i] != SIZE_MAX)
            input_error(&ep->audio.pos, "audio", "'%s' is already the audio "
                        "of %s", ep->audio_path,
                        show->episodes[first[DUP_AUDIO][i]].path);
        any |= first[DUP_GUID][i] != SIZE_MAX ||
               first[DUP_NUMBER][i] != SIZE_MAX ||
               first[DUP_AUDIO][i] != SIZE_MAX;
    }
    for (int kind = DUP_GUID; kind <= DUP_AUDIO; kind++)
        free(first[kind]);
    return any ? PP_ERR_INPUT : 0;
}

/*
 * The files episode i names exist; its problems go into fails[i]. Item
 * 0 of the pool is the search for duplicates (dup_ret), beside the
 * files: it reads only what the checks of the files leave alone (the
 * guid, numbers and audio path), and what it prints still comes first.
 */
struct files_ctx {
    const struct show *show;
    struct episode *eps;
    int *fails;
    int dup_ret;
};

static void check_episode_files(void *arg, size_t item)
{
    struct files_ctx *ctx = arg;
    size_t i = item - 1;
    struct episode *ep;
    int ret = 0, fd;

    if (item == 0) {
        ctx->dup_ret = report_duplicates(ctx->show);
        return;
    }
    ep = &ctx->eps[i];
    if (ep->draft.v || ep->invalid)
        return;   /* drafts may name files that do not exist yet */
    if (ep->audio_path && check_file(ctx->show, &ep->audio, "audio",
                                     ep->audio_path, &ep->audio_id) < 0) {
        ep->invalid = true;   /* not probed: reported once, here */
        ret = PP_ERR_INPUT;
    }
    ep->audio_id_set = ep->audio_path && !ep->invalid && ep->audio_id.inode;
    for (size_t k = 0; k < ep->transcripts_nr; k++) {
        struct transcript *t = &ep->transcripts[k];

        if (!t->path || !t->type.s)
            continue;
        fd = open_named_file(ctx->show, &t->file, "transcript", t->path);
        if (fd < 0 || transcript_check(t, fd) < 0)
            ret = PP_ERR_INPUT;
        if (fd >= 0)
            close(fd);
    }
    if (ep->image_path && check_file(ctx->show, &ep->image, "image",
                                     ep->image_path, NULL) < 0) {
        FREE_AND_NULL(ep->image_path);
        ret = PP_ERR_INPUT;
    }
    if (check_images(ctx->show, ep->pi.images, ep->pi.images_nr) < 0)
        ret = PP_ERR_INPUT;
    if (ep->chapters_path) {
        fd = open_named_file(ctx->show, &ep->chapters_file, "chapters",
                             ep->chapters_path);
        if (fd < 0 || episode_load_chapters(ep, fd) < 0)
            ret = PP_ERR_INPUT;
        if (fd >= 0)
            close(fd);
    }
    ctx->fails[i] = ret;
}

int show_validate(struct show *show)
{
    struct files_ctx ctx = { show, show->episodes,
                             xcalloc(show->nr ? show->nr : 1, sizeof(int)),
                             0 };
    int ret = 0;

    if (show->image_path && check_file(show, &show->image, "image",
                                       show->image_path, NULL) < 0) {
        FREE_AND_NULL(show->image_path);   /* reported once, here */
        ret = PP_ERR_INPUT;
    }
    if (check_images(show, show->pi.images, show->pi.images_nr) < 0)
        ret = PP_ERR_INPUT;
    parallel_for_in_order(show->nr + 1, 256, check_episode_files, &ctx);
    if (ctx.dup_ret < 0)
        ret = PP_ERR_INPUT;
    for (size_t i = 0; i < show->nr; i++)
        if (ctx.fails[i] < 0)
            ret = PP_ERR_INPUT;
    free(ctx.fails);
    return ret;
}

void show_release(struct show *show)
{
    struct text *texts[] = {
        &show->title, &show->description, &show->language, &show->link,
        &show->author, &show->owner_name, &show->owner_email, &show->image,
        &show->copyright, &show->base_url, &show->feed_url, &show->timezone,
        &show->guid, &show->publish_target, &show->publish_logs,
        &show->podping_env, &show->podping_url, &show->moved_to,
        &show->moved_from,
    };

    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        text_release(texts[i]);
    for (size_t i = 0; i < show->notify_nr; i++)
        text_release(&show->notify[i]);
    free(show->notify);
    for (size_t i = 0; i < show->categories_nr; i++) {
        free(show->categories[i].name);
        free(show->categories[i].sub);
    }
    free(show->categories);
    for (size_t i = 0; i < show->links_nr; i++) {
        free(show->links[i].key);
        text_release(&show->links[i].url);
    }
    free(show->links);
    pi_show_release(&show->pi);
    for (size_t i = 0; i < show->nr; i++)
        episode_release(&show->episodes[i]);
    free(show->episodes);
    if (show->cache_map)
        munmap(show->cache_map, show->cache_map_len);
    free(show->image_path);
    free(show->image_url);
    free(show->page_url);
    free(show->archive_url);
    for (size_t i = 0; i < show->check_ignore_nr; i++)
        free(show->check_ignore[i]);
    free(show->check_ignore);
    sound_release(show);
    path_roots_release(&show->roots);
    free(show->path);
    memset(show, 0, sizeof(*show));
}
