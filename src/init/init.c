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
#include "podpub/yamltree.h"

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
    "/.podpub/\n"
    "# Downloads podpub import has not finished; its next run continues them.\n"
    "/episodes/*.part\n"
    "/episodes/*.part.info\n";

/*
 * The CI that publishes the show: one kind per CI system, each a file
 * made of the shared shell steps below, indented into its own syntax.
 * Every kind runs in Debian 12 (the podpub .deb is built for it), installs
 * podpub from the .deb of a release (PODPUB_DEB_URL) or builds that .deb
 * once from source (PODPUB_REPO at PODPUB_REF) and keeps it in the CI's
 * cache, keeps .podpub/ (the probe and hash caches) in the cache too, and
 * writes a Markdown summary of `podpub publish --json`.
 */

/* Tools the job needs before the checkout (git-lfs: audio kept in LFS). */
static const char sh_tools[] =
    "apt-get update -qq\n"
    "apt-get install -y -qq --no-install-recommends ca-certificates curl \\\n"
    "  git git-lfs jq >/dev/null\n";

/* podpub itself, from the cached .deb in $PODPUB_DEB_DIR when it is there. */
static const char sh_podpub[] =
    "mkdir -p \"$PODPUB_DEB_DIR\"\n"
    "if ! ls \"$PODPUB_DEB_DIR\"/podpub_*.deb >/dev/null 2>&1; then\n"
    "  if [ -n \"${PODPUB_DEB_URL:-}\" ]; then\n"
    "    curl -fsSL -o \"$PODPUB_DEB_DIR/podpub_release.deb\" \"$PODPUB_DEB_URL\"\n"
    "  else\n"
    "    : \"${PODPUB_REPO:?set PODPUB_DEB_URL, or PODPUB_REPO and PODPUB_REF}\"\n"
    "    apt-get install -y -qq --no-install-recommends cmake gcc make \\\n"
    "      pkg-config dpkg-dev file libxml2-dev libavformat-dev \\\n"
    "      libavcodec-dev libavutil-dev libcurl4-openssl-dev libyaml-dev \\\n"
    "      libcmark-dev libmicrohttpd-dev >/dev/null\n"
    "    git clone --depth 1 --branch \"${PODPUB_REF:-main}\" \"$PODPUB_REPO\" /tmp/podpub\n"
    "    cmake -S /tmp/podpub -B /tmp/podpub/build -DBUILD_TESTING=OFF\n"
    "    cmake --build /tmp/podpub/build -j\"$(nproc)\"\n"
    "    (cd /tmp/podpub/build && cpack -G DEB)\n"
    "    cp /tmp/podpub/build/podpub_*.deb \"$PODPUB_DEB_DIR/\"\n"
    "  fi\n"
    "fi\n"
    "apt-get install -y -qq --no-install-recommends \"$PODPUB_DEB_DIR\"/podpub_*.deb >/dev/null\n"
    "podpub --version\n";

/*
 * The publish, its JSON kept, a Markdown summary of it in the log and in
 * the job summary where the CI has one; the job fails as podpub did.
 */
static const char sh_publish[] =
    "if [ -n \"${SSH_PRIVATE_KEY:-}\" ]; then\n"
    "  (umask 077 && printf '%s\\n' \"$SSH_PRIVATE_KEY\" >/tmp/podpub_ssh_key)\n"
    "  export PODPUB_SSH_KEY=/tmp/podpub_ssh_key\n"
    "fi\n"
    "status=0\n"
    "podpub publish --json >publish.json || status=$?\n"
    "{\n"
    "  echo \"## podpub publish\"\n"
    "  echo\n"
    "  if [ -s publish.json ] && jq -e .target publish.json >/dev/null 2>&1; then\n"
    "    jq -r '\"Target: `\\(.target)`; \" +\n"
    "      (if .published then \"published\" elif .dry_run then \"dry run\"\n"
    "       else \"nothing published\" end) +\n"
    "      \" (exit \\(.exit)): +\\(.diff.new) new, \\(.diff.changed_notes)\" +\n"
    "      \" changed notes, \\(.diff.removed) removed.\\n\\n\" +\n"
    "      \"| file | bytes | plan | result |\\n| --- | ---: | --- | --- |\\n\" +\n"
    "      ([.files[] | \"| `\\(.key)` | \\(.bytes) | \\(.plan) | \\(.result) |\"]\n"
    "       | join(\"\\n\"))' publish.json\n"
    "  else\n"
    "    echo \"podpub publish exited $status before it could report: see the log.\"\n"
    "  fi\n"
    "} >publish-summary.md\n"
    "cat publish-summary.md\n"
    "if [ -n \"${GITHUB_STEP_SUMMARY:-}\" ]; then\n"
    "  cat publish-summary.md >>\"$GITHUB_STEP_SUMMARY\"\n"
    "fi\n"
    "exit \"$status\"\n";

