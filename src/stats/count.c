/*
 * Counting downloads by the IAB Podcast Measurement Technical Guidelines
 * v2.2: of the GET requests (not HEAD, not `bytes=0-1` probes, not bots)
 * for an episode's file that the server answered 200 or 206, those of
 * one (IP address, user agent) within 24 hours of its first request are
 * one candidate download; it counts when together they delivered at
 * least a minute of audio (at the file's average bit rate), or the whole
 * file when it is shorter.
 *
 * Windows live in two hash tables, the requests of this Unix day and of
 * the day before: a window never outlives the day after its first
 * request, so the older table is dropped whole when a line of a later
 * day arrives. Memory follows the (address, agent, episode) keys of at
 * most two days, whatever the log's size. A key is a SipHash of the
 * address and the user agent under a key drawn for this run: no address
 * is kept, even in memory.
 *
 * Downloads of windows that began more than a day before the newest line
 * are final ("committed", kept in the state file); the newer ones are
 * counted again by the next run, which reads again from a little before
 * them (see state.c). A day of lines before that is read again too, so
 * that windows open then keep their requests.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <zlib.h>

#include "counter.h"

#define LINE_MAX_BYTES (64u << 10)
#define READ_BYTES (1u << 20)
#define UA_CACHE (1u << 16)
#define CHECKPOINT_BYTES (4u << 20)

/* A candidate download: one key's requests within 24 hours. */
struct win {
    uint64_t key;               /* 0: empty slot */
    int64_t start;
    uint64_t loose;             /* bytes whose offset is unknown */
    struct ranges *ranges;      /* bytes whose offset is known, or NULL */
    int32_t ep;
    int32_t app, platform;      /* interned names */
    uint8_t counted, shadow;
};

/* Up to four disjoint byte ranges [a, b) of the file. */
struct ranges {
    int nr;
    struct { uint64_t a, b; } v[4];
};

struct wintab {
    struct win *slots;
    size_t nr, used;            /* nr: a power of two */
    int64_t day;
};

struct ua_slot {
    uint64_t h;                 /* 0: empty */
    int8_t kind;
    int32_t app, platform;      /* interned names */
};

/* A download whose window may still be open (not yet committed). */
struct event {
    int64_t start;
    int32_t ep, app, platform;
};

struct checkpoint {
    uint64_t offset, lines;
    int64_t t;
};

struct stats {
    struct stats_core core;     /* first: state.c uses it */
    struct stats_opts opts;
    uint8_t key[16];
    struct ua_slot *ua_cache;
    int *agent_app, *agent_platform;    /* agent id -> interned name */
    int unknown_nid;
    struct wintab tab[2];       /* [0]: the newer day */
    struct event *events;       /* a queue, in the order they counted */
    size_t ev_head, ev_nr, ev_alloc;
    int64_t newest;             /* the newest request time so far */
    struct stats_result r;      /* line counters */
    uint64_t fmt_lines[16];     /* new lines by format (detected) */
    char **names;               /* file names given, for unmatched lines */
    size_t names_nr;
};

/* ------------------------------------------------------------------ */
/* Interned names                                                      */

static uint64_t hash_name(const char *s)
{
    static const uint8_t k[16];

    return stats_siphash(k, s, strlen(s));
}

int intern(struct interned *in, const char *name)
{
    size_t mask, i;

    if (!name)
        name = "unknown";
    if ((in->nr + 1) * 2 > in->slots_nr) {
        free(in->slots);
        in->slots_nr = in->slots_nr ? in->slots_nr * 2 : 64;
        in->slots = xmalloc(in->slots_nr * sizeof(*in->slots));
        for (i = 0; i < in->slots_nr; i++)
            in->slots[i] = -1;
        mask = in->slots_nr - 1;
        for (size_t n = 0; n < in->nr; n++) {
            for (i = hash_name(in->names[n]) & mask; in->slots[i] >= 0;
                 i = (i + 1) & mask)
                ;
            in->slots[i] = (int)n;
        }
    }
    mask = in->slots_nr - 1;
    for (i = hash_name(name) & mask; in->slots[i] >= 0; i = (i + 1) & mask)
        if (!strcmp(in->names[in->slots[i]], name))
            return in->slots[i];
    ALLOC_GROW(in->names, in->nr + 1, in->alloc);
    in->names[in->nr] = xstrdup(name);
    in->slots[i] = (int)in->nr;
    return (int)in->nr++;
}

