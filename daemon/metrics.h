/* Process-wide metrics registry, rendered in Prometheus text format by the HTTP endpoint.
 * Thread-safe. Names follow Prometheus conventions (reportd_*_total for counters); labels
 * are passed preformatted: "source=\"nanyue\",reason=\"timeout\"" (NULL for none).
 * Label values must be escaped with rd_metrics_label_escape() when they come from input. */
#ifndef REPORTD_DAEMON_METRICS_H
#define REPORTD_DAEMON_METRICS_H

#include <stddef.h>

#include "common/buf.h"

typedef enum { RD_METRIC_COUNTER, RD_METRIC_GAUGE, RD_METRIC_HISTOGRAM } rd_metric_type;

/* Declares a metric family (help text and type). Declaring twice is harmless. */
void rd_metrics_declare(const char *name, rd_metric_type type, const char *help);
void rd_metrics_add(const char *name, const char *labels, double delta);
#define rd_metrics_inc(name, labels) rd_metrics_add(name, labels, 1.0)
void rd_metrics_set(const char *name, const char *labels, double value);
/* Records one observation into a histogram (fixed latency buckets in seconds). */
void rd_metrics_observe(const char *name, const char *labels, double value);
/* Current value of a counter or gauge series (0 when absent); for tests and status lines. */
double rd_metrics_get(const char *name, const char *labels);
/* Appends the whole registry in Prometheus text exposition format 0.0.4. */
void rd_metrics_render(rd_buf *out);
/* Writes `value` into out escaped for a label value (backslash, quote, newline). */
void rd_metrics_label_escape(rd_buf *out, const char *value);
/* Drops every series (tests). */
void rd_metrics_reset(void);

#endif
