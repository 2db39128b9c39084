/*
 * `podpub publish`: build, check, upload what changed, replace the feed
 * last, notify.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/json.h"
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

/* What publishing reports, printed: text, progress bars or nothing. */
struct printer {
    bool json;                  /* results as one JSON object, at the end */
    bool bars;                  /* progress bars on stderr (a terminal) */
    bool dry_run;
    int lines;                  /* lines of the progress block on screen */
};

/* Erases the progress block before anything else is printed. */
static void erase_bars(struct printer *pr)
{
    if (pr->lines)
        fprintf(stderr, "\033[%dF\033[J", pr->lines);
    pr->lines = 0;
    fflush(stderr);
}

static bool talk(const struct printer *pr)
{
    return !pr->json && pp_verbosity >= 0;
}

static void on_planned(void *ctx, const struct publish_result *r)
{
    struct printer *pr = ctx;

    if (!talk(pr))
        return;
    printf("%s: +%zu new, %zu changed notes, %zu removed%s\n", r->target,
           r->added, r->changed_notes, r->removed,
           r->guid_changed ? ", guids changed" : "");
    if (r->dry_run || pp_verbosity > 0) {
        for (size_t i = 0; i < r->files_nr; i++)
            if (r->files[i].plan)
                printf("  %s %s (%" PRIu64 " bytes)\n",
                       r->dry_run ? "would upload" : "upload",
                       r->files[i].key, r->files[i].bytes);
        for (size_t i = 0; i < r->removals_nr; i++) {
            char *shown = printable(r->removals[i].key, 200);

            printf("  %s %s\n", r->dry_run ? "would remove" : "remove",
                   shown);
            free(shown);
        }
    }
    printf("%zu to upload (%.1f MB), %zu unchanged\n", r->uploads,
           (double)r->upload_bytes / 1e6, r->files_nr - r->uploads);
    if (r->up_to_date)
        printf("nothing to publish: %s is up to date\n", r->target);
}

static void on_uploaded(void *ctx, const struct publish_file *f)
{
    struct printer *pr = ctx;

    if (!talk(pr))
        return;
    if (pr->bars)
        erase_bars(pr);
    printf("uploaded %s (%" PRIu64 " bytes, %s)\n", f->key, f->bytes,
           f->plan);
    fflush(stdout);
}

static void bar(struct strbuf *sb, uint64_t done, uint64_t total)
{
    int width = 24, filled = total ? (int)(done * (uint64_t)width / total) : 0;

    if (filled > width)
        filled = width;
    strbuf_addch(sb, '[');
    for (int i = 0; i < width; i++)
        strbuf_addch(sb, i < filled ? '#' : '-');
    strbuf_addf(sb, "] %3d%%", total ? (int)(done * 100 / total) : 100);
}

/*
 * The progress block on a terminal: a bar per running transfer and a
 * total (bytes, rate, time left), redrawn in place.
 */
static void on_progress(void *ctx, const struct publish_progress *p)
{
    struct printer *pr = ctx;
    struct strbuf sb = STRBUF_INIT;
    double rate = p->seconds > 0 ? (double)p->sent / p->seconds : 0;

    for (size_t i = 0; i < p->running_nr; i++) {
        strbuf_addf(&sb, "  %-32.32s ", p->running[i].key);
        bar(&sb, p->running[i].sent, p->running[i].size);
        strbuf_addch(&sb, '\n');
    }
    strbuf_addstr(&sb, "  total                            ");
    bar(&sb, p->sent, p->total);
    strbuf_addf(&sb, " %.1f of %.1f MB, %.1f MB/s", (double)p->sent / 1e6,
                (double)p->total / 1e6, rate / 1e6);
    if (rate > 0 && p->total > p->sent)
        strbuf_addf(&sb, ", %.0f s left", (double)(p->total - p->sent) / rate);
    strbuf_addch(&sb, '\n');
    erase_bars(pr);
    fputs(sb.buf, stderr);
    fflush(stderr);
    pr->lines = (int)p->running_nr + 1;
    strbuf_release(&sb);
}

