/*
 * The show's metadata: feed/podcast.yaml and episodes/NNN-*.md read into
 * struct show and struct episode, with the source position of every value
 * so that later stages (probe, check, build) can blame the right line.
 */
#ifndef PODPUB_META_H
#define PODPUB_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/fileid.h"
#include "podpub/path.h"
#include "podpub/pi.h"
#include "podpub/ptime.h"
#include "podpub/util.h"

#define PP_SHOW_FILE "feed/podcast.yaml"
#define PP_SHOW_DIR "feed"
#define PP_EPISODES_DIR "episodes"

/*
 * Parsed episodes, kept by show_load() when show->episode_cache is set
 * (src/meta/epcache.c): an episode file that did not change is not
 * parsed again.
 */
#define PP_EPISODE_CACHE ".podpub/episode-cache"

/* The listing of PP_EPISODES_DIR, kept with the cache (src/meta/listing.c). */
#define PP_EPISODE_NAMES ".podpub/episode-names"

/* Larger metadata files are refused rather than read. */
#define PP_META_MAX_BYTES (4u << 20)

/* A text value and where it was written; 's' is NULL when absent. */
struct text {
    char *s;
    struct srcpos pos;
};

struct number {
    long long v;
    bool set;
    struct srcpos pos;
};

struct flag {
    bool v;
    bool set;
    struct srcpos pos;
};

struct category {
    char *name;         /* Apple top-level category, e.g. "Society & Culture" */
    char *sub;          /* its subcategory, or NULL */
    struct srcpos pos;
};

/* A chapter: from the front matter, a JSON chapters file, or the audio. */
struct chapter {
    int64_t start_ms;
    char *title;
    char *url, *img;    /* optional links of the Podcast Index format */
    struct srcpos pos;  /* where it was written (the audio: 'audio:') */
};

/*
 * The Podcast Index namespace's records (pi.h): every member a struct
 * text, as written; the tables in src/meta/pi.c name them.
 */
struct pi_person { struct text name, role, group, img, href; };
struct pi_location { struct text name, rel, geo, osm, country; };
struct pi_license { struct text name, url; };
struct pi_txt { struct text text, purpose; };
struct pi_funding { struct text text, url; };
struct pi_remote { struct text feed_guid, feed_url, item_guid, medium,
                   title; };
struct pi_soundbite { struct text title, start, duration; };
struct pi_social { struct text protocol, uri, account_id, account_url,
                   priority; };
struct pi_block { struct text value, id; };
struct pi_update { struct text text, rrule, complete, dtstart; };
struct pi_trailer { struct text title, url, pubdate, length, type,
                    season; };
struct pi_recipient { struct text name, type, address, split, fee,
                      custom_key, custom_value; };

/*
 * podcast:valueTimeSplit: from start for duration seconds, the payments
 * go to 'remote' (a remoteItem's value block, remote_percentage of them)
 * or to 'recipients' instead of the value block's own.
 */
struct pi_timesplit {
    struct text start, duration, remote_start, remote_percentage;
    struct pi_remote remote;        /* set when any member is */
    PI_LIST(pi_recipient, recipients);
    struct srcpos pos;              /* the record's line */
};

/* podcast:value: how listeners pay (value for value), never sent. */
struct pi_value {
    struct text type, method, suggested;
    PI_LIST(pi_recipient, recipients);
    PI_LIST(pi_timesplit, timesplits);
    bool set;                       /* "value:" was given, or read */
    struct srcpos pos;
};

/*
 * podcast:image (and the srcset of podcast:images): 'href' as written, a
 * file next to the artwork or an https URL; width, height and type as
 * written, else from the file's header (build).
 */
struct pi_image {
    struct text href, alt, aspect_ratio, width, height, type, purpose;
    char *path;             /* "feed/cover-wide.jpg"; NULL for a URL */
    char *url;              /* its public URL */
    int file_width, file_height;    /* the file's, probed; 0 unknown */
    const char *file_type;  /* static MIME type of the file, or NULL */
};

