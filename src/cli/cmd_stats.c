/*
 * `podpub stats`: reads access logs (files, stdin, or the folder named by
 * publish.logs) and prints downloads per episode, counted by the IAB
 * rules against the show's enclosure URLs, as a table, JSON or CSV, and
 * writes an HTML page with charts on request.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/build.h"
#include "podpub/manifest.h"
#include "podpub/stats.h"
#include "podpub/strbuf.h"

static const char stats_usage[] =
    "usage: podpub stats [<options>] <log>...\n"
    "       podpub stats [<options>] --from-target\n"
    "\n"
    "  <log>             an access log, plain or gzip; - for stdin\n"
    "  --from-target     read the logs in the folder publish.logs names\n"
    "  --format <name>   every line is in this format (default: detected\n"
    "                    per line): combined, s3, cloudfront, caddy, logpush\n"
    "  --agents <path>   OPAWG user-agents-v2 lists: their src/ folder or one\n"
    "                    file (default: $PODPUB_AGENTS, then the copy built in)\n"
    "  --no-agents       count without the lists (no bot is excluded)\n"
    "  --json            the result as JSON\n"
    "  --csv             one CSV row per episode\n"
    "  --html <file>     also write a page with charts to <file>\n"
    "  --no-state        neither read nor write " PP_STATS_STATE "\n"
    "  --state <file>    the state file (default " PP_STATS_STATE ")\n";

/* Where the lists are when neither --agents nor PODPUB_AGENTS says. */
#ifndef PODPUB_AGENTS_DIR
#define PODPUB_AGENTS_DIR "/usr/share/podpub/user-agents"
#endif

struct stats_cli {
    const char *format, *html, *state;
    const char **agents;
    size_t agents_nr;
    bool json, csv, from_target, no_agents;
};

static int load_agents(const struct stats_cli *o, struct stats_agents **a)
{
    const char *env = getenv("PODPUB_AGENTS");
    int ret = 0;

    if (o->no_agents)
        return 0;
    for (size_t i = 0; i < o->agents_nr && ret == 0; i++)
        ret = stats_agents_load(a, o->agents[i]);
    if (ret < 0 || o->agents_nr)
        return ret;
    if (env && *env)
        return stats_agents_load(a, env);
    if (access(PODPUB_AGENTS_DIR, F_OK) == 0)
        return stats_agents_load(a, PODPUB_AGENTS_DIR);
    return errorf(PP_ERR_INPUT, "no user-agent lists (looked in '%s'): pass "
                  "--agents with the src/ folder of "
                  "github.com/opawg/user-agents-v2, or --no-agents to count "
                  "bots too", PODPUB_AGENTS_DIR);
}

/*
 * Earlier file names of episodes: the manifest publish last wrote names
 * every file it uploaded with its episode's guid, renamed ones too.
 */
static void add_earlier_names(const struct show *show,
                              struct stats_catalog *cat)
{
    struct strbuf sb = STRBUF_INIT;
    struct manifest m = { 0 };
    struct stats_alias *aliases;
    size_t nr = 0;

    if (access(MANIFEST_COPY, F_OK) < 0)
        return;
    if (strbuf_read_file(&sb, MANIFEST_COPY, MANIFEST_MAX_BYTES) < 0 ||
        manifest_parse(&m, sb.buf, sb.len, MANIFEST_COPY) < 0) {
        warnf("%s is not usable: earlier file names are not counted",
              MANIFEST_COPY);
        strbuf_release(&sb);
        return;
    }
    aliases = xcalloc(m.nr + 1, sizeof(*aliases));
    for (size_t i = 0; i < m.nr; i++)
        if (m.items[i].guid)
            aliases[nr++] = (struct stats_alias){
                show_file_url(show, m.items[i].key), m.items[i].guid };
    stats_catalog_add_aliases(cat, aliases, nr);
    for (size_t i = 0; i < nr; i++)
        free((char *)aliases[i].url);
    free(aliases);
    manifest_release(&m);
    strbuf_release(&sb);
}

/* The episodes in the feed, with their enclosure URLs, sizes, durations. */
static int load_catalog(struct show *show, struct stats_catalog *cat)
{
    struct build_opts bo = { .now = (int64_t)time(NULL) };
    struct build_result res;
    int ret = show_prepare(&bo, show, &res);

    if (ret < 0)
        goto out;
    for (size_t i = 0; i < res.live_nr; i++) {
        const struct episode *ep = res.live[i];

        if (!ep->enclosure_url || !ep->media.probed)
            continue;
        if (stats_catalog_add(cat, ep->guid.s, ep->title.s, ep->date.t,
                              ep->enclosure_url, ep->media.size,
                              ep->media.duration_ms) < 0)
            warnf("%s: enclosure URL shared with another episode; its "
                  "downloads count for the first", ep->path);
    }
    add_earlier_names(show, cat);
out:
    build_result_release(&res);
    return ret;
}

/*
 * The log files in the folder 'url' (a path or a file:// URL), sorted by
 * name. The caller frees each and the array.
 */
