/*
 * The OPAWG user-agent lists (github.com/opawg/user-agents-v2): named
 * regular expressions in bots.json, apps.json, libraries.json,
 * browsers.json and devices.json. As the lists' README says, a user
 * agent is the first entry matching it in bots, then apps, libraries and
 * browsers; its device the first match in devices. The patterns are
 * JavaScript-style (\d, (?:...)), so they are compiled with PCRE2, JIT
 * where available, with match limits so that no user agent can make a
 * pattern slow; a user agent is matched on at most its first 1024 bytes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <pcre2.h>

#include "podpub/stats.h"
#include "internal.h"

#define UA_MATCH_MAX 1024

enum list { L_BOTS, L_APPS, L_LIBRARIES, L_BROWSERS, L_DEVICES, L_NR };

static const char *const list_names[L_NR] = {
    "bots", "apps", "libraries", "browsers", "devices",
};

struct entry {
    char *name, *category;
    int id;
    pcre2_code *re;
};

struct stats_agents {
    struct {
        struct entry *items;
        size_t nr, alloc;
        char *file;
    } list[L_NR];
    int ids;                    /* entries in all lists */
    const char **names;         /* by id */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
};

/* The list a file name stands for ("apps.runtime.json" -> L_APPS). */
static int list_of(const char *path)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    for (int l = 0; l < L_NR; l++) {
        size_t n = strlen(list_names[l]);

        if (!strncmp(base, list_names[l], n) &&
            (!strcmp(base + n, ".json") || !strcmp(base + n, ".runtime.json")))
            return l;
    }
    return -1;
}

/*
 * False under valgrind, whose memcheck cannot follow code PCRE2 generates
 * (it reports uninitialised values in it): its preload library is in
 * LD_PRELOAD. The interpreter matches the same, only slower.
 */
static bool jit_ok(void)
{
    const char *pre = getenv("LD_PRELOAD");

    return !pre || !strstr(pre, "vgpreload");
}

static int load_list(struct stats_agents *a, int l, const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    json_t *entries, *e;
    size_t i;
    int ret = 0;

    if (!root)
        return errorf(PP_ERR_INPUT, "%s:%d:%d: not a user-agent list: %s",
                      path, err.line, err.column, err.text);
    entries = json_object_get(root, "entries");
    if (!json_is_array(entries)) {
        ret = errorf(PP_ERR_INPUT, "%s: not an OPAWG user-agents-v2 list "
                     "(no \"entries\" array)", path);
        goto out;
    }
    free(a->list[l].file);
    a->list[l].file = xstrdup(path);
    json_array_foreach(entries, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *pat = json_string_value(json_object_get(e, "pattern"));
        const char *cat = json_string_value(json_object_get(e, "category"));
        struct entry *en;
        PCRE2_SIZE off;
        int code;
        pcre2_code *re;

        if (!name || !pat) {
            ret = errorf(PP_ERR_INPUT, "%s: entry %zu has no name or pattern",
                         path, i);
            goto out;
        }
        re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &code,
                           &off, NULL);
        if (!re) {
            PCRE2_UCHAR msg[256];
            char *p = printable(pat, 120);

            pcre2_get_error_message(code, msg, sizeof(msg));
            ret = errorf(PP_ERR_INPUT, "%s: entry %zu: pattern \"%s\": %s "
                         "at offset %zu", path, i, p, (char *)msg, (size_t)off);
            free(p);
            goto out;
        }
        if (jit_ok())
            pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  /* else interpreted */
        ALLOC_GROW(a->list[l].items, a->list[l].nr + 1, a->list[l].alloc);
        en = &a->list[l].items[a->list[l].nr++];
        en->name = xstrdup(name);
        en->category = cat ? xstrdup(cat) : NULL;
        en->re = re;
        en->id = a->ids++;
        a->names = xrealloc(a->names, (size_t)a->ids * sizeof(*a->names));
        a->names[en->id] = en->name;
    }
out:
    json_decref(root);
    return ret;
}

/* Empties list 'l' (a later file replaces an earlier one of its kind). */
static void clear_list(struct stats_agents *a, int l)
{
    for (size_t i = 0; i < a->list[l].nr; i++) {
        a->names[a->list[l].items[i].id] = "";
        free(a->list[l].items[i].name);
        free(a->list[l].items[i].category);
        pcre2_code_free(a->list[l].items[i].re);
    }
    a->list[l].nr = 0;
}