extern const struct pi_kind pi_person_kind, pi_location_kind,
    pi_license_kind, pi_txt_kind, pi_funding_kind, pi_remote_kind,
    pi_soundbite_kind, pi_social_kind, pi_block_kind, pi_update_kind,
    pi_trailer_kind, pi_recipient_kind, pi_timesplit_kind, pi_value_kind,
    pi_image_kind;

/* The show's namespace tags (feed/podcast.yaml, or a feed's channel). */
struct pi_show {
    PI_LIST(pi_person, persons);
    PI_LIST(pi_txt, txts);
    PI_LIST(pi_funding, funding);
    PI_LIST(pi_remote, podroll);
    PI_LIST(pi_block, blocks);      /* podcast:block; no id: everywhere */
    PI_LIST(pi_trailer, trailers);  /* a read feed's (podpub writes its
                                       episodes of type: trailer) */
    struct pi_location location;    /* set when location.name.s */
    struct pi_license license;      /* set when license.name.s */
    struct text medium;
    struct pi_update update;        /* set when any member is */
    struct pi_value value;
    PI_LIST(pi_image, images);
    bool update_auto;               /* update_frequency: auto */
    struct flag complete;           /* itunes:complete Yes */
    struct flag hide_email;         /* owner.hide_email: no itunes:email */
    struct flag chapters_in_notes;  /* chapter times at the end of notes */
    struct text itunes_block, itunes_complete;  /* a read feed's, as
                                                   written */
};

/* An episode's namespace tags (front matter, or a feed's item). */
struct pi_episode {
    PI_LIST(pi_person, persons);    /* replace the show's */
    PI_LIST(pi_txt, txts);
    PI_LIST(pi_soundbite, soundbites);
    PI_LIST(pi_social, socials);
    struct pi_location location;
    struct pi_license license;
    struct text season_name;        /* podcast:season name="" */
    struct text episode_display;    /* podcast:episode display="" */
    struct pi_value value;          /* replaces the show's */
    /* value_time_splits: go into 'value' (a copy of the show's if the
       episode has none of its own) */
    PI_LIST(pi_image, images);
    struct flag block;              /* itunes:block Yes */
    struct text itunes_block;       /* a read feed's, as written */
};

/*
 * A transcript of an episode: "transcript: FILE" (one) or "transcripts:"
 * ({file, language, rel: captions} each); in a read feed, a
 * podcast:transcript as written ('file' its url).
 */
struct transcript {
    struct text file;       /* relative to episodes/, or a feed's url */
    struct text type;       /* MIME type: from the extension, or as written */
    struct text language;   /* NULL: the show's */
    struct text rel;        /* "captions", or NULL */
    char *path;             /* "episodes/001-milas.vtt"; NULL in a feed */
    char *url;              /* its public URL (show_fill_urls()) */
};

enum episode_type { EPISODE_FULL, EPISODE_TRAILER, EPISODE_BONUS };

/*
 * Show notes rendered from Markdown (the Markdown itself is not kept:
 * nothing reads it after the rendering).
 */
struct notes {
    char *html;         /* cmark, safe mode: raw HTML dropped */
    char *text;         /* plain text, paragraphs separated by blank lines */
    int line;           /* the line the notes start on */
    /*
     * html and text are read-only strings in the episode cache's mapping
     * (the show's cache_map), not the episode's to free or change.
     */
    bool borrowed;
};

/*
 * What the probe found, filled by the build; or, for audio hosted
 * elsewhere (audio_url:), what the episode file records.
 */
struct media_facts {
    bool probed;        /* the facts are known (probed or recorded) */
    int64_t duration_ms;
    uint64_t size;
    const char *mime;   /* static string */
    bool loud;          /* the loudness was measured: */
    double lufs;        /* integrated, LUFS (-INFINITY: silent) */
    double lra;         /* loudness range, LU */
    double true_peak;   /* dBTP */
};

/*
 * A lighter copy of an episode's audio (the show's "alternates:"), made
 * by the build into public/alt/ and listed as podcast:alternateEnclosure.
 */
