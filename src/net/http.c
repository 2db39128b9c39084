/*
 * HTTP requests with libcurl. Every request verifies TLS (nothing here
 * turns it off), follows at most 5 redirects, and has a time limit, so a
 * server that never answers fails instead of hanging a CI job.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "internal.h"
#include "podpub/net.h"
#include "podpub/util.h"

void net_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        die("cannot initialise libcurl");
}

void net_cleanup(void)
{
    curl_global_cleanup();
}

struct sink {
    struct strbuf *body;
    size_t limit;
    bool over;
};

static size_t write_body(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;

    if (s->body->len + size * n > s->limit) {
        s->over = true;
        return 0;   /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    strbuf_add(s->body, data, size * n);
    return size * n;
}

void net_easy_base(CURL *h, char *errbuf, bool follow)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)NET_MAX_REDIRECTS);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "podpub/" PODPUB_VERSION);
}

static void common_options(CURL *h, const char *url, long timeout_s,
                           char *errbuf)
{
    net_easy_base(h, errbuf, true);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s
                                                               : 10L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
}

/*
 * One request: a GET, or a POST of 'form' (application/x-www-form-...),
 * with the Authorization header 'auth' if not NULL.
 */
static int perform(const char *url, const char *form, const char *auth,
                   long timeout_s, size_t limit, struct strbuf *body,
                   long *status, struct strbuf *err)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct sink sink = { body, limit, false };
    struct curl_slist *headers = NULL;
    CURL *h = curl_easy_init();
    CURLcode rc;

    if (!h)
        die("cannot create a libcurl handle");
    common_options(h, url, timeout_s, errbuf);
    if (auth) {
        char *line = xstrfmt("Authorization: %s", auth);

        /*
         * libcurl sends a custom Authorization header only to the first
         * host (CURLOPT_UNRESTRICTED_AUTH is off).
         */
        if (!(headers = curl_slist_append(NULL, line)))
            die("out of memory");
        free(line);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (form)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    if (rc == CURLE_OK)
        return 0;
    if (sink.over)
        strbuf_addf(err, "%s: larger than %zu bytes", url, limit);
    else
        strbuf_addf(err, "%s: %s", url, *errbuf ? errbuf :
                    curl_easy_strerror(rc));
    return PP_ERR_REMOTE;
}

int http_get(const char *url, long timeout_s, size_t limit,
             struct strbuf *body, long *status, struct strbuf *err)
{
    return perform(url, NULL, NULL, timeout_s, limit, body, status, err);
}

int http_get_auth(const char *url, const char *auth, long timeout_s,
                  size_t limit, struct strbuf *body, long *status,
                  struct strbuf *err)
{
    return perform(url, NULL, auth, timeout_s, limit, body, status, err);
}

int http_post_form(const char *url, const char *form, long timeout_s,
                   long *status, struct strbuf *err)
{
    struct strbuf body = STRBUF_INIT;
    int ret = perform(url, form, NULL, timeout_s, 1u << 20, &body, status,
                      err);

    strbuf_release(&body);
    return ret;
}

/* Copies a header's value, without its line end, into 'dst'. */
static void header_value(char *dst, size_t size, const char *v, size_t len)
{
    while (len && isspace((unsigned char)*v)) {
        v++;
        len--;
    }
    while (len && isspace((unsigned char)v[len - 1]))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(dst, v, len);
    dst[len] = '\0';
}

/*
 * Headers of every response (redirects too) arrive here; a status line
 * starts a new response, so only the last one's headers remain.
 */
static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct http_probe *p = arg;
    size_t len = size * n;
    const char *colon = memchr(line, ':', len);

    if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
        p->content_length = -1;
        p->content_type[0] = '\0';
        p->content_range[0] = '\0';
        p->accept_ranges = false;
        return len;
    }
    if (!colon)
        return len;
