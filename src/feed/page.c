/*
 * public/index.html: the listener's page, written with the feed from the
 * same data. One self-contained file (inline CSS, no scripts, no fonts or
 * anything else from elsewhere), every text escaped, and deterministic
 * like the feed: no clock, no locale.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/feed.h"
#include "podpub/media.h"
#include "xmlout.h"

/* The page's own words, in the show's language where podpub has them. */
struct words {
    const char *lang;
    const char *episodes, *subscribe, *rss, *download, *season, *episode,
               *trailer, *bonus, *artwork, *play, *archive;
};

static const struct words word_table[] = {
    { "en", "Episodes", "Subscribe", "RSS feed", "Download", "Season",
      "episode", "Trailer", "Bonus", "Artwork of", "Play", "All episodes" },
    { "nl", "Afleveringen", "Abonneren", "RSS-feed", "Downloaden", "Seizoen",
      "aflevering", "Trailer", "Bonus", "Artwork van", "Afspelen",
      "Alle afleveringen" },
};

/* Names for the directories a show may list under "links:". */
static const struct {
    const char *key, *label;
} link_labels[] = {
    { "apple", "Apple Podcasts" },
    { "spotify", "Spotify" },
    { "podcastindex", "Podcast Index" },
    { "pocketcasts", "Pocket Casts" },
    { "overcast", "Overcast" },
    { "antennapod", "AntennaPod" },
    { "castbox", "Castbox" },
    { "youtube", "YouTube" },
    { "amazon", "Amazon Music" },
    { "deezer", "Deezer" },
    { "website", "Website" },
};

static const struct words *words_for(const char *lang)
{
    for (size_t i = 0; i < ARRAY_SIZE(word_table); i++)
        if (!strncmp(lang, word_table[i].lang, 2) &&
            (!lang[2] || lang[2] == '-' || lang[2] == '_'))
            return &word_table[i];
    return &word_table[0];
}

/* Appends 's' with the five characters HTML gives meaning to replaced. */
static void html_escape(struct strbuf *sb, const char *s)
{
    xmlout_escape(sb, s, "&<>\"'");
}

/* Appends 'fmt', where each %s is replaced by the next argument, escaped. */
static void add_esc(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    for (;;) {
        const char *pct = strstr(fmt, "%s");
        size_t n = pct ? (size_t)(pct - fmt) : strlen(fmt);

        strbuf_add(sb, fmt, n);
        if (!pct)
            break;
        html_escape(sb, va_arg(ap, const char *));
        fmt = pct + 2;
    }
    va_end(ap);
}

/*
 * Appends 'v' in decimal: strbuf_addf() costs more than the rest of an
 * episode's entry, ten thousand times.
 */
