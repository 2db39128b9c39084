/*
 * UUID generation (RFC 4122) with podpub's SHA-1 (sha.c) and the
 * kernel's random bytes (random_u32()).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podpub/path.h"
#include "podpub/sha.h"
#include "podpub/util.h"
#include "podpub/uuid.h"

bool uuid_valid(const char *s)
{
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return s[36] == '\0';
}

static int uuid_to_bytes(const char *s, uint8_t b[16])
{
    if (!uuid_valid(s))
        return -1;
    for (int i = 0, j = 0; i < 16; i++) {
        unsigned v;

        if (s[j] == '-')
            j++;
        v = (unsigned)(hex_digit(s[j]) << 4 | hex_digit(s[j + 1]));
        b[i] = (uint8_t)v;
        j += 2;
    }
    return 0;
}

static void bytes_to_uuid(const uint8_t b[16], char out[UUID_STR_LEN])
{
    snprintf(out, UUID_STR_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
             b[10], b[11], b[12], b[13], b[14], b[15]);
}

int uuid_v5(const char *ns, const char *name, char out[UUID_STR_LEN])
{
    struct sha_ctx sha;
    uint8_t nsb[16], digest[20];

    if (uuid_to_bytes(ns, nsb) < 0)
        return -1;
    sha_init(&sha, 160);
    sha_update(&sha, nsb, 16);
    sha_update(&sha, name, strlen(name));
    sha_final(&sha, digest);
    digest[6] = (digest[6] & 0x0f) | 0x50;
    digest[8] = (digest[8] & 0x3f) | 0x80;
    bytes_to_uuid(digest, out);
    return 0;
}

int uuid_v4(char out[UUID_STR_LEN])
{
    uint8_t b[16];

    for (int i = 0; i < 16; i += 4) {
        uint32_t r = random_u32();

        memcpy(b + i, &r, 4);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    bytes_to_uuid(b, out);
    return 0;
}

void podcast_guid_for_url(const char *feed_url, char out[UUID_STR_LEN])
{
    const char *p = strstr(feed_url, "://");
    char *name;
    size_t len;

    p = p ? p + 3 : feed_url;
    len = strlen(p);
    while (len && p[len - 1] == '/')
        len--;
    name = xstrndup(p, len);
    if (uuid_v5(PP_PODCAST_GUID_NS, name, out) < 0)
        die("bad podcast guid namespace");
    free(name);
}
