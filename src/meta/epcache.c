/*
 * The episode cache, .podpub/episode-cache: each episode file as parsed
 * (struct episode with every source position, and what the parse
 * printed), so that a warm build reads YAML and renders Markdown only for
 * the files that changed. An entry is used while the file is the same one
 * (device, inode, size, modification time to the nanosecond, as the probe
 * cache) and holds the same bytes (its pp_hash64(): a file rewritten
 * within one clock tick at the same size is still seen), and the whole
 * cache while its key is the same: the show file's bytes (the time zone
 * and everything else a parse may read from it), the time zone data,
 * podpub's version and binary, the libyaml and cmark versions and
 * EPCACHE_FORMAT. Episodes with errors are not kept: they are parsed
 * again and report again.
 *
 * A file left alone for EPCACHE_SETTLE_S before it was read is not even
 * read again while its identity and status change time stay the same
 * (epcache_get_settled(): a write would have moved the change time past
 * the reading); any other is read and its bytes compared.
 *
 * The checks on the files an episode names (confinement, symlinks,
 * transcripts, chapters JSON) are not part of a parse: show_validate()
 * runs them on every build, cached or not. The episode file itself is
 * opened confined and read before the cache is asked, or, unread, judged
 * a regular file directly in episodes/ that is not a symlink.
 *
 * On disk, native byte order (the cache never leaves the machine):
 *
 *     header  "podpub-epcache\n\0", u32 format, u32 0x01020304, u64 key,
 *             u64 entries, u64 pp_hash64() of the 40 bytes before
 *     entry   u64 pp_hash64(body, key), u32 length, body: the path, the
 *             file identity, the content hash, the status change time
 *             and when the bytes were read, the messages, the episode
 *
 * sorted by path, the file ending with the last entry. The notes' two
 * strings have a NUL after them: a build reads them in place, from the
 * mapping, which the show keeps until its episodes are released. Every
 * length and count is checked against what is left, every string for
 * UTF-8 fit for XML and no NUL, every number against its range, every
 * path against the field it derives from: a cut, flipped or forged file
 * is a miss (and is replaced), never trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmark.h>
#include <yaml.h>

#include "epcache.h"
#include "fields.h"
#include "podpub/media.h"
#include "podpub/path.h"

/* Raise it whenever parsing or struct episode changes what it holds. */
#define EPCACHE_FORMAT 5

/*
 * A tripwire: a member added to struct episode (or to what it holds)
 * must be coded in code_episode(), or a warm build loses it. Then update
 * these sizes (those of 64-bit Linux).
 */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct episode) == 1088 &&
               sizeof(struct pi_episode) == 472 &&
               sizeof(struct pi_value) == 128 &&
               sizeof(struct pi_image) == 200,
               "struct episode changed: code it in code_episode()");
#endif
#define EPCACHE_MAGIC "podpub-epcache\n"
#define HEADER_SIZE 48
#define ENTRY_HEAD 12
#define CACHE_MAX_BYTES (1ull << 30)
#define STR_NULL 0xffffffffu

struct slot {
    const char *path;       /* in the mapping, not NUL-terminated */
    uint32_t path_len;
    const unsigned char *body;
    uint32_t len;
    uint64_t sum;
};

struct epcache {
    char *file;
    uint64_t key;
    unsigned char *map;
    size_t map_len;
    struct slot *slots;
    size_t nr;
    atomic_bool damaged;    /* an entry failed its checks: rewrite */
};

/*
 * Encoding and decoding are one walk over the episode (code_episode()),
 * so that what is written and what is read cannot drift apart.
 */
struct coder {
    bool reading;
    bool bad;               /* cannot be written, or not read back */
    struct strbuf *out;     /* writing */
    const unsigned char *p, *end;   /* reading */
    const char *file;       /* the episode's path: positions point at it */
};

static void put(struct coder *c, const void *v, size_t n)
{
    strbuf_add(c->out, v, n);
}

static bool get(struct coder *c, void *v, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        memset(v, 0, n);
        return false;
    }
    memcpy(v, c->p, n);
    c->p += n;
    return true;
}

static void code_u64(struct coder *c, uint64_t *v)
{
    if (c->reading)
        get(c, v, sizeof(*v));
    else
        put(c, v, sizeof(*v));
}

