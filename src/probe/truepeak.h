/*
 * The true-peak interpolator (truepeak.c), internal to src/probe.
 */
#ifndef PODPUB_PROBE_TRUEPEAK_H
#define PODPUB_PROBE_TRUEPEAK_H

#include <stddef.h>

/*
 * A window of TP_TAPS samples interpolates the four points from its
 * sample TP_CENTRE (included) to the next (excluded).
 */
#define TP_TAPS 32
#define TP_CENTRE 15

/*
 * The largest magnitude among the points interpolated over the 'n'
 * samples of 'x' (every window of TP_TAPS of them: the points from
 * x[TP_CENTRE] to x[n - TP_TAPS + TP_CENTRE]). Thread-safe.
 */
float tp_peak(const float *x, size_t n);

/*
 * A bound on what tp_peak() can return over the largest magnitude among
 * the samples it reads (the largest sum of a phase's tap magnitudes).
 */
float tp_gain_bound(void);

#endif