/* The secrets and settings, as GitHub and Forgejo Actions name them. */
static const char actions_publish_env[] =
    "AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "AWS_REGION: ${{ secrets.AWS_REGION }}\n"
    "AWS_ENDPOINT_URL: ${{ secrets.AWS_ENDPOINT_URL }}\n"
    "PODPUB_USER: ${{ secrets.PODPUB_USER }}\n"
    "PODPUB_PASSWORD: ${{ secrets.PODPUB_PASSWORD }}\n"
    "SSH_PRIVATE_KEY: ${{ secrets.SSH_PRIVATE_KEY }}\n"
    "PODPUB_SSH_HOST_KEY_SHA256: ${{ secrets.PODPUB_SSH_HOST_KEY_SHA256 }}\n";

static const char settings_comment[] =
    "# What to set as the CI's secrets (never in the repository; those\n"
    "# your target does not use stay unset):\n"
    "#   PODPUB_DEB_URL    the podpub_*_amd64.deb of a podpub release, or else\n"
    "#   PODPUB_REPO, PODPUB_REF  podpub's git URL and a release tag to build\n"
    "#                     the .deb from (once: the CI's cache keeps it)\n"
    "#   S3 and S3-compatible storage: AWS_ACCESS_KEY_ID,\n"
    "#     AWS_SECRET_ACCESS_KEY, AWS_REGION and, for anything but AWS,\n"
    "#     AWS_ENDPOINT_URL\n"
    "#   FTP(S), WebDAV: PODPUB_USER, PODPUB_PASSWORD\n"
    "#   SFTP: SSH_PRIVATE_KEY (an ed25519 key) and\n"
    "#     PODPUB_SSH_HOST_KEY_SHA256 (the server's host key fingerprint)\n"
    "# The target itself is publish.target in feed/podcast.yaml.\n";

/* GitHub Actions and Forgejo Actions: the same syntax, other runners. */
struct actions_flavour {
    const char *runs_on;        /* runs-on and container lines */
    const char *summary;        /* where the summary shows */
};

static void add_indented(struct strbuf *sb, const char *text, int indent)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);

        if (len)
            strbuf_addf(sb, "%*s%.*s", indent, "", (int)len, text);
        strbuf_addch(sb, '\n');
        text += len + (nl != NULL);
    }
}

