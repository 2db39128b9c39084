/*
 * `podpub normalize EPISODE...`: a loudness-normalised copy of each
 * episode's audio, and the episode pointed at it.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "podpub/init.h"
#include "podpub/json.h"

static const char normalize_usage[] =
    "usage: podpub normalize [--allow-audio-change] [--at <date>] [--json]\n"
    "                        <episode>...\n"
    "\n"
    "Brings each episode's audio to the show's loudness (loudness: in\n"
    "feed/podcast.yaml; default -16 LUFS, true peak at most -1 dBTP): two\n"
    "passes, one gain for the whole file and a true-peak limiter only\n"
    "where that gain would pass the limit, in the same codec and bit\n"
    "rate, written beside the audio as <name>-norm.<ext>; the episode's\n"
    "audio: then names the copy. <episode> is episodes/NNN-name.md or\n"
    "NNN-name.\n"
    "\n"
    "  --allow-audio-change  also episodes already published (not drafts,\n"
    "                        dated before now): their enclosure changes\n"
    "  --at <date>           judge \"published\" at <date> (RFC 3339)\n"
    "  --json                one JSON object per episode, in an array\n";

static void starting(void *ctx, const char *episode)
{
    (void)ctx;
    if (pp_verbosity > 0)
        fprintf(stderr, "podpub: normalising %s\n", episode);
}

static void print_text(const struct normalize_item *it)
{
    char a[16], b[16], c[16], d[16];

    if (it->ret < 0 || pp_verbosity < 0)
        return;
    if (it->skipped) {
        printf("%s: %s LUFS, true peak %s dBTP: %s\n", it->episode,
               loudness_str(it->r.before.integrated, a, sizeof(a)),
               loudness_str(it->r.before.true_peak, b, sizeof(b)),
               it->skipped);
        return;
    }
    printf("%s: %s -> %s\n", it->episode, it->from, it->to);
    printf("  %s LUFS, true peak %s dBTP -> %s LUFS, true peak %s dBTP "
           "(gain %+.1f dB", loudness_str(it->r.before.integrated, a,
                                           sizeof(a)),
           loudness_str(it->r.before.true_peak, b, sizeof(b)),
           loudness_str(it->r.after.integrated, c, sizeof(c)),
           loudness_str(it->r.after.true_peak, d, sizeof(d)), it->r.gain_db);
    if (it->r.limited_s > 0)
        printf(", peaks limited over %.1f s", it->r.limited_s);
    else
        printf(", linear");
    printf("; %s", it->r.encoder);
    if (it->r.bit_rate)
        printf(" at %lld kbit/s", (long long)(it->r.bit_rate + 500) / 1000);
    printf(")\n");
}

static void print_json(const struct normalize_item *items, size_t nr)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    json_init(&j, &sb);
    json_array_lines(&j, 1);
    for (size_t i = 0; i < nr; i++) {
        const struct normalize_item *it = &items[i];

        json_object(&j);
        json_kv_str(&j, "episode", it->episode);
        json_kv_bool(&j, "ok", it->ret == 0);
        if (it->from)
            json_kv_str(&j, "from", it->from);
        if (it->to && it->ret == 0)
            json_kv_str(&j, "to", it->to);
        if (it->skipped)
            json_kv_str(&j, "skipped", it->skipped);
        if (it->ret == 0) {
            loudness_json(&j, "before", &it->r.before);
            loudness_json(&j, "after", &it->r.after);
        }
        if (it->ret == 0 && !it->skipped) {
            json_key(&j, "gain_db");
            json_fixed(&j, it->r.gain_db, 2);
            json_key(&j, "limited_s");
            json_fixed(&j, it->r.limited_s, 3);
            json_kv_str(&j, "encoder", it->r.encoder);
            json_kv_int(&j, "bit_rate", it->r.bit_rate);
        }
        json_end(&j);
    }
    json_end(&j);
    strbuf_addch(&sb, '\n');
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_normalize(int argc, char **argv)
{
    static const struct option opts[] = {
        { "allow-audio-change", no_argument, NULL, 'A' },
        { "at", required_argument, NULL, 'a' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct normalize_request req = { .now = (int64_t)time(NULL),
                                     .starting = starting };
    struct normalize_item *items;
    bool json = false;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'A': req.allow_audio_change = true; break;
        case 'a':
            if (parse_at(optarg, &req.now) < 0)
                return usage_error(normalize_usage, "--at: \"%s\" is not a "
                                   "date (want RFC 3339)", optarg);
            break;
        case 'j': json = true; break;
        case 'h': fputs(normalize_usage, stdout); return 0;
        default:  return option_error(normalize_usage, c, argv);
        }
    }
    if (optind == argc)
        return usage_error(normalize_usage, "no episode given");
    req.episodes = (const char *const *)argv + optind;
    req.nr = (size_t)(argc - optind);
    items = xcalloc(req.nr, sizeof(*items));
    ret = episodes_normalize(&req, items);
    if (json)
        print_json(items, req.nr);
    else
        for (size_t i = 0; i < req.nr; i++)
            print_text(&items[i]);
    for (size_t i = 0; i < req.nr; i++)
        normalize_item_release(&items[i]);
    free(items);
    return ret;
}
