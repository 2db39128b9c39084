# Shared helpers for the test-server scripts (POSIX sh; sourced, not run).
#
#   . tests/servers/lib.sh
#   port=$(ts_pick_port 101) || exit 1   # 101 free ports from $port on
#
# The start scripts use the ts_* functions below; tests may use
# ts_pick_port and ts_alive too. Set TS_NAME to prefix messages.

ts_die() {
    echo "${TS_NAME:-tests/servers}: $*" >&2
    exit 1
}

# ts_alive PID: the process exists and is not a zombie. PID 1 of some
# sandboxes never reaps orphans, so a dead server whose parent (the start
# script) has exited stays a zombie and `kill -0` alone would call it alive.
ts_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/stat" ]; then
        # state is the field after the ")" that closes the command name
        _st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
        [ "$_st" != Z ] || return 1
    fi
    return 0
}

# ts_port_busy PORT: something listens on 127.0.0.1:PORT or on the wildcard
# address with that port (or an established connection holds it).
ts_port_busy() {
    ss -Htan 2>/dev/null | awk -v p="$1" '
        { n = split($4, a, ":"); if (a[n] == p) found = 1 }
        END { exit found ? 0 : 1 }'
}

# ts_range_busy LO HI: some port in LO..HI is in use (prints the first).
ts_range_busy() {
    ss -Htan 2>/dev/null | awk -v lo="$1" -v hi="$2" '
        { n = split($4, a, ":"); p = a[n] + 0
          if (p >= lo && p <= hi && !found) { found = p } }
        END { if (found) { print found; exit 0 } exit 1 }'
}

# ts_pick_port [COUNT]: print a port in 20000-31999 such that COUNT
# consecutive ports from it (default 1) are free now. Another process may
# still take one before the server binds: the start scripts then fail, and
# a caller may retry with another port.
ts_pick_port() {
    _count=${1:-1}
    _tries=0
    while [ $_tries -lt 200 ]; do
        _tries=$((_tries + 1))
        _r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
        _base=$((20000 + _r % (12000 - _count)))
        if ! ts_range_busy "$_base" "$((_base + _count - 1))" >/dev/null; then
            echo "$_base"
            return 0
        fi
    done
    echo "ts_pick_port: no $_count free consecutive ports found" >&2
    return 1
}

# ts_check_port PORT: a number in 1024-65535 that is free now.
ts_check_port() {
    case $1 in
        '' | *[!0-9]*) ts_die "port '$1' is not a number" ;;
    esac
    [ "$1" -ge 1024 ] && [ "$1" -le 65535 ] || ts_die "port $1 is not in 1024-65535"
    ! ts_port_busy "$1" || ts_die "port 127.0.0.1:$1 is already in use"
}

# ts_state_dir DIR: create DIR, print its absolute path. The path goes into
# URLs and config files unquoted, so it must be made of safe characters.
ts_state_dir() {
    [ -n "$1" ] || ts_die "no STATE_DIR given"
    mkdir -p "$1" || ts_die "cannot create $1"
    _abs=$(cd "$1" && pwd -P) || ts_die "cannot enter $1"
    case $_abs in
        *[!A-Za-z0-9._/-]*) ts_die "STATE_DIR $_abs has characters other than A-Z a-z 0-9 . _ / -" ;;
    esac
    echo "$_abs"
}

# ts_not_running DIR: refuse to start twice into one state folder.
ts_not_running() {
    if [ -f "$1/pid" ]; then
        _p=$(cat "$1/pid")
        if [ -n "$_p" ] && ts_alive "$_p"; then
            ts_die "already running in $1 (pid $_p); stop it first"
        fi
        rm -f "$1/pid"
    fi
}

# ts_wait_ready PID LOG DESCRIPTION COMMAND...: run COMMAND every 0.1 s
# until it succeeds; fail if PID dies (showing the end of LOG) or after
# TS_TIMEOUT seconds (15). On failure the server is stopped.
ts_wait_ready() {
    _pid=$1 _log=$2 _what=$3
    shift 3
    _limit=$(( ${TS_TIMEOUT:-15} * 10 ))
    _n=0
    while :; do
        if ! ts_alive "$_pid"; then
            echo "${TS_NAME:-tests/servers}: $_what exited during start-up; end of $_log:" >&2
            tail -n 20 "$_log" 2>/dev/null | sed 's/^/    /' >&2
            exit 1
        fi
        if "$@" >/dev/null 2>&1; then
            ts_alive "$_pid" && return 0
            continue
        fi
        _n=$((_n + 1))
        if [ $_n -ge $_limit ]; then
            echo "${TS_NAME:-tests/servers}: $_what did not accept connections within ${TS_TIMEOUT:-15} s; end of $_log:" >&2
            tail -n 20 "$_log" 2>/dev/null | sed 's/^/    /' >&2
            ts_kill_tree "$_pid"
            exit 1
        fi
        sleep 0.1
    done
}

# ts_kill_tree PID: SIGTERM to PID and its direct children (per-connection
# processes of sshd and pure-ftpd, nginx workers); wait up to 10 s for all
# of them, then SIGKILL what is left and wait up to 5 s more.
ts_kill_tree() {
    _pids="$1 $(pgrep -P "$1" 2>/dev/null | tr '\n' ' ')"
    # shellcheck disable=SC2086
    kill -TERM $_pids 2>/dev/null
    _n=0
    while :; do
        _left=
        for _p in $_pids; do
            ts_alive "$_p" && _left="$_left $_p"
        done
        [ -n "$_left" ] || return 0
        _n=$((_n + 1))
        if [ $_n = 100 ]; then
            # shellcheck disable=SC2086
            kill -KILL $_left 2>/dev/null
        fi
        if [ $_n -ge 150 ]; then
            echo "${TS_NAME:-tests/servers}: pid(s)$_left still running after SIGKILL" >&2
            return 1
        fi
        sleep 0.1
    done
}

# ts_stop DIR: stop the server whose pid is recorded in DIR/pid.
ts_stop() {
    [ -n "$1" ] || ts_die "usage: $0 stop STATE_DIR"
    if [ ! -f "$1/pid" ]; then
        echo "${TS_NAME:-tests/servers}: no $1/pid: not running" >&2
        return 0
    fi
    _p=$(cat "$1/pid")
    case $_p in
        '' | *[!0-9]*) ts_die "$1/pid does not hold a pid" ;;
    esac
    if ts_alive "$_p"; then
        ts_kill_tree "$_p" || exit 1
    fi
    rm -f "$1/pid"
}

# ts_main ARGS...: the command line of every server script, "start
# STATE_DIR PORT" (the script's own start()) or "stop STATE_DIR".
ts_main() {
    case ${1:-} in
        start)
            [ $# = 3 ] || ts_die "usage: $0 start STATE_DIR PORT"
            start "$2" "$3"
            ;;
        stop)
            [ $# = 2 ] || ts_die "usage: $0 stop STATE_DIR"
            ts_stop "$2"
            ;;
        *)
            ts_die "usage: $0 start STATE_DIR PORT | stop STATE_DIR"
            ;;
    esac
}
