/* The load role against the harness's PostgreSQL and dev-broker: migrations, loading,
 * version ordering, per-message rejects with the rest of the batch committed, the schema
 * guard, the read-only BI role, a PostgreSQL restart and a broker outage mid-load. The
 * final tables must equal those of a clean run of the same messages into another
 * database. */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "pipeline/load.h"
#include "common/metrics.h"
#include "pipeline_util.h"
#include "test.h"

static const char *pg;
static char *cfg_path;

static void produce_docs(rd_kafka_t *p, int from, int to, int version, int variant)
{
    for (int i = from; i < to; i++) {
        rpt_buf v = RPT_BUF_INIT;
        char key[32];
        snprintf(key, sizeof key, "doc-%d", i);
        tp_parsed_doc(i, version, variant, &v);
        CHECK(tp_produce(p, "reports.parsed", key, v.data, v.len) == 0);
        rpt_buf_clear(&v);
    }
}

static void test_migrate(void)
{
    REQUIRE(tp_migrate(pg) == 0);
    REQUIRE(tp_migrate(pg) == 0); /* idempotent */
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    CHECK(tp_query_ll(c, "SELECT count(*) FROM reports.schema_version WHERE version = 1") == 1);
    CHECK(
        tp_query_ll(
            c, "SELECT count(*) FROM pg_roles WHERE rolname = 'reports_reader' AND rolcanlogin") ==
        1);
    PQfinish(c);
    /* the reader sees the views, not the tables */
    rpt_buf ci = RPT_BUF_INIT;
    rpt_buf_printf(&ci, "%s user=reports_reader", pg);
    c = PQconnectdb(ci.data);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult *r = PQexec(c, "SELECT count(*) FROM reports.indicator_facts");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    PQclear(r);
    r = PQexec(c, "SELECT count(*) FROM reports.region_year_summary");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    PQclear(r);
    r = PQexec(c, "SELECT count(*) FROM reports.documents");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    r = PQexec(c, "DELETE FROM reports.indicator_facts");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    PQfinish(c);
    rpt_buf_clear(&ci);
}

/* Poison messages: not JSON, a bad kind (refused by the decoder), an impossible date
 * (refused by PostgreSQL inside the batch), and a transform-stage DLQ item. */
static void produce_poison(rd_kafka_t *p)
{
    const char *garbage = "this is not json";
    CHECK(tp_produce(p, "reports.parsed", "poison-1", garbage, strlen(garbage)) == 0);
    rpt_buf v = RPT_BUF_INIT;
    tp_parsed_doc(900001, 1, 0, &v);
    char *k = strstr(v.data, "\"kind\":\"actual\"");
    if (k) memcpy(k, "\"kind\":\"ACTUAL\"", 15);
    CHECK(tp_produce(p, "reports.parsed", "doc-900001", v.data, v.len) == 0);
    rpt_buf_reset(&v);
    tp_parsed_doc(900002, 1, 0, &v);
    char *d = strstr(v.data, "-05-30T12:02:29+08:00");
    if (d) memcpy(d, "-02-30", 6);
    CHECK(tp_produce(p, "reports.parsed", "doc-900002", v.data, v.len) == 0);
    rpt_buf_clear(&v);
    const char *dlq =
        "{\"schema\":1,\"stage\":\"transform\",\"reason\":\"extract: no text\","
        "\"doc_id\":\"deadbeef\",\"topic\":\"reports.raw\",\"partition\":1,\"offset\":7,"
        "\"value\":\"x\"}";
    CHECK(tp_produce(p, "reports.dlq", "deadbeef", dlq, strlen(dlq)) == 0);
}

