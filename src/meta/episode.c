/*
 * episodes/NNN-slug.md -> struct episode: YAML front matter between '---'
 * lines, then Markdown show notes. A UTF-8 byte order mark and CRLF line
 * ends are accepted (editors on Windows write them); anything that cannot
 * go into an XML feed is refused with its line and column.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "podpub/media.h"
#include "podpub/strbuf.h"
#include "podpub/uuid.h"

static const char *const episode_keys[] = {
    "title", "guid", "date", "audio", "season", "episode", "type",
    "explicit", "summary", "transcript", "transcripts", "image", "link", "draft",
    "chapters", "audio_url", "bytes", "duration", "audio_type",
    /* Podcast Index namespace (pi.c) */
    "persons", "location", "license", "txt", "soundbites", "social_interact",
    "season_name", "episode_display", "block", "value", "value_time_splits",
    "images", NULL,
};

/* True when the line starting at 'p' (of 'len' bytes) is 'marker'. */
static bool is_marker_line(const char *p, size_t len, const char *marker)
{
    size_t n = strlen(marker);

    if (len < n || memcmp(p, marker, n))
        return false;
    for (size_t i = n; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return false;
    return true;
}

/* Copies 'buf' without a BOM and with CRLF turned into LF. */
static void normalise(struct strbuf *out, const char *buf, size_t len)
{
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        buf += 3;
        len -= 3;
    }
    strbuf_grow(out, len);
    /* Copy line by line: a CR before an LF is dropped, others stay. */
    while (len) {
        const char *nl = memchr(buf, '\n', len);
        size_t n = nl ? (size_t)(nl - buf) : len;

        if (nl) {
            strbuf_add(out, buf, n && buf[n - 1] == '\r' ? n - 1 : n);
            strbuf_addch(out, '\n');
            n++;
        } else {
            strbuf_add(out, buf, n);
        }
        buf += n;
        len -= n;
    }
}

/* "chapters:" is a list of "MM:SS Title" or the name of a JSON file. */
static int parse_chapters_field(struct episode *ep, const struct ynode *root)
{
    const struct ynode *n = ytree_get(root, "chapters");
    int ret;

    if (!n || ytree_is_null(n))
        return 0;
    if (n->type == YNODE_SEQ)
        return chapters_parse_list(ep, n);
    if ((ret = meta_text(root, "chapters", "chapters", false,
                         &ep->chapters_file)) < 0 ||
       (ret = meta_check_rel_path(&ep->chapters_file, "chapters",
                             PP_EPISODES_DIR)) < 0)
        return ret;
    if (!ep->chapters_file.s)
        return 0;   /* chapters: "" is no chapters */
    if (!ends_with(ep->chapters_file.s, ".json"))
        return input_error(&n->pos, "chapters", "want a list of \"MM:SS "
                           "Title\" or a .json chapters file");
    ep->chapters_path = xstrfmt("%s/%s", PP_EPISODES_DIR, ep->chapters_file.s);
    return 0;
}

/*
 * "audio_url:" with "bytes:", "duration:" and optionally "audio_type:"
 * (else the URL's extension says it): audio that stays where it is
 * hosted. Its facts go into ep->media as if probed.
 */
static int parse_remote_audio(struct episode *ep, const struct ynode *root)
{
    struct number bytes = { 0 };
    struct text duration = { 0 }, type = { 0 };
    const struct media_type *m = NULL;
    int ret = 0;

#define F(call) do { if ((call) < 0) ret = PP_ERR_INPUT; } while (0)
    F(meta_text(root, "audio_url", "audio_url", false, &ep->audio_url));
    F(meta_check_url(&ep->audio_url, "audio_url"));
    F(meta_number(root, "bytes", "bytes", 0, INT64_MAX, &bytes));
    F(meta_text(root, "duration", "duration", false, &duration));
    F(meta_text(root, "audio_type", "audio_type", false, &type));
#undef F
    if (!ep->audio_url.s) {
        const char *stray = bytes.set ? "bytes" : duration.s ? "duration" :
                            type.s ? "audio_type" : NULL;

        if (stray)
            ret = input_error(bytes.set ? &bytes.pos : duration.s ?
                              &duration.pos : &type.pos, stray, "only with "
                              "audio_url: (a local audio: file is probed)");
        goto out;
    }
    if (ep->audio.s) {
        ret = input_error(&ep->audio_url.pos, "audio_url", "an episode has "
                          "either audio: (a file) or audio_url: (hosted "
                          "elsewhere), not both");
        goto out;
    }
    if (!bytes.set && !ytree_get(root, "bytes"))
        ret = input_error(&ep->audio_url.pos, "bytes", "missing: audio "
                          "hosted elsewhere needs its exact size in bytes");
    if (!duration.s && !ytree_get(root, "duration"))
        ret = input_error(&ep->audio_url.pos, "duration", "missing: audio "
                          "hosted elsewhere needs its duration (H:MM:SS or "
                          "seconds)");
    else if (duration.s && chapter_time_parse(duration.s, &ep->media.duration_ms) < 0)
        ret = input_error(&duration.pos, "duration", "\"%.40s\" is not a "
                          "duration (want H:MM:SS, MM:SS or seconds)",
                          duration.s);
    m = type.s ? media_by_type(type.s, MEDIA_AUDIO | MEDIA_OTHER)
               : media_of_name(ep->audio_url.s);
    if (!m || !(m->uses & (MEDIA_AUDIO | MEDIA_OTHER))) {
        struct strbuf want = STRBUF_INIT;

        media_list_exts(&want, MEDIA_AUDIO);
        ret = type.s ?
            input_error(&type.pos, "audio_type", "\"%.60s\" is not a type "
                        "of audio podpub knows", type.s) :
            input_error(&ep->audio_url.pos, "audio_type", "missing: the "
                        "URL does not end in %s, so say the MIME type "
                        "(audio_type: audio/mpeg)", want.buf);
        strbuf_release(&want);
        m = NULL;
    }
    if (ret == 0 && m) {
        ep->media.probed = true;
        ep->media.size = (uint64_t)bytes.v;
        ep->media.mime = m->mime;
    }
out:
    free(duration.s);
    free(type.s);
    return ret;
}

