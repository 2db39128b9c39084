/*
 * The state file of `podpub stats` (.podpub/stats.json) and the results.
 *
 * The state holds what earlier runs counted for good (downloads whose
 * window closed), per episode GUID, and for each log file its identity
 * (the SHA-256 of its first line, which survives renaming and gzip) with
 * how far it was read and where the next run must start reading again.
 * It holds no address, no user agent and no text of a line.
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/json.h"
#include "counter.h"




/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void write_ep(struct json *j, const struct stats_core *c,
                     const struct ep_agg *a)
{
    json_object(j);
    json_kv_uint(j, "total", a->total);
    json_key(j, "first");
    json_array(j);
    for (int i = 0; i < 3; i++)
        json_uint(j, a->first[i]);
    json_end(j);
    json_key(j, "curve");
    json_array(j);
    for (int i = 0; i < 30; i++)
        json_uint(j, a->curve[i]);
    json_end(j);
    json_key(j, "days");
    json_array(j);
    for (size_t i = 0; i < a->days_nr; i++) {
        json_array(j);
        json_int(j, a->days[i].day);
        json_uint(j, a->days[i].n);
        json_end(j);
    }
    json_end(j);
    json_key(j, "apps");
    json_array(j);
    for (size_t i = 0; i < a->apps_nr; i++) {
        json_array(j);
        json_str(j, c->names.names[a->apps[i].nid]);
        json_uint(j, a->apps[i].n);
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

/* The "episodes" and "platforms" of 'g' (with the orphans: 'orphans'). */
static void write_agg(struct json *j, const struct stats_core *c,
                      const struct agg *g, bool orphans)
{
    json_key(j, "episodes");
    json_object(j);
    for (size_t i = 0; i < stats_catalog_size(c->cat); i++) {
        json_key(j, stats_catalog_episode(c->cat, (int)i)->guid);
        write_ep(j, c, &g->eps[i]);
    }
    for (size_t i = 0; orphans && i < c->orphans_nr; i++) {
        json_key(j, c->orphans[i].guid);
        write_ep(j, c, &c->orphans[i].a);
    }
    json_end(j);
    json_key(j, "platforms");
    json_array(j);
    for (size_t i = 0; i < g->platforms_nr; i++) {
        json_array(j);
        json_str(j, c->names.names[g->platforms[i].nid]);
        json_uint(j, g->platforms[i].n);
        json_end(j);
    }
    json_end(j);
}

