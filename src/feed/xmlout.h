/*
 * xmlout: the feed writer's XML emitter (internal to src/feed), appending
 * straight into a strbuf. It writes, byte for byte, what libxml2 2.9's
 * xmlTextWriter writes into memory with indentation on, "  " as the
 * indent string and a document declared UTF-8, for the calls the feed
 * makes; tests/unit/test_xmlout.c compares the two on many generated
 * documents. Only the feed writer uses it (the page, index.html, only
 * its escaping): its names are not checked and its output is not a
 * general XML serializer's.
 */
#ifndef PODPUB_FEED_XMLOUT_H
#define PODPUB_FEED_XMLOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "podpub/strbuf.h"

/* Deeper than any feed goes (rss, channel, item, one more). */
#define XMLOUT_MAX_DEPTH 16

struct xmlout {
    struct strbuf *out;
    const char *open[XMLOUT_MAX_DEPTH]; /* names of the open elements */
    int depth;
    bool in_start_tag;  /* the innermost start tag still lacks its '>' */
    bool indent_end;    /* indent the next end tag (libxml2's doindent) */
    bool failed;        /* a text or attribute value was NULL */
};

/* Starts writing a document at the end of 'out'; writes nothing yet. */
void xmlout_init(struct xmlout *x, struct strbuf *out);

/* Appends the line <?xml version="1.0" encoding="UTF-8"?>. */
void xmlout_declaration(struct xmlout *x);

/*
 * Opens the element 'name' (borrowed until it is closed: element names
 * are string literals). Names are written as they are, unescaped.
 */
void xmlout_start(struct xmlout *x, const char *name);

/*
 * Adds the attribute 'name'="'value'" to the start tag just opened (no
 * text or child written since), 'value' escaped by xmlout_escape_attr().
 * A NULL 'value' writes nothing and makes xmlout_finish() fail, as
 * libxml2 fails the call.
 */
void xmlout_attr(struct xmlout *x, const char *name, const char *value);

/* xmlout_attr() with 'value' in decimal. */
void xmlout_attr_u64(struct xmlout *x, const char *name, uint64_t value);

/*
 * Appends 's' as the content of the innermost element, escaped by
 * xmlout_escape_text(). NULL fails like a NULL attribute value.
 */
void xmlout_text(struct xmlout *x, const char *s);

/*
 * Appends 's' raw as CDATA sections. "]]>" cannot appear in one, so 's'
 * is split after each "]]" that a '>' follows and the rest goes into the
 * next section. NULL fails like a NULL attribute value.
 */
void xmlout_cdata(struct xmlout *x, const char *s);

/* Closes the innermost element: "<name/>" when it has no content. */
void xmlout_end(struct xmlout *x);

/*
 * Writes <name>'text'</name> on a line of its own; "<name/>" when
 * 'text' is NULL (and "<name></name>" when it is empty), as libxml2's
 * xmlTextWriterWriteElement() does.
 */
void xmlout_element(struct xmlout *x, const char *name, const char *text);

/* xmlout_element() with 'v' in decimal. */
void xmlout_element_i64(struct xmlout *x, const char *name, int64_t v);

/*
 * Closes every element still open. Returns 0, or -1 if a value was NULL
 * (the output is then incomplete: discard it).
 */
int xmlout_finish(struct xmlout *x);

/*
 * Appends 's' with every character of 'special', a set drawn from
 * < > & " ' CR LF and tab, replaced by its reference (&lt; ... &#39;,
 * &#13;, &#10;, &#9;). The escapers below, and the page's, are this with
 * their sets.
 */
void xmlout_escape(struct strbuf *sb, const char *s, const char *special);

/*
 * Appends 's' escaped as element content, as libxml2's
 * xmlEncodeSpecialChars() does: '<', '>', '&', '"' and CR become
 * references; every other byte is copied, UTF-8 as it is.
 */
void xmlout_escape_text(struct strbuf *sb, const char *s);

/*
 * Appends 's' escaped as an attribute value, as libxml2's writer does in
 * a document declared UTF-8: '<', '>', '&', '"', tab, LF and CR become
 * references; every other byte is copied, UTF-8 as it is.
 */
void xmlout_escape_attr(struct strbuf *sb, const char *s);

#endif
