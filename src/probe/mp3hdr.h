/*
 * MP3 frame headers, and the facts libavformat does not hand out: the
 * Xing/Info or VBRI header's frame and byte counts and the LAME tag's
 * encoder delay and padding (internal to src/probe).
 */
#ifndef PODPUB_PROBE_MP3HDR_H
#define PODPUB_PROBE_MP3HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fsrc;

/* One MPEG audio layer III frame header. */
struct mp3_frame {
    int version;            /* 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5 */
    int sample_rate;
    int samples;            /* per frame: 1152 or 576 */
    uint32_t bytes;         /* the frame's length; 0: free format */
    bool mono, crc;
};

/*
 * Parses the 4 bytes at 'p' as a layer III frame header into 'f'; false
 * when they are not one (a free-format header is one, with 'bytes' 0).
 */
bool mp3_frame_header(const uint8_t *p, struct mp3_frame *f);

/* True when 'a' and 'b' are headers of one stream (version, layer, rate). */
bool mp3_same_stream(const uint8_t *a, const uint8_t *b);

struct mp3_header {
    uint64_t audio_start;   /* offset of the first MPEG frame */
    int sample_rate;
    int samples_per_frame;
    uint32_t frames;        /* 0: no Xing/Info/VBRI frame count */
    uint32_t bytes;         /* 0: not given */
    bool tag_frame;         /* the first frame holds Xing/Info/VBRI */
    bool has_lame;          /* a LAME/Lavc tag with delay and padding */
    int start_pad, end_pad; /* encoder delay and padding, in samples */
};

/*
 * Parses the header of the MP3 file 'src': skips ID3v2 tags, finds the
 * first frame and reads its Xing/Info/VBRI and LAME data. Returns 0, or -1
 * when the start of the file is not MPEG audio layer III.
 */
int mp3_header_read(struct fsrc *src, struct mp3_header *h);

/* Parses the same from the 'len' bytes at the start of a file. */
int mp3_header_parse(const uint8_t *buf, size_t len, uint64_t file_offset,
                     struct mp3_header *h);

/*
 * The number of samples a full decode with FFmpeg yields: the frames less
 * the encoder delay and padding the LAME tag declares, trimmed as FFmpeg's
 * MP3 decoder trims them (it also drops its own 529-sample delay).
 */
int64_t mp3_header_samples(const struct mp3_header *h);

/* The same, unclamped: with 'frames' 0, minus the samples trimmed. */
int64_t mp3_header_samples_trim(const struct mp3_header *h);

#endif
