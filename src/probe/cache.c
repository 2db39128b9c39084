/*
 * The probe cache: one text file, .podpub/probe-cache, with a line per
 * audio file (path, size, mtime, inode, and what the probe found) and a
 * line per chapter, closed by an "end" line with the entry count so that a
 * cut-off file is recognised. Anything unexpected makes the whole file
 * count as empty: a cache may be lost, never trusted when in doubt.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"

/*
 * The version says how results were measured: raise it whenever probing
 * changes, so a cache from an older podpub is not trusted.
 */
#define CACHE_MAGIC "podpub-probe-cache 3"
#define CACHE_MAX_BYTES (256u << 20)

struct cache_entry {
    char *path;
    struct audio_info info;
    bool used;
};

struct probe_cache {
    char *file;
    struct cache_entry *items;
    size_t nr, alloc;
    size_t sorted;      /* items[0..sorted) are sorted by path */
    bool dirty;
};

/* The static strings an entry may name; anything else is corruption. */
static const char *const known_mimes[] = {
    "audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/ogg", "audio/opus",
    "audio/flac", "audio/wav", "audio/aac", NULL,
};
static const char *const known_containers[] = {
    "mp3", "mp4", "ogg", "flac", "wav", "aac", NULL,
};

static const char *intern(const char *s, const char *const *known)
{
    for (; *known; known++)
        if (!strcmp(*known, s))
            return *known;
    return NULL;
}