struct episode_alt {
    const struct alternate *alt;    /* the show's setting it was made for */
    char *key;          /* "alt/001-milas-24k.opus": under base_url */
    char *path;         /* the file: "public/alt/001-milas-24k.opus" */
    char *cached;       /* the transcode it is linked from, in .podpub/ */
    char *url;          /* its public URL */
    char *title;        /* "Opus 24 kbit/s" */
    uint64_t size;
    int64_t duration_ms;
    int64_t bit_rate;   /* bits per second, as probed */
    const char *mime;   /* static string */
    char sha256[65];    /* hex */
};

struct episode {
    char *path;         /* "episodes/001-milas.md" */
    char *name;         /* "001-milas" */
    struct text title, guid, audio, summary, image, link;
    struct transcript *transcripts;     /* podcast:transcript, in order */
    size_t transcripts_nr;
    /*
     * Audio hosted elsewhere, instead of 'audio': its absolute URL, with
     * the facts recorded next to it (bytes:, duration:, audio_type:) in
     * 'media', which is then known without a local file.
     */
    struct text audio_url;
    struct text chapters_file;  /* "chapters: 001.json", relative path */
    struct chapter *chapters;   /* front matter or JSON; else the audio's */
    size_t chapters_nr;
    struct pp_date date;
    struct srcpos date_pos;
    struct number season, episode;
    enum episode_type type;
    struct srcpos type_pos;
    struct flag explicit, draft;
    struct notes notes;
    char *audio_path;       /* "episodes/001-milas.mp3": the file to open */
    char *image_path;       /* likewise, or NULL */
    char *chapters_path;    /* likewise, or NULL */
    struct media_facts media;
    struct episode_alt *alts;   /* made by the build, one per alternate */
    size_t alts_nr;
    /*
     * Public URLs (show_fill_urls(), from base_url), or as read from a
     * feed: the audio, the artwork, the transcript, the chapters JSON,
     * the episode's anchor on index.html. What else a read feed says as
     * written is in its struct feed_item (feedread.h).
     */
    char *enclosure_url;
    char *image_url, *chapters_url, *page_url;
    bool invalid;       /* had errors (reported): not to be probed or built */
    /*
     * The audio file as show_validate() found it, so that the probe
     * cache is asked without a second stat() (the build's, never cached).
     */
    bool audio_id_set;
    struct fileid audio_id;
    struct pi_episode pi;   /* Podcast Index namespace tags (pi.c) */
};

/*
 * "loudness:": what the episodes' loudness should be, for the check rules
 * and `podpub normalize`. Apple's recommendation unless set; "off"
 * measures nothing.
 */
struct loudness_goal {
    bool off;
    double target;      /* integrated, LUFS (default -16) */
    double tolerance;   /* LU either side (default 1) */
    double true_peak;   /* the highest true peak, dBTP (default -1) */
    struct srcpos pos;  /* where it was written (else the show file) */
};

/* One of "alternates:": a codec and bit rate to transcode episodes to. */
struct alternate {
    char *codec;        /* "opus" or "aac" */
    int64_t bitrate;    /* bits per second */
    struct srcpos pos;
};

/* A "links:" entry: where else to subscribe (apple, spotify, ...). */
struct show_link {
    char *key;
    struct text url;
};