static void code_i64(struct coder *c, int64_t *v)
{
    code_u64(c, (uint64_t *)v);
}

/* A number in [min, max] held in an int (a line, an offset, an enum). */
static void code_int(struct coder *c, int *v, int min, int max)
{
    int64_t w = *v;

    code_i64(c, &w);
    if (w < min || w > max)
        c->bad = true;
    else
        *v = (int)w;
}

static void code_bool(struct coder *c, bool *v)
{
    unsigned char b = *v;

    if (!c->reading) {
        put(c, &b, 1);
        return;
    }
    if (get(c, &b, 1) && b > 1)
        c->bad = true;
    *v = b == 1;
}

static void code_double(struct coder *c, double *v)
{
    uint64_t bits;

    memcpy(&bits, v, sizeof(bits));
    code_u64(c, &bits);
    memcpy(v, &bits, sizeof(bits));
}

/*
 * A NUL-terminated string or NULL. Read back only when it is text a
 * parse could have produced: no NUL, UTF-8 fit for XML.
 */
static void code_str(struct coder *c, char **s)
{
    uint32_t n;
    size_t off;
    const char *why;

    if (!c->reading) {
        size_t len = *s ? strlen(*s) : 0;

        if (len >= STR_NULL) {
            c->bad = true;
            return;
        }
        n = *s ? (uint32_t)len : STR_NULL;
        put(c, &n, sizeof(n));
        if (*s)
            put(c, *s, n);
        return;
    }
    *s = NULL;
    if (!get(c, &n, sizeof(n)) || n == STR_NULL)
        return;
    if ((size_t)(c->end - c->p) < n || memchr(c->p, '\0', n) ||
        utf8_check_xml((const char *)c->p, n, &off, &why) < 0) {
        c->bad = true;
        return;
    }
    *s = xstrndup((const char *)c->p, n);
    c->p += n;
}

/*
 * code_str() for the long strings (the notes), written with a NUL after
 * them so that reading them needs no copy: '*s' then points into the
 * mapping (struct notes' 'borrowed'), which outlives the episode.
 */
static void code_str_borrowed(struct coder *c, char **s)
{
    uint32_t n;
    size_t off;
    const char *why;

    if (!c->reading) {
        code_str(c, s);
        if (*s)
            put(c, "", 1);
        return;
    }
    *s = NULL;
    if (!get(c, &n, sizeof(n)) || n == STR_NULL)
        return;
    if ((size_t)(c->end - c->p) <= n || c->p[n] != '\0' ||
        memchr(c->p, '\0', n) ||
        utf8_check_xml((const char *)c->p, n, &off, &why) < 0) {
        c->bad = true;
        return;
    }
    *s = (char *)c->p;
    c->p += n + 1;
}

/* A position: in the episode file (the only file a parse names) or none. */
static void code_pos(struct coder *c, struct srcpos *pos)
{
    bool in_file = pos->file != NULL;

    if (!c->reading && pos->file && pos->file != c->file &&
        strcmp(pos->file, c->file))
        c->bad = true;
    code_bool(c, &in_file);
    code_int(c, &pos->line, 0, 1 << 30);
    code_int(c, &pos->col, 0, 1 << 30);
    if (c->reading)
        pos->file = in_file ? c->file : NULL;
}

static void code_text(struct coder *c, struct text *t)
{
    code_str(c, &t->s);
    code_pos(c, &t->pos);
}

static void code_number(struct coder *c, struct number *n)
{
    code_i64(c, (int64_t *)&n->v);
    code_bool(c, &n->set);
    code_pos(c, &n->pos);
}

static void code_flag(struct coder *c, struct flag *f)
{
    code_bool(c, &f->v);
    code_bool(c, &f->set);
    code_pos(c, &f->pos);
}

/*
 * The length of an array of records of 'size' bytes, at least 'min'
 * bytes each on disk; when reading, the array is allocated (zeroed).
 */
static void code_array(struct coder *c, void **items, size_t *nr,
                       size_t size, size_t min)
{
    uint64_t n = *nr;

    code_u64(c, &n);
    if (!c->reading)
        return;
    *items = NULL;
    *nr = 0;
    if (c->bad || n > (size_t)(c->end - c->p) / min) {
        c->bad = true;
        return;
    }
    if (n) {
        *items = xcalloc((size_t)n, size);
        *nr = (size_t)n;
    }
}

