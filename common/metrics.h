/* Process-wide metrics registry, rendered in Prometheus text format by the HTTP endpoint.
 * Thread-safe. Names follow Prometheus conventions (reportd_*_total for counters); labels
 * are passed preformatted: "source=\"nanyue\",reason=\"timeout\"" (NULL for none).
 * Label values must be escaped with rpt_metrics_label_escape() when they come from input. */
#ifndef REPORTD_COMMON_METRICS_H
#define REPORTD_COMMON_METRICS_H

#include <stddef.h>

#include "common/buf.h"

typedef enum { RPT_METRIC_COUNTER, RPT_METRIC_GAUGE, RPT_METRIC_HISTOGRAM } rpt_metric_type;

/* Declares a metric family (help text and type). Declaring twice is harmless. */
void rpt_metrics_declare(const char *name, rpt_metric_type type, const char *help);
void rpt_metrics_add(const char *name, const char *labels, double delta);
#define rpt_metrics_inc(name, labels) rpt_metrics_add(name, labels, 1.0)
void rpt_metrics_set(const char *name, const char *labels, double value);
/* Records one observation into a histogram (fixed latency buckets in seconds). */
void rpt_metrics_observe(const char *name, const char *labels, double value);
/* Current value of a counter or gauge series (0 when absent); for tests and status lines. */
double rpt_metrics_get(const char *name, const char *labels);
/* Appends the whole registry in Prometheus text exposition format 0.0.4. */
void rpt_metrics_render(rpt_buf *out);
/* Writes `value` into out escaped for a label value (backslash, quote, newline). */
void rpt_metrics_label_escape(rpt_buf *out, const char *value);
/* Drops every series (tests). */
void rpt_metrics_reset(void);

#endif
