/*
 * Finding duplicates among n items in O(n log n): their keys sorted, with
 * the item's index as the last key so the earliest of equals comes first.
 * The keys are copied into the array being sorted, so the comparison
 * needs no context (qsort() takes none) and no file-level state. A hash
 * of each key sorts first: equal keys stay together, and most comparisons
 * are of two numbers rather than of two strings with a long common start
 * ("episodes/0012..."); keys are compared in full only when the hashes
 * are equal, so colliding hashes cost time, never a wrong answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/util.h"

struct keyed {
    uint64_t h;
    struct dup_key k;
    size_t i;
};

static int cmp_keys(const struct dup_key *x, const struct dup_key *y)
{
    int c;

    if (x->s || y->s) {
        if (!x->s || !y->s)
            return x->s ? 1 : -1;
        if ((c = strcmp(x->s, y->s)))
            return c;
    }
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return 0;
}

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    c = cmp_keys(&x->k, &y->k);
    return c ? c : x->i < y->i ? -1 : 1;
}

static uint64_t hash_key(const struct dup_key *k)
{
    uint64_t h = pp_hash64(&k->a, sizeof(k->a), (uint64_t)k->b);

    return k->s ? pp_hash64(k->s, strlen(k->s), h) : h;
}

void find_duplicates(size_t nr, void (*key)(const void *ctx, size_t i,
                                             struct dup_key *k),
                     const void *ctx, size_t *first)
{
    struct keyed *items = xcalloc(nr + 1, sizeof(*items));
    size_t n = 0;

    for (size_t i = 0; i < nr; i++) {
        struct dup_key k = { NULL, 0, 0, false };

        first[i] = SIZE_MAX;
        key(ctx, i, &k);
        if (k.set)
            items[n++] = (struct keyed){ hash_key(&k), k, i };
    }
    if (n)
        qsort(items, n, sizeof(*items), cmp_keyed);
    for (size_t k = 1, run = 0; k < n; k++) {
        if (items[run].h != items[k].h ||
            cmp_keys(&items[run].k, &items[k].k))
            run = k;
        else
            first[items[k].i] = items[run].i;
    }
    free(items);
}
