/*
 * Artwork probing. The format is decided by the file's first bytes, not
 * its name (Apple rejects a PNG served as .jpg); libavformat's JPEG or PNG
 * demuxer then gives the dimensions and pixel format. The colour model is
 * read from the JPEG frame header or the PNG header, where libavformat
 * does not say whether a JPEG is CMYK.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>

#include "internal.h"
#include "podpub/json.h"
#include "podpub/media.h"
#include "podpub/probe.h"

bool is_image_name(const char *path)
{
    const struct media_type *m = media_of_name(path);

    return m && (m->uses & MEDIA_IMAGE);
}

/* Names what the first bytes 'b' (at least 12) say the file is. */
static const char *sniff(const uint8_t *b, size_t n)
{
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return "jpeg";
    if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        return "png";
    if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
        return "a WebP image";
    if (n >= 4 && !memcmp(b, "GIF8", 4))
        return "a GIF image";
    if (n >= 12 && !memcmp(b + 4, "ftypavif", 8))
        return "an AVIF image";
    if (n >= 12 && !memcmp(b + 4, "ftyphei", 7))
        return "a HEIC image";
    return NULL;
}

/*
 * The number of colour components in the JPEG's frame header (SOFn):
 * 1 greyscale, 3 YCbCr/RGB, 4 CMYK; 0 when not found. Walks the file's
 * segments, so metadata of any size before the frame header is skipped.
 */
static int jpeg_components(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t b[10];
    int comps = 0;

    if (!f)
        return 0;
    if (fread(b, 1, 2, f) != 2 || b[0] != 0xff || b[1] != 0xd8)
        goto out;
    for (int segments = 0; segments < 4096; segments++) {
        unsigned marker, len;

        if (fread(b, 1, 2, f) != 2 || b[0] != 0xff)
            break;
        marker = b[1];
        if (marker == 0xff) {           /* fill byte: step one */
            fseek(f, -1, SEEK_CUR);
            continue;
        }
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue;                   /* no length */
        if (fread(b, 1, 2, f) != 2)
            break;
        len = (unsigned)b[0] << 8 | b[1];
        if (len < 2)
            break;
        /* SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
        if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
            marker != 0xc8 && marker != 0xcc) {
            if (fread(b, 1, 6, f) == 6)
                comps = b[5];
            break;
        }
        if (marker == 0xda || fseek(f, (long)len - 2, SEEK_CUR) < 0)
            break;                      /* image data: no frame header */
    }
out:
    fclose(f);
    return comps;
}

static const char *png_colour(const uint8_t *b, size_t n)
{
    if (n < 26)
        return NULL;
    switch (b[25]) {   /* IHDR colour type */
    case 0:  return "greyscale";
    case 2:  return "rgb";
    case 3:  return "palette";
    case 4:  return "greyscale+alpha";
    case 6:  return "rgb+alpha";
    default: return NULL;
    }
}

int probe_image(const char *path, struct image_info *info,
                struct strbuf *msg)
{
    const struct media_type *want, *named = media_of_name(path);
    AVFormatContext *fmt = NULL;
    const char *kind;
    uint8_t head[65536];
    struct stat st;
    ssize_t n;
    int fd, ret, comps;
    bool png;

