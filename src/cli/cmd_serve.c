/*
 * `podpub serve`: hear and see the show before it goes out. Prints the
 * URL, then what each rebuild found, until interrupted.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "podpub/serve.h"

static const char serve_usage[] =
    "usage: podpub serve [--port <n>] [--bind <addr>] [--at <date>]\n"
    "\n"
    "Builds the show into a temporary folder as if it were served from\n"
    "http://127.0.0.1:<port>/, serves feed.xml, index.html, the audio and\n"
    "the artwork there, and rebuilds within a second of every change in\n"
    "feed/ or episodes/. A build with errors keeps the last good one\n"
    "served. Ctrl-C stops.\n"
    "\n"
    "  --port <n>     the port (default 8080; 0: any free port)\n"
    "  --bind <addr>  the address to listen on (default 127.0.0.1; 0.0.0.0\n"
    "                 or :: lets other machines listen in)\n"
    "  --at <date>    build the show as it will be at <date> (RFC 3339)\n";

static volatile sig_atomic_t stopping;
static const char *served_url;  /* for the messages of built() */

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void built(int ret, const struct build_result *res,
                  const struct show *show, bool kept, void *ctx)
{
    char when[16];
    time_t now = time(NULL);

    (void)show;
    (void)ctx;
    strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
    if (ret == 0 && pp_verbosity >= 0)
        printf("%s built ", when);
    print_build(ret, res, "feed.xml", res->archive_path ? "feed-all.xml" :
                NULL);
    if (ret < 0)
        errorf(ret, kept ? "%s: still serving the last good build at %s" :
               "%s: nothing to serve yet at %s: fix the show and save",
               when, served_url);
    fflush(stdout);
    atomic_store(&input_error_count, 0);   /* each build counts its own */
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        { "port", required_argument, NULL, 'p' },
        { "bind", required_argument, NULL, 'b' },
        { "at", required_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct serve_opts so = { .bind = "127.0.0.1", .port = 8080 };
    struct sigaction sa = { .sa_handler = on_signal };
    struct serve *s = NULL;
    char *end;
    long port;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            port = strtol(optarg, &end, 10);
            if (!*optarg || *end || port < 0 || port > 65535)
                return usage_error(serve_usage, "--port: \"%s\" is not a "
                                   "port number (0 to 65535)", optarg);
            so.port = (unsigned)port;
            break;
        case 'b':
            so.bind = optarg;
            break;
        case 'a':
            if (parse_at(optarg, &so.at) < 0)
                return usage_error(serve_usage, "--at: \"%s\" is not a date "
                                   "(want RFC 3339)", optarg);
            so.fixed_time = true;
            break;
        case 'h': fputs(serve_usage, stdout); return 0;
        default:  return option_error(serve_usage, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(serve_usage, "unexpected argument '%s'",
                           argv[optind]);
    /* Not SA_RESTART: the signal must end the wait for changes. */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);   /* a listener that hangs up mid-file */
    so.built = built;
    if ((ret = serve_start(&so, &s)) < 0)
        return ret;
    served_url = serve_url(s);
    if (pp_verbosity >= 0)
        printf("serving %s (feed: %sfeed.xml); watching %s/ and %s/; "
               "Ctrl-C stops\n", served_url, served_url, PP_SHOW_DIR,
               PP_EPISODES_DIR);
    fflush(stdout);
    ret = serve_run(s, &stopping);
    serve_free(s);
    return ret;
}
