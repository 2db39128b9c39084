/*
 * podpub's entry point: global options, the command table, and the exit
 * status (the absolute value of a PP_ERR_* code).
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "podpub/build.h"
#include "podpub/net.h"
#include "podpub/ptime.h"
#include "podpub/util.h"
#include "podpub/version.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    { "init", cmd_init, "start a new show in a folder" },
    { "import", cmd_import, "bring a live show in from its feed" },
    { "add", cmd_add, "add an episode from an audio file" },
    { "build", cmd_build, "build public/ (feed.xml, index.html) from the show" },
    { "check", cmd_check, "check the show against RSS, Apple, Spotify, Podcast Index" },
    { "list", cmd_list, "list the episodes: live, scheduled, drafts" },
    { "publish", cmd_publish, "upload what changed, then the feed" },
    { "probe", cmd_probe, "show what podpub reads from audio and artwork" },
    { "normalize", cmd_normalize, "bring episodes' audio to the show's loudness" },
    { "serve", cmd_serve, "preview the show on this machine, rebuilt as you edit" },
    { "stats", cmd_stats, "count downloads in access logs (IAB rules), with charts" },
    { "help", cmd_help, "show help for podpub or a command" },
};

static const char main_usage[] =
    "usage: podpub [-C <dir>] [-q | -v] [--version] [-h | --help] "
    "<command> [<args>]\n";

int usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return PP_ERR_USAGE;
}

int option_error(const char *usage, int c, char **argv)
{
    const char *arg = argv[optind - 1];

    if (c == ':')
        return usage_error(usage, "option '%s' needs a value", arg);
    if (optopt && !starts_with(arg, "--"))
        return usage_error(usage, "unknown option '-%c'", optopt);
    return usage_error(usage, "unknown option '%s'", arg);
}

/*
 * A show of 10,000 episodes is some 200,000 blocks: freeing them one by
 * one costs a warm build 14 ms that the process's exit does in none. They
 * stay reachable from here, so leak checkers (valgrind) do not count them
 * as lost. Under AddressSanitizer they are freed as everywhere else, so
 * that its leak checker still finds whatever show_release() misses.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CLI_ASAN 1
#endif

#ifndef CLI_ASAN
/* volatile: the stores that keep it reachable are not optimised away. */
static struct kept {
    struct show show;
    struct build_result res;
} *volatile kept;
#endif

void cli_release(struct show *show, struct build_result *res)
{
#ifndef CLI_ASAN
    if (!kept) {
        struct kept *k = xmalloc(sizeof(*k));

        k->show = *show;
        k->res = *res;
        kept = k;
        return;
    }
#endif
    build_result_release(res);
    show_release(show);
}

int parse_at(const char *arg, int64_t *t)
{
    struct pp_date at;
    const char *why;

    if (date_parse(arg, "UTC", &at, &why) < 0)
        return -1;
    *t = at.t;
    return 0;
}

void print_duration(FILE *out, long long ms)
{
    long long s = (ms + 500) / 1000;

    if (s >= 3600)
        fprintf(out, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        fprintf(out, "%lld:%02lld", s / 60, s % 60);
}

static void print_main_help(FILE *out)
{
    fputs(main_usage, out);
    fputs("\npodpub turns a folder of episodes into a podcast feed.\n\n"
          "options:\n"
          "  -C <dir>     run in <dir> instead of the current folder\n"
          "  -q, --quiet  print only errors\n"
          "  -v, --verbose  print more about what happens\n"
          "  --version    print podpub's version\n\n"
          "commands:\n", out);
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
    fputs("\n'podpub help <command>' or 'podpub <command> --help' tells more.\n",
          out);
}

/*
 * "podpub 0.1.0", then each library as loaded now, with the version
 * podpub was compiled against where that differs. FFmpeg's libraries and
 * libcurl are in modules, loaded on first use: only with -v are they
 * loaded here, so that `podpub --version` starts as fast as the rest.
 */
static void print_version(FILE *out)
{
    struct lib_version libs[PP_LIB_VERSIONS];

    lib_versions(libs, pp_verbosity > 0);
    fprintf(out, "podpub %s\n", PODPUB_VERSION);
    for (size_t i = 0; i < ARRAY_SIZE(libs); i++) {
        fprintf(out, "  %-12s %s", libs[i].name, libs[i].running);
        if (strncmp(libs[i].running, libs[i].compiled,
                    strlen(libs[i].compiled)))
            fprintf(out, " (built with %s)", libs[i].compiled);
        fputc('\n', out);
    }
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

int cmd_help(int argc, char **argv)
{
    const struct command *cmd;
    char *args[] = { NULL, "--help", NULL };

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_main_help(stdout);
        return 0;
    }
    if (!(cmd = find_command(argv[1])))
        return usage_error(main_usage, "'%s' is not a podpub command",
                           argv[1]);
    args[0] = (char *)cmd->name;
    optind = 0;
    return cmd->fn(2, args);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    const struct command *cmd;
    bool version = false;
    int c, ret;

    /*
     * Output never depends on the locale: the feed's dates are written
     * from tables, and numbers are plain C. Only LC_CTYPE is taken, for
     * terminal output.
     */
    setlocale(LC_CTYPE, "");
    /*
     * A file size limit (ulimit -f) must fail a write with EFBIG, which
     * podpub reports (exit 4, the old file kept), not kill the process
     * and leave a temporary file behind.
     */
    signal(SIGXFSZ, SIG_IGN);
    /* '+': stop at the command name; its options are its own. */
    opterr = 0;   /* podpub words its own messages: option_error() */
    while ((c = getopt_long(argc, argv, "+:C:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'C':
            if (chdir(optarg) < 0) {
                errorf(PP_ERR_USAGE, "cannot change to '%s': %s", optarg,
                       strerror(errno));
                return -PP_ERR_USAGE;
            }
            break;
        case 'q': pp_verbosity = -1; break;
        case 'v': pp_verbosity++; break;
        case 'V': version = true; break;
        case 'h': print_main_help(stdout); return 0;
        default:  return -option_error(main_usage, c, argv);
        }
    }
    if (version) {
        print_version(stdout);
        return 0;
    }
    if (optind == argc)
        return -usage_error(main_usage, "no command given");
    if (!(cmd = find_command(argv[optind])))
        return -usage_error(main_usage, "'%s' is not a podpub command "
                            "(see 'podpub help')", argv[optind]);
    argc -= optind;
    argv += optind;
    optind = 0;   /* glibc: 0 also resets getopt's internal state */
    net_init();
    ret = cmd->fn(argc, argv);
    net_cleanup();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        errorf(PP_ERR_IO, "cannot write output: %s", strerror(errno));
        return -PP_ERR_IO;
    }
    return ret < 0 ? -ret : ret;
}
