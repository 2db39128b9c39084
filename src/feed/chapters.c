/*
 * Podcast Index JSON chapters files, served beside the feed as
 * chapters/<episode>.json and named by podcast:chapters.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "podpub/json.h"
#include "podpub/feed.h"

/* Seconds with up to three decimals, no trailing zeros: 754, 12.5. */
static void add_seconds(struct strbuf *sb, int64_t ms)
{
    strbuf_addf(sb, "%" PRId64, ms / 1000);
    if (ms % 1000) {
        char frac[8];
        int n = snprintf(frac, sizeof(frac), "%03d", (int)(ms % 1000));

        while (n > 0 && frac[n - 1] == '0')
            frac[--n] = '\0';
        strbuf_addf(sb, ".%s", frac);
    }
}

void chapters_render(const struct episode *ep, struct strbuf *out)
{
    strbuf_addstr(out, "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [");
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        const struct chapter *c = &ep->chapters[i];

        strbuf_addstr(out, i ? ",\n    {\"startTime\": " :
                      "\n    {\"startTime\": ");
        add_seconds(out, c->start_ms);
        strbuf_addstr(out, ", \"title\": ");
        json_quote(out, c->title);
        if (c->url) {
            strbuf_addstr(out, ", \"url\": ");
            json_quote(out, c->url);
        }
        if (c->img) {
            strbuf_addstr(out, ", \"img\": ");
            json_quote(out, c->img);
        }
        strbuf_addch(out, '}');
    }
    strbuf_addstr(out, "\n  ]\n}\n");
}
