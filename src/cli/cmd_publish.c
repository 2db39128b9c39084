/*
 * `podpub publish`: build, check, upload what changed, replace the feed
 * last, notify.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/publish.h"

static const char publish_usage[] =
    "usage: podpub publish [--target <url>] [--dry-run] [-j <n>]\n"
    "                      [--retries <n>] [--stall-timeout <s>]\n"
    "                      [--allow-removal] [--allow-guid-change] [--prune]\n"
    "                      [--lock-stale <s>] [--insecure-http] [--json]\n"
    "\n"
    "Targets: s3://bucket/prefix/, sftp://[user@]host[:port]/path/,\n"
    "ftp:// or ftps:// (explicit TLS), https:// (WebDAV), file:///path/.\n"
    "Credentials come from the environment: AWS_ACCESS_KEY_ID,\n"
    "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL;\n"
    "PODPUB_SSH_KEY, PODPUB_KNOWN_HOSTS; PODPUB_USER, PODPUB_PASSWORD or\n"
    "~/.netrc; PODPUB_CA_FILE for a private CA.\n";

static int long_arg(const char *opt, const char *arg, long lo, long hi,
                    long *v)
{
    char *end;

    *v = strtol(arg, &end, 10);
    if (*end || *v < lo || *v > hi)
        return usage_error(publish_usage, "%s: want a number from %ld to %ld",
                           opt, lo, hi);
    return 0;
}

int cmd_publish(int argc, char **argv)
{
    static const struct option opts[] = {
        { "target", required_argument, NULL, 't' },
        { "dry-run", no_argument, NULL, 'n' },
        { "retries", required_argument, NULL, 'r' },
        { "stall-timeout", required_argument, NULL, 's' },
        { "lock-stale", required_argument, NULL, 'L' },
        { "allow-removal", no_argument, NULL, 'R' },
        { "allow-guid-change", no_argument, NULL, 'G' },
        { "prune", no_argument, NULL, 'P' },
        { "insecure-http", no_argument, NULL, 'I' },
        { "json", no_argument, NULL, 'J' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct publish_opts po = {
        .out_dir = "public", .jobs = 4, .retries = 4, .stall_s = 30,
        .lock_stale_s = 3600, .now = (int64_t)time(NULL),
    };
    struct show show = { 0 };
    struct build_result res = { 0 };
    long v;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":hj:", opts, NULL)) != -1) {
        switch (c) {
        case 't': po.target = optarg; break;
        case 'n': po.dry_run = true; break;
        case 'j':
            if (long_arg("-j", optarg, 1, 64, &v) < 0)
                return PP_ERR_USAGE;
            po.jobs = (int)v;
            break;
        case 'r':
            if (long_arg("--retries", optarg, 0, 20, &v) < 0)
                return PP_ERR_USAGE;
            po.retries = (int)v;
            break;
        case 's':
            if (long_arg("--stall-timeout", optarg, 1, 3600, &v) < 0)
                return PP_ERR_USAGE;
            po.stall_s = v;
            break;
        case 'L':
            if (long_arg("--lock-stale", optarg, 1, 86400 * 7, &v) < 0)
                return PP_ERR_USAGE;
            po.lock_stale_s = v;
            break;
        case 'R': po.allow_removal = true; break;
        case 'G': po.allow_guid_change = true; break;
        case 'P': po.prune = true; break;
        case 'I': po.insecure_http = true; break;
        case 'J': po.json = true; break;
        case 'h': fputs(publish_usage, stdout); return 0;
        default:  return option_error(publish_usage, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(publish_usage, "unexpected argument '%s'",
                           argv[optind]);
    po.progress = !po.json && pp_verbosity >= 0 && isatty(STDERR_FILENO) &&
                  !getenv("NO_COLOR");
    ret = publish_show(&po, &show, &res);
    if (res.report.nr) {
        report_print(&res.report, stderr, false,
                     isatty(STDERR_FILENO) && !getenv("NO_COLOR"), true);
        input_error_count += (unsigned)report_count(&res.report, RULE_ERROR);
    }
    if (ret == PP_ERR_INPUT && atomic_load(&input_error_count)) {
        unsigned errors = atomic_load(&input_error_count);

        errorf(ret, "%u error%s; nothing published", errors,
               errors == 1 ? "" : "s");
    }
    build_result_release(&res);
    show_release(&show);
    return ret;
}
