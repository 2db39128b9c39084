/*
 * podpub's own loadable modules: code whose libraries only some commands
 * need (FFmpeg for reading and writing audio) is built as a shared module
 * that the program loads on first use, so that every other command starts
 * without mapping those libraries. A module exports one table of podpub's
 * functions, which starts with a struct module_head.
 */
#ifndef PODPUB_MODULE_H
#define PODPUB_MODULE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "podpub/strbuf.h"

/* The first member of every module's table. */
struct module_head {
    const char *version;        /* PODPUB_VERSION the module was built as */
    size_t size;                /* sizeof its table */
    /* The library it exists for, as loaded: "59.27.100 (FFmpeg 5.1)". */
    void (*lib_version)(char *out, size_t size);
    void (*init)(void);         /* run once when loaded, or NULL */
};

/*
 * One module as the program sees it: what to load, and once tried, the
 * table or why not. Define one per module with MODULE_SLOT_INIT.
 */
struct module_slot {
    const char *file, *symbol;  /* "podpub-av.so", "podpub_av_module" */
    size_t size;                /* sizeof its table */
    pthread_mutex_t lock;
    bool tried;
    const struct module_head *_Atomic table;
    struct strbuf error;        /* why it could not be loaded */
};
#define MODULE_SLOT_INIT(file, symbol, type) \
    { (file), (symbol), sizeof(type), PTHREAD_MUTEX_INITIALIZER, false, \
      NULL, STRBUF_INIT }

/*
 * The table of 'slot', loaded by the first call (on any thread), or NULL
 * when it cannot be: then 'slot->error' says why, in one line.
 */
const void *module_get(struct module_slot *slot);

/* The table of 'slot' if it is loaded already, else NULL; never loads. */
const void *module_loaded(struct module_slot *slot);

/*
 * The --version line of the library 'slot' exists for into 'out': as
 * loaded, with the module's path, when it is loaded or 'load' loads it;
 * else 'compiled' and how to see more; or why it cannot be loaded.
 */
void module_lib_version(struct module_slot *slot, const char *compiled,
                        bool load, char *out, size_t size);

/*
 * Loads the module 'file' ("podpub-av.so") and returns its table, the
 * exported object 'symbol', after checking that it was built as this
 * podpub's version with a table of 'size' bytes. The module is looked for
 * only relative to the running program (/proc/self/exe, or where /proc
 * is not mounted the path it was executed by): in podpub's
 * private library folder (../lib/<triplet>/podpub beside bin/, as
 * installed) and then in the program's own folder (the build tree), never
 * through LD_LIBRARY_PATH or the current folder, so that a show's folder
 * cannot plant one. Returns NULL with a one-line reason in 'err' (which
 * names the file and what to do). Loading twice returns the same table;
 * the module stays loaded until exit.
 */
const void *module_load(const char *file, const char *symbol, size_t size,
                        struct strbuf *err);

/*
 * The path 'file' would be loaded from, for `podpub -v --version`: the
 * first candidate that exists, else the first candidate. The caller frees
 * the result.
 */
char *module_path(const char *file);

#endif