static void actions_workflow(struct strbuf *sb, const struct actions_flavour *f)
{
    strbuf_addstr(sb,
        "# Written by `podpub init`: builds, checks and publishes the show on\n"
        "# every push to main, and every hour so that scheduled episodes go\n"
        "# live on time. A publish that fails changes nothing live.\n"
        "#\n");
    strbuf_addstr(sb, settings_comment);
    strbuf_addf(sb, "# The publish summary: %s.\n", f->summary);
    strbuf_addstr(sb,
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
        "permissions:\n"
        "  contents: read\n"
        "jobs:\n"
        "  publish:\n");
    strbuf_addstr(sb, f->runs_on);
    strbuf_addstr(sb,
        "    timeout-minutes: 30\n"
        "    env:\n"
        "      PODPUB_DEB_DIR: /tmp/podpub-deb\n"
        "    steps:\n"
        "      - name: Tools (git with LFS, curl, jq)\n"
        "        run: |\n");
    add_indented(sb, sh_tools, 10);
    strbuf_addstr(sb,
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          lfs: true\n"
        "      - name: The podpub .deb, from the cache\n"
        "        uses: actions/cache@v4\n"
        "        with:\n"
        "          path: /tmp/podpub-deb\n"
        "          key: podpub-deb-${{ secrets.PODPUB_DEB_URL }}${{ secrets.PODPUB_REPO }}-${{ secrets.PODPUB_REF }}\n"
        "      - name: Install podpub\n"
        "        env:\n"
        "          PODPUB_DEB_URL: ${{ secrets.PODPUB_DEB_URL }}\n"
        "          PODPUB_REPO: ${{ secrets.PODPUB_REPO }}\n"
        "          PODPUB_REF: ${{ secrets.PODPUB_REF }}\n"
        "        run: |\n");
    add_indented(sb, sh_podpub, 10);
    strbuf_addstr(sb,
        "      - name: podpub's caches (.podpub/), keyed on the audio\n"
        "        uses: actions/cache@v4\n"
        "        with:\n"
        "          path: .podpub\n"
        "          key: podpub-${{ hashFiles('episodes/**', 'feed/*.jpg', 'feed/*.png') }}\n"
        "          restore-keys: podpub-\n"
        "      - name: Check (the rules' warnings too)\n"
        "        run: podpub check\n"
        "      - name: Publish\n"
        "        env:\n");
    add_indented(sb, actions_publish_env, 10);
    strbuf_addstr(sb, "        run: |\n");
    add_indented(sb, sh_publish, 10);
}

static void github_workflow(struct strbuf *sb)
{
    static const struct actions_flavour github = {
        "    runs-on: ubuntu-latest\n"
        "    container: debian:12\n",
        "the run's page ($GITHUB_STEP_SUMMARY) and the log",
    };

    actions_workflow(sb, &github);
}

static void forgejo_workflow(struct strbuf *sb)
{
    /*
     * Forgejo's runner runs JavaScript actions (checkout, cache) with the
     * container's own node: node:20-bookworm is Debian 12 with node.
     */
    static const struct actions_flavour forgejo = {
        "    runs-on: docker\n"
        "    container:\n"
        "      image: node:20-bookworm\n",
        "the log (and the run's page where the Forgejo version shows "
        "step summaries)",
    };

    actions_workflow(sb, &forgejo);
}

static void gitlab_workflow(struct strbuf *sb)
{
    strbuf_addstr(sb,
        "# Written by `podpub init`: builds, checks and publishes the show on\n"
        "# every push to the default branch, and on a schedule: add one\n"
        "# (Build > Pipeline schedules) running every hour, \"7 * * * *\", so\n"
        "# that scheduled episodes go live on time. A publish that fails\n"
        "# changes nothing live. Settings > CI/CD > Variables (masked):\n"
        "#\n");
    strbuf_addstr(sb, settings_comment);
    strbuf_addstr(sb,
        "# The publish summary: the log, and publish-summary.md with\n"
        "# publish.json in the job's artifacts.\n"
        "workflow:\n"
        "  rules:\n"
        "    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"
        "    - if: $CI_PIPELINE_SOURCE == \"web\"\n"
        "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n"
        "variables:\n"
        "  PODPUB_DEB_DIR: .podpub-deb\n"
        "  GIT_DEPTH: \"1\"\n"
        "publish:\n"
        "  image: debian:12\n"
        "  # One publish at a time, in order.\n"
        "  resource_group: publish\n"
        "  timeout: 30 minutes\n"
        "  # GitLab saves a cache after every job: .podpub/ is always the\n"
        "  # newest, whatever audio was added.\n"
        "  cache:\n"
        "    - key: podpub-deb-$PODPUB_REF\n"
        "      paths: [.podpub-deb/]\n"
        "    - key: podpub-caches\n"
        "      paths: [.podpub/]\n"
        "  script:\n"
        "    - |\n");
    add_indented(sb, sh_tools, 6);
    strbuf_addstr(sb,
        "    # The runner checked out with LFS when git-lfs is in its image;\n"
        "    # fetch the audio kept in LFS here otherwise.\n"
        "    - git lfs install --local && git lfs pull\n"
        "    - |\n");
    add_indented(sb, sh_podpub, 6);
    strbuf_addstr(sb, "    - podpub check\n    - |\n");
    add_indented(sb, sh_publish, 6);
    strbuf_addstr(sb,
        "  artifacts:\n"
        "    when: always\n"
        "    paths: [publish-summary.md, publish.json]\n");
}

