/*
 * Unit tests for src/stats: the log formats (each with its field
 * variants), the request paths of episodes (and of earlier file names),
 * the OPAWG lists, and counting by the IAB rules on generated logs whose
 * answers are known: a stream of 40 range requests, two apps behind one
 * address, bots, bytes=0-1 probes, HEAD, midnight inside the 24 hours, 30
 * seconds of a 40-minute episode, corrupt lines, gzip, and the state file
 * (the same logs twice give the same numbers; no address is written).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "podpub/stats.h"
#include "podpub/strbuf.h"

#define T0 1735711200           /* 2025-01-01T06:00:00Z: published */
#define BASE "https://media.example.org/show/"
#define A_BYTES 19200000        /* 40 minutes at 64 kbit/s */
#define A_MINUTE 480000

static char tmpdir[] = "/tmp/podpub-test-stats.XXXXXX";
static struct stats_agents *agents;

static const struct stats_format_ops *fmt(const char *name)
{
    const struct stats_format_ops *f = stats_format_find(name);

    if (!f)
        abort();
    return f;
}

/* Parses 'line' with the format 'name' into 'req'; returns parse(). */
static int parse(const char *name, const char *line, struct stats_req *req,
                 void *state, struct strbuf *scratch)
{
    memset(req, 0, sizeof(*req));
    req->range_start = req->range_end = -1;
    return fmt(name)->parse(state, line, strlen(line), scratch, req);
}

#define CHECK_MEM(p, len, want) do { \
        CHECK((len) == strlen(want) && !memcmp((p), (want), (len))); \
    } while (0)

static void test_time(void)
{
    int64_t t;

    CHECK_INT(stats_parse_clf_time("01/Jan/2025:07:00:00 +0100", 26, &t), 0);
    CHECK_INT(t, T0);
    CHECK_INT(stats_parse_clf_time("31/Dec/2024:23:00:00 -0700", 26, &t), 0);
    CHECK_INT(t, T0);
    CHECK_INT(stats_parse_clf_time("01/Jnu/2025:07:00:00 +0100", 26, &t), -1);
    CHECK_INT(stats_parse_clf_time("01/Jan/2025:25:00:00 +0100", 26, &t), -1);
    CHECK_INT(stats_parse_iso_time("2025-01-01T06:00:00Z", 20, &t), 0);
    CHECK_INT(t, T0);
    CHECK_INT(stats_parse_iso_time("2025-01-01T07:00:00.123+01:00", 29, &t), 0);
    CHECK_INT(t, T0);
    CHECK_INT(stats_parse_iso_time("2025-01-01T07:00:00+0100", 24, &t), 0);
    CHECK_INT(t, T0);
    CHECK_INT(stats_parse_iso_time("2025-01-01", 10, &t), -1);
}

static void test_range(void)
{
    int64_t a, b;

    CHECK_INT(stats_parse_range("bytes=0-1", 9, &a, &b), 0);
    CHECK_INT(a, 0);
    CHECK_INT(b, 1);
    CHECK_INT(stats_parse_range("bytes=100-", 10, &a, &b), 0);
    CHECK_INT(a, 100);
    CHECK_INT(b, -1);
    CHECK_INT(stats_parse_range("bytes=5-9,20-30", 15, &a, &b), 0);
    CHECK_INT(b, 9);
    CHECK_INT(stats_parse_range("bytes=-500", 10, &a, &b), -1);
    CHECK_INT(stats_parse_range("bytes=9-5", 9, &a, &b), -1);
    CHECK_INT(stats_parse_range("items=0-1", 9, &a, &b), -1);
}

