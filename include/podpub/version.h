/*
 * The versions of the libraries podpub runs with, for `podpub --version`
 * and bug reports: what was loaded at run time, not only what podpub was
 * compiled against.
 */
#ifndef PODPUB_VERSION_H
#define PODPUB_VERSION_H

#include <stdbool.h>
#include <stddef.h>

struct lib_version {
    const char *name;           /* "libavformat" */
    char compiled[32];          /* the headers podpub was built with */
    char running[320];          /* the library loaded now */
};

enum { PP_LIB_VERSIONS = 5 };

/*
 * Fills 'out' with libavformat (with FFmpeg's own version), libxml2,
 * libcurl, libyaml and cmark, in that order. libavformat, libxml2 and
 * libcurl are in podpub's modules, loaded on first use: unless 'load' is
 * set, or they are loaded already, their lines say so instead of loading
 * them.
 */
void lib_versions(struct lib_version out[PP_LIB_VERSIONS], bool load);

/*
 * libavformat's, libxml2's and libcurl's lines of lib_versions() into
 * 'out': the running version and the module's path when the module
 * (podpub-av.so, podpub-xml.so, podpub-net.so) is loaded or 'load_now'
 * loads it, else 'compiled' and how to see more; or why the module
 * cannot be loaded. Part of the program (src/probe/av_load.c,
 * src/feed/xml_load.c, src/net/net_load.c), not of libpodpub.
 */
void av_lib_version(char *out, size_t size, const char *compiled,
                    bool load_now);
void curl_lib_version(char *out, size_t size, const char *compiled,
                      bool load_now);
void xml_lib_version(char *out, size_t size, const char *compiled,
                     bool load_now);

#endif
