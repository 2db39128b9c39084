/*
 * The Podcast Index namespace in feed/podcast.yaml and the front matter:
 * one table per tag (pi.h) and one reader for all of them. Values are
 * kept as written, each at its line; what the namespace allows is judged
 * by check's pi.* rules, so that a feed read back is judged the same way.
 * Only what is not a value at all (a list where text belongs, an unknown
 * key) is an input error here.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "podpub/media.h"
#include "podpub/strbuf.h"

#define FIELD(type, member, attr) \
    { #member, attr, offsetof(struct type, member) }
#define KIND_NESTED(type, tag, scalar, nested, ...)                         \
    static const struct pi_field type##_fields[] = { __VA_ARGS__ };         \
    const struct pi_kind type##_kind = {                                    \
        "podcast:" tag, tag, sizeof(struct type), type##_fields,           \
        ARRAY_SIZE(type##_fields), scalar, nested,                          \
    }
#define KIND(type, tag, scalar, ...) \
    KIND_NESTED(type, tag, scalar, NULL, __VA_ARGS__)

KIND(pi_person, "person", "name", FIELD(pi_person, name, NULL),
     FIELD(pi_person, role, "role"), FIELD(pi_person, group, "group"),
     FIELD(pi_person, img, "img"), FIELD(pi_person, href, "href"));
KIND(pi_location, "location", "name", FIELD(pi_location, name, NULL),
     FIELD(pi_location, rel, "rel"), FIELD(pi_location, geo, "geo"),
     FIELD(pi_location, osm, "osm"), FIELD(pi_location, country, "country"));
KIND(pi_license, "license", "name", FIELD(pi_license, name, NULL),
     FIELD(pi_license, url, "url"));
KIND(pi_txt, "txt", "text", FIELD(pi_txt, text, NULL),
     FIELD(pi_txt, purpose, "purpose"));
KIND(pi_funding, "funding", NULL, FIELD(pi_funding, url, "url"),
     FIELD(pi_funding, text, NULL));
KIND(pi_remote, "remoteItem", NULL, FIELD(pi_remote, feed_guid, "feedGuid"),
     FIELD(pi_remote, feed_url, "feedUrl"),
     FIELD(pi_remote, item_guid, "itemGuid"),
     FIELD(pi_remote, medium, "medium"), FIELD(pi_remote, title, "title"));
KIND(pi_soundbite, "soundbite", NULL, FIELD(pi_soundbite, title, NULL),
     FIELD(pi_soundbite, start, "startTime"),
     FIELD(pi_soundbite, duration, "duration"));
KIND(pi_social, "socialInteract", "uri",
     FIELD(pi_social, protocol, "protocol"), FIELD(pi_social, uri, "uri"),
     FIELD(pi_social, account_id, "accountId"),
     FIELD(pi_social, account_url, "accountUrl"),
     FIELD(pi_social, priority, "priority"));
KIND(pi_block, "block", "id", FIELD(pi_block, value, NULL),
     FIELD(pi_block, id, "id"));
KIND(pi_update, "updateFrequency", NULL, FIELD(pi_update, text, NULL),
     FIELD(pi_update, complete, "complete"),
     FIELD(pi_update, dtstart, "dtstart"), FIELD(pi_update, rrule, "rrule"));
KIND(pi_trailer, "trailer", NULL, FIELD(pi_trailer, title, NULL),
     FIELD(pi_trailer, url, "url"), FIELD(pi_trailer, pubdate, "pubdate"),
     FIELD(pi_trailer, length, "length"), FIELD(pi_trailer, type, "type"),
     FIELD(pi_trailer, season, "season"));

KIND(pi_recipient, "valueRecipient", NULL,
     FIELD(pi_recipient, name, "name"), FIELD(pi_recipient, type, "type"),
     FIELD(pi_recipient, address, "address"),
     FIELD(pi_recipient, split, "split"), FIELD(pi_recipient, fee, "fee"),
     FIELD(pi_recipient, custom_key, "customKey"),
     FIELD(pi_recipient, custom_value, "customValue"));
static const char *const value_nested[] = { "recipients", NULL };
KIND_NESTED(pi_value, "value", NULL, value_nested,
            FIELD(pi_value, type, "type"), FIELD(pi_value, method, "method"),
            FIELD(pi_value, suggested, "suggested"));
static const char *const timesplit_nested[] = { "remote_item", "recipients",
                                                NULL };
KIND_NESTED(pi_timesplit, "valueTimeSplit", NULL, timesplit_nested,
            FIELD(pi_timesplit, start, "startTime"),
            FIELD(pi_timesplit, duration, "duration"),
            FIELD(pi_timesplit, remote_start, "remoteStartTime"),
            FIELD(pi_timesplit, remote_percentage, "remotePercentage"));
KIND(pi_image, "image", "href", FIELD(pi_image, href, "href"),
     FIELD(pi_image, alt, "alt"),
     FIELD(pi_image, aspect_ratio, "aspect-ratio"),
     FIELD(pi_image, width, "width"), FIELD(pi_image, height, "height"),
     FIELD(pi_image, type, "type"), FIELD(pi_image, purpose, "purpose"));

/* Only read from YAML: the feed's url is not the file. */
KIND(transcript, "transcript", "file", FIELD(transcript, file, NULL),
     FIELD(transcript, language, "language"), FIELD(transcript, rel, "rel"));

