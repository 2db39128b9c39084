/*
 * SHA-1 and SHA-256 (FIPS 180-4), podpub's own: every build hashes
 * (podcast:guid is a UUID v5, transcripts carry an SRI digest), and
 * taking the two from libavutil made every command load libavutil with
 * its VA-API, VDPAU, X11 and OpenCL dependencies, about a third of what
 * the dynamic loader did for `podpub list`. Tested against libavutil's
 * on the same bytes (tests/unit/test_util.c).
 */
#ifndef PODPUB_SHA_H
#define PODPUB_SHA_H

#include <stddef.h>
#include <stdint.h>

struct sha_ctx {
    uint32_t h[8];
    uint64_t len;               /* bytes hashed so far */
    uint8_t block[64];
    size_t fill;                /* bytes waiting in 'block' */
    int bits;                   /* 160 or 256 */
};

/* Starts a SHA-1 ('bits' 160) or SHA-256 ('bits' 256) digest. */
void sha_init(struct sha_ctx *c, int bits);

/* Hashes 'len' bytes at 'data'. */
void sha_update(struct sha_ctx *c, const void *data, size_t len);

/* Writes the digest (20 or 32 bytes) to 'digest'; 'c' is spent. */
void sha_final(struct sha_ctx *c, uint8_t *digest);

#endif
