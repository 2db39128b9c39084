/*
 * `podpub list`: every episode with its status (live, scheduled and when,
 * draft), duration, size and title, sorted by date.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/json.h"
#include "podpub/build.h"
#include "podpub/probe.h"
#include "podpub/strbuf.h"

static const char list_usage[] =
    "usage: podpub list [--json] [--at <date>]\n"
    "\n"
    "Lists the episodes with their status, duration, size and loudness\n"
    "(integrated LUFS and true peak in dBTP, unless loudness: off).\n"
    "\n"
    "  --json        one JSON object per episode, in an array\n"
    "  --at <date>   statuses as they will be at <date> (RFC 3339)\n";

struct row {
    const struct episode *ep;
    const char *status;     /* "live", "scheduled", "draft" */
};

static int cmp_row(const void *a, const void *b)
{
    const struct episode *x = ((const struct row *)a)->ep;
    const struct episode *y = ((const struct row *)b)->ep;

    if (x->date.t != y->date.t)
        return x->date.t < y->date.t ? -1 : 1;
    return strcmp(x->path, y->path);
}

static void number_of(const struct episode *ep, char *buf, size_t len)
{
    const char *type = ep->type == EPISODE_TRAILER ? "trailer" :
                       ep->type == EPISODE_BONUS ? "bonus" : NULL;

    if (ep->season.set && ep->episode.set)
        snprintf(buf, len, "S%lldE%02lld", ep->season.v, ep->episode.v);
    else if (ep->episode.set)
        snprintf(buf, len, "E%02lld", ep->episode.v);
    else if (ep->season.set)
        snprintf(buf, len, "S%lld %s", ep->season.v, type ? type : "");
    else
        snprintf(buf, len, "%s", type ? type : "-");
}

static void duration_of(const struct episode *ep, char *buf, size_t len)
{
    int64_t s = (ep->media.duration_ms + 500) / 1000;

    if (!ep->media.probed)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600,
                 s / 60 % 60, s % 60);
}

static void size_of(uint64_t bytes, bool known, char *buf, size_t len)
{
    if (!known)
        snprintf(buf, len, "-");
    else if (bytes >= 1000 * 1000)
        snprintf(buf, len, "%.1f MB", (double)bytes / 1e6);
    else
        snprintf(buf, len, "%.0f kB", (double)bytes / 1e3);
}

/* "-16.0" and "-1.2", or "-" when not measured. */
static void loudness_of(const struct episode *ep, char *lufs, char *tp,
                        size_t len)
{
    if (!ep->media.loud) {
        snprintf(lufs, len, "-");
        snprintf(tp, len, "-");
        return;
    }
    loudness_str(ep->media.lufs, lufs, len);
    loudness_str(ep->media.true_peak, tp, len);
}

static void print_json(const struct row *rows, size_t nr)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    json_array_lines(&j, 1);
    for (size_t i = 0; i < nr; i++) {
        const struct episode *ep = rows[i].ep;
        char date[32];

        date_format_rfc3339(&ep->date, date);
        json_object(&j);
        json_kv_str(&j, "file", ep->path);
        json_kv_str(&j, "title", ep->title.s);
        json_kv_str(&j, "guid", ep->guid.s ? ep->guid.s : "");
        json_kv_str(&j, "date", date);
        json_kv_str(&j, "status", rows[i].status);
        if (ep->season.set)
            json_kv_int(&j, "season", ep->season.v);
        if (ep->episode.set)
            json_kv_int(&j, "episode", ep->episode.v);
        if (ep->media.probed) {
            json_kv_int(&j, "duration_ms", ep->media.duration_ms);
            json_kv_uint(&j, "bytes", ep->media.size);
        }
        if (ep->media.loud) {
            struct loudness l = { true, ep->media.lufs, ep->media.lra,
                                  ep->media.true_peak };

            loudness_json(&j, "loudness", &l);
        }
        json_end(&j);
    }
    json_end(&j);
    strbuf_addch(&sb, '\n');
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

/* 's' in a column 'width' wide: left-aligned, or right with 'right'. */
static void column(struct strbuf *sb, const char *s, size_t width, bool right)
{
    static const char spaces[] = "                                ";
    size_t n = strlen(s), pad = n < width ? width - n : 0;

    if (pad > sizeof(spaces) - 1)
        pad = sizeof(spaces) - 1;   /* the columns are narrower */
    if (right)
        strbuf_add(sb, spaces, pad);
    strbuf_add(sb, s, n);
    if (!right)
        strbuf_add(sb, spaces, pad);
    strbuf_addch(sb, ' ');
}

