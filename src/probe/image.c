/*
 * Artwork probing. The format is decided by the file's first bytes, not
 * its name (Apple rejects a PNG served as .jpg); the dimensions, colour
 * model and pixel format come from the JPEG frame header or the PNG
 * header. Reading headers is all the artwork rules need, and keeps every
 * command that checks the cover (build, check) from loading FFmpeg.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fast.h"
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

/* What a JPEG's frame header (SOFn) and Adobe APP14 marker say. */
struct jpeg_frame {
    int precision, width, height, comps;
    int sampling[4];            /* per component: H << 4 | V */
    uint8_t ids[4];             /* component identifiers */
    int adobe_transform;        /* APP14's transform, -1 when absent */
};

/*
 * Reads the JPEG's frame header into 'f': true when one was found with
 * non-zero dimensions. Walks the file's segments, so metadata of any size
 * before the frame header is skipped; APP14 before it is noted.
 */
static bool jpeg_frame(const char *path, struct jpeg_frame *f)
{
    FILE *fp = fopen(path, "rb");
    uint8_t b[16];
    bool found = false;

    memset(f, 0, sizeof(*f));
    f->adobe_transform = -1;
    if (!fp)
        return false;
    if (fread(b, 1, 2, fp) != 2 || b[0] != 0xff || b[1] != 0xd8)
        goto out;
    for (int segments = 0; segments < 4096; segments++) {
        unsigned marker, len;

        if (fread(b, 1, 2, fp) != 2 || b[0] != 0xff)
            break;
        marker = b[1];
        if (marker == 0xff) {           /* fill byte: step one */
            fseek(fp, -1, SEEK_CUR);
            continue;
        }
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue;                   /* no length */
        if (fread(b, 1, 2, fp) != 2)
            break;
        len = fast_be16(b);
        if (len < 2)
            break;
        /* SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
        if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
            marker != 0xc8 && marker != 0xcc) {
            if (fread(b, 1, 6, fp) != 6)
                break;
            f->precision = b[0];
            f->height = (int)fast_be16(b + 1);
            f->width = (int)fast_be16(b + 3);
            f->comps = b[5];
            for (int i = 0; i < f->comps && i < 4; i++) {
                if (fread(b, 1, 3, fp) != 3)
                    goto out;
                f->ids[i] = b[0];
                f->sampling[i] = b[1];
            }
            found = f->width > 0 && f->height > 0 && f->comps > 0;
            break;
        }
        if (marker == 0xee && len >= 14) {      /* APP14 "Adobe" */
            if (fread(b, 1, 12, fp) != 12)
                break;
            if (!memcmp(b, "Adobe", 5))
                f->adobe_transform = b[11];
            len -= 12;
        }
        if (marker == 0xda || fseek(fp, (long)len - 2, SEEK_CUR) < 0)
            break;                      /* image data: no frame header */
    }
out:
    fclose(fp);
    return found;
}

/*
 * The pixel format libavcodec's MJPEG decoder gives 'f' (its names, as
 * `podpub probe` printed when it asked libavformat), "?" for the rare
 * layouts it is not worth copying the decoder's table for.
 */
static const char *jpeg_pix_fmt(const struct jpeg_frame *f)
{
    bool rgb = f->adobe_transform == 0 ||
               (f->comps == 3 && f->ids[0] == 'R' && f->ids[1] == 'G' &&
                f->ids[2] == 'B');
    int h, v, ch, cv;

    if (f->comps == 1)
        return f->precision > 8 ? "gray16le" : "gray";
    if (f->precision > 8)
        return "?";
    if (f->comps == 4)
        return f->adobe_transform == 2 ? "yuva444p" : "gbrap";
    if (f->comps != 3 || f->sampling[1] != f->sampling[2])
        return "?";
    if (rgb)
        return "gbrp";
    /* Luma's sampling factors over chroma's (encoders scale both). */
    h = f->sampling[0] >> 4;
    v = f->sampling[0] & 15;
    ch = f->sampling[1] >> 4;
    cv = f->sampling[1] & 15;
    if (!ch || !cv || h % ch || v % cv)
        return "?";
    switch ((h / ch) << 4 | v / cv) {
    case 0x11: return "yuvj444p";
    case 0x21: return "yuvj422p";
    case 0x22: return "yuvj420p";
    case 0x12: return "yuvj440p";
    case 0x41: return "yuvj411p";
    default:   return "?";
    }
}

/*
 * Reads the PNG's IHDR chunk (always the first) from its first 'n' bytes
 * 'b' into 'info': dimensions, colour model and libavcodec's name of the
 * pixel format its PNG decoder gives. False when there is no valid IHDR.
 */
static bool png_header(const uint8_t *b, size_t n, struct image_info *info)
{
    static const struct {
        int type, depth;
        const char *colour, *pix_fmt;
    } fmts[] = {
        { 0, 1, "greyscale", "monob" },
        { 0, 2, "greyscale", "gray" },
        { 0, 4, "greyscale", "gray" },
        { 0, 8, "greyscale", "gray" },
        { 0, 16, "greyscale", "gray16be" },
        { 2, 8, "rgb", "rgb24" },
        { 2, 16, "rgb", "rgb48be" },
        { 3, 1, "palette", "pal8" },
        { 3, 2, "palette", "pal8" },
        { 3, 4, "palette", "pal8" },
        { 3, 8, "palette", "pal8" },
        { 4, 8, "greyscale+alpha", "ya8" },
        { 4, 16, "greyscale+alpha", "ya16be" },
        { 6, 8, "rgb+alpha", "rgba" },
        { 6, 16, "rgb+alpha", "rgba64be" },
    };
    uint32_t w, h;

    if (n < 26 || fast_be32(b + 8) != 13 || memcmp(b + 12, "IHDR", 4))
        return false;
    w = fast_be32(b + 16);
    h = fast_be32(b + 20);
    if (!w || !h || w > INT32_MAX || h > INT32_MAX)
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
        if (fmts[i].type == b[25] && fmts[i].depth == b[24]) {
            info->width = (int)w;
            info->height = (int)h;
            info->colour = fmts[i].colour;
            snprintf(info->pix_fmt, sizeof(info->pix_fmt), "%s",
                     fmts[i].pix_fmt);
            return true;
        }
    }
    return false;
}

int probe_image(const char *path, struct image_info *info,
                struct strbuf *msg)
{
    const struct media_type *want, *named = media_of_name(path);
    struct jpeg_frame jf;
    const char *kind;
    uint8_t head[65536];
    struct stat st;
    ssize_t n;
    int fd;
    bool png;

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
    if (png ? !png_header(head, (size_t)n, info) :
              !jpeg_frame(path, &jf)) {
        info->format = NULL;
        info->content = png ? "a damaged PNG image" : "a damaged JPEG image";
        return 0;
    }
    if (!png) {
        info->width = jf.width;
        info->height = jf.height;
        info->colour = jf.comps == 1 ? "greyscale" : jf.comps == 3 ? "rgb" :
                       jf.comps == 4 ? "cmyk" : "unknown";
        snprintf(info->pix_fmt, sizeof(info->pix_fmt), "%s",
                 jpeg_pix_fmt(&jf));
    }
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
