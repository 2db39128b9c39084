/*
 * `podpub stats --html FILE`: one self-contained page, its charts drawn
 * here as inline SVG: downloads per day, each episode's first 30 days
 * against the show's median, apps and platforms, then the table. No
 * script, no font, no image from elsewhere: a Content-Security-Policy of
 * default-src 'none' says so to the browser as well. Every number is in
 * the markup twice, drawn and as a data- attribute or text, so that the
 * browser test can compare it with --json.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/stats.h"
#include "../feed/xmlout.h"     /* the page's escaper, shared with index.html */

#define W 720                   /* the drawing's width in SVG units */

static void esc(struct strbuf *out, const char *s)
{
    xmlout_escape(out, s, "&<>\"'");
}

/* Appends 'fmt' where each %s is replaced by an escaped argument. */
static void add_esc(struct strbuf *out, const char *fmt, ...)
{
    va_list ap;
    const char *pct;

    va_start(ap, fmt);
    while ((pct = strstr(fmt, "%s"))) {
        strbuf_add(out, fmt, (size_t)(pct - fmt));
        esc(out, va_arg(ap, const char *));
        fmt = pct + 2;
    }
    strbuf_addstr(out, fmt);
    va_end(ap);
}

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:"
    "760px;padding:0 1rem;color:#1d1d1f;background:#fff}"
    "h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}"
    "svg{width:100%;height:auto;display:block}"
    ".axis{stroke:#888;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}"
    "text{font:11px system-ui,sans-serif;fill:#555}"
    ".bar{fill:#3a6ea5}.hbar{fill:#5b8c5a}"
    ".ep{fill:none;stroke:#b8c4d6;stroke-width:1.2}"
    ".median{fill:none;stroke:#c0392b;stroke-width:3}"
    "table{border-collapse:collapse;width:100%;margin-top:1rem}"
    "th,td{padding:.3rem .4rem;border-bottom:1px solid #e5e5e5;"
    "text-align:right}th:first-child,td:first-child{text-align:left}"
    ".note{color:#666;font-size:.9rem}";

static int64_t day_of(int64_t t)
{
    return t / 86400 - (t < 0 && t % 86400);
}

/* A round axis maximum at or above 'v' (1, 2, 5, 10, 20, 50, ...). */
static uint64_t nice_max(uint64_t v)
{
    uint64_t m = 1;

    for (;;) {
        if (v <= m)
            return m;
        if (v <= 2 * m)
            return 2 * m;
        if (v <= 5 * m)
            return 5 * m;
        m *= 10;
    }
}

static void chart_days(const struct stats_result *res, struct strbuf *out)
{
    const int h = 200, left = 40, bottom = 20, top = 10;
    int64_t first, last, ndays;
    uint64_t max = 0, ymax;
    double bw;
    char d[16];

    strbuf_addf(out, "<section id=\"per-day\"><h2>Downloads per day</h2>\n"
                "<svg id=\"chart-days\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "aria-label=\"Downloads per day\" data-total=\"%" PRIu64 "\">\n",
                W, h + top + bottom, res->total);
    if (!res->days_nr) {
        strbuf_addf(out, "<text x=\"%d\" y=\"%d\">no downloads</text></svg>"
                    "</section>\n", left, top + h / 2);
        return;
    }
    first = res->days[0].day;
    last = res->days[res->days_nr - 1].day;
    ndays = last - first + 1;
    for (size_t i = 0; i < res->days_nr; i++)
        if (res->days[i].n > max)
            max = res->days[i].n;
    ymax = nice_max(max);
    bw = (double)(W - left - 5) / (double)ndays;
    strbuf_addf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                "y2=\"%d\"/>\n<line class=\"grid\" x1=\"%d\" y1=\"%d\" "
                "x2=\"%d\" y2=\"%d\"/>\n<text x=\"%d\" y=\"%d\" "
                "text-anchor=\"end\">%" PRIu64 "</text>\n<text x=\"%d\" "
                "y=\"%d\" text-anchor=\"end\">0</text>\n",
                left, top + h, W - 5, top + h, left, top, W - 5, top,
                left - 4, top + 4, ymax, left - 4, top + h);
    for (size_t i = 0; i < res->days_nr; i++) {
        double bh = (double)res->days[i].n * h / (double)ymax;
        double x = left + (double)(res->days[i].day - first) * bw;

        stats_day_format(res->days[i].day, d, sizeof(d));
        strbuf_addf(out, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" "
                    "width=\"%.2f\" height=\"%.2f\" data-date=\"%s\" "
                    "data-n=\"%" PRIu64 "\"><title>%s: %" PRIu64
                    "</title></rect>\n", x, top + h - bh,
                    bw > 2 ? bw - 1 : bw, bh, d, res->days[i].n, d,
                    res->days[i].n);
    }
    stats_day_format(first, d, sizeof(d));
    strbuf_addf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", left,
                top + h + 15, d);
    stats_day_format(last, d, sizeof(d));
    strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                "</svg></section>\n", W - 5, top + h + 15, d);
}