static const struct ci_kind {
    const char *name;
    const char *dir;            /* made first, with its parent */
    const char *file;
    void (*write)(struct strbuf *sb);
} ci_kinds[] = {
    { "github", ".github/workflows", ".github/workflows/publish.yml",
      github_workflow },
    { "gitlab", NULL, ".gitlab-ci.yml", gitlab_workflow },
    { "forgejo", ".forgejo/workflows", ".forgejo/workflows/publish.yml",
      forgejo_workflow },
    { "none", NULL, NULL, NULL },
};

const char *const init_ci_names[] = { "github", "gitlab", "forgejo", "none",
                                      NULL };

static const struct ci_kind *find_ci(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(ci_kinds); i++)
        if (!strcmp(ci_kinds[i].name, name ? name : "github"))
            return &ci_kinds[i];
    return NULL;
}

/* A YAML double-quoted scalar for 's'; the caller frees it. */
static char *yaml_quote(const char *s)
{
    struct strbuf sb = STRBUF_INIT;

    ytree_add_quoted(&sb, s);
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

int show_create(const struct init_opts *o, struct strbuf *created)
{
    const struct ci_kind *ci = find_ci(o->ci);
    char *show_file = xstrfmt("%s/%s", o->dir, PP_SHOW_FILE);
    char *title = yaml_quote(o->title), *author = yaml_quote(o->author);
    char *email = yaml_quote(o->email);
    char *text = NULL, *p;
    struct strbuf wf = STRBUF_INIT;
    const char *sub[] = { PP_SHOW_DIR, PP_EPISODES_DIR };
    int ret = 0;

    if (!ci) {
        ret = errorf(PP_ERR_USAGE, "'%s' is not a CI podpub writes for "
                     "(want github, gitlab, forgejo or none)", o->ci);
        goto out;
    }
    if (!o->force && access(show_file, F_OK) == 0) {
        ret = errorf(PP_ERR_INPUT, "'%s' exists: there is a show here "
                     "already (use --force to overwrite podpub's files)",
                     show_file);
        goto out;
    }
    /* Refuse before creating anything: no half-made show. */
    if (ci->file) {
        p = xstrfmt("%s/%s", o->dir, ci->file);
        if (!o->force && access(p, F_OK) == 0) {
            ret = errorf(PP_ERR_INPUT, "'%s' exists; not overwritten (use "
                         "--force)", p);
            free(p);
            goto out;
        }
        free(p);
    }
    if ((ret = make_dir(o->dir)) < 0)
        goto out;
    for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
        p = xstrfmt("%s/%s", o->dir, sub[i]);
        ret = make_dir(p);
        free(p);
        if (ret < 0)
            goto out;
    }
    if (ci->dir) {
        /* ".github/workflows": its parent first. */
        char *slash;

        p = xstrfmt("%s/%s", o->dir, ci->dir);
        slash = strrchr(p, '/');
        *slash = '\0';
        ret = make_dir(p);
        *slash = '/';
        if (ret == 0)
            ret = make_dir(p);
        free(p);
        if (ret < 0)
            goto out;
    }
    text = o->show_text ? xstrdup(o->show_text) :
           xstrfmt(show_template, title,
                   "What the show is about, in a few sentences.",
                   o->language, o->base_url, o->base_url, author, author,
                   email, o->author);
    if ((ret = write_new(o->dir, PP_SHOW_FILE, text, o->force, created)) < 0)
        goto out;
    if (ci->write) {
        ci->write(&wf);
        if ((ret = write_new(o->dir, ci->file, wf.buf, o->force,
                             created)) < 0)
            goto out;
    }
    if ((ret = add_gitignore(o->dir, created)) < 0)
        goto out;
    strbuf_addf(created, "%s/%s/\n", o->dir, PP_EPISODES_DIR);
out:
    strbuf_release(&wf);
    free(text);
    free(title);
    free(author);
    free(email);
    free(show_file);
    return ret;
}
