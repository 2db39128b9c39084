/*
 * The show file's sound settings: "loudness:" (what the episodes should
 * measure, for the check rules and `podpub normalize`) and "alternates:"
 * (lighter copies of every episode for podcast:alternateEnclosure).
 */
#include <stdlib.h>
#include <string.h>

#include "fields.h"

static const char *const loudness_keys[] = {
    "target", "tolerance", "true_peak", NULL,
};
static const char *const alternate_keys[] = { "codec", "bitrate", NULL };
static const char *const alternate_codecs[] = { "opus", "aac", NULL };

/* Apple's recommendation: -16 LUFS, give or take 1 LU, peaks under -1. */
static void loudness_default(struct show *show)
{
    show->loudness.off = false;
    show->loudness.target = -16;
    show->loudness.tolerance = 1;
    show->loudness.true_peak = -1;
    show->loudness.pos = (struct srcpos){ show->path, 1, 1 };
}

static int parse_loudness(struct show *show, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "loudness");
    int ret = 0;

    loudness_default(show);
    if (!n || ytree_is_null(n))
        return 0;
    show->loudness.pos = n->pos;
    if (n->type == YNODE_SCALAR && n->plain && !strcmp(n->value, "off")) {
        show->loudness.off = true;
        return 0;
    }
    if (n->type != YNODE_MAP)
        return input_error(&n->pos, "loudness", "want off or a mapping "
                           "{target: -16, tolerance: 1, true_peak: -1}, got "
                           "%s", n->type == YNODE_SCALAR ? "text" :
                           ytree_kind(n));
    if (meta_check_keys(n, loudness_keys, "loudness.") < 0)
        ret = PP_ERR_INPUT;
    if (meta_decimal(n, "target", "loudness.target", -70, 0,
                     &show->loudness.target) < 0 ||
        meta_decimal(n, "tolerance", "loudness.tolerance", 0, 20,
                     &show->loudness.tolerance) < 0 ||
        meta_decimal(n, "true_peak", "loudness.true_peak", -20, 0,
                     &show->loudness.true_peak) < 0)
        ret = PP_ERR_INPUT;
    return ret;
}

/* "24k", "24000" -> 24000; -1 when it is neither. */
static int64_t bitrate_of(const char *s)
{
    size_t digits = strspn(s, "0123456789");
    int64_t v;

    if (!digits || digits > 7 || (s[digits] && strcmp(s + digits, "k")))
        return -1;
    v = strtoll(s, NULL, 10);
    return s[digits] ? v * 1000 : v;
}

static int parse_alternate(struct show *show, const struct ynode *m)
{
    struct alternate *a = &show->alternates[show->alternates_nr];
    const struct ynode *codec, *rate;
    int ret = 0;

    if (m->type != YNODE_MAP)
        return input_error(&m->pos, "alternates", "want a mapping {codec: "
                           "opus, bitrate: 24k}, got %s", ytree_kind(m));
    if (meta_check_keys(m, alternate_keys, "alternates.") < 0)
        ret = PP_ERR_INPUT;
    codec = ytree_get(m, "codec");
    rate = ytree_get(m, "bitrate");
    if (!codec || codec->type != YNODE_SCALAR) {
        return input_error(codec ? &codec->pos : &m->pos, "alternates.codec",
                           "want opus or aac");
    }
    if (!rate || rate->type != YNODE_SCALAR)
        return input_error(rate ? &rate->pos : &m->pos, "alternates.bitrate",
                           "want a bit rate such as 24k");
    for (size_t i = 0; alternate_codecs[i]; i++)
        if (!strcmp(codec->value, alternate_codecs[i]))
            a->codec = xstrdup(alternate_codecs[i]);
    if (!a->codec)
        return input_error(&codec->pos, "alternates.codec", "\"%.40s\" is "
                           "not opus or aac", codec->value);
    a->bitrate = bitrate_of(rate->value);
    if (a->bitrate < 6000 || a->bitrate > 320000) {
        FREE_AND_NULL(a->codec);
        return input_error(&rate->pos, "alternates.bitrate", "\"%.40s\" is "
                           "not a bit rate from 6k to 320k", rate->value);
    }
    a->pos = m->pos;
    for (size_t i = 0; i < show->alternates_nr; i++) {
        if (!strcmp(show->alternates[i].codec, a->codec) &&
            show->alternates[i].bitrate == a->bitrate) {
            FREE_AND_NULL(a->codec);
            return input_error(&m->pos, "alternates", "%s at %s is listed "
                               "twice", codec->value, rate->value);
        }
    }
    show->alternates_nr++;
    return ret;
}

static int parse_alternates(struct show *show, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "alternates");
    int ret = 0;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type != YNODE_SEQ)
        return input_error(&n->pos, "alternates", "want a list such as "
                           "[{codec: opus, bitrate: 24k}], got %s",
                           ytree_kind(n));
    show->alternates = xcalloc(n->nr + 1, sizeof(*show->alternates));
    for (size_t i = 0; i < n->nr; i++)
        if (parse_alternate(show, n->items[i]) < 0)
            ret = PP_ERR_INPUT;
    return ret;
}

int parse_sound(struct show *show, const struct ynode *root)
{
    int ret = parse_loudness(show, root);

    if (parse_alternates(show, root) < 0)
        ret = PP_ERR_INPUT;
    return ret;
}

void sound_release(struct show *show)
{
    for (size_t i = 0; i < show->alternates_nr; i++)
        free(show->alternates[i].codec);
    free(show->alternates);
    show->alternates = NULL;
    show->alternates_nr = 0;
}

void episode_clear_alts(struct episode *ep)
{
    for (size_t i = 0; i < ep->alts_nr; i++) {
        free(ep->alts[i].key);
        free(ep->alts[i].path);
        free(ep->alts[i].cached);
        free(ep->alts[i].url);
        free(ep->alts[i].title);
    }
    free(ep->alts);
    ep->alts = NULL;
    ep->alts_nr = 0;
}
