/*
 * Probing audio files with libavformat: duration, exact byte size, the
 * MIME type an enclosure needs, and codec facts for `podpub probe`.
 */
#ifndef PODPUB_PROBE_H
#define PODPUB_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "podpub/fileid.h"
#include "podpub/json.h"
#include "podpub/strbuf.h"
#include "podpub/util.h"

/*
 * How a duration was measured. The values are stored in the probe cache:
 * add new ones at the end.
 */
enum probe_method {
    PROBE_CONTAINER,   /* the container's own duration, trusted as exact */
    PROBE_MP3_HEADER,  /* MP3 Xing/Info/VBRI frame count, less LAME padding */
    PROBE_PACKETS,     /* the span of the demuxed packets (no decoding) */
    PROBE_MP3_FRAMES,  /* MP3 frame headers walked and counted */
    PROBE_ADTS_FRAMES, /* ADTS AAC frame headers walked and counted */
    PROBE_MP4_TABLES,  /* MP4 sample tables, edit list and priming */
    PROBE_FLAC_FRAMES, /* FLAC STREAMINFO checked against the last frame */
    PROBE_WAV_SIZE,    /* WAV data size (or the file's) over block size */
    PROBE_OGG_GRANULE, /* Ogg first and last granule positions, pre-skip */
};
#define PROBE_METHOD_LAST PROBE_OGG_GRANULE

/* A chapter marker embedded in the audio (ID3v2 CHAP, MP4 chapters). */
struct audio_chapter {
    int64_t start_ms;
    char *title;                /* owned; "" when the chapter has none */
};

/*
 * Loudness per EBU R128 (ITU-R BS.1770-4), measured by decoding the whole
 * file: integrated loudness in LUFS, loudness range in LU, true peak in
 * dBTP (4x oversampled). A silent file's integrated loudness is
 * -INFINITY.
 */
struct loudness {
    bool measured;
    double integrated, range, true_peak;
};

struct audio_info {
    int64_t duration_ms;
    uint64_t size;              /* bytes, from stat() */
    const char *mime;           /* static: "audio/mpeg", ... */
    const char *container;      /* static: "mp3", "mp4", "ogg", ... */
    char codec[32];             /* "mp3", "aac", "opus", ... */
    int sample_rate, channels;
    int64_t bit_rate;           /* bits per second, 0 when unknown */
    enum probe_method method;
    bool truncated;             /* the header promised more than is there */
    int64_t header_ms;          /* what the header promised, if truncated */
    struct audio_chapter *chapters;   /* owned, in the file's order */
    size_t chapters_nr;
    struct fileid key;          /* the file probed */
    struct loudness loudness;   /* with PROBE_LOUDNESS, or from the cache */
    /* A URL, probed with ranged reads (never its loudness): */
    bool remote;
    bool whole;                 /* the server ignored Range: read whole */
    uint64_t fetched;           /* bytes received, in 'requests' */
    unsigned long requests;
    char served_type[64];       /* the Content-Type sent, no parameters */
};

/* Frees the chapters of 'info'; accepts a zeroed info. */
void audio_info_release(struct audio_info *info);

/* Copies 'src' into 'dst', chapters included (free with the above). */
void audio_info_copy(struct audio_info *dst, const struct audio_info *src);


/* How many audio files probe_audio() has opened in this process. */
unsigned long probe_files_opened(void);

/* The tags of an audio file that `podpub add` takes as defaults. */
struct audio_tags {
    char *title, *artist, *date;    /* owned; NULL when absent */
    int track, disc;                /* 0 when absent */
};

/*
 * Reads the tags of 'path' (ID3v2, MP4, Vorbis comments) into 'tags'.
 * Returns 0, or PP_ERR_INPUT / PP_ERR_IO (printed) if it cannot be opened
 * as audio. Free with audio_tags_release().
 */
int probe_audio_tags(const char *path, struct audio_tags *tags);

void audio_tags_release(struct audio_tags *tags);

/* What podpub reads from artwork. */
struct image_info {
    const char *format;         /* static: "jpeg" or "png" by content;
                                   NULL when it is neither */
    const char *content;        /* static, for messages: "a JPEG image",
                                   "a WebP image", "not an image" */
    bool extension_ok;          /* the name's extension fits the content */
    int width, height;          /* 0 when unknown */
    const char *colour;         /* static: "rgb", "greyscale", "cmyk",
                                   "rgb+alpha", "greyscale+alpha",
                                   "palette", "unknown" */
    char pix_fmt[32];           /* libavutil's name for what FFmpeg
                                   decodes it to, e.g. "yuvj444p"; "?"
                                   for rare layouts */
    uint64_t size;              /* bytes */
};