/* One record of Podcast Index 'kind': its texts in table order. */
static void code_pi_rec(struct coder *c, const struct pi_kind *kind,
                        void *rec)
{
    for (size_t i = 0; i < kind->fields_nr; i++)
        code_text(c, pi_text(rec, &kind->fields[i]));
}

static void code_pi_list(struct coder *c, const struct pi_kind *kind,
                         void **items, size_t *nr)
{
    code_array(c, items, nr, kind->size, kind->fields_nr * 13);
    for (size_t i = 0; i < *nr && !c->bad; i++)
        code_pi_rec(c, kind, (char *)*items + i * kind->size);
}

#define PI_LIST_CODE(c, kind, list) \
    code_pi_list((c), &(kind), (void **)&(list), &list##_nr)

/* '*derived' is "episodes/<rel>" (or NULL with 'rel'), as a parse makes. */
static void check_derived(struct coder *c, const char *rel,
                          const char *derived)
{
    size_t n = strlen(PP_EPISODES_DIR);

    if (!c->reading || c->bad)
        return;
    if ((rel && !meta_rel_path_ok(rel)) ||
        (derived && (!rel || strncmp(derived, PP_EPISODES_DIR, n) ||
                     derived[n] != '/' || strcmp(derived + n + 1, rel))))
        c->bad = true;
}

static void code_value(struct coder *c, struct pi_value *v)
{
    code_pi_rec(c, &pi_value_kind, v);
    PI_LIST_CODE(c, pi_recipient_kind, v->recipients);
    code_array(c, (void **)&v->timesplits, &v->timesplits_nr,
               sizeof(*v->timesplits), 4 * 13);
    for (size_t i = 0; i < v->timesplits_nr && !c->bad; i++) {
        struct pi_timesplit *ts = &v->timesplits[i];

        code_pi_rec(c, &pi_timesplit_kind, ts);
        code_pi_rec(c, &pi_remote_kind, &ts->remote);
        PI_LIST_CODE(c, pi_recipient_kind, ts->recipients);
        code_pos(c, &ts->pos);
    }
    code_bool(c, &v->set);
    code_pos(c, &v->pos);
}

/*
 * An episode's images: what the parse gives (the texts, and the path of a
 * file next to the episode); the URL and the file's size and type are the
 * build's.
 */
static void code_images(struct coder *c, struct pi_image **images,
                        size_t *nr)
{
    code_array(c, (void **)images, nr, sizeof(**images),
               pi_image_kind.fields_nr * 13 + 4);
    for (size_t i = 0; i < *nr && !c->bad; i++) {
        struct pi_image *im = &(*images)[i];

        if (!c->reading && (im->url || im->file_width || im->file_height ||
                            im->file_type))
            c->bad = true;
        code_pi_rec(c, &pi_image_kind, im);
        code_str(c, &im->path);
        if (c->reading && im->path)
            check_derived(c, im->href.s, im->path);
    }
}

static void code_pi(struct coder *c, struct pi_episode *pi)
{
    PI_LIST_CODE(c, pi_person_kind, pi->persons);
    PI_LIST_CODE(c, pi_txt_kind, pi->txts);
    PI_LIST_CODE(c, pi_soundbite_kind, pi->soundbites);
    PI_LIST_CODE(c, pi_social_kind, pi->socials);
    code_pi_rec(c, &pi_location_kind, &pi->location);
    code_pi_rec(c, &pi_license_kind, &pi->license);
    code_text(c, &pi->season_name);
    code_text(c, &pi->episode_display);
    code_flag(c, &pi->block);
    code_text(c, &pi->itunes_block);
    code_value(c, &pi->value);
    code_images(c, &pi->images, &pi->images_nr);
}

static void code_transcripts(struct coder *c, struct episode *ep)
{
    code_array(c, (void **)&ep->transcripts, &ep->transcripts_nr,
               sizeof(*ep->transcripts), 4 * 13 + 2 * 4);
    for (size_t i = 0; i < ep->transcripts_nr && !c->bad; i++) {
        struct transcript *t = &ep->transcripts[i];
        const struct media_type *m;

        code_text(c, &t->file);
        code_text(c, &t->type);
        code_text(c, &t->language);
        code_text(c, &t->rel);
        code_str(c, &t->path);
        code_str(c, &t->url);
        check_derived(c, t->file.s, t->path);
        if (!c->reading || c->bad || !t->type.s)
            continue;
        m = t->file.s ? media_of_name(t->file.s) : NULL;
        if (!m || strcmp(m->mime, t->type.s) || !t->path)
            c->bad = true;
    }
}

static void code_chapters(struct coder *c, struct episode *ep)
{
    code_array(c, (void **)&ep->chapters, &ep->chapters_nr,
               sizeof(*ep->chapters), 8 + 3 * 4 + 9);
    for (size_t i = 0; i < ep->chapters_nr && !c->bad; i++) {
        struct chapter *ch = &ep->chapters[i];

        code_i64(c, &ch->start_ms);
        code_str(c, &ch->title);
        code_str(c, &ch->url);
        code_str(c, &ch->img);
        code_pos(c, &ch->pos);
    }
}

/* ep->media: the facts of audio_url:, recorded in the episode file. */
static void code_media(struct coder *c, struct media_facts *m)
{
    char *mime = (char *)m->mime;
    const struct media_type *t;

    code_bool(c, &m->probed);
    code_i64(c, &m->duration_ms);
    code_u64(c, &m->size);
    code_str(c, &mime);
    code_bool(c, &m->loud);
    code_double(c, &m->lufs);
    code_double(c, &m->lra);
    code_double(c, &m->true_peak);
    if (!c->reading)
        return;
    /* The MIME type is the media table's static string. */
    m->mime = NULL;
    if (mime) {
        t = media_by_mime(mime, MEDIA_AUDIO | MEDIA_OTHER);
        if (t && !strcmp(t->mime, mime))
            m->mime = t->mime;
        else
            c->bad = true;
        free(mime);
    }
}

static void code_episode(struct coder *c, struct episode *ep)
{
    struct text *texts[] = {
        &ep->title, &ep->guid, &ep->audio, &ep->summary, &ep->image,
        &ep->link, &ep->audio_url, &ep->chapters_file,
    };
    char *paths[3] = { ep->audio_path, ep->image_path, ep->chapters_path };
    int type = (int)ep->type;

    /* What the build adds later is not a parse's: never in the cache. */
    if (!c->reading && (ep->alts_nr || ep->enclosure_url || ep->image_url ||
                        ep->chapters_url || ep->page_url || ep->invalid ||
                        ep->audio_id_set))
        c->bad = true;
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        code_text(c, texts[i]);
    code_transcripts(c, ep);
    code_chapters(c, ep);
    code_i64(c, &ep->date.t);
    code_int(c, &ep->date.offset, -86400, 86400);
    code_pos(c, &ep->date_pos);
    code_number(c, &ep->season);
    code_number(c, &ep->episode);
    code_int(c, &type, EPISODE_FULL, EPISODE_BONUS);
    ep->type = (enum episode_type)type;
    code_pos(c, &ep->type_pos);
    code_flag(c, &ep->explicit);
    code_flag(c, &ep->draft);
    code_str_borrowed(c, &ep->notes.html);
    code_str_borrowed(c, &ep->notes.text);
    if (c->reading)
        ep->notes.borrowed = true;
    code_int(c, &ep->notes.line, 0, 1 << 30);
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
        code_str(c, &paths[i]);
    if (c->reading) {
        ep->audio_path = paths[0];
        ep->image_path = paths[1];
        ep->chapters_path = paths[2];
        check_derived(c, ep->audio.s, ep->audio_path);
        check_derived(c, ep->image.s, ep->image_path);
        check_derived(c, ep->chapters_file.s, ep->chapters_path);
        /* A parse always gives the notes and derives the audio's path. */
        if (!ep->notes.html || !ep->notes.text ||
            (ep->audio.s && !ep->audio_path))
            c->bad = true;
    }
    code_media(c, &ep->media);
    code_pi(c, &ep->pi);
}

/* The entry's head: the identity it was made for. */
static void code_head(struct coder *c, char **path, struct fileid *id,
                      struct epcache_stamp *stamp, char **msgs)
{
    int nsec = c->reading ? 0 : (int)id->mtime_nsec;
    int cnsec = c->reading ? 0 : (int)stamp->ctime_nsec;

    code_str(c, path);
    code_u64(c, &id->dev);
    code_u64(c, &id->inode);
    code_u64(c, &id->size);
    code_i64(c, &id->mtime_sec);
    code_int(c, &nsec, 0, 999999999);
    id->mtime_nsec = nsec;
    code_u64(c, &stamp->content);
    code_i64(c, &stamp->ctime_sec);
    code_int(c, &cnsec, 0, 999999999);
    stamp->ctime_nsec = cnsec;
    code_i64(c, &stamp->read_sec);
    code_str(c, msgs);
}

/* The identity of file 'path' (all zero when it cannot be read). */
static void add_file_id(struct strbuf *sb, const char *path)
{
    struct stat st;
    struct fileid id = { 0 };

    if (stat(path, &st) == 0)
        fileid_from_stat(&id, &st);
    strbuf_add(sb, &id, sizeof(id));
}

/*
 * What else a parse depends on than the episode file: a rebuilt podpub
 * (its binary's identity) starts over.
 */
static uint64_t cache_key(const struct show *show)
{
    struct strbuf sb = STRBUF_INIT;
    const char *tzdir = getenv("TZDIR");
    char exe[PATH_MAX];
    ssize_t n;
    uint64_t key;

    strbuf_addf(&sb, "%d %s %s %s %zu %zu|", EPCACHE_FORMAT, PODPUB_VERSION,
                cmark_version_string(), yaml_get_version_string(),
                sizeof(struct episode), sizeof(void *));
    strbuf_add(&sb, &show->file_hash, sizeof(show->file_hash));
    /*
     * The program by its name, not the /proc link itself: under valgrind
     * the link is valgrind's, and the name is podpub's.
     */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    strbuf_addf(&sb, "%s|", exe);
    add_file_id(&sb, exe);
    /* Dates without a zone are read with the zone's rules: its file. */
    if (show->timezone.s) {
        char *zone = xstrfmt("%s/%s", tzdir && *tzdir ? tzdir :
                             "/usr/share/zoneinfo", show->timezone.s);

        strbuf_addf(&sb, "|%s|", zone);
        add_file_id(&sb, zone);
        free(zone);
    }
    key = pp_hash64(sb.buf, sb.len, 0);
    strbuf_release(&sb);
    return key;
}

/* Paths compare as strcmp() would: byte order, the shorter first. */
static int path_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int d = memcmp(a, b, an < bn ? an : bn);

    return d ? d : (an > bn) - (an < bn);
}

