/*
 * Shared inside src/probe only.
 */
#ifndef PODPUB_PROBE_INTERNAL_H
#define PODPUB_PROBE_INTERNAL_H

#include <stdio.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"

/* Silences libavformat's own logging once (podpub reports problems). */
void probe_quiet_logs(void);

/*
 * Records a failure in 'msg', or prints it when 'msg' is NULL; returns
 * 'code'.
 */
int probe_fail(struct strbuf *msg, int code, const char *fmt, ...)
    PP_PRINTF(3, 4);

struct fsrc;
struct media_type;

/* The audio format 'path' names (in any case: "EP.MP3" too), or NULL. */
const struct media_type *probe_find_format(const char *path);

struct AVFormatContext;

/*
 * avformat_open_input() of the local file 'path', reading that file alone:
 * libavformat's file protocol only (no "concat:" or "http:" in a name),
 * and no other file or URL opened on the demuxer's behalf (an HLS
 * playlist's segments, an MP4's data references), which nothing here has
 * validated. '*fmt' may be allocated already (callbacks set). With
 * 'demuxer', that one reads it; NULL: libavformat's probe finds one.
 * Returns libavformat's code; on failure '*fmt' is freed.
 */
struct AVInputFormat;
int probe_open_local(struct AVFormatContext **fmt, const char *path,
                     const struct AVInputFormat *demuxer);

/*
 * The probe proper, of 'src' (set up by the caller, who releases it),
 * named 'path' in messages and expected to be of format 'f': the fields
 * of 'info' but 'size' and 'key', which the caller sets first. A source
 * without a file descriptor is read by libavformat through a custom
 * AVIOContext. Returns as probe_audio_msg(); 'flags' as
 * probe_audio_opts() (loudness aside: the caller measures it).
 */
int probe_source(const char *path, struct fsrc *src,
                 const struct media_type *f, struct audio_info *info,
                 struct strbuf *msg, unsigned flags);

/* probe_audio_opts() of an http(s) URL (remote.c). */
int probe_remote(const char *url, struct audio_info *info,
                 struct strbuf *msg, unsigned flags);

#endif