static void test_combined(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct stats_req r;

    CHECK_INT(parse("combined", "203.0.113.7 - - [01/Jan/2025:07:00:00 +0100] "
                    "\"GET /show/001-a.mp3?x=1 HTTP/1.1\" 206 1048576 "
                    "\"https://example.org/\" \"AppleCoreMedia/1.0.0.21E236 "
                    "(iPhone; U; CPU OS 17_4 like Mac OS X; nl_nl)\"",
                    &r, NULL, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_MEM(r.ip, r.ip_len, "203.0.113.7");
    CHECK_MEM(r.method, r.method_len, "GET");
    CHECK_MEM(r.path, r.path_len, "/show/001-a.mp3?x=1");
    CHECK_INT(r.status, 206);
    CHECK_INT(r.bytes, 1048576);
    CHECK_MEM(r.ua, r.ua_len, "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS "
              "17_4 like Mac OS X; nl_nl)");
    /* IPv6, a user name, "-" bytes, Apache's \" and nginx's \x22 */
    CHECK_INT(parse("combined", "2001:db8::1 - ann [01/Jan/2025:07:00:00 +0100] "
                    "\"HEAD /show/001-a.mp3 HTTP/1.1\" 200 - \"-\" "
                    "\"Say \\\"hi\\\" \\x22there\\x22\" \"extra\" 0.001",
                    &r, NULL, &sb), STATS_LINE_REQ);
    CHECK_MEM(r.ip, r.ip_len, "2001:db8::1");
    CHECK_MEM(r.method, r.method_len, "HEAD");
    CHECK_INT(r.bytes, 0);
    CHECK_MEM(r.ua, r.ua_len, "Say \\\"hi\\\" \\x22there\\x22");
    /* the Common Log Format: no referer, no user agent */
    CHECK_INT(parse("combined", "198.51.100.1 - - [01/Jan/2025:07:00:00 +0100] "
                    "\"GET /show/001-a.mp3 HTTP/1.0\" 200 19200000",
                    &r, NULL, &sb), STATS_LINE_REQ);
    CHECK_INT(r.ua_len, 0);
    /* what a scanner sends */
    CHECK_INT(parse("combined", "198.51.100.1 - - [01/Jan/2025:07:00:00 +0100] "
                    "\"\\x16\\x03\\x01\" 400 157 \"-\" \"-\"", &r, NULL, &sb),
              STATS_LINE_REQ);
    CHECK(r.method_len != 3);
    CHECK_INT(parse("combined", "garbage", &r, NULL, &sb), STATS_LINE_NO);
    CHECK_INT(parse("combined", "1.2.3.4 - - [01/Jan/2025:07:00:00 +0100] "
                    "\"GET / HTTP/1.1\" 200 12 \"unclosed", &r, NULL, &sb),
              STATS_LINE_NO);
    /* an S3 line is not a combined one */
    CHECK_INT(parse("combined", "owner bucket [01/Jan/2025:06:00:00 +0000] "
                    "1.2.3.4 - ID REST.GET.OBJECT k \"GET /k HTTP/1.1\" 200 "
                    "- 10 10 1 1 \"-\" \"ua\" -", &r, NULL, &sb),
              STATS_LINE_NO);
    strbuf_release(&sb);
}

static void test_s3(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct stats_req r;

    CHECK_INT(parse("s3", "79a59df900b949e55d96a1e698fbaced awsexamplebucket1 "
                    "[01/Jan/2025:06:00:00 +0000] 2001:db8::7 - 3E57427F3EXAMPLE "
                    "REST.GET.OBJECT show/001-a.mp3 \"GET /show/001-a.mp3 "
                    "HTTP/1.1\" 206 - 1048576 19200000 70 10 \"-\" "
                    "\"Overcast/3.0 (+http://overcast.fm/; iOS podcast app)\" "
                    "- Ox7Ssa= SigV4 ECDHE-RSA-AES128-GCM-SHA256 "
                    "AuthHeader awsexamplebucket1.s3.amazonaws.com TLSv1.2 - -",
                    &r, NULL, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_MEM(r.ip, r.ip_len, "2001:db8::7");
    CHECK_MEM(r.method, r.method_len, "GET");
    CHECK_MEM(r.path, r.path_len, "/show/001-a.mp3");
    CHECK_INT(r.status, 206);
    CHECK_INT(r.bytes, 1048576);
    CHECK_MEM(r.ua, r.ua_len, "Overcast/3.0 (+http://overcast.fm/; iOS podcast "
              "app)");
    /* HEAD, "-" bytes, no key: the Request-URI */
    CHECK_INT(parse("s3", "owner bucket [01/Jan/2025:06:00:00 +0000] 192.0.2.3 "
                    "- ID REST.HEAD.OBJECT - \"HEAD /show/001-a.mp3 HTTP/1.1\" "
                    "200 - - 19200000 5 - \"-\" \"-\" -", &r, NULL, &sb),
              STATS_LINE_REQ);
    CHECK_MEM(r.method, r.method_len, "HEAD");
    CHECK_MEM(r.path, r.path_len, "/show/001-a.mp3");
    CHECK_INT(r.bytes, 0);
    CHECK_INT(parse("s3", "owner bucket [01/Jan/2025:06:00:00 +0000] 192.0.2.3 "
                    "- ID WEBSITE.GET.OBJECT k \"GET /k HTTP/1.1\" 200 - 1 1 1 "
                    "1 \"-\" \"-\" -", &r, NULL, &sb), STATS_LINE_NO);
    strbuf_release(&sb);
}

static void test_cloudfront(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct stats_req r;
    char state[256] = { 0 };
    static const char line[] =
        "2025-01-01\t06:00:00\tAMS1-C1\t1049000\t2001:db8::9\tGET\t"
        "d111111abcdef8.cloudfront.net\t/show/001-a.mp3\t206\t-\t"
        "Pocket%2520Casts/7.57%20(Android)\t-\t-\tMiss\tid==\t"
        "media.example.org\thttps\t200\t0.1\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256"
        "\tMiss\tHTTP/2.0\t-\t-\t51234\t0.05\tMiss\taudio/mpeg\t1048576\t"
        "1048576\t2097151";

    CHECK_INT(parse("cloudfront", "#Version: 1.0", &r, state, &sb),
              STATS_LINE_META);
    CHECK_INT(parse("cloudfront", line, &r, state, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_MEM(r.ip, r.ip_len, "2001:db8::9");
    CHECK_MEM(r.path, r.path_len, "/show/001-a.mp3");
    CHECK_INT(r.bytes, 1049000);
    CHECK_MEM(r.ua, r.ua_len, "Pocket Casts/7.57 (Android)");
    CHECK_INT(r.range_start, 1048576);
    CHECK_INT(r.range_end, 2097151);
    /* a #Fields header with another order, without the range fields */
    CHECK_INT(parse("cloudfront", "#Fields: c-ip date time cs-method "
                    "cs-uri-stem sc-status sc-bytes cs(User-Agent)", &r,
                    state, &sb), STATS_LINE_META);
    CHECK_INT(parse("cloudfront", "192.0.2.1\t2025-01-01\t06:00:00\tGET\t"
                    "/show/001-a.mp3\t200\t19200000\tOvercast/3.0", &r, state,
                    &sb), STATS_LINE_REQ);
    CHECK_MEM(r.ip, r.ip_len, "192.0.2.1");
    CHECK_INT(r.bytes, 19200000);
    CHECK_INT(r.range_start, -1);
    CHECK_INT(parse("cloudfront", "#Something else", &r, state, &sb),
              STATS_LINE_NO);
    strbuf_release(&sb);
}

static void test_caddy(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct stats_req r;
    char state[64] = { 0 };

    CHECK_INT(parse("caddy", "{\"level\":\"info\",\"ts\":1735711200.52,"
                    "\"logger\":\"http.log.access\",\"msg\":\"handled request\","
                    "\"request\":{\"remote_ip\":\"10.0.0.1\",\"remote_port\":"
                    "\"41342\",\"client_ip\":\"2001:db8::2\",\"proto\":"
                    "\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"media.example."
                    "org\",\"uri\":\"/show/001-a.mp3\",\"headers\":{\"User-"
                    "Agent\":[\"Overcast/3.0 (+http://overcast.fm/)\"],"
                    "\"Range\":[\"bytes=0-1\"]}},\"bytes_read\":0,\"duration\":"
                    "0.0009,\"size\":2,\"status\":206}", &r, state, &sb),
              STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_MEM(r.ip, r.ip_len, "2001:db8::2");
    CHECK_MEM(r.ua, r.ua_len, "Overcast/3.0 (+http://overcast.fm/)");
    CHECK_INT(r.range_start, 0);
    CHECK_INT(r.range_end, 1);
    CHECK_INT(r.bytes, 2);
    /* ts as a string, remote_ip only, no user agent */
    CHECK_INT(parse("caddy", "{\"ts\":\"2025-01-01T06:00:00.000Z\",\"request\":"
                    "{\"remote_ip\":\"192.0.2.5\",\"method\":\"GET\",\"uri\":"
                    "\"/show/001-a.mp3\",\"headers\":{}},\"size\":19200000,"
                    "\"status\":200}", &r, state, &sb), STATS_LINE_REQ);
    CHECK_MEM(r.ip, r.ip_len, "192.0.2.5");
    CHECK_INT(r.ua_len, 0);
    CHECK_INT(r.t, T0);
    CHECK_INT(parse("caddy", "{\"request\": [1, 2, 3]}", &r, state, &sb),
              STATS_LINE_NO);
    CHECK_INT(parse("caddy", "{\"request\": {\"method\": \"GET\"", &r, state,
                    &sb), STATS_LINE_NO);
    fmt("caddy")->release(state);
    strbuf_release(&sb);
}

static void test_logpush(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct stats_req r;
    char state[64] = { 0 };

    CHECK_INT(parse("logpush", "{\"ClientIP\":\"198.51.100.4\","
                    "\"ClientRequestHost\":\"media.example.org\","
                    "\"ClientRequestMethod\":\"GET\",\"ClientRequestURI\":"
                    "\"/show/001-a.mp3\",\"ClientRequestUserAgent\":"
                    "\"Spotify/8.9.18 iOS/17.4\",\"EdgeResponseBytes\":1049000,"
                    "\"EdgeResponseBodyBytes\":1048576,\"EdgeResponseStatus\":"
                    "206,\"EdgeStartTimestamp\":\"2025-01-01T06:00:00Z\"}",
                    &r, state, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_INT(r.bytes, 1048576);
    CHECK_MEM(r.ua, r.ua_len, "Spotify/8.9.18 iOS/17.4");
    /* Unix nanoseconds, only EdgeResponseBytes, the path field */
    CHECK_INT(parse("logpush", "{\"ClientIP\":\"2001:db8::4\","
                    "\"ClientRequestMethod\":\"HEAD\",\"ClientRequestPath\":"
                    "\"/show/001-a.mp3\",\"EdgeResponseBytes\":300,"
                    "\"EdgeResponseStatus\":200,\"EdgeStartTimestamp\":"
                    "1735711200000000000}", &r, state, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_INT(r.bytes, 300);
    CHECK_MEM(r.method, r.method_len, "HEAD");
    /* Unix seconds */
    CHECK_INT(parse("logpush", "{\"ClientIP\":\"192.0.2.1\","
                    "\"ClientRequestMethod\":\"GET\",\"ClientRequestURI\":"
                    "\"/x\",\"EdgeResponseStatus\":200,\"EdgeStartTimestamp\":"
                    "1735711200}", &r, state, &sb), STATS_LINE_REQ);
    CHECK_INT(r.t, T0);
    CHECK_INT(parse("logpush", "{\"ClientRequestURI\": \"/x\"}", &r, state,
                    &sb), STATS_LINE_NO);
    fmt("logpush")->release(state);
    strbuf_release(&sb);
}

static struct stats_catalog *catalog(void)
{
    struct stats_catalog *cat = stats_catalog_new();
    static const struct stats_alias old[] = {
        { BASE "old/001-first-name.mp3", "guid-a" },
        { BASE "001-second-name.mp3", "guid-a" },
        { BASE "gone.mp3", "guid-not-here" },
    };

    CHECK_INT(stats_catalog_add(cat, "guid-a", "Episode A", T0,
                                BASE "001-a.mp3", A_BYTES, 2400000), 0);
    CHECK_INT(stats_catalog_add(cat, "guid-b", "Episode B: Één", T0,
                                BASE "002-%C3%A9%C3%A9n.mp3", 240000, 30000),
              1);
    CHECK_INT(stats_catalog_add(cat, "guid-c", "dup", T0, BASE "001-a.mp3",
                                1, 1), -1);
    CHECK_INT(stats_catalog_add_aliases(cat, old, ARRAY_SIZE(old)), 2);
    return cat;
}

static void test_catalog(void)
{
    struct stats_catalog *cat = catalog();
    static const struct {
        const char *path;
        int ep;
    } cases[] = {
        { "/show/001-a.mp3", 0 },
        { "/show/001-a.mp3?utm=1&x", 0 },
        { "/show/001%2Da.mp3", 0 },
        { "https://media.example.org/show/001-a.mp3", 0 },
        { "/bucket/show/001-a.mp3", 0 },        /* S3 path style */
        { "/show/002-%c3%a9%c3%a9n.mp3", 1 },
        { "/show/002-\xc3\xa9\xc3\xa9n.mp3", 1 },
        { "/show/old/001-first-name.mp3", 0 },  /* renamed twice */
        { "/show/001-second-name.mp3", 0 },
        { "/show/gone.mp3", -1 },
        { "/show/feed.xml", -1 },
        { "/show/", -1 },
        { "", -1 },
        { "*", -1 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int ep = stats_catalog_lookup(cat, cases[i].path,
                                      strlen(cases[i].path));

        if (ep != cases[i].ep)
            harness_fail(__FILE__, __LINE__, "%s: %d, want %d", cases[i].path,
                         ep, cases[i].ep);
        harness_checks++;
    }
    stats_catalog_free(cat);
}

static void test_agents(void)
{
    struct stats_agent_class c;
    struct stats_agents *a = NULL;
    char *bad = xstrfmt("%s/bots.json", tmpdir);
    struct strbuf sb = STRBUF_INIT;

    stats_agents_classify(agents, "AppleCoreMedia/1.0 (iPhone; U)", 30, &c);
    CHECK_INT(c.kind, STATS_AGENT_APP);
    CHECK_STR(c.name, "Apple Podcasts");
    CHECK_STR(c.device, "Apple iPhone");
    CHECK_STR(c.category, "mobile");
    stats_agents_classify(agents, "TestBot/2 (Linux)", 17, &c);
    CHECK_INT(c.kind, STATS_AGENT_BOT);
    CHECK(c.device == NULL);
    stats_agents_classify(agents, "TestBot/x", 9, &c);
    CHECK_INT(c.kind, STATS_AGENT_UNKNOWN);
    stats_agents_classify(agents, "okhttp/4.2 Android", 18, &c);
    CHECK_INT(c.kind, STATS_AGENT_LIBRARY);
    CHECK_STR(c.device, "Android Phone");
    stats_agents_classify(agents, "Mozilla/5.0 (X11) Firefox/120", 29, &c);
    CHECK_INT(c.kind, STATS_AGENT_BROWSER);
    stats_agents_describe(agents, &sb);
    CHECK_STR(sb.buf, "3 bots, 5 apps, 1 libraries, 1 browsers, 3 devices");
    /* a broken pattern and a file that is no list are refused */
    CHECK(write_file_atomic(bad, "{\"entries\": [{\"name\": \"x\", "
                            "\"pattern\": \"(\"}]}", 42) == 0);
    CHECK_INT(stats_agents_load(&a, bad), PP_ERR_INPUT);
    CHECK(write_file_atomic(bad, "[1, 2]", 6) == 0);
    CHECK_INT(stats_agents_load(&a, bad), PP_ERR_INPUT);
    CHECK_INT(stats_agents_load(&a, tmpdir), PP_ERR_INPUT);  /* no lists */
    unlink(bad);
    stats_agents_free(a);
    strbuf_release(&sb);
    free(bad);
}

/* ------------------------------------------------------------------ */
/* Counting                                                            */

struct run {
    struct stats_catalog *cat;
    struct stats *st;
    struct stats_result res;
};

static char *write_log(const char *name, const char *text, size_t len)
{
    char *path = xstrfmt("%s/%s", tmpdir, name);

    if (write_file_atomic(path, text, len) < 0)
        abort();
    return path;
}

/* Counts 'log' (optionally with the state file 'state'). */
static void count(struct run *r, const char *log, const char *state)
{
    char *path = write_log("access.log", log, strlen(log));

    r->cat = catalog();
    r->st = stats_new(r->cat, &(struct stats_opts){ .agents = agents });
    if (state)
        CHECK_INT(stats_state_load(r->st, state), 0);
    CHECK_INT(stats_read_file(r->st, path), 0);
    stats_result(r->st, &r->res);
    if (state)
        CHECK_INT(stats_state_save(r->st, state), 0);
    free(path);
}

static void done(struct run *r)
{
    stats_result_release(&r->res);
    stats_free(r->st);
    stats_catalog_free(r->cat);
}

/* One combined line: 'ip', 'ua', seconds after T0, method, status, bytes. */
static void line(struct strbuf *sb, const char *ip, const char *ua,
                 int64_t dt, const char *method, const char *path, int status,
                 uint64_t bytes)
{
    int64_t t = T0 + dt, day = t / 86400, s = t % 86400;
    char date[16];
    static const char *const mon[] = { "Jan", "Feb", "Mar" };

    stats_day_format(day, date, sizeof(date));
    /* date is YYYY-MM-DD; the log wants DD/Mon/YYYY */
    strbuf_addf(sb, "%s - - [%.2s/%s/%.4s:%02d:%02d:%02d +0000] \"%s %s "
                "HTTP/1.1\" %d %llu \"-\" \"%s\"\n", ip, date + 8,
                mon[(date[5] - '0') * 10 + date[6] - '0' - 1], date,
                (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60), method,
                path, status, (unsigned long long)bytes, ua);
}

#define A "/show/001-a.mp3"
#define B "/show/002-%C3%A9%C3%A9n.mp3"
#define IPHONE "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4)"
#define OVERCAST "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"

static void test_stream_of_40_ranges(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };

    /* HEAD, a bytes=0-1 probe, then the file in 40 pieces over an hour */
    line(&sb, "203.0.113.1", IPHONE, 3600, "HEAD", A, 200, 0);
    line(&sb, "203.0.113.1", IPHONE, 3600, "GET", A, 206, 2);
    for (int i = 0; i < 40; i++)
        line(&sb, "203.0.113.1", IPHONE, 3600 + i * 90, "GET", A, 206,
             A_BYTES / 40);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 1);
    CHECK_INT(r.res.episodes[0].total, 1);
    CHECK_INT(r.res.episodes[0].first[0], 1);
    CHECK_INT(r.res.probe, 1);
    CHECK_INT(r.res.not_get, 1);
    CHECK_INT(r.res.counted_requests, 40);
    CHECK_STR(r.res.episodes[0].apps[0].name, "Apple Podcasts");
    CHECK_STR(r.res.platforms[0].name, "Apple iPhone");
    done(&r);
    strbuf_release(&sb);
}

static void test_two_apps_one_address(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };

    line(&sb, "2001:db8::1", IPHONE, 100, "GET", A, 200, A_BYTES);
    line(&sb, "2001:db8::1", OVERCAST, 200, "GET", A, 200, A_BYTES);
    line(&sb, "2001:db8::1", OVERCAST, 300, "GET", A, 200, A_BYTES);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 2);
    CHECK_INT(r.res.episodes[0].apps_nr, 2);
    done(&r);
    strbuf_release(&sb);
}

static void test_bots_and_probes(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };

    line(&sb, "192.0.2.1", "TestBot/1.0", 100, "GET", A, 200, A_BYTES);
    line(&sb, "192.0.2.2", "Mozilla/5.0 (compatible; Googlebot/2.1)", 100,
         "GET", A, 200, A_BYTES);
    for (int i = 0; i < 5; i++)
        line(&sb, "192.0.2.3", IPHONE, 100 + i, "GET", A, 206, 2);
    line(&sb, "192.0.2.4", IPHONE, 100, "HEAD", A, 200, 0);
    line(&sb, "192.0.2.5", IPHONE, 100, "GET", A, 304, 0);
    line(&sb, "192.0.2.6", IPHONE, 100, "GET", A, 404, 150);
    line(&sb, "192.0.2.7", IPHONE, 100, "GET", "/show/feed.xml", 200, 9000);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 0);
    CHECK_INT(r.res.bot, 2);
    CHECK_INT(r.res.probe, 5);
    CHECK_INT(r.res.not_get, 1);
    CHECK_INT(r.res.not_ok, 2);
    CHECK_INT(r.res.not_episode, 1);
    done(&r);
    strbuf_release(&sb);
}

static void test_midnight_and_24_hours(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };
    int64_t to_midnight = 18 * 3600;    /* T0 is 06:00 */

    /* half before midnight, half after, 20 minutes apart: one */
    line(&sb, "198.51.100.1", OVERCAST, to_midnight - 600, "GET", A, 206,
         A_MINUTE / 2);
    line(&sb, "198.51.100.1", OVERCAST, to_midnight + 600, "GET", A, 206,
         A_MINUTE / 2);
    /* the same listener again 25 hours after the first: a second one */
    line(&sb, "198.51.100.1", OVERCAST, to_midnight - 600 + 25 * 3600, "GET",
         A, 200, A_BYTES);
    /* 23 hours after that: the same window */
    line(&sb, "198.51.100.1", OVERCAST, to_midnight - 600 + 48 * 3600, "GET",
         A, 200, A_BYTES);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 2);
    CHECK_INT(r.res.days_nr, 2);
    CHECK_INT(r.res.episodes[0].curve[0], 1);
    CHECK_INT(r.res.episodes[0].curve[1], 1);
    CHECK_INT(r.res.episodes[0].first[0], 1);
    CHECK_INT(r.res.episodes[0].first[1], 2);
    done(&r);
    strbuf_release(&sb);
}

static void test_under_a_minute(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };

    /* 30 seconds of the 40-minute episode: nothing */
    line(&sb, "198.51.100.2", OVERCAST, 100, "GET", A, 206, A_MINUTE / 2);
    /* exactly a minute: one */
    line(&sb, "198.51.100.3", OVERCAST, 100, "GET", A, 206, A_MINUTE);
    /* the 30-second episode B needs all of its bytes */
    line(&sb, "198.51.100.4", OVERCAST, 100, "GET", B, 206, 239999);
    line(&sb, "198.51.100.5", OVERCAST, 100, "GET", B, 206, 120000);
    line(&sb, "198.51.100.5", OVERCAST, 200, "GET", B, 206, 120000);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.episodes[0].total, 1);
    CHECK_INT(r.res.episodes[1].total, 1);
    done(&r);
    strbuf_release(&sb);
}

static void test_renamed_file(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };

    line(&sb, "198.51.100.6", OVERCAST, 100, "GET",
         "/show/old/001-first-name.mp3", 200, A_BYTES);
    line(&sb, "198.51.100.7", OVERCAST, 100, "GET",
         "/show/001-second-name.mp3", 200, A_BYTES);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.episodes[0].total, 2);
    done(&r);
    strbuf_release(&sb);
}