static void polyline(struct strbuf *out, const char *cls, const uint64_t *cum,
                     int days, uint64_t ymax, int left, int top, int h)
{
    strbuf_addf(out, "<polyline class=\"%s\" points=\"", cls);
    for (int d = 0; d < days; d++)
        strbuf_addf(out, "%s%.1f,%.1f", d ? " " : "",
                    left + d * (double)(W - left - 5) / 29.0,
                    top + h - (double)cum[d] * h / (double)ymax);
    strbuf_addstr(out, "\"");
}

static void chart_curves(const struct stats_result *res, struct strbuf *out)
{
    const int h = 200, left = 40, bottom = 20, top = 10;
    uint64_t ymax = 1;

    for (size_t i = 0; i < res->episodes_nr; i++) {
        uint64_t cum = 0;

        for (int d = 0; d < 30; d++)
            cum += res->episodes[i].curve[d];
        if (cum > ymax)
            ymax = cum;
    }
    if (res->curve_median_nr && res->curve_median[29] > ymax)
        ymax = res->curve_median[29];
    ymax = nice_max(ymax);
    strbuf_addf(out, "<section id=\"first-30-days\"><h2>The first 30 days of "
                "each episode</h2>\n<p class=\"note\">Downloads added up day "
                "by day after publication; the red line is the median of the "
                "%zu episodes out for 30 days or more.</p>\n"
                "<svg id=\"chart-curves\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "aria-label=\"First 30 days per episode\" "
                "data-median-episodes=\"%zu\">\n"
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                "\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%" PRIu64
                "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
                "\n<text x=\"%d\" y=\"%d\">day 1</text>\n<text x=\"%d\" "
                "y=\"%d\" text-anchor=\"end\">day 30</text>\n",
                res->curve_median_nr, W, h + top + bottom, res->curve_median_nr,
                left, top + h, W - 5, top + h, left - 4, top + 4, ymax,
                left - 4, top + h, left, top + h + 15, W - 5, top + h + 15);
    for (size_t i = 0; i < res->episodes_nr; i++) {
        const struct stats_episode_result *e = &res->episodes[i];
        int days = 30;
        uint64_t cum[30], c = 0;

        if (!e->complete30 && res->last_t) {
            int64_t since = day_of(res->last_t) - day_of(e->date) + 1;

            days = since < 1 ? 1 : since > 30 ? 30 : (int)since;
        }
        for (int d = 0; d < 30; d++)
            cum[d] = c += e->curve[d];
        polyline(out, "ep", cum, days, ymax, left, top, h);
        add_esc(out, " data-guid=\"%s\"><title>%s</title></polyline>\n",
                e->guid, e->title);
    }
    if (res->curve_median_nr) {
        polyline(out, "median", res->curve_median, 30, ymax, left, top, h);
        strbuf_addstr(out, "><title>median</title></polyline>\n");
    }
    strbuf_addstr(out, "</svg></section>\n");
}

static void chart_bars(const char *id, const char *title,
                       const struct stats_count *c, size_t nr,
                       struct strbuf *out)
{
    const int row = 22, label = 200, top = 4;
    size_t shown = nr > 10 ? 10 : nr;
    uint64_t other = 0, max = 1;