/*
 * Probes the image 'path': the format by its first bytes (not its name),
 * then dimensions, pixel format and colour model from the JPEG frame
 * header or PNG header (no FFmpeg: reading headers is enough). A file
 * that is not JPEG or PNG, or whose extension does not fit, is described
 * in 'info', not refused: the check rules judge it. Fails only when the
 * file cannot be read: then appends the message, starting with 'path', to
 * 'msg' (or prints it when 'msg' is NULL) and returns PP_ERR_INPUT or
 * PP_ERR_IO; else 0.
 */
int probe_image(const char *path, struct image_info *info,
                struct strbuf *msg);

/*
 * Appends to 'out' the artwork rules 'info' breaks (square, 1400 to 3000
 * pixels, RGB, at most 512 KB), separated by "; ". Returns how many.
 */
int image_warnings(const struct image_info *info, struct strbuf *out);

/* Appends 'info' for 'path' to 'out' as text lines. */
void image_info_text(struct strbuf *out, const char *path,
                     const struct image_info *info);

/* Writes 'info' for 'path' into 'j' as one JSON object. */
void image_info_json(struct json *j, const char *path,
                     const struct image_info *info);

/* True when 'path' names an image by its extension (.jpg, .jpeg, .png). */
bool is_image_name(const char *path);

/*
 * The probe cache: results keyed by path, size, mtime (ns) and inode, so
 * an unchanged show is rebuilt without opening its audio. It lives in one
 * file, written to a temporary name and renamed; a missing, damaged or
 * foreign file is an empty cache (and is replaced on save).
 */
struct probe_cache;

/* Loads the cache from 'path'. Never fails; the caller frees the result. */
struct probe_cache *probe_cache_load(const char *path);

/*
 * Finds 'file' as it is now on disk: true, with a copy in '*info', when
 * the cache holds it with the same size, mtime and inode.
 */
bool probe_cache_get(struct probe_cache *cache, const char *file,
                     struct audio_info *info);

/* probe_cache_get() with the file's identity, as a stat() just gave it. */
bool probe_cache_get_id(struct probe_cache *cache, const char *file,
                        const struct fileid *now, struct audio_info *info);

/* Records 'info' (which holds its key) for 'file'. */
void probe_cache_put(struct probe_cache *cache, const char *file,
                     const struct audio_info *info);

/*
 * Writes the cache back when it changed, keeping only the entries looked
 * up or put since it was loaded. Returns 0 or PP_ERR_IO (printed).
 */
int probe_cache_save(struct probe_cache *cache);

/* Frees 'cache'; accepts NULL. */
void probe_cache_free(struct probe_cache *cache);

/*
 * Probes the audio file 'path' for an exact duration (within 50 ms of a
 * full decode) without decoding: the container's duration where it is
 * exact, the MP3 header's frame count less the encoder's padding, or the
 * span of the demuxed packets where the container only estimates (VBR MP3
 * without a Xing header) or the file is shorter than its header says
 * (then 'truncated' is set and the playable part is measured). Refuses anything that is not a regular,
 * non-empty file holding an audio stream, and a file whose content does not
 * match its extension ("x.mp3" that is really MP4). Returns 0, or
 * PP_ERR_INPUT / PP_ERR_IO after printing one line naming 'path'.
 */
int probe_audio(const char *path, struct audio_info *info);

/*
 * Like probe_audio(), but on failure appends the message (which starts
 * with 'path') to 'msg' instead of printing it.
 */
int probe_audio_msg(const char *path, struct audio_info *info,
                    struct strbuf *msg);

/*
 * Flags for probe_audio_opts(). PROBE_EXACT_SLOW measures without the
 * fast paths (frame headers and container tables read by podpub): the
 * container's duration or libavformat's packet walk, as podpub did before
 * them; `podpub probe --exact-slow` and the tests use it as an oracle.
 */
#define PROBE_EXACT_SLOW 1u
/*
 * PROBE_LOUDNESS also decodes the whole file to measure its loudness
 * (probe_loudness()), the one step of probing that decodes.
 */