static void test_ranges_overlap(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };
    char line1[1024];

    /*
     * Caddy logs the Range header: the same first 400 kB asked for three
     * times is 400 kB, not a minute (480 kB).
     */
    for (int i = 0; i < 3; i++) {
        snprintf(line1, sizeof(line1), "{\"ts\":%d,\"request\":{\"client_ip\":"
                 "\"192.0.2.9\",\"method\":\"GET\",\"uri\":\"" A "\","
                 "\"headers\":{\"User-Agent\":[\"" OVERCAST "\"],\"Range\":"
                 "[\"bytes=0-399999\"]}},\"size\":400000,\"status\":206}\n",
                 T0 + i);
        strbuf_addstr(&sb, line1);
    }
    /* and bytes=0-1 with a range is a probe */
    snprintf(line1, sizeof(line1), "{\"ts\":%d,\"request\":{\"client_ip\":"
             "\"192.0.2.10\",\"method\":\"GET\",\"uri\":\"" A "\",\"headers\":"
             "{\"Range\":[\"bytes=0-1\"]}},\"size\":2,\"status\":206}\n", T0);
    strbuf_addstr(&sb, line1);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 0);
    CHECK_INT(r.res.probe, 1);
    CHECK_INT(r.res.formats_nr, 1);
    CHECK_STR(r.res.formats[0].name, "caddy");
    done(&r);
    /* a fourth request for the next 100 kB makes it one */
    snprintf(line1, sizeof(line1), "{\"ts\":%d,\"request\":{\"client_ip\":"
             "\"192.0.2.9\",\"method\":\"GET\",\"uri\":\"" A "\","
             "\"headers\":{\"User-Agent\":[\"" OVERCAST "\"],\"Range\":"
             "[\"bytes=400000-499999\"]}},\"size\":100000,\"status\":206}\n",
             T0 + 10);
    strbuf_addstr(&sb, line1);
    count(&r, sb.buf, NULL);
    CHECK_INT(r.res.total, 1);
    done(&r);
    strbuf_release(&sb);
}

