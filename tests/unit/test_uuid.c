/*
 * Unit tests for src/util/uuid.c: the Podcast Index podcast:guid (UUIDv5
 * of the feed URL without scheme and trailing slashes), RFC 4122 version
 * 5 vectors, random version 4 UUIDs and the UUID syntax check.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "podpub/uuid.h"

#define NS_DNS "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
#define NS_URL "6ba7b811-9dad-11d1-80b4-00c04fd430c8"

/* The example from the Podcast Index namespace documentation. */
#define PODNEWS_GUID "9b024349-ccf0-5f69-a609-6b82873eab3c"

static void test_podcast_guid(void)
{
    static const char *const same[] = {
        "https://podnews.net/rss", "podnews.net/rss/",
        "http://podnews.net/rss//", "https://podnews.net/rss/",
        "podnews.net/rss", NULL,
    };
    char out[UUID_STR_LEN], other[UUID_STR_LEN];

    for (const char *const *u = same; *u; u++) {
        memset(out, 'x', sizeof(out));
        podcast_guid_for_url(*u, out);
        CHECK_STR(out, PODNEWS_GUID);
    }
    podcast_guid_for_url("https://podnews.net/rss2", other);
    CHECK(strcmp(other, PODNEWS_GUID) != 0);
    CHECK(uuid_valid(other));
    CHECK_INT(other[14], '5');
    podcast_guid_for_url("https://podnews.net/RSS", other);
    CHECK(strcmp(other, PODNEWS_GUID) != 0);
}

static void test_uuid_v5(void)
{
    char out[UUID_STR_LEN];

    CHECK_INT(uuid_v5(PP_PODCAST_GUID_NS, "podnews.net/rss", out), 0);
    CHECK_STR(out, PODNEWS_GUID);
    /* Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"). */
    CHECK_INT(uuid_v5(NS_DNS, "python.org", out), 0);
    CHECK_STR(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    /* Non-ASCII names are hashed as their UTF-8 bytes. */
    CHECK_INT(uuid_v5(NS_URL, "https://example.org/\xc3\xa9", out), 0);
    CHECK_STR(out, "4db32f13-2b90-551e-bb13-4c966035961b");
    /* The namespace may be written in upper case; output is lower case. */
    CHECK_INT(uuid_v5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org",
                      out), 0);
    CHECK_STR(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");

    CHECK_INT(uuid_v5("not-a-uuid", "x", out), -1);
    CHECK_INT(uuid_v5("6ba7b8109dad11d180b400c04fd430c8", "x", out), -1);
    CHECK_INT(uuid_v5("", "x", out), -1);
}

static void test_uuid_v4(void)
{
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    int same = 0;

    CHECK_INT(uuid_v4(a), 0);
    CHECK_INT(uuid_v4(b), 0);
    CHECK(uuid_valid(a));
    CHECK(uuid_valid(b));
    CHECK(strcmp(a, b) != 0);
    for (int i = 0; i < 200; i++) {
        char u[UUID_STR_LEN];

        memset(u, 'x', sizeof(u));
        uuid_v4(u);
        CHECK_INT(strlen(u), 36);
        CHECK(uuid_valid(u));
        CHECK_INT(u[14], '4');                      /* version nibble */
        CHECK(strchr("89ab", u[19]) != NULL);       /* RFC 4122 variant */
        CHECK(strspn(u, "0123456789abcdef-") == 36);    /* lower case */
        same += !strcmp(u, a);
    }
    CHECK_INT(same, 0);
}

static void test_uuid_valid(void)
{
    CHECK(uuid_valid(PODNEWS_GUID));
    CHECK(uuid_valid("9B024349-CCF0-5F69-A609-6B82873EAB3C"));
    CHECK(uuid_valid("00000000-0000-0000-0000-000000000000"));
    CHECK(!uuid_valid(""));
    CHECK(!uuid_valid("9b024349-ccf0-5f69-a609-6b82873eab3"));    /* short */
    CHECK(!uuid_valid("9b024349-ccf0-5f69-a609-6b82873eab3c0"));  /* long */
    CHECK(!uuid_valid("9b024349-ccf0-5f69-a609-6b82873eab3c "));
    CHECK(!uuid_valid("9b024349ccf05f69a6096b82873eab3c"));
    CHECK(!uuid_valid("9b02434-9ccf0-5f69-a609-6b82873eab3c"));   /* dash */
    CHECK(!uuid_valid("9b024349-ccf0-5f69-a609-6b82873eab3g"));   /* 'g' */
    CHECK(!uuid_valid("{9b024349-ccf0-5f69-a609-6b82873eab3c}"));
    CHECK(!uuid_valid("urn:uuid:9b024349-ccf0-5f69-a609-6b82873eab3c"));
    CHECK(!uuid_valid("9b024349_ccf0_5f69_a609_6b82873eab3c"));
}

static const struct harness_test tests[] = {
    TEST(test_podcast_guid),
    TEST(test_uuid_v5),
    TEST(test_uuid_v4),
    TEST(test_uuid_valid),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