static void test_load_and_rejects(void)
{
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_docs(p, 0, 200, 1, 0);
    produce_docs(p, 0, 10, 2, 1);  /* newer version: replaces */
    produce_docs(p, 0, 10, 1, 7);  /* older version after it: ignored */
    produce_docs(p, 10, 20, 2, 3); /* same version later: replaces */
    produce_docs(p, 10, 20, 2, 4);
    produce_poison(p);
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg_path, rpt_role_load) == 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          90) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.dlq", tp_topic_end("reports.dlq"), 30) == 0);
    CHECK(atomic_load(&s.ctl.ready) == 1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), 200);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.sections"), 600);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.indicators"), 200 * 6 + 40 * 10);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE transform_version = 2"),
              20);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id IN "
                             "('doc-0','doc-9') AND title LIKE '%第1版%'"),
              2);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id IN "
                             "('doc-10','doc-19') AND title LIKE '%第4版%'"),
              2);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.indicators WHERE doc_id = 'doc-3' "
                             "AND metric LIKE '%版本1%'"),
              9);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.sources"), 2);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects"), 4);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'load' AND "
                             "reason LIKE '%not JSON%'"),
              1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'load' AND "
                             "doc_id = 'doc-900001' AND reason LIKE '%kind%'"),
              1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'load' AND "
                             "doc_id = 'doc-900002' AND reason LIKE '%date/time%'"),
              1);
    CHECK_INT(
        tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'transform' AND "
                       "kafka_topic = 'reports.raw' AND kafka_partition = 1 AND kafka_offset = 7 "
                       "AND reason = 'extract: no text'"),
        1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.indicator_facts WHERE region = '南岳区' "
                             "AND section_part = 'review'"),
              tp_query_ll(c,
                          "SELECT count(*) FROM reports.indicators i JOIN reports.documents d "
                          "USING (doc_id) LEFT JOIN reports.sections s ON s.doc_id = i.doc_id AND "
                          "s.ord = i.section WHERE d.region = '南岳区' AND coalesce(s.part, "
                          "'review') = 'review'"));
    CHECK(rpt_metrics_get("reportd_load_documents_total", "result=\"rejected\"") >= 4);
    CHECK_INT(tp_stage_stop(&s), 0);
    PQfinish(c);
}

/* A failing migration is rolled back whole and not recorded; `reportd migrate` finds its
 * folder through REPORTD_SQL_DIR and reports the version. */
static void test_migrate_failure(void)
{
    rpt_buf dir = RPT_BUF_INIT, cmd = RPT_BUF_INIT;
    rpt_buf_printf(&dir, "%s/sql-bad", t_env("REPORTD_TEST_TMP"));
    rpt_buf_printf(&cmd, "mkdir -p '%s' && cp '%s/deploy/sql/'*.sql '%s/'", dir.data,
                  t_env("REPORTD_SOURCE_DIR"), dir.data);
    REQUIRE(system(cmd.data) == 0);
    rpt_buf path = RPT_BUF_INIT;
    rpt_buf_printf(&path, "%s/900_broken.sql", dir.data);
    FILE *f = fopen(path.data, "w");
    REQUIRE(f);
    fputs("CREATE TABLE reports.half_done (id int);\nSELECT no_such_function();\n", f);
    fclose(f);
    rpt_buf_reset(&cmd);
    rpt_buf_printf(&cmd, "REPORTD_SQL_DIR='%s' '%s' migrate --config '%s' 2>/dev/null", dir.data,
                  t_env("REPORTD_BIN"), cfg_path);
    CHECK(system(cmd.data) != 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.schema_version WHERE version = 900"), 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"), 0);
    /* fixed, it applies and is recorded; the loader then refuses: it does not know 900 */
    f = fopen(path.data, "w");
    REQUIRE(f);
    fputs("CREATE TABLE reports.half_done (id int);\n", f);
    fclose(f);
    rpt_buf_reset(&cmd);
    rpt_buf_printf(&cmd, "REPORTD_SQL_DIR='%s' '%s' migrate --config '%s' 2>/dev/null", dir.data,
                  t_env("REPORTD_BIN"), cfg_path);
    FILE *out = popen(cmd.data, "r");
    REQUIRE(out);
    char line[256] = {0};
    CHECK(fgets(line, sizeof line, out) != NULL);
    CHECK(pclose(out) == 0);
    CHECK(strstr(line, "schema version 900") != NULL);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.schema_version WHERE version = 900"), 1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"), 1);
    PQclear(PQexec(
        c, "DROP TABLE reports.half_done; DELETE FROM reports.schema_version WHERE version = 900"));
    PQfinish(c);
    rpt_buf_clear(&dir);
    rpt_buf_clear(&cmd);
    rpt_buf_clear(&path);
}

