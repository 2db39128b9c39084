/*
 * Audio probing with libavformat (the only code that includes its headers).
 * The container's duration is trusted where libavformat computed it from
 * timestamps or headers; where it only guessed from the bit rate (VBR MP3
 * without a Xing header, for one), the packets are demuxed, not decoded,
 * and their durations summed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavformat/avformat.h>
#include <libavutil/avutil.h>

#include "podpub/json.h"
#include "podpub/media.h"
#include "podpub/probe.h"
#include "podpub/range.h"
#include "podpub/strbuf.h"
#include "fast.h"
#include "internal.h"
#include "mp3hdr.h"

/* The fast paths, one per container (fast_*.c). */
static const struct fast_ops *const fast_paths[] = {
    &fast_mp3_ops, &fast_mp4_ops, &fast_ogg_ops, &fast_flac_ops,
    &fast_wav_ops, &fast_adts_ops,
};

static const struct fast_ops *fast_path(const struct media_type *f)
{
    for (size_t i = 0; i < ARRAY_SIZE(fast_paths); i++)
        if (!strcmp(fast_paths[i]->container, f->container))
            return fast_paths[i];
    return NULL;
}

static pthread_once_t log_once = PTHREAD_ONCE_INIT;
static atomic_ulong files_opened;

unsigned long probe_files_opened(void)
{
    return atomic_load(&files_opened);
}

/* Copies the chapters libavformat found (ID3v2 CHAP, MP4 chapter track). */
static void read_chapters(const AVFormatContext *fmt, struct audio_info *info)
{
    if (!fmt->nb_chapters)
        return;
    info->chapters = xcalloc(fmt->nb_chapters, sizeof(*info->chapters));
    for (unsigned i = 0; i < fmt->nb_chapters; i++) {
        const AVChapter *ch = fmt->chapters[i];
        const AVDictionaryEntry *t = av_dict_get(ch->metadata, "title",
                                                 NULL, 0);
        struct audio_chapter *c = &info->chapters[info->chapters_nr++];
        const char *title = t && t->value ? t->value : "";
        size_t n;

        c->start_ms = av_rescale_q(ch->start, ch->time_base,
                                   (AVRational){ 1, 1000 });
        /*
         * Some editors (Hindenburg) write titles with the XML indentation
         * around them: "\n\t\t\t\tIntro".
         */
        while (isspace((unsigned char)*title))
            title++;
        n = strlen(title);
        while (n && isspace((unsigned char)title[n - 1]))
            n--;
        c->title = xstrndup(title, n);
    }
}

static void quiet_libav(void)
{
    /* podpub reports problems itself, one line per file. */
    av_log_set_level(pp_verbosity > 1 ? AV_LOG_WARNING : AV_LOG_QUIET);
}

void probe_quiet_logs(void)
{
    pthread_once(&log_once, quiet_libav);
}

const struct media_type *probe_find_format(const char *path)
{
    const struct media_type *f = media_of_name(path);

    return f && (f->uses & MEDIA_AUDIO) ? f : NULL;
}

/*
 * A bound on what libavformat may read without finding audio, so that a
 * sparse 20 GB file of zeros named .mp3 fails in a moment instead of being
 * read whole: libavformat polls this callback while it reads. It counts
 * the bytes read, not the read position: the MP3 demuxer seeks to the end
 * of the file for an ID3v1 tag, which in an 86 MB file is past any bound
 * on the position.
 */
#define GUARD_OPEN_BYTES (64 << 20)     /* to find the streams */
#define GUARD_GAP_BYTES (16 << 20)      /* between two packets */

struct read_guard {
    AVFormatContext *fmt;
    int64_t limit;                  /* bytes read not to pass */
    bool tripped;
};

static int guard_cb(void *opaque)
{
    struct read_guard *g = opaque;

    if (g->fmt && g->fmt->pb && g->fmt->pb->bytes_read > g->limit) {
        g->tripped = true;
        return 1;
    }
    return 0;
}

