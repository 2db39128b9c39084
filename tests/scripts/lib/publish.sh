# publish.sh: helpers for the test_publish_*.sh scripts (sourced; POSIX sh).
#
#   me=test_publish_x; . "$(dirname "$0")/lib/publish.sh"; pub_init "$@"
#
# pub_init does what common.sh's init does (PODPUB, SRC, WORK, LIB, PY;
# WORK emptied), then sources tests/servers/lib.sh and sets a trap that
# stops every server these helpers started (tests/servers/*.sh by their
# state folder, flaky.py by its pid), on any exit or signal.
#
# Failures: 'fail MSG' stops the script (or the ( subshell ) it runs in);
# 'bad MSG' records a failed check (in WORK/bad.list) and goes on, so one
# run shows every broken thing; 'pub_finish' ends the script: exit 1
# listing what was bad, else 0.
#
# A target is driven through a few variables and functions that
# use_target sets for its kind (s3, sftp, ftp, ftps, webdav, file):
#   URL                 the --target URL
#   remote_path KEY     the file on disk that holds KEY on the server
#   http_url KEY        where the public reads KEY (s3, webdav), else empty
#   mark                remember the server's log / the remote files now
#   uploads             the keys written since 'mark', one a line, sorted
#                       (".x.podpub-<16 hex>.tmp" counted as "x";
#                       .podpub/lock and its temporary name not)
#   writes              every write request since 'mark' (for "zero")

. "$(dirname "$0")/lib/common.sh"

SRV_DIR=
PP_TIMEOUT=${PP_TIMEOUT:-120}

# The example show's public base URL (feed/podcast.yaml, base_url).
BASE_URL=https://media.example.org/voorbij-het-rode-licht/

# (kept in a file, so that a check in a ( subshell ) counts too)
bad() {
    echo "$me: FAIL: $*" >&2
    echo "  - $*" >>"$WORK/bad.list"
}

pub_finish() {
    if [ -s "$WORK/bad.list" ]; then
        echo "$me: FAILED checks:" >&2
        cat "$WORK/bad.list" >&2
        exit 1
    fi
    echo "$me: all checks passed"
    exit 0
}

pub_cleanup() {
    [ -f "$WORK/servers" ] || return 0
    while read -r _kind _dir; do
        case $_kind in
            flaky)
                if [ -f "$_dir/pid" ]; then
                    kill "$(cat "$_dir/pid")" 2>/dev/null
                    rm -f "$_dir/pid"
                fi
                ;;
            *) sh "$SRV_DIR/$_kind.sh" stop "$_dir" >/dev/null 2>&1 ;;
        esac
    done <"$WORK/servers"
}

pub_init() {
    init "$@"
    SRV_DIR=$SRC/tests/servers
    [ -f "$SRV_DIR/lib.sh" ] || fail "$SRV_DIR/lib.sh not found"
    # shellcheck disable=SC1091
    . "$SRV_DIR/lib.sh"
    trap 'pub_cleanup' EXIT
    trap 'exit 130' INT TERM HUP
    need ffmpeg curl timeout
    : >"$WORK/servers"
}

# elapsed T0: seconds since T0 (from 'now'), 1 decimal.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f\n", b - a }'; }

# --- servers --------------------------------------------------------------

# srv_start KIND DIR: tests/servers/KIND.sh on free ports (3 tries with a
# new port if another process took one); fails the test if it cannot.
srv_start() {
    _kind=$1 _dir=$2 _count=1
    case $_kind in webdav) _count=2 ;; ftp) _count=101 ;; esac
    mkdir -p "$(dirname "$_dir")" || fail "cannot create $(dirname "$_dir")"
    echo "$_kind $_dir" >>"$WORK/servers"
    for _try in 1 2 3; do
        _port=$(ts_pick_port $_count) || break
        if sh "$SRV_DIR/$_kind.sh" start "$_dir" "$_port" \
                >"$_dir.start.log" 2>&1; then
            return 0
        fi
    done
    dump "$_dir.start.log" "$_kind start"
    fail "the $_kind test server could not start (tests/servers/install.sh installs what it needs)"
}