void *pi_list_add(const struct pi_kind *kind, void **items, size_t *nr)
{
    char *rec;

    *items = xrealloc(*items, (*nr + 1) * kind->size);
    rec = (char *)*items + *nr * kind->size;
    memset(rec, 0, kind->size);
    (*nr)++;
    return rec;
}

void pi_rec_release(const struct pi_kind *kind, void *rec)
{
    for (size_t i = 0; i < kind->fields_nr; i++)
        FREE_AND_NULL(pi_text(rec, &kind->fields[i])->s);
}

void pi_list_free(const struct pi_kind *kind, void **items, size_t *nr)
{
    for (size_t i = 0; i < *nr; i++)
        pi_rec_release(kind, (char *)*items + i * kind->size);
    FREE_AND_NULL(*items);
    *nr = 0;
}

/*
 * Reads one record of 'kind' from 'n': a mapping of the kind's keys, or
 * text for its scalar_key. 'name' ("persons") prefixes keys in messages.
 */
static int parse_rec(const struct pi_kind *kind, const struct ynode *n,
                     const char *name, void *rec)
{
    const char *keys[16];
    char prefix[64];
    size_t nk = 0;
    int ret = 0;

    if (n->type == YNODE_SCALAR && kind->scalar_key) {
        for (size_t i = 0; i < kind->fields_nr; i++)
            if (!strcmp(kind->fields[i].key, kind->scalar_key)) {
                struct text *t = pi_text(rec, &kind->fields[i]);

                if (meta_check_text(n, name) < 0)
                    return PP_ERR_INPUT;
                t->s = xstrdup(n->value);
                t->pos = n->pos;
            }
        return 0;
    }
    if (n->type != YNODE_MAP)
        return input_error(&n->pos, name, "want a mapping (%s: ...)%s, got "
                           "%s", kind->fields[0].key, kind->scalar_key ?
                           " or text" : "", ytree_kind(n));
    for (size_t i = 0; i < kind->fields_nr && nk + 1 < ARRAY_SIZE(keys); i++)
        keys[nk++] = kind->fields[i].key;
    for (size_t i = 0; kind->nested && kind->nested[i] &&
                       nk + 1 < ARRAY_SIZE(keys); i++)
        keys[nk++] = kind->nested[i];
    keys[nk] = NULL;
    snprintf(prefix, sizeof(prefix), "%s.", name);
    if (meta_check_keys(n, keys, prefix) < 0)
        ret = PP_ERR_INPUT;
    for (size_t i = 0; i < kind->fields_nr; i++) {
        char *full = xstrfmt("%s%s", prefix, kind->fields[i].key);

        if (meta_text(n, kind->fields[i].key, full, false,
                      pi_text(rec, &kind->fields[i])) < 0)
            ret = PP_ERR_INPUT;
        free(full);
    }
    return ret;
}