static void test_corrupt_lines(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };
    char *path;

    line(&sb, "198.51.100.8", OVERCAST, 100, "GET", A, 200, A_BYTES);
    strbuf_addstr(&sb, "garbage line\n");                   /* line 2 */
    strbuf_add(&sb, "1.2.3.4 - - [\0 nul]\n", 20);          /* line 3 */
    strbuf_addstr(&sb, "1.2.3.4 - - \xff\xfe not UTF-8\n"); /* line 4 */
    for (int i = 0; i < 10 << 20; i += 64)                  /* line 5 */
        strbuf_addstr(&sb, "0123456789abcdef0123456789abcdef"
                      "0123456789abcdef0123456789abcdef");
    strbuf_addch(&sb, '\n');
    line(&sb, "198.51.100.9", OVERCAST, 200, "GET", A, 200, A_BYTES);
    /* the last line has no newline */
    strbuf_setlen(&sb, sb.len - 1);
    path = write_log("corrupt.log", sb.buf, sb.len);
    r.cat = catalog();
    r.st = stats_new(r.cat, &(struct stats_opts){ .agents = agents });
    CHECK_INT(stats_read_file(r.st, path), 0);
    stats_result(r.st, &r.res);
    CHECK_INT(r.res.total, 2);
    CHECK_INT(r.res.lines, 6);
    CHECK_INT(r.res.unmatched, 4);
    CHECK_INT(r.res.unmatched_first_nr, 4);
    CHECK_INT(r.res.unmatched_first[0].line, 2);
    CHECK_STR(r.res.unmatched_first[0].why, "matches no log format");
    CHECK_INT(r.res.unmatched_first[1].line, 3);
    CHECK_STR(r.res.unmatched_first[1].why, "holds a NUL byte");
    CHECK_INT(r.res.unmatched_first[2].line, 4);
    CHECK_STR(r.res.unmatched_first[2].why, "is not UTF-8");
    CHECK_INT(r.res.unmatched_first[3].line, 5);
    CHECK_STR(r.res.unmatched_first[3].why, "is longer than 64 KiB");
    done(&r);
    free(path);
    strbuf_release(&sb);
}

