/*
 * Scaffolding a new show. The podcast.yaml written here documents every
 * field in place, so that a producer learns the format by reading the one
 * file they have to edit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podpub/init.h"

static const char show_template[] =
    "# The show. podpub reads this file and episodes/*.md; see podpub's\n"
    "# README for every field. Credentials never go here: CI supplies them\n"
    "# through the environment.\n"
    "title: %s\n"
    "description: |\n"
    "  %s\n"
    "# ISO 639 language code, optionally with a region: nl, nl-BE, en, en-GB.\n"
    "language: %s\n"
    "# Where public/ and the media are served from; ends with '/'.\n"
    "base_url: %s\n"
    "# The feed's public URL (default: base_url + feed.xml).\n"
    "# feed_url: %sfeed.xml\n"
    "# The show's website (default: base_url).\n"
    "# link: https://www.example.org/\n"
    "author: %s\n"
    "owner:\n"
    "  name: %s\n"
    "  email: %s\n"
    "# Square JPEG or PNG, 1400 to 3000 pixels, relative to this folder.\n"
    "# image: cover.jpg\n"
    "# Apple Podcasts categories, \"Category\" or \"Category/Subcategory\".\n"
    "categories: [\"Society & Culture\"]\n"
    "explicit: false\n"
    "# episodic (newest first) or serial (oldest first, numbered).\n"
    "type: episodic\n"
    "# copyright: \"© %s\"\n"
    "# Dates in episodes without a UTC offset are read in this time zone.\n"
    "timezone: UTC\n"
    "# podcast:locked: other hosts may not import the feed (needs owner.email).\n"
    "# locked: true\n"
    "# funding:\n"
    "#   url: https://www.example.org/support\n"
    "#   text: Support the show\n"
    "# Where else listeners can subscribe, shown on public/index.html.\n"
    "# links:\n"
    "#   apple: https://podcasts.apple.com/podcast/id0000000000\n"
    "#   spotify: https://open.spotify.com/show/0000000000000000000000\n"
    "# Where `podpub publish` puts the show, and whom it tells.\n"
    "# publish:\n"
    "#   target: s3://bucket/show/\n"
    "#   notify: [https://pubsubhubbub.appspot.com/]\n";

static const char gitignore[] =
    "# Written by podpub build; published, not committed.\n"
    "/public/\n"
    "# podpub's probe cache.\n"
    "/.podpub/\n";

static const char workflow[] =
    "# Builds, checks and publishes the show on every push to main, and\n"
    "# every hour so that scheduled episodes go live on time.\n"
    "name: publish\n"
    "on:\n"
    "  push:\n"
    "    branches: [main]\n"
    "  schedule:\n"
    "    - cron: \"7 * * * *\"\n"
    "  workflow_dispatch:\n"
    "concurrency:\n"
    "  group: publish\n"
    "  cancel-in-progress: false\n"
    "jobs:\n"
    "  publish:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - name: Install podpub's dependencies\n"
    "        run: |\n"
    "          sudo apt-get update\n"
    "          sudo apt-get install -y --no-install-recommends cmake gcc \\\n"
    "            pkg-config libxml2-dev libavformat-dev libavcodec-dev \\\n"
    "            libavutil-dev libcurl4-openssl-dev libyaml-dev libcmark-dev\n"
    "      - name: Build podpub\n"
    "        run: |\n"
    "          git clone --depth 1 \"$PODPUB_REPO\" /tmp/podpub\n"
    "          cmake -S /tmp/podpub -B /tmp/podpub/build -DBUILD_TESTING=OFF\n"
    "          cmake --build /tmp/podpub/build -j2\n"
    "          echo /tmp/podpub/build >> \"$GITHUB_PATH\"\n"
    "        env:\n"
    "          PODPUB_REPO: ${{ vars.PODPUB_REPO }}\n"
    "      - run: podpub check\n"
    "      - run: podpub publish\n"
    "        env:\n"
    "          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "          AWS_REGION: ${{ vars.AWS_REGION }}\n"
    "          AWS_ENDPOINT_URL: ${{ vars.AWS_ENDPOINT_URL }}\n"
    "          PODPUB_USER: ${{ secrets.PODPUB_USER }}\n"
    "          PODPUB_PASSWORD: ${{ secrets.PODPUB_PASSWORD }}\n";

/* A YAML double-quoted scalar for 's' (which is plain text). */
static char *yaml_quote(const char *s)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_addch(&sb, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addch(&sb, '\\');
        if (*s == '\n')
            strbuf_addstr(&sb, "\\n");
        else
            strbuf_addch(&sb, *s);
    }
    strbuf_addch(&sb, '"');
    return strbuf_detach(&sb, NULL);
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return errorf(PP_ERR_IO, "cannot create '%s': %s", path,
                      strerror(errno));
    return 0;
}