/* Walks the mapped entries into c->slots; false at the first thing amiss. */
static bool index_entries(struct epcache *c, uint64_t count)
{
    const unsigned char *p = c->map + HEADER_SIZE;
    const unsigned char *end = c->map + c->map_len;

    if (count > (c->map_len - HEADER_SIZE) / (ENTRY_HEAD + 4))
        return false;
    c->slots = xcalloc(count ? (size_t)count : 1, sizeof(*c->slots));
    for (uint64_t i = 0; i < count; i++) {
        struct slot *s = &c->slots[i];
        uint32_t n;

        if ((size_t)(end - p) < ENTRY_HEAD)
            return false;
        memcpy(&s->sum, p, 8);
        memcpy(&s->len, p + 8, 4);
        p += ENTRY_HEAD;
        if (s->len < 4 || (size_t)(end - p) < s->len)
            return false;
        s->body = p;
        memcpy(&n, p, 4);
        if (n == STR_NULL || n == 0 || n > s->len - 4)
            return false;
        s->path = (const char *)p + 4;
        s->path_len = n;
        if (i && path_cmp(c->slots[i - 1].path, c->slots[i - 1].path_len,
                          s->path, n) >= 0)
            return false;   /* written sorted and unique */
        p += s->len;
        c->nr++;
    }
    return p == end;
}

