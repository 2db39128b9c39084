/*
 * The remote manifest. JSON is YAML's flow style, so the YAML reader
 * (libyaml, with podpub's limits: no aliases, bounded depth, duplicate
 * keys refused in linear time) parses it; this file judges what it says.
 * Entries stay sorted by key, so a 10,000-file show is looked up by
 * binary search rather than 10,000 times 10,000 comparisons.
 */
#include <stdlib.h>
#include <string.h>

#include "podpub/manifest.h"
#include "podpub/json.h"
#include "podpub/path.h"
#include "podpub/util.h"
#include "podpub/yamltree.h"

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct manifest_entry *)a)->key,
                  ((const struct manifest_entry *)b)->key);
}

static void entry_release(struct manifest_entry *e)
{
    free(e->key);
    free(e->uploaded_at);
    free(e->guid);
}

void manifest_release(struct manifest *m)
{
    for (size_t i = 0; i < m->nr; i++)
        entry_release(&m->items[i]);
    free(m->items);
    memset(m, 0, sizeof(*m));
}

/* A scalar field of an entry, or NULL when absent or not a scalar. */
static const struct ynode *scalar(const struct ynode *map, const char *key,
                                  bool *bad)
{
    const struct ynode *n = ytree_get(map, key);

    if (n && n->type != YNODE_SCALAR) {
        *bad = true;
        return NULL;
    }
    return n;
}

/*
 * Why entry 'v' of key 'k' cannot be used, or NULL: the key must be a
 * valid relative name outside .podpub/, the size a whole number, the
 * hash 64 lower-case hex digits, the date and guid short UTF-8 text.
 */
static const char *entry_problem(const struct ynode *k, const struct ynode *v)
{
    const struct ynode *size, *sha, *at, *guid;
    const char *why;
    bool bad = false;
    size_t off;

    if (!key_valid(k->value, k->len, &why))
        return why;
    if (!strncmp(k->value, ".podpub/", 8))
        return "podpub's own state (.podpub/)";
    if (v->type != YNODE_MAP)
        return "not an object";
    size = scalar(v, "size", &bad);
    sha = scalar(v, "sha256", &bad);
    at = scalar(v, "uploaded_at", &bad);
    guid = scalar(v, "guid", &bad);
    if (bad)
        return "a field that is not a value";
    if (!size || !size->len || size->len > 15 ||
        strspn(size->value, "0123456789") != size->len)
        return "without a size in bytes";
    if (!sha || sha->len != 64 ||
        strspn(sha->value, "0123456789abcdef") != 64)
        return "without a SHA-256";
    if (at && (at->len > 64 || utf8_check_xml(at->value, at->len, &off,
                                               &why) < 0))
        return "with a malformed uploaded_at";
    if (guid && (guid->len > 2048 || utf8_check_xml(guid->value, guid->len,
                                                    &off, &why) < 0))
        return "with a malformed guid";
    return NULL;
}

