/*
 * `podpub probe FILE...`: what podpub reads from audio files and artwork.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cli.h"
#include "podpub/json.h"
#include "podpub/probe.h"

static const char probe_usage[] =
    "usage: podpub probe [--json] [--exact-slow] [--no-loudness] "
    "<file>...\n"
    "\n"
    "Prints what podpub reads from audio (duration and how it was measured,\n"
    "bytes, MIME type, codec, chapters, loudness) and artwork (.jpg, .jpeg,\n"
    ".png: format by content, size, colour).\n"
    "\n"
    "  --no-loudness do not decode the audio to measure its loudness\n"
    "                (EBU R128: integrated LUFS, range, true peak)\n"
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
        { "no-loudness", no_argument, NULL, 'L' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct strbuf warning = STRBUF_INIT, out = STRBUF_INIT;
    struct json j;
    bool json = false;
    unsigned flags = PROBE_LOUDNESS;
    int c, ret = 0;
    size_t nr, audio_nr = 0, done = 0;
    struct audio_info *infos;
    struct strbuf *msgs;
    const char **paths;
    int *rets;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 's': flags |= PROBE_EXACT_SLOW; break;
        case 'L': flags &= ~PROBE_LOUDNESS; break;
        case 'h': fputs(probe_usage, stdout); return 0;
        default:  return option_error(probe_usage, c, argv);
        }
    }
    if (optind == argc)
        return usage_error(probe_usage, "no file given");
    /* The audio files on every core (decoding takes time), in order after. */
    nr = (size_t)(argc - optind);
    infos = xcalloc(nr, sizeof(*infos));
    rets = xcalloc(nr, sizeof(*rets));
    msgs = xcalloc(nr, sizeof(*msgs));
    paths = xcalloc(nr, sizeof(*paths));
    for (size_t i = 0; i < nr; i++)
        strbuf_init(&msgs[i]);
    for (int i = optind; i < argc; i++)
        if (!is_image_name(argv[i]))
            paths[audio_nr++] = argv[i];
    probe_audio_all(paths, audio_nr, flags, infos, rets, msgs);
    /* --json: one array, each file's object in the order given. */
    json_init(&j, &out);
    if (json)
        json_array_lines(&j, 1);
    flush(&out);
    for (int i = optind; i < argc; i++) {
        struct audio_info *info;
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
        info = &infos[done];
        if ((r = rets[done++]) < 0) {
            errorf(r, "%s", msgs[done - 1].buf);
            if (ret == 0 || r == PP_ERR_IO)
                ret = r;   /* report every file, fail at the end */
            continue;
        }
        if (probe_warning(argv[i], info, &warning)) {
            warnf("%s", warning.buf);
            strbuf_reset(&warning);
        }
        if (json)
            audio_info_json(&j, argv[i], info);
        else
            audio_info_text(&out, argv[i], info);
        flush(&out);
        audio_info_release(info);
    }
    if (json) {
        json_end(&j);
        strbuf_addch(&out, '\n');
        flush(&out);
    }
    strbuf_release(&out);
    strbuf_release(&warning);
    for (size_t i = 0; i < nr; i++)
        strbuf_release(&msgs[i]);
    free(msgs);
    free(rets);
    free(infos);
    free(paths);
    return ret;
}
