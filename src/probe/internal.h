/*
 * Shared inside src/probe only.
 */
#ifndef PODPUB_PROBE_INTERNAL_H
#define PODPUB_PROBE_INTERNAL_H

/* Silences libavformat's own logging once (podpub reports problems). */
void probe_quiet_logs(void);

#endif
