/*
 * The Podcast Index namespace (Podcasting 2.0) beyond the handful of tags
 * struct show and struct episode always had: persons, location, licence,
 * medium, txt, funding, podroll, updateFrequency, block, socialInteract,
 * soundbites, season names and episode display text.
 *
 * Every tag here is a record whose members are all struct text, values
 * as written (in podcast.yaml or in a feed read back), each at its
 * position. One table per tag (struct pi_kind) names each member three
 * ways: its YAML key, its XML attribute (NULL: the element's text) and
 * its offset. src/meta reads YAML through the tables, src/feed writes
 * and reads XML through them, and the rules in src/check judge the
 * values, so a feed read by `check --feed` is judged like podpub's own.
 */
#ifndef PODPUB_PI_H
#define PODPUB_PI_H

#include <stdbool.h>
#include <stddef.h>

#include "podpub/util.h"

struct text;            /* meta.h */

/* A record's member: "name" in YAML, role="" in XML, or the text. */
struct pi_field {
    const char *key;        /* YAML key ("feed_guid") */
    const char *attr;       /* XML attribute ("feedGuid"); NULL: text */
    size_t off;             /* offsetof() the struct text in the record */
};

struct pi_kind {
    const char *tag;        /* "podcast:person" */
    const char *local;      /* "person" */
    size_t size;            /* sizeof() the record */
    const struct pi_field *fields;
    size_t fields_nr;
    /* The member a YAML scalar fills ("persons: [Awatief]"), or NULL. */
    const char *scalar_key;
    /* YAML keys of nested records its reader reads itself, or NULL. */
    const char *const *nested;
};

/* The struct text 'f' of record 'rec'. */
static inline struct text *pi_text(void *rec, const struct pi_field *f)
{
    return (struct text *)((char *)rec + f->off);
}

static inline const struct text *pi_ctext(const void *rec,
                                          const struct pi_field *f)
{
    return (const struct text *)((const char *)rec + f->off);
}

/* A list of records of one kind. */
#define PI_LIST(type, name) \
    struct type *name;      \
    size_t name##_nr

#endif
