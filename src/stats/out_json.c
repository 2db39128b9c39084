/*
 * `podpub stats --json`: the whole result, through podpub's JSON writer.
 */
#include "podpub/json.h"
#include "podpub/stats.h"

static void counts(struct json *j, const char *key, const char *what,
                   const struct stats_count *c, size_t nr)
{
    json_key(j, key);
    json_array(j);
    for (size_t i = 0; i < nr; i++) {
        json_object(j);
        json_kv_str(j, "name", c[i].name);
        json_kv_uint(j, what, c[i].n);
        json_end(j);
    }
    json_end(j);
}

static void date_key(struct json *j, const char *key, int64_t t)
{
    char d[16];

    json_key(j, key);
    if (!t) {
        json_null(j);
        return;
    }
    stats_day_format(t / 86400 - (t < 0 && t % 86400), d, sizeof(d));
    json_str(j, d);
}

static void write_json(const struct stats_result *res,
                       const struct stats_report_info *info,
                       struct strbuf *out)
{
    struct json j;

    json_init(&j, out);
    json_object(&j);
    json_kv_str(&j, "show", info->show_title);
    json_kv_str(&j, "agents", info->agents);
    date_key(&j, "first_day", res->first_t);
    date_key(&j, "last_day", res->last_t);
    json_kv_uint(&j, "downloads", res->total);
    json_key(&j, "episodes");
    json_array_lines(&j, 1);
    for (size_t i = 0; i < res->episodes_nr; i++) {
        const struct stats_episode_result *e = &res->episodes[i];

        json_object(&j);
        json_kv_str(&j, "guid", e->guid);
        json_kv_str(&j, "title", e->title);
        date_key(&j, "published", e->date);
        json_kv_uint(&j, "downloads", e->total);
        json_kv_uint(&j, "first_1_day", e->first[0]);
        json_kv_uint(&j, "first_7_days", e->first[1]);
        json_kv_uint(&j, "first_30_days", e->first[2]);
        json_kv_bool(&j, "has_30_days", e->complete30);
        json_key(&j, "by_day_since_published");
        json_array(&j);
        for (int d = 0; d < 30; d++)
            json_uint(&j, e->curve[d]);
        json_end(&j);
        counts(&j, "apps", "downloads", e->apps, e->apps_nr);
        json_end(&j);
    }
    json_end(&j);
    json_key(&j, "days");
    json_array(&j);
    for (size_t i = 0; i < res->days_nr; i++) {
        char d[16];

        stats_day_format(res->days[i].day, d, sizeof(d));
        json_object(&j);
        json_kv_str(&j, "date", d);
        json_kv_uint(&j, "downloads", res->days[i].n);
        json_end(&j);
    }
    json_end(&j);
    counts(&j, "apps", "downloads", res->apps, res->apps_nr);
    counts(&j, "platforms", "downloads", res->platforms, res->platforms_nr);
    json_key(&j, "median_first_30_days");
    json_object(&j);
    json_kv_uint(&j, "episodes", res->curve_median_nr);
    json_key(&j, "cumulative");
    json_array(&j);
    for (int d = 0; d < 30 && res->curve_median_nr; d++)
        json_uint(&j, res->curve_median[d]);
    json_end(&j);
    json_end(&j);
    json_key(&j, "lines");
    json_object(&j);
    json_kv_uint(&j, "read", res->lines);
    json_kv_uint(&j, "counted_before", res->lines_seen_before);
    json_kv_uint(&j, "headers", res->lines_meta);
    json_kv_uint(&j, "unmatched", res->unmatched);
    counts(&j, "formats", "lines", res->formats, res->formats_nr);
    json_end(&j);
    json_key(&j, "requests");
    json_object(&j);
    json_kv_uint(&j, "read", res->requests);
    json_kv_uint(&j, "not_an_episode", res->not_episode);
    json_kv_uint(&j, "not_get", res->not_get);
    json_kv_uint(&j, "not_200_or_206", res->not_ok);
    json_kv_uint(&j, "range_0_1", res->probe);
    json_kv_uint(&j, "bots", res->bot);
    json_kv_uint(&j, "counted", res->counted_requests);
    json_kv_uint(&j, "windows_peak", res->windows_peak);
    json_end(&j);
    json_key(&j, "unmatched");
    json_array(&j);
    for (size_t i = 0; i < res->unmatched_first_nr; i++) {
        json_object(&j);
        json_kv_str(&j, "file", res->unmatched_first[i].file);
        json_kv_uint(&j, "line", res->unmatched_first[i].line);
        json_kv_str(&j, "why", res->unmatched_first[i].why);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    strbuf_addch(out, '\n');
}

const struct stats_writer_ops stats_writer_json = {
    .name = "json",
    .write = write_json,
};
