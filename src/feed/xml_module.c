/*
 * The xml module's table (see xml_module.h): built into podpub-xml.so,
 * whose only exported symbol it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>

#include "xml_module.h"

/* libxml2 as loaded: "2.9.14" (xmlParserVersion is "20914"). */
static void libxml_version(char *out, size_t size)
{
    char *end;
    long n = strtol(xmlParserVersion, &end, 10);

    if (end != xmlParserVersion && !*end)
        snprintf(out, size, "%ld.%ld.%ld", n / 10000, n / 100 % 100,
                 n % 100);
    else
        snprintf(out, size, "%s", xmlParserVersion);
}

__attribute__((visibility("default")))
const struct xml_module podpub_xml_module = {
    .head = { PODPUB_VERSION, sizeof(struct xml_module), libxml_version,
              NULL },
    .feed_read = feed_read,
    .feed_doc_release = feed_doc_release,
    .feed_issues_print = feed_issues_print,
    .feed_parse = feed_parse,
    .html_to_markdown = html_to_markdown,
    .html_text = html_text,
};