static void test_schema_guard(void)
{
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "INSERT INTO reports.schema_version (version, name) VALUES (999, 'future')"));
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg_path, rpt_role_load) == 0);
    pthread_join(s.thread, NULL); /* returns by itself: refuses to run */
    s.running = 0;
    CHECK_INT(s.rc, -1);
    CHECK(atomic_load(&s.ctl.ready) == 0);
    rpt_config_holder_free(s.ctl.config);
    PQclear(PQexec(c, "DELETE FROM reports.schema_version WHERE version = 999"));
    PQfinish(c);
}

static void signal_broker(int sig)
{
    pid_t pid = (pid_t)atoi(t_env("REPORTD_TEST_BROKER_PID"));
    CHECK(kill(pid, sig) == 0);
}

/* PostgreSQL restarted while a large backlog loads, then the broker down and up: the
 * loader recovers by itself and ends with exactly the clean run's rows. */
static void test_restarts(void)
{
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_docs(p, 200, 1400, 1, 0);
    REQUIRE(tp_flush(p) == 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg_path, rpt_role_load) == 0);
    long long before = tp_query_ll(c, "SELECT count(*) FROM reports.documents");
    for (int i = 0; i < 200 && tp_query_ll(c, "SELECT count(*) FROM reports.documents") == before;
         i++)
        tp_sleep_ms(10);
    rpt_buf cmd = RPT_BUF_INIT;
    rpt_buf_printf(&cmd, "%s restart -m fast >/dev/null", t_env("REPORTD_TEST_PGCTL"));
    CHECK(system(cmd.data) == 0);
    PQreset(c);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          120) == 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), 1400);

    /* PostgreSQL down while documents arrive: the loader's transaction fails, is counted in
     * reportd_load_db_errors_total and retried until the server is back (a restart alone may
     * fall between two transactions) */
    const char *db_errors_name = "reportd_load_db_errors_total";
    double db_errors = rpt_metrics_get(db_errors_name, NULL);
    rpt_buf_reset(&cmd);
    rpt_buf_printf(&cmd, "%s stop -m fast >/dev/null", t_env("REPORTD_TEST_PGCTL"));
    CHECK(system(cmd.data) == 0);
    produce_docs(p, 1400, 1450, 1, 0);
    REQUIRE(tp_flush(p) == 0);
    for (int i = 0; i < 600 && rpt_metrics_get(db_errors_name, NULL) <= db_errors; i++)
        tp_sleep_ms(100);
    CHECK(rpt_metrics_get(db_errors_name, NULL) > db_errors);
    rpt_buf_reset(&cmd);
    rpt_buf_printf(&cmd, "%s start >/dev/null", t_env("REPORTD_TEST_PGCTL"));
    CHECK(system(cmd.data) == 0);
    PQreset(c);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          120) == 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), 1450);

    signal_broker(SIGUSR1);
    tp_sleep_ms(3000);
    signal_broker(SIGUSR2);
    produce_docs(p, 1450, 1500, 1, 0);
    produce_docs(p, 500, 600, 2, 5);
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          120) == 0);
    CHECK_INT(tp_stage_stop(&s), 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), 1500);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE title LIKE '%第5版%'"),
              100);

    /* the clean run: the same messages, one uninterrupted loader, another database */
    PQclear(PQexec(c, "CREATE DATABASE reports_clean"));
    rpt_buf clean = RPT_BUF_INIT;
    rpt_buf_printf(&clean, "%s dbname=reports_clean", pg);
    REQUIRE(tp_migrate(clean.data) == 0);
    char *clean_cfg = tp_write_config("clean", clean.data, "\"batch_size\": 1000");
    REQUIRE(tp_stage_start(&s, clean_cfg, rpt_role_load) == 0);
    PGconn *cc = PQconnectdb(clean.data);
    REQUIRE(PQstatus(cc) == CONNECTION_OK);
    CHECK(tp_wait_offsets(cc, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          120) == 0);
    CHECK(tp_wait_offsets(cc, "reportd-load", "reports.dlq", tp_topic_end("reports.dlq"), 30) == 0);
    CHECK_INT(tp_stage_stop(&s), 0);
    char *a = tp_tables_checksum(c), *b = tp_tables_checksum(cc);
    CHECK(a && b && strcmp(a, b) == 0);
    fprintf(stderr, "tables after restarts: %s\nclean run:            %s\n", a ? a : "?",
            b ? b : "?");
    CHECK_INT(tp_query_ll(cc, "SELECT count(*) FROM reports.rejects"), 4);
    /* none of the rejected documents loaded since: all four stand */
    CHECK_INT(tp_query_ll(cc, "SELECT count(*) FROM reports.open_rejects"), 4);
    free(a);
    free(b);
    free(clean_cfg);
    rpt_buf_clear(&clean);
    rpt_buf_clear(&cmd);
    PQfinish(cc);
    PQfinish(c);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    cfg_path = tp_write_config("load", pg, "\"batch_size\": 100, \"batch_latency_ms\": 50");
    return cfg_path ? 0 : 1;
}