static void test_gzip(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };
    char *path = xstrfmt("%s/access.log.2.gz", tmpdir);
    gzFile gz;

    line(&sb, "198.51.100.10", OVERCAST, 100, "GET", A, 200, A_BYTES);
    line(&sb, "198.51.100.11", IPHONE, 100, "GET", A, 200, A_BYTES);
    gz = gzopen(path, "wb");
    CHECK(gz != NULL);
    gzwrite(gz, sb.buf, (unsigned)sb.len / 2);
    gzclose(gz);
    /* a second gzip member, as `cat a.gz b.gz` makes */
    gz = gzopen(path, "ab");
    gzwrite(gz, sb.buf + sb.len / 2, (unsigned)(sb.len - sb.len / 2));
    gzclose(gz);
    r.cat = catalog();
    r.st = stats_new(r.cat, &(struct stats_opts){ .agents = agents });
    CHECK_INT(stats_read_file(r.st, path), 0);
    stats_result(r.st, &r.res);
    CHECK_INT(r.res.total, 2);
    CHECK_INT(r.res.unmatched, 0);
    done(&r);
    unlink(path);
    free(path);
    strbuf_release(&sb);
}

static void test_state(void)
{
    struct strbuf sb = STRBUF_INIT, file = STRBUF_INIT;
    struct run r = { 0 };
    char *state = xstrfmt("%s/stats.json", tmpdir);
    uint64_t total;

    /* 40 days of one listener a day, each a download */
    for (int d = 0; d < 40; d++) {
        line(&sb, "203.0.113.77", OVERCAST, d * 86400 + 3600, "GET", A, 200,
             A_BYTES);
        line(&sb, "203.0.113.78", IPHONE, d * 86400 + 7200, "GET", A, 206,
             A_MINUTE / 4);
    }
    unlink(state);
    count(&r, sb.buf, state);
    total = r.res.total;
    CHECK_INT(total, 40);
    CHECK_INT(r.res.episodes[0].first[2], 30);
    CHECK(r.res.episodes[0].complete30);
    /* A's 30 and B's none: both have been out for 30 days */
    CHECK_INT(r.res.curve_median_nr, 2);
    CHECK_INT(r.res.curve_median[29], 15);
    done(&r);
    /* the same log again: the same numbers */
    count(&r, sb.buf, state);
    CHECK_INT(r.res.total, total);
    CHECK_INT(r.res.lines, 0);
    CHECK(r.res.lines_seen_before == 80);
    CHECK_INT(r.res.episodes[0].first[2], 30);
    done(&r);
    /* and again */
    count(&r, sb.buf, state);
    CHECK_INT(r.res.total, total);
    done(&r);
    /* the log grows by two days: only they are added */
    for (int d = 40; d < 42; d++)
        line(&sb, "203.0.113.77", OVERCAST, d * 86400 + 3600, "GET", A, 200,
             A_BYTES);
    count(&r, sb.buf, state);
    CHECK_INT(r.res.total, 42);
    CHECK_INT(r.res.lines, 2);
    done(&r);
    /* no address, no user agent in the state file */
    CHECK_INT(strbuf_read_file(&file, state, 1 << 20), 0);
    CHECK(!strstr(file.buf, "203.0.113"));
    CHECK(!strstr(file.buf, "AppleCoreMedia"));
    CHECK(!strstr(file.buf, "Overcast/"));
    /* a state file that is not ours is refused */
    CHECK(write_file_atomic(state, "{\"podpub_stats\": 99}", 20) == 0);
    r.cat = catalog();
    r.st = stats_new(r.cat, &(struct stats_opts){ .agents = agents });
    CHECK_INT(stats_state_load(r.st, state), PP_ERR_INPUT);
    stats_free(r.st);
    stats_catalog_free(r.cat);
    unlink(state);
    free(state);
    strbuf_release(&sb);
    strbuf_release(&file);
}

