/*
 * `podpub import`: a live show, read from its feed, becomes a podpub
 * show folder, every GUID, date and podcast:guid as listeners' apps know
 * them; run again, it adds only the items the folder does not have.
 */
#ifndef PODPUB_IMPORT_H
#define PODPUB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "podpub/strbuf.h"

struct import_opts {
    const char *feed;       /* http(s):// or file:// URL, or a path */
    const char *dir;        /* NULL: the slug of the show's title */
    const char *base_url;   /* where the show will be served; NULL: a
                               placeholder to edit */
    bool keep_media;        /* --media keep: audio stays at its URL */
    const char *ci;         /* as init_opts.ci */
    long timeout_s;         /* per request */
};

/* What the old feed had that the show does not keep, by what and count. */
struct import_left {
    char *what;             /* "itunes:keywords (channel)", "item without
                               an enclosure" */
    size_t count;
    char *example;          /* where or which first, or NULL */
};

struct import_result {
    char *dir;              /* the show's folder */
    bool synced;            /* the folder had the show: items added */
    bool done;              /* the items were gone through */
    size_t items;           /* items in the feed */
    size_t added;           /* episode files written */
    size_t known;           /* items whose GUID the show had */
    size_t notes_differ;    /* notes whose text changed in Markdown */
    struct import_left *left;
    size_t left_nr, left_alloc;
};

/*
 * Imports the feed 'o->feed' into a show folder (see the README, "Moving
 * a show to podpub"). A new folder is made complete in a temporary
 * sibling and renamed into place, so an interrupted import leaves no
 * show; into a folder that has the show, new episode files are written
 * one by one (each atomically), so running it again completes it.
 * Returns 0; PP_ERR_INPUT when the feed cannot be read (the reader's
 * findings printed) or items were refused (listed in res->left);
 * PP_ERR_REMOTE when the feed or a file it names could not be fetched
 * (printed, naming the URL); PP_ERR_IO for local files. Free 'res' with
 * import_result_release().
 */
int show_import(const struct import_opts *o, struct import_result *res);

void import_result_release(struct import_result *res);

/*
 * True when Markdown 'md', rendered by cmark, says the same text as the
 * HTML 'html' (white space and punctuation aside): the check each
 * imported note passes.
 */
bool import_notes_same(const char *html, const char *md);

#endif
