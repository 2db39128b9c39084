/*
 * Unit tests for src/net/header.c: the header values of HTTP answers as a
 * hostile server may send them (blanks, line ends, NUL, overlong values,
 * numbers past 63 bits, every malformed Content-Range), which the
 * downloads of `podpub import` and the ranged reads of `podpub probe URL`
 * both read through these functions.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "../src/net/header.h"

static void test_header_is(void)
{
    static const char line[] = "content-range: bytes 0-1/2\r\n";
    const char *v = NULL;
    size_t vlen = 0;

    CHECK(http_header_is(line, strlen(line), "Content-Range", &v, &vlen));
    CHECK(v == line + 14);
    CHECK_INT(vlen, strlen(line) - 14);
    CHECK(!http_header_is(line, strlen(line), "Content-Length", &v, &vlen));
    CHECK(!http_header_is("ETag", 4, "ETag", &v, &vlen));
    CHECK(!http_header_is("ETagX: 1", 8, "ETag", &v, &vlen));
    CHECK(!http_header_is("ETa", 3, "ETag", &v, &vlen));
}

static void test_header_copy(void)
{
    char out[8];

    http_header_copy(out, sizeof(out), " \t\"abc\" \r\n", 10);
    CHECK_STR(out, "\"abc\"");
    http_header_copy(out, sizeof(out), "  \r\n", 4);
    CHECK_STR(out, "");
    http_header_copy(out, sizeof(out), " 1234567\r\n", 10);
    CHECK_STR(out, "1234567");
    http_header_copy(out, sizeof(out), " 12345678\r\n", 11);
    CHECK_STR(out, "");                 /* does not fit: nothing */
    http_header_copy(out, sizeof(out), "a\0b", 3);
    CHECK_STR(out, "");                 /* a NUL: nothing */
}

static void test_content_length(void)
{
    CHECK(http_content_length("0") == 0);
    CHECK(http_content_length("123456789012345678") == 123456789012345678);
    CHECK(http_content_length("1234567890123456789") == -1);
    CHECK(http_content_length("") == -1);
    CHECK(http_content_length("-1") == -1);
    CHECK(http_content_length("+1") == -1);
    CHECK(http_content_length("12 ") == -1);
    CHECK(http_content_length("1e3") == -1);
    CHECK(http_content_length("0x10") == -1);
}

static void test_content_range(void)
{
    uint64_t first, last;
    int64_t total;

    CHECK(http_content_range("bytes 0-99/100", &first, &last, &total));
    CHECK(first == 0 && last == 99 && total == 100);
    CHECK(http_content_range("Bytes 5-5/6", &first, &last, &total));
    CHECK(first == 5 && last == 5 && total == 6);
    /* A 416's answer: the size alone. */
    CHECK(http_content_range("bytes */4096", &first, &last, &total));
    CHECK(first == UINT64_MAX && last == UINT64_MAX && total == 4096);
    /* A size the server does not know. */
    CHECK(http_content_range("bytes 10-19/*", &first, &last, &total));
    CHECK(first == 10 && last == 19 && total == -1);

    CHECK(!http_content_range("bytes */*", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-100/100", &first, &last, &total));
    CHECK(!http_content_range("bytes 9-5/100", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-99/100 ", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-99/100x", &first, &last, &total));
    CHECK(!http_content_range("bytes -5/100", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-/100", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-99", &first, &last, &total));
    CHECK(!http_content_range("bytes=0-99/100", &first, &last, &total));
    CHECK(!http_content_range("items 0-99/100", &first, &last, &total));
    CHECK(!http_content_range("bytes 0-99/1234567890123456789", &first,
                              &last, &total));
    CHECK(!http_content_range("bytes 1234567890123456789-1/2", &first, &last,
                              &total));
    CHECK(!http_content_range("", &first, &last, &total));
}

static const struct harness_test tests[] = {
    TEST(test_header_is),
    TEST(test_header_copy),
    TEST(test_content_length),
    TEST(test_content_range),
    { 0 },
};

int main(void)
{
    return harness_run(tests);
}
