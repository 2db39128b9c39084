/*
 * The fast paths: exact durations read from frame headers and container
 * tables, without demuxing every packet through libavformat (internal to
 * src/probe). libavformat has already said what the file is; a fast path
 * only measures it, and hands back to the packet walk whenever what it
 * finds is not what it knows how to read.
 */
#ifndef PODPUB_PROBE_FAST_H
#define PODPUB_PROBE_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"
#include "internal.h"

/*
 * A file being measured: a file descriptor read with pread() through one
 * growing window, bytes already in memory (the fuzzer, tests), or a
 * reader function (a remote file's ranged reads). Only the bytes asked
 * for are read, and they are counted.
 */
struct fsrc {
    int fd;                     /* -1 when 'mem' or 'read' has the file */
    const uint8_t *mem;
    /* Up to 'len' bytes at 'off' into 'buf': how many, or < 0. */
    int64_t (*read)(void *arg, uint64_t off, void *buf, size_t len);
    void *read_arg;
    uint64_t size;
    uint8_t *buf;               /* the window: file bytes [off, off + len) */
    size_t len, alloc;
    uint64_t off;
    uint64_t bytes_read;        /* read from the file so far */
    bool failed;                /* a read failed (not just the end) */
};

/* The largest span fsrc_get() hands out: a bound on untrusted sizes. */
#define FSRC_MAX_SPAN (64u << 20)

/* Sets up 's' to read the open file 'fd' of 'size' bytes (borrowed). */
void fsrc_init_fd(struct fsrc *s, int fd, uint64_t size);

/* Sets up 's' to read the 'size' bytes at 'mem' (borrowed). */
void fsrc_init_mem(struct fsrc *s, const uint8_t *mem, uint64_t size);

/* Sets up 's' to read a file of 'size' bytes with 'read' (and 'arg'). */
void fsrc_init_fn(struct fsrc *s,
                  int64_t (*read)(void *arg, uint64_t off, void *buf,
                                  size_t len),
                  void *arg, uint64_t size);

/*
 * Copies up to 'len' bytes at 'off' into 'buf', past the window (for
 * libavformat's reads): returns how many (0 at the end), or -1.
 */
int64_t fsrc_pread(struct fsrc *s, uint64_t off, void *buf, size_t len);

/* Frees the window; the file descriptor stays open. */
void fsrc_release(struct fsrc *s);

/*
 * Returns the 'len' bytes at offset 'off', valid until the next call on
 * 's', or NULL when the file has fewer bytes there, 'len' exceeds
 * FSRC_MAX_SPAN, or a read fails (then 'failed' is set).
 */
const uint8_t *fsrc_get(struct fsrc *s, uint64_t off, size_t len);

/*
 * As fsrc_get(), but hands out at most 'want' bytes and at least one:
 * '*got' says how many (fewer only at the end of the file).
 */
const uint8_t *fsrc_some(struct fsrc *s, uint64_t off, size_t want,
                         size_t *got);

/* What a fast path measured. */
struct fast_result {
    int64_t duration_ms;        /* > 0 */
    enum probe_method method;
    bool truncated;             /* the header promised more than is there */
    int64_t header_ms;          /* what it promised, when truncated */
};

/* What libavformat found, for a fast path to check against. */
struct fast_input {
    const char *path;           /* for messages */
    const char *codec;          /* libavcodec's name: "mp3", "aac", ... */
    int sample_rate, channels;
};

enum {
    FAST_OK = 0,                /* 'r' is filled in */
    FAST_FALLBACK = 1,          /* not a structure this path reads */
};

/*
 * One fast path per container, behind this table: measure() returns
 * FAST_OK, FAST_FALLBACK, or a negative PP_ERR_* after appending a message
 * starting with the path to 'msg' (a file it can say is not playable).
 */
struct fast_ops {
    const char *container;      /* the media table's: "mp3", "aac", ... */
    int (*measure)(struct fsrc *src, const struct fast_input *in,
                   struct fast_result *r, struct strbuf *msg);
};

extern const struct fast_ops fast_mp3_ops;     /* fast_mp3.c */
extern const struct fast_ops fast_adts_ops;    /* fast_adts.c */
extern const struct fast_ops fast_mp4_ops;     /* fast_mp4.c */
extern const struct fast_ops fast_flac_ops;    /* fast_flac.c */
extern const struct fast_ops fast_wav_ops;     /* fast_wav.c */
extern const struct fast_ops fast_ogg_ops;     /* fast_ogg.c */

/* Big-endian and little-endian reads. */
static inline uint32_t fast_be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t fast_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t fast_be64(const uint8_t *p)
{
    return (uint64_t)fast_be32(p) << 32 | fast_be32(p + 4);
}

static inline uint32_t fast_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
           (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t fast_le64(const uint8_t *p)
{
    return (uint64_t)fast_le32(p + 4) << 32 | fast_le32(p);
}

/*
 * Resynchronisation over junk: the first offset in [pos, limit) holding a
 * 0xff byte at which 'ok' accepts a frame (it is given the offset and
 * 'arg'), or 'end' when there is none before 'limit' or 'end' - 'min'.
 */
uint64_t fast_resync(struct fsrc *src, uint64_t pos, uint64_t end,
                     uint64_t limit, size_t min,
                     bool (*ok)(struct fsrc *src, uint64_t pos, void *arg),
                     void *arg);

/* Milliseconds in 'samples' at 'rate', rounded to nearest. */
int64_t fast_ms(int64_t samples, int64_t rate);

/*
 * Where the audio of an MP3 or ADTS file starts and ends: past the ID3v2
 * tags at the start (with their footers) and before the ID3v1, APE and
 * Lyrics3 tags at the end. Returns false when the tags leave nothing.
 */
bool fast_tag_bounds(struct fsrc *src, uint64_t *start, uint64_t *end);

/*
 * True when 'src' starts like an MP4 file (an ftyp box) whose top-level
 * boxes run past its end, or that has media data but no moov box: an MP4
 * cut off before it was complete (fast_mp4.c).
 */
bool mp4_cut_off(struct fsrc *src);

/*
 * For an MP4 file with one audio track whose tables the fast path reads:
 * what libavformat is to read in place of its moov box, '*len' bytes from
 * '*at' (malloc'd; NULL for any other file). It is moov with that track's
 * sample tables (which grow with its length: libavformat indexes every
 * sample) made one sample as long and as large as all of them, followed
 * by the header of a free box over the rest of the old moov. Everything
 * libavformat reports but the track's length and index (codec, rate,
 * channels, bit rate, chapters, tags) it then reads as from the file
 * (fast_mp4.c).
 */
uint8_t *mp4_light_moov(struct fsrc *src, uint64_t *at, size_t *len);

/* True when the first MP3 frame of 'src' is free-format (fast_mp3.c). */
bool mp3_free_format(struct fsrc *src);

#endif
