# hostile.sh: what an attacker with write access to a publishing target
# (a shared bucket, a careless colleague's script) can plant there, for
# the test_hostile_*.sh scripts (sourced after lib/publish.sh; POSIX sh).
#
#   plant KEY FILE      put FILE at KEY under the target, as another
#                       writer would (S3: a signed PUT; else on disk)
#   plant_outside NAME  a victim file outside the target's prefix (S3: a
#                       sibling prefix "other-show/NAME"; else the folder
#                       above), which must survive everything
#   outside_intact NAME it is still there, unchanged
#   raw_controls FILE   FILE has a control byte other than \n and \t (an
#                       escape sequence, CR, a C1 control as UTF-8)

VICTIM_TEXT="victim: podpub must never touch this file"

plant() {
    case $TARGET in
        s3)
            _st=$(curl -s -o /dev/null -w '%{http_code}' \
                --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
                --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
                -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$2" \
                "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/$PREFIX$1")
            [ "$_st" = 200 ] || fail "cannot plant $1 on s3rver (HTTP $_st)"
            ;;
        *)
            mkdir -p "$(dirname "$(remote_path "$1")")" &&
                cp "$2" "$(remote_path "$1")" || fail "cannot plant $1"
            # pure-ftpd's user must be able to read it
            chmod 644 "$(remote_path "$1")"
            ;;
    esac
}

outside_path() {
    case $TARGET in
        s3) echo "$PODPUB_TEST_S3_DATA/$PODPUB_TEST_S3_BUCKET/other-show/$1._S3rver_object" ;;
        *) echo "$(dirname "$REMOTE_ROOT")/outside/$1" ;;
    esac
}

plant_outside() {
    printf '%s\n' "$VICTIM_TEXT" >"$WORK/victim"
    case $TARGET in
        s3)
            _st=$(curl -s -o /dev/null -w '%{http_code}' \
                --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
                --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
                -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$WORK/victim" \
                "$AWS_ENDPOINT_URL/$PODPUB_TEST_S3_BUCKET/other-show/$1")
            [ "$_st" = 200 ] || fail "cannot plant other-show/$1 (HTTP $_st)"
            ;;
        *)
            mkdir -p "$(dirname "$(outside_path "$1")")" &&
                cp "$WORK/victim" "$(outside_path "$1")" ||
                fail "cannot plant $(outside_path "$1")"
            ;;
    esac
}

outside_intact() {
    [ -f "$(outside_path "$1")" ] &&
        [ "$(cat "$(outside_path "$1")")" = "$VICTIM_TEXT" ]
}

raw_controls() {
    LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" && return 0
    # C1 controls written as UTF-8: C2 80..C2 9F
    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"
}