int manifest_parse(struct manifest *m, const char *text, size_t len,
                   const char *where)
{
    struct ynode *root = NULL;
    const struct ynode *files;
    int ret = 0;

    memset(m, 0, sizeof(*m));
    if (len > MANIFEST_MAX_BYTES)
        return errorf(PP_ERR_REMOTE, "%s: larger than podpub reads (%u "
                      "bytes): refusing it", where, MANIFEST_MAX_BYTES);
    if (ytree_load(where, text, len, 0, &root) < 0) {
        return errorf(PP_ERR_REMOTE, "%s: not a podpub manifest: refusing "
                      "it, nothing was changed at the target", where);
    }
    files = ytree_get(root, "files");
    if (!files || files->type != YNODE_MAP) {
        ytree_free(root);
        return errorf(PP_ERR_REMOTE, "%s: not a podpub manifest: refusing "
                      "it, nothing was changed at the target", where);
    }
    if (files->nr / 2 > MANIFEST_MAX_FILES) {
        ytree_free(root);
        return errorf(PP_ERR_REMOTE, "%s: more than %d files: refusing it",
                      where, MANIFEST_MAX_FILES);
    }
    m->alloc = files->nr / 2 + 1;
    m->items = xcalloc(m->alloc, sizeof(*m->items));
    for (size_t i = 0; i + 1 < files->nr; i += 2) {
        const struct ynode *k = files->items[i], *v = files->items[i + 1];
        const char *problem = entry_problem(k, v);
        const struct ynode *at, *guid;
        struct manifest_entry *e;
        bool unused = false;

        if (problem) {
            char *shown = printable_n(k->value, k->len, 120);

            ret = errorf(PP_ERR_REMOTE, "%s: refusing the manifest: the "
                         "entry \"%s\" is %s; nothing was changed at the "
                         "target", where, shown, problem);
            free(shown);
            break;
        }
        e = &m->items[m->nr++];
        e->key = xstrndup(k->value, k->len);
        e->size = strtoull(scalar(v, "size", &unused)->value, NULL, 10);
        memcpy(e->sha256, scalar(v, "sha256", &unused)->value, 65);
        at = scalar(v, "uploaded_at", &unused);
        guid = scalar(v, "guid", &unused);
        e->uploaded_at = xstrdup(at ? at->value : "");
        e->guid = guid ? xstrdup(guid->value) : NULL;
    }
    ytree_free(root);
    if (ret < 0) {
        manifest_release(m);
        return ret;
    }
    if (m->nr)
        qsort(m->items, m->nr, sizeof(*m->items), cmp_entry);
    return 0;
}

void manifest_render(struct manifest *m, struct strbuf *sb)
{
    /* One file a line, and the closing brace on a line of its own. */
    static const struct json_layout files = {
        "\n  ", ",\n  ", "\n", "\n",
    };
    struct json j;

    json_init(&j, sb);
    json_object(&j);
    json_kv_int(&j, "version", 1);
    json_kv_str(&j, "generator", "podpub " PODPUB_VERSION);
    json_key(&j, "files");
    json_object_laid(&j, &files);
    for (size_t i = 0; i < m->nr; i++) {
        const struct manifest_entry *e = &m->items[i];

        json_key(&j, e->key);
        json_object(&j);
        json_kv_uint(&j, "size", e->size);
        json_kv_str(&j, "sha256", e->sha256);
        json_kv_str(&j, "uploaded_at", e->uploaded_at);
        if (e->guid)
            json_kv_str(&j, "guid", e->guid);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    strbuf_addch(sb, '\n');
}

/* The index of 'key' or of where it would go ('*found' tells which). */
static size_t position(const struct manifest *m, const char *key, bool *found)
{
    size_t lo = 0, hi = m->nr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->items[mid].key, key);

        if (!c) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

struct manifest_entry *manifest_find(const struct manifest *m,
                                     const char *key)
{
    bool found;
    size_t i = position(m, key, &found);

    return found ? &m->items[i] : NULL;
}

void manifest_set(struct manifest *m, const char *key, uint64_t size,
                  const char *sha256, const char *when, const char *guid)
{
    bool found;
    size_t i = position(m, key, &found);
    struct manifest_entry *e;

    if (!found) {
        ALLOC_GROW(m->items, m->nr + 1, m->alloc);
        memmove(&m->items[i + 1], &m->items[i],
                (m->nr - i) * sizeof(*m->items));
        m->nr++;
        e = &m->items[i];
        memset(e, 0, sizeof(*e));
        e->key = xstrdup(key);
    } else {
        e = &m->items[i];
        free(e->uploaded_at);
        free(e->guid);
    }
    e->size = size;
    memcpy(e->sha256, sha256, 65);
    e->uploaded_at = xstrdup(when);
    e->guid = guid ? xstrdup(guid) : NULL;
}

void manifest_remove(struct manifest *m, const char *key)
{
    bool found;
    size_t i = position(m, key, &found);

    if (!found)
        return;
    entry_release(&m->items[i]);
    memmove(&m->items[i], &m->items[i + 1],
            (m->nr - i - 1) * sizeof(*m->items));
    m->nr--;
}