# srv_restart KIND DIR PORT: start again into DIR (its data kept), on PORT
# if it is free, else on another; prints nothing, sets nothing but DIR/env.
srv_restart() {
    if ! sh "$SRV_DIR/$1.sh" start "$2" "$3" >"$2.start.log" 2>&1; then
        srv_start "$1" "$2"
    fi
}

# flaky_start DIR ARGS...: tests/servers/flaky.py on a free loopback port
# (the kernel's pick), its store in DIR/root, log DIR/log; sets FLAKY_PORT.
flaky_start() {
    _dir=$1
    shift
    mkdir -p "$_dir" || fail "cannot create $_dir"
    rm -f "$_dir/port"
    echo "flaky $_dir" >>"$WORK/servers"
    "$PY" "$SRV_DIR/flaky.py" --root "$_dir/root" --port-file "$_dir/port" \
        --log "$_dir/log" "$@" </dev/null >"$_dir/flaky.out" 2>&1 &
    echo $! >"$_dir/pid"
    _n=0
    while [ ! -s "$_dir/port" ]; do
        _n=$((_n + 1))
        if [ $_n -gt 100 ] || ! ts_alive "$(cat "$_dir/pid")"; then
            dump "$_dir/flaky.out" flaky
            fail "flaky.py did not start ($*)"
        fi
        sleep 0.05
    done
    FLAKY_PORT=$(cat "$_dir/port")
}

flaky_stop() {
    if [ -f "$1/pid" ]; then
        _p=$(cat "$1/pid")
        kill "$_p" 2>/dev/null
        _n=0
        while ts_alive "$_p" && [ $_n -lt 50 ]; do sleep 0.1; _n=$((_n + 1)); done
        rm -f "$1/pid"
    fi
}

# --- the show -------------------------------------------------------------