    for (size_t i = shown; i < nr; i++)
        other += c[i].n;
    for (size_t i = 0; i < shown; i++)
        if (c[i].n > max)
            max = c[i].n;
    if (other > max)
        max = other;
    add_esc(out, "<section id=\"%s\"><h2>%s</h2>\n", id, title);
    strbuf_addf(out, "<svg id=\"chart-%s\" viewBox=\"0 0 %d %zu\" "
                "role=\"img\" aria-label=\"%s\">\n", id, W,
                (shown + (other > 0) + 1) * row + top, title);
    for (size_t i = 0; i <= shown; i++) {
        const char *name = i < shown ? c[i].name : "other";
        uint64_t n = i < shown ? c[i].n : other;
        double bw = (double)n * (W - label - 60) / (double)max;
        size_t y = top + i * row;

        if (i == shown && !other)
            break;
        add_esc(out, "<g data-name=\"%s\"", name);
        strbuf_addf(out, " data-n=\"%" PRIu64 "\"><text x=\"%d\" y=\"%zu\" "
                    "text-anchor=\"end\">", n, label - 6, y + 15);
        esc(out, name);
        strbuf_addf(out, "</text><rect class=\"hbar\" x=\"%d\" y=\"%zu\" "
                    "width=\"%.2f\" height=\"%d\"/><text x=\"%.2f\" "
                    "y=\"%zu\">%" PRIu64 "</text></g>\n", label, y + 3, bw,
                    row - 6, label + bw + 4, y + 15, n);
    }
    if (!nr)
        strbuf_addf(out, "<text x=\"%d\" y=\"%d\">no downloads</text>\n",
                    label, top + 15);
    strbuf_addstr(out, "</svg></section>\n");
}

static void table(const struct stats_result *res, struct strbuf *out)
{
    const struct stats_episode_result **rows;

    rows = stats_newest_first(res);
    strbuf_addstr(out, "<section id=\"episodes\"><h2>Episodes</h2>\n<table>"
                  "<thead><tr><th>episode</th><th>published</th>"
                  "<th>1 day</th><th>7 days</th><th>30 days</th>"
                  "<th>total</th><th>top app</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < res->episodes_nr; i++) {
        const struct stats_episode_result *e = rows[i];
        char d[16];

        stats_day_format(day_of(e->date), d, sizeof(d));
        add_esc(out, "<tr data-guid=\"%s\"><td class=\"title\">%s</td>",
                e->guid, e->title);
        strbuf_addf(out, "<td>%s</td><td class=\"first1\">%" PRIu64 "</td>"
                    "<td class=\"first7\">%" PRIu64 "</td>"
                    "<td class=\"first30\">%" PRIu64 "</td>"
                    "<td class=\"total\">%" PRIu64 "</td><td class=\"app\">",
                    d, e->first[0], e->first[1], e->first[2], e->total);
        esc(out, e->apps_nr ? e->apps[0].name : "");
        strbuf_addstr(out, "</td></tr>\n");
    }
    strbuf_addf(out, "</tbody><tfoot><tr><th>all</th><td></td><td></td>"
                "<td></td><td></td><td class=\"total\" id=\"total\">%"
                PRIu64 "</td><td></td></tr></tfoot></table></section>\n",
                res->total);
    free(rows);
}

static void write_html(const struct stats_result *res,
                       const struct stats_report_info *info,
                       struct strbuf *out)
{
    char from[16] = "", to[16] = "";

    if (res->first_t)
        stats_day_format(day_of(res->first_t), from, sizeof(from));
    if (res->last_t)
        stats_day_format(day_of(res->last_t), to, sizeof(to));
    strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-"
                  "Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
                  "content=\"width=device-width, initial-scale=1\">\n");
    add_esc(out, "<title>Downloads: %s</title>\n", info->show_title);
    strbuf_addf(out, "<style>%s</style>\n</head>\n<body>\n", style);
    add_esc(out, "<h1>Downloads: %s</h1>\n", info->show_title);
    strbuf_addf(out, "<p id=\"summary\"><strong id=\"downloads\">%" PRIu64
                "</strong> downloads", res->total);
    if (*from)
        strbuf_addf(out, " in the logs from %s to %s", from, to);
    add_esc(out, ", counted by the IAB Podcast Measurement Technical "
            "Guidelines 2.2 (user agents: %s).</p>\n", info->agents);
    chart_days(res, out);
    chart_curves(res, out);
    chart_bars("apps", "Apps", res->apps, res->apps_nr, out);
    chart_bars("platforms", "Platforms", res->platforms, res->platforms_nr,
               out);
    table(res, out);
    strbuf_addstr(out, "</body>\n</html>\n");
}

const struct stats_writer_ops stats_writer_html = {
    .name = "html",
    .write = write_html,
};
