/*
 * Reading a published podcast feed (any feed, not only podpub's) into a
 * struct show, so that `podpub check --feed` applies the same rules and
 * publishing can compare with what listeners already have.
 *
 * feed_read() also returns what struct show has no place for: what is
 * wrong with the document itself (XML, namespaces) and what only a feed
 * read back has (itunes:duration, how many enclosures an item has, text
 * before trimming). That belongs to the feed, not to the show, and lives
 * in struct feed_doc.
 */
#ifndef PODPUB_FEEDREAD_H
#define PODPUB_FEEDREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "podpub/meta.h"
#include "podpub/strbuf.h"

/* Problems of the document as a whole. */
enum feed_issue_kind {
    /* Fatal: nothing was read. 'text' says why. */
    FEED_ISSUE_XML,         /* not well-formed: libxml2's first fatal error */
    FEED_ISSUE_LIMIT,       /* over a limit that keeps reading linear */
    FEED_ISSUE_ENTITY,      /* declares the entity 'text': refused */
    FEED_ISSUE_NOT_RSS,     /* the root element is 'text', not <rss> */
    FEED_ISSUE_NO_CHANNEL,  /* <rss> has no <channel> */
    /* Read anyway: */
    FEED_ISSUE_XML_START,   /* 'count' lines before the XML declaration */
    FEED_ISSUE_UNDECLARED,  /* the prefix 'text' is used without being
                               declared; 'uri' is what it usually names,
                               or NULL */
    FEED_ISSUE_NAMESPACE,   /* elements in the namespace 'text', which
                               looks like 'uri' but is not it */
};

struct feed_issue {
    enum feed_issue_kind kind;
    struct srcpos pos;          /* the first place it happens */
    char *text;                 /* owned; printable() */
    const char *uri;            /* static, or NULL */
    char *example;              /* owned: the first such name, or NULL */
    size_t count;               /* elements or lines concerned */
};

/*
 * What a read feed says about one item beyond its struct episode: values
 * as written, where the episode holds what they mean ('s' NULL: absent).
 */
struct feed_item {
    struct srcpos pos;              /* the <item> */
    char title_lead, title_trail;   /* white space the <title> starts or
                                       ends with ('\0': none) */
    struct text date;               /* <pubDate> (the episode's date) */
    bool date_bad;                  /* 'date' could not be read */
    bool date_named_zone;           /* 'date' names a zone parsers misread */
    struct text season, episode, type, explicit;   /* itunes: */
    struct text length;             /* of the enclosure apps play; "" when
                                       absent or empty */
    struct text enclosure_type;     /* its type= */
    struct text summary;            /* itunes:subtitle */
    struct text duration;           /* itunes:duration; "" when empty */
    bool has_description;           /* a <description> (not content:) */
    size_t description_bytes;       /* trimmed */
    struct srcpos description_pos;
    size_t enclosures;              /* <enclosure> elements */
    struct srcpos other_enclosure;  /* the first one apps do not use */
};

/*
 * An element of the channel or of items that the reader does not read
 * (podpub has no place for it), by name as written ("itunes:keywords",
 * "podcast:person"): counted, so that podpub import can list what it
 * leaves behind.
 */
struct feed_unread {
    char *name;                 /* owned; printable() */
    bool in_item;               /* a child of <item>, else of <channel> */
    size_t count;
    struct srcpos first;
};

/* Distinct unread names kept; the rest are counted in one "(other)". */
#define FEED_UNREAD_MAX 64

struct feed_doc {
    struct feed_issue *issues;
    size_t issues_nr, issues_alloc;
    bool fatal;                 /* an issue is fatal: nothing was read */
    struct srcpos channel;      /* the <channel> start tag */
    char title_lead, title_trail;   /* as feed_item's, for the channel */
    bool has_description;           /* a <description>, not only an
                                       itunes:summary read in its place */
    struct text explicit, type;     /* itunes:explicit, itunes:type */
    struct text locked_owner;       /* podcast:locked owner= */
    struct text image_text;     /* an itunes:image with its URL as text
                                   instead of href= (NULL: none) */
    struct feed_item *items;    /* items[i] is show->episodes[i] */
    size_t items_nr, items_alloc;
    struct feed_unread *unread; /* in the order first met */
    size_t unread_nr, unread_alloc;
};

/*
 * Parses the RSS feed in 'len' bytes of 'buf' into 'show' and 'doc' (both
 * zeroed by the caller): channel fields and one episode per item (its
 * description as notes.html), each at the line and column of its
 * element's start tag in 'name' (a file or URL; show->path holds a copy);
 * values as written in doc->items[i] for show->episodes[i]. Of
 * several <enclosure> elements of an item the one apps play is read: the
 * first with a url that is not an image. Prints nothing: problems of the
 * document are in
 * doc->issues. Returns 0, or PP_ERR_INPUT when the feed cannot be read
 * at all (doc->fatal; the last issue says why). Free with show_release()
 * and feed_doc_release().
 */
int feed_read(const char *name, const char *buf, size_t len,
              struct show *show, struct feed_doc *doc);

void feed_doc_release(struct feed_doc *doc);

/*
 * Prints (input_error()) why the feed of 'doc' cannot be read, or is
 * read only by skipping lines before its XML declaration. Returns
 * PP_ERR_INPUT when it printed anything, else 0.
 */
int feed_issues_print(const struct feed_doc *doc);

/*
 * feed_read() for callers that want only the show: returns 0, or
 * PP_ERR_INPUT after printing (input_error()) why the feed cannot be
 * read, which includes a feed that is read only by skipping lines before
 * its XML declaration. Free with show_release().
 */
int feed_parse(const char *name, const char *buf, size_t len,
               struct show *show);

/*
 * Appends to 'md' the Markdown for the show notes 'html' ('len' bytes of
 * HTML, or of plain text when it has no '<'): paragraphs, headings,
 * lists, block quotes, code, links (http, https and mailto), emphasis
 * and line breaks; what Markdown cannot say as its text (tables as rows
 * of cells); scripts, styles, forms and images dropped.
 */
void html_to_markdown(const char *html, size_t len, struct strbuf *md);

/*
 * Appends the text content of 'html' (as html_to_markdown() reads it,
 * dropped elements left out) to 'text': what the Markdown must still
 * say, for comparing.
 */
void html_text(const char *html, size_t len, struct strbuf *text);

#endif
