/*
 * `podpub import`: a live show, read from its feed, becomes a podpub
 * show folder, every GUID, date and podcast:guid as listeners' apps know
 * them; run again, it adds only the items the folder does not have.
 */
#ifndef PODPUB_IMPORT_H
#define PODPUB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/net.h"
#include "podpub/strbuf.h"

struct import_opts {
    const char *feed;       /* http(s):// or file:// URL, or a path */
    const char *dir;        /* NULL: the slug of the show's title */
    const char *base_url;   /* where the show will be served; NULL: a
                               placeholder to edit */
    bool keep_media;        /* --media keep: audio stays at its URL */
    const char *ci;         /* as init_opts.ci */
    long timeout_s;         /* per request; for media: connecting, and
                               the longest stall */
    int jobs;               /* media downloads at once (at least 1) */
    /* While media download, about four times a second; may be NULL. */
    void (*progress)(void *ctx, const struct http_download_progress *p);
    void *progress_ctx;
};

/* A downloaded file that differs from what the old feed said of it. */
struct import_note {
    char *file;             /* "episodes/003-slug.mp3" */
    char *what;             /* "1234 bytes, the feed said 1200" */
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
    size_t downloaded;      /* media files downloaded (or completed) */
    size_t resumed;         /* ... of which continued a .part */
    uint64_t downloaded_bytes;  /* their sizes */
    bool remote_failed;     /* a download failed (listed) */
    struct import_note *notes;
    size_t notes_nr, notes_alloc;
    struct import_left *left;
    size_t left_nr, left_alloc;
};

/*
 * Imports the feed 'o->feed' into a show folder (see the README, "Moving
 * a show to podpub"). A new folder is made complete in a temporary
 * sibling and renamed into place, so an interrupted import leaves no
 * show; into a folder that has the show, new episode files are written
 * one by one (each atomically), so running it again completes it.
 * Unless 'o->keep_media', each item's enclosure is downloaded next to
 * its episode file first ("NNN-slug.EXT.part", with "NNN-slug.EXT.part.info"
 * saying which item and URL it is, until the episode file is written),
 * checked against the feed's length and probed: an item whose media
 * cannot be downloaded is not written, and the next run continues its
 * .part under the same name.
 * Returns 0; PP_ERR_REMOTE when the feed or a file it names could not be
 * fetched (printed or listed, naming the URL; the rest is imported);
 * else PP_ERR_INPUT when the feed cannot be read (the reader's findings
 * printed) or items were refused (listed in res->left); PP_ERR_IO for
 * local files. Free 'res' with import_result_release().
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