static int write_new(const char *dir, const char *rel, const char *text,
                     bool force, struct strbuf *created)
{
    char *path = xstrfmt("%s/%s", dir, rel);
    int ret = 0;

    if (!force && access(path, F_OK) == 0)
        ret = errorf(PP_ERR_INPUT, "'%s' exists; not overwritten (use "
                     "--force)", path);
    else if ((ret = write_file_atomic(path, text, strlen(text))) == 0)
        strbuf_addf(created, "%s\n", path);
    free(path);
    return ret;
}

/*
 * Adds podpub's lines to .gitignore: a new file, or the lines missing
 * from the repository's own (which is kept as it is otherwise).
 */
static int add_gitignore(const char *dir, struct strbuf *created)
{
    char *path = xstrfmt("%s/.gitignore", dir);
    struct strbuf sb = STRBUF_INIT;
    int ret = 0;

    if (access(path, F_OK) == 0) {
        if ((ret = strbuf_read_file(&sb, path, 1u << 20)) < 0)
            goto out;
        if (strstr(sb.buf, "/public/") && strstr(sb.buf, "/.podpub/"))
            goto out;
        if (sb.len && sb.buf[sb.len - 1] != '\n')
            strbuf_addch(&sb, '\n');
        strbuf_addstr(&sb, gitignore);
        if ((ret = write_file_atomic(path, sb.buf, sb.len)) == 0)
            strbuf_addf(created, "%s (podpub's lines added)\n", path);
    } else if ((ret = write_file_atomic(path, gitignore,
                                        strlen(gitignore))) == 0) {
        strbuf_addf(created, "%s\n", path);
    }
out:
    strbuf_release(&sb);
    free(path);
    return ret;
}

int show_init(const struct init_opts *o, struct strbuf *created)
{
    char *show_file = xstrfmt("%s/%s", o->dir, PP_SHOW_FILE);
    char *title = yaml_quote(o->title), *author = yaml_quote(o->author);
    char *email = yaml_quote(o->email);
    char *text = NULL, *p;
    const char *sub[] = { PP_SHOW_DIR, PP_EPISODES_DIR, ".github",
                          ".github/workflows" };
    int ret = 0;

    if (!o->force && access(show_file, F_OK) == 0) {
        ret = errorf(PP_ERR_INPUT, "'%s' exists: there is a show here "
                     "already (use --force to overwrite podpub's files)",
                     show_file);
        goto out;
    }
    /* Refuse before creating anything: no half-made show. */
    p = xstrfmt("%s/.github/workflows/publish.yml", o->dir);
    if (!o->force && access(p, F_OK) == 0) {
        ret = errorf(PP_ERR_INPUT, "'%s' exists; not overwritten (use "
                     "--force)", p);
        free(p);
        goto out;
    }
    free(p);
    if ((ret = make_dir(o->dir)) < 0)
        goto out;
    for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
        p = xstrfmt("%s/%s", o->dir, sub[i]);
        ret = make_dir(p);
        free(p);
        if (ret < 0)
            goto out;
    }
    text = xstrfmt(show_template, title,
                   "What the show is about, in a few sentences.",
                   o->language, o->base_url, o->base_url, author, author,
                   email, o->author);
    if ((ret = write_new(o->dir, PP_SHOW_FILE, text, o->force, created)) < 0 ||
        (ret = write_new(o->dir, ".github/workflows/publish.yml", workflow,
                         o->force, created)) < 0 ||
        (ret = add_gitignore(o->dir, created)) < 0)
        goto out;
    strbuf_addf(created, "%s/%s/\n", o->dir, PP_EPISODES_DIR);
out:
    free(text);
    free(title);
    free(author);
    free(email);
    free(show_file);
    return ret;
}
