/*
 * Loading podpub's own modules (see podpub/module.h): found relative to
 * the running program only, opened with RTLD_NOW (a missing library is
 * reported now, not at some later call), and checked to be of this
 * podpub's version before any of their functions is called.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "podpub/module.h"
#include "podpub/util.h"

/*
 * From the program's folder to podpub's private library folder, as
 * installed (CMake passes it: "../lib/x86_64-linux-gnu/podpub").
 */
#ifndef PODPUB_MODULE_RELDIR
#define PODPUB_MODULE_RELDIR "../lib/podpub"
#endif

/*
 * The folder of the running program, or NULL. The caller frees it.
 * /proc/self/exe where /proc is mounted; else (a chroot without /proc)
 * the path the program was executed by (AT_EXECFN), resolved: the
 * kernel's record of the exec, not anything a show's folder holds.
 */
static char *exe_dir(void)
{
    char buf[PATH_MAX], *real = NULL, *slash;
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

    if (n > 0) {
        buf[n] = '\0';
        real = xstrdup(buf);
    } else {
        const char *fn = (const char *)getauxval(AT_EXECFN);

        if (!fn || !(real = realpath(fn, NULL)))
            return NULL;
    }
    if (!(slash = strrchr(real, '/'))) {
        free(real);
        return NULL;
    }
    *slash = '\0';
    return real;
}

/* Where 'file' may be, in order: 'out' gets up to two malloc'd paths. */
static size_t candidates(const char *file, char *out[2])
{
    char *dir = exe_dir();
    struct strbuf sb = STRBUF_INIT;
    char *libdir;

    if (!dir)
        return 0;
    /* "/usr/bin/../lib/podpub" as "/usr/lib/podpub", for messages. */
    strbuf_addf(&sb, "%s/%s", dir, PODPUB_MODULE_RELDIR);
    libdir = realpath(sb.buf, NULL);
    if (libdir) {
        strbuf_reset(&sb);
        strbuf_addstr(&sb, libdir);
        free(libdir);
    }
    strbuf_addf(&sb, "/%s", file);
    out[0] = strbuf_detach(&sb, NULL);
    strbuf_addf(&sb, "%s/%s", dir, file);
    out[1] = strbuf_detach(&sb, NULL);
    free(dir);
    return 2;
}

char *module_path(const char *file)
{
    char *c[2];
    size_t nr = candidates(file, c);

    if (!nr)
        return xstrdup(file);
    if (access(c[0], F_OK) && !access(c[1], F_OK)) {
        free(c[0]);
        return c[1];
    }
    free(c[1]);
    return c[0];
}

const void *module_load(const char *file, const char *symbol, size_t size,
                        struct strbuf *err)
{
    char *c[2] = { NULL, NULL };
    size_t nr = candidates(file, c);
    const struct module_head *head = NULL;
    const char *path = NULL;
    void *h = NULL;

    if (!nr) {
        strbuf_addf(err, "cannot load %s: cannot find the podpub program "
                    "itself (neither /proc/self/exe nor its exec path): %s",
                    file, strerror(errno));
        return NULL;
    }
    for (size_t i = 0; i < nr && !path; i++)
        if (!access(c[i], F_OK))
            path = c[i];
    if (!path) {
        strbuf_addf(err, "cannot load %s: it is neither in %.*s nor beside "
                    "the program; reinstall podpub", file,
                    (int)(strrchr(c[0], '/') - c[0]), c[0]);
        goto out;
    }
    if (!(h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
        strbuf_addf(err, "cannot load %s: %s", path, dlerror());
        goto out;
    }
    head = dlsym(h, symbol);
    if (!head) {
        strbuf_addf(err, "cannot load %s: it has no %s: not podpub's "
                    "module", path, symbol);
    } else if (!head->version || strcmp(head->version, PODPUB_VERSION)) {
        strbuf_addf(err, "cannot load %s: it is podpub %s's, this is "
                    "podpub %s: reinstall podpub", path,
                    head->version ? head->version : "?", PODPUB_VERSION);
        head = NULL;
    } else if (head->size != size) {
        strbuf_addf(err, "cannot load %s: it was built from other sources "
                    "than this podpub %s: rebuild or reinstall podpub", path,
                    PODPUB_VERSION);
        head = NULL;
    }
    if (!head)
        dlclose(h);
out:
    free(c[0]);
    free(c[1]);
    return head;
}

const void *module_get(struct module_slot *slot)
{
    const void *table = atomic_load(&slot->table);

    if (table)
        return table;
    pthread_mutex_lock(&slot->lock);
    if (!slot->tried) {
        const struct module_head *m = module_load(slot->file, slot->symbol,
                                                  slot->size, &slot->error);

        if (m && m->init)
            m->init();
        atomic_store(&slot->table, m);
        slot->tried = true;
    }
    pthread_mutex_unlock(&slot->lock);
    return atomic_load(&slot->table);
}

const void *module_loaded(struct module_slot *slot)
{
    return atomic_load(&slot->table);
}

void module_lib_version(struct module_slot *slot, const char *compiled,
                        bool load, char *out, size_t size)
{
    const struct module_head *m = load ? module_get(slot) :
                                  module_loaded(slot);
    char lib[128], *path;

    if (!m && !load) {
        snprintf(out, size, "%s (as built; loaded on use: podpub -v "
                 "--version loads it)", compiled);
        return;
    }
    if (!m) {
        snprintf(out, size, "not loaded: %s", slot->error.buf);
        return;
    }
    m->lib_version(lib, sizeof(lib));
    path = module_path(slot->file);
    snprintf(out, size, "%s, through %s", lib, path);
    free(path);
}