void interned_release(struct interned *in)
{
    for (size_t i = 0; i < in->nr; i++)
        free(in->names[i]);
    free(in->names);
    free(in->slots);
    memset(in, 0, sizeof(*in));
}

/* ------------------------------------------------------------------ */
/* Aggregates                                                          */

void agg_init(struct agg *g, size_t eps_nr)
{
    memset(g, 0, sizeof(*g));
    g->eps = xcalloc(eps_nr + 1, sizeof(*g->eps));
    g->eps_nr = eps_nr;
}

void ep_agg_release(struct ep_agg *a)
{
    free(a->days);
    free(a->apps);
    memset(a, 0, sizeof(*a));
}

void agg_release(struct agg *g)
{
    for (size_t i = 0; i < g->eps_nr; i++)
        ep_agg_release(&g->eps[i]);
    free(g->eps);
    free(g->platforms);
    memset(g, 0, sizeof(*g));
}

void name_count_add(struct name_count **v, size_t *nr, size_t *alloc,
                    int nid, uint64_t n)
{
    for (size_t i = 0; i < *nr; i++)
        if ((*v)[i].nid == nid) {
            (*v)[i].n += n;
            return;
        }
    ALLOC_GROW(*v, *nr + 1, *alloc);
    (*v)[(*nr)++] = (struct name_count){ nid, n };
}

