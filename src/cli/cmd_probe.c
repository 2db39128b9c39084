/*
 * `podpub probe FILE...`: what podpub reads from audio files.
 */
#include <getopt.h>
#include <stdbool.h>

#include "cli.h"
#include "podpub/probe.h"

static const char probe_usage[] =
    "usage: podpub probe [--json] <file>...\n";

int cmd_probe(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct strbuf warning = STRBUF_INIT;
    bool json = false;
    int c, ret = 0, shown = 0;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h': fputs(probe_usage, stdout); return 0;
        default:  return usage_error(probe_usage, "unknown option");
        }
    }
    if (optind == argc)
        return usage_error(probe_usage, "no file given");
    if (json)
        fputs("[", stdout);
    for (int i = optind; i < argc; i++) {
        struct audio_info info;
        int r = probe_audio(argv[i], &info);

        if (r < 0) {
            if (ret == 0 || r == PP_ERR_IO)
                ret = r;   /* report every file, fail at the end */
            continue;
        }
        if (probe_warning(argv[i], &info, &warning)) {
            warnf("%s", warning.buf);
            strbuf_reset(&warning);
        }
        if (json)
            fputs(shown ? ",\n " : "", stdout);
        audio_info_print(stdout, argv[i], &info, json);
        shown++;
    }
    if (json)
        fputs("]\n", stdout);
    strbuf_release(&warning);
    return ret;
}
