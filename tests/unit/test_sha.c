/*
 * Unit tests for src/util/sha.c and the SHA-256 helpers of hash.c: the
 * FIPS 180-4 example vectors for SHA-1 and SHA-256, and the same digests
 * as libavutil's (which podpub used before) for every length from 0 to
 * 300 bytes, fed whole and in uneven pieces, and for 1 MB of random
 * bytes; the SRI form of a digest.
 */
#include <stdlib.h>
#include <string.h>

#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "harness.h"
#include "podpub/sha.h"
#include "podpub/util.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void digest_hex(int bits, const void *data, size_t len, char *out)
{
    struct sha_ctx c;
    uint8_t d[32];

    sha_init(&c, bits);
    sha_update(&c, data, len);
    sha_final(&c, d);
    hex(d, (size_t)bits / 8, out);
}

static void test_vectors(void)
{
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char out[65], *million = malloc(1000000);
    struct sha_ctx c;
    uint8_t d[32];

    digest_hex(160, "", 0, out);
    CHECK_STR(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    digest_hex(160, "abc", 3, out);
    CHECK_STR(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
    digest_hex(160, two_blocks, strlen(two_blocks), out);
    CHECK_STR(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    digest_hex(256, "", 0, out);
    CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
    digest_hex(256, "abc", 3, out);
    CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223"
                   "b00361a396177a9cb410ff61f20015ad");
    digest_hex(256, two_blocks, strlen(two_blocks), out);
    CHECK_STR(out, "248d6a61d20638b8e5c026930c3e6039"
                   "a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', 1000000);
    digest_hex(160, million, 1000000, out);
    CHECK_STR(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    /* The million a's in pieces of 999 bytes, over block boundaries. */
    sha_init(&c, 256);
    for (size_t off = 0; off < 1000000; off += 999)
        sha_update(&c, million + off, 1000000 - off < 999 ? 1000000 - off
                                                          : 999);
    sha_final(&c, d);
    hex(d, 32, out);
    CHECK_STR(out, "cdc76e5c9914fb9281a1c7e284d73e67"
                   "f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* libavutil's digest of 'len' bytes at 'data', as hex. */
static void av_digest(int bits, const uint8_t *data, size_t len, char *out)
{
    struct AVSHA *sha = av_sha_alloc();
    uint8_t d[32];

    av_sha_init(sha, bits);
    av_sha_update(sha, data, (unsigned)len);
    av_sha_final(sha, d);
    av_free(sha);
    hex(d, (size_t)bits / 8, out);
}

static void test_same_as_libavutil(void)
{
    size_t big = 1 << 20;
    uint8_t *buf = malloc(big);
    char mine[65], theirs[65];
    unsigned seed = 20251202;
    int bad = 0;

    for (size_t i = 0; i < big; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
    for (int bits = 160; bits <= 256; bits += 96) {
        for (size_t len = 0; len <= 300; len++) {
            struct sha_ctx c;
            uint8_t d[32];
            size_t off = 0, step = 1;

            av_digest(bits, buf, len, theirs);
            digest_hex(bits, buf, len, mine);
            bad += strcmp(mine, theirs) != 0;
            /* Pieces of 1, 2, 3... bytes. */
            sha_init(&c, bits);
            while (off < len) {
                size_t n = len - off < step ? len - off : step;

                sha_update(&c, buf + off, n);
                off += n;
                step++;
            }
            sha_final(&c, d);
            hex(d, (size_t)bits / 8, mine);
            bad += strcmp(mine, theirs) != 0;
        }
        av_digest(bits, buf, big, theirs);
        digest_hex(bits, buf, big, mine);
        CHECK_STR(mine, theirs);
    }
    CHECK_INT(bad, 0);
    free(buf);
}

static void test_sri(void)
{
    char hex_digest[65], sri[52];

    sha256_hex("", 0, hex_digest);
    CHECK_INT(sha256_sri(hex_digest, sri), 0);
    CHECK_STR(sri, "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    sha256_hex("abc", 3, hex_digest);
    CHECK_INT(sha256_sri(hex_digest, sri), 0);
    CHECK_STR(sri, "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    CHECK_INT(sha256_sri("not hex", sri), -1);
}

static const struct harness_test tests[] = {
    TEST(test_vectors),
    TEST(test_same_as_libavutil),
    TEST(test_sri),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
