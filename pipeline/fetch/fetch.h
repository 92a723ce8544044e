/* The fetch stage as a role (rpt_role_fetch in daemon/role.h: the continuous loop) and as
 * one pass (`reportd fetch --once`). Both share the machinery: one fetcher (one event
 * loop), one idempotent producer to reports.raw, one connection for reports.fetch_state. */
#ifndef REPORTD_PIPELINE_FETCH_FETCH_H
#define REPORTD_PIPELINE_FETCH_FETCH_H

#include <stdatomic.h>
#include <stddef.h>

#include "common/buf.h"
#include "pipeline/fetch/crawl_run.h"
#include "pipeline/config.h"

/* Outcome of one source's pass. */
typedef struct rpt_fetch_summary {
    char *source;
    rpt_crawl_counts counts;
    char *error; /* why the pass could not start, or NULL */
} rpt_fetch_summary;

/* True when this fetcher (instance of instances) handles the source `name`. */
int rpt_fetch_assigned(const char *name, int instance, int instances);

/* Runs one pass over every source assigned to instance/instances, until each is finished
 * (or *stop is set), then waits for the delivery reports and writes the fetch state.
 * Fills *out with one summary per source (caller frees with rpt_fetch_summaries_free).
 * Returns 0, or -1 with a reason in err when Kafka, PostgreSQL or the sources config
 * cannot be set up (failures inside a source are counted in its summary instead). */
int rpt_fetch_once(const rpt_config *cfg, int instance, int instances, atomic_int *stop,
                  rpt_fetch_summary **out, size_t *n, rpt_buf *err);
void rpt_fetch_summaries_free(rpt_fetch_summary *s, size_t n);

#endif