int stats_state_save(const struct stats *st, const char *path)
{
    const struct stats_core *c = stats_core((struct stats *)st);
    struct strbuf sb = STRBUF_INIT;
    struct json j;
    int ret;

    json_init(&j, &sb);
    json_object(&j);
    json_kv_int(&j, "podpub_stats", STATE_VERSION);
    json_key(&j, "cutoff");
    if (c->cutoff == INT64_MIN)
        json_null(&j);
    else
        json_int(&j, c->cutoff);
    json_kv_int(&j, "first_t", c->first_t);
    json_kv_int(&j, "last_t", c->last_t);
    json_key(&j, "files");
    json_array_lines(&j, 1);
    for (size_t i = 0; i < c->files_nr; i++) {
        const struct file_mark *m = &c->files[i];

        json_object(&j);
        json_kv_str(&j, "id", m->id);
        json_kv_uint(&j, "offset", m->offset);
        json_kv_uint(&j, "lines", m->lines);
        json_kv_uint(&j, "replay", m->replay);
        json_kv_uint(&j, "replay_lines", m->replay_lines);
        json_end(&j);
    }
    json_end(&j);
    write_agg(&j, c, &c->committed, true);
    json_key(&j, "provisional");
    json_object(&j);
    write_agg(&j, c, &c->provisional, false);
    json_end(&j);
    json_end(&j);
    strbuf_addch(&sb, '\n');
    ret = write_file_atomic(path, sb.buf, sb.len);
    strbuf_release(&sb);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

static int cmp_count(const void *a, const void *b)
{
    const struct stats_count *x = a, *y = b;

    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* 'v' (name ids and counts) as sorted stats_counts; the caller frees. */
static struct stats_count *counts_of(const struct stats_core *c,
                                     const struct name_count *v, size_t nr,
                                     size_t *out_nr)
{
    struct stats_count *out = xcalloc(nr + 1, sizeof(*out));
    size_t n = 0;

    for (size_t i = 0; i < nr; i++) {
        size_t k;

        for (k = 0; k < n; k++)
            if (!strcmp(out[k].name, c->names.names[v[i].nid]))
                break;
        if (k == n)
            out[n++].name = c->names.names[v[i].nid];
        out[k].n += v[i].n;
    }
    qsort(out, n, sizeof(*out), cmp_count);
    *out_nr = n;
    return out;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void add_ep(struct ep_agg *to, const struct ep_agg *from)
{
    to->total += from->total;
    for (int i = 0; i < 3; i++)
        to->first[i] += from->first[i];
    for (int i = 0; i < 30; i++)
        to->curve[i] += from->curve[i];
    for (size_t i = 0; i < from->days_nr; i++)
        day_count_add(to, from->days[i].day, from->days[i].n);
    for (size_t i = 0; i < from->apps_nr; i++)
        name_count_add(&to->apps, &to->apps_nr, &to->apps_alloc,
                       from->apps[i].nid, from->apps[i].n);
}

void stats_result(struct stats *st, struct stats_result *res)
{
    struct stats_core *c = stats_core(st);
    struct agg *prov = &c->provisional, all;
    struct ep_agg sum = { 0 };
    struct name_count *apps = NULL;
    size_t apps_nr = 0, apps_alloc = 0, n_eps = stats_catalog_size(c->cat);
    uint64_t *col;

    stats_finish(st, res);
    agg_init(&all, n_eps);
    for (size_t i = 0; i < n_eps; i++) {
        add_ep(&all.eps[i], &c->committed.eps[i]);
        add_ep(&all.eps[i], &prov->eps[i]);
    }
    for (size_t i = 0; i < c->committed.platforms_nr; i++)
        name_count_add(&all.platforms, &all.platforms_nr,
                       &all.platforms_alloc, c->committed.platforms[i].nid,
                       c->committed.platforms[i].n);
    for (size_t i = 0; i < prov->platforms_nr; i++)
        name_count_add(&all.platforms, &all.platforms_nr,
                       &all.platforms_alloc, prov->platforms[i].nid,
                       prov->platforms[i].n);
    res->first_t = c->first_t;
    res->last_t = c->last_t;
    res->episodes = xcalloc(n_eps + 1, sizeof(*res->episodes));
    res->episodes_nr = n_eps;
    col = xcalloc(n_eps + 1, sizeof(*col));
    for (size_t i = 0; i < n_eps; i++) {
        const struct stats_cat_episode *ce = stats_catalog_episode(c->cat,
                                                                   (int)i);
        struct stats_episode_result *e = &res->episodes[i];
        const struct ep_agg *a = &all.eps[i];

        e->index = (int)i;
        e->guid = ce->guid;
        e->title = ce->title;
        e->date = ce->date;
        e->total = a->total;
        memcpy(e->first, a->first, sizeof(e->first));
        memcpy(e->curve, a->curve, sizeof(e->curve));
        e->complete30 = c->last_t >= ce->date + 30 * DAY;
        e->apps = counts_of(c, a->apps, a->apps_nr, &e->apps_nr);
        res->total += a->total;
        add_ep(&sum, a);
        for (size_t k = 0; k < a->apps_nr; k++)
            name_count_add(&apps, &apps_nr, &apps_alloc, a->apps[k].nid,
                           a->apps[k].n);
        if (e->complete30)
            res->curve_median_nr++;
    }
    /* The median, day by day, of the running totals of full episodes. */
    for (int d = 0; d < 30 && res->curve_median_nr; d++) {
        size_t m = 0;

        for (size_t i = 0; i < n_eps; i++) {
            uint64_t cum = 0;

            if (!res->episodes[i].complete30)
                continue;
            for (int k = 0; k <= d; k++)
                cum += res->episodes[i].curve[k];
            col[m++] = cum;
        }
        qsort(col, m, sizeof(*col), cmp_u64);
        res->curve_median[d] = m % 2 ? col[m / 2] :
                               (col[m / 2 - 1] + col[m / 2]) / 2;
    }
    free(col);
    res->days = xcalloc(sum.days_nr + 1, sizeof(*res->days));
    for (size_t i = 0; i < sum.days_nr; i++)
        res->days[i] = (struct stats_day){ sum.days[i].day, sum.days[i].n };
    res->days_nr = sum.days_nr;
    res->apps = counts_of(c, apps, apps_nr, &res->apps_nr);
    res->platforms = counts_of(c, all.platforms, all.platforms_nr,
                               &res->platforms_nr);
    free(apps);
    ep_agg_release(&sum);
    agg_release(&all);
}

static int newest_first(const void *a, const void *b)
{
    const struct stats_episode_result *x = *(void *const *)a;
    const struct stats_episode_result *y = *(void *const *)b;

    if (x->date != y->date)
        return x->date > y->date ? -1 : 1;
    return x->index - y->index;
}

const struct stats_episode_result **stats_newest_first(
    const struct stats_result *res)
{
    const struct stats_episode_result **rows;

    rows = xcalloc(res->episodes_nr + 1, sizeof(*rows));
    for (size_t i = 0; i < res->episodes_nr; i++)
        rows[i] = &res->episodes[i];
    qsort(rows, res->episodes_nr, sizeof(*rows), newest_first);
    return rows;
}

void stats_result_release(struct stats_result *res)
{
    for (size_t i = 0; i < res->episodes_nr; i++)
        free(res->episodes[i].apps);
    free(res->episodes);
    free(res->days);
    free(res->apps);
    free(res->platforms);
    free(res->formats);
    memset(res, 0, sizeof(*res));
}