/* Escapes tab, newline and backslash so a field stays on its line. */
static void add_escaped(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            strbuf_addstr(sb, "\\\\");
        else if (*s == '\t')
            strbuf_addstr(sb, "\\t");
        else if (*s == '\n')
            strbuf_addstr(sb, "\\n");
        else if (*s == '\r')
            strbuf_addstr(sb, "\\r");
        else
            strbuf_addch(sb, *s);
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

/* Splits 'line' at tabs into at most 'max' fields; returns the count. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;

    while (n < max) {
        char *tab = strchr(line, '\t');

        fields[n++] = line;
        if (!tab)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return n;
}

static bool parse_i64(const char *s, int64_t *v)
{
    char *end;

    if (!*s)
        return false;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return !*end && !errno;
}

static void entry_release(struct cache_entry *e)
{
    free(e->path);
    audio_info_release(&e->info);
}

static void cache_clear(struct probe_cache *c)
{
    for (size_t i = 0; i < c->nr; i++)
        entry_release(&c->items[i]);
    c->nr = 0;
    c->sorted = 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct cache_entry *)a)->path,
                  ((const struct cache_entry *)b)->path);
}

/* Parses an "F" line's fields into a new entry; false if malformed. */
static bool parse_entry(struct probe_cache *c, char **f, size_t *chapters)
{
    struct cache_entry e = { 0 };
    int64_t v[12];

    for (size_t i = 0; i < 12; i++)
        if (!parse_i64(f[2 + i], &v[i]) || v[i] < 0)
            return false;
    if (!unescape(f[1]) || !*f[1] ||
        !(e.info.mime = intern(f[14], known_mimes)) ||
        !(e.info.container = intern(f[15], known_containers)) ||
        !*f[16] || strlen(f[16]) >= sizeof(e.info.codec) ||
        v[0] <= 0 || v[4] > 1 || v[5] > PROBE_METHOD_LAST || v[6] <= 0 ||
        v[11] > 100000)
        return false;
    e.info.key.size = e.info.size = (uint64_t)v[0];
    e.info.key.mtime_sec = v[1];
    e.info.key.mtime_nsec = (long)v[2];
    e.info.key.inode = (uint64_t)v[3];
    e.info.truncated = v[4];
    e.info.method = (enum probe_method)v[5];
    e.info.duration_ms = v[6];
    e.info.header_ms = v[7];
    e.info.sample_rate = (int)v[8];
    e.info.channels = (int)v[9];
    e.info.bit_rate = v[10];
    snprintf(e.info.codec, sizeof(e.info.codec), "%s", f[16]);
    *chapters = (size_t)v[11];
    if (*chapters)
        e.info.chapters = xcalloc(*chapters, sizeof(*e.info.chapters));
    e.path = xstrdup(f[1]);
    ALLOC_GROW(c->items, c->nr + 1, c->alloc);
    c->items[c->nr++] = e;
    return true;
}

/* Parses the file's text into 'c'; false at the first thing amiss. */
static bool parse(struct probe_cache *c, char *text)
{
    char *line = text, *nl;
    size_t expect = 0;      /* chapter lines still due for the last entry */
    int64_t count;

    if (strncmp(text, CACHE_MAGIC "\n", strlen(CACHE_MAGIC) + 1))
        return false;
    for (line = text + strlen(CACHE_MAGIC) + 1; (nl = strchr(line, '\n'));
         line = nl + 1) {
        char *f[19];   /* one more than an F line has: extra fields show */
        size_t n;

        *nl = '\0';
        n = split(line, f, ARRAY_SIZE(f));
        if (n == 3 && !strcmp(f[0], "C") && expect) {
            struct audio_info *info = &c->items[c->nr - 1].info;
            struct audio_chapter *ch = &info->chapters[info->chapters_nr];
            int64_t start;

            if (!parse_i64(f[1], &start) || !unescape(f[2]))
                return false;
            ch->start_ms = start;
            ch->title = xstrdup(f[2]);
            info->chapters_nr++;
            expect--;
        } else if (n == 2 && !strcmp(f[0], "end") && !expect) {
            return parse_i64(f[1], &count) && (size_t)count == c->nr &&
                   !nl[1];
        } else if (n == 18 && !strcmp(f[0], "F") && !expect) {
            if (!parse_entry(c, f, &expect))
                return false;
            if (c->nr > 1 && strcmp(c->items[c->nr - 2].path,
                                    c->items[c->nr - 1].path) >= 0)
                return false;   /* written sorted and unique */
        } else {
            return false;
        }
    }
    return false;   /* no "end" line: the file was cut off */
}

struct probe_cache *probe_cache_load(const char *path)
{
    struct probe_cache *c = xcalloc(1, sizeof(*c));
    struct strbuf sb = STRBUF_INIT;
    struct stat st;

    c->file = xstrdup(path);
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return c;
    if (strbuf_read_file(&sb, path, CACHE_MAX_BYTES) < 0 ||
        memchr(sb.buf, '\0', sb.len) || !parse(c, sb.buf)) {
        if (pp_verbosity > 0)
            warnf("%s: not a usable probe cache; it will be rebuilt", path);
        cache_clear(c);
        c->dirty = true;
    }
    c->sorted = c->nr;
    strbuf_release(&sb);
    return c;
}

static struct cache_entry *find(struct probe_cache *c, const char *file)
{
    struct cache_entry key = { .path = (char *)file };
    struct cache_entry *e = c->sorted ? bsearch(&key, c->items, c->sorted,
                                                sizeof(*c->items), cmp_entry)
                                      : NULL;

    if (e)
        return e;
    for (size_t i = c->sorted; i < c->nr; i++)
        if (!strcmp(c->items[i].path, file))
            return &c->items[i];
    return NULL;
}

bool probe_cache_get(struct probe_cache *cache, const char *file,
                     struct audio_info *info)
{
    struct cache_entry *e = find(cache, file);
    struct file_key now;
    struct stat st;

    if (!e || stat(file, &st) < 0 || !S_ISREG(st.st_mode))
        return false;
    file_key_from_stat(&now, &st);
    if (now.size != e->info.key.size || now.inode != e->info.key.inode ||
        now.mtime_sec != e->info.key.mtime_sec ||
        now.mtime_nsec != e->info.key.mtime_nsec)
        return false;
    e->used = true;
    audio_info_copy(info, &e->info);
    return true;
}

void probe_cache_put(struct probe_cache *cache, const char *file,
                     const struct audio_info *info)
{
    struct cache_entry *e = find(cache, file);

    if (e) {
        audio_info_release(&e->info);
    } else {
        ALLOC_GROW(cache->items, cache->nr + 1, cache->alloc);
        e = &cache->items[cache->nr++];
        e->path = xstrdup(file);
    }
    audio_info_copy(&e->info, info);
    e->used = true;
    cache->dirty = true;
}

int probe_cache_save(struct probe_cache *c)
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
    c->sorted = c->nr;
    strbuf_addstr(&sb, CACHE_MAGIC "\n");
    for (size_t i = 0; i < c->nr; i++) {
        const struct cache_entry *e = &c->items[i];
        const struct audio_info *in = &e->info;

        if (!e->used)
            continue;
        strbuf_addstr(&sb, "F\t");
        add_escaped(&sb, e->path);
        strbuf_addf(&sb, "\t%" PRIu64 "\t%" PRId64 "\t%ld\t%" PRIu64
                    "\t%d\t%d\t%" PRId64 "\t%" PRId64 "\t%d\t%d\t%" PRId64
                    "\t%zu\t%s\t%s\t%s\t-\n", in->key.size,
                    in->key.mtime_sec, in->key.mtime_nsec, in->key.inode,
                    in->truncated, (int)in->method, in->duration_ms,
                    in->header_ms, in->sample_rate, in->channels,
                    in->bit_rate, in->chapters_nr, in->mime, in->container,
                    in->codec);
        for (size_t j = 0; j < in->chapters_nr; j++) {
            strbuf_addf(&sb, "C\t%" PRId64 "\t", in->chapters[j].start_ms);
            add_escaped(&sb, in->chapters[j].title);
            strbuf_addch(&sb, '\n');
        }
        kept++;
    }
    strbuf_addf(&sb, "end\t%zu\n", kept);
    dir = xstrdup(c->file);
    if ((slash = strrchr(dir, '/'))) {
        *slash = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
            free(dir);
            strbuf_release(&sb);
            return errorf(PP_ERR_IO, "cannot create '%s': %s", c->file,
                          strerror(errno));
        }
    }
    free(dir);
    ret = write_file_atomic(c->file, sb.buf, sb.len);
    strbuf_release(&sb);
    if (ret == 0)
        c->dirty = false;
    return ret;
}

void probe_cache_free(struct probe_cache *c)
{
    if (!c)
        return;
    cache_clear(c);
    free(c->items);
    free(c->file);
    free(c);
}
