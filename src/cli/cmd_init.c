/*
 * `podpub init [DIR]`: scaffold a new show.
 */
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "cli.h"
#include "podpub/init.h"

static const char init_usage[] =
    "usage: podpub init [--title <t>] [--author <a>] [--email <e>]\n"
    "                   [--language <code>] [--base-url <url>]\n"
    "                   [--ci github|gitlab|forgejo|none] [--force] [<dir>]\n"
    "\n"
    "Creates feed/podcast.yaml, episodes/, .gitignore and a CI workflow in\n"
    "<dir> (default: here).\n"
    "\n"
    "  --title <t>        the show's title (default \"My podcast\")\n"
    "  --author <a>       its author and owner (default \"Me\")\n"
    "  --email <e>        the owner's e-mail address\n"
    "  --language <code>  ISO 639 code, with an optional region: nl, nl-BE\n"
    "  --base-url <url>   where the show will be served from; ends with /\n"
    "  --ci <ci>          the workflow: github (.github/workflows/publish.yml,\n"
    "                     the default), gitlab (.gitlab-ci.yml), forgejo\n"
    "                     (.forgejo/workflows/publish.yml) or none\n"
    "  --force            overwrite podpub's own files\n";

static bool language_ok(const char *l)
{
    size_t n = strlen(l);

    return (n == 2 || (n == 5 && l[2] == '-')) &&
           strspn(l, "abcdefghijklmnopqrstuvwxyz") == 2 &&
           (n == 2 || strspn(l + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz") == 2);
}

bool cli_ci_known(const char *ci)
{
    for (size_t i = 0; ci && init_ci_names[i]; i++)
        if (!strcmp(init_ci_names[i], ci))
            return true;
    return !ci;
}

bool cli_base_url_ok(const char *u)
{
    return (starts_with(u, "https://") || starts_with(u, "http://")) &&
           ends_with(u, "/") && !strpbrk(u, " \"<>");
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        { "title", required_argument, NULL, 't' },
        { "author", required_argument, NULL, 'a' },
        { "email", required_argument, NULL, 'e' },
        { "language", required_argument, NULL, 'l' },
        { "base-url", required_argument, NULL, 'b' },
        { "ci", required_argument, NULL, 'c' },
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct init_opts io = {
        .dir = ".", .title = "My podcast", .author = "Me",
        .email = "podcast@example.org", .language = "en",
        .base_url = "https://media.example.org/my-podcast/",
    };
    struct strbuf created = STRBUF_INIT;
    const char *at;
    int c, ret;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 't': io.title = optarg; break;
        case 'a': io.author = optarg; break;
        case 'e': io.email = optarg; break;
        case 'l': io.language = optarg; break;
        case 'b': io.base_url = optarg; break;
        case 'c': io.ci = optarg; break;
        case 'f': io.force = true; break;
        case 'h': fputs(init_usage, stdout); return 0;
        default:  return option_error(init_usage, c, argv);
        }
    }
    if (optind < argc)
        io.dir = argv[optind++];
    if (optind != argc)
        return usage_error(init_usage, "unexpected argument '%s'",
                           argv[optind]);
    if (!*io.title || !*io.author || strpbrk(io.title, "\n\r"))
        return usage_error(init_usage, "--title and --author must be one "
                           "line of text");
    at = strchr(io.email, '@');
    if (!at || at == io.email || !strchr(at, '.') || strpbrk(io.email, " \""))
        return usage_error(init_usage, "--email: \"%s\" is not an e-mail "
                           "address", io.email);
    if (!language_ok(io.language))
        return usage_error(init_usage, "--language: \"%s\" is not a "
                           "language code (want nl, en or nl-BE)",
                           io.language);
    if (!cli_base_url_ok(io.base_url))
        return usage_error(init_usage, "--base-url: \"%s\" is not an http(s) "
                           "URL ending in '/'", io.base_url);
    if (!cli_ci_known(io.ci))
        return usage_error(init_usage, "--ci: \"%s\" is not github, gitlab, "
                           "forgejo or none", io.ci);
    ret = show_create(&io, &created);
    if (ret == 0 && pp_verbosity >= 0)
        printf("created:\n%s\nnext: put artwork in feed/, then "
               "'podpub add AUDIO' for each episode, then 'podpub build'\n",
               created.buf);
    strbuf_release(&created);
    return ret;
}
