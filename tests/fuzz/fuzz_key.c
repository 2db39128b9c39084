/*
 * Fuzz target: key_valid(), the one rule for names read from a target or
 * a feed. A key it accepts must be what its header promises (no NUL or
 * control byte, no backslash, no leading, trailing or double '/', no "."
 * or ".." segment, UTF-8, no percent-escape of '/', '.', '%' or a control)
 * and, above all, stay under its prefix as a URL: appended to a base URL
 * by url_for_path() and normalised by libcurl's URL parser (which removes
 * dot segments, as a server would), the path still starts with the base's.
 */
#include "fuzz.h"

#include <curl/curl.h>

#include "podpub/path.h"

#define BASE "https://s3.example.org/bucket/show/"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void check_promises(const char *s, size_t len)
{
    size_t off;
    const char *why;

    if (memchr(s, '\0', len) || memchr(s, '\\', len))
        fuzz_fail("accepted a NUL or a backslash");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            fuzz_fail("accepted the control byte 0x%02x", (unsigned char)s[i]);
    if (!len || s[0] == '/' || s[len - 1] == '/')
        fuzz_fail("accepted an empty, absolute or folder key");
    if (utf8_check_xml(s, len, &off, &why) < 0)
        fuzz_fail("accepted a key that is not UTF-8 text");
    for (size_t i = 0; i < len; ) {
        size_t n = strcspn(s + i, "/");

        if (i + n > len)
            n = len - i;
        if (n == 0 || (n == 1 && s[i] == '.') ||
            (n == 2 && s[i] == '.' && s[i + 1] == '.'))
            fuzz_fail("accepted an empty, '.' or '..' segment");
        i += n + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *key, *url, *path = NULL;
    CURLU *u;

    if (!key_valid(s, size, NULL))
        return 0;
    key = xstrndup(s, size);   /* NUL-terminated: accepted keys hold none */
    check_promises(key, size);
    url = url_for_path(BASE, key);
    if (!(u = curl_url()))
        fuzz_fail("no CURLU");
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK &&
        strncmp(path, "/bucket/show/", 13))
        fuzz_fail("the key \"%s\" leaves the prefix: %s -> %s", key, url,
                  path);
    curl_free(path);
    curl_url_cleanup(u);
    free(url);
    free(key);
    return 0;
}
