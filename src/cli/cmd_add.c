/*
 * `podpub add AUDIO`: a new episode file from an audio file.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "podpub/json.h"
#include "podpub/init.h"

static const char add_usage[] =
    "usage: podpub add [--title <t>] [--date <date>] [--season <n>]\n"
    "                  [--episode <n>] [--type full|trailer|bonus] "
    "[--draft]\n"
    "                  [--copy | --move | --link | --normalize] [--force]\n"
    "                  [--json] <audio>\n"
    "\n"
    "Probes <audio>, puts it in episodes/ (a copy unless --move or --link)\n"
    "and writes episodes/NNN-slug.md with a new GUID. Title, date and\n"
    "numbers default to the audio's tags, then to the file name, now, and\n"
    "the next number in the season.\n"
    "\n"
    "  --normalize   put a copy at the show's loudness (podpub normalize)\n"
    "                in episodes/ instead of the audio as it is\n";

static int number_arg(const char *opt, const char *arg, long long *v)
{
    char *end;

    *v = strtoll(arg, &end, 10);
    if (*end || *v < 1 || *v > 9999999)
        return usage_error(add_usage, "%s: \"%s\" is not a positive whole "
                           "number", opt, arg);
    return 0;
}

int cmd_add(int argc, char **argv)
{
    static const struct option opts[] = {
        { "title", required_argument, NULL, 't' },
        { "date", required_argument, NULL, 'd' },
        { "season", required_argument, NULL, 's' },
        { "episode", required_argument, NULL, 'e' },
        { "type", required_argument, NULL, 'y' },
        { "draft", no_argument, NULL, 'D' },
        { "copy", no_argument, NULL, 'c' },
        { "move", no_argument, NULL, 'm' },
        { "link", no_argument, NULL, 'l' },
        { "normalize", no_argument, NULL, 'N' },
        { "force", no_argument, NULL, 'f' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct add_opts ao = { .now = (int64_t)time(NULL) };
    struct add_result res;
    bool json = false;
    int c, ret, placements = 0;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 't': ao.title = optarg; break;
        case 'd': ao.date = optarg; break;
        case 's':
            if (number_arg("--season", optarg, &ao.season) < 0)
                return PP_ERR_USAGE;
            break;
        case 'e':
            if (number_arg("--episode", optarg, &ao.episode) < 0)
                return PP_ERR_USAGE;
            break;
        case 'y':
            if (strcmp(optarg, "full") && strcmp(optarg, "trailer") &&
                strcmp(optarg, "bonus"))
                return usage_error(add_usage, "--type: \"%s\" is not full, "
                                   "trailer or bonus", optarg);
            ao.type = optarg;
            break;
        case 'D': ao.draft = true; break;
        case 'c': ao.placement = ADD_COPY; placements++; break;
        case 'm': ao.placement = ADD_MOVE; placements++; break;
        case 'l': ao.placement = ADD_LINK; placements++; break;
        case 'N': ao.normalize = true; placements++; break;
        case 'f': ao.force = true; break;
        case 'j': json = true; break;
        case 'h': fputs(add_usage, stdout); return 0;
        default:  return option_error(add_usage, c, argv);
        }
    }
    if (placements > 1)
        return usage_error(add_usage, "--copy, --move, --link and "
                           "--normalize exclude each other");
    if (optind + 1 != argc)
        return usage_error(add_usage, optind == argc ? "no audio file given"
                           : "one audio file at a time");
    if (ao.title) {
        size_t off;
        const char *why;

        if (!*ao.title || strpbrk(ao.title, "\n\r") ||
            utf8_check_xml(ao.title, strlen(ao.title), &off, &why) < 0)
            return usage_error(add_usage, "--title must be one line of "
                               "UTF-8 text without control characters");
    }
    ao.audio = argv[optind];
    if ((ret = episode_add(&ao, &res)) < 0) {
        add_result_release(&res);
        return ret;
    }
    if (json) {
        struct strbuf sb = STRBUF_INIT;
        struct json j;

        json_init(&j, &sb);
        json_object(&j);
        json_kv_str(&j, "file", res.episode_path);
        json_kv_str(&j, "audio", res.audio_path);
        json_kv_str(&j, "title", res.title);
        json_kv_str(&j, "guid", res.guid);
        json_kv_str(&j, "date", res.date);
        if (res.season)
            json_kv_int(&j, "season", res.season);
        if (res.episode)
            json_kv_int(&j, "episode", res.episode);
        json_kv_int(&j, "duration_ms", res.duration_ms);
        json_kv_uint(&j, "bytes", res.size);
        json_kv_str(&j, "mime", res.mime);
        json_end(&j);
        strbuf_addch(&sb, '\n');
        fputs(sb.buf, stdout);
        strbuf_release(&sb);
    } else if (pp_verbosity >= 0) {
        printf("%s\n  title:    %s\n  guid:     %s\n  date:     %s\n"
               "  audio:    %s (%" PRIu64 " bytes, %s, ", res.episode_path,
               res.title, res.guid, res.date, res.audio_path, res.size,
               res.mime);
        print_duration(stdout, res.duration_ms);
        printf(")\n");
        if (res.season)
            printf("  season:   %lld\n", res.season);
        if (res.episode)
            printf("  episode:  %lld\n", res.episode);
        printf("next: write the show notes in %s, then 'podpub build'\n",
               res.episode_path);
    }
    add_result_release(&res);
    return 0;
}
