#!/bin/sh
# test_install.sh PODPUB SOURCE_DIR WORK_DIR
#
# `cmake --install` of PODPUB's build folder into a temporary prefix, and
# what it installs:
#   - bin/podpub runs; --version names the five libraries
#   - man pages: podpub(1), podpub-CMD(1) for every command `podpub help`
#     lists (help aside), podpub-show(5); each renders with groff -ww -z
#     and `man --warnings -l` without a warning, and `man` finds each by
#     name through MANPATH
#   - no drift: every option in `podpub CMD --help` is in podpub-CMD(1)'s
#     OPTIONS and every option there is in --help (podpub(1) and
#     `podpub --help` likewise); every field of the README's two tables is
#     in podpub-show(5) and every field there in the README
#   - completions for bash, zsh and fish where each shell looks; bash's
#     driven through its completion function (COMP_WORDS): commands, a
#     prefix, every rule id after --ignore, --target schemes, --ci and
#     --type values, a command's options, audio files only for add, -C
#     before the command; fish's through `complete -C`; zsh's parsed by
#     zsh -n
set -u

me=test_install
. "$(dirname "$0")/lib/common.sh"
init "$@"
need groff man fish zsh bash

BUILD=$(dirname "$PODPUB")
P=$WORK/prefix
cmake --install "$BUILD" --prefix "$P" >"$WORK/install.log" 2>&1 ||
    { dump "$WORK/install.log" install; fail "cmake --install $BUILD --prefix $P failed"; }
PP=$P/bin/podpub
[ -x "$PP" ] || fail "no bin/podpub in the prefix"
"$PP" --version >"$WORK/version" || fail "the installed podpub does not run"
for lib in libavformat libxml2 libcurl libyaml cmark; do
    grep -q "^  $lib " "$WORK/version" || fail "--version does not name $lib"
done
ok "cmake --install: bin/podpub runs, --version names the five libraries"

