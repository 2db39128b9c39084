/*
 * The probe cache, .podpub/probe-cache: what probing found for each audio
 * file, kept in a file-identity cache (util/fileid.c) and trusted while
 * the file is the same one. Each entry's payload is one line of fields
 * and a line per chapter; anything unexpected in it is a miss, and the
 * file is probed again.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podpub/media.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"

/*
 * The version says how results were measured: raise it whenever probing
 * changes, so a cache from an older podpub is not trusted. (A cache of
 * the same version in the format before util/fileid.c has 18 fields a
 * line, not 8: it fails to parse and counts as empty.) Version 4 added
 * the loudness.
 */
#define CACHE_MAGIC "podpub-probe-cache 4"

/*
 * The static strings an entry may name, from the media table: the MIME
 * type and container of a kind of audio; anything else is corruption.
 */
static const char *known_mime(const char *mime)
{
    const struct media_type *m = media_by_mime(mime, MEDIA_AUDIO);

    return m ? m->mime : NULL;
}

static const char *known_container(const char *container)
{
    const struct media_type *m = media_by_container(container, MEDIA_AUDIO);

    return m ? m->container : NULL;
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
 * mime container codec loudness chapters", then "\n<start>\t<title>" per
 * chapter (titles have their newlines as "\x01": a chapter title is one
 * line). The loudness is "-" when it was not measured, else
 * "integrated,range,true_peak" ("-inf" for silence).
 */
static char *payload(const struct audio_info *in)
{
    struct strbuf sb = STRBUF_INIT;
    const struct loudness *l = &in->loudness;

    strbuf_addf(&sb, "%" PRId64 " %" PRId64 " %d %d %d %d %" PRId64
                " %s %s %s ", in->duration_ms, in->header_ms,
                in->truncated, (int)in->method, in->sample_rate, in->channels,
                in->bit_rate, in->mime, in->container, in->codec);
    if (l->measured)
        strbuf_addf(&sb, "%.3f,%.3f,%.3f", l->integrated, l->range,
                    l->true_peak);
    else
        strbuf_addch(&sb, '-');
    strbuf_addf(&sb, " %zu", in->chapters_nr);
    for (size_t i = 0; i < in->chapters_nr; i++) {
        strbuf_addf(&sb, "\n%" PRId64 "\t", in->chapters[i].start_ms);
        for (const char *t = in->chapters[i].title; *t; t++)
            strbuf_addch(&sb, *t == '\n' ? '\x01' : *t);
    }
    return strbuf_detach(&sb, NULL);
}

/* The next space-separated number of '*p' into '*v'; false if none. */
static bool number(const char **p, int64_t *v)
{
    char *end;

    if (**p == ' ')
        (*p)++;
    if (**p < '0' || **p > '9')
        return false;
    errno = 0;
    *v = strtoll(*p, &end, 10);
    if (errno || (*end && !strchr(" \t\n", *end)))
        return false;
    *p = end;
    return true;
}

/* The next space-separated word of '*p' into 'buf' (of 'size'). */
static bool word(const char **p, char *buf, size_t size)
{
    size_t n;

    if (**p == ' ')
        (*p)++;
    n = strcspn(*p, " \n");
    if (!n || n >= size)
        return false;
    memcpy(buf, *p, n);
    buf[n] = '\0';
    *p += n;
    return true;
}

/* Reads the loudness word 'w' into 'l'; false when it is not one. */
static bool parse_loudness(const char *w, struct loudness *l)
{
    double v[3];
    char *end;

    if (!strcmp(w, "-"))
        return true;
    for (int i = 0; i < 3; i++) {
        errno = 0;
        v[i] = strtod(w, &end);
        if (errno || end == w || *end != (i < 2 ? ',' : '\0') ||
            isnan(v[i]) || v[i] > 1000 || (i == 1 && v[i] < 0))
            return false;
        w = end + 1;
    }
    l->measured = true;
    l->integrated = v[0];
    l->range = v[1];
    l->true_peak = v[2];
    return true;
}

/* Reads a payload back into 'info'; false when it is not one. */
static bool parse(const char *text, struct audio_info *info)
{
    /* A codec name too long for 'info' is no word: the entry is refused. */
    char mime[64], container[32], codec[sizeof(info->codec)], loud[96];
    int64_t v[7], chapters;
    const char *p = text;

    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        if (!number(&p, &v[i]))
            return false;
    if (!word(&p, mime, sizeof(mime)) ||
        !word(&p, container, sizeof(container)) ||
        !word(&p, codec, sizeof(codec)) || !word(&p, loud, sizeof(loud)) ||
        !parse_loudness(loud, &info->loudness) || !number(&p, &chapters) ||
        !(info->mime = known_mime(mime)) ||
        !(info->container = known_container(container)) ||
        v[0] <= 0 || v[2] > 1 || v[3] > PROBE_METHOD_LAST ||
        v[4] > INT32_MAX || v[5] > INT32_MAX || chapters > 100000)
        return false;
    info->duration_ms = v[0];
    info->header_ms = v[1];
    info->truncated = v[2];
    info->method = (enum probe_method)v[3];
    info->sample_rate = (int)v[4];
    info->channels = (int)v[5];
    info->bit_rate = v[6];
    memcpy(info->codec, codec, sizeof(codec));
    if (chapters)
        info->chapters = xcalloc((size_t)chapters, sizeof(*info->chapters));
    for (int64_t i = 0; i < chapters; i++) {
        struct audio_chapter *ch = &info->chapters[info->chapters_nr];
        const char *tab, *end;
        char *title;

        if (*p != '\n' || !(tab = strchr(p + 1, '\t')))
            return false;
        p++;
        if (!number(&p, &ch->start_ms) || p != tab)
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

bool probe_cache_get_id(struct probe_cache *cache, const char *file,
                        const struct fileid *now, struct audio_info *info)
{
    const char *text;
    struct audio_info got = { 0 };

    if (!(text = fileid_cache_get(cache->ids, file, now)))
        return false;
    if (!parse(text, &got)) {
        audio_info_release(&got);
        return false;
    }
    got.size = now->size;
    got.key = *now;
    *info = got;
    return true;
}

bool probe_cache_get(struct probe_cache *cache, const char *file,
                     struct audio_info *info)
{
    struct fileid now;
    struct stat st;

    if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
        return false;
    fileid_from_stat(&now, &st);
    return probe_cache_get_id(cache, file, &now, info);
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
