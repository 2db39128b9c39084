/*
 * S3 and the stores that speak its API (R2, B2, MinIO, Ceph) as a
 * target: SigV4 through libcurl, path-style for custom endpoints, the
 * body's SHA-256 in every request, a conditional PUT for the lock, and
 * multipart uploads for files over 64 MiB. libcurl 7.88 signs the query
 * string as written, so it is written canonical: keys sorted, values
 * percent-encoded, '=' even when empty ("?uploads=").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "request.h"

#define MULTIPART_OVER (64u << 20)

struct s3 {
    char *sigv4;            /* "aws:amz:REGION:s3" */
    char *session_token;    /* x-amz-security-token */
};

#define S3(t) ((struct s3 *)(t)->priv)

static int s3_open(struct target *t, const char *url, bool insecure_http)
{
    const char *rest = url + strlen("s3://");
    char *key = target_env("AWS_ACCESS_KEY_ID");
    char *secret = target_env("AWS_SECRET_ACCESS_KEY");
    char *region = target_env("AWS_REGION");
    char *endpoint = target_env("AWS_ENDPOINT_URL");
    struct s3 *s3 = xcalloc(1, sizeof(*s3));
    const char *slash = strchr(rest, '/');
    char *bucket = slash ? xstrndup(rest, (size_t)(slash - rest))
                         : xstrdup(rest);
    const char *prefix = slash ? slash + 1 : "";
    int ret = 0;

    (void)insecure_http;
    t->priv = s3;
    if (memchr(rest, '@', strcspn(rest, "/"))) {
        ret = errorf(PP_ERR_USAGE, "%s: credentials do not go in an s3:// "
                     "URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                     t->display);
        goto out;
    }
    if (!region)
        region = target_env("AWS_DEFAULT_REGION");
    if (!region)
        region = xstrdup("us-east-1");
    if (!key || !secret) {
        ret = errorf(PP_ERR_INPUT, "s3://%s: no credentials: set "
                     "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", bucket);
        goto out;
    }
    if (!*bucket || strpbrk(bucket, " ?#")) {
        ret = errorf(PP_ERR_USAGE, "s3://%s: not a bucket name", bucket);
        goto out;
    }
    /* Custom endpoints (R2, B2, MinIO, Ceph) are addressed path-style. */
    if (endpoint) {
        size_t n = strlen(endpoint);

        while (n && endpoint[n - 1] == '/')
            endpoint[--n] = '\0';
        t->base = xstrfmt("%s/%s/%s", endpoint, bucket, prefix);
    } else {
        t->base = xstrfmt("https://%s.s3.%s.amazonaws.com/%s", bucket, region,
                          prefix);
    }
    t->user = key;
    t->password = secret;
    key = secret = NULL;
    s3->sigv4 = xstrfmt("aws:amz:%s:s3", region);
    s3->session_token = target_env("AWS_SESSION_TOKEN");
out:
    free(key);
    free(secret);
    free(region);
    free(endpoint);
    free(bucket);
    return ret;
}

static void s3_release(struct target *t)
{
    if (t->priv) {
        free(S3(t)->sigv4);
        free(S3(t)->session_token);
    }
    FREE_AND_NULL(t->priv);
}

static void s3_configure(const struct target *t, CURL *h)
{
    curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, S3(t)->sigv4);
}

/* Headers S3 needs for a request with a body of hash 'sha'. */
static struct curl_slist *s3_headers(const struct target *t, const char *sha,
                                     struct curl_slist *list)
{
    char *h = xstrfmt("x-amz-content-sha256: %s", sha);

    list = curl_slist_append(list, h);
    free(h);
    if (S3(t)->session_token) {
        h = xstrfmt("x-amz-security-token: %s", S3(t)->session_token);
        list = curl_slist_append(list, h);
        free(h);
    }
    return list;
}

/* A conditional write: 412 when the object exists (AWS, R2, MinIO). */
static int s3_create(const struct target *t, const char *key,
                     const char *data, size_t len)
{
    struct curl_slist *list;
    char sha[65];
    int ret;

    sha256_hex(data, len, sha);
    list = net_put_headers(t, "text/plain", "no-store", sha);
    list = curl_slist_append(list, "If-None-Match: *");
    ret = net_request(t, key, NULL, data, len, list, NULL, NULL, "create", 412,
                      false);
    curl_slist_free_all(list);
    /*
     * A store that ignores If-None-Match would have replaced the other
     * writer's lock: read back what is there now.
     */
    if (ret == 0)
        ret = net_still_ours(t, key, data, len);
    return ret == 412 ? 1 : ret;
}

/* One PUT replaces an object atomically. */
static int s3_replace(const struct target *t, const struct pfile *f)
{
    return net_put_file(t, f, f->key, NULL);
}

static int s3_remove(const struct target *t, const char *key)
{
    struct curl_slist *list = s3_headers(t, EMPTY_SHA256, NULL);
    int ret = net_request(t, key, "DELETE", NULL, 0, list, NULL, NULL,
                          "delete", 0, false);

    curl_slist_free_all(list);
    return ret;
}

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
    char errbuf[CURL_ERROR_SIZE] = "", sha[65];
    struct curl_slist *headers = NULL;
    CURL *h = curl_easy_init();
    CURLcode rc = CURLE_OK;
    long status = 0;
    int ret = 0;

    if (!h)
        die("cannot create a libcurl handle");
    sha256_hex(data, len, sha);
    headers = s3_headers(t, sha, NULL);
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

/*
 * A large file in parts: initiate, PUT the parts (each signed with its
 * own SHA-256), complete; abort on failure so no half upload is left
 * billed in the bucket. Smaller files go the parallel way (1).
 */
static int s3_put_alone(const struct target *t, const struct pfile *f)
{
    struct s3_call c = { STRBUF_INIT, "" };
    struct strbuf done = STRBUF_INIT;
    char *url = target_url(t, f->key), *q, *id = NULL, *id_enc = NULL;
    char *part = xmalloc(PART_SIZE);
    struct upload_src src;
    int ret, number = 0;

    if (f->size <= MULTIPART_OVER) {
        free(url);
        free(part);
        return 1;
    }
    if ((ret = upload_open(&src, f, t->roots)) < 0)
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
    id_enc = url_escape(id);
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

const struct target_ops target_s3_ops = {
    .name = "S3",
    .http = true,
    .open = s3_open,
    .release = s3_release,
    .configure = s3_configure,
    .headers = s3_headers,
    .get = net_get,
    .put_data = net_put_data,
    .create = s3_create,
    .replace = s3_replace,
    .remove = s3_remove,
    .put_alone = s3_put_alone,
};
