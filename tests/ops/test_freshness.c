/* The freshness gauges: after a readiness probe, /metrics holds per source the time the
 * newest document was loaded and the newest published_at, from reports.documents; the
 * query is rate-limited; a database not migrated yet is quiet. Runs under with-services. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/metrics.h"
#include "daemon/freshness.h"
#include "daemon/probe.h"
#include "pipeline/config.h"
#include "test.h"

static PGconn *conn;

static void exec_ok(const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(conn));
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    PQclear(r);
}

static void test_unmigrated_database_is_quiet(void)
{
    CHECK_INT(rpt_freshness_update(conn, 1), 0);
}

static void test_probe_sets_gauges(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "REPORTD_POSTGRES_CONNINFO='%s' '%s' migrate >/dev/null 2>&1",
             t_env("REPORTD_TEST_PG"), t_env("REPORTD_BIN"));
    REQUIRE(system(cmd) == 0);
    exec_ok("INSERT INTO reports.documents (doc_id, source, published_at, loaded_at, transform_version,"
            " kafka_topic, kafka_partition, kafka_offset) VALUES"
            " ('a', 'nanyue', '2025-05-30T04:02:29Z', '2026-01-01T00:00:00Z', 1, 'reports.parsed', 0, 1),"
            " ('b', 'nanyue', '2024-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 1, 'reports.parsed', 0, 2),"
            " ('c', 'ha\"i', NULL, '2026-01-03T00:00:00Z', 1, 'reports.parsed', 1, 1)");
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    setenv("REPORTD_POSTGRES_CONNINFO", t_env("REPORTD_TEST_PG"), 1);
    REQUIRE(rpt_config_load(&cfg, NULL, &err) == 0);
    CHECK(rpt_probe_postgres(&cfg, 5, &err) == 0);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
    /* loaded: the later loaded_at; published: the later published_at (another row) */
    CHECK_NUM(rpt_metrics_get("reportd_newest_loaded_timestamp_seconds", "source=\"nanyue\""),
              1767312000.0);
    CHECK_NUM(rpt_metrics_get("reportd_newest_published_timestamp_seconds", "source=\"nanyue\""),
              1748577749.0);
    CHECK_NUM(rpt_metrics_get("reportd_newest_loaded_timestamp_seconds", "source=\"ha\\\"i\""),
              1767398400.0);
    rpt_buf out = RPT_BUF_INIT;
    rpt_metrics_render(&out);
    CHECK(strstr(out.data, "# TYPE reportd_newest_loaded_timestamp_seconds gauge") != NULL);
    CHECK(strstr(out.data, "reportd_newest_published_timestamp_seconds{source=\"nanyue\"}") != NULL);
    rpt_buf_clear(&out);
}

static void test_rate_limited_then_forced(void)
{
    exec_ok("INSERT INTO reports.documents (doc_id, source, published_at, loaded_at, transform_version,"
            " kafka_topic, kafka_partition, kafka_offset) VALUES"
            " ('d', 'nanyue', '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z', 1, 'reports.parsed', 0, 3)");
    CHECK_INT(rpt_freshness_update(conn, 0), 0); /* ran moments ago: skipped */
    CHECK_NUM(rpt_metrics_get("reportd_newest_loaded_timestamp_seconds", "source=\"nanyue\""),
              1767312000.0);
    CHECK_INT(rpt_freshness_update(conn, 1), 2);
    CHECK_NUM(rpt_metrics_get("reportd_newest_loaded_timestamp_seconds", "source=\"nanyue\""),
              1769904000.0);
    CHECK_NUM(rpt_metrics_get("reportd_newest_published_timestamp_seconds", "source=\"nanyue\""),
              1764547200.0);
}

static int setup(void)
{
    conn = PQconnectdb(t_env("REPORTD_TEST_PG"));
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect: %s", PQerrorMessage(conn));
        return 1;
    }
    return 0;
}

static void teardown(void)
{
    PQfinish(conn);
}

TEST_MAIN_WITH(setup, teardown, T(test_unmigrated_database_is_quiet), T(test_probe_sets_gauges),
               T(test_rate_limited_then_forced))
