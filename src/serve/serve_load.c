/*
 * The program's side of the serve module (serve_module.h): the functions
 * of serve.h, loading podpub-serve.so on first use and calling its table.
 * Linked into the podpub program only; the tests link serve.c itself.
 */
#include "podpub/util.h"
#include "serve_module.h"

static struct module_slot slot =
    MODULE_SLOT_INIT(PP_SERVE_MODULE_FILE, PP_SERVE_MODULE_SYMBOL,
                     struct serve_module);

int serve_start(const struct serve_opts *opts, struct serve **out)
{
    const struct serve_module *m = module_get(&slot);

    *out = NULL;
    if (!m)
        return errorf(PP_ERR_IO, "%s", slot.error.buf);
    return m->serve_start(opts, out);
}

/* Only reached with a server serve_start() made: the module is loaded. */
const char *serve_url(const struct serve *s)
{
    const struct serve_module *m = module_loaded(&slot);

    return m->serve_url(s);
}

int serve_run(struct serve *s, volatile sig_atomic_t *stop)
{
    const struct serve_module *m = module_loaded(&slot);

    return m->serve_run(s, stop);
}

void serve_free(struct serve *s)
{
    const struct serve_module *m = module_loaded(&slot);

    if (m && s)
        m->serve_free(s);
}
