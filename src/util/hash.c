/*
 * File hashing with SHA-256 (sha.c): the content identity `podpub add`
 * uses to refuse the same audio twice (and publishing's manifest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podpub/sha.h"
#include "podpub/util.h"

int fd_sha256(int fd, const char *path, uint64_t size, char hex[65])
{
    struct sha_ctx sha;
    uint8_t buf[1 << 16], digest[32];
    uint64_t left = size;
    int ret = 0;

    sha_init(&sha, 256);
    while (left) {
        ssize_t n = read(fd, buf, left < sizeof(buf) ? (size_t)left
                                                     : sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ret = errorf(PP_ERR_IO, "cannot read '%s': %s", path,
                         n < 0 ? strerror(errno) : "shorter than its size");
            break;
        }
        sha_update(&sha, buf, (size_t)n);
        left -= (uint64_t)n;
    }
    sha_final(&sha, digest);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return ret;
}

int file_sha256(const char *path, char hex[65])
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

    if (fd < 0)
        return errorf(PP_ERR_IO, "cannot open '%s': %s", path,
                      strerror(errno));
    if (fstat(fd, &st) < 0) {
        ret = errorf(PP_ERR_IO, "cannot stat '%s': %s", path,
                     strerror(errno));
    } else {
        ret = fd_sha256(fd, path, (uint64_t)st.st_size, hex);
    }
    close(fd);
    return ret;
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
    struct sha_ctx sha;
    uint8_t digest[32];

    sha_init(&sha, 256);
    sha_update(&sha, data, len);
    sha_final(&sha, digest);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* Standard base64 (RFC 4648, padded) of 'n' bytes at 'in' into 'out'. */
static void base64(const uint8_t *in, size_t n, char *out)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (; n >= 3; in += 3, n -= 3) {
        *out++ = abc[in[0] >> 2];
        *out++ = abc[(in[0] & 3) << 4 | in[1] >> 4];
        *out++ = abc[(in[1] & 15) << 2 | in[2] >> 6];
        *out++ = abc[in[2] & 63];
    }
    if (n) {
        *out++ = abc[in[0] >> 2];
        *out++ = abc[(in[0] & 3) << 4 | (n > 1 ? in[1] >> 4 : 0)];
        if (n > 1)
            *out++ = abc[(in[1] & 15) << 2];
        else
            *out++ = '=';
        *out++ = '=';
    }
    *out = '\0';
}

int sha256_sri(const char *hex, char sri[52])
{
    uint8_t digest[32];
    char b64[45];

    for (int i = 0; i < 32; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hi < 0 ? -1 :
                                                  hex_digit(hex[2 * i + 1]);

        if (lo < 0)
            return -1;
        digest[i] = (uint8_t)(hi << 4 | lo);
    }
    base64(digest, sizeof(digest), b64);
    snprintf(sri, 52, "sha256-%s", b64);
    return 0;
}
