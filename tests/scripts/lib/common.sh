# common.sh: sourced by the test_*.sh scripts that need it (not a test).
#
#   me=test_x; . "$(dirname "$0")/lib/common.sh"; init "$@"
#
# init checks the three arguments (PODPUB SOURCE_DIR WORK_DIR), sets
# PODPUB, SRC and WORK (absolute), LIB (this folder) and PY (Debian's
# python3), and empties WORK. Everything here is POSIX sh.

fail() { echo "$me: FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }
note() { echo "  $*"; }

abspath() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }

LIB=$(abspath "$(dirname "$0")/lib")
PY=/usr/bin/python3

init() {
    [ $# -eq 3 ] || { echo "usage: $me PODPUB SOURCE_DIR WORK_DIR" >&2; exit 2; }
    PODPUB=$(abspath "$1")
    SRC=$(abspath "$2")
    WORK=$(abspath "$3")
    [ -x "$PODPUB" ] || fail "podpub binary '$PODPUB' not found"
    [ -x "$PY" ] || fail "$PY not found (Debian's python3 is needed)"
    rm -rf "$WORK" && mkdir -p "$WORK" || fail "cannot create $WORK"
}

# need TOOL...: fails unless every TOOL is on PATH.
need() {
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 ||
            fail "'$t' is needed (apt-get install ffmpeg)"
    done
}

# make_show DIR: a copy of the example show (feed/ and episodes/) in DIR.
make_show() {
    rm -rf "$1" && mkdir -p "$1" &&
        cp -R "$SRC/feed" "$SRC/episodes" "$1/" ||
        fail "cannot copy the example show into $1"
}

# dump FILE LABEL: FILE's lines on stderr, each prefixed with LABEL.
dump() { [ -f "$1" ] && sed "s/^/  $2: /" "$1" >&2; return 0; }

# json FILE EXPR: prints the Python expression EXPR evaluated with 'j'
# bound to the JSON in FILE (None is printed as an empty line); exits 1
# with a message if FILE is not JSON.
json() {
    "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    print("not JSON: %s: %s" % (sys.argv[1], e), file=sys.stderr)
    sys.exit(1)
v = eval(sys.argv[2], {"j": j})
if v is None:
    print("")
elif isinstance(v, bool):
    print("true" if v else "false")
elif isinstance(v, (list, dict)):
    print(json.dumps(v, ensure_ascii=False, sort_keys=True))
else:
    print(v)
PYEOF
}

# decoded_seconds FILE: the length of FILE's first audio stream by a full
# decode with ffmpeg: decoded samples (one channel) / the stream's sample
# rate, printed with 4 decimals. Empty when ffmpeg cannot tell.
decoded_seconds() {
    _sr=$(ffprobe -v error -select_streams a:0 -show_entries \
        stream=sample_rate -of csv=p=0 "$1" 2>/dev/null | head -n 1)
    case $_sr in ''|*[!0-9]*|0) echo ""; return ;; esac
    _bytes=$(ffmpeg -nostdin -v quiet -i "$1" -map 0:a:0 -f s16le -ac 1 - \
        2>/dev/null | wc -c)
    awk -v b="$_bytes" -v sr="$_sr" 'BEGIN { printf "%.4f\n", b / 2 / sr }'
}

# ffprobe_seconds FILE: ffprobe's format=duration (an estimate for some
# files), or empty.
ffprobe_seconds() {
    ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" \
        2>/dev/null | head -n 1 | sed 's/^N\/A$//'
}

# abs_diff A B: |A - B| with 4 decimals.
abs_diff() {
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.4f\n", d }'
}

# le A B: true when A <= B (decimal numbers).
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
