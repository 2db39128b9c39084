/*
 * `podpub stats --csv`: one row per episode (RFC 4180), for spreadsheets.
 * A field a spreadsheet would take for a formula (=, +, -, @ first) gets
 * a leading apostrophe.
 */
#include <inttypes.h>
#include <string.h>

#include "podpub/stats.h"

static void field(struct strbuf *out, const char *s)
{
    strbuf_addch(out, '"');
    if (strchr("=+-@\t\r", s[0]) && s[0])
        strbuf_addch(out, '\'');
    for (; *s; s++) {
        if (*s == '"')
            strbuf_addch(out, '"');
        strbuf_addch(out, *s);
    }
    strbuf_addch(out, '"');
}

static void write_csv(const struct stats_result *res,
                      const struct stats_report_info *info,
                      struct strbuf *out)
{
    (void)info;
    strbuf_addstr(out, "guid,title,published,first_1_day,first_7_days,"
                  "first_30_days,downloads,top_app\r\n");
    for (size_t i = 0; i < res->episodes_nr; i++) {
        const struct stats_episode_result *e = &res->episodes[i];
        char d[16];

        stats_day_format(e->date / 86400, d, sizeof(d));
        field(out, e->guid);
        strbuf_addch(out, ',');
        field(out, e->title);
        strbuf_addf(out, ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                    ",", d, e->first[0], e->first[1], e->first[2], e->total);
        field(out, e->apps_nr ? e->apps[0].name : "");
        strbuf_addstr(out, "\r\n");
    }
}

const struct stats_writer_ops stats_writer_csv = {
    .name = "csv",
    .write = write_csv,
};
