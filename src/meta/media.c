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
    { "mp3", MEDIA_AUDIO, BINARY("audio/mpeg"), "mp3", "mp3", "MP3 audio" },
    /*
     * Apple's type for .m4a and audiobooks; a plain .mp4 is the
     * registered audio/mp4.
     */
    { "m4a", MEDIA_AUDIO, BINARY("audio/x-m4a"), MOV, "mp4",
      "MP4/M4A audio" },
    { "m4b", MEDIA_AUDIO, BINARY("audio/x-m4a"), MOV, "mp4",
      "MP4/M4A audio" },
    { "mp4", MEDIA_AUDIO, BINARY("audio/mp4"), MOV, "mp4", "MP4/M4A audio" },
    /* Raw AAC in ADTS frames, as some radio makers publish it. */
    { "aac", MEDIA_AUDIO, BINARY("audio/aac"), "aac", "aac",
      "ADTS AAC audio" },
    { "ogg", MEDIA_AUDIO, BINARY("audio/ogg"), "ogg", "ogg", "Ogg audio" },
    { "oga", MEDIA_AUDIO, BINARY("audio/ogg"), "ogg", "ogg", "Ogg audio" },
    { "opus", MEDIA_AUDIO, BINARY("audio/opus"), "ogg", "ogg",
      "Ogg Opus audio" },
    { "flac", MEDIA_AUDIO, BINARY("audio/flac"), "flac", "flac",
      "FLAC audio" },
    { "wav", MEDIA_AUDIO, BINARY("audio/wav"), "wav", "wav", "WAV audio" },
    { "jpg", MEDIA_IMAGE, BINARY("image/jpeg"), "jpeg_pipe", NULL,
      "a JPEG image" },
    { "jpeg", MEDIA_IMAGE, BINARY("image/jpeg"), "jpeg_pipe", NULL,
      "a JPEG image" },
    { "png", MEDIA_IMAGE, BINARY("image/png"), "png_pipe", NULL,
      "a PNG image" },
    { "vtt", MEDIA_TRANSCRIPT, TEXT("text/vtt"), NULL, NULL,
      "WebVTT captions" },
    { "srt", MEDIA_TRANSCRIPT, TEXT("application/x-subrip"), NULL, NULL,
      "SubRip captions" },
    { "json", MEDIA_TRANSCRIPT, TEXT("application/json"), NULL, NULL,
      "JSON" },
    { "html", MEDIA_TRANSCRIPT | MEDIA_PAGE, TEXT("text/html"), NULL, NULL,
      "HTML" },
    { "txt", MEDIA_TRANSCRIPT, TEXT("text/plain"), NULL, NULL,
      "plain text" },
    { "xml", MEDIA_FEED, TEXT("application/rss+xml"), NULL, NULL,
      "an RSS feed" },
};

const struct media_type media_chapters = {
    "json", 0, TEXT("application/json+chapters"), NULL, NULL,
    "Podcast Index chapters",
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
