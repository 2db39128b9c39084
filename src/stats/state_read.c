/*
 * Reading the state file of `podpub stats` (state.c writes it) with
 * jansson: a file that is not what podpub wrote is refused whole.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "counter.h"




/* ------------------------------------------------------------------ */
/* Reading                                                             */

static bool get_u64(json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static int load_ep(struct stats_core *c, json_t *o, struct ep_agg *a)
{
    json_t *first = json_object_get(o, "first");
    json_t *curve = json_object_get(o, "curve");
    json_t *days = json_object_get(o, "days");
    json_t *apps = json_object_get(o, "apps");
    json_t *v;
    size_t i;

    if (!json_is_object(o) || !get_u64(json_object_get(o, "total"),
                                       &a->total) ||
        !json_is_array(first) || json_array_size(first) != 3 ||
        !json_is_array(curve) || json_array_size(curve) != 30 ||
        !json_is_array(days) || !json_is_array(apps))
        return -1;
    for (i = 0; i < 3; i++)
        if (!get_u64(json_array_get(first, i), &a->first[i]))
            return -1;
    for (i = 0; i < 30; i++)
        if (!get_u64(json_array_get(curve, i), &a->curve[i]))
            return -1;
    json_array_foreach(days, i, v) {
        uint64_t n;

        if (!json_is_array(v) || !json_is_integer(json_array_get(v, 0)) ||
            !get_u64(json_array_get(v, 1), &n))
            return -1;
        day_count_add(a, json_integer_value(json_array_get(v, 0)), n);
    }
    json_array_foreach(apps, i, v) {
        uint64_t n;
        const char *name = json_string_value(json_array_get(v, 0));

        if (!name || !get_u64(json_array_get(v, 1), &n))
            return -1;
        name_count_add(&a->apps, &a->apps_nr, &a->apps_alloc,
                       intern(&c->names, name), n);
    }
    return 0;
}

static int load_files(struct stats_core *c, json_t *files)
{
    json_t *f;
    size_t i;

    if (!json_is_array(files))
        return -1;
    json_array_foreach(files, i, f) {
        const char *id = json_string_value(json_object_get(f, "id"));
        struct file_mark m = { 0 };

        if (!id || strlen(id) != 64 ||
            !get_u64(json_object_get(f, "offset"), &m.offset) ||
            !get_u64(json_object_get(f, "lines"), &m.lines) ||
            !get_u64(json_object_get(f, "replay"), &m.replay) ||
            !get_u64(json_object_get(f, "replay_lines"), &m.replay_lines) ||
            m.replay > m.offset)
            return -1;
        memcpy(m.id, id, 65);
        ALLOC_GROW(c->files, c->files_nr + 1, c->files_alloc);
        c->files[c->files_nr++] = m;
    }
    return 0;
}

/*
 * The "episodes" and "platforms" of 'o' into 'g'; episodes the catalog
 * does not have become orphans when 'orphans', else are dropped.
 */
static int load_agg(struct stats_core *c, json_t *o, struct agg *g,
                    bool orphans)
{
    json_t *eps = json_object_get(o, "episodes");
    json_t *plat = json_object_get(o, "platforms");
    json_t *v;
    const char *guid;
    size_t i;

    if (!json_is_object(eps) || !json_is_array(plat))
        return -1;
    json_object_foreach(eps, guid, v) {
        struct ep_agg *a = NULL, dropped = { 0 };
        int r;

        for (size_t k = 0; k < stats_catalog_size(c->cat); k++)
            if (!strcmp(stats_catalog_episode(c->cat, (int)k)->guid, guid)) {
                a = &g->eps[k];
                break;
            }
        if (!a && orphans) {
            /* Not in the show now: kept as it is. */
            c->orphans = xrealloc(c->orphans, (c->orphans_nr + 1) *
                                  sizeof(*c->orphans));
            memset(&c->orphans[c->orphans_nr], 0, sizeof(*c->orphans));
            c->orphans[c->orphans_nr].guid = xstrdup(guid);
            a = &c->orphans[c->orphans_nr++].a;
        }
        r = load_ep(c, v, a ? a : &dropped);
        ep_agg_release(&dropped);
        if (r < 0)
            return -1;
    }
    json_array_foreach(plat, i, v) {
        uint64_t n;
        const char *name = json_string_value(json_array_get(v, 0));

        if (!name || !get_u64(json_array_get(v, 1), &n))
            return -1;
        name_count_add(&g->platforms, &g->platforms_nr, &g->platforms_alloc,
                       intern(&c->names, name), n);
    }
    return 0;
}

int stats_state_load(struct stats *st, const char *path)
{
    struct stats_core *c = stats_core(st);
    struct strbuf sb = STRBUF_INIT;
    json_error_t err;
    json_t *root = NULL, *v;
    int ret;

    if (access(path, F_OK) != 0)
        return 0;
    ret = strbuf_read_file(&sb, path, 256u << 20);
    if (ret < 0)
        return ret;
    root = json_loadb(sb.buf, sb.len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        ret = errorf(PP_ERR_INPUT, "%s:%d:%d: not podpub's statistics state: "
                     "%s", path, err.line, err.column, err.text);
        goto out;
    }
    ret = PP_ERR_INPUT;
    if (!json_is_object(root) ||
        json_integer_value(json_object_get(root, "podpub_stats")) !=
        STATE_VERSION)
        goto out;
    v = json_object_get(root, "cutoff");
    if (!json_is_integer(v) && !json_is_null(v))
        goto out;
    c->cutoff = json_is_integer(v) ? json_integer_value(v) : INT64_MIN;
    c->first_t = json_integer_value(json_object_get(root, "first_t"));
    c->last_t = json_integer_value(json_object_get(root, "last_t"));
    if (load_files(c, json_object_get(root, "files")) < 0)
        goto out;
    if (load_agg(c, root, &c->committed, true) < 0)
        goto out;
    v = json_object_get(root, "provisional");
    if (!json_is_object(v) || load_agg(c, v, &c->saved, false) < 0)
        goto out;
    c->have_saved = true;
    ret = 0;
out:
    if (ret < 0 && root)
        errorf(ret, "%s: not podpub's statistics state (remove it to count "
               "from the start)", path);
    json_decref(root);
    strbuf_release(&sb);
    return ret;
}