# add_episode SHOW NUM SLUG TITLE FREQ [SECONDS] [DATE]: a new episode by
# hand: NNN-SLUG.mp3 (a sine of FREQ Hz, mono 32 kbit/s) and NNN-SLUG.md
# with a new GUID. Prints the audio's key.
add_episode() {
    _num=$(printf %03d "$2")
    _key=$_num-$3.mp3
    ffmpeg -nostdin -v error -y -f lavfi \
        -i "sine=frequency=$5:duration=${6:-2}" -ac 1 -b:a 32k \
        "$1/episodes/$_key" || fail "ffmpeg could not make $_key"
    cat >"$1/episodes/$_num-$3.md" <<EOF || fail "cannot write $_num-$3.md"
---
title: "$4"
guid: $(cat /proc/sys/kernel/random/uuid)
date: ${7:-2025-11-21T06:00:00+01:00}
audio: $_key
season: 1
episode: $2
type: full
explicit: true
summary: "$4: een extra aflevering voor de publicatietests."
---

$4. Een korte extra aflevering, alleen gemaakt voor de tests van
\`podpub publish\`.
EOF
    echo "$_key"
}

# public_keys SHOW: every key the show publishes (feed, page, cover, the
# episodes' audio, transcripts and chapters), one a line, sorted.
public_keys() {
    {
        echo feed.xml
        echo index.html
        echo cover.jpg
        ls "$1/episodes" | grep -v '\.md$'
        # Chapters the build wrote (front matter or audio) for episodes
        # the show still has.
        for _c in "$1"/public/chapters/*.json; do
            [ -f "$_c" ] && _e=$(basename "$_c" .json) &&
                [ -f "$1/episodes/$_e.md" ] && echo "chapters/$_e.json"
        done
    } | LC_ALL=C sort
}

# local_of SHOW KEY: the local file that KEY must be a copy of.
local_of() {
    case $2 in
        feed.xml | index.html) echo "$1/public/$2" ;;
        cover.jpg) echo "$1/feed/cover.jpg" ;;
        chapters/*) echo "$1/public/$2" ;;
        *) echo "$1/episodes/$2" ;;
    esac
}

# --- running podpub -------------------------------------------------------

# pp WANT WHAT ARGS...: podpub -C $SHOW ARGS (in 'timeout PP_TIMEOUT'),
# output in $OUT/$ERR, status in $rc, seconds in $secs. Records a failure
# (bad) and returns 1 unless the status is WANT (PP_SOFT=1: only returns 1).
pp() {
    _want=$1 _what=$2
    shift 2
    OUT=$WORK/out ERR=$WORK/err
    _t0=$(now)
    timeout "$PP_TIMEOUT" "$PODPUB" -C "$SHOW" "$@" >"$OUT" 2>"$ERR"
    rc=$?
    secs=$(elapsed "$_t0")
    # In the sanitizer build, LeakSanitizer's own stop-the-world tracer
    # sometimes crashes in its leak check at exit, after podpub is done
    # ("Tracer caught signal 11", google/sanitizers#1353; seen 1-4 times
    # in 8 on the FTP --prune publish of test_hostile_manifest). It exits
    # 1 in place of podpub's status, which is lost: the checks that
    # follow judge the run by its effects. A leak report ("detected
    # memory leaks") is not this and still fails.
    if [ "$rc" -ne "$_want" ] && grep -q '^Tracer caught signal' "$ERR" &&
       grep -q 'LeakSanitizer has encountered a fatal error' "$ERR" &&
       ! grep -q 'detected memory leaks' "$ERR"; then
        note "$_what: LeakSanitizer's tracer crashed at exit (status lost, google/sanitizers#1353); judged by what follows"
        rc=$_want
    fi
    if [ "$rc" -ne "$_want" ]; then
        [ "${PP_SOFT:-0}" = 1 ] && return 1
        dump "$OUT" "stdout"
        dump "$ERR" "stderr"
        if [ "$rc" = 124 ]; then
            bad "$_what: podpub $* was still running after ${PP_TIMEOUT} s (killed), expected exit $_want"
        else
            bad "$_what: podpub $* exited $rc after $secs s, expected $_want"
        fi
        return 1
    fi
    ok "$_what: exit $rc in $secs s"
    return 0
}

# must_say FILE REGEX WHAT: FILE (out/err) matches the extended REGEX.
must_say() {
    if ! grep -Eq -- "$2" "$1"; then
        dump "$1" "$(basename "$1")"
        bad "$3: the output does not match /$2/"
        return 1
    fi
    return 0
}

# no_secret WHAT SECRET... : none of the SECRETs is in $OUT or $ERR.
no_secret() {
    _what=$1
    shift
    for _s in "$@"; do
        if grep -qF -- "$_s" "$OUT" "$ERR"; then
            bad "$_what: a secret is in podpub's output: $(grep -F -- "$_s" "$OUT" "$ERR" | head -n 3 | sed "s|$_s|<SECRET>|g")"
        fi
    done
}

# --- targets --------------------------------------------------------------

# wait_quiet FILE: a server log that is written when a request ends: wait
# until it stops growing (0.2 s unchanged, at most 3 s).
wait_quiet() {
    [ -f "$1" ] || return 0
    _last=-1 _n=0
    while [ $_n -lt 15 ]; do
        _c=$(wc -c <"$1")
        [ "$_c" = "$_last" ] && return 0
        _last=$_c
        _n=$((_n + 1))
        sleep 0.2
    done
}

# log_since LOG: the lines of LOG after $MARK_LINES.
log_since() { tail -n +$((MARK_LINES + 1)) "$1"; }

# tmp_to_key: ".feed.xml.podpub-0123456789abcdef.tmp" -> "feed.xml" (in
# any folder): podpub's temporary names, random per publish.
tmp_to_key() { sed 's#\(^\|/\)\.\([^/]*\)\.podpub-[0-9a-f]\{16\}\.tmp$#\1\2#'; }

# snapshot DIR: inode, mtime (ns), size and name of every file under DIR.
snapshot() {
    (cd "$1" 2>/dev/null && find . -type f -exec stat -c '%i %y %s %n' {} + |
        sed 's# \./# #' | LC_ALL=C sort)
}

# changed_keys: files new or changed since $WORK/snap.before (snapshots).
changed_keys() {
    snapshot "$REMOTE_ROOT" >"$WORK/snap.after"
    LC_ALL=C comm -13 "$WORK/snap.before" "$WORK/snap.after" |
        awk '{ print $NF }' | LC_ALL=C sort -u
}

# use_target KIND [SUBDIR]: sets URL, REMOTE_ROOT and the functions above
# for a started server (its env sourced by the caller).
use_target() {
    TARGET=$1
    case $1 in
        s3)
            PREFIX=${2:-show}/
            URL=s3://$PODPUB_TEST_S3_BUCKET/$PREFIX
            REMOTE_ROOT=$PODPUB_TEST_S3_DATA/$PODPUB_TEST_S3_BUCKET/$PREFIX
            LOG=$PODPUB_TEST_S3_REQUESTS_LOG
            ;;
        sftp)
            URL=$PODPUB_TEST_SFTP_URL${2:+$2/}
            REMOTE_ROOT=$PODPUB_TEST_SFTP_ROOT${2:+/$2}
            LOG=
            ;;
        ftp | ftps)
            _u=$PODPUB_TEST_FTP_URL
            [ "$1" = ftps ] && _u=$PODPUB_TEST_FTPS_URL
            URL=$_u${2:+$2/}
            REMOTE_ROOT=$PODPUB_TEST_FTP_ROOT${2:+/$2}
            LOG=$PODPUB_TEST_FTP_TRANSFER_LOG
            ;;
        webdav)
            URL=$PODPUB_TEST_DAV_URL
            REMOTE_ROOT=$PODPUB_TEST_DAV_ROOT
            LOG=$PODPUB_TEST_DAV_ACCESS_LOG
            ;;
        flaky)
            # tests/servers/flaky.py started by flaky_start in FLAKY_DIR
            URL=http://127.0.0.1:$FLAKY_PORT/show/
            REMOTE_ROOT=$FLAKY_DIR/root/show
            LOG=$FLAKY_DIR/log
            ;;
        file)
            REMOTE_ROOT=$WORK/www/${2:-show}
            URL=file://$REMOTE_ROOT/
            LOG=
            ;;
        *) fail "use_target: unknown kind $1" ;;
    esac
}

remote_path() {
    case $TARGET in
        s3) echo "$REMOTE_ROOT$1._S3rver_object" ;;
        *) echo "$REMOTE_ROOT/$1" ;;
    esac
}

http_url() {
    case $TARGET in
        s3) echo "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/$PREFIX$1" ;;
        webdav) echo "$PODPUB_TEST_CDN_URL$1" ;;
        flaky) [ "${FLAKY_HTTP:-1}" = 1 ] && echo "${URL}$1" ;;
        *) echo "" ;;
    esac
}

# remote_has KEY: KEY exists on the server (on disk).
remote_has() { [ -f "$(remote_path "$1")" ]; }

mark() {
    MARK_LINES=0
    if [ -n "$LOG" ] && [ -f "$LOG" ]; then
        wait_quiet "$LOG"
        MARK_LINES=$(wc -l <"$LOG")
    fi
    snapshot "$REMOTE_ROOT" >"$WORK/snap.before"
}

uploads() {
    case $TARGET in
        s3)
            log_since "$LOG" | sed -n "s#^PUT /$PODPUB_TEST_S3_BUCKET/$PREFIX\([^? ]*\) 2[0-9][0-9]\$#\1#p"
            ;;
        webdav)
            wait_quiet "$LOG"
            _p=${PODPUB_TEST_DAV_URL#http://*/}
            log_since "$LOG" | sed -n "s#^[^\"]*\"PUT /$_p\([^ ]*\) HTTP/[0-9.]*\" 20[0-9] .*#\1#p"
            ;;
        ftp | ftps)
            wait_quiet "$LOG"
            log_since "$LOG" | sed -n "s#.*\"PUT $REMOTE_ROOT/\([^\"]*\)\" 2[0-9][0-9] .*#\1#p"
            ;;
        flaky)
            log_since "$LOG" | sed -n "s#^PUT /show/\([^ ]*\) 20[0-9]\$#\1#p"
            ;;
        *)
            changed_keys
            ;;
    esac | tmp_to_key | grep -vx '\.podpub/lock' | LC_ALL=C sort -u
}

writes() {
    case $TARGET in
        s3) log_since "$LOG" | grep -Ev '^(GET|HEAD) ' ;;
        webdav) wait_quiet "$LOG"; log_since "$LOG" | grep -Ev '"(GET|HEAD|PROPFIND|OPTIONS) ' ;;
        ftp | ftps) wait_quiet "$LOG"; log_since "$LOG" | grep -v '"GET ' ;;
        flaky) log_since "$LOG" | grep -Ev '^(GET|HEAD) ' ;;
        *)
            snapshot "$REMOTE_ROOT" >"$WORK/snap.after"
            LC_ALL=C comm -3 "$WORK/snap.before" "$WORK/snap.after"
            ;;
    esac
}

# expect_set WHAT GOT_FILE WANT...: the lines of GOT_FILE are exactly WANT.
expect_set() {
    _what=$1 _got=$2
    shift 2
    printf '%s\n' "$@" | LC_ALL=C sort -u >"$WORK/want.set"
    if ! LC_ALL=C cmp -s "$WORK/want.set" "$_got"; then
        bad "$_what: uploaded [$(tr '\n' ' ' <"$_got")], expected [$(tr '\n' ' ' <"$WORK/want.set")]"
        return 1
    fi
    ok "$_what: uploaded exactly [$(tr '\n' ' ' <"$_got" | sed 's/ $//')]"
}

# check_bytes WHAT KEY...: each KEY on the server (on disk and, for S3 and
# WebDAV, read back over HTTP by the public) is byte-identical to its
# local file.
check_bytes() {
    _what=$1
    shift
    _n=0
    for _k in "$@"; do
        _l=$(local_of "$SHOW" "$_k")
        _r=$(remote_path "$_k")
        if [ ! -f "$_r" ]; then
            bad "$_what: $_k is not on the server ($_r)"
            continue
        fi
        cmp -s "$_l" "$_r" || bad "$_what: $_k on the server differs from $_l"
        _h=$(http_url "$_k")
        if [ -n "$_h" ]; then
            rm -f "$WORK/http.get"
            _st=$(curl -s -o "$WORK/http.get" -w '%{http_code}' --max-time 20 "$_h")
            if [ "$_st" != 200 ]; then
                bad "$_what: GET $_h answered $_st"
            elif ! cmp -s "$_l" "$WORK/http.get"; then
                bad "$_what: GET $_h is not byte-identical to $_l"
            fi
        fi
        _n=$((_n + 1))
    done
    ok "$_what: $_n files byte-identical on the server${_h:+ and over HTTP}"
}

# check_manifest WHAT: the remote manifest lists every public file but the
# feed with the local size and SHA-256.
check_manifest() {
    _m=$(remote_path .podpub/manifest.json)
    [ -f "$_m" ] || { bad "$1: no .podpub/manifest.json on the server"; return 1; }
    for _k in $(public_keys "$SHOW" | grep -vx feed.xml); do
        _l=$(local_of "$SHOW" "$_k")
        printf '%s %s %s\n' "$_k" "$(wc -c <"$_l" | tr -d ' ')" \
            "$(sha256sum "$_l" | cut -d' ' -f1)"
    done >"$WORK/manifest.want"
    "$PY" - "$_m" "$WORK/manifest.want" >"$WORK/manifest.check" 2>&1 <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))["files"]
for line in open(sys.argv[2]):
    k, size, sha = line.split()
    e = m.get(k)
    if e is None:
        print("missing %s" % k)
    elif str(e.get("size")) != size or e.get("sha256") != sha:
        print("wrong %s: %s" % (k, e))
PYEOF
    if [ -s "$WORK/manifest.check" ]; then
        bad "$1: the remote manifest is wrong: $(head -n 3 "$WORK/manifest.check" | tr '\n' ';')"
        return 1
    fi
    ok "$1: the manifest lists every file with its size and SHA-256"
}

# check_no_lock WHAT: no .podpub/lock left on the server, nor a temporary
# file. On a left lock the failure is recorded and the lock removed, so
# the test can go on.
check_no_lock() {
    _lk=$(remote_path .podpub/lock)
    if [ -f "$_lk" ]; then
        bad "$1: .podpub/lock is still on the server after podpub exited ($(head -c 80 "$_lk"))"
        rm -f "$_lk" "$REMOTE_ROOT.podpub/lock._S3rver_metadata.json" \
            "$REMOTE_ROOT.podpub/lock._S3rver_object.md5"
        return 1
    fi
    _left=$(find "$REMOTE_ROOT" -name '*.podpub-*.tmp*' 2>/dev/null | head -n 3)
    if [ -n "$_left" ]; then
        bad "$1: temporary files left on the server: $_left"
        return 1
    fi
    return 0
}

# enclosures FEED: "KEY LENGTH" for each <enclosure> of FEED (KEY: the URL
# less the show's base URL).
enclosures() {
    "$PY" - "$1" "$BASE_URL" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
base = sys.argv[2]
for e in ET.parse(sys.argv[1]).getroot().iter("enclosure"):
    url = e.get("url")
    key = url[len(base):] if url.startswith(base) else url
    print(key, e.get("length"))
PYEOF
}

# check_enclosures WHAT FEED [BASE]: every enclosure of FEED resolves:
# on disk (size = length) and, when BASE (an HTTP URL) is given, GET
# BASE+KEY answers 200 with that many bytes.
check_enclosures() {
    _n=0
    enclosures "$2" >"$WORK/encl" || { bad "$1: cannot read the enclosures of $2"; return 1; }
    while read -r _k _len; do
        _r=$(remote_path "$_k")
        if [ ! -f "$_r" ]; then
            bad "$1: the live feed's enclosure $_k is not on the server"
        elif [ "$(wc -c <"$_r" | tr -d ' ')" != "$_len" ]; then
            bad "$1: $_k on the server is not $_len bytes"
        fi
        if [ -n "${3:-}" ]; then
            _got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 20 "$3$_k")
            [ "$_got" = "200 $_len" ] ||
                bad "$1: GET $3$_k: '$_got', expected '200 $_len'"
        fi
        _n=$((_n + 1))
    done <"$WORK/encl"
    [ $_n -gt 0 ] || bad "$1: the feed has no enclosures"
    ok "$1: all $_n enclosures of the live feed resolve${3:+ (on disk and over HTTP)}"
}

# --- the whole flow for one target ---------------------------------------

# target_flow KIND [SUBDIR]: first publish, a no-change re-publish, one
# added episode, one removed with --prune (its env sourced, server
# started by the caller).
target_flow() {
    use_target "$@"
    SHOW=$WORK/$TARGET/show
    make_show "$SHOW"
    echo "== $TARGET: $URL"

    mark
    if pp 0 "$TARGET first publish" publish --target "$URL"; then
        # shellcheck disable=SC2046
        check_bytes "$TARGET first publish" $(public_keys "$SHOW")
        check_manifest "$TARGET first publish"
        uploads >"$WORK/got.set"
        # shellcheck disable=SC2046
        expect_set "$TARGET first publish" "$WORK/got.set" \
            $(public_keys "$SHOW") .podpub/manifest.json
        check_no_lock "$TARGET first publish"
    else
        return 1
    fi

    mark
    if pp 0 "$TARGET re-publish, nothing changed" publish --target "$URL"; then
        must_say "$OUT" "nothing to publish" "$TARGET re-publish"
        writes >"$WORK/writes"
        if [ -s "$WORK/writes" ]; then
            bad "$TARGET re-publish with nothing changed wrote to the server: $(head -n 5 "$WORK/writes" | tr '\n' ';')"
        else
            ok "$TARGET re-publish: zero uploads, zero writes"
        fi
        [ -n "$LOG" ] && [ "$TARGET" = s3 ] &&
            ok "$TARGET re-publish: $(log_since "$LOG" | wc -l) requests in all"
    fi

    _new=$(add_episode "$SHOW" 4 extra "Extra: een nieuwe aflevering" 660)
    mark
    if pp 0 "$TARGET one episode added" publish --target "$URL"; then
        uploads >"$WORK/got.set"
        expect_set "$TARGET one episode added" "$WORK/got.set" \
            "$_new" index.html feed.xml .podpub/manifest.json
        # shellcheck disable=SC2046
        check_bytes "$TARGET after the new episode" $(public_keys "$SHOW")
        check_manifest "$TARGET after the new episode"
        check_no_lock "$TARGET after the new episode"
        grep -q "$_new" "$(remote_path feed.xml)" ||
            bad "$TARGET: the live feed does not name $_new"
    fi

    # --prune deletes inside the target only: a file of the same name in
    # the folder above the target (a decoy) must survive.
    rm -f "$SHOW/episodes/003-lumens.md" "$SHOW/episodes/003-lumens.m4a"
    place_decoy 003-lumens.m4a
    mark
    if pp 0 "$TARGET episode removed, --allow-removal --prune" \
            publish --allow-removal --prune --target "$URL"; then
        remote_has 003-lumens.m4a &&
            bad "$TARGET --prune: 003-lumens.m4a (no longer in the feed) is still on the server"
        decoy_there 003-lumens.m4a ||
            bad "$TARGET --prune deleted 003-lumens.m4a OUTSIDE the target folder (in the folder above $URL)"
        grep -q '"003-lumens.m4a"' "$(remote_path .podpub/manifest.json)" &&
            bad "$TARGET --prune: the manifest still lists 003-lumens.m4a"
        grep -q '003-lumens' "$(remote_path feed.xml)" &&
            bad "$TARGET --prune: the live feed still names 003-lumens"
        # shellcheck disable=SC2046
        check_bytes "$TARGET after --prune" $(public_keys "$SHOW")
        check_no_lock "$TARGET after --prune"
    fi
}

# place_decoy NAME: a file NAME in the folder above the target's (or, for
# S3, at the bucket's top, above the prefix), which podpub must not touch.
place_decoy() {
    case $TARGET in
        s3)
            printf 'not podpub%ss\n' "'" >"$WORK/decoy"
            _st=$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
                --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
                -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$WORK/decoy" \
                "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/$1")
            [ "$_st" = 200 ] || fail "cannot put the decoy $1 on s3rver (HTTP $_st)"
            ;;
        *)
            printf 'not podpub%ss\n' "'" >"$(dirname "$REMOTE_ROOT")/$1" ||
                fail "cannot write the decoy $(dirname "$REMOTE_ROOT")/$1"
            ;;
    esac
}

decoy_there() {
    case $TARGET in
        s3) [ -f "$PODPUB_TEST_S3_DATA/$PODPUB_TEST_S3_BUCKET/$1._S3rver_object" ] ;;
        *) [ -f "$(dirname "$REMOTE_ROOT")/$1" ] ;;
    esac
}