static void test_state_slow_window(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct run r = { 0 };
    char *state = xstrfmt("%s/slow.json", tmpdir);

    /*
     * A slow listener from hour 0 reaches a minute at hour 23, after a
     * quick one from hour 7: the slow one's download is final when the
     * log ends at hour 31, though it counted last.
     */
    line(&sb, "203.0.113.90", OVERCAST, 0, "GET", A, 206, A_MINUTE / 2);
    line(&sb, "203.0.113.91", OVERCAST, 7 * 3600, "GET", A, 200, A_BYTES);
    line(&sb, "203.0.113.90", OVERCAST, 23 * 3600, "GET", A, 206,
         A_MINUTE / 2);
    line(&sb, "203.0.113.92", OVERCAST, 31 * 3600, "GET", A, 206, 1000);
    unlink(state);
    count(&r, sb.buf, state);
    CHECK_INT(r.res.total, 2);
    done(&r);
    /* two days later: both still there */
    line(&sb, "203.0.113.93", OVERCAST, 80 * 3600, "GET", A, 200, A_BYTES);
    count(&r, sb.buf, state);
    CHECK_INT(r.res.total, 3);
    done(&r);
    unlink(state);
    free(state);
    strbuf_release(&sb);
}

static void test_writers(void)
{
    struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
    struct run r = { 0 };
    const struct stats_report_info info = { "Show <&>", "test lists" };

    line(&sb, "198.51.100.12", "EvilApp/1", 100, "GET", A, 200, A_BYTES);
    line(&sb, "198.51.100.13", "FormulaApp/1", 100, "GET", B, 200, 240000);
    count(&r, sb.buf, NULL);
    stats_writer_html.write(&r.res, &info, &out);
    CHECK(strstr(out.buf, "<title>Downloads: Show &lt;&amp;&gt;</title>"));
    CHECK(strstr(out.buf, "App &lt;b&gt;&amp;&quot;quoted&quot;"));
    CHECK(!strstr(out.buf, "<b>"));
    CHECK(!strstr(out.buf, "<script"));
    CHECK(strstr(out.buf, "default-src 'none'"));
    CHECK(strstr(out.buf, "id=\"chart-days\""));
    CHECK(strstr(out.buf, "id=\"chart-curves\""));
    CHECK(strstr(out.buf, "id=\"chart-apps\""));
    CHECK(strstr(out.buf, "id=\"chart-platforms\""));
    strbuf_reset(&out);
    stats_writer_csv.write(&r.res, &info, &out);
    CHECK(strstr(out.buf, "\"'=cmd|calc\""));      /* no formula */
    CHECK(strstr(out.buf, "\"App <b>&\"\"quoted\"\"\""));
    strbuf_reset(&out);
    stats_writer_json.write(&r.res, &info, &out);
    CHECK(strstr(out.buf, "\"downloads\": 2"));
    strbuf_reset(&out);
    stats_writer_table.write(&r.res, &info, &out);
    CHECK(strstr(out.buf, "Episode B: Één"));
    done(&r);
    strbuf_release(&sb);
    strbuf_release(&out);
}

int main(void)
{
    static const struct harness_test tests[] = {
        TEST(test_time), TEST(test_range), TEST(test_combined),
        TEST(test_s3), TEST(test_cloudfront), TEST(test_caddy),
        TEST(test_logpush), TEST(test_catalog), TEST(test_agents),
        TEST(test_stream_of_40_ranges), TEST(test_two_apps_one_address),
        TEST(test_bots_and_probes), TEST(test_midnight_and_24_hours),
        TEST(test_under_a_minute), TEST(test_renamed_file),
        TEST(test_ranges_overlap), TEST(test_corrupt_lines), TEST(test_gzip),
        TEST(test_state), TEST(test_state_slow_window), TEST(test_writers),
        { 0 },
    };
    const char *fixtures = getenv("TEST_FIXTURES");
    char *lists;
    int ret;

    if (!fixtures || !mkdtemp(tmpdir)) {
        fprintf(stderr, "test_stats: TEST_FIXTURES unset or no temp dir\n");
        return 1;
    }
    lists = xstrfmt("%s/stats/agents", fixtures);
    if (stats_agents_load(&agents, lists) < 0)
        return 1;
    ret = harness_run(tests);
    stats_agents_free(agents);
    free(lists);
    rmdir(tmpdir);
    return ret;
}
