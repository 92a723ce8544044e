/* Freshness of the warehouse per source, for /metrics: when the newest document of each
 * source was loaded, and the newest publication date among its documents. Read from
 * reports.documents by the readiness probe (which already holds a PostgreSQL session), at
 * most every RPT_FRESHNESS_INTERVAL_S seconds, so the loader's code path is untouched and
 * every instance hosting a PostgreSQL role reports the same values. */
#ifndef REPORTD_DAEMON_FRESHNESS_H
#define REPORTD_DAEMON_FRESHNESS_H

#include <libpq-fe.h>

#define RPT_FRESHNESS_INTERVAL_S 30

/* Declares the two gauges:
 *   reportd_newest_loaded_timestamp_seconds{source}     max(loaded_at)
 *   reportd_newest_published_timestamp_seconds{source}  max(published_at)
 * (Unix seconds; the age is time() - value in PromQL). */
void rpt_freshness_declare(void);

/* Runs the query on `c` unless it ran less than RPT_FRESHNESS_INTERVAL_S ago (force: run
 * anyway) and sets the gauges. A schema not migrated yet is not an error. Returns the
 * number of sources seen, or -1 when the query failed. */
int rpt_freshness_update(PGconn *c, int force);

#endif