# ---------------------------------------------------------------------
# man pages
# ---------------------------------------------------------------------
COMMANDS=$("$PP" help | awk '/^commands:/ { on = 1; next }
    on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' | grep -vx help)
[ -n "$COMMANDS" ] || fail "podpub help lists no commands"
MAN=$P/share/man
pages="man1/podpub.1.gz man5/podpub-show.5.gz"
for c in $COMMANDS; do pages="$pages man1/podpub-$c.1.gz"; done
n=0
for pg in $pages; do
    f=$MAN/$pg
    [ -f "$f" ] || fail "no man page $pg in the prefix"
    gzip -dc "$f" >"$WORK/page"
    groff -ww -z -man "$WORK/page" >"$WORK/groff" 2>&1
    [ -s "$WORK/groff" ] && { dump "$WORK/groff" groff; fail "$pg: groff -ww warns"; }
    MANWIDTH=80 man --warnings -l "$f" >"$WORK/rendered" 2>"$WORK/man.err"
    [ -s "$WORK/man.err" ] && { dump "$WORK/man.err" man; fail "$pg: man --warnings warns"; }
    [ -s "$WORK/rendered" ] || fail "$pg: man -l renders nothing"
    name=$(basename "$pg" .gz)
    MANPATH=$MAN man -w "${name%.*}" >/dev/null 2>&1 ||
        fail "man does not find ${name%.*} through MANPATH=$MAN"
    n=$((n + 1))
done
ok "$n man pages: groff -ww and man --warnings silent, man finds each by name"

# options SOURCE: the options (-x, --xyz) named in SOURCE's text.
options() {
    grep -oE -- '(^|[[ |,])--?[a-zA-Z][a-z-]*' | sed 's/^[[ |,]//' | sort -u
}
# page_options PAGE: the options of the page's OPTIONS section.
page_options() {
    MANWIDTH=200 man -l "$1" 2>/dev/null | col -b |
        awk '/^[A-Z]/ { on = ($1 == "OPTIONS") } on' | options
}
# drift WHAT HELP_OPTIONS PAGE_OPTIONS: the same sets (-h and --help,
# which every command has, aside).
drift() {
    _what=$1
    printf '%s\n' "$2" | grep -vxE -- '-h|--help' | sort -u >"$WORK/help.opts"
    printf '%s\n' "$3" | grep -vxE -- '-h|--help' | sort -u >"$WORK/page.opts"
    _miss=$(comm -23 "$WORK/help.opts" "$WORK/page.opts" | tr '\n' ' ')
    _extra=$(comm -13 "$WORK/help.opts" "$WORK/page.opts" | tr '\n' ' ')
    [ -z "$_miss" ] || fail "$_what: options in --help but not in the man page: $_miss"
    [ -z "$_extra" ] || fail "$_what: options in the man page but not in --help: $_extra"
}
for c in $COMMANDS; do
    drift "podpub-$c(1)" "$("$PP" "$c" --help | options)" \
        "$(page_options "$MAN/man1/podpub-$c.1.gz")"
done
drift "podpub(1)" "$("$PP" --help | options)" "$(page_options "$MAN/man1/podpub.1.gz")"
ok "every command's --help options are its man page's, and no more"

# The README's field tables against podpub-show(5).
"$PY" - "$SRC/README.md" >"$WORK/readme.fields" <<'EOF' || fail "cannot read the README's field tables"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
out = []
for head in ("### feed/podcast.yaml", "### episodes/NNN-slug.md"):
    part = text.split(head, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    for line in part.splitlines():
        m = re.match(r"\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", line)
        if m:
            for f in re.findall(r"`([a-z_]+)`", m.group(1)):
                out.append("%s %s" % (head.split()[1], f))
if len(out) < 30:
    sys.exit("only %d fields found" % len(out))
print("\n".join(out))
EOF
gzip -dc "$MAN/man5/podpub-show.5.gz" >"$WORK/show.5"
"$PY" - "$WORK/show.5" >"$WORK/page.fields" <<'EOF' || fail "cannot read podpub-show(5)"
import re, sys
# The roff source: in the two field sections, each .TP's tag line
# (".B title" or ".BR season \", \" episode").
sec, tag, out = None, False, []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith(".SH "):
        sec = {"FEED/PODCAST.YAML": "feed/podcast.yaml",
               "EPISODES/NNN\\-SLUG.MD": "episodes/NNN-slug.md"}.get(line[4:])
    elif line == ".TP":
        tag = True
        continue
    elif sec and tag:
        for f in re.findall(r"\b([a-z_]+)\b", re.sub(r'^\.BR? |"[^"]*"', " ", line)):
            out.append("%s %s" % (sec, f))
    tag = False
print("\n".join(out))
EOF
sort -u "$WORK/readme.fields" >"$WORK/a"
sort -u "$WORK/page.fields" >"$WORK/b"
cmp -s "$WORK/a" "$WORK/b" || {
    echo "  README only:    $(comm -23 "$WORK/a" "$WORK/b" | tr '\n' ';')" >&2
    echo "  podpub-show(5): $(comm -13 "$WORK/a" "$WORK/b" | tr '\n' ';')" >&2
    fail "podpub-show(5) and the README's field tables differ"
}
ok "podpub-show(5) has the README's $(wc -l <"$WORK/a" | tr -d ' ') fields, and no others"

# ---------------------------------------------------------------------
# completions
# ---------------------------------------------------------------------
BASH_C=$P/share/bash-completion/completions/podpub
FISH_C=$P/share/fish/vendor_completions.d/podpub.fish
ZSH_C=$(find "$P/share/zsh" -name _podpub | head -n 1)
[ -f "$BASH_C" ] && [ -f "$FISH_C" ] && [ -n "$ZSH_C" ] ||
    fail "completions missing: bash '$BASH_C', fish '$FISH_C', zsh '$ZSH_C'"
zsh -n "$ZSH_C" || fail "$ZSH_C: zsh -n fails"

SHOW=$WORK/show
make_show "$SHOW"
RULES=$("$PP" check --list-rules | awk 'NR > 1 { print $1 }' | sort)

# comp LINE: what bash's completion offers for LINE (completing its last
# word; a trailing space starts a new one), sorted, one a line.
comp() {
    (cd "$SHOW" && PATH=$P/bin:$PATH bash --norc --noprofile -c '
        . "$1"
        line=$2
        read -ra COMP_WORDS <<<"$line"
        [ "${line% }" != "$line" ] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE=$line
        COMP_POINT=${#line}
        _podpub
        printf "%s\n" "${COMPREPLY[@]}"' bash "$BASH_C" "$1") | sed '/^$/d' | sort
}
expect() {
    _got=$(comp "$1")
    [ "$_got" = "$2" ] || fail "bash: '$1<TAB>' offers [$(echo $_got)], want [$(echo $2)]"
}
expect "podpub " "$(printf '%s\n' $COMMANDS help | sort)"
expect "podpub bu" "build"
expect "podpub help pu" "publish"
expect "podpub check --ignore " "$RULES"
expect "podpub check --ignore apple.image." "$(printf '%s\n' "$RULES" | grep '^apple\.image\.')"
expect "podpub publish --target " "$(printf '%s\n' file:// ftp:// ftps:// https:// s3:// sftp:// | sort)"
expect "podpub init --ci " "$(printf '%s\n' forgejo github gitlab none)"
expect "podpub add --type " "$(printf '%s\n' bonus full trailer)"
expect "podpub build --" "$("$PP" build --help | options | grep '^--')"
expect "podpub -C $SHOW check --str" "--strict"
expect "podpub serve --p" "--port"
expect "podpub add episodes/0" "$(cd "$SHOW" && ls episodes/0*.mp3 episodes/0*.m4a | sort)"
expect "podpub probe feed/c" "feed/cover.jpg"
ok "bash: commands, --ignore's rule ids, --target schemes, --ci and --type values, options, audio files"

fcomp() {
    (cd "$SHOW" && PATH=$P/bin:$PATH fish --no-config -c \
        "source '$FISH_C'; complete -C '$1'") | cut -f1 | sort
}
[ "$(fcomp 'podpub bu')" = build ] || fail "fish: 'podpub bu' offers [$(fcomp 'podpub bu' | tr '\n' ' ')]"
[ "$(fcomp 'podpub check --ignore apple.image.')" = "$(printf '%s\n' "$RULES" | grep '^apple\.image\.')" ] ||
    fail "fish: --ignore apple.image. offers [$(fcomp 'podpub check --ignore apple.image.' | tr '\n' ' ')]"
fcomp 'podpub publish --dry' | grep -qx -- --dry-run ||
    fail "fish: 'podpub publish --dry' offers [$(fcomp 'podpub publish --dry' | tr '\n' ' ')]"
ok "fish: commands, rule ids, options; zsh: $ZSH_C parses"
echo "$me: all passed"