static int parse_fields(const struct show *show, struct episode *ep,
                        const struct ynode *root)
{
    struct text date = { 0 }, type = { 0 };
    int ret = 0;

#define F(call) do { if ((call) < 0) ret = PP_ERR_INPUT; } while (0)
    F(meta_check_keys(root, episode_keys, ""));
    F(meta_text(root, "title", "title", true, &ep->title));
    if (ytree_get(root, "guid"))
        F(meta_text(root, "guid", "guid", true, &ep->guid));
    F(meta_text(root, "date", "date", true, &date));
    F(meta_text(root, "audio", "audio", !ytree_get(root, "audio_url"),
                &ep->audio));
    F(meta_number(root, "season", "season", 1, 99999, &ep->season));
    F(meta_number(root, "episode", "episode", 1, 9999999, &ep->episode));
    F(meta_text(root, "type", "type", false, &type));
    F(meta_flag(root, "explicit", "explicit", false, &ep->explicit));
    F(meta_flag(root, "draft", "draft", false, &ep->draft));
    F(meta_text(root, "summary", "summary", false, &ep->summary));
    F(meta_text(root, "image", "image", false, &ep->image));
    F(meta_text(root, "link", "link", false, &ep->link));
    if (ep->audio.s && strstr(ep->audio.s, "://"))
        ret = input_error(&ep->audio.pos, "audio", "\"%.80s\" is a URL: "
                          "audio: names a file in episodes/; audio hosted "
                          "elsewhere is audio_url: (with bytes:, duration:)",
                          ep->audio.s);
    else
        F(meta_check_rel_path(&ep->audio, "audio", PP_EPISODES_DIR));
    F(meta_check_rel_path(&ep->image, "image", PP_EPISODES_DIR));
    F(meta_check_url(&ep->link, "link"));
    F(parse_chapters_field(ep, root));
    F(parse_remote_audio(ep, root));
    F(pi_episode_parse(ep, root));
#undef F
    if (!ytree_get(root, "guid") && !meta_misspelt(root, "guid")) {
        char fresh[UUID_STR_LEN];

        uuid_v4(fresh);
        ret = input_error(&root->pos, "guid", "missing (required; it must "
                          "never change once published: add e.g. "
                          "'guid: %s')", fresh);
    } else if (ep->guid.s && (strpbrk(ep->guid.s, "\t\n\r") ||
                              *ep->guid.s == ' ' ||
                              ep->guid.s[strlen(ep->guid.s) - 1] == ' ')) {
        /* Inner spaces are kept: feeds podpub imports have such guids,
         * and apps know the episodes by them. */
        ret = input_error(&ep->guid.pos, "guid", "\"%.80s\" starts or ends "
                          "with white space, or has a tab or line break",
                          ep->guid.s);
    }
    if (date.s) {
        const char *why;

        ep->date_pos = date.pos;
        if (date_parse(date.s, show->timezone.s, &ep->date, &why) < 0)
            ret = input_error(&date.pos, "date", "\"%.40s\"%s%s", date.s,
                              strncmp(why, "is ", 3) ? ": " : " ", why);
        free(date.s);
    }
    if (type.s) {
        ep->type_pos = type.pos;
        if (!strcmp(type.s, "trailer"))
            ep->type = EPISODE_TRAILER;
        else if (!strcmp(type.s, "bonus"))
            ep->type = EPISODE_BONUS;
        else if (strcmp(type.s, "full"))
            ret = input_error(&type.pos, "type",
                              "\"%.40s\" is not full, trailer or bonus",
                              type.s);
        free(type.s);
    }
    if (ep->audio.s)
        ep->audio_path = xstrfmt("%s/%s", PP_EPISODES_DIR, ep->audio.s);
    if (ep->image.s)
        ep->image_path = xstrfmt("%s/%s", PP_EPISODES_DIR, ep->image.s);
    return ret;
}

