/*
 * S3 multipart upload, for files over 64 MiB: initiate, PUT the parts
 * (each signed with its own SHA-256), complete; abort on failure so no
 * half upload is left billed in the bucket. libcurl 7.88 signs the query
 * string as written, so it is written canonical: keys sorted, values
 * percent-encoded, '=' even when empty ("?uploads=").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target.h"

#define PART_SIZE (16u << 20)

struct s3_call {
    struct strbuf body;         /* the response */
    char etag[128];
};

static size_t on_body(char *d, size_t size, size_t n, void *arg)
{
    struct strbuf *sb = arg;

    strbuf_add(sb, d, size * n);
    return size * n;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct s3_call *c = arg;
    size_t len = size * n;

    if (len > 5 && !strncasecmp(line, "ETag:", 5)) {
        const char *v = line + 5;

        while (*v == ' ')
            v++;
        len -= (size_t)(v - line);
        while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
            len--;
        if (len < sizeof(c->etag)) {
            memcpy(c->etag, v, len);
            c->etag[len] = '\0';
        }
    }
    return size * n;
}

/* One signed request to 'url' with 'data' ('len' bytes) as the body. */
static int call(const struct target *t, const char *method, const char *url,
                const char *data, size_t len, struct s3_call *c,
                const char *what)
{
    char errbuf[CURL_ERROR_SIZE] = "", sha[65], *hdr;
    struct curl_slist *headers = NULL;
    CURL *h = curl_easy_init();
    CURLcode rc = CURLE_OK;
    long status = 0;
    int ret = 0;

    if (!h)
        die("cannot create a libcurl handle");
    sha256_hex(data, len, sha);
    hdr = xstrfmt("x-amz-content-sha256: %s", sha);
    headers = curl_slist_append(headers, hdr);
    free(hdr);
    if (t->session_token) {
        hdr = xstrfmt("x-amz-security-token: %s", t->session_token);
        headers = curl_slist_append(headers, hdr);
        free(hdr);
    }
    target_configure(t, h, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 900L);
    for (int attempt = 0; attempt < 4; attempt++) {
        strbuf_reset(&c->body);
        rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (!transient_failure(rc, status))
            break;
    }
    if (rc != CURLE_OK || status >= 300) {
        struct strbuf msg = STRBUF_INIT;

        describe_failure(&msg, t, what, rc, status, errbuf, c->body.buf);
        ret = errorf(PP_ERR_REMOTE, "multipart upload: %s", msg.buf);
        strbuf_release(&msg);
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    return ret;
}

/* The text of the first <tag> in 'xml', or NULL; the caller frees it. */
static char *xml_value(const char *xml, const char *tag)
{
    char *open = xstrfmt("<%s>", tag), *close = xstrfmt("</%s>", tag);
    const char *a = strstr(xml, open), *b;
    char *v = NULL;

    if (a && (b = strstr(a, close)))
        v = xstrndup(a + strlen(open), (size_t)(b - a - strlen(open)));
    free(open);
    free(close);
    return v;
}

int target_s3_multipart(const struct target *t, const struct pfile *f)
{
    struct s3_call c = { STRBUF_INIT, "" };
    struct strbuf done = STRBUF_INIT;
    char *url = target_url(t, f->key), *q, *id = NULL, *id_enc = NULL;
    char *part = xmalloc(PART_SIZE);
    struct upload_src src;
    int ret = upload_open(&src, f, t->roots), number = 0;

    if (ret < 0)
        goto out;
    q = xstrfmt("%s?uploads=", url);
    ret = call(t, "POST", q, "", 0, &c, f->key);
    free(q);
    if (ret < 0)
        goto out;
    if (!(id = xml_value(c.body.buf, "UploadId"))) {
        ret = errorf(PP_ERR_REMOTE, "%s%s: no UploadId in the answer to "
                     "a multipart upload", t->display, f->key);
        goto out;
    }
    id_enc = url_for_path("", id);
    strbuf_addstr(&done, "<CompleteMultipartUpload>");
    for (;;) {
        size_t n = 0, got = 0;

        /* A part is exactly what was hashed, never more (upload_read). */
        while (n < PART_SIZE &&
               (got = upload_read(part + n, 1, PART_SIZE - n, &src)) != 0 &&
               got != CURL_READFUNC_ABORT)
            n += got;
        if (got == CURL_READFUNC_ABORT) {
            ret = errorf(PP_ERR_IO, "cannot read '%s'", f->local);
            break;
        }
        if (n == 0)
            break;
        number++;
        /* partNumber sorts before uploadId: the canonical order. */
        q = xstrfmt("%s?partNumber=%d&uploadId=%s", url, number, id_enc);
        c.etag[0] = '\0';
        ret = call(t, "PUT", q, part, n, &c, f->key);
        free(q);
        if (ret < 0)
            break;
        strbuf_addf(&done, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag>"
                    "</Part>", number, c.etag);
        if (n < PART_SIZE)
            break;
    }
    strbuf_addstr(&done, "</CompleteMultipartUpload>");
    if (ret == 0)
        ret = upload_check(&src);
    q = xstrfmt("%s?uploadId=%s", url, id_enc);
    if (ret == 0)
        ret = call(t, "POST", q, done.buf, done.len, &c, f->key);
    if (ret < 0) {
        struct s3_call abort_call = { STRBUF_INIT, "" };

        call(t, "DELETE", q, "", 0, &abort_call, f->key);
        strbuf_release(&abort_call.body);
    }
    free(q);
out:
    upload_close(&src);
    free(part);
    free(id);
    free(id_enc);
    free(url);
    strbuf_release(&c.body);
    strbuf_release(&done);
    return ret;
}
