/*
 * The program's side of the xml module (xml_module.h): the functions of
 * feedread.h, each loading podpub-xml.so on first use and calling its
 * table. Linked into the podpub program only; the tests and fuzz targets
 * link the reader itself.
 */
#include <string.h>

#include "podpub/util.h"
#include "podpub/version.h"
#include "xml_module.h"

static struct module_slot slot =
    MODULE_SLOT_INIT(PP_XML_MODULE_FILE, PP_XML_MODULE_SYMBOL,
                     struct xml_module);

int feed_read(const char *name, const char *buf, size_t len,
              struct show *show, struct feed_doc *doc)
{
    const struct xml_module *m = module_get(&slot);

    if (!m)
        return errorf(PP_ERR_IO, "%s: %s", name, slot.error.buf);
    return m->feed_read(name, buf, len, show, doc);
}

/* A document the module never filled holds nothing. */
void feed_doc_release(struct feed_doc *doc)
{
    const struct xml_module *m = module_loaded(&slot);

    if (m)
        m->feed_doc_release(doc);
}

/* Only reached with a document feed_read() filled: the module is loaded. */
int feed_issues_print(const struct feed_doc *doc)
{
    const struct xml_module *m = module_loaded(&slot);

    return m ? m->feed_issues_print(doc) : 0;
}

int feed_parse(const char *name, const char *buf, size_t len,
               struct show *show)
{
    const struct xml_module *m = module_get(&slot);

    if (!m)
        return errorf(PP_ERR_IO, "%s: %s", name, slot.error.buf);
    return m->feed_parse(name, buf, len, show);
}

void html_to_markdown(const char *html, size_t len, struct strbuf *md)
{
    const struct xml_module *m = module_get(&slot);

    if (!m)
        die("%s", slot.error.buf);
    m->html_to_markdown(html, len, md);
}

void html_text(const char *html, size_t len, struct strbuf *text)
{
    const struct xml_module *m = module_get(&slot);

    if (!m)
        die("%s", slot.error.buf);
    m->html_text(html, len, text);
}

void xml_lib_version(char *out, size_t size, const char *compiled,
                     bool load_now)
{
    module_lib_version(&slot, compiled, load_now, out, size);
}
