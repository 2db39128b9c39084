/*
 * A small YAML document tree with source positions, built from libyaml's
 * event stream. podpub types values itself (a scalar is text plus whether
 * it was written plain), refuses aliases, duplicate keys and deep nesting,
 * and reports every problem as "file:line:col: message".
 */
#ifndef PODPUB_YAMLTREE_H
#define PODPUB_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "podpub/strbuf.h"

#include "podpub/util.h"

enum ynode_type { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
    enum ynode_type type;
    struct srcpos pos;
    char *value;              /* scalars: the text, NUL-terminated */
    size_t len;               /* scalars: bytes in 'value' (may hold NULs) */
    bool plain;               /* scalars: written without quotes */
    struct ynode **items;     /* maps: key, value, key, value...; seqs */
    size_t nr, alloc;
};

/* Nesting deeper than this is refused; podpub's files need four levels. */
#define YAML_MAX_DEPTH 16

/*
 * Parses one YAML document from 'len' bytes of 'buf'. Positions name
 * 'file' (borrowed: it must outlive the tree) and have 'line_offset' added
 * to their lines, for front matter that starts below the first line.
 * On success stores the root in '*root' (NULL for an empty document) and
 * returns 0; the caller frees it with ytree_free(). On failure prints an
 * input error and returns PP_ERR_INPUT.
 */
int ytree_load(const char *file, const char *buf, size_t len, int line_offset,
               struct ynode **root);

/* Frees 'node' and everything below it; accepts NULL. */
void ytree_free(struct ynode *node);

/* The value node of 'key' in the map 'map', or NULL. */
struct ynode *ytree_get(const struct ynode *map, const char *key);

/* True for a plain scalar that means "no value": empty, "~" or "null". */
bool ytree_is_null(const struct ynode *node);

/*
 * Appends 's' as a YAML double-quoted scalar, which reads back as
 * exactly 's': '"' and '\\' escaped, line breaks, tabs and other control
 * characters as escapes. For the files podpub writes (init, add, import).
 */
void ytree_add_quoted(struct strbuf *sb, const char *s);

/* "a string", "a list", "a mapping": for "want X, got Y" messages. */
const char *ytree_kind(const struct ynode *node);

#endif
