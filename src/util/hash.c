/*
 * File hashing with libavutil's SHA-256: the content identity `podpub add`
 * uses to refuse the same audio twice (and publishing's manifest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/base64.h>
#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "podpub/util.h"

int fd_sha256(int fd, const char *path, uint64_t size, char hex[65])
{
    struct AVSHA *sha = av_sha_alloc();
    uint8_t buf[1 << 16], digest[32];
    uint64_t left = size;
    int ret = 0;

    if (!sha)
        die("out of memory");
    av_sha_init(sha, 256);
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
        av_sha_update(sha, buf, (unsigned)n);
        left -= (uint64_t)n;
    }
    av_sha_final(sha, digest);
    av_free(sha);
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
    struct AVSHA *sha = av_sha_alloc();
    uint8_t digest[32];

    if (!sha)
        die("out of memory");
    av_sha_init(sha, 256);
    /* av_sha_update() takes an unsigned int length: feed large data in parts. */
    for (const uint8_t *p = data; len; ) {
        unsigned n = len > (1u << 30) ? 1u << 30 : (unsigned)len;

        av_sha_update(sha, p, n);
        p += n;
        len -= n;
    }
    av_sha_final(sha, digest);
    av_free(sha);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

int sha256_sri(const char *hex, char sri[52])
{
    uint8_t digest[32];
    char b64[AV_BASE64_SIZE(32)];

    for (int i = 0; i < 32; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hi < 0 ? -1 :
                                                  hex_digit(hex[2 * i + 1]);

        if (lo < 0)
            return -1;
        digest[i] = (uint8_t)(hi << 4 | lo);
    }
    if (!av_base64_encode(b64, sizeof(b64), digest, sizeof(digest)))
        return -1;
    snprintf(sri, 52, "sha256-%s", b64);
    return 0;
}