    probe_quiet_logs();
    memset(info, 0, sizeof(*info));
    info->colour = "unknown";
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return probe_fail(msg, errno == ENOENT || errno == EACCES ?
                        PP_ERR_INPUT : PP_ERR_IO, "%s: cannot open: %s", path,
                        strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return probe_fail(msg, PP_ERR_INPUT, "%s: not a regular file", path);
    }
    n = read(fd, head, sizeof(head));
    close(fd);
    if (n < 0)
        return probe_fail(msg, PP_ERR_IO, "%s: cannot read: %s", path,
                        strerror(errno));
    info->size = (uint64_t)st.st_size;
    kind = sniff(head, (size_t)n);
    if (!kind || (strcmp(kind, "jpeg") && strcmp(kind, "png"))) {
        info->content = kind ? kind : "not an image";
        info->extension_ok = true;   /* nothing to match */
        return 0;
    }
    png = !strcmp(kind, "png");
    want = media_by_ext(kind);          /* "jpeg" or "png" */
    info->format = kind;
    info->content = want->label;
    info->extension_ok = named && !strcmp(named->mime, want->mime);
    ret = avformat_open_input(&fmt, path,
                              av_find_input_format(want->demuxer), NULL);
    if (ret < 0 || avformat_find_stream_info(fmt, NULL) < 0 ||
        fmt->nb_streams < 1 || fmt->streams[0]->codecpar->width <= 0) {
        info->format = NULL;
        info->content = png ? "a damaged PNG image" : "a damaged JPEG image";
        avformat_close_input(&fmt);
        return 0;
    }
    info->width = fmt->streams[0]->codecpar->width;
    info->height = fmt->streams[0]->codecpar->height;
    snprintf(info->pix_fmt, sizeof(info->pix_fmt), "%s",
             fmt->streams[0]->codecpar->format >= 0 ?
             av_get_pix_fmt_name(fmt->streams[0]->codecpar->format) : "?");
    if (png) {
        info->colour = png_colour(head, (size_t)n);
    } else {
        comps = jpeg_components(path);
        info->colour = comps == 1 ? "greyscale" : comps == 3 ? "rgb" :
                       comps == 4 ? "cmyk" : NULL;
    }
    if (!info->colour)
        info->colour = "unknown";
    avformat_close_input(&fmt);
    return 0;
}

int image_warnings(const struct image_info *info, struct strbuf *out)
{
    int n = 0;

#define SEP() (n++ ? "; " : "")
    if (!info->format) {
        strbuf_addf(out, "content is %s; artwork must be JPEG or PNG",
                    info->content);
        return 1;
    }
    if (!info->extension_ok)
        strbuf_addf(out, "%scontent is %s but the name does not end in %s",
                    SEP(), info->content,
                    !strcmp(info->format, "png") ? ".png" : ".jpg");
    if (info->width != info->height)
        strbuf_addf(out, "%snot square (%dx%d)", SEP(), info->width,
                    info->height);
    if (info->width < 1400 || info->height < 1400)
        strbuf_addf(out, "%ssmaller than Apple's 1400x1400 minimum (%dx%d)",
                    SEP(), info->width, info->height);
    else if (info->width > 3000 || info->height > 3000)
        strbuf_addf(out, "%slarger than Apple's 3000x3000 maximum (%dx%d)",
                    SEP(), info->width, info->height);
    if (strcmp(info->colour, "rgb"))
        strbuf_addf(out, "%scolour is %s, not RGB", SEP(), info->colour);
    if (info->size > 512 * 1024)
        strbuf_addf(out, "%s%" PRIu64 " KB (over 512 KB; Spotify and some "
                    "apps advise less)", SEP(), info->size / 1024);
#undef SEP
    return n;
}

void image_info_json(struct json *j, const char *path,
                     const struct image_info *info)
{
    json_object(j);
    json_kv_str(j, "path", path);
    json_kv_str(j, "format", info->format ? info->format : "none");
    json_kv_int(j, "width", info->width);
    json_kv_int(j, "height", info->height);
    json_kv_str(j, "colour", info->colour);
    json_kv_str(j, "pix_fmt", info->pix_fmt);
    json_kv_uint(j, "bytes", info->size);
    json_end(j);
}

void image_info_text(struct strbuf *out, const char *path,
                     const struct image_info *info)
{
    strbuf_addf(out, "%s\n  image:  %s, %dx%d, %s (%s)\n  bytes:  %" PRIu64
                "\n", path, info->format ? info->format : info->content,
                info->width, info->height, info->colour, info->pix_fmt,
                info->size);
}
