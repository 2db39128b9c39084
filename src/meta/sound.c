/*
 * The show file's sound settings: "loudness:" (what the episodes should
 * measure, for the check rules and `podpub normalize`).
 */
#include <stdlib.h>
#include <string.h>

#include "fields.h"

static const char *const loudness_keys[] = {
    "target", "tolerance", "true_peak", NULL,
};

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
    const struct ynode *n = ynode_get(root, "loudness");
    int ret = 0;

    loudness_default(show);
    if (!n || ynode_is_null(n))
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
                           ynode_kind(n));
    if (fields_check_keys(n, loudness_keys, "loudness.") < 0)
        ret = PP_ERR_INPUT;
    if (field_decimal(n, "target", "loudness.target", -70, 0,
                      &show->loudness.target) < 0 ||
        field_decimal(n, "tolerance", "loudness.tolerance", 0, 20,
                      &show->loudness.tolerance) < 0 ||
        field_decimal(n, "true_peak", "loudness.true_peak", -20, 0,
                      &show->loudness.true_peak) < 0)
        ret = PP_ERR_INPUT;
    return ret;
}

int parse_sound(struct show *show, const struct ynode *root)
{
    return parse_loudness(show, root);
}

void sound_release(struct show *show)
{
    (void)show;
}
