# serve.sh: sourced after common.sh by the tests that run a web server in
# the background (not a test). POSIX sh.
#
#   SRV                 the server's pid, or empty
#   stop_server         kills it and waits for it (also on any exit:
#                       sourcing this sets the traps)
#   start_podpub_serve DIR OUT ERR [ARGS...]
#                       `podpub serve --port 0 ARGS` in the show DIR,
#                       stdout in OUT, stderr in ERR; waits (10 s at most)
#                       for its URL and its first build; sets URL and SRV

SRV=
stop_server() {
    if [ -n "$SRV" ]; then
        kill "$SRV" 2>/dev/null
        wait "$SRV" 2>/dev/null
        SRV=
    fi
}
trap stop_server EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

start_podpub_serve() {
    _dir=$1 _out=$2 _err=$3
    shift 3
    : >"$_out"
    : >"$_err"
    (cd "$_dir" && exec "$PODPUB" serve --port 0 "$@") >"$_out" 2>"$_err" \
        </dev/null &
    SRV=$!
    URL=
    _n=0
    while [ $_n -lt 100 ]; do
        URL=$(sed -n 's/^serving \(http:[^ ]*\) .*/\1/p' "$_out")
        [ -n "$URL" ] && grep -q ' built feed.xml: ' "$_out" && return 0
        kill -0 "$SRV" 2>/dev/null || break
        sleep 0.1
        _n=$((_n + 1))
    done
    dump "$_out" stdout
    dump "$_err" stderr
    fail "podpub serve $* did not print its URL and a build within 10 s"
}
