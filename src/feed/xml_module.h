/*
 * The one table between podpub and its xml module (podpub-xml.so): the
 * feed reader and the HTML-to-Markdown conversion, the only code that
 * needs libxml2 (and through it ICU and libstdc++), which the program
 * loads on first use (xml_load.c): `podpub check FEED`, `check --online`,
 * import and publish's guard read feeds; every other command starts
 * without them. Each member is the function of feedread.h of the same
 * name.
 */
#ifndef PODPUB_XML_MODULE_H
#define PODPUB_XML_MODULE_H

#include "podpub/feedread.h"
#include "podpub/module.h"

#define PP_XML_MODULE_FILE "podpub-xml.so"
#define PP_XML_MODULE_SYMBOL "podpub_xml_module"

struct xml_module {
    struct module_head head;
    int (*feed_read)(const char *name, const char *buf, size_t len,
                     struct show *show, struct feed_doc *doc);
    void (*feed_doc_release)(struct feed_doc *doc);
    int (*feed_issues_print)(const struct feed_doc *doc);
    int (*feed_parse)(const char *name, const char *buf, size_t len,
                      struct show *show);
    void (*html_to_markdown)(const char *html, size_t len,
                             struct strbuf *md);
    void (*html_text)(const char *html, size_t len, struct strbuf *text);
};

#endif