struct epcache *epcache_open(const struct show *show)
{
    struct epcache *c = xcalloc(1, sizeof(*c));
    unsigned char head[HEADER_SIZE];
    uint32_t format, order;
    uint64_t key, count, sum;
    struct stat st;
    int fd;

    c->file = xstrdup(PP_EPISODE_CACHE);
    c->key = cache_key(show);
    atomic_init(&c->damaged, false);
    fd = open(c->file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return c;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_size < HEADER_SIZE || (uint64_t)st.st_size > CACHE_MAX_BYTES)
        goto unusable;
    c->map_len = (size_t)st.st_size;
    c->map = mmap(NULL, c->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (c->map == MAP_FAILED) {
        c->map = NULL;
        goto unusable;
    }
    memcpy(head, c->map, HEADER_SIZE);
    memcpy(&format, head + 16, 4);
    memcpy(&order, head + 20, 4);
    memcpy(&key, head + 24, 8);
    memcpy(&count, head + 32, 8);
    memcpy(&sum, head + 40, 8);
    if (memcmp(head, EPCACHE_MAGIC, sizeof(EPCACHE_MAGIC)) ||
        format != EPCACHE_FORMAT || order != 0x01020304u ||
        sum != pp_hash64(head, 40, 0))
        goto unusable;
    if (key != c->key)
        goto stale;     /* another show file, podpub or zone: start over */
    if (!index_entries(c, count))
        goto unusable;
    close(fd);
    return c;
unusable:
    if (pp_verbosity > 0)
        warnf("%s: not a usable cache; it will be rebuilt", c->file);
stale:
    close(fd);
    if (c->map)
        munmap(c->map, c->map_len);
    c->map = NULL;
    c->nr = 0;
    atomic_store(&c->damaged, true);
    return c;
}

/*
 * The entry of 'path' into 'ep' and 'msgs' when it holds identity 'id'
 * and, with 'content', those bytes, or with 'st', that status change
 * time, settled (epcache_get_settled()). '*stamp' gets its stamp.
 */
static bool get_entry(struct epcache *c, const char *path,
                      const struct fileid *id, const uint64_t *content,
                      const struct stat *st, struct episode *ep,
                      struct strbuf *msgs, struct epcache_stamp *stamp)
{
    size_t lo = 0, hi = c ? c->nr : 0, n = strlen(path);
    const struct slot *s = NULL;
    struct coder co = { .reading = true };
    struct fileid was;
    struct epcache_stamp was_stamp = { 0 };
    char *was_path = NULL, *was_msgs = NULL;

