/*
 * podpub's own loadable modules: code whose libraries only some commands
 * need (FFmpeg for reading and writing audio) is built as a shared module
 * that the program loads on first use, so that every other command starts
 * without mapping those libraries. A module exports one table of podpub's
 * functions, which starts with a struct module_head.
 */
#ifndef PODPUB_MODULE_H
#define PODPUB_MODULE_H

#include <stddef.h>

#include "podpub/strbuf.h"

/* The first member of every module's table. */
struct module_head {
    const char *version;        /* PODPUB_VERSION the module was built as */
    size_t size;                /* sizeof its table */
};

/*
 * Loads the module 'file' ("podpub-av.so") and returns its table, the
 * exported object 'symbol', after checking that it was built as this
 * podpub's version with a table of 'size' bytes. The module is looked for
 * only relative to the running program (/proc/self/exe): in podpub's
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