struct show {
    char *path;             /* "feed/podcast.yaml" */
    struct text title, description, language, link, author, owner_name,
                owner_email, image, copyright, base_url, feed_url, timezone,
                guid, publish_target, publish_logs;
    /*
     * publish.podping: {token_env, url}: the environment variable that
     * holds the podping token (never the token itself) and the podping
     * server (default PODPING_URL); podcast:podping usesPodping="true".
     */
    struct text podping_env, podping_url;
    /*
     * Moving: 'moved_to' is the feed URL the show moves to
     * (itunes:new-feed-url, while leaving); 'moved_from' the feed URL it
     * came from (written by podpub import), which must now redirect here.
     */
    struct text moved_to, moved_from;
    struct text *notify;
    size_t notify_nr;
    struct category *categories;
    size_t categories_nr;
    struct show_link *links;
    size_t links_nr;
    struct flag explicit, locked;
    bool serial;            /* itunes:type serial (else episodic) */
    struct srcpos type_pos;
    char *image_path;       /* "feed/cover.jpg", or NULL */
    char *image_url;        /* its public URL, or itunes:image of a feed */
    char *page_url;         /* index.html's URL (show_fill_urls()) */
    char *archive_url;      /* feed-all.xml's URL, used with feed_limit */
    int feed_limit;         /* keep only the newest N in feed.xml (0: all) */
    struct srcpos feed_limit_pos;
    char **check_ignore;    /* check.ignore: rule ids not to report */
    size_t check_ignore_nr;
    struct loudness_goal loudness;
    struct alternate *alternates;
    size_t alternates_nr;
    /*
     * The folders files may come from: the show's folder (added by
     * show_load()) and media_roots, resolved. A file an episode names
     * that resolves anywhere else is refused, symlinks or not.
     */
    struct path_roots roots;
    bool file_ok;           /* the show file itself had no input error */
    uint64_t file_hash;     /* pp_hash64() of the show file's bytes */
    /*
     * Set by the caller before show_load(): read and update
     * PP_EPISODE_CACHE (parsed episodes) instead of parsing every file.
     */
    bool episode_cache;
    size_t episodes_cached; /* show_load(): episodes the cache gave */
    /*
     * The episode cache as mapped by show_load(), kept while episodes'
     * notes point into it (struct notes' 'borrowed'); show_release()
     * unmaps it after the episodes.
     */
    void *cache_map;
    size_t cache_map_len;
    size_t episodes_unread; /* of those, without reading their files */
    bool episodes_listed;   /* show_load(): episodes/ not read, its
                               listing kept from the last reading */

    struct pi_show pi;          /* Podcast Index namespace tags (pi.c) */

    struct episode *episodes;   /* sorted by file name */
    size_t nr, alloc;
};

/*
 * Reads PP_SHOW_FILE and every episodes/NNN-*.md below the current directory
 * into 'show' (which the caller has zeroed). Every problem is reported
 * (input_error()), not only the first; returns 0 when there were none,
 * else PP_ERR_INPUT (or PP_ERR_IO when a file could not be read for other
 * reasons). Free with show_release() either way.
 */
int show_load(struct show *show);

/* Reads only the show file into 'show'. Returns as show_load(). */
int show_parse_file(struct show *show, const char *path);

/*
 * Parses 'len' bytes of 'buf' as the show file 'path' (for tests and the
 * fuzzer: no file is read). Returns 0 or PP_ERR_INPUT (printed).
 */
int show_parse_buffer(struct show *show, const char *path, const char *buf,
                      size_t len);

/*
 * Parses an episode from 'len' bytes of 'buf' as if read from 'path'
 * (front matter, notes). 'show' supplies the time zone and is not
 * changed. Checks the fields but not the files they name. Returns 0 or
 * PP_ERR_INPUT (printed); the caller frees 'ep' with episode_release().
 */
int episode_parse_buffer(const struct show *show, const char *path,
                         const char *buf, size_t len, struct episode *ep);

/*
 * Checks what needs the whole show: unique GUIDs, unique numbers in a
 * season, files named by episodes present, regular and inside
 * show->roots, transcripts that hold what their extension says. Returns
 * 0 or PP_ERR_INPUT.
 */
int show_validate(struct show *show);

/*
 * Computes every public URL of the show and its episodes from base_url
 * (again, when base_url changed): show->image_url, page_url and
 * archive_url; each episode's enclosure_url, image_url, transcripts' url,
 * chapters_url and page_url. The one place URLs are made; the feed, the
 * page and publishing read them.
 */
void show_fill_urls(struct show *show);
/*
 * The public URL of the file 'rel' (a path relative to base_url, as a
 * key at the publishing target): base_url + 'rel' percent-encoded, or
 * NULL without either. The caller frees it.
 */
