/*
 * Probing audio files with libavformat: duration, exact byte size, the
 * MIME type an enclosure needs, and codec facts for `podpub probe`.
 */
#ifndef PODPUB_PROBE_H
#define PODPUB_PROBE_H

#include <stdint.h>
#include <stdio.h>

#include "podpub/strbuf.h"
#include "podpub/util.h"

enum probe_method {
    PROBE_CONTAINER,   /* the container's own duration, trusted as exact */
    PROBE_MP3_HEADER,  /* MP3 Xing/Info/VBRI frame count, less LAME padding */
    PROBE_PACKETS,     /* the span of the demuxed packets (no decoding) */
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
};

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
 * Appends the warning 'info' deserves (a truncated file), starting with
 * 'path', to 'out' and returns true; false when there is none.
 */
bool probe_warning(const char *path, const struct audio_info *info,
                   struct strbuf *out);

/* The name of 'm' for output: "container" or "packets". */
const char *probe_method_name(enum probe_method m);

/* Prints 'info' for 'path' as text lines, or as one JSON object. */
void audio_info_print(FILE *out, const char *path,
                      const struct audio_info *info, bool json);

#endif
