/*
 * Podcast Index JSON chapters files, served beside the feed as
 * chapters/<episode>.json and named by podcast:chapters.
 */
#include <stdlib.h>

#include "podpub/json.h"
#include "podpub/feed.h"

/*
 * The file's layout, as podpub has always written it: the top object's
 * members and the chapters each on a line, a chapter on one line.
 */
static const struct json_layout top = { "\n  ", ",\n  ", "\n", "\n" };
static const struct json_layout list = {
    "\n    ", ",\n    ", "\n  ", "\n  ",
};

void chapters_render(const struct episode *ep, struct strbuf *out)
{
    struct json j;

    json_init(&j, out);
    json_object_laid(&j, &top);
    json_kv_str(&j, "version", "1.2.0");
    json_key(&j, "chapters");
    json_array_laid(&j, &list);
    for (size_t i = 0; i < ep->chapters_nr; i++) {
        const struct chapter *c = &ep->chapters[i];

        json_object(&j);
        /* Seconds with up to three decimals, no trailing zeros: 754, 12.5. */
        json_key(&j, "startTime");
        json_decimal(&j, c->start_ms, 3, true);
        json_kv_str(&j, "title", c->title);
        if (c->url)
            json_kv_str(&j, "url", c->url);
        if (c->img)
            json_kv_str(&j, "img", c->img);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    strbuf_addch(out, '\n');
}