static void add_unum(struct strbuf *sb, uint64_t v)
{
    char buf[24], *p = buf + sizeof(buf);

    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    strbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

/* Appends 'v' (0-99) as two digits. */
static void add_2digits(struct strbuf *sb, int64_t v)
{
    if (v < 10)
        strbuf_addch(sb, '0');
    add_unum(sb, (uint64_t)v);
}

static void add_num(struct strbuf *sb, long long v)
{
    if (v < 0)
        strbuf_addch(sb, '-');
    add_unum(sb, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

static void add_duration(struct strbuf *sb, int64_t ms)
{
    int64_t s = (ms + 500) / 1000;

    if (s >= 3600) {
        add_unum(sb, (uint64_t)(s / 3600));
        strbuf_addch(sb, ':');
        add_2digits(sb, s / 60 % 60);
        strbuf_addch(sb, ':');
        add_2digits(sb, s % 60);
    } else if (s >= 0) {
        add_unum(sb, (uint64_t)(s / 60));
        strbuf_addch(sb, ':');
        add_2digits(sb, s % 60);
    } else {    /* never for probed audio; formatted as it always was */
        strbuf_addf(sb, "%" PRId64 ":%02" PRId64, s / 60, s % 60);
    }
}

static void add_size(struct strbuf *sb, uint64_t bytes)
{
    if (bytes >= 1024 * 1024) {
        add_unum(sb, bytes / (1024 * 1024));
        strbuf_addch(sb, '.');
        add_unum(sb, bytes % (1024 * 1024) * 10 / (1024 * 1024));
        strbuf_addstr(sb, " MB");
    } else {
        add_unum(sb, (bytes + 1023) / 1024);
        strbuf_addstr(sb, " KB");
    }
}

static const char page_css[] =
    ":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#5a5a5a;"
    "--line:#ddd;--accent:#a3161a}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#141414;"
    "--muted:#aaa;--line:#333;--accent:#ff6b6b}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:1rem/1.55 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:var(--fg);background:var(--bg)}\n"
    "header,main,footer{max-width:46rem;margin:0 auto;padding:1.25rem}\n"
    "header{display:flex;gap:1.25rem;flex-wrap:wrap;align-items:flex-start}\n"
    "header img{width:12rem;height:12rem;border-radius:.5rem;"
    "object-fit:cover;flex:none}\n"
    "header div{flex:1 1 16rem}\n"
    "h1{margin:0 0 .25rem;font-size:1.9rem;line-height:1.2}\n"
    "h2{border-bottom:1px solid var(--line);padding-bottom:.3rem}\n"
    "h3{margin:0 0 .2rem;font-size:1.25rem}\n"
    "a{color:var(--accent)}\n"
    ".author,.meta{color:var(--muted);margin:0 0 .5rem}\n"
    ".subscribe ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;"
    "gap:.5rem}\n"
    ".subscribe a{display:inline-block;padding:.3rem .8rem;border:1px solid "
    "var(--accent);border-radius:1rem;text-decoration:none}\n"
    "article{padding:1rem 0;border-bottom:1px solid var(--line)}\n"
    "audio{width:100%;margin:.4rem 0}\n"
    ".notes{overflow-wrap:anywhere}\n"
    "footer{color:var(--muted);font-size:.9rem}\n";

static void episode_label(struct strbuf *sb, const struct episode *ep,
                          const struct words *w)
{
    if (ep->type == EPISODE_TRAILER)
        strbuf_addstr(sb, w->trailer);
    else if (ep->type == EPISODE_BONUS)
        strbuf_addstr(sb, w->bonus);
    if (ep->season.set) {
        strbuf_addstr(sb, ep->type != EPISODE_FULL ? " · " : "");
        strbuf_addstr(sb, w->season);
        strbuf_addch(sb, ' ');
        add_num(sb, ep->season.v);
    }
    if (ep->episode.set) {
        const char *label = w->episode;

        if (ep->season.set || ep->type != EPISODE_FULL) {
            strbuf_addstr(sb, ep->season.set ? ", " : " · ");
            strbuf_addstr(sb, label);
        } else {
            /* First on its line: "Aflevering 3", not "aflevering 3". */
            strbuf_addch(sb, (char)toupper((unsigned char)label[0]));
            strbuf_addstr(sb, label + 1);
        }
        strbuf_addch(sb, ' ');
        add_num(sb, ep->episode.v);
    }
}

static void write_episode(struct strbuf *sb, const struct episode *ep,
                          const struct words *w)
{
    const char *audio_url = ep->enclosure_url;
    char date[32];
    /* The file's extension; for audio hosted elsewhere, its type's. */
    const struct media_type *m = media_by_mime(ep->media.mime,
                                               MEDIA_AUDIO | MEDIA_OTHER);
    const char *ext = ep->audio.s ? strrchr(ep->audio.s, '.') : NULL;

    date_format_rfc3339(&ep->date, date);
    add_esc(sb, "<article id=\"%s\" aria-labelledby=\"%s-title\">\n",
            ep->name, ep->name);
    add_esc(sb, "<h3 id=\"%s-title\"><a href=\"#%s\">%s</a></h3>\n",
            ep->name, ep->name, ep->title.s);
    add_esc(sb, "<p class=\"meta\"><time datetime=\"%s\">", date);
    strbuf_add(sb, date, 10);   /* YYYY-MM-DD: no month names to translate */
    strbuf_addstr(sb, "</time> · ");
    add_duration(sb, ep->media.duration_ms);
    if (ep->type != EPISODE_FULL || ep->season.set || ep->episode.set) {
        strbuf_addstr(sb, " · ");
        episode_label(sb, ep, w);
    }
    strbuf_addstr(sb, "</p>\n");
    add_esc(sb, "<audio controls preload=\"none\" src=\"%s\" "
            "aria-label=\"%s: %s\"></audio>\n", audio_url, w->play,
            ep->title.s);
    add_esc(sb, "<p><a href=\"%s\" download>%s", audio_url, w->download);
    strbuf_addstr(sb, " (");
    strbuf_addstr(sb, ext ? ext + 1 : m ? m->ext : "audio");
    strbuf_addstr(sb, ", ");
    add_size(sb, ep->media.size);
    strbuf_addstr(sb, ")</a></p>\n");
    if (*ep->notes.html) {
        /* Not strbuf_addf(): it would format the notes twice. */
        strbuf_addstr(sb, "<div class=\"notes\">\n");
        strbuf_addstr(sb, ep->notes.html);
        strbuf_addstr(sb, "\n</div>\n");
    } else if (ep->summary.s) {
        add_esc(sb, "<div class=\"notes\"><p>%s</p></div>\n", ep->summary.s);
    }
    strbuf_addstr(sb, "</article>\n");
}

void page_render(const struct show *show, struct episode *const *eps,
                 size_t nr, const char *archive_url, struct strbuf *out)
{
    struct outbuf o;

    outbuf_init(&o, OUTBUF_KEEP, NULL);
    o.sb = *out;
    page_render_to(show, eps, nr, archive_url, &o);
    *out = o.sb;
}

void page_render_to(const struct show *show, struct episode *const *eps,
                    size_t nr, const char *archive_url, struct outbuf *o)
{
    struct strbuf *sb = &o->sb;
    const struct words *w = words_for(show->language.s);
    const char *image_url = show->image_url;

    add_esc(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n<title>%s</title>\n",
            show->language.s, show->title.s);
    add_esc(sb, "<meta name=\"description\" content=\"%s\">\n",
            show->description.s);
    add_esc(sb, "<link rel=\"alternate\" type=\"application/rss+xml\" "
            "title=\"%s\" href=\"%s\">\n", show->title.s, show->feed_url.s);
    strbuf_addf(sb, "<meta name=\"generator\" content=\"%s\">\n"
                "<style>\n%s</style>\n</head>\n<body>\n<header>\n",
                PP_GENERATOR, page_css);
    if (image_url)
        add_esc(sb, "<img src=\"%s\" alt=\"%s %s\" width=\"192\" "
                "height=\"192\">\n", image_url, w->artwork, show->title.s);
    add_esc(sb, "<div>\n<h1>%s</h1>\n", show->title.s);
    if (show->author.s)
        add_esc(sb, "<p class=\"author\">%s</p>\n", show->author.s);
    add_esc(sb, "<p>%s</p>\n", show->description.s);
    add_esc(sb, "<nav class=\"subscribe\" aria-label=\"%s\">\n<ul>\n"
            "<li><a href=\"%s\" type=\"application/rss+xml\">%s</a></li>\n",
            w->subscribe, show->feed_url.s, w->rss);
    for (size_t i = 0; i < show->links_nr; i++) {
        const char *label = show->links[i].key;

        for (size_t j = 0; j < ARRAY_SIZE(link_labels); j++)
            if (!strcmp(link_labels[j].key, label))
                label = link_labels[j].label;
        add_esc(sb, "<li><a href=\"%s\">%s</a></li>\n",
                show->links[i].url.s, label);
    }
    if (archive_url)
        add_esc(sb, "<li><a href=\"%s\" type=\"application/rss+xml\">%s"
                "</a></li>\n", archive_url, w->archive);
    add_esc(sb, "</ul>\n</nav>\n</div>\n</header>\n<main>\n<h2>%s</h2>\n",
            w->episodes);
    for (size_t i = 0; i < nr && outbuf_flush(o); i++)
        write_episode(sb, eps[i], w);
    strbuf_addstr(sb, "</main>\n<footer>\n<p>");
    if (show->copyright.s) {
        html_escape(sb, show->copyright.s);
        strbuf_addstr(sb, " · ");
    }
    strbuf_addf(sb, "%s</p>\n</footer>\n</body>\n</html>\n", PP_GENERATOR);
}
