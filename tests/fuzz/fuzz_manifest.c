/*
 * Fuzz target: the remote manifest reader, manifest_parse(), on any bytes
 * as .podpub/manifest.json read from a target. A manifest it accepts must
 * hold only keys key_valid() accepts (none under .podpub/), sorted and
 * unique, each with a 64-digit hex SHA-256; rendered again and re-read it
 * must give the same entries; lookups find every key.
 */
#include "fuzz.h"

#include "podpub/path.h"
#include "podpub/manifest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void check_entries(const struct manifest *m)
{
    for (size_t i = 0; i < m->nr; i++) {
        const struct manifest_entry *e = &m->items[i];

        if (!key_valid(e->key, strlen(e->key), NULL))
            fuzz_fail("manifest accepted the invalid key \"%s\"", e->key);
        if (!strncmp(e->key, ".podpub/", 8))
            fuzz_fail("manifest accepted the reserved key \"%s\"", e->key);
        if (strlen(e->sha256) != 64 ||
            strspn(e->sha256, "0123456789abcdef") != 64)
            fuzz_fail("entry \"%s\" has the hash \"%s\"", e->key, e->sha256);
        if (i && strcmp(m->items[i - 1].key, e->key) >= 0)
            fuzz_fail("entries not sorted and unique at \"%s\"", e->key);
        if (manifest_find(m, e->key) != e)
            fuzz_fail("manifest_find() misses \"%s\"", e->key);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m, again;
    struct strbuf sb = STRBUF_INIT;

    if (size > (1u << 20))
        return 0;
    if (manifest_parse(&m, (const char *)data, size, "fuzz") < 0) {
        if (m.nr || m.items)
            fuzz_fail("a refused manifest kept entries");
        return 0;
    }
    check_entries(&m);
    manifest_render(&m, &sb);
    if (manifest_parse(&again, sb.buf, sb.len, "fuzz (rendered)") < 0)
        fuzz_fail("the rendered manifest is refused:\n%s", sb.buf);
    if (again.nr != m.nr)
        fuzz_fail("round trip: %zu entries became %zu", m.nr, again.nr);
    for (size_t i = 0; i < m.nr; i++) {
        const struct manifest_entry *a = &m.items[i], *b = &again.items[i];

        if (strcmp(a->key, b->key) || a->size != b->size ||
            strcmp(a->sha256, b->sha256) ||
            strcmp(a->uploaded_at, b->uploaded_at) ||
            !a->guid != !b->guid || (a->guid && strcmp(a->guid, b->guid)))
            fuzz_fail("round trip changed the entry \"%s\"", a->key);
    }
    /* Setting and removing keep the order. */
    manifest_set(&m, "zz/new.mp3", 1, "0123456789abcdef0123456789abcdef"
                 "0123456789abcdef0123456789abcdef", "", NULL);
    check_entries(&m);
    manifest_remove(&m, "zz/new.mp3");
    check_entries(&m);
    manifest_release(&again);
    manifest_release(&m);
    strbuf_release(&sb);
    return 0;
}