#define PROBE_LOUDNESS 2u
/*
 * PROBE_URLS takes a 'path' that starts like a URL for one (see
 * probe_audio_opts()); without it every 'path' is a local file, so that
 * only `podpub probe` reads the network.
 */
#define PROBE_URLS 4u

/*
 * Decodes the audio file 'path' (any format probe_audio() accepts) and
 * measures its loudness into 'out' with libebur128. Returns 0, or
 * PP_ERR_INPUT / PP_ERR_IO with the message (starting with 'path') in
 * 'msg', or printed when 'msg' is NULL.
 */
int probe_loudness(const char *path, struct loudness *out,
                   struct strbuf *msg);

/*
 * Formats a loudness figure: "-16.0" (one decimal, as meters show it),
 * or "-inf" for silence, into 'buf' of 'size' bytes; returns 'buf'.
 */
const char *loudness_str(double v, char *buf, size_t size);

/*
 * Writes the member 'key': {"integrated": ..., "range": ...,
 * "true_peak": ...} (two decimals; null for silence) into the object
 * open in 'j' when 'l' was measured, else nothing: the --json of probe,
 * list and normalize.
 */
void loudness_json(struct json *j, const char *key,
                   const struct loudness *l);

/*
 * probe_audio_msg() with 'flags' (PROBE_*). With PROBE_URLS, a 'path'
 * that starts like a URL ("scheme://") is one: an http or https URL is read with ranged GETs
 * through a block cache (include/podpub/range.h), so that only the
 * headers and tables the fast paths and libavformat read are fetched
 * ('remote', 'fetched', 'requests' and 'whole' say how it went); any other
 * scheme is refused (PP_ERR_INPUT). A network failure, or a file that
 * changes while it is read, is PP_ERR_REMOTE with one line naming the
 * URL. PROBE_LOUDNESS is ignored for a URL: decoding would fetch it all.
 */
int probe_audio_opts(const char *path, struct audio_info *info,
                     struct strbuf *msg, unsigned flags);

/*
 * probe_audio_opts() of each of the 'nr' files 'paths' with 'flags', on
 * every core, one file each: into infos[i] and rets[i], a failure's
 * message into msgs[i] (which the caller has initialised). Free each
 * info with audio_info_release().
 */
void probe_audio_all(const char *const *paths, size_t nr, unsigned flags,
                     struct audio_info *infos, int *rets,
                     struct strbuf *msgs);

/*
 * Probes 'len' bytes of audio in memory as if they were the file 'name'
 * (its extension decides the expected format), through an in-memory
 * AVIOContext: for the fuzzer and tests. Returns as probe_audio_msg().
 */
int probe_audio_memory(const char *name, const uint8_t *data, size_t len,
                       struct audio_info *info, struct strbuf *msg);

/*
 * Runs only the fast path that the extension of 'name' selects on the
 * 'len' bytes at 'data', taking 'codec', 'sample_rate' and 'channels'
 * from 'info' as libavformat would have found them: for the fuzzer, to
 * reach the fast paths' parsers with files libavformat would refuse.
 * Returns 0 with 'duration_ms', 'method' and 'truncated' set in 'info',
 * 1 when the fast path hands over to the packet walk, or PP_ERR_INPUT
 * with a message in 'msg'.
 */
int probe_fast_memory(const char *name, const uint8_t *data, size_t len,
                      struct audio_info *info, struct strbuf *msg);

/* probe_audio_memory() with 'flags' (PROBE_*). */
int probe_audio_memory_opts(const char *name, const uint8_t *data,
                            size_t len, struct audio_info *info,
                            struct strbuf *msg, unsigned flags);

/*
 * Appends the warning 'info' deserves (a truncated file), starting with
 * 'path', to 'out' and returns true; false when there is none.
 */
bool probe_warning(const char *path, const struct audio_info *info,
                   struct strbuf *out);

/* The name of 'm' for output: "container", "packets", "mp3-frames"... */
const char *probe_method_name(enum probe_method m);

/* Appends 'info' for 'path' to 'out' as text lines. */
void audio_info_text(struct strbuf *out, const char *path,
                     const struct audio_info *info);

/* Writes 'info' for 'path' into 'j' as one JSON object. */
void audio_info_json(struct json *j, const char *path,
                     const struct audio_info *info);

#endif