char *show_file_url(const struct show *show, const char *rel);

/*
 * True when the publish.notify URL 'url' is a WebSub hub (a form POST,
 * and atom:link rel="hub" in the feed); false for a ping URL such as
 * Podcast Index's pubnotify (a GET naming the feed).
 */
bool notify_is_hub(const char *url);

/* Where podping notifications go unless publish.podping.url says. */
#define PODPING_URL "https://podping.cloud/"

/* The same for one episode 'ep' of 'show' (which may hold it or not). */
void episode_fill_urls(const struct show *show, struct episode *ep);

/* Frees 'ep's transcripts. */
void transcripts_free(struct episode *ep);

/* Free the Podcast Index records of a show and of an episode. */
void pi_show_release(struct pi_show *pi);
void pi_episode_release(struct pi_episode *pi);

/*
 * Appends an empty record of 'kind' to the list '*items' of '*nr' and
 * returns it (zeroed). For readers that fill records one at a time.
 */
void *pi_list_add(const struct pi_kind *kind, void **items, size_t *nr);

/* Frees the texts of the '*nr' records of 'kind' in '*items', and them. */
void pi_list_free(const struct pi_kind *kind, void **items, size_t *nr);

/* Frees the texts of one record of 'kind'. */
void pi_rec_release(const struct pi_kind *kind, void *rec);

/* Frees a value block: its recipients and time splits. */
void pi_value_release(struct pi_value *v);

/* Frees the '*nr' images '*images' (paths and URLs too). */
void pi_images_free(struct pi_image **images, size_t *nr);

void episode_release(struct episode *ep);
void show_release(struct show *show);

/*
 * True when category 'name' (with subcategory 'sub', which may be NULL) is
 * on Apple's list. Otherwise '*suggestion' is the likely intended
 * "Category/Subcategory" (a retired name's replacement, a case or spelling
 * fix), which the caller frees, or NULL.
 */
bool apple_category_valid(const char *name, const char *sub,
                          char **suggestion);

/* True when "Category/Sub" 'full' is a name Apple retired (pre-2019). */
bool apple_category_retired(const char *full);

/*
 * Renders Markdown 'md' into 'notes' (html and text); the notes take a
 * copy of 'md'.
 */
void notes_render(struct notes *notes, const char *md, size_t len);

/*
 * Reads the Podcast Index JSON chapters file 'ep->chapters_path', open
 * as 'fd', into 'ep->chapters'. Returns 0 or PP_ERR_INPUT (printed, with
 * the JSON's line and column).
 */
int episode_load_chapters(struct episode *ep, int fd);

/*
 * Reads the transcript 't' open as 'fd' and checks that it holds what
 * its type says (WebVTT, SubRip, Podcast Index JSON, UTF-8 text).
 * Returns 0 or PP_ERR_INPUT (printed at the transcript's field;
 * 't->path' names the file, 't->type.s' is its MIME type).
 */
int transcript_check(const struct transcript *t, int fd);

/*
 * Replaces the value of the front-matter field 'field' (as read from the
 * episode file 'path', which gives its position) with 'value', written as
 * a double-quoted YAML scalar, keeping every other byte of the file;
 * atomically. Refuses (PP_ERR_INPUT, printed) when the file no longer
 * holds the value there. Returns 0, or PP_ERR_IO (printed).
 */
int episode_set_text(const char *path, const struct text *field,
                     const char *value);

/* Frees 'ep's alternates (ep->alts). */
void episode_clear_alts(struct episode *ep);

/* Frees 'ep's chapters. */
void episode_clear_chapters(struct episode *ep);

/*
 * Parses a chapter time "MM:SS", "H:MM:SS" or a number of seconds, each
 * with optional fractions, into milliseconds. Returns 0 or -1.
 */
int chapter_time_parse(const char *s, int64_t *ms);

/*
 * The explicit flag of 'ep': its own, or the show's when it sets none.
 */
bool episode_explicit(const struct show *show, const struct episode *ep);

#endif
