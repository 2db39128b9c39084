/*
 * The versions of the libraries podpub runs with, for `podpub --version`
 * and bug reports: what was loaded at run time, not only what podpub was
 * compiled against.
 */
#ifndef PODPUB_VERSION_H
#define PODPUB_VERSION_H

#include <stddef.h>

struct lib_version {
    const char *name;           /* "libavformat" */
    char compiled[32];          /* the headers podpub was built with */
    char running[64];           /* the library loaded now */
};

enum { PP_LIB_VERSIONS = 5 };

/*
 * Fills 'out' with libavformat (with FFmpeg's own version), libxml2,
 * libcurl, libyaml and cmark, in that order.
 */
void lib_versions(struct lib_version out[PP_LIB_VERSIONS]);

#endif