/*
 * Reads 'key' of 'map', a list of records of 'kind' (one record alone is
 * a list of one), appending to '*items'; 'name' ("value.recipients")
 * names it in messages.
 */
static int parse_list_named(const struct ynode *map, const char *key,
                            const char *name, const struct pi_kind *kind,
                            void **items, size_t *nr)
{
    const struct ynode *n = ytree_get(map, key);
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type != YNODE_SEQ)
        return parse_rec(kind, n, name, pi_list_add(kind, items, nr));
    for (size_t i = 0; i < n->nr; i++)
        if (parse_rec(kind, n->items[i], name,
                      pi_list_add(kind, items, nr)) < 0)
            ret = PP_ERR_INPUT;
    return ret;
}

static int parse_list(const struct ynode *map, const char *key,
                      const struct pi_kind *kind, void **items, size_t *nr)
{
    return parse_list_named(map, key, key, kind, items, nr);
}

/* Reads 'key' of 'map' as one record of 'kind' into 'rec'. */
static int parse_one(const struct ynode *map, const char *key,
                     const struct pi_kind *kind, void *rec)
{
    const struct ynode *n = ytree_get(map, key);

    if (!n || ytree_is_null(n))
        return 0;
    return parse_rec(kind, n, key, rec);
}

#define LIST(map, key, kind, list) \
    parse_list((map), (key), &(kind), (void **)&(list), &(list##_nr))

/*
 * Soundbite times may be written as chapters are ("1:05", "65.5"); the
 * feed wants seconds. What is not a time stays as written, for the rule
 * pi.soundbite.range to report.
 */
static void soundbite_seconds(struct text *t)
{
    int64_t ms;

    if (!t->s || chapter_time_parse(t->s, &ms) < 0)
        return;
    free(t->s);
    t->s = ms % 1000 ? xstrfmt("%lld.%03lld", (long long)(ms / 1000),
                               (long long)(ms % 1000))
                     : xstrfmt("%lld", (long long)(ms / 1000));
    if (strchr(t->s, '.'))
        while (t->s[strlen(t->s) - 1] == '0')
            t->s[strlen(t->s) - 1] = '\0';
}

/*
 * "block: true" (every platform, Apple too) or "block: [spotify, ...]"
 * (those platforms): podcast:block elements, as records.
 */
static int parse_block(struct pi_show *pi, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "block");
    struct flag all = { 0 };
    struct pi_block *b;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type == YNODE_SEQ) {
        int ret = LIST(root, "block", pi_block_kind, pi->blocks);

        for (size_t i = 0; i < pi->blocks_nr; i++) {
            pi->blocks[i].value.s = xstrdup("yes");
            pi->blocks[i].value.pos = pi->blocks[i].id.pos;
        }
        return ret;
    }
    if (meta_flag(root, "block", "block", false, &all) < 0)
        return PP_ERR_INPUT;
    if (all.v) {
        b = pi_list_add(&pi_block_kind, (void **)&pi->blocks,
                        &pi->blocks_nr);
        b->value.s = xstrdup("yes");
        b->value.pos = all.pos;
    }
    return 0;
}

/* "update_frequency: auto", or {text, rrule, complete, dtstart}. */
static int parse_update(struct pi_show *pi, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "update_frequency");

    if (n && n->type == YNODE_SCALAR && n->plain && !strcmp(n->value, "auto")) {
        pi->update_auto = true;
        pi->update.text.pos = n->pos;
        return 0;
    }
    if (n && n->type == YNODE_SCALAR && !ytree_is_null(n))
        return input_error(&n->pos, "update_frequency", "want auto or a "
                           "mapping (rrule: FREQ=WEEKLY, text: ...)");
    return parse_one(root, "update_frequency", &pi_update_kind, &pi->update);
}

