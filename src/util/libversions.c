/*
 * Library versions for `podpub --version`. This file is the one exception
 * to "each library's headers in its own module": it includes all five,
 * for their version functions only (libavformat's, libxml2's and
 * libcurl's version macros only: their modules say which ones they run
 * with), so that one table says
 * what podpub runs with (a distribution may ship newer libraries than
 * podpub was built against, and a bug report needs both).
 */
#include <stdio.h>

#include <cmark.h>
#include <curl/curl.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libxml/xmlversion.h>
#include <yaml.h>

#include "podpub/version.h"

static void av_dotted(unsigned v, char *out, size_t size)
{
    snprintf(out, size, "%u.%u.%u", AV_VERSION_MAJOR(v), AV_VERSION_MINOR(v),
             AV_VERSION_MICRO(v));
}

void lib_versions(struct lib_version out[PP_LIB_VERSIONS], bool load)
{
    out[0].name = "libavformat";
    av_dotted(LIBAVFORMAT_VERSION_INT, out[0].compiled,
              sizeof(out[0].compiled));
    av_lib_version(out[0].running, sizeof(out[0].running), out[0].compiled,
                   load);

    out[1].name = "libxml2";
    snprintf(out[1].compiled, sizeof(out[1].compiled), "%s",
             LIBXML_DOTTED_VERSION);
    xml_lib_version(out[1].running, sizeof(out[1].running), out[1].compiled,
                    load);

    out[2].name = "libcurl";
    snprintf(out[2].compiled, sizeof(out[2].compiled), "%s",
             LIBCURL_VERSION);
    curl_lib_version(out[2].running, sizeof(out[2].running),
                     out[2].compiled, load);

    out[3].name = "libyaml";
    /* yaml.h has no version macro: CMake passes pkg-config's. */
    snprintf(out[3].compiled, sizeof(out[3].compiled), "%s",
             PODPUB_YAML_VERSION);
    snprintf(out[3].running, sizeof(out[3].running), "%s",
             yaml_get_version_string());

    out[4].name = "cmark";
    snprintf(out[4].compiled, sizeof(out[4].compiled), "%s",
             CMARK_VERSION_STRING);
    snprintf(out[4].running, sizeof(out[4].running), "%s",
             cmark_version_string());
}
