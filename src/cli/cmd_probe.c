/*
 * `podpub probe FILE|URL...`: what podpub reads from audio files (local,
 * or at an http(s) URL, read with ranged requests) and artwork.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cli.h"
#include "podpub/json.h"
#include "podpub/probe.h"
#include "podpub/range.h"

static const char probe_usage[] =
    "usage: podpub probe [--json] [--exact-slow] [--no-loudness] "
    "<file|url>...\n"
    "\n"
    "Prints what podpub reads from audio (duration and how it was measured,\n"
    "bytes, MIME type, codec, chapters, loudness) and artwork (.jpg, .jpeg,\n"
    ".png: format by content, size, colour).\n"
    "\n"
    "An http:// or https:// URL is read with ranged requests: only the\n"
    "headers and tables the measuring reads are fetched, and the bytes\n"
    "fetched are printed. Its loudness is not measured (that would fetch\n"
    "the whole file): download it and probe the file for that.\n"
    "\n"
    "  --no-loudness do not decode the audio to measure its loudness\n"
    "                (EBU R128: integrated LUFS, range, true peak)\n"
    "  --exact-slow  measure without the fast paths (frame headers and\n"
    "                container tables): libavformat's packet walk, to\n"
    "                compare with\n";

static void notef(const char *fmt, ...) PP_PRINTF(1, 2);

/* "podpub: note: ...", which -q silences. */
static void notef(const char *fmt, ...)
{
    va_list ap;

    if (pp_verbosity < 0)
        return;
    va_start(ap, fmt);
    vreport("note: ", fmt, ap);
    va_end(ap);
}

/* What probing the URL 'url' into 'info' cost, and what it left out. */
static void remote_notes(const char *url, const struct audio_info *info,
                         unsigned flags)
{
    if (info->whole)
        notef("%s: the server ignores Range requests: the whole file "
              "(%" PRIu64 " bytes) was read", url, info->size);
    if (flags & PROBE_LOUDNESS)
        notef("%s: loudness not measured: it needs the whole file decoded; "
              "probe a downloaded copy for it (--no-loudness: no note)", url);
}

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
    unsigned flags = PROBE_LOUDNESS | PROBE_URLS;
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
    /* A URL is audio: artwork is only probed from local files. */
    for (int i = optind; i < argc; i++)
        if (looks_like_url(argv[i]) || !is_image_name(argv[i]))
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

        if (!looks_like_url(argv[i]) && is_image_name(argv[i])) {
            struct image_info img;

            if ((r = probe_image(argv[i], &img, NULL)) < 0 ||
                (!img.format && (r = errorf(PP_ERR_INPUT, "%s: content is "
                                            "%s; artwork must be JPEG or PNG",
                                            argv[i], img.content)) < 0)) {
                if (r < ret)
                    ret = r;   /* the worst: I/O, network, input */
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
            if (r < ret)
                ret = r;   /* report every file, fail at the end */
            continue;
        }
        if (probe_warning(argv[i], info, &warning)) {
            warnf("%s", warning.buf);
            strbuf_reset(&warning);
        }
        if (info->remote)
            remote_notes(argv[i], info, flags);
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
