/*
 * The media table: every kind of file a show publishes, by extension.
 * Audio names the libavformat demuxer its content must have (probe
 * refuses an .mp3 that is an MP4); the MIME type goes into the feed and
 * the Content-Type to the storage, where text says it is UTF-8.
 */
#include <string.h>
#include <strings.h>

#include "podpub/media.h"
#include "podpub/util.h"

/* libavformat's one demuxer for the whole ISO media family. */
#define MOV "mov,mp4,m4a,3gp,3g2,mj2"
/* Text is served as UTF-8, which is all podpub writes and accepts. */
#define TEXT(mime) mime, mime "; charset=utf-8"
#define BINARY(mime) mime, mime

/*
 * The order counts where a demuxer or a MIME type has several rows (the
 * first is its name in messages) and in the lists of extensions that
 * messages give.
 */
static const struct media_type types[] = {
    { "mp3", MEDIA_AUDIO, BINARY("audio/mpeg"), "mp3", "mp3", "MP3 audio",
      "audio/mp3 audio/mpeg3 audio/x-mp3" },
    /*
     * Apple's type for .m4a and audiobooks; a plain .mp4 is the
     * registered audio/mp4.
     */
    { "m4a", MEDIA_AUDIO, BINARY("audio/x-m4a"), MOV, "mp4",
      "MP4/M4A audio", "audio/mp4 audio/m4a audio/aac" },
    { "m4b", MEDIA_AUDIO, BINARY("audio/x-m4a"), MOV, "mp4",
      "MP4/M4A audio", "audio/mp4 audio/m4a audio/aac" },
    { "mp4", MEDIA_AUDIO, BINARY("audio/mp4"), MOV, "mp4", "MP4/M4A audio",
      "video/mp4 audio/x-m4a" },
    /* Raw AAC in ADTS frames, as some radio makers publish it. */
    { "aac", MEDIA_AUDIO, BINARY("audio/aac"), "aac", "aac",
      "ADTS AAC audio", "audio/x-aac audio/aacp" },
    { "ogg", MEDIA_AUDIO, BINARY("audio/ogg"), "ogg", "ogg", "Ogg audio",
      "audio/vorbis application/ogg audio/opus" },
    { "oga", MEDIA_AUDIO, BINARY("audio/ogg"), "ogg", "ogg", "Ogg audio",
      "audio/vorbis application/ogg" },
    { "opus", MEDIA_AUDIO, BINARY("audio/opus"), "ogg", "ogg",
      "Ogg Opus audio", "audio/ogg" },
    { "flac", MEDIA_AUDIO, BINARY("audio/flac"), "flac", "flac",
      "FLAC audio", "audio/x-flac" },
    { "wav", MEDIA_AUDIO, BINARY("audio/wav"), "wav", "wav", "WAV audio",
      "audio/x-wav audio/wave audio/vnd.wave" },
    { "jpg", MEDIA_IMAGE, BINARY("image/jpeg"), "jpeg_pipe", NULL,
      "a JPEG image", NULL },
    { "jpeg", MEDIA_IMAGE, BINARY("image/jpeg"), "jpeg_pipe", NULL,
      "a JPEG image", NULL },
    { "png", MEDIA_IMAGE, BINARY("image/png"), "png_pipe", NULL,
      "a PNG image", NULL },
    { "vtt", MEDIA_TRANSCRIPT, TEXT("text/vtt"), NULL, NULL,
      "WebVTT captions", NULL },
    { "srt", MEDIA_TRANSCRIPT, TEXT("application/x-subrip"), NULL, NULL,
      "SubRip captions", NULL },
    { "json", MEDIA_TRANSCRIPT, TEXT("application/json"), NULL, NULL,
      "JSON", NULL },
    { "html", MEDIA_TRANSCRIPT | MEDIA_PAGE, TEXT("text/html"), NULL, NULL,
      "HTML", NULL },
    { "txt", MEDIA_TRANSCRIPT, TEXT("text/plain"), NULL, NULL,
      "plain text", NULL },
    { "xml", MEDIA_FEED, TEXT("application/rss+xml"), NULL, NULL,
      "an RSS feed", NULL },
    /* What other feeds enclose besides audio. */
    { "m4v", MEDIA_OTHER, BINARY("video/x-m4v"), NULL, NULL, "M4V video",
      "video/mp4" },
    { "mov", MEDIA_OTHER, BINARY("video/quicktime"), NULL, NULL,
      "QuickTime video", NULL },
    { "pdf", MEDIA_OTHER, BINARY("application/pdf"), NULL, NULL,
      "a PDF document", NULL },
};

const struct media_type media_chapters = {
    "json", 0, TEXT("application/json+chapters"), NULL, NULL,
    "Podcast Index chapters", NULL,
};

const struct media_type *media_by_ext(const char *ext)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (!strcmp(types[i].ext, ext))
            return &types[i];
    return NULL;
}

const struct media_type *media_of_name(const char *name)
{
    const char *dot = strrchr(name, '.'), *ext;

    if (!dot || strchr(dot, '/'))
        return NULL;
    ext = dot + 1;
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (!strcasecmp(types[i].ext, ext))
            return &types[i];
    return NULL;
}

bool media_has_type(const struct media_type *m, const char *type)
{
    size_t n = strlen(type);

    if (!strcasecmp(m->mime, type))
        return true;
    for (const char *a = m->aliases; a && *a; a += strcspn(a, " ")) {
        a += *a == ' ';
        if (!strncasecmp(a, type, n) && (a[n] == ' ' || !a[n]))
            return true;
    }
    return false;
}

const struct media_type *media_by_type(const char *type, unsigned uses)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if ((types[i].uses & uses) && media_has_type(&types[i], type))
            return &types[i];
    return NULL;
}

const struct media_type *media_by_demuxer(const char *demuxer)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (types[i].demuxer && !strcmp(types[i].demuxer, demuxer))
            return &types[i];
    return NULL;
}

const struct media_type *media_by_mime(const char *mime, unsigned uses)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if ((types[i].uses & uses) && !strcmp(types[i].mime, mime))
            return &types[i];
    return NULL;
}

const struct media_type *media_by_container(const char *container,
                                            unsigned uses)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if ((types[i].uses & uses) && types[i].container &&
            !strcmp(types[i].container, container))
            return &types[i];
    return NULL;
}

void media_list_exts(struct strbuf *sb, unsigned uses)
{
    size_t nr = 0, seen = 0;

    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        nr += (types[i].uses & uses) != 0;
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!(types[i].uses & uses))
            continue;
        seen++;
        strbuf_addf(sb, "%s.%s", seen == 1 ? "" : seen == nr ? " or " : ", ",
                    types[i].ext);
    }
}
