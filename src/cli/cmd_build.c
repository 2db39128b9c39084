/*
 * `podpub build`: write public/feed.xml and say what went into it.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/build.h"

static const char build_usage[] =
    "usage: podpub build [--out <dir>] [--at <date>] [--no-cache]\n"
    "\n"
    "  --out <dir>   write into <dir> instead of public/\n"
    "  --at <date>   build the show as it will be at <date> (RFC 3339);\n"
    "                episodes dated later are left out as scheduled\n"
    "  --no-cache    parse every episode file and probe every audio file,\n"
    "                ignoring .podpub/episode-cache and .podpub/probe-cache\n";

static void list_left_out(const char *what, struct episode **eps, size_t nr,
                          bool with_date)
{
    if (!nr)
        return;
    printf("left out: %zu %s:", nr, what);
    for (size_t i = 0; i < nr; i++) {
        char date[32];

        printf(" %s", eps[i]->path);
        if (with_date) {
            date_format_rfc3339(&eps[i]->date, date);
            printf(" (live %s)", date);
        }
        putchar(i + 1 < nr ? ',' : '\n');
    }
}

/* One line on the terminal, rewritten in place, cleared at the end. */
static void show_progress(const char *what, size_t done, size_t total,
                          const char *current, void *ctx)
{
    (void)ctx;
    if (!current) {
        fputs("\r\033[K", stderr);
        return;
    }
    fprintf(stderr, "\r\033[K%s %zu/%zu %.60s", what, done, total, current);
    fflush(stderr);
}

void print_build(int ret, const struct build_result *res,
                 const char *feed_name, const char *archive_name)
{
    if (res->report.nr) {
        size_t warnings = report_count(&res->report, RULE_WARNING);

        report_print(&res->report, stderr, false,
                     isatty(STDERR_FILENO) && !getenv("NO_COLOR"), true);
        input_error_count += (unsigned)report_count(&res->report, RULE_ERROR);
        if (warnings && pp_verbosity >= 0)
            fprintf(stderr, "podpub: %zu warning%s; 'podpub check' lists "
                    "them\n", warnings, warnings == 1 ? "" : "s");
    }
    if (ret < 0) {
        unsigned errors = atomic_load(&input_error_count);

        if (errors > 1)
            errorf(ret, "%u errors; no feed written", errors);
        else if (errors)
            errorf(ret, "no feed written");
    } else if (pp_verbosity >= 0) {
        if (archive_name)
            printf("%s: the newest %zu of %zu episodes (feed_limit); %s: "
                   "all; ", feed_name, res->feed_nr, res->live_nr,
                   archive_name);
        else
            printf("%s: %zu episode%s, ", feed_name, res->feed_nr,
                   res->feed_nr == 1 ? "" : "s");
        print_duration(stdout, res->total_ms);
        printf(" in all\n");
        list_left_out(res->drafts_nr == 1 ? "draft" : "drafts", res->drafts,
                      res->drafts_nr, false);
        list_left_out("scheduled", res->scheduled, res->scheduled_nr, true);
    }
}

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "at", required_argument, NULL, 'a' },
        { "no-cache", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct build_opts bo = { .out_dir = "public", .now = (int64_t)time(NULL) };
    struct show show = { 0 };
    struct build_result res;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            bo.out_dir = optarg;
            break;
        case 'a':
            if (parse_at(optarg, &bo.now) < 0)
                return usage_error(build_usage, "--at: \"%s\" is not a date "
                                   "(want RFC 3339)", optarg);
            break;
        case 'n':
            bo.no_cache = true;
            break;
        case 'h': fputs(build_usage, stdout); return 0;
        default:  return option_error(build_usage, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(build_usage, "unexpected argument '%s'",
                           argv[optind]);
    if (!*bo.out_dir)
        return usage_error(build_usage, "--out: empty folder name");
    if (pp_verbosity >= 0 && isatty(STDERR_FILENO))
        bo.progress = show_progress;
    ret = build_show(&bo, &show, &res);
    if (pp_verbosity > 0)
        fprintf(stderr, "probe: %lu audio files opened, %zu results from "
                "the cache\n", res.opened_nr, res.cached_nr);
    if (pp_verbosity > 0)
        fprintf(stderr, "episodes: %zu parsed, %zu from the cache (%zu "
                "files not read%s)\n", show.nr - show.episodes_cached,
                show.episodes_cached, show.episodes_unread,
                show.episodes_listed ? ", nor the folder" : "");
    if (pp_verbosity > 0 && show.alternates_nr)
        fprintf(stderr, "alternates: %zu transcoded\n", res.transcoded_nr);
    print_build(ret, &res, res.feed_path, res.archive_path);
    cli_release(&show, &res);
    return ret;
}