static void on_feed_live(void *ctx, const char *url)
{
    struct printer *pr = ctx;

    if (talk(pr))
        printf("feed live: %s\n", url);
}

static void on_removed(void *ctx, const char *key)
{
    struct printer *pr = ctx;
    char *shown;

    if (!talk(pr))
        return;
    shown = printable(key, 200);
    printf("removed %s\n", shown);
    free(shown);
}

static void on_notified(void *ctx, const char *hub)
{
    (void)ctx;
    if (pp_verbosity >= 0)
        fprintf(stderr, "notified %s\n", hub);
}

static void on_trace(void *ctx, char dir, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%c %s\n", dir, line);
}

/*
 * --json: one object on stdout when publishing ends, whatever happened:
 * the plan and what came of it, each file's reason and result, the
 * removals, the exit code.
 */
static void print_json(const struct publish_result *r, int ret)
{
    static const struct json_layout files = { "\n  ", ",\n  ", "", NULL };
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    json_object(&j);
    json_kv_str(&j, "target", r->target ? r->target : "");
    json_kv_bool(&j, "dry_run", r->dry_run);
    json_kv_bool(&j, "published", ret == 0 && !r->dry_run);
    json_kv_int(&j, "exit", ret < 0 ? -ret : 0);
    json_key(&j, "diff");
    json_object(&j);
    json_kv_uint(&j, "new", r->added);
    json_kv_uint(&j, "changed_notes", r->changed_notes);
    json_kv_uint(&j, "removed", r->removed);
    json_kv_uint(&j, "guid_changed", r->guid_changed);
    json_end(&j);
    json_key(&j, "files");
    json_array_laid(&j, &files);
    for (size_t i = 0; i < r->files_nr; i++) {
        const struct publish_file *f = &r->files[i];

        json_object(&j);
        json_kv_str(&j, "key", f->key);
        json_kv_uint(&j, "bytes", f->bytes);
        json_kv_str(&j, "sha256", f->sha256);
        json_kv_str(&j, "plan", f->plan ? f->plan : "unchanged");
        json_kv_str(&j, "result", !f->plan ? "unchanged" : f->uploaded ?
                    "uploaded" : r->dry_run ? "would upload" :
                    "not uploaded");
        json_end(&j);
    }
    json_end(&j);
    json_key(&j, "remove");
    json_array(&j);
    for (size_t i = 0; i < r->removals_nr; i++) {
        json_object(&j);
        json_kv_str(&j, "key", r->removals[i].key);
        json_kv_bool(&j, "removed", r->removals[i].removed);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    strbuf_addch(&sb, '\n');
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
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
    struct printer pr = { 0 };
    struct publish_report rep = {
        .ctx = &pr, .planned = on_planned, .uploaded = on_uploaded,
        .feed_live = on_feed_live, .removed = on_removed,
        .notified = on_notified,
    };
    struct publish_opts po = {
        .out_dir = "public", .jobs = 8, .retries = 4, .stall_s = 30,
        .lock_stale_s = 3600, .now = (int64_t)time(NULL), .report = &rep,
    };
    struct show show = { 0 };
    struct build_result res = { 0 };
    struct publish_result result = { 0 };
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
        case 'J': pr.json = true; break;
        case 'h': fputs(publish_usage, stdout); return 0;
        default:  return option_error(publish_usage, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(publish_usage, "unexpected argument '%s'",
                           argv[optind]);
    pr.dry_run = po.dry_run;
    pr.bars = !pr.json && pp_verbosity >= 0 && isatty(STDERR_FILENO) &&
              !getenv("NO_COLOR");
    if (pr.bars)
        rep.progress = on_progress;
    if (pp_verbosity > 1)
        rep.trace = on_trace;
    ret = publish_show(&po, &show, &res, &result);
    if (pr.bars)
        erase_bars(&pr);
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
    if (pr.json)
        print_json(&result, ret);
    publish_result_release(&result);
    build_result_release(&res);
    show_release(&show);
    return ret;
}