/* Lets the reading go on for 'GUARD_GAP_BYTES' more. */
static void guard_extend(AVFormatContext *fmt)
{
    struct read_guard *g = fmt->interrupt_callback.opaque;

    if (g && fmt->pb)
        g->limit = fmt->pb->bytes_read + GUARD_GAP_BYTES;
}

/*
 * The span of the packets of stream 'si', from the start of the first to
 * the end of the last, in milliseconds, into '*full'; and without the last
 * packet into '*but_last' (in a cut-off file the last packet is usually
 * partial). Both are -1 when no packet carried a timestamp.
 */
static void packet_span_ms(AVFormatContext *fmt, int si, int64_t *full,
                           int64_t *but_last)
{
    AVStream *st = fmt->streams[si];
    AVPacket *pkt = av_packet_alloc();
    int64_t first = AV_NOPTS_VALUE, end = AV_NOPTS_VALUE;
    int64_t prev_end = AV_NOPTS_VALUE;

    if (!pkt)
        die("out of memory");
    /* Back to the first packet (stream info reading consumed some). */
    avformat_seek_file(fmt, -1, INT64_MIN, INT64_MIN, 0, 0);
    guard_extend(fmt);
    while (av_read_frame(fmt, pkt) >= 0) {
        int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;

        guard_extend(fmt);   /* audio keeps coming: read on */
        if (pkt->stream_index == si && ts != AV_NOPTS_VALUE) {
            if (first == AV_NOPTS_VALUE || ts < first)
                first = ts;
            prev_end = end;
            if (end == AV_NOPTS_VALUE || ts + pkt->duration > end)
                end = ts + pkt->duration;
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    *full = *but_last = -1;
    if (first == AV_NOPTS_VALUE || end <= first)
        return;
    *full = av_rescale_q(end - first, st->time_base, (AVRational){ 1, 1000 });
    if (prev_end != AV_NOPTS_VALUE && prev_end > first)
        *but_last = av_rescale_q(prev_end - first, st->time_base,
                                 (AVRational){ 1, 1000 });
    else
        *but_last = *full;
}

/*
 * The audio stream's own duration in AV_TIME_BASE units where the
 * container states it exactly (an MP4's chapter track may run longer than
 * the audio, so not the file's longest stream), else the file's; 0 when
 * libavformat only estimated it from the bit rate.
 */
static int64_t container_duration(const AVFormatContext *fmt, int si)
{
    const AVStream *st = fmt->streams[si];

    if (fmt->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE)
        return 0;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        return av_rescale_q(st->duration, st->time_base, AV_TIME_BASE_Q);
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        return fmt->duration;
    return 0;
}

/*
 * The duration from the MP3 header, when it has a frame count and the file
 * holds the bytes it promises; otherwise leaves 'duration_ms' at 0 for a
 * packet scan (and marks a file that is shorter than its header says).
 */
static void mp3_duration(struct fsrc *src, struct audio_info *info,
                         struct mp3_header *hp)
{
    struct mp3_header h;
    int64_t ms;

    memset(hp, 0, sizeof(*hp));
    if (mp3_header_read(src, &h) < 0 || !h.frames || !h.sample_rate)
        return;
    *hp = h;
    ms = av_rescale(mp3_header_samples(&h), 1000, h.sample_rate);
    if (h.bytes) {
        uint64_t have = info->size - h.audio_start;
        uint64_t frame = h.bytes / h.frames + 1;

        /* Allow two frames of slack for tags and rounding. */
        if (have + 2 * frame < h.bytes) {
            info->truncated = true;
            info->header_ms = ms;
            return;
        }
        /*
         * Far more bytes than the header counts: MP3s joined with cat keep
         * the first file's header. Count the packets instead.
         */
        if (have > h.bytes + h.bytes / 50 + 4 * frame + 128 * 1024)
            return;
    }
    info->duration_ms = ms;
    info->method = PROBE_MP3_HEADER;
}

/*
 * True when a packet ending within 0.1 s of 'duration' (in AV_TIME_BASE
 * units) can be read: the data the header describes is really there.
 */
static bool end_is_readable(AVFormatContext *fmt, int si, int64_t duration)
{
    AVStream *st = fmt->streams[si];
    AVPacket *pkt = av_packet_alloc();
    int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    int64_t target = av_rescale_q(duration - 2 * AV_TIME_BASE > 0 ?
                                  duration - 2 * AV_TIME_BASE : 0,
                                  AV_TIME_BASE_Q, st->time_base) + start;
    /* The last packet ends at the stated length, give or take a frame. */
    int64_t want = av_rescale_q(duration - AV_TIME_BASE / 10,
                                AV_TIME_BASE_Q, st->time_base) + start;
    bool ok = false;

    if (!pkt)
        die("out of memory");
    if (av_seek_frame(fmt, si, target, AVSEEK_FLAG_BACKWARD) < 0) {
        av_packet_free(&pkt);
        return false;
    }
    guard_extend(fmt);
    while (av_read_frame(fmt, pkt) >= 0) {
        int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;

        if (pkt->stream_index == si && ts != AV_NOPTS_VALUE &&
            !(pkt->flags & AV_PKT_FLAG_CORRUPT) && ts + pkt->duration >= want) {
            ok = true;
            av_packet_unref(pkt);
            break;
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    return ok;
}

/* What a detected container is, in words a producer knows. */
static const char *content_label(const AVInputFormat *ifmt)
{
    const struct media_type *m = media_by_demuxer(ifmt->name);

    /* Other image demuxers than the table's (mjpeg, apng) say it too. */
    if (!m && strstr(ifmt->name, "jpeg"))
        m = media_by_ext("jpg");
    else if (!m && strstr(ifmt->name, "png"))
        m = media_by_ext("png");
    return m ? m->label : ifmt->long_name ? ifmt->long_name : ifmt->name;
}


int probe_audio_opts(const char *path, struct audio_info *info,
                     struct strbuf *msg, unsigned flags)
{
    const struct media_type *f;
    struct stat st;
    int ret, fd;

    if ((flags & PROBE_URLS) && looks_like_url(path))
        return probe_remote(path, info, msg, flags);
    probe_quiet_logs();
    memset(info, 0, sizeof(*info));
    /*
     * Open without blocking first: stat() alone would let a FIFO that
     * appears between the check and libavformat's open hang the build.
     * The descriptor stays open for the fast paths' reads.
     */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return probe_fail(msg, errno == ENOENT || errno == EACCES ?
                          PP_ERR_INPUT : PP_ERR_IO, "%s: cannot open: %s",
                          path, strerror(errno));
    if (fstat(fd, &st) < 0) {
        ret = probe_fail(msg, PP_ERR_IO, "%s: cannot stat: %s", path,
                         strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: not a regular file", path);
    } else if (st.st_size == 0) {
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: empty file", path);
    } else if (!(f = probe_find_format(path))) {
        struct strbuf want = STRBUF_INIT;

        media_list_exts(&want, MEDIA_AUDIO);
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: unsupported file type "
                         "(want %s)", path, want.buf);
        strbuf_release(&want);
    } else {
        struct fsrc src;

        info->size = (uint64_t)st.st_size;
        fileid_from_stat(&info->key, &st);
        fsrc_init_fd(&src, fd, info->size);
        ret = probe_source(path, &src, f, info, msg, flags);
        fsrc_release(&src);
    }
    close(fd);
    if (ret == 0 && (flags & PROBE_LOUDNESS) &&
        (ret = probe_loudness(path, &info->loudness, msg)) < 0)
        audio_info_release(info);
    return ret;
}

/*
 * libavformat's reads of a file that is not a path, or that it is to
 * read with other bytes in one place ('over': 'over_len' bytes at
 * 'over_at', mp4_light_moov()): through an fsrc.
 */
struct avsrc {
    struct fsrc *src;
    uint64_t pos;
    const uint8_t *over;
    uint64_t over_at;
    size_t over_len;
};

static int avsrc_read(void *opaque, uint8_t *buf, int size)
{
    struct avsrc *a = opaque;
    size_t want = (size_t)size;
    int64_t n;

    if (a->over && a->pos >= a->over_at &&
        a->pos - a->over_at < a->over_len) {
        n = (int64_t)(a->over_len - (a->pos - a->over_at));
        if (n > size)
            n = size;
        memcpy(buf, a->over + (a->pos - a->over_at), (size_t)n);
        a->pos += (uint64_t)n;
        return (int)n;
    }
    if (a->over && a->pos < a->over_at && a->over_at - a->pos < want)
        want = (size_t)(a->over_at - a->pos);
    n = fsrc_pread(a->src, a->pos, buf, want);

    if (n < 0)
        return AVERROR(EIO);
    if (n == 0)
        return AVERROR_EOF;
    a->pos += (uint64_t)n;
    return (int)n;
}

static int64_t avsrc_seek(void *opaque, int64_t offset, int whence)
{
    struct avsrc *a = opaque;
    int64_t size = (int64_t)a->src->size, base;

    if (whence == AVSEEK_SIZE)
        return size;
    base = (whence & ~AVSEEK_FORCE) == SEEK_CUR ? (int64_t)a->pos :
           (whence & ~AVSEEK_FORCE) == SEEK_END ? size : 0;
    if (base + offset < 0 || base + offset > size)
        return AVERROR(EINVAL);
    a->pos = (uint64_t)(base + offset);
    return (int64_t)a->pos;
}

/*
 * A file read through an fsrc (in memory, at a URL) opens no other: a
 * demuxer that would follow a reference (an HLS playlist's segments, an
 * MP4's data references) gets this refusal instead of libavformat's own
 * network or file access, which nothing here has validated.
 */
static int no_io_open(AVFormatContext *s, AVIOContext **pb, const char *url,
                      int flags, AVDictionary **options)
{
    (void)s;
    (void)pb;
    (void)url;
    (void)flags;
    (void)options;
    return AVERROR(EPERM);
}

/* The one file a local open may read, and whether it is open. */
struct local_open {
    const char *path;
    bool opened;
};

/* Opens 'url' for 's' only if it is the file being opened, once. */
static int local_io_open(AVFormatContext *s, AVIOContext **pb,
                         const char *url, int flags, AVDictionary **options)
{
    struct local_open *lo = s->opaque;
    AVDictionary *o = NULL;
    int ret;

    if (!lo || lo->opened || strcmp(url, lo->path) ||
        (flags & AVIO_FLAG_WRITE))
        return AVERROR(EPERM);
    lo->opened = true;
    if (options)
        av_dict_copy(&o, *options, 0);
    av_dict_set(&o, "protocol_whitelist", "file", 0);
    ret = avio_open2(pb, url, flags, &s->interrupt_callback, &o);
    av_dict_free(&o);
    /*
     * A demuxer that opens other files through a context of its own
     * (concat) copies this whitelist to it, not io_open: from now on it
     * lets no protocol through.
     */
    av_free(s->protocol_whitelist);
    if (!(s->protocol_whitelist = av_strdup("none")))
        die("out of memory");
    return ret;
}

/*
 * The demuxer of 'f' when the file plainly starts as its kind does (MP3:
 * two frames in a row past the ID3v2 tags; MP4: an ftyp box; Ogg: a page;
 * FLAC: its marker), so that libavformat need not try each of its
 * hundreds of demuxers on ever larger reads (a tenth of the time it takes
 * to open the benchmark's files); NULL otherwise, and its probe says what
 * the file is. WAV is left to the probe: ACT files start as WAV files do.
 */
static const AVInputFormat *plain_demuxer(struct fsrc *src,
                                          const struct media_type *f)
{
    const char *name = NULL;
    const uint8_t *p;

    if (!strcmp(f->container, "mp3")) {
        uint64_t start, end;
        struct mp3_frame a, b;
        uint8_t first[4];

        if (!fast_tag_bounds(src, &start, &end) || end - start < 8 ||
            !(p = fsrc_get(src, start, 4)) || !mp3_frame_header(p, &a) ||
            !a.bytes || end - start - 4 < a.bytes)
            return NULL;
        memcpy(first, p, 4);
        if ((p = fsrc_get(src, start + a.bytes, 4)) &&
            mp3_frame_header(p, &b) && mp3_same_stream(first, p))
            name = "mp3";
    } else if (src->size >= 8 && (p = fsrc_get(src, 0, 8))) {
        if (!strcmp(f->container, "mp4") && !memcmp(p + 4, "ftyp", 4))
            name = "mov";
        else if (!strcmp(f->container, "ogg") && !memcmp(p, "OggS", 4))
            name = "ogg";
        else if (!strcmp(f->container, "flac") && !memcmp(p, "fLaC", 4))
            name = "flac";
    }
    return name ? av_find_input_format(name) : NULL;
}

int probe_open_local(AVFormatContext **fmt, const char *path,
                     const AVInputFormat *demuxer)
{
    struct local_open lo = { path, false };
    int ret;

    if (!*fmt && !(*fmt = avformat_alloc_context()))
        die("out of memory");
    (*fmt)->io_open = local_io_open;
    (*fmt)->opaque = &lo;
    if (!((*fmt)->protocol_whitelist = av_strdup("file")))
        die("out of memory");
    ret = avformat_open_input(fmt, path, demuxer, NULL);
    /* Reading it needs no other file: nothing more may be opened. */
    if (ret >= 0)
        (*fmt)->io_open = no_io_open;
    if (*fmt)
        (*fmt)->opaque = NULL;
    return ret;
}

int probe_audio_memory_opts(const char *name, const uint8_t *data,
                            size_t len, struct audio_info *info,
                            struct strbuf *msg, unsigned flags)
{
    const struct media_type *f;
    struct fsrc src;
    int ret;

    probe_quiet_logs();
    memset(info, 0, sizeof(*info));
    if (!len)
        return probe_fail(msg, PP_ERR_INPUT, "%s: empty file", name);
    info->size = len;
    if (!(f = probe_find_format(name)))
        return probe_fail(msg, PP_ERR_INPUT, "%s: unsupported file type", name);
    fsrc_init_mem(&src, data, len);
    ret = probe_source(name, &src, f, info, msg, flags);
    fsrc_release(&src);
    return ret;
}

/*
 * The refusal for a file libavformat cannot read as what its name says,
 * in 'fmt'; unless its structure says more: an MP4 that ends inside its
 * media data is cut off, and a free-format MP3 is not something else.
 */
static int refuse(struct strbuf *msg, const char *path,
                  const struct media_type *f, struct fsrc *src,
                  const char *fmt, ...) PP_PRINTF(5, 6);

static int refuse(struct strbuf *msg, const char *path,
                  const struct media_type *f, struct fsrc *src,
                  const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    int ret;

    if (!strcmp(f->container, "mp4") && mp4_cut_off(src))
        return probe_fail(msg, PP_ERR_INPUT, "%s: MP4 file whose audio data "
                          "is cut off (it ends inside its media data, "
                          "before the index a player needs)", path);
    if (!strcmp(f->container, "mp3") && mp3_free_format(src))
        return probe_fail(msg, PP_ERR_INPUT, "%s: free-format MP3 (frames "
                          "without a bit rate), which podpub cannot measure "
                          "and many players cannot play: re-encode it at a "
                          "standard bit rate", path);
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    ret = probe_fail(msg, PP_ERR_INPUT, "%s", sb.buf);
    strbuf_release(&sb);
    return ret;
}

/*
 * Measures the duration with the fast path of format 'f' unless 'flags'
 * asks for the slow one: FAST_OK with 'info' filled in, FAST_FALLBACK, or
 * a negative PP_ERR_* (the message in 'msg').
 */
static int fast_duration(struct fsrc *src, const char *path,
                         const struct media_type *f, struct audio_info *info,
                         struct strbuf *msg, unsigned flags)
{
    struct fast_input in = { path, info->codec, info->sample_rate,
                             info->channels };
    const struct fast_ops *fast = fast_path(f);
    struct fast_result r = { 0 };
    int ret;

    if ((flags & PROBE_EXACT_SLOW) || !fast)
        return FAST_FALLBACK;
    ret = fast->measure(src, &in, &r, msg);
    if (ret != FAST_OK)
        return ret;
    if (r.duration_ms <= 0)
        return FAST_FALLBACK;
    info->duration_ms = r.duration_ms;
    info->method = r.method;
    info->truncated = r.truncated;
    info->header_ms = r.truncated ? r.header_ms : 0;
    return FAST_OK;
}

int probe_fast_memory(const char *name, const uint8_t *data, size_t len,
                      struct audio_info *info, struct strbuf *msg)
{
    struct fsrc src;
    const struct media_type *f = probe_find_format(name);
    int ret;

    if (!f || !len)
        return FAST_FALLBACK;
    info->size = len;
    fsrc_init_mem(&src, data, len);
    ret = fast_duration(&src, name, f, info, msg, 0);
    fsrc_release(&src);
    return ret;
}

/*
 * Whether the stream 'si' of 'fmt', just opened, already says all that
 * probing needs (codec, rate, channels) and a fast path of 'f' may measure
 * it, so that libavformat need not read packets to find them.
 */
static bool header_complete(const AVFormatContext *fmt, int si,
                            const struct media_type *f, unsigned flags)
{
    const AVCodecParameters *par;

    if ((flags & PROBE_EXACT_SLOW) || !fast_path(f) || si < 0)
        return false;
    par = fmt->streams[si]->codecpar;
    return par->codec_id != AV_CODEC_ID_NONE && par->sample_rate > 0 &&
           par->ch_layout.nb_channels > 0;
}

/*
 * libavformat's avformat_find_stream_info(): 0, or a negative PP_ERR_*
 * when it finds no audio frames (the message in 'msg').
 */
static int find_stream_info(AVFormatContext *fmt, struct read_guard *guard,
                            const char *path, const struct media_type *f,
                            struct fsrc *src, struct strbuf *msg)
{
    int ret = avformat_find_stream_info(fmt, NULL);

    if (ret < 0 || guard->tripped)
        return refuse(msg, path, f, src, "%s: not %s (no audio frames "
                      "found)", path, f->label);
    return 0;
}

/*
 * probe_source() through libavformat reading 'src', or, with 'light',
 * reading it with the light moov box in place (mp4_light_moov()): then
 * whatever is not a measurement by the fast path returns PROBE_RETRY,
 * for the file as it is to decide (and to word any refusal).
 */
#define PROBE_RETRY 1

static int probe_view(const char *path, struct fsrc *src,
                      const struct media_type *f, struct audio_info *info,
                      struct strbuf *msg, unsigned flags,
                      const uint8_t *light, uint64_t light_at,
                      size_t light_len)
{
    struct avsrc io = { src, 0, light, light_at, light_len };
    struct read_guard guard = { 0 };
    AVFormatContext *fmt = NULL;
    AVIOContext *avio = NULL;
    const AVCodecParameters *par;
    struct mp3_header mp3 = { 0 };
    int64_t dur;
    bool have_info = false;
    int ret, si;

    if (!(fmt = avformat_alloc_context()))
        die("out of memory");
    /* Finding the streams may read this much; audio needs far less. */
    guard.fmt = fmt;
    guard.limit = GUARD_OPEN_BYTES;
    fmt->interrupt_callback.callback = guard_cb;
    fmt->interrupt_callback.opaque = &guard;
    if (src->fd < 0 || light) {
        unsigned char *iobuf = av_malloc(4096);

        if (!iobuf ||
            !(avio = avio_alloc_context(iobuf, 4096, 0, &io, avsrc_read, NULL,
                                        avsrc_seek)))
            die("out of memory");
        fmt->pb = avio;
        fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
        fmt->io_open = no_io_open;
        ret = avformat_open_input(&fmt, path, plain_demuxer(src, f), NULL);
    } else {
        ret = probe_open_local(&fmt, path, plain_demuxer(src, f));
    }
    if (ret < 0 && light) {
        ret = PROBE_RETRY;
        goto out_io;
    }
    if (ret < 0) {
        /* On failure libavformat has already freed fmt. */
        if (ret == AVERROR_INVALIDDATA || ret == AVERROR(EINVAL) ||
            src->fd < 0 ||
            guard.tripped)
            ret = refuse(msg, path, f, src, "%s: not %s (no audio frames "
                         "found)", path, f->label);
        else
            ret = probe_fail(msg, PP_ERR_IO, "%s: cannot read: %s", path,
                       av_err2str(ret));
        goto out_io;
    }
    if (light && strcmp(fmt->iformat->name, f->demuxer)) {
        ret = PROBE_RETRY;
        goto out;
    }
    if (strcmp(fmt->iformat->name, f->demuxer)) {
        ret = probe_fail(msg, PP_ERR_INPUT, "%s: content is %s, not %s (the name's "
                   "extension is wrong)", path, content_label(fmt->iformat),
                   f->label);
        goto out;
    }
    /*
     * Where the header states the codec, rate and channels and a fast
     * path will measure the length, libavformat need not read packets to
     * find them; when the fast path hands back, it does so then.
     */
    si = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (light && !header_complete(fmt, si, f, flags)) {
        ret = PROBE_RETRY;
        goto out;
    }
    if (!header_complete(fmt, si, f, flags)) {
        if ((ret = find_stream_info(fmt, &guard, path, f, src, msg)) < 0)
            goto out;
        have_info = true;
        si = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    }
    if (si < 0) {
        ret = refuse(msg, path, f, src, "%s: no audio stream", path);
        goto out;
    }
    par = fmt->streams[si]->codecpar;
    if (par->codec_id == AV_CODEC_ID_NONE || par->sample_rate <= 0 ||
        par->ch_layout.nb_channels <= 0) {
        ret = refuse(msg, path, f, src, "%s: not %s: no decodable audio "
                     "found", path, f->label);
        goto out;
    }
    snprintf(info->codec, sizeof(info->codec), "%s",
             avcodec_get_name(par->codec_id));
    info->sample_rate = par->sample_rate;
    info->channels = par->ch_layout.nb_channels;
    /* The stream's own rate: a chapter track would dilute the file's. */
    info->bit_rate = par->bit_rate > 0 ? par->bit_rate : fmt->bit_rate;
    info->container = f->container;
    info->mime = f->mime;
    if (par->codec_id == AV_CODEC_ID_OPUS && !strcmp(info->container, "ogg"))
        info->mime = media_by_ext("opus")->mime;

    ret = fast_duration(src, path, f, info, msg, flags);
    if (light && ret != FAST_OK) {
        ret = PROBE_RETRY;
        goto out;
    }
    if (ret < 0)
        goto out;
    if (ret == FAST_OK && !have_info) {
        /* No packet was read: the bit rate over the whole file. */
        if (!info->bit_rate)
            info->bit_rate = av_rescale((int64_t)info->size, 8000,
                                        info->duration_ms);
    } else if (ret != FAST_OK && !have_info) {
        int err = find_stream_info(fmt, &guard, path, f, src, msg);

        if (err < 0) {
            ret = err;
            goto out;
        }
    }
    if (ret == FAST_OK) {
        /* The fast paths measured it: no packet walk. */
    } else if (!strcmp(info->container, "mp3")) {
        mp3_duration(src, info, &mp3);
    } else if ((dur = container_duration(fmt, si)) > 0) {
        info->duration_ms = av_rescale(dur, 1000, AV_TIME_BASE);
        info->method = PROBE_CONTAINER;
        /*
         * MP4 and FLAC state the length in a header that a cut-off file
         * keeps; check that the last second can still be read. Ogg and WAV
         * durations already come from what the file holds.
         */
        if ((!strcmp(info->container, "mp4") ||
             !strcmp(info->container, "flac")) &&
            !end_is_readable(fmt, si, dur)) {
            info->truncated = true;
            info->header_ms = info->duration_ms;
            info->duration_ms = 0;
        }
    }
    if (info->duration_ms <= 0) {
        int64_t full, but_last;

        packet_span_ms(fmt, si, &full, &but_last);
        info->method = PROBE_PACKETS;
        info->duration_ms = full;
        /*
         * The end check reads only the last seconds; the packets decide.
         * A file whose packets reach the header's length is whole after
         * all; else its last packet is taken to be partial.
         */
        if (info->truncated && full + 50 >= info->header_ms) {
            info->truncated = false;
        } else if (info->truncated) {
            info->duration_ms = but_last;
        } else if (mp3.has_lame && mp3.sample_rate) {
            /*
             * A LAME tag the frame count did not fit (joined files): a
             * decoder still trims the delay and padding it declares.
             */
            struct mp3_header trim = mp3;

            trim.frames = 0;
            info->duration_ms -= av_rescale(-mp3_header_samples_trim(&trim),
                                            1000, mp3.sample_rate);
        }
    }
    read_chapters(fmt, info);
    if (info->duration_ms <= 0) {
        ret = refuse(msg, path, f, src, "%s: not %s: no playable audio",
                     path, f->label);
        goto out;
    }
    ret = 0;
out:
    if (ret != 0)
        audio_info_release(info);
    avformat_close_input(&fmt);
out_io:
    if (avio) {
        av_freep(&avio->buffer);
        avio_context_free(&avio);
    }
    return ret;
}

int probe_source(const char *path, struct fsrc *src,
                 const struct media_type *f, struct audio_info *info,
                 struct strbuf *msg, unsigned flags)
{
    struct audio_info was = *info;
    uint64_t at;
    size_t len;
    uint8_t *light;
    int ret;

    atomic_fetch_add(&files_opened, 1);
    /*
     * An MP4's sample tables, which libavformat indexes sample by sample
     * (milliseconds in an hour-long file), are the fast path's to read.
     */
    if (!(flags & PROBE_EXACT_SLOW) && !strcmp(f->container, "mp4") &&
        (light = mp4_light_moov(src, &at, &len))) {
        ret = probe_view(path, src, f, info, msg, flags, light, at, len);
        free(light);
        if (ret != PROBE_RETRY)
            return ret;
        *info = was;
    }
    return probe_view(path, src, f, info, msg, flags, NULL, 0, 0);
}

static char *tag(const AVFormatContext *fmt, const char *key)
{
    const AVDictionaryEntry *e = av_dict_get(fmt->metadata, key, NULL, 0);

    return e && e->value && *e->value ? xstrdup(e->value) : NULL;
}

/* A track or disc tag: "3" or "3/10" -> 3; anything else -> 0. */
static int tag_number(const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || (*end && *end != '/') || n < 1 || n > 99999)
        return 0;
    return (int)n;
}

int probe_audio_tags(const char *path, struct audio_tags *tags)
{
    AVFormatContext *fmt = NULL;
    char *v;
    int ret;

    probe_quiet_logs();
    memset(tags, 0, sizeof(*tags));
    ret = probe_open_local(&fmt, path, NULL);
    if (ret < 0)
        return errorf(PP_ERR_INPUT, "%s: cannot read its tags: %s", path,
                      av_err2str(ret));
    tags->title = tag(fmt, "title");
    tags->artist = tag(fmt, "artist");
    tags->date = tag(fmt, "date");
    if (!tags->date)
        tags->date = tag(fmt, "creation_time");
    if ((v = tag(fmt, "track"))) {
        tags->track = tag_number(v);
        free(v);
    }
    if ((v = tag(fmt, "disc"))) {
        tags->disc = tag_number(v);
        free(v);
    }
    avformat_close_input(&fmt);
    return 0;
}