/* The table, built whole and written once (a line per episode). */
static void print_table(const struct row *rows, size_t nr)
{
    struct winsize ws;
    size_t width = 0;
    int64_t live_ms = 0;
    uint64_t bytes = 0;
    size_t counts[3] = { 0 };
    char size[32];
    struct strbuf sb = STRBUF_INIT;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        width = ws.ws_col;
    printf("%-10s %-16s %-28s %8s %8s %6s %6s  %s\n", "#", "date", "status",
           "duration", "size", "LUFS", "dBTP", "title");
    for (size_t i = 0; i < nr; i++) {
        const struct episode *ep = rows[i].ep;
        char num[32], date[32], status[48], dur[32], lufs[16], tp[16];
        const char *title = ep->title.s;
        size_t start = sb.len, used;

        number_of(ep, num, sizeof(num));
        date_format_rfc3339(&ep->date, date);
        date[16] = '\0';
        date[10] = ' ';
        if (!strcmp(rows[i].status, "scheduled"))
            snprintf(status, sizeof(status), "scheduled (%s)", date);
        else
            snprintf(status, sizeof(status), "%s", rows[i].status);
        duration_of(ep, dur, sizeof(dur));
        size_of(ep->media.size, ep->media.probed, size, sizeof(size));
        loudness_of(ep, lufs, tp, sizeof(lufs));
        column(&sb, num, 10, false);
        column(&sb, date, 16, false);
        column(&sb, status, 28, false);
        column(&sb, dur, 8, true);
        column(&sb, size, 8, true);
        column(&sb, lufs, 6, true);
        column(&sb, tp, 6, true);
        strbuf_addch(&sb, ' ');
        used = sb.len - start;
        if (width && used + 4 < width)
            strbuf_add(&sb, title, utf8_fit(title, width - used - 1));
        else
            strbuf_addstr(&sb, title);
        strbuf_addch(&sb, '\n');
        counts[rows[i].status[0] == 'l' ? 0 :
               rows[i].status[0] == 's' ? 1 : 2]++;
        if (rows[i].status[0] == 'l')
            live_ms += ep->media.duration_ms;
        if (ep->media.probed)
            bytes += ep->media.size;
    }
    fwrite(sb.buf, 1, sb.len, stdout);
    strbuf_release(&sb);
    size_of(bytes, true, size, sizeof(size));
    printf("%zu episode%s: %zu live, %zu scheduled, %zu draft%s; live ",
           nr, nr == 1 ? "" : "s", counts[0], counts[1], counts[2],
           counts[2] == 1 ? "" : "s");
    print_duration(stdout, live_ms);
    printf(", %s of audio\n", size);
}

int cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "at", required_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    /* Nothing listed is a URL. */
    struct build_opts bo = { .now = (int64_t)time(NULL), .no_urls = true };
    struct show show = { 0 };
    struct build_result res;
    struct row *rows;
    size_t nr = 0;
    bool json = false;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'a':
            if (parse_at(optarg, &bo.now) < 0)
                return usage_error(list_usage, "--at: \"%s\" is not a date "
                                   "(want RFC 3339)", optarg);
            break;
        case 'h': fputs(list_usage, stdout); return 0;
        default:  return option_error(list_usage, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(list_usage, "unexpected argument '%s'",
                           argv[optind]);
    ret = show_prepare(&bo, &show, &res);
    if (ret < 0) {
        cli_release(&show, &res);
        return ret;
    }
    rows = xcalloc(show.nr + 1, sizeof(*rows));
    for (size_t i = 0; i < res.live_nr; i++)
        rows[nr++] = (struct row){ res.live[i], "live" };
    for (size_t i = 0; i < res.scheduled_nr; i++)
        rows[nr++] = (struct row){ res.scheduled[i], "scheduled" };
    for (size_t i = 0; i < res.drafts_nr; i++)
        rows[nr++] = (struct row){ res.drafts[i], "draft" };
    qsort(rows, nr, sizeof(*rows), cmp_row);
    if (json)
        print_json(rows, nr);
    else
        print_table(rows, nr);
    free(rows);
    cli_release(&show, &res);
    return 0;
}
