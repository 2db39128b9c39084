/*
 * `podpub stats`: the terminal table, one row per episode, newest first:
 * downloads in the first day, week and month after publication and in
 * all, and the three apps that downloaded it most.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/stats.h"

static size_t columns(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void write_table(const struct stats_result *res,
                        const struct stats_report_info *info,
                        struct strbuf *out)
{
    const struct stats_episode_result **rows;
    char d[16];

    (void)info;
    rows = stats_newest_first(res);
    strbuf_addf(out, "%-32s %-10s %7s %7s %7s %8s  %s\n", "episode",
                "published", "1 day", "7 days", "30 days", "total",
                "top apps");
    for (size_t i = 0; i < res->episodes_nr; i++) {
        const struct stats_episode_result *e = rows[i];
        char *title = printable(e->title, 200);
        size_t n = utf8_fit(title, 32);

        stats_day_format(e->date / 86400, d, sizeof(d));
        size_t cols = columns(title) < 32 ? columns(title) : 32;

        strbuf_addf(out, "%.*s%*s %-10s %7" PRIu64 " %7" PRIu64 " %7" PRIu64
                    " %8" PRIu64 " ", (int)n, title, (int)(32 - cols), "", d,
                    e->first[0], e->first[1], e->first[2], e->total);
        for (size_t k = 0; k < e->apps_nr && k < 3; k++) {
            char *app = printable(e->apps[k].name, 60);

            strbuf_addf(out, "%s %s %" PRIu64, k ? "," : "", app,
                        e->apps[k].n);
            free(app);
        }
        strbuf_addch(out, '\n');
        free(title);
    }
    strbuf_addf(out, "%-32s %-10s %7s %7s %7s %8" PRIu64 "\n", "all", "", "",
                "", "", res->total);
    free(rows);
}

const struct stats_writer_ops stats_writer_table = {
    .name = "table",
    .write = write_table,
};
