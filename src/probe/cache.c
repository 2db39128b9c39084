/*
 * The probe cache, .podpub/probe-cache: what probing found for each audio
 * file, kept in a file-identity cache (util/fileid.c) and trusted while
 * the file is the same one. Each entry's payload is one line of fields
 * and a line per chapter; anything unexpected in it is a miss, and the
 * file is probed again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"

/*
 * The version says how results were measured: raise it whenever probing
 * changes, so a cache from an older podpub is not trusted. (A cache of
 * the same version in the format before util/fileid.c has 18 fields a
 * line, not 8: it fails to parse and counts as empty.)
 */
#define CACHE_MAGIC "podpub-probe-cache 3"

/* The static strings an entry may name; anything else is corruption. */
static const char *const known_mimes[] = {
    "audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/ogg", "audio/opus",
    "audio/flac", "audio/wav", "audio/aac", NULL,
};
static const char *const known_containers[] = {
    "mp3", "mp4", "ogg", "flac", "wav", "aac", NULL,
};

static const char *intern(const char *s, const char *const *known)
{
    for (; *known; known++)
        if (!strcmp(*known, s))
            return *known;
    return NULL;
}

struct probe_cache {
    struct fileid_cache *ids;
};

struct probe_cache *probe_cache_load(const char *path)
{
    struct probe_cache *c = xcalloc(1, sizeof(*c));

    c->ids = fileid_cache_load(path, CACHE_MAGIC);
    return c;
}

/*
 * The payload: "duration header truncated method rate channels bit_rate
 * mime container codec chapters", then "\n<start>\t<title>" per chapter
 * (titles have their newlines as "\x01": a chapter title is one line).
 */
static char *payload(const struct audio_info *in)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_addf(&sb, "%" PRId64 " %" PRId64 " %d %d %d %d %" PRId64
                " %s %s %s %zu", in->duration_ms, in->header_ms,
                in->truncated, (int)in->method, in->sample_rate, in->channels,
                in->bit_rate, in->mime, in->container, in->codec,
                in->chapters_nr);
    for (size_t i = 0; i < in->chapters_nr; i++) {
        strbuf_addf(&sb, "\n%" PRId64 "\t", in->chapters[i].start_ms);
        for (const char *t = in->chapters[i].title; *t; t++)
            strbuf_addch(&sb, *t == '\n' ? '\x01' : *t);
    }
    return strbuf_detach(&sb, NULL);
}

/* Reads a payload back into 'info'; false when it is not one. */
static bool parse(const char *text, struct audio_info *info)
{
    char mime[64], container[32], codec[64];
    int truncated, method, consumed = 0;
    size_t chapters;
    const char *p;

    if (sscanf(text, "%" SCNd64 " %" SCNd64 " %d %d %d %d %" SCNd64
               " %63s %31s %63s %zu%n", &info->duration_ms, &info->header_ms,
               &truncated, &method, &info->sample_rate, &info->channels,
               &info->bit_rate, mime, container, codec, &chapters,
               &consumed) != 11 || !consumed ||
        !(info->mime = intern(mime, known_mimes)) ||
        !(info->container = intern(container, known_containers)) ||
        strlen(codec) >= sizeof(info->codec) || info->duration_ms <= 0 ||
        truncated < 0 || truncated > 1 || method < 0 ||
        method > PROBE_METHOD_LAST || chapters > 100000)
        return false;
    info->truncated = truncated;
    info->method = (enum probe_method)method;
    snprintf(info->codec, sizeof(info->codec), "%s", codec);
    p = text + consumed;
    if (chapters)
        info->chapters = xcalloc(chapters, sizeof(*info->chapters));
    for (size_t i = 0; i < chapters; i++) {
        struct audio_chapter *ch = &info->chapters[info->chapters_nr];
        const char *tab, *end;
        char *title;

        if (*p != '\n' || !(tab = strchr(p + 1, '\t')))
            return false;
        errno = 0;
        ch->start_ms = strtoll(p + 1, NULL, 10);
        if (errno)
            return false;
        end = strchr(tab + 1, '\n');
        if (!end)
            end = tab + 1 + strlen(tab + 1);
        title = xstrndup(tab + 1, (size_t)(end - tab - 1));
        for (char *t = title; *t; t++)
            if (*t == '\x01')
                *t = '\n';
        ch->title = title;
        info->chapters_nr++;
        p = end;
    }
    return !*p;
}

bool probe_cache_get(struct probe_cache *cache, const char *file,
                     struct audio_info *info)
{
    struct fileid now;
    struct stat st;
    const char *text;
    struct audio_info got = { 0 };

    if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
        return false;
    fileid_from_stat(&now, &st);
    if (!(text = fileid_cache_get(cache->ids, file, &now)))
        return false;
    if (!parse(text, &got)) {
        audio_info_release(&got);
        return false;
    }
    got.size = now.size;
    got.key = now;
    *info = got;
    return true;
}

void probe_cache_put(struct probe_cache *cache, const char *file,
                     const struct audio_info *info)
{
    char *text = payload(info);

    fileid_cache_put(cache->ids, file, &info->key, text);
    free(text);
}

int probe_cache_save(struct probe_cache *c)
{
    return fileid_cache_save(c->ids);
}

void probe_cache_free(struct probe_cache *c)
{
    if (!c)
        return;
    fileid_cache_free(c->ids);
    free(c);
}