static int target_logs(const char *url, char ***files, size_t *nr)
{
    const char *dir = url;
    DIR *d;
    struct dirent *de;
    size_t alloc = 0;

    if (starts_with(url, "file://"))
        dir = url + 7;
    else if (strstr(url, "://"))
        return errorf(PP_ERR_USAGE, "publish.logs: cannot read logs from "
                      "'%s' yet: give a folder (a path or file:// URL) that "
                      "the logs are synced to, or the files", url);
    d = opendir(dir);
    if (!d)
        return errorf(PP_ERR_IO, "cannot read the log folder '%s': %s", dir,
                      strerror(errno));
    while ((de = readdir(d))) {
        char *path;
        struct stat st;

        if (de->d_name[0] == '.')
            continue;
        path = xstrfmt("%s%s%s", dir, ends_with(dir, "/") ? "" : "/",
                       de->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            ALLOC_GROW(*files, *nr + 1, alloc);
            (*files)[(*nr)++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
    if (*nr)
        qsort(*files, *nr, sizeof(**files), cmp_strings);
    return 0;
}

static void report_lines(const struct stats_result *r)
{
    for (size_t i = 0; i < r->unmatched_first_nr; i++) {
        char *file = printable(r->unmatched_first[i].file, 200);

        warnf("%s:%llu: line %s, not counted", file,
              (unsigned long long)r->unmatched_first[i].line,
              r->unmatched_first[i].why);
        free(file);
    }
    if (r->unmatched > r->unmatched_first_nr)
        warnf("%llu more lines not counted",
              (unsigned long long)(r->unmatched - r->unmatched_first_nr));
}

static int run(const struct stats_cli *o, char **logs, size_t logs_nr)
{
    struct show show = { 0 };
    struct stats_catalog *cat = stats_catalog_new();
    struct stats_agents *agents = NULL;
    struct stats *st = NULL;
    struct stats_result res = { 0 };
    struct strbuf sb = STRBUF_INIT, desc = STRBUF_INIT;
    char **found = NULL;
    size_t found_nr = 0;
    int ret;

    ret = load_agents(o, &agents);
    if (ret < 0)
        goto out;
    ret = load_catalog(&show, cat);
    if (ret < 0)
        goto out;
    if (o->from_target) {
        if (!show.publish_logs.s) {
            ret = errorf(PP_ERR_USAGE, "--from-target: %s has no "
                         "publish.logs", PP_SHOW_FILE);
            goto out;
        }
        ret = target_logs(show.publish_logs.s, &found, &found_nr);
        if (ret < 0)
            goto out;
        logs = found;
        logs_nr = found_nr;
    }
    st = stats_new(cat, &(struct stats_opts){
        .format = o->format ? stats_format_find(o->format) : NULL,
        .agents = agents });
    if (o->state && (ret = stats_state_load(st, o->state)) < 0)
        goto out;
    ret = stats_read_files(st, (const char *const *)logs, logs_nr);
    if (ret < 0)
        goto out;
    stats_result(st, &res);
    report_lines(&res);
    stats_agents_describe(agents, &desc);
    {
        const struct stats_report_info info = { show.title.s, desc.buf };
        const struct stats_writer_ops *w = o->json ? &stats_writer_json :
                                           o->csv ? &stats_writer_csv :
                                           &stats_writer_table;

        if (o->html) {
            stats_writer_html.write(&res, &info, &sb);
            ret = write_file_atomic(o->html, sb.buf, sb.len);
            if (ret < 0)
                goto out;
            strbuf_reset(&sb);
        }
        w->write(&res, &info, &sb);
        fputs(sb.buf, stdout);
    }
    if (o->state) {
        if (mkdir(".podpub", 0777) < 0 && errno != EEXIST &&
            starts_with(o->state, ".podpub/")) {
            ret = errorf(PP_ERR_IO, "cannot create '.podpub': %s",
                         strerror(errno));
            goto out;
        }
        ret = stats_state_save(st, o->state);
    }
out:
    stats_result_release(&res);
    stats_free(st);
    stats_agents_free(agents);
    stats_catalog_free(cat);
    show_release(&show);
    for (size_t i = 0; i < found_nr; i++)
        free(found[i]);
    free(found);
    strbuf_release(&sb);
    strbuf_release(&desc);
    return ret;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "agents", required_argument, NULL, 'a' },
        { "no-agents", no_argument, NULL, 'A' },
        { "json", no_argument, NULL, 'j' },
        { "csv", no_argument, NULL, 'c' },
        { "html", required_argument, NULL, 'H' },
        { "from-target", no_argument, NULL, 't' },
        { "state", required_argument, NULL, 's' },
        { "no-state", no_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct stats_cli o = { .state = PP_STATS_STATE };
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!stats_format_find(optarg)) {
                free(o.agents);
                return usage_error(stats_usage, "--format: unknown format "
                                   "'%s'", optarg);
            }
            o.format = optarg;
            break;
        case 'a':
            o.agents = xrealloc(o.agents, (o.agents_nr + 1) *
                                sizeof(*o.agents));
            o.agents[o.agents_nr++] = optarg;
            break;
        case 'A': o.no_agents = true; break;
        case 'j': o.json = true; break;
        case 'c': o.csv = true; break;
        case 'H': o.html = optarg; break;
        case 't': o.from_target = true; break;
        case 's': o.state = optarg; break;
        case 'S': o.state = NULL; break;
        case 'h': free(o.agents); fputs(stats_usage, stdout); return 0;
        default:  free(o.agents); return option_error(stats_usage, c, argv);
        }
    }
    if (o.json && o.csv)
        ret = usage_error(stats_usage, "--json and --csv: choose one");
    else if (o.no_agents && o.agents_nr)
        ret = usage_error(stats_usage, "--agents and --no-agents: choose one");
    else if (o.from_target == (optind < argc))
        ret = usage_error(stats_usage, o.from_target ?
                          "--from-target reads no other logs" :
                          "which logs? (give files, - or --from-target)");
    else
        ret = run(&o, argv + optind, (size_t)(argc - optind));
    free(o.agents);
    return ret;
}