void day_count_add(struct ep_agg *a, int64_t day, uint64_t n)
{
    size_t i = a->days_nr;

    while (i > 0 && a->days[i - 1].day > day)
        i--;
    if (i > 0 && a->days[i - 1].day == day) {
        a->days[i - 1].n += n;
        return;
    }
    ALLOC_GROW(a->days, a->days_nr + 1, a->days_alloc);
    memmove(a->days + i + 1, a->days + i,
            (a->days_nr - i) * sizeof(*a->days));
    a->days[i] = (struct day_count){ day, n };
    a->days_nr++;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void agg_add(struct agg *g, const struct stats_catalog *cat, int ep,
             int64_t start, int app, int platform)
{
    struct ep_agg *a = &g->eps[ep];
    int64_t since = start - stats_catalog_episode(cat, ep)->date;
    int64_t d = since < 0 ? 0 : since / DAY;

    a->total++;
    for (int i = 0; i < 3; i++)
        if (since < (int64_t[]){ 1, 7, 30 }[i] * DAY)
            a->first[i]++;
    if (d < 30)
        a->curve[d]++;
    day_count_add(a, floor_div(start, DAY), 1);
    name_count_add(&a->apps, &a->apps_nr, &a->apps_alloc, app, 1);
    name_count_add(&g->platforms, &g->platforms_nr, &g->platforms_alloc,
                   platform, 1);
}

/* ------------------------------------------------------------------ */
/* Windows                                                             */

static void wintab_free(struct wintab *t)
{
    for (size_t i = 0; i < t->nr; i++)
        free(t->slots[i].ranges);
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

static struct win *wintab_find(struct wintab *t, uint64_t key)
{
    size_t mask = t->nr - 1;

    if (!t->slots)
        return NULL;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        if (t->slots[i].key == key)
            return &t->slots[i];
        if (!t->slots[i].key)
            return NULL;
    }
}

static struct win *wintab_insert(struct wintab *t, uint64_t key)
{
    size_t mask;
    size_t i;

    if ((t->used + 1) * 2 > t->nr) {
        struct win *old = t->slots;
        size_t old_nr = t->nr;

        t->nr = t->nr ? t->nr * 2 : 1024;
        t->slots = xcalloc(t->nr, sizeof(*t->slots));
        mask = t->nr - 1;
        for (size_t k = 0; k < old_nr; k++) {
            if (!old[k].key)
                continue;
            for (i = old[k].key & mask; t->slots[i].key; i = (i + 1) & mask)
                ;
            t->slots[i] = old[k];
        }
        free(old);
    }
    mask = t->nr - 1;
    for (i = key & mask; t->slots[i].key; i = (i + 1) & mask)
        ;
    t->used++;
    t->slots[i].key = key;
    return &t->slots[i];
}

/* Adds [a, b) to 'r'; when five would be needed, the two nearest merge. */
static void ranges_add(struct ranges *r, uint64_t a, uint64_t b)
{
    int i = 0;

    /* Merge every range that overlaps or touches [a, b) into it. */
    while (i < r->nr) {
        if (r->v[i].a <= b && a <= r->v[i].b) {
            a = r->v[i].a < a ? r->v[i].a : a;
            b = r->v[i].b > b ? r->v[i].b : b;
            r->v[i] = r->v[--r->nr];
            i = 0;
            continue;
        }
        i++;
    }
    if (r->nr == 4) {
        /* Join [a, b) to the range with the smallest gap (counts a bit more). */
        int best = 0;
        uint64_t gap = UINT64_MAX;

        for (i = 0; i < r->nr; i++) {
            uint64_t g = r->v[i].a > b ? r->v[i].a - b : a - r->v[i].b;

            if (g < gap) {
                gap = g;
                best = i;
            }
        }
        a = r->v[best].a < a ? r->v[best].a : a;
        b = r->v[best].b > b ? r->v[best].b : b;
        r->v[best] = r->v[--r->nr];
        ranges_add(r, a, b);
        return;
    }
    r->v[r->nr].a = a;
    r->v[r->nr].b = b;
    r->nr++;
}

static uint64_t delivered(const struct win *w)
{
    uint64_t n = w->loose;

    if (w->ranges)
        for (int i = 0; i < w->ranges->nr; i++)
            n += w->ranges->v[i].b - w->ranges->v[i].a;
    return n;
}

/* Moves events of windows that can no longer change into 'committed'. */
static void fold_events(struct stats *st, int64_t before)
{
    while (st->ev_nr && st->events[st->ev_head].start < before) {
        struct event *e = &st->events[st->ev_head];

        agg_add(&st->core.committed, st->core.cat, e->ep, e->start, e->app,
                e->platform);
        st->ev_head++;
        st->ev_nr--;
    }
    if (st->ev_head > 4096 && st->ev_head * 2 > st->ev_alloc) {
        memmove(st->events, st->events + st->ev_head,
                st->ev_nr * sizeof(*st->events));
        st->ev_head = 0;
    }
}

static void push_event(struct stats *st, const struct win *w)
{
    if (w->start < st->core.cutoff)
        return;                 /* counted by an earlier run */
    ALLOC_GROW(st->events, st->ev_head + st->ev_nr + 1, st->ev_alloc);
    st->events[st->ev_head + st->ev_nr++] =
        (struct event){ w->start, w->ep, w->app, w->platform };
}

/* Makes 'day' the newer table's day, dropping what is older than the day before. */
static void rotate(struct stats *st, int64_t day)
{
    if (!st->tab[0].slots && !st->tab[1].slots) {
        st->tab[0].day = day;
        st->tab[1].day = day - 1;
        return;
    }
    if (day == st->tab[0].day + 1) {
        wintab_free(&st->tab[1]);
        st->tab[1] = st->tab[0];
        memset(&st->tab[0], 0, sizeof(st->tab[0]));
    } else {
        wintab_free(&st->tab[0]);
        wintab_free(&st->tab[1]);
    }
    st->tab[0].day = day;
    st->tab[1].day = day - 1;
}

/* One request that passed the filters: into its window. */
static void count_request(struct stats *st, const struct stats_req *req,
                          int ep, uint64_t key, int app, int platform)
{
    const struct stats_cat_episode *e = stats_catalog_episode(st->core.cat,
                                                              ep);
    int64_t day = floor_div(req->t, DAY);
    struct win *w = NULL;
    struct wintab *t;
    uint64_t bytes = req->bytes;

    if (day > st->tab[0].day || (!st->tab[0].slots && !st->tab[1].slots))
        rotate(st, day);
    t = day >= st->tab[0].day ? &st->tab[0] : &st->tab[1];
    w = wintab_find(&st->tab[0], key);
    if (!w || req->t >= w->start + DAY) {
        struct win *old = wintab_find(&st->tab[1], key);

        if (old && req->t < old->start + DAY && req->t > old->start - DAY)
            w = old;
        else if (w && req->t >= w->start + DAY) {
            /* A new window of this key, in place of the closed one. */
            free(w->ranges);
            memset(&w->start, 0, sizeof(*w) - offsetof(struct win, start));
            w->start = req->t;
            w->ep = ep;
        } else if (!w) {
            w = wintab_insert(t, key);
            w->start = req->t;
            w->ep = ep;
            if (st->tab[0].used + st->tab[1].used > st->r.windows_peak)
                st->r.windows_peak = st->tab[0].used + st->tab[1].used;
        }
    }
    if (req->t < w->start)
        w->start = req->t;      /* a line a little out of order */
    w->app = app;
    w->platform = platform;
    st->r.counted_requests++;
    if (req->range_start >= 0) {
        uint64_t a = (uint64_t)req->range_start, b = a + bytes;

        if (req->range_end >= 0 && (uint64_t)req->range_end + 1 < b)
            b = (uint64_t)req->range_end + 1;
        if (!w->ranges)
            w->ranges = xcalloc(1, sizeof(*w->ranges));
        if (b > a)
            ranges_add(w->ranges, a, b);
    } else {
        w->loose += bytes;
    }
    if (!w->counted && delivered(w) >= e->minute_bytes) {
        w->counted = 1;
        push_event(st, w);
    }
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static void classify(struct stats *st, const char *ua, size_t len,
                     uint64_t h, struct ua_slot *out)
{
    struct ua_slot *c = &st->ua_cache[h & (UA_CACHE - 1)];
    struct stats_agent_class cls;

    if (c->h == h) {
        *out = *c;
        return;
    }
    stats_agents_classify(st->opts.agents, ua, len, &cls);
    out->h = h ? h : 1;
    out->kind = (int8_t)cls.kind;
    out->app = cls.id >= 0 ? st->agent_app[cls.id] : st->unknown_nid;
    out->platform = cls.device_id >= 0 ? st->agent_platform[cls.device_id] :
                    st->unknown_nid;
    *c = *out;
}

static void on_request(struct stats *st, const struct stats_req *req)
{
    int ep;
    uint64_t parts[3];
    struct ua_slot cls;

    st->r.requests++;
    if (req->t > st->newest) {
        st->newest = req->t;
        if (st->ev_nr)
            fold_events(st, st->newest - DAY);
    }
    if (!st->core.first_t || req->t < st->core.first_t)
        st->core.first_t = req->t;
    if (req->t > st->core.last_t)
        st->core.last_t = req->t;
    ep = stats_catalog_lookup(st->core.cat, req->path, req->path_len);
    if (ep < 0) {
        st->r.not_episode++;
        return;
    }
    if (req->method_len != 3 || memcmp(req->method, "GET", 3)) {
        st->r.not_get++;
        return;
    }
    if (req->status != 200 && req->status != 206) {
        st->r.not_ok++;
        return;
    }
    if (req->range_start >= 0 ? req->range_start == 0 && req->range_end == 1
                              : req->status == 206 && req->bytes <= 2) {
        st->r.probe++;
        return;
    }
    parts[1] = stats_siphash(st->key, req->ua, req->ua_len);
    classify(st, req->ua, req->ua_len, parts[1], &cls);
    if (cls.kind == STATS_AGENT_BOT) {
        st->r.bot++;
        return;
    }
    parts[0] = stats_siphash(st->key, req->ip, req->ip_len);
    parts[2] = (uint64_t)ep;
    uint64_t key = stats_siphash(st->key, parts, sizeof(parts));
    count_request(st, req, ep, key ? key : 1, cls.app, cls.platform);
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

/* 0: fine; 1: holds a NUL; 2: not UTF-8. */
static int line_check(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i + 8 <= n) {
        uint64_t v;

        memcpy(&v, s + i, 8);
        if ((v & 0x8080808080808080ULL) ||
            ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL))
            break;
        i += 8;
    }
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        uint32_t cp;

        if (c == 0)
            return 1;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            k = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3, cp = c & 0x07;
        else
            return 2;
        if (i + k >= n)
            return 2;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 2;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 2;
        i += k + 1;
    }
    return 0;
}

