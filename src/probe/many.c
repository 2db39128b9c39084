/*
 * Probing many files at once, one per core: what `podpub probe` does
 * with a list of files, now that measuring the loudness decodes them.
 */
#include "podpub/probe.h"
#include "podpub/strbuf.h"

struct many {
    const char *const *paths;
    unsigned flags;
    struct audio_info *infos;
    int *rets;
    struct strbuf *msgs;
};

static void probe_one(void *ctx, size_t i)
{
    struct many *m = ctx;

    m->rets[i] = probe_audio_opts(m->paths[i], &m->infos[i], &m->msgs[i],
                                  m->flags);
}

void probe_audio_all(const char *const *paths, size_t nr, unsigned flags,
                     struct audio_info *infos, int *rets,
                     struct strbuf *msgs)
{
    struct many m = { paths, flags, infos, rets, msgs };

    parallel_for(nr, 1, probe_one, &m);
}
