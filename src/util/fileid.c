/*
 * The file-identity cache. On disk:
 *
 *     <magic>
 *     F <path> <dev> <inode> <size> <mtime s> <mtime ns> <payload>
 *     ...
 *     end <number of F lines>
 *
 * fields separated by tabs, path and payload with tab, newline, carriage
 * return and backslash escaped, lines sorted by path. In memory the
 * entries sit in an array with an open-addressing hash index on the
 * path, so a 10,000-file show is looked up in constant time per file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/fileid.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"

#define CACHE_MAX_BYTES (256u << 20)

struct entry {
    char *path, *payload;
    struct fileid id;
    atomic_bool used;       /* lookups may run side by side */
    bool owned;             /* path and payload allocated, not in 'text' */
};

struct fileid_cache {
    char *file, *magic;
    char *text;             /* the file as loaded: entries' strings in it */
    struct entry *items;
    size_t nr, alloc;
    size_t *index;          /* item + 1 per slot; 0 is empty */
    size_t index_cap;
    bool dirty;
};

void fileid_from_stat(struct fileid *id, const struct stat *st)
{
    id->dev = (uint64_t)st->st_dev;
    id->inode = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    id->mtime_nsec = st->st_mtim.tv_nsec;
}

bool fileid_equal(const struct fileid *a, const struct fileid *b)
{
    return a->dev == b->dev && a->inode == b->inode && a->size == b->size &&
           a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

static uint64_t hash(const char *s)
{
    return pp_hash64(s, strlen(s), 0);
}

/* The slot of 'path' in the index: where it is, or where it would go. */
static size_t slot(const struct fileid_cache *c, const char *path)
{
    size_t i = hash(path) & (c->index_cap - 1);

    while (c->index[i] && strcmp(c->items[c->index[i] - 1].path, path))
        i = (i + 1) & (c->index_cap - 1);
    return i;
}

/* Keeps the index at most half full with 'nr' entries. */
static void index_reserve(struct fileid_cache *c, size_t nr)
{
    if (2 * nr <= c->index_cap)
        return;
    free(c->index);
    c->index_cap = c->index_cap ? 2 * c->index_cap : 64;
    while (2 * nr > c->index_cap)
        c->index_cap *= 2;
    c->index = xcalloc(c->index_cap, sizeof(*c->index));
    for (size_t i = 0; i < c->nr; i++)
        c->index[slot(c, c->items[i].path)] = i + 1;
}

static struct entry *find(const struct fileid_cache *c, const char *path)
{
    size_t i;

    if (!c->index_cap)
        return NULL;
    i = slot(c, path);
    return c->index[i] ? &c->items[c->index[i] - 1] : NULL;
}

/*
 * Adds an entry (the path not yet there) with 'path' and 'payload': taken
 * when 'owned', else strings in c->text.
 */
static struct entry *add(struct fileid_cache *c, char *path, char *payload,
                         const struct fileid *id, bool owned)
{
    struct entry *e;

    index_reserve(c, c->nr + 1);
    ALLOC_GROW(c->items, c->nr + 1, c->alloc);
    e = &c->items[c->nr++];
    e->path = path;
    e->payload = payload;
    e->id = *id;
    e->used = false;
    e->owned = owned;
    c->index[slot(c, path)] = c->nr;
    return e;
}

static void add_escaped(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': strbuf_addstr(sb, "\\\\"); break;
        case '\t': strbuf_addstr(sb, "\\t"); break;
        case '\n': strbuf_addstr(sb, "\\n"); break;
        case '\r': strbuf_addstr(sb, "\\r"); break;
        default:   strbuf_addch(sb, *s); break;
        }
    }
}

/* Undoes add_escaped() in place; false on a bad escape. */
static bool unescape(char *s)
{
    char *w = s;

    for (; *s; s++) {
        if (*s != '\\') {
            *w++ = *s;
            continue;
        }
        switch (*++s) {
        case '\\': *w++ = '\\'; break;
        case 't':  *w++ = '\t'; break;
        case 'n':  *w++ = '\n'; break;
        case 'r':  *w++ = '\r'; break;
        default:   return false;
        }
    }
    *w = '\0';
    return true;
}

/* A decimal number, digits only, that fits in 64 bits. */
static bool parse_u64(const char *s, uint64_t *v)
{
    uint64_t n = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');

        if (d > 9 || n > (UINT64_MAX - d) / 10)
            return false;
        n = n * 10 + d;
    }
    *v = n;
    return true;
}

/*
 * Parses the text after the magic line, in place: the entries' strings
 * stay in it. False at the first thing amiss.
 */