    memset(ep, 0, sizeof(*ep));
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = path_cmp(c->slots[mid].path, c->slots[mid].path_len, path, n);

        if (!d) {
            s = &c->slots[mid];
            break;
        }
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!s)
        return false;
    co.p = s->body;
    co.end = s->body + s->len;
    code_head(&co, &was_path, &was, &was_stamp, &was_msgs);
    if (co.bad || pp_hash64(s->body, s->len, c->key) != s->sum) {
        atomic_store(&c->damaged, true);
        goto miss;
    }
    if (!fileid_equal(&was, id) ||
        (content && was_stamp.content != *content) ||
        (st && (was_stamp.ctime_sec != (int64_t)st->st_ctim.tv_sec ||
                was_stamp.ctime_nsec != st->st_ctim.tv_nsec ||
                was_stamp.ctime_sec > was_stamp.read_sec - EPCACHE_SETTLE_S)))
        goto miss;
    episode_init_path(ep, path);
    co.file = ep->path;
    code_episode(&co, ep);
    if (co.bad || co.p != co.end) {
        atomic_store(&c->damaged, true);
        episode_release(ep);
        goto miss;
    }
    if (was_msgs)
        strbuf_addstr(msgs, was_msgs);
    if (stamp)
        *stamp = was_stamp;
    free(was_path);
    free(was_msgs);
    return true;
miss:
    free(was_path);
    free(was_msgs);
    memset(ep, 0, sizeof(*ep));
    return false;
}

bool epcache_get(struct epcache *c, const char *path, const struct fileid *id,
                 uint64_t content, struct episode *ep, struct strbuf *msgs)
{
    return get_entry(c, path, id, &content, NULL, ep, msgs, NULL);
}

bool epcache_get_settled(struct epcache *c, const char *path,
                         const struct stat *st, struct episode *ep,
                         struct strbuf *msgs, struct epcache_stamp *stamp)
{
    struct fileid id;

    fileid_from_stat(&id, st);
    return get_entry(c, path, &id, NULL, st, ep, msgs, stamp);
}

/* Writes 'sb' out to 'fd' once it holds a megabyte (or 'all'). */
static int flush(int fd, struct strbuf *sb, bool all)
{
    if (!all && sb->len < (1u << 20))
        return 0;
    if (write_all(fd, sb->buf, sb->len) < 0)
        return -1;
    strbuf_setlen(sb, 0);
    return 0;
}