#define IS(h) ((size_t)(colon - line) == strlen(h) && \
               !strncasecmp(line, h, strlen(h)))
    if (IS("Content-Length"))
        p->content_length = strtoll(colon + 1, NULL, 10);
    else if (IS("Content-Type"))
        header_value(p->content_type, sizeof(p->content_type), colon + 1,
                     len - (size_t)(colon + 1 - line));
    else if (IS("Content-Range"))
        header_value(p->content_range, sizeof(p->content_range), colon + 1,
                     len - (size_t)(colon + 1 - line));
    else if (IS("Accept-Ranges"))
        p->accept_ranges = strstr(colon, "bytes") != NULL;
#undef IS
    return len;
}

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
    (void)data;
    (void)arg;
    return size * n;   /* a range answer is two bytes; nothing is kept */
}

struct slot {
    CURL *h;
    struct http_probe *probe;
    char errbuf[CURL_ERROR_SIZE];
};

static void start(CURLM *multi, struct slot *slot, struct http_probe *p,
                  long timeout_s)
{
    slot->probe = p;
    slot->errbuf[0] = '\0';
    p->content_length = -1;
    curl_easy_reset(slot->h);
    common_options(slot->h, p->url, timeout_s, slot->errbuf);
    curl_easy_setopt(slot->h, CURLOPT_ACCEPT_ENCODING, NULL);
    curl_easy_setopt(slot->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(slot->h, CURLOPT_HEADERDATA, p);
    curl_easy_setopt(slot->h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(slot->h, CURLOPT_PRIVATE, slot);
    if (p->no_follow)
        curl_easy_setopt(slot->h, CURLOPT_FOLLOWLOCATION, 0L);
    if (p->range)
        curl_easy_setopt(slot->h, CURLOPT_RANGE, "0-1");
    else
        curl_easy_setopt(slot->h, CURLOPT_NOBODY, 1L);
    curl_multi_add_handle(multi, slot->h);
}

void http_probe_all(struct http_probe *probes, size_t nr, int parallel,
                    long timeout_s)
{
    CURLM *multi = curl_multi_init();
    struct slot *slots;
    size_t next = 0, running_nr = 0;
    int still;

    if (!multi)
        die("cannot create a libcurl multi handle");
    if (parallel < 1)
        parallel = 1;
    slots = xcalloc((size_t)parallel, sizeof(*slots));
    for (int i = 0; i < parallel; i++)
        if (!(slots[i].h = curl_easy_init()))
            die("cannot create a libcurl handle");
    for (int i = 0; i < parallel && next < nr; i++, running_nr++)
        start(multi, &slots[i], &probes[next++], timeout_s);
    while (running_nr) {
        CURLMsg *msg;
        int left;

        curl_multi_perform(multi, &still);
        while ((msg = curl_multi_info_read(multi, &left))) {
            struct slot *slot;
            struct http_probe *p;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                              (char **)&slot);
            p = slot->probe;
            curl_easy_getinfo(slot->h, CURLINFO_RESPONSE_CODE, &p->status);
            curl_easy_getinfo(slot->h, CURLINFO_REDIRECT_COUNT,
                              &p->redirects);
            if (p->no_follow) {
                char *to = NULL;

                curl_easy_getinfo(slot->h, CURLINFO_REDIRECT_URL, &to);
                snprintf(p->location, sizeof(p->location), "%s",
                         to ? to : "");
            }
            if (msg->data.result != CURLE_OK) {
                p->failed = true;
                snprintf(p->error, sizeof(p->error), "%s", *slot->errbuf ?
                         slot->errbuf : curl_easy_strerror(msg->data.result));
            }
            curl_multi_remove_handle(multi, slot->h);
            curl_easy_setopt(slot->h, CURLOPT_ERRORBUFFER, NULL);
            running_nr--;
            if (next < nr) {
                start(multi, slot, &probes[next++], timeout_s);
                running_nr++;
            }
        }
        if (running_nr)
            curl_multi_poll(multi, NULL, 0, 500, NULL);
    }
    for (int i = 0; i < parallel; i++)
        curl_easy_cleanup(slots[i].h);
    free(slots);
    curl_multi_cleanup(multi);
}
