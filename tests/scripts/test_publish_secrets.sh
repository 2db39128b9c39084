#!/bin/sh
# test_publish_secrets.sh PODPUB SOURCE_DIR WORK_DIR
#
# Credentials never show: podpub publish -v -v (libcurl's trace) to
#   - S3 with a session token (AWS_SESSION_TOKEN=planted-token-xyz; s3rver
#     may accept or refuse it), and with a wrong secret;
#   - WebDAV (basic auth), with the right and a wrong password;
#   - FTP and FTPS (PASS), with the right and a wrong password, also
#     given in the URL (ftp://user:password@host/...);
#   - SFTP (a private key file);
# then stdout, stderr, the built public/ folder, the show's folder (its
# .podpub/ caches) and every file on the servers are searched for the
# planted strings: the S3 secret key and session token, the passwords,
# the HTTP basic-auth token (base64 of user:password), the lines of the
# SSH private key, and SigV4 signatures ("Signature=" of the Authorization
# header). None may be found. The trace must be there (-v -v did trace).
set -u
me=test_publish_secrets
. "$(dirname "$0")/lib/publish.sh"
pub_init "$@"

TOKEN=planted-token-xyz
WRONG=wrong-Secret-Pw-5521
SECRETS=$WORK/secrets
: >"$SECRETS"

srv_start s3 "$WORK/srv/s3"
srv_start sftp "$WORK/srv/sftp"
srv_start webdav "$WORK/srv/dav"
srv_start ftp "$WORK/srv/ftp"
for s in s3 sftp dav ftp; do . "$WORK/srv/$s/env"; done

{
    echo "$AWS_SECRET_ACCESS_KEY"
    echo "$TOKEN"
    echo "$PODPUB_PASSWORD"
    echo "$WRONG"
    printf '%s' "$PODPUB_USER:$PODPUB_PASSWORD" | base64
    printf '%s' "$PODPUB_USER:$WRONG" | base64
    printf '%s' "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" | base64
    grep -v -- '-----' "$PODPUB_SSH_KEY"
    echo "Signature="
} >"$SECRETS"

# leaks WHERE FILES...: the planted strings found in FILES (grep -r).
leaks() {
    _where=$1
    shift
    if grep -rIF -f "$SECRETS" "$@" >"$WORK/leaks" 2>/dev/null; then
        bad "$_where: a secret was found: $(head -n 3 "$WORK/leaks" | cut -c1-200 | tr '\n' ';')"
        return 1
    fi
    # Binary files too (grep -I skips them): the audio, a cache.
    if grep -rlaF -f "$SECRETS" "$@" >"$WORK/leaks" 2>/dev/null; then
        bad "$_where: a secret was found in $(head -n 3 "$WORK/leaks" | tr '\n' ' ')"
        return 1
    fi
    return 0
}

# traced WHAT WANT ARGS...: podpub -v -v publish ARGS, expecting exit WANT
# (any when WANT is '-'); output kept; secrets searched in it.
n=0
traced() {
    _what=$1 _want=$2
    shift 2
    n=$((n + 1))
    if [ "$_want" = - ]; then
        PP_SOFT=1 pp 0 "$_what" -v -v publish "$@" ||
            echo "  note: $_what: exit $rc (accepted): $(grep 'podpub:' "$ERR" | head -n 1)"
    else
        pp "$_want" "$_what" -v -v publish "$@"
    fi
    cp "$OUT" "$WORK/run$n.out"
    cp "$ERR" "$WORK/run$n.err"
    grep -Eq '^(> |\* Connected to)' "$ERR" || bad "$_what: -v -v printed no libcurl trace"
    leaks "$_what (stdout, stderr)" "$OUT" "$ERR" &&
        ok "$_what: no secret in $(wc -l <"$ERR") lines of trace"
}

SHOW=$WORK/show
make_show "$SHOW"

echo "== S3 with a session token"
use_target s3 show
AWS_SESSION_TOKEN=$TOKEN traced "s3 + session token" - --target "$URL"
grep -qi 'x-amz-security-token' "$ERR" ||
    bad "s3 + session token: the trace shows no x-amz-security-token header (was the token sent?)"
AWS_SESSION_TOKEN=$TOKEN AWS_SECRET_ACCESS_KEY=$WRONG \
    traced "s3 wrong secret + session token" 3 --target "s3://$PODPUB_TEST_S3_BUCKET/other/"

echo "== WebDAV"
use_target webdav
traced "webdav" 0 --target "$URL"
PODPUB_PASSWORD=$WRONG traced "webdav wrong password" 3 --target "$URL"
grep -qi '^> Authorization' "$ERR" ||
    bad "webdav: the trace shows no Authorization header line (redacted or not)"

echo "== FTP and FTPS"
use_target ftp plain
traced "ftp" 0 --target "$URL"
grep -q '^> PASS' "$ERR" || bad "ftp: the trace shows no PASS line (redacted or not)"
PODPUB_PASSWORD=$WRONG traced "ftp wrong password" 3 --target "$URL"
# Credentials in the URL itself (no PODPUB_USER): never echoed either.
hostpath=${URL#ftp://}
user=$PODPUB_USER pass=$PODPUB_PASSWORD
unset PODPUB_USER PODPUB_PASSWORD
printf '\nNog een zin.\n' >>"$SHOW/episodes/000-trailer.md"
rm -f "$PODPUB_TEST_FTP_ROOT/plain/.podpub/lock"   # left by podpub (a bug)
traced "ftp, user:password in the URL" 0 --target "ftp://$user:$pass@$hostpath"
traced "ftp, user:wrong password in the URL" 3 --target "ftp://$user:$WRONG@$hostpath"
export PODPUB_USER="$user" PODPUB_PASSWORD="$pass"
use_target ftps tls
PODPUB_CA_FILE=$PODPUB_TEST_FTP_CA traced "ftps" 0 --target "$URL"

echo "== SFTP"
use_target sftp
traced "sftp" 0 --target "$URL"

echo "== the files"
leaks "the built public/ folder" "$SHOW/public" && ok "no secret in public/"
leaks "the show's folder (.podpub caches, episodes)" "$SHOW" && ok "no secret in the show's folder"
leaks "the files on the S3 server" "$PODPUB_TEST_S3_DATA" &&
    leaks "the files on the WebDAV server" "$PODPUB_TEST_DAV_ROOT" &&
    leaks "the files on the FTP server" "$PODPUB_TEST_FTP_ROOT" &&
    leaks "the files on the SFTP server" "$PODPUB_TEST_SFTP_ROOT" &&
    ok "no secret in the files on the four servers"

pub_finish
