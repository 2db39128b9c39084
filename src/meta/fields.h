/*
 * Typed access to YAML mappings for the metadata readers (internal to
 * src/meta). Each getter reports a problem with the field's position and
 * name and returns PP_ERR_INPUT; absent optional fields are not an error.
 */
#ifndef PODPUB_META_FIELDS_H
#define PODPUB_META_FIELDS_H

#include "podpub/meta.h"
#include "podpub/yamltree.h"

/*
 * Reports each key of 'map' that is not in the NULL-terminated 'known',
 * with the nearest known key as a suggestion. 'prefix' ("owner.") names
 * the parent for nested maps. Returns 0 or PP_ERR_INPUT.
 */
int meta_check_keys(const struct ynode *map, const char *const *known,
                    const char *prefix);

/*
 * True when 'map' has a key that looks like a misspelling of 'name' (which
 * meta_check_keys() has reported with a suggestion).
 */
bool meta_misspelt(const struct ynode *map, const char *name);

/*
 * Reports 'name' as missing, at the position of 'map', unless a misspelt
 * key was already reported for it. Returns PP_ERR_INPUT.
 */
int meta_missing(const struct ynode *map, const char *name);

/*
 * Reads text field 'key' of 'map' into 'out' (a copy), checked as UTF-8
 * fit for XML. 'name' is the field's name in messages ("owner.email").
 */
int meta_text(const struct ynode *map, const char *key, const char *name,
              bool required, struct text *out);

/* Reads a boolean: exactly "true" or "false", unquoted. */
int meta_flag(const struct ynode *map, const char *key, const char *name,
              bool required, struct flag *out);

/* Reads a whole number in [min, max]. */
int meta_number(const struct ynode *map, const char *key, const char *name,
                long long min, long long max, struct number *out);

/*
 * Reads a decimal number ("-16", "0.5") in [min, max] into '*out'; leaves
 * it alone when 'key' is absent.
 */
int meta_decimal(const struct ynode *map, const char *key, const char *name,
                 double min, double max, double *out);

/*
 * Reads "loudness:" and "alternates:" of the show file's 'root' (in
 * sound.c). Returns 0 or PP_ERR_INPUT.
 */
int parse_sound(struct show *show, const struct ynode *root);

/* Frees what parse_sound() read. */
void sound_release(struct show *show);

/*
 * Checks 'len' bytes of 's', which start on line 'first_line' of 'file',
 * as UTF-8 fit for XML, and reports the first bad byte by line and column
 * under 'field' (or, when NULL, the "key:" that starts the line).
 */
int meta_check_bytes(const char *file, const char *s, size_t len,
                     int first_line, const char *field);

/* Checks a text value read elsewhere as UTF-8 fit for XML. */
int meta_check_text(const struct ynode *node, const char *name);

/* Reports 't' unless it is an absolute http(s) URL. */
int meta_check_url(const struct text *t, const char *name);

/*
 * Zeroes 'ep' and sets its path (a copy of 'path') and name ("001-milas"
 * of "episodes/001-milas.md").
 */
void episode_init_path(struct episode *ep, const char *path);

/* True for a relative path inside the folder it is relative to. */
bool meta_rel_path_ok(const char *p);

/* Reports 't' unless it is a relative path inside 'dir' (no ".."). */
int meta_check_rel_path(const struct text *t, const char *name,
                        const char *dir);

/* Reads the front matter's "chapters:" list into 'ep'. */
int chapters_parse_list(struct episode *ep, const struct ynode *list);

/*
 * Reads the Podcast Index fields of the show file's root mapping 'root'
 * (persons, location, license, medium, txt, funding, podroll,
 * update_frequency, block, complete, chapters_in_notes, owner.hide_email)
 * into 'show->pi', and those of an episode's front matter into 'ep->pi'.
 * Return 0 or PP_ERR_INPUT (printed).
 */
int pi_show_parse(struct show *show, const struct ynode *root);
int pi_episode_parse(struct episode *ep, const struct ynode *root);

#endif