#define RECIPIENTS(map, name, list)                                        \
    parse_list_named((map), "recipients", (name), &pi_recipient_kind,      \
                     (void **)&(list), &(list##_nr))

/*
 * "value: {type, method, suggested, recipients: [{name, type, address,
 * split, fee, custom_key, custom_value}]}" into 'v'.
 */
static int parse_value(const struct ynode *root, struct pi_value *v)
{
    const struct ynode *n = ytree_get(root, "value");
    int ret;

    if (!n || ytree_is_null(n))
        return 0;
    ret = parse_rec(&pi_value_kind, n, "value", v);
    if (n->type != YNODE_MAP)
        return ret;
    v->set = true;
    v->pos = n->pos;
    if (RECIPIENTS(n, "value.recipients", v->recipients) < 0)
        ret = PP_ERR_INPUT;
    return ret;
}

/*
 * An episode's "value_time_splits: [{start, duration, remote_start,
 * remote_percentage, remote_item: {feed_guid, item_guid, feed_url},
 * recipients: [...]}]", times as soundbites', into 'v'.
 */
static int parse_timesplits(const struct ynode *root, struct pi_value *v)
{
    static const char name[] = "value_time_splits";
    const struct ynode *n = ytree_get(root, name);
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type != YNODE_SEQ)
        return input_error(&n->pos, name, "want a list ({start: ..., "
                           "duration: ..., recipients: [...]} each), got %s",
                           ytree_kind(n));
    for (size_t i = 0; i < n->nr; i++) {
        const struct ynode *item = n->items[i];
        struct pi_timesplit *ts = pi_list_add(&pi_timesplit_kind,
                                              (void **)&v->timesplits,
                                              &v->timesplits_nr);
        const struct ynode *ri;

        ts->pos = item->pos;
        if (parse_rec(&pi_timesplit_kind, item, name, ts) < 0) {
            ret = PP_ERR_INPUT;
            continue;
        }
        ri = ytree_get(item, "remote_item");
        if (ri && !ytree_is_null(ri) &&
            parse_rec(&pi_remote_kind, ri, "value_time_splits.remote_item",
                      &ts->remote) < 0)
            ret = PP_ERR_INPUT;
        if (RECIPIENTS(item, "value_time_splits.recipients",
                       ts->recipients) < 0)
            ret = PP_ERR_INPUT;
        soundbite_seconds(&ts->start);
        soundbite_seconds(&ts->duration);
        soundbite_seconds(&ts->remote_start);
    }
    return ret;
}

/*
 * "images: [FILE or URL, {href, alt, aspect_ratio, width, height, type,
 * purpose}]": files inside 'dir', next to the artwork.
 */
static int parse_images(const struct ynode *root, const char *dir,
                        struct pi_image **images, size_t *nr)
{
    size_t first = *nr;
    int ret = parse_list(root, "images", &pi_image_kind, (void **)images, nr);

    for (size_t i = first; i < *nr; i++) {
        struct pi_image *im = &(*images)[i];

        if (!im->href.s) {
            const struct srcpos *pos = NULL;

            for (size_t f = 0; f < pi_image_kind.fields_nr && !pos; f++)
                if (pi_text(im, &pi_image_kind.fields[f])->s)
                    pos = &pi_text(im, &pi_image_kind.fields[f])->pos;
            if (pos)
                ret = input_error(pos, "images.href", "missing (required)");
            continue;
        }
        if (starts_with(im->href.s, "https://") ||
            starts_with(im->href.s, "http://")) {
            if (meta_check_url(&im->href, "images.href") < 0)
                ret = PP_ERR_INPUT;
            continue;
        }
        if (meta_check_rel_path(&im->href, "images.href", dir) < 0)
            ret = PP_ERR_INPUT;
        else
            im->path = xstrfmt("%s/%s", dir, im->href.s);
    }
    return ret;
}

int pi_show_parse(struct show *show, const struct ynode *root)
{
    struct pi_show *pi = &show->pi;
    const struct ynode *owner = ytree_get(root, "owner");
    int ret = 0;

#define F(call) do { if ((call) < 0) ret = PP_ERR_INPUT; } while (0)
    F(LIST(root, "persons", pi_person_kind, pi->persons));
    F(LIST(root, "txt", pi_txt_kind, pi->txts));
    F(LIST(root, "funding", pi_funding_kind, pi->funding));
    F(LIST(root, "podroll", pi_remote_kind, pi->podroll));
    F(parse_one(root, "location", &pi_location_kind, &pi->location));
    F(parse_one(root, "license", &pi_license_kind, &pi->license));
    F(meta_text(root, "medium", "medium", false, &pi->medium));
    F(parse_update(pi, root));
    F(parse_value(root, &pi->value));
    F(parse_images(root, PP_SHOW_DIR, &pi->images, &pi->images_nr));
    F(parse_block(pi, root));
    F(meta_flag(root, "complete", "complete", false, &pi->complete));
    F(meta_flag(root, "chapters_in_notes", "chapters_in_notes", false,
                &pi->chapters_in_notes));
    if (owner && owner->type == YNODE_MAP)
        F(meta_flag(owner, "hide_email", "owner.hide_email", false,
                    &pi->hide_email));
    for (size_t i = 0; i < pi->funding_nr; i++) {
        if (!pi->funding[i].url.s && pi->funding[i].text.s)
            ret = input_error(&pi->funding[i].text.pos, "funding.url",
                              "missing (required)");
        F(meta_check_url(&pi->funding[i].url, "funding.url"));
    }
#undef F
    return ret;
}

/*
 * "transcript: FILE" and "transcripts: [{file, language, rel}]": each
 * file inside episodes/, its type from its extension (transcript_check()
 * then reads it and checks that it holds that).
 */
static int parse_transcripts(struct episode *ep, const struct ynode *root)
{
    size_t first = ep->transcripts_nr;
    int ret = 0;

    if (ytree_get(root, "transcript") &&
        !ytree_is_null(ytree_get(root, "transcript"))) {
        struct transcript *t = pi_list_add(&transcript_kind,
                                           (void **)&ep->transcripts,
                                           &ep->transcripts_nr);

        if (meta_text(root, "transcript", "transcript", false, &t->file) < 0)
            ret = PP_ERR_INPUT;
    }
    if (LIST(root, "transcripts", transcript_kind, ep->transcripts) < 0)
        ret = PP_ERR_INPUT;
    for (size_t i = first; i < ep->transcripts_nr; i++) {
        struct transcript *t = &ep->transcripts[i];
        const char *name = i == first && ytree_get(root, "transcript") ?
                           "transcript" : "transcripts.file";
        const struct media_type *m;

        if (!t->file.s) {
            if (t->language.s || t->rel.s)
                ret = input_error(t->language.s ? &t->language.pos
                                                : &t->rel.pos, name,
                                  "missing (required)");
            continue;
        }
        if (meta_check_rel_path(&t->file, name, PP_EPISODES_DIR) < 0) {
            ret = PP_ERR_INPUT;
            continue;
        }
        t->path = xstrfmt("%s/%s", PP_EPISODES_DIR, t->file.s);
        m = media_of_name(t->file.s);
        if (m && (m->uses & MEDIA_TRANSCRIPT)) {
            t->type.s = xstrdup(m->mime);
            t->type.pos = t->file.pos;
        } else {
            struct strbuf want = STRBUF_INIT;

            media_list_exts(&want, MEDIA_TRANSCRIPT);
            ret = input_error(&t->file.pos, name, "\"%.80s\" is not a "
                              "transcript (want %s)", t->file.s, want.buf);
            strbuf_release(&want);
        }
    }
    return ret;
}

void transcripts_free(struct episode *ep)
{
    for (size_t i = 0; i < ep->transcripts_nr; i++) {
        free(ep->transcripts[i].type.s);
        free(ep->transcripts[i].path);
        free(ep->transcripts[i].url);
    }
    pi_list_free(&transcript_kind, (void **)&ep->transcripts,
                 &ep->transcripts_nr);
}

int pi_episode_parse(struct episode *ep, const struct ynode *root)
{
    struct pi_episode *pi = &ep->pi;
    int ret = 0;

#define F(call) do { if ((call) < 0) ret = PP_ERR_INPUT; } while (0)
    F(LIST(root, "persons", pi_person_kind, pi->persons));
    F(LIST(root, "txt", pi_txt_kind, pi->txts));
    F(LIST(root, "soundbites", pi_soundbite_kind, pi->soundbites));
    F(LIST(root, "social_interact", pi_social_kind, pi->socials));
    F(parse_one(root, "location", &pi_location_kind, &pi->location));
    F(parse_one(root, "license", &pi_license_kind, &pi->license));
    F(meta_text(root, "season_name", "season_name", false,
                &pi->season_name));
    F(meta_text(root, "episode_display", "episode_display", false,
                &pi->episode_display));
    F(meta_flag(root, "block", "block", false, &pi->block));
    F(parse_value(root, &pi->value));
    F(parse_timesplits(root, &pi->value));
    F(parse_images(root, PP_EPISODES_DIR, &pi->images, &pi->images_nr));
    F(parse_transcripts(ep, root));
#undef F
    for (size_t i = 0; i < pi->soundbites_nr; i++) {
        soundbite_seconds(&pi->soundbites[i].start);
        soundbite_seconds(&pi->soundbites[i].duration);
    }
    return ret;
}

#define FREE_LIST(kind, list) \
    pi_list_free(&(kind), (void **)&(list), &(list##_nr))

void pi_value_release(struct pi_value *v)
{
    for (size_t i = 0; i < v->timesplits_nr; i++) {
        pi_rec_release(&pi_remote_kind, &v->timesplits[i].remote);
        FREE_LIST(pi_recipient_kind, v->timesplits[i].recipients);
    }
    FREE_LIST(pi_timesplit_kind, v->timesplits);
    FREE_LIST(pi_recipient_kind, v->recipients);
    pi_rec_release(&pi_value_kind, v);
    memset(v, 0, sizeof(*v));
}

void pi_images_free(struct pi_image **images, size_t *nr)
{
    for (size_t i = 0; i < *nr; i++) {
        free((*images)[i].path);
        free((*images)[i].url);
    }
    pi_list_free(&pi_image_kind, (void **)images, nr);
}

void pi_show_release(struct pi_show *pi)
{
    FREE_LIST(pi_person_kind, pi->persons);
    FREE_LIST(pi_txt_kind, pi->txts);
    FREE_LIST(pi_funding_kind, pi->funding);
    FREE_LIST(pi_remote_kind, pi->podroll);
    FREE_LIST(pi_block_kind, pi->blocks);
    FREE_LIST(pi_trailer_kind, pi->trailers);
    pi_rec_release(&pi_location_kind, &pi->location);
    pi_rec_release(&pi_license_kind, &pi->license);
    pi_rec_release(&pi_update_kind, &pi->update);
    pi_value_release(&pi->value);
    pi_images_free(&pi->images, &pi->images_nr);
    free(pi->medium.s);
    free(pi->itunes_block.s);
    free(pi->itunes_complete.s);
    memset(pi, 0, sizeof(*pi));
}

void pi_episode_release(struct pi_episode *pi)
{
    FREE_LIST(pi_person_kind, pi->persons);
    FREE_LIST(pi_txt_kind, pi->txts);
    FREE_LIST(pi_soundbite_kind, pi->soundbites);
    FREE_LIST(pi_social_kind, pi->socials);
    pi_rec_release(&pi_location_kind, &pi->location);
    pi_rec_release(&pi_license_kind, &pi->license);
    pi_value_release(&pi->value);
    pi_images_free(&pi->images, &pi->images_nr);
    free(pi->season_name.s);
    free(pi->episode_display.s);
    free(pi->itunes_block.s);
    memset(pi, 0, sizeof(*pi));
}