int stats_agents_load(struct stats_agents **agents, const char *path)
{
    struct stats_agents *a = *agents;
    struct stat st;
    int found = 0, ret = 0;

    if (stat(path, &st) < 0)
        return errorf(PP_ERR_IO, "cannot read user-agent lists '%s': %s",
                      path, strerror(errno));
    if (!a) {
        a = *agents = xcalloc(1, sizeof(*a));
        a->md = pcre2_match_data_create(1, NULL);
        a->mctx = pcre2_match_context_create(NULL);
        if (!a->md || !a->mctx)
            die("out of memory");
        pcre2_set_match_limit(a->mctx, 100000);
        pcre2_set_depth_limit(a->mctx, 1000);
    }
    if (!S_ISDIR(st.st_mode)) {
        int l = list_of(path);

        if (l < 0)
            return errorf(PP_ERR_INPUT, "%s: not a list podpub knows (want "
                          "bots.json, apps.json, libraries.json, "
                          "browsers.json or devices.json)", path);
        clear_list(a, l);
        return load_list(a, l, path);
    }
    for (int l = 0; l < L_NR && ret == 0; l++) {
        static const char *const suffix[] = { ".json", ".runtime.json" };

        for (size_t s = 0; s < ARRAY_SIZE(suffix); s++) {
            char *file = xstrfmt("%s/%s%s", path, list_names[l], suffix[s]);

            if (access(file, F_OK) == 0) {
                clear_list(a, l);
                ret = load_list(a, l, file);
                found++;
                free(file);
                break;
            }
            free(file);
        }
    }
    if (ret == 0 && !found)
        return errorf(PP_ERR_INPUT, "%s: no user-agent lists in this folder "
                      "(want bots.json, apps.json, ...: the src/ folder of "
                      "github.com/opawg/user-agents-v2)", path);
    return ret;
}

void stats_agents_free(struct stats_agents *a)
{
    if (!a)
        return;
    for (int l = 0; l < L_NR; l++) {
        clear_list(a, l);
        free(a->list[l].items);
        free(a->list[l].file);
    }
    free(a->names);
    pcre2_match_data_free(a->md);
    pcre2_match_context_free(a->mctx);
    free(a);
}

static const struct entry *first_match(const struct stats_agents *a, int l,
                                       const char *ua, size_t len)
{
    for (size_t i = 0; i < a->list[l].nr; i++) {
        const struct entry *e = &a->list[l].items[i];

        if (pcre2_match(e->re, (PCRE2_SPTR)ua, len, 0, 0, a->md,
                        a->mctx) >= 0)
            return e;
    }
    return NULL;
}

void stats_agents_classify(const struct stats_agents *a, const char *ua,
                           size_t len, struct stats_agent_class *out)
{
    static const enum stats_agent_kind kinds[] = {
        STATS_AGENT_BOT, STATS_AGENT_APP, STATS_AGENT_LIBRARY,
        STATS_AGENT_BROWSER,
    };
    const struct entry *e = NULL, *d;

    memset(out, 0, sizeof(*out));
    out->id = out->device_id = -1;
    if (!a)
        return;
    if (len > UA_MATCH_MAX)
        len = UA_MATCH_MAX;
    for (int l = L_BOTS; l <= L_BROWSERS && !e; l++) {
        e = first_match(a, l, ua, len);
        if (e) {
            out->kind = kinds[l];
            out->name = e->name;
            out->id = e->id;
        }
    }
    if (out->kind == STATS_AGENT_BOT)
        return;
    d = first_match(a, L_DEVICES, ua, len);
    if (d) {
        out->device = d->name;
        out->category = d->category;
        out->device_id = d->id;
    }
}

int stats_agents_ids(const struct stats_agents *a)
{
    return a ? a->ids : 0;
}

const char *stats_agents_name(const struct stats_agents *a, int id)
{
    return a->names[id];
}

void stats_agents_describe(const struct stats_agents *a, struct strbuf *out)
{
    if (!a) {
        strbuf_addstr(out, "none");
        return;
    }
    for (int l = 0; l < L_NR; l++)
        strbuf_addf(out, "%s%zu %s", l ? ", " : "", a->list[l].nr,
                    list_names[l]);
}
