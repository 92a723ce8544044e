#include "daemon/freshness.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/metrics.h"

#define LOADED "reportd_newest_loaded_timestamp_seconds"
#define PUBLISHED "reportd_newest_published_timestamp_seconds"

static _Atomic long long last_run; /* monotonic seconds of the last query */

void rpt_freshness_declare(void)
{
    rpt_metrics_declare("reportd_newest_loaded_timestamp_seconds", RPT_METRIC_GAUGE,
                       "Unix time the newest document of the source was loaded into PostgreSQL");
    rpt_metrics_declare("reportd_newest_published_timestamp_seconds", RPT_METRIC_GAUGE,
                       "newest publication time (published_at) among the source's loaded documents");
}

static long long mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

int rpt_freshness_update(PGconn *c, int force)
{
    long long now = mono_s(), prev = atomic_load(&last_run);
    if (!force && prev && now - prev < RPT_FRESHNESS_INTERVAL_S) return 0;
    rpt_freshness_declare();
    /* one row per source; to_regclass keeps a not-yet-migrated database quiet */
    PGresult *r = PQexec(c, "SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('reports.documents')");
    int exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    if (!exists) return 0; /* checked again at the next probe: the schema may come soon */
    atomic_store(&last_run, now);
    r = PQexec(c, "SELECT COALESCE(source, ''), "
                  "extract(epoch FROM max(loaded_at))::float8, "
                  "extract(epoch FROM max(published_at))::float8 "
                  "FROM reports.documents GROUP BY 1");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rpt_log_debug("freshness", "query failed", "error=\"%.*s\"",
                     (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    rpt_buf label = RPT_BUF_INIT;
    for (int i = 0; i < n; i++) {
        rpt_buf_reset(&label);
        rpt_buf_puts(&label, "source=\"");
        rpt_metrics_label_escape(&label, PQgetvalue(r, i, 0));
        rpt_buf_putc(&label, '"');
        if (!PQgetisnull(r, i, 1)) rpt_metrics_set(LOADED, label.data, atof(PQgetvalue(r, i, 1)));
        if (!PQgetisnull(r, i, 2)) rpt_metrics_set(PUBLISHED, label.data, atof(PQgetvalue(r, i, 2)));
    }
    rpt_buf_clear(&label);
    PQclear(r);
    return n;
}