/* Appends item 'it' as an entry; false when it cannot be kept. */
static bool add_entry(struct strbuf *out, uint64_t key,
                      const struct epcache_item *it)
{
    struct strbuf body = STRBUF_INIT;
    struct coder co = { .out = &body, .file = it->ep->path };
    struct fileid id = it->id;
    struct epcache_stamp stamp = it->stamp;
    uint64_t sum;
    char *path = it->ep->path;
    char *msgs = xstrndup(it->msgs ? it->msgs : "", it->msgs_len);
    uint32_t len;

    code_head(&co, &path, &id, &stamp, &msgs);
    code_episode(&co, (struct episode *)it->ep);
    free(msgs);
    if (co.bad || body.len > UINT32_MAX) {
        strbuf_release(&body);
        return false;
    }
    sum = pp_hash64(body.buf, body.len, key);
    len = (uint32_t)body.len;
    strbuf_add(out, &sum, sizeof(sum));
    strbuf_add(out, &len, sizeof(len));
    strbuf_add(out, body.buf, body.len);
    strbuf_release(&body);
    return true;
}

int epcache_save(struct epcache *c, const struct epcache_item *items,
                 size_t nr)
{
    struct strbuf sb = STRBUF_INIT;
    unsigned char head[HEADER_SIZE] = { 0 };
    uint32_t format = EPCACHE_FORMAT, order = 0x01020304u;
    uint64_t count = 0, hits = 0, kept = 0, settled = 0, sum;
    char *tmp = NULL;
    int fd, ret = 0;

    for (size_t i = 0; i < nr; i++) {
        const struct epcache_item *it = &items[i];

        kept += it->ep != NULL;
        hits += it->ep && it->hit;
        /* Read again and settled since: its new stamp spares the reading. */
        settled += it->ep && it->hit && !it->unread &&
                   it->stamp.ctime_sec <=
                       it->stamp.read_sec - EPCACHE_SETTLE_S;
    }
    if (!atomic_load(&c->damaged) && hits == kept && kept == c->nr &&
        !settled)
        return 0;   /* it holds exactly these already */
    if (mkdir(".podpub", 0755) < 0 && errno != EEXIST)
        return errorf(PP_ERR_IO, "cannot create '%s': %s", c->file,
                      strerror(errno));
    if ((fd = temp_create(c->file, &tmp)) < 0)
        return errorf(PP_ERR_IO, "cannot write '%s': %s", c->file,
                      strerror(errno));
    strbuf_add(&sb, head, sizeof(head));   /* filled in at the end */
    for (size_t i = 0; i < nr; i++) {
        if (items[i].ep && add_entry(&sb, c->key, &items[i]))
            count++;
        if (flush(fd, &sb, false) < 0)
            goto fail;
    }
    if (flush(fd, &sb, true) < 0)
        goto fail;
    memcpy(head, EPCACHE_MAGIC, sizeof(EPCACHE_MAGIC));
    memcpy(head + 16, &format, sizeof(format));
    memcpy(head + 20, &order, sizeof(order));
    memcpy(head + 24, &c->key, 8);
    memcpy(head + 32, &count, 8);
    sum = pp_hash64(head, 40, 0);
    memcpy(head + 40, &sum, 8);
    /*
     * No fsync(): a cache lost or cut off by a crash is detected and
     * rebuilt, and the header goes in last, so a file cut off before it
     * never counts.
     */
    if (pwrite(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head))
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, c->file) < 0)
        goto fail;
    free(tmp);
    strbuf_release(&sb);
    return 0;
fail:
    ret = errorf(PP_ERR_IO, "cannot write '%s': %s", c->file,
                 strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    strbuf_release(&sb);
    return ret;
}

void epcache_close(struct epcache *c, void **map, size_t *len)
{
    *map = NULL;
    *len = 0;
    if (!c)
        return;
    *map = c->map;
    *len = c->map_len;
    c->map = NULL;
    epcache_free(c);
}

void epcache_free(struct epcache *c)
{
    if (!c)
        return;
    if (c->map)
        munmap(c->map, c->map_len);
    free(c->slots);
    free(c->file);
    free(c);
}