static void teardown(void)
{
    free(cfg_path);
}

/* reports.open_rejects (006): a reject followed by a load of its document is left out; a
 * reject after the last load, one of a document never loaded, one without a doc_id and one
 * written in the same transaction as the load stand. In a database of its own. */
static void test_open_rejects(void)
{
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "DROP DATABASE IF EXISTS reports_open_rejects"));
    PQclear(PQexec(c, "CREATE DATABASE reports_open_rejects"));
    PQfinish(c);
    rpt_buf db = RPT_BUF_INIT;
    rpt_buf_printf(&db, "%s dbname=reports_open_rejects", pg);
    REQUIRE(tp_migrate(db.data) == 0);
    PGconn *d = PQconnectdb(db.data);
    REQUIRE(PQstatus(d) == CONNECTION_OK);
    static const char *const rows =
        "BEGIN;"
        "INSERT INTO reports.documents (doc_id, transform_version, kafka_topic, kafka_partition,"
        " kafka_offset, loaded_at) VALUES"
        " ('retried', 2, 'reports.parsed', 0, 1, now() - interval '1 minute'),"
        " ('failed-since', 2, 'reports.parsed', 0, 2, now() - interval '1 hour');"
        "INSERT INTO reports.rejects (stage, reason, doc_id, kafka_topic, kafka_partition,"
        " kafka_offset, rejected_at) VALUES"
        " ('transform', 'decoder timed out', 'retried', 'reports.raw', 0, 1,"
        "  now() - interval '10 minutes'),"
        " ('load', 'kind', 'failed-since', 'reports.parsed', 0, 3, now() - interval '5 minutes'),"
        " ('transform', 'no text', 'never-loaded', 'reports.raw', 0, 2, now()),"
        " ('load', 'not JSON', NULL, 'reports.parsed', 0, 4, now());"
        "COMMIT;"
        /* a load and a reject of one document in one transaction: both at now() */
        "BEGIN;"
        "INSERT INTO reports.documents (doc_id, transform_version, kafka_topic, kafka_partition,"
        " kafka_offset) VALUES ('same-batch', 2, 'reports.parsed', 0, 5);"
        "INSERT INTO reports.rejects (stage, reason, doc_id, kafka_topic, kafka_partition,"
        " kafka_offset) VALUES ('load', 'date/time', 'same-batch', 'reports.parsed', 0, 6);"
        "COMMIT;";
    PGresult *r = PQexec(d, rows);
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fprintf(stderr, "%s\n", PQerrorMessage(d));
    PQclear(r);
    CHECK_INT(tp_query_ll(d, "SELECT count(*) FROM reports.rejects"), 5);
    CHECK_INT(tp_query_ll(d, "SELECT count(*) FROM reports.open_rejects"), 4);
    CHECK_INT(tp_query_ll(d, "SELECT count(*) FROM reports.open_rejects WHERE doc_id = 'retried'"),
              0);
    CHECK_INT(tp_query_ll(d, "SELECT count(*) FROM reports.open_rejects WHERE doc_id IN "
                             "('failed-since', 'never-loaded', 'same-batch') OR doc_id IS NULL"),
              4);
    /* the document that failed since loads again: its reject no longer stands */
    PQclear(PQexec(d, "UPDATE reports.documents SET loaded_at = now() "
                      "WHERE doc_id = 'failed-since'"));
    CHECK_INT(tp_query_ll(d, "SELECT count(*) FROM reports.open_rejects "
                             "WHERE doc_id = 'failed-since'"),
              0);
    PQfinish(d);
    rpt_buf_clear(&db);
}

TEST_MAIN_WITH(setup, teardown, T(test_migrate), T(test_load_and_rejects), T(test_migrate_failure),
               T(test_schema_guard), T(test_restarts), T(test_open_rejects))
