/*
 * `podpub probe FILE...`: what podpub reads from audio files and artwork.
 */
#include <getopt.h>
#include <stdbool.h>

#include "cli.h"
#include "podpub/json.h"
#include "podpub/probe.h"

static const char probe_usage[] =
    "usage: podpub probe [--json] [--exact-slow] <file>...\n"
    "\n"
    "Prints what podpub reads from audio (duration and how it was measured,\n"
    "bytes, MIME type, codec, chapters) and artwork (.jpg, .jpeg, .png:\n"
    "format by content, size, colour).\n"
    "\n"
    "  --exact-slow  measure without the fast paths (frame headers and\n"
    "                container tables): libavformat's packet walk, to\n"
    "                compare with\n";

/* Prints what 'out' holds so far and empties it. */
static void flush(struct strbuf *out)
{
    fputs(out->buf, stdout);
    strbuf_reset(out);
}

int cmd_probe(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "exact-slow", no_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct strbuf warning = STRBUF_INIT, out = STRBUF_INIT;
    struct json j;
    bool json = false;
    unsigned flags = 0;
    int c, ret = 0;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 's': flags |= PROBE_EXACT_SLOW; break;
        case 'h': fputs(probe_usage, stdout); return 0;
        default:  return option_error(probe_usage, c, argv);
        }
    }
    if (optind == argc)
        return usage_error(probe_usage, "no file given");
    /* --json: one array, each file's object printed once it is probed. */
    json_init(&j, &out);
    if (json)
        json_array_lines(&j, 1);
    flush(&out);
    for (int i = optind; i < argc; i++) {
        struct audio_info info;
        int r;

        if (is_image_name(argv[i])) {
            struct image_info img;

            if ((r = probe_image(argv[i], &img, NULL)) < 0 ||
                (!img.format && (r = errorf(PP_ERR_INPUT, "%s: content is "
                                            "%s; artwork must be JPEG or PNG",
                                            argv[i], img.content)) < 0)) {
                if (ret == 0 || r == PP_ERR_IO)
                    ret = r;
                continue;
            }
            if (image_warnings(&img, &warning)) {
                warnf("%s: %s", argv[i], warning.buf);
                strbuf_reset(&warning);
            }
            if (json)
                image_info_json(&j, argv[i], &img);
            else
                image_info_text(&out, argv[i], &img);
            flush(&out);
            continue;
        }
        r = probe_audio_opts(argv[i], &info, NULL, flags);

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
            audio_info_json(&j, argv[i], &info);
        else
            audio_info_text(&out, argv[i], &info);
        flush(&out);
        audio_info_release(&info);
    }
    if (json) {
        json_end(&j);
        strbuf_addch(&out, '\n');
        flush(&out);
    }
    strbuf_release(&out);
    strbuf_release(&warning);
    return ret;
}