static void unmatched(struct stats *st, const char *file, uint64_t line,
                      const char *why, bool report)
{
    if (!report)
        return;                 /* reported by the run that read it first */
    st->r.unmatched++;
    if (st->r.unmatched_first_nr < STATS_MAX_REPORTED)
        st->r.unmatched_first[st->r.unmatched_first_nr++] =
            (struct stats_unmatched){ file, line, why };
}

struct reader {
    const char *name;
    int nf;                     /* formats in stats_formats[] */
    void **fmt_state;
    int last_fmt;
    struct strbuf scratch;
    uint64_t line, offset;      /* lines and bytes done */
    uint64_t replay_from;       /* lines before are reported already */
    int64_t t;                  /* the time of the newest request */
};

static void on_line(struct stats *st, struct reader *rd, const char *s,
                    size_t n)
{
    struct stats_req req;
    int r = STATS_LINE_NO, bad;
    bool report = rd->offset >= rd->replay_from;

    if (report)
        st->r.lines++;
    if (n && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        st->r.lines_meta++;
        return;
    }
    bad = line_check((const unsigned char *)s, n);
    if (bad) {
        unmatched(st, rd->name, rd->line, bad == 1 ? "holds a NUL byte" :
                  "is not UTF-8", report);
        return;
    }
    if (st->opts.format) {
        req.range_start = req.range_end = -1;
        r = st->opts.format->parse(rd->fmt_state[0], s, n, &rd->scratch,
                                   &req);
    } else {
        /* The format of the line before first, then the others in order. */
        for (int k = 0; k <= rd->nf && r == STATS_LINE_NO; k++) {
            int f = k == 0 ? rd->last_fmt : k - 1;

            if (k > 0 && f == rd->last_fmt)
                continue;
            req.range_start = req.range_end = -1;
            r = stats_formats[f]->parse(rd->fmt_state[f], s, n, &rd->scratch,
                                        &req);
            if (r != STATS_LINE_NO)
                rd->last_fmt = f;
        }
        if (r != STATS_LINE_NO && report)
            st->fmt_lines[rd->last_fmt]++;
    }
    if (r == STATS_LINE_NO) {
        unmatched(st, rd->name, rd->line, st->opts.format ?
                  "not in the format given" : "matches no log format", report);
        return;
    }
    if (r == STATS_LINE_META) {
        st->r.lines_meta++;
        return;
    }
    rd->t = req.t;
    on_request(st, &req);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

struct stats *stats_new(const struct stats_catalog *cat,
                        const struct stats_opts *opts)
{
    struct stats *st = xcalloc(1, sizeof(*st));
    int ids = stats_agents_ids(opts->agents);

    st->core.cat = cat;
    st->core.cutoff = INT64_MIN;
    st->opts = *opts;
    if (getrandom(st->key, sizeof(st->key), 0) != sizeof(st->key))
        die("cannot draw a random key: %s", strerror(errno));
    st->ua_cache = xcalloc(UA_CACHE, sizeof(*st->ua_cache));
    st->unknown_nid = intern(&st->core.names, "unknown");
    st->agent_app = xcalloc((size_t)ids + 1, sizeof(int));
    st->agent_platform = xcalloc((size_t)ids + 1, sizeof(int));
    for (int i = 0; i < ids; i++) {
        st->agent_app[i] = intern(&st->core.names,
                                  stats_agents_name(opts->agents, i));
        st->agent_platform[i] = st->agent_app[i];
    }
    agg_init(&st->core.committed, stats_catalog_size(cat));
    agg_init(&st->core.saved, stats_catalog_size(cat));
    return st;
}

void stats_free(struct stats *st)
{
    if (!st)
        return;
    wintab_free(&st->tab[0]);
    wintab_free(&st->tab[1]);
    free(st->events);
    free(st->ua_cache);
    free(st->agent_app);
    free(st->agent_platform);
    agg_release(&st->core.committed);
    agg_release(&st->core.provisional);
    agg_release(&st->core.saved);
    for (size_t i = 0; i < st->core.orphans_nr; i++) {
        free(st->core.orphans[i].guid);
        ep_agg_release(&st->core.orphans[i].a);
    }
    free(st->core.orphans);
    free(st->core.files);
    interned_release(&st->core.names);
    for (size_t i = 0; i < st->names_nr; i++)
        free(st->names[i]);
    free(st->names);
    explicit_bzero(st->key, sizeof(st->key));
    free(st);
}

static struct file_mark *find_mark(struct stats *st, const char *id)
{
    for (size_t i = 0; i < st->core.files_nr; i++)
        if (!strcmp(st->core.files[i].id, id))
            return &st->core.files[i];
    ALLOC_GROW(st->core.files, st->core.files_nr + 1, st->core.files_alloc);
    memset(&st->core.files[st->core.files_nr], 0, sizeof(*st->core.files));
    memcpy(st->core.files[st->core.files_nr].id, id, 65);
    return &st->core.files[st->core.files_nr++];
}

int stats_read_fd(struct stats *st, int fd, const char *name)
{
    gzFile gz = gzdopen(fd, "rb");
    struct reader rd = { .scratch = STRBUF_INIT };
    size_t nf = 0, have = 0, cap = READ_BYTES + LINE_MAX_BYTES;
    char *buf = NULL;
    bool skipping = false, eof = false, identified = false, twice = false;
    struct file_mark *mark = NULL;
    uint64_t skip_to = 0, skip_lines = 0, next_cp = 0;
    struct checkpoint *cps = NULL;
    size_t cps_nr = 0, cps_alloc = 0;
    int ret = 0;

    if (!gz) {
        close(fd);
        return errorf(PP_ERR_IO, "cannot read '%s': %s", name,
                      strerror(errno));
    }
    gzbuffer(gz, 1 << 17);
    st->names = xrealloc(st->names, (st->names_nr + 1) * sizeof(*st->names));
    rd.name = st->names[st->names_nr++] = xstrdup(name);
    while (stats_formats[nf])
        nf++;
    rd.nf = (int)nf;
    rd.fmt_state = xcalloc(nf, sizeof(*rd.fmt_state));
    for (size_t f = 0; f < nf; f++) {
        const struct stats_format_ops *ops = st->opts.format && f == 0 ?
                                             st->opts.format : stats_formats[f];

        rd.fmt_state[f] = xcalloc(1, ops->state_size ? ops->state_size : 1);
    }
    rd.replay_from = 0;
    buf = xmalloc(cap);
    while (!eof || have) {
        char *p, *nl;
        size_t used;

        if (!eof && have < cap) {
            int n = gzread(gz, buf + have, (unsigned)(cap - have > READ_BYTES ?
                                                      READ_BYTES : cap - have));
            if (n < 0) {
                int e;
                const char *msg = gzerror(gz, &e);

                ret = errorf(PP_ERR_IO, "cannot read '%s': %s", name,
                             e == Z_ERRNO ? strerror(errno) : msg);
                break;
            }
            if (n == 0)
                eof = true;
            have += (size_t)n;
        }
        p = buf;
        while ((nl = memchr(p, '\n', have - (size_t)(p - buf)))) {
            size_t n = (size_t)(nl - p);

            if (!identified) {
                char id[65];

                sha256_hex(p, n + 1, id);
                identified = true;
                mark = find_mark(st, id);
                if (mark->seen) {
                    /* The same log twice in one run: once is enough. */
                    twice = true;
                    skip_to = UINT64_MAX;
                } else {
                    /* Counted before: read again from where it says. */
                    skip_to = mark->replay;
                    skip_lines = mark->replay_lines;
                    rd.replay_from = mark->offset;
                }
                mark->seen = true;
            }
            rd.line++;
            if (skipping) {
                skipping = false;   /* the rest of a too long line */
            } else if (rd.offset < skip_to) {
                st->r.lines_seen_before++;
            } else {
                if (rd.offset < rd.replay_from)
                    st->r.lines_seen_before++;
                on_line(st, &rd, p, n);
                if (rd.offset >= next_cp && rd.t) {
                    ALLOC_GROW(cps, cps_nr + 1, cps_alloc);
                    cps[cps_nr++] = (struct checkpoint){ rd.offset,
                                                         rd.line - 1, rd.t };
                    next_cp = rd.offset + CHECKPOINT_BYTES;
                }
            }
            rd.offset += n + 1;
            p = nl + 1;
        }
        used = (size_t)(p - buf);
        memmove(buf, p, have - used);
        have -= used;
        if (have >= LINE_MAX_BYTES || (eof && have)) {
            /* A line too long to be a log line, or one without '\n'. */
            if (eof && have && have < LINE_MAX_BYTES) {
                buf[have] = '\n';
                have++;
                continue;
            }
            if (!skipping) {
                rd.line++;
                unmatched(st, name, rd.line, "is longer than 64 KiB",
                          rd.offset >= rd.replay_from);
                st->r.lines++;
                skipping = true;
            }
            rd.offset += have;
            have = 0;
        }
    }
    if (mark && ret == 0 && !twice) {
        /*
         * Where the next run starts: a day before the first window this
         * run could not close, so that windows open then are seen whole.
         */
        int64_t keep_from = st->newest - 2 * DAY;

        mark->replay = 0;
        mark->replay_lines = 0;
        for (size_t i = 0; i < cps_nr && cps[i].t < keep_from; i++) {
            mark->replay = cps[i].offset;
            mark->replay_lines = cps[i].lines;
        }
        if (mark->replay < skip_to) {
            mark->replay = skip_to;
            mark->replay_lines = skip_lines;
        }
        mark->offset = rd.offset;
        mark->lines = rd.line;
    }
    for (size_t f = 0; f < nf; f++) {
        const struct stats_format_ops *ops = st->opts.format && f == 0 ?
                                             st->opts.format : stats_formats[f];

        if (ops->release)
            ops->release(rd.fmt_state[f]);
        free(rd.fmt_state[f]);
    }
    free(rd.fmt_state);
    free(cps);
    free(buf);
    strbuf_release(&rd.scratch);
    gzclose(gz);
    return ret;
}

int stats_read_file(struct stats *st, const char *path)
{
    int fd;

    if (!strcmp(path, "-"))
        return stats_read_fd(st, dup(STDIN_FILENO), "-");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errorf(PP_ERR_IO, "cannot open '%s': %s", path,
                      strerror(errno));
    return stats_read_fd(st, fd, path);
}

struct stats_core *stats_core(struct stats *st)
{
    return &st->core;
}

/*
 * Ends counting: events of windows that began more than a day before the
 * newest line are committed; the rest go to core.provisional. When this
 * run read no new line, the last run's provisional counts stand: it saw
 * more of those windows' history than a replay of the last two days can
 * (see README), and the same logs must give the same numbers. Counters
 * of lines into 'r'.
 */
void stats_finish(struct stats *st, struct stats_result *r)
{
    int64_t cut = st->newest ? st->newest - DAY : INT64_MIN;

    fold_events(st, cut);
    if (cut > st->core.cutoff)
        st->core.cutoff = cut;
    agg_init(&st->core.provisional, stats_catalog_size(st->core.cat));
    /*
     * The queue is in the order windows reached their minute, not by
     * start: what fold_events() left behind a later start may still be
     * final.
     */
    for (size_t i = 0; i < st->ev_nr; i++) {
        struct event *e = &st->events[st->ev_head + i];

        agg_add(e->start < cut ? &st->core.committed : &st->core.provisional,
                st->core.cat, e->ep, e->start, e->app, e->platform);
    }
    st->ev_nr = 0;
    if (st->r.lines == 0 && st->core.have_saved) {
        agg_release(&st->core.provisional);
        st->core.provisional = st->core.saved;
        memset(&st->core.saved, 0, sizeof(st->core.saved));
        st->core.have_saved = false;
    }
    *r = st->r;
    r->pending = st->tab[0].used + st->tab[1].used;
    r->formats = xcalloc(ARRAY_SIZE(st->fmt_lines), sizeof(*r->formats));
    for (size_t f = 0; stats_formats[f]; f++)
        if (st->fmt_lines[f])
            r->formats[r->formats_nr++] = (struct stats_count){
                stats_formats[f]->name, st->fmt_lines[f] };
}

/* The time of the first request in the first 64 KiB of 'path', or 0. */
static int64_t first_time(const char *path)
{
    gzFile gz = gzopen(path, "rb");
    char *buf = xmalloc(LINE_MAX_BYTES + 1), *p, *nl;
    struct strbuf scratch = STRBUF_INIT;
    int64_t t = 0;
    int n;

    if (!gz) {
        free(buf);
        return 0;
    }
    n = gzread(gz, buf, LINE_MAX_BYTES);
    gzclose(gz);
    for (p = buf; n > 0 && !t && (nl = memchr(p, '\n', (size_t)(buf + n - p)));
         p = nl + 1) {
        *nl = '\0';
        for (size_t f = 0; stats_formats[f] && !t; f++) {
            const struct stats_format_ops *ops = stats_formats[f];
            void *state = xcalloc(1, ops->state_size ? ops->state_size : 1);
            struct stats_req req = { .range_start = -1, .range_end = -1 };

            if (memchr(p, 0, (size_t)(nl - p)) == NULL &&
                ops->parse(state, p, (size_t)(nl - p), &scratch, &req) ==
                STATS_LINE_REQ)
                t = req.t;
            if (ops->release)
                ops->release(state);
            free(state);
        }
    }
    strbuf_release(&scratch);
    free(buf);
    return t;
}

struct dated {
    const char *path;
    int64_t t;
    size_t i;
};

static int by_time(const void *a, const void *b)
{
    const struct dated *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int stats_read_files(struct stats *st, const char *const *paths, size_t nr)
{
    struct dated *d = xcalloc(nr + 1, sizeof(*d));
    int ret = 0;

    for (size_t i = 0; i < nr; i++) {
        d[i].path = paths[i];
        d[i].i = i;
        /* stdin cannot be read twice: it keeps its place at the end */
        d[i].t = strcmp(paths[i], "-") ? first_time(paths[i]) : INT64_MAX;
    }
    qsort(d, nr, sizeof(*d), by_time);
    for (size_t i = 0; i < nr && ret == 0; i++)
        ret = stats_read_file(st, d[i].path);
    free(d);
    return ret;
}
