/* A strict checker of the Prometheus text exposition format 0.0.4, for tests: metric and
 * label names, label value escapes, sample values, HELP/TYPE placement, contiguous
 * families, unique series, histogram buckets (le present, increasing, cumulative, +Inf equal
 * to _count) and non-negative counters. */
#ifndef REPORTD_TESTS_PROM_CHECK_H
#define REPORTD_TESTS_PROM_CHECK_H

#include <stddef.h>

#include "common/buf.h"

/* Returns the number of samples found, or -1 with "line N: reason" in err. */
int prom_check(const char *text, size_t len, rpt_buf *err);

#endif