static bool parse(struct fileid_cache *c, char *line)
{
    const char *prev = NULL;
    size_t lines = 0;
    char *nl;

    /*
     * Room for a line per entry at once, not a rehash per doubling; at
     * most a million before any line is read: a file of empty lines
     * must not buy a huge index.
     */
    for (const char *p = line; (p = strchr(p, '\n')) && lines < (1u << 20);
         p++)
        lines++;
    index_reserve(c, lines);

    for (; (nl = strchr(line, '\n')); line = nl + 1) {
        char *f[9];
        size_t n = 0;
        uint64_t v[6];
        struct fileid id;

        *nl = '\0';
        for (char *p = line; n < ARRAY_SIZE(f); n++) {
            char *tab = strchr(p, '\t');

            f[n] = p;
            if (!tab) {
                n++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        if (n == 2 && !strcmp(f[0], "end"))
            return parse_u64(f[1], &v[0]) && v[0] == c->nr && !nl[1];
        if (n != 8 || strcmp(f[0], "F") || !unescape(f[1]) || !*f[1] ||
            !unescape(f[7]))
            return false;
        for (size_t i = 0; i < 5; i++)
            if (!parse_u64(f[2 + i], &v[i]))
                return false;
        if (v[4] >= 1000000000u || (prev && strcmp(prev, f[1]) >= 0))
            return false;   /* written sorted and unique */
        id.dev = v[0];
        id.inode = v[1];
        id.size = v[2];
        id.mtime_sec = (int64_t)v[3];
        id.mtime_nsec = (long)v[4];
        prev = add(c, f[1], f[7], &id, false)->path;
    }
    return false;   /* no "end" line: the file was cut off */
}

static void clear(struct fileid_cache *c)
{
    for (size_t i = 0; i < c->nr; i++) {
        if (c->items[i].owned) {
            free(c->items[i].path);
            free(c->items[i].payload);
        }
    }
    c->nr = 0;
    if (c->index_cap)
        memset(c->index, 0, c->index_cap * sizeof(*c->index));
}

struct fileid_cache *fileid_cache_load(const char *path, const char *magic)
{
    struct fileid_cache *c = xcalloc(1, sizeof(*c));
    struct strbuf sb = STRBUF_INIT;
    size_t n = strlen(magic);
    struct stat st;

    c->file = xstrdup(path);
    c->magic = xstrdup(magic);
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return c;
    if (strbuf_read_file(&sb, path, CACHE_MAX_BYTES) < 0 ||
        memchr(sb.buf, '\0', sb.len) || strncmp(sb.buf, magic, n) ||
        sb.buf[n] != '\n' || !parse(c, sb.buf + n + 1)) {
        if (pp_verbosity > 0)
            warnf("%s: not a usable cache; it will be rebuilt", path);
        clear(c);
        c->dirty = true;
        strbuf_release(&sb);
        return c;
    }
    c->text = strbuf_detach(&sb, NULL);
    return c;
}

const char *fileid_cache_get(struct fileid_cache *c, const char *file,
                             const struct fileid *id)
{
    struct entry *e = find(c, file);

    if (!e || !fileid_equal(&e->id, id))
        return NULL;
    e->used = true;
    return e->payload;
}

void fileid_cache_put(struct fileid_cache *c, const char *file,
                      const struct fileid *id, const char *payload)
{
    struct entry *e = find(c, file);

    if (e) {
        if (fileid_equal(&e->id, id) && !strcmp(e->payload, payload)) {
            e->used = true;
            return;
        }
        if (e->owned) {
            free(e->payload);
        } else {    /* its strings were in c->text: its own from now */
            e->path = xstrdup(e->path);
            e->owned = true;
        }
        e->payload = xstrdup(payload);
        e->id = *id;
    } else {
        e = add(c, xstrdup(file), xstrdup(payload), id, true);
    }
    e->used = true;
    c->dirty = true;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path,
                  ((const struct entry *)b)->path);
}

int fileid_cache_save(struct fileid_cache *c)
{
    struct strbuf sb = STRBUF_INIT;
    size_t kept = 0;
    char *dir, *slash;
    int ret;

    for (size_t i = 0; i < c->nr; i++)
        if (!c->items[i].used)
            c->dirty = true;    /* an entry to drop */
    if (!c->dirty)
        return 0;
    if (c->nr)
        qsort(c->items, c->nr, sizeof(*c->items), cmp_entry);
    for (size_t i = 0; i < c->index_cap; i++)
        c->index[i] = 0;
    for (size_t i = 0; i < c->nr; i++)
        c->index[slot(c, c->items[i].path)] = i + 1;
    strbuf_addf(&sb, "%s\n", c->magic);
    for (size_t i = 0; i < c->nr; i++) {
        const struct entry *e = &c->items[i];

        if (!e->used)
            continue;
        strbuf_addstr(&sb, "F\t");
        add_escaped(&sb, e->path);
        strbuf_addf(&sb, "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRId64
                    "\t%ld\t", e->id.dev, e->id.inode, e->id.size,
                    e->id.mtime_sec, e->id.mtime_nsec);
        add_escaped(&sb, e->payload);
        strbuf_addch(&sb, '\n');
        kept++;
    }
    strbuf_addf(&sb, "end\t%zu\n", kept);
    dir = xstrdup(c->file);
    if ((slash = strrchr(dir, '/'))) {
        *slash = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
            ret = errorf(PP_ERR_IO, "cannot create '%s': %s", c->file,
                         strerror(errno));
            free(dir);
            strbuf_release(&sb);
            return ret;
        }
    }
    free(dir);
    ret = write_file_atomic(c->file, sb.buf, sb.len);
    strbuf_release(&sb);
    if (ret == 0)
        c->dirty = false;
    return ret;
}

int fileid_cache_sha256(struct fileid_cache *c, const char *path, int fd,
                        const struct stat *st, char hex[65])
{
    struct fileid id;
    const char *hit;
    int ret;

    fileid_from_stat(&id, st);
    hit = fileid_cache_get(c, path, &id);
    /* Anything but 64 hex digits is no hash: computed again. */
    if (hit && strlen(hit) == 64 && strspn(hit, "0123456789abcdef") == 64) {
        memcpy(hex, hit, 65);
        return 0;
    }
    if ((ret = fd_sha256(fd, path, (uint64_t)st->st_size, hex)) == 0)
        fileid_cache_put(c, path, &id, hex);
    return ret;
}

size_t fileid_cache_size(const struct fileid_cache *c)
{
    return c->nr;
}

void fileid_cache_free(struct fileid_cache *c)
{
    if (!c)
        return;
    clear(c);
    free(c->items);
    free(c->index);
    free(c->file);
    free(c->magic);
    free(c->text);
    free(c);
}
