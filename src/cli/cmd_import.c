/*
 * `podpub import FEED [DIR]`: a live show into a show folder.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/import.h"

static const char import_usage[] =
    "usage: podpub import [--media download|keep] [-j <n>] [--base-url <url>]\n"
    "                     [--ci github|gitlab|forgejo|none]\n"
    "                     [--timeout <s>] <feed> [<dir>]\n"
    "\n"
    "Brings the show of <feed> (an http(s):// or file:// URL, or a path)\n"
    "into a show folder, <dir> (default: the slug of its title): every\n"
    "item becomes an episode file with its GUID, date and numbers as\n"
    "published. Into the folder of a show it imported before, it adds only\n"
    "the items the show does not have. What podpub cannot keep is listed.\n"
    "\n"
    "  --media download   download the audio into episodes/ (the default):\n"
    "                     checked against the feed's length and probed; an\n"
    "                     interrupted download continues on the next run\n"
    "  --media keep       the audio stays at its URL (audio_url:)\n"
    "  -j, --jobs <n>     downloads at once (default 4)\n"
    "  --base-url <url>   where the show will be served from; ends with /\n"
    "  --ci <ci>          the workflow to write, as podpub init\n"
    "  --timeout <s>      per request; for media, to connect and the longest\n"
    "                     stall (default 60)\n";

/* The one progress line on a terminal, redrawn in place. */
static void on_progress(void *ctx, const struct http_download_progress *p)
{
    double rate = p->seconds > 0 ? (double)p->have / p->seconds : 0;

    (void)ctx;
    if (p->done == p->nr) {
        /* All ended: the line goes before anything else is printed. */
        fputs("\r\033[K", stderr);
        fflush(stderr);
        return;
    }
    fprintf(stderr, "\rdownloading %zu/%zu: %.1f of %.1f MB, %.1f MB/s",
            p->done, p->nr, (double)p->have / 1e6, (double)p->total / 1e6,
            rate / 1e6);
    if (p->failed)
        fprintf(stderr, ", %zu failed", p->failed);
    fputs("\033[K", stderr);
    fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "media", required_argument, NULL, 'm' },
        { "base-url", required_argument, NULL, 'b' },
        { "ci", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "jobs", required_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct import_opts o = { .timeout_s = 60, .jobs = 4 };
    struct import_result res = { 0 };
    const char *media = "download";
    char *end;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":hj:", opts, NULL)) != -1) {
        switch (c) {
        case 'm': media = optarg; break;
        case 'b': o.base_url = optarg; break;
        case 'c': o.ci = optarg; break;
        case 't':
            o.timeout_s = strtol(optarg, &end, 10);
            if (*end || o.timeout_s < 1 || o.timeout_s > 3600)
                return usage_error(import_usage, "--timeout: \"%s\" is not "
                                   "1 to 3600 seconds", optarg);
            break;
        case 'j':
            o.jobs = (int)strtol(optarg, &end, 10);
            if (*end || o.jobs < 1 || o.jobs > 64)
                return usage_error(import_usage, "-j: \"%s\" is not 1 to "
                                   "64 downloads", optarg);
            break;
        case 'h': fputs(import_usage, stdout); return 0;
        default:  return option_error(import_usage, c, argv);
        }
    }
    if (optind == argc)
        return usage_error(import_usage, "which feed? (a URL or a path)");
    o.feed = argv[optind++];
    if (optind < argc)
        o.dir = argv[optind++];
    if (optind != argc)
        return usage_error(import_usage, "unexpected argument '%s'",
                           argv[optind]);
    if (strcmp(media, "keep") && strcmp(media, "download"))
        return usage_error(import_usage, "--media: \"%s\" is not download "
                           "or keep", media);
    o.keep_media = !strcmp(media, "keep");
    if (!o.keep_media && pp_verbosity >= 0 && isatty(STDERR_FILENO) &&
        !getenv("NO_COLOR"))
        o.progress = on_progress;
    if (o.base_url && !cli_base_url_ok(o.base_url))
        return usage_error(import_usage, "--base-url: \"%s\" is not an "
                           "http(s) URL ending in '/'", o.base_url);
    if (!cli_ci_known(o.ci))
        return usage_error(import_usage, "--ci: \"%s\" is not github, "
                           "gitlab, forgejo or none", o.ci);
    ret = show_import(&o, &res);
    if (res.done) {
        if (pp_verbosity >= 0)
            printf("%s: %zu item%s in the feed, %zu episode%s %s\n",
                   res.dir, res.items, res.items == 1 ? "" : "s", res.added,
                   res.added == 1 ? "" : "s",
                   res.synced ? "added" : "imported");
        if (res.known && pp_verbosity >= 0)
            printf("%zu item%s already in the show\n", res.known,
                   res.known == 1 ? "" : "s");
        if (!o.keep_media && pp_verbosity >= 0)
            printf("%zu media file%s downloaded (%.1f MB), %zu continued "
                   "from an earlier run\n", res.downloaded,
                   res.downloaded == 1 ? "" : "s",
                   (double)res.downloaded_bytes / 1e6, res.resumed);
    }
    if (res.notes_nr) {
        /* Kept, but not as the old feed described them. */
        fprintf(stderr, "media that differ from the old feed:\n");
        for (size_t i = 0; i < res.notes_nr; i++)
            fprintf(stderr, "  %s: %s\n", res.notes[i].file,
                    res.notes[i].what);
    }
    if (res.done && res.left_nr) {
        /* Never dropped silently: what the show does not keep. */
        fprintf(stderr, "not kept from the old feed:\n");
        for (size_t i = 0; i < res.left_nr; i++) {
            const struct import_left *l = &res.left[i];

            fprintf(stderr, "  %6zu  %s%s%s%s\n", l->count, l->what,
                    l->example ? " (e.g. " : "",
                    l->example ? l->example : "", l->example ? ")" : "");
        }
    }
    import_result_release(&res);
    return ret;
}
