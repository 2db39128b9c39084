/*
 * `podpub check`: the rules, all of them, on the show (or on any feed with
 * --feed), optionally fetching every URL (--online).
 */
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/build.h"
#include "podpub/check.h"
#include "podpub/feedread.h"

static const char check_usage[] =
    "usage: podpub check [--online [-j <n>] [--timeout <s>]] [--strict]\n"
    "                    [--ignore <rule>]... [--json] [--feed <url|file>]\n"
    "                    [--list-rules]\n"
    "\n"
    "  --online        also fetch every URL of the feed (HEAD and a range)\n"
    "  -j <n>          requests at once with --online (default 8)\n"
    "  --timeout <s>   seconds per request with --online (default 20)\n"
    "  --strict        warnings count as errors\n"
    "  --ignore <rule> do not report <rule> (or 'apple.image.*')\n"
    "  --json          findings as a JSON array, always one (errors that\n"
    "                  stop the check are findings too)\n"
    "  --feed <f>      check a published feed instead (an http(s) or\n"
    "                  file:// URL, or a file)\n"
    "  --list-rules    print the rules and exit\n";

/*
 * With --json, what would be printed as an error while the show is read
 * becomes a finding, so that the output is one JSON document. Episode
 * files are read on several threads: one at a time here.
 */
struct error_sink {
    struct check_report *r;
    pthread_mutex_t lock;
};

static void error_to_finding(void *ctx, const struct report_msg *m)
{
    struct error_sink *es = ctx;

    pthread_mutex_lock(&es->lock);
    if (m->pos)
        report_add(es->r, "input.invalid", m->pos, NULL, "%s%s%s",
                   m->field ? m->field : "", m->field ? ": " : "", m->text);
    else
        report_add(es->r, m->code == PP_ERR_REMOTE ? "online.unreachable" :
                   m->code == PP_ERR_INPUT ? "input.invalid" :
                   "input.unreadable", NULL, NULL, "%s", m->text);
    pthread_mutex_unlock(&es->lock);
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "online", no_argument, NULL, 'o' },
        { "timeout", required_argument, NULL, 't' },
        { "strict", no_argument, NULL, 's' },
        { "ignore", required_argument, NULL, 'i' },
        { "json", no_argument, NULL, 'J' },
        { "feed", required_argument, NULL, 'f' },
        { "list-rules", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct build_opts bo = {
        .now = (int64_t)time(NULL),
    };
    const char **ignore = xcalloc((size_t)argc + 1, sizeof(*ignore));
    struct show show = { 0 };
    struct feed_doc doc = { 0 };
    struct build_result res = { 0 };
    struct error_sink es = { &res.report, PTHREAD_MUTEX_INITIALIZER };
    struct report_sink sink = { error_to_finding, &es };
    const struct report_sink *old_sink = NULL;
    const char *feed = NULL;
    bool online = false, json = false, list = false, loaded;
    long jobs = 8, timeout = 20;
    size_t ignore_nr = 0, errors, warnings;
    int c, ret = 0;
    char *end;

    while ((c = getopt_long(argc, argv, ":hj:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': online = true; break;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 64) {
                free(ignore);
                return usage_error(check_usage, "-j: want 1 to 64");
            }
            break;
        case 't':
            timeout = strtol(optarg, &end, 10);
            if (*end || timeout < 1 || timeout > 600) {
                free(ignore);
                return usage_error(check_usage, "--timeout: want 1 to 600 "
                                   "seconds");
            }
            break;
        case 's': bo.strict = true; break;
        case 'i':
            if (!rule_find(optarg) && !ends_with(optarg, ".*")) {
                free(ignore);
                return usage_error(check_usage, "--ignore: '%s' is not a "
                                   "rule (see --list-rules)", optarg);
            }
            ignore[ignore_nr++] = optarg;
            break;
        case 'J': json = true; break;
        case 'f': feed = optarg; break;
        case 'l': list = true; break;
        case 'h': free(ignore); fputs(check_usage, stdout); return 0;
        default:  free(ignore); return option_error(check_usage, c, argv);
        }
    }
    if (optind != argc) {
        free(ignore);
        return usage_error(check_usage, "unexpected argument '%s'",
                           argv[optind]);
    }
    if (list) {
        rules_print(stdout, json);
        free(ignore);
        return 0;
    }
    bo.ignore = ignore;
    bo.ignore_nr = ignore_nr;
    if (json)
        old_sink = report_sink_set(&sink);
    if (feed) {
        /* A local show's report is set up by the build, from 'bo'. */
        res.report.strict = bo.strict;
        report_ignore(&res.report, ignore, ignore_nr);
        ret = check_feed(feed, &show, &doc, &res.report, bo.now, timeout);
        loaded = ret == 0;
    } else {
        struct build_output out = { 0 };

        ret = show_prepare(&bo, &show, &res);
        if (ret == 0) {
            ret = build_render(&bo, &show, &res, false, &out);
            build_output_release(&out);
            if (ret != PP_ERR_INPUT && (ret == 0 || res.report.nr))
                ret = 0;
        }
        /* Input errors (printed, or findings) stop before the rules. */
        if (ret < 0 && !res.report.nr && !json)
            goto out;
        loaded = res.live != NULL;
    }
    if (online && loaded) {
        struct episode **eps = res.feed ? res.feed : res.live;
        size_t nr = res.feed ? res.feed_nr : res.live_nr;

        ret = check_online(&res.report, &show, feed ? &doc : NULL, eps, nr,
                           (int)jobs, timeout);
    }
    report_print(&res.report, stdout, json,
                 !json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"),
                 false);
    errors = report_count(&res.report, RULE_ERROR) +
             (json ? 0 : input_error_count);
    warnings = report_count(&res.report, RULE_WARNING);
    if (!json)
        printf("%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s",
               warnings, warnings == 1 ? "" : "s");
    if (ret == 0 && errors)
        ret = PP_ERR_INPUT;
out:
    if (json)
        report_sink_set(old_sink);
    build_result_release(&res);
    feed_doc_release(&doc);
    show_release(&show);
    free(ignore);
    return ret;
}
