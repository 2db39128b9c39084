/*
 * The kinds of file a show is made of, by extension: the one table of
 * what each is (audio, artwork, transcript, feed, page), its MIME type,
 * the Content-Type it is served with, the libavformat demuxer that must
 * match its content (a name only: libavformat stays in src/probe) and
 * how messages call it. Probing, episode validation and publishing all
 * look here.
 */
#ifndef PODPUB_MEDIA_H
#define PODPUB_MEDIA_H

#include <stdbool.h>

#include "podpub/strbuf.h"

/* What a file of a kind is for (a kind may serve several). */
enum {
    MEDIA_AUDIO = 1 << 0,       /* an enclosure podpub probes */
    MEDIA_IMAGE = 1 << 1,       /* artwork */
    MEDIA_TRANSCRIPT = 1 << 2,  /* an episode's transcript */
    MEDIA_FEED = 1 << 3,        /* feed.xml, feed-all.xml */
    MEDIA_PAGE = 1 << 4,        /* index.html */
    MEDIA_OTHER = 1 << 5,       /* enclosed by others' feeds (video,
                                   PDF): judged by check --feed, never
                                   published by podpub */
};

struct media_type {
    const char *ext;            /* "mp3": lower case, without the dot */
    unsigned uses;              /* MEDIA_* */
    const char *mime;           /* "audio/x-m4a", without parameters */
    const char *content_type;   /* as served: text adds "; charset=utf-8" */
    const char *demuxer;        /* AVInputFormat.name, or NULL */
    const char *container;      /* what probe reports: "mp4" for .m4b */
    const char *label;          /* for messages: "MP3 audio", "a PNG image" */
    /* Other types feeds give such a file ("audio/mp3"), space-separated. */
    const char *aliases;
};

/*
 * A Podcast Index chapters file (chapters/<episode>.json): a JSON file
 * served and named in the feed with a type of its own.
 */
extern const struct media_type media_chapters;

/* The row of extension 'ext' ("mp3", no dot, lower case), or NULL. */
const struct media_type *media_by_ext(const char *ext);

/*
 * The row of the extension of the file name 'name' (after the last '.'
 * of its last path component), in any case ("EP.MP3" is an MP3), or NULL
 * when it has none in the table.
 */
const struct media_type *media_of_name(const char *name);

/*
 * True when 'type' (any case) is the MIME type of 'm' or one of the
 * aliases feeds use for it.
 */
bool media_has_type(const struct media_type *m, const char *type);

/* The first row of 'uses' that has 'type' (media_has_type()), or NULL. */
const struct media_type *media_by_type(const char *type, unsigned uses);

/* The first row of libavformat demuxer 'demuxer' (its name), or NULL. */
const struct media_type *media_by_demuxer(const char *demuxer);

/* The first row of 'uses' with MIME type 'mime', or NULL. */
const struct media_type *media_by_mime(const char *mime, unsigned uses);

/* The first row of 'uses' whose container is 'container', or NULL. */
const struct media_type *media_by_container(const char *container,
                                            unsigned uses);

/*
 * Appends the extensions of the rows for 'uses', in the table's order,
 * for a message: ".vtt, .srt, .json, .html or .txt".
 */
void media_list_exts(struct strbuf *sb, unsigned uses);

#endif