void episode_init_path(struct episode *ep, const char *path)
{
    const char *base = strrchr(path, '/');

    memset(ep, 0, sizeof(*ep));
    ep->path = xstrdup(path);
    base = base ? base + 1 : path;
    ep->name = ends_with(base, ".md") ? xstrndup(base, strlen(base) - 3)
                                      : xstrdup(base);
}

int episode_parse_buffer(const struct show *show, const char *path,
                         const char *buf, size_t len, struct episode *ep)
{
    struct strbuf sb = STRBUF_INIT;
    struct ynode *root = NULL;
    const char *p, *end, *fm_end = NULL, *notes;
    int line = 2, ret = 0;   /* the line after the opening '---' */
    struct srcpos pos = { NULL, 1, 1 };

    episode_init_path(ep, path);
    pos.file = ep->path;
    normalise(&sb, buf, len);
    p = sb.buf;
    end = sb.buf + sb.len;
    if (memchr(p, '\0', sb.len)) {
        const char *nul = memchr(p, '\0', sb.len);

        for (const char *q = p; q < nul; q++) {
            if (*q == '\n') {
                pos.line++;
                pos.col = 1;
            } else if (((unsigned char)*q & 0xc0) != 0x80) {
                pos.col++;
            }
        }
        ret = input_error(&pos, NULL, "contains a NUL byte (not a text "
                          "file?)");
        goto out;
    }
    {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

        if (!is_marker_line(p, n, "---")) {
            ret = input_error(&pos, NULL, "missing front matter: the file "
                              "must start with a '---' line");
            goto out;
        }
        p = nl ? nl + 1 : end;
    }
    /* Find the closing '---' (or '...') line. */
    for (const char *q = p; q < end; line++) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q);

        if (is_marker_line(q, n, "---") || is_marker_line(q, n, "...")) {
            fm_end = q;
            notes = nl ? nl + 1 : end;
            line++;   /* the notes start below the closing marker */
            break;
        }
        q = nl ? nl + 1 : end;
    }
    if (!fm_end) {
        ret = input_error(&pos, NULL, "front matter is not closed: no '---' "
                          "line after line 1");
        goto out;
    }
    if ((ret = meta_check_bytes(ep->path, p, (size_t)(fm_end - p), 2,
                                NULL)) < 0 ||
        (ret = ytree_load(ep->path, p, (size_t)(fm_end - p), 1, &root)) < 0)
        goto out;
    if (!root || root->type != YNODE_MAP) {
        struct srcpos at = { ep->path, 2, 1 };

        ret = input_error(root ? &root->pos : &at, NULL,
                          "front matter must be fields (title: ..., "
                          "guid: ...)");
        goto out;
    }
    ret = parse_fields(show, ep, root);
    if (meta_check_bytes(ep->path, notes, (size_t)(end - notes), line,
                         "notes") < 0) {
        ret = PP_ERR_INPUT;
        goto out;
    }
    ep->notes.line = line;
    notes_render(&ep->notes, notes, (size_t)(end - notes));
out:
    ytree_free(root);
    strbuf_release(&sb);
    return ret;
}

bool episode_explicit(const struct show *show, const struct episode *ep)
{
    return ep->explicit.set ? ep->explicit.v : show->explicit.v;
}

void episode_release(struct episode *ep)
{
    struct text *texts[] = {
        &ep->title, &ep->guid, &ep->audio, &ep->summary,
        &ep->image, &ep->link, &ep->chapters_file, &ep->audio_url,
    };

    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        FREE_AND_NULL(texts[i]->s);
    if (!ep->notes.borrowed) {
        free(ep->notes.html);
        free(ep->notes.text);
    }
    free(ep->audio_path);
    free(ep->image_path);
    free(ep->chapters_path);
    free(ep->enclosure_url);
    free(ep->image_url);
    free(ep->chapters_url);
    free(ep->page_url);
    episode_clear_alts(ep);
    episode_clear_chapters(ep);
    pi_episode_release(&ep->pi);
    transcripts_free(ep);
    free(ep->path);
    free(ep->name);
    memset(ep, 0, sizeof(*ep));
}
