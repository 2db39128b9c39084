/*
 * Shared inside src/probe only.
 */
#ifndef PODPUB_PROBE_INTERNAL_H
#define PODPUB_PROBE_INTERNAL_H

#include <stdio.h>

#include "podpub/probe.h"
#include "podpub/strbuf.h"

/* Silences libavformat's own logging once (podpub reports problems). */
void probe_quiet_logs(void);

/*
 * Records a failure in 'msg', or prints it when 'msg' is NULL; returns
 * 'code'.
 */
int probe_fail(struct strbuf *msg, int code, const char *fmt, ...)
    PP_PRINTF(3, 4);

#endif
