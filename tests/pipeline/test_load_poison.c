/* Poison messages against the real PostgreSQL: one message PostgreSQL keeps refusing must
 * not stop the loader. A non-UTF-8 key (its reject row used to be refused, the batch retried
 * forever and every partition frozen), a document refused only at COMMIT by a deferred
 * constraint (isolated by splitting the batch, then rejected with PostgreSQL's reason), and
 * a batch that keeps failing on something that is not its data: the loader stops
 * heart-beating after load.stall_s, and resumes once the cause is gone. */
#include <string.h>
#include <time.h>

#include "common/metrics.h"
#include "pipeline/load.h"
#include "pipeline_util.h"
#include "test.h"

static const char *pg;

static void produce_docs(rd_kafka_t *p, int from, int to)
{
    for (int i = from; i < to; i++) {
        rpt_buf v = RPT_BUF_INIT;
        char key[32];
        snprintf(key, sizeof key, "doc-%d", i);
        tp_parsed_doc(i, 1, 0, &v);
        CHECK(tp_produce(p, "reports.parsed", key, v.data, v.len) == 0);
        rpt_buf_free(&v);
    }
}

static void exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

static long now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec;
}

static void test_poison_isolated(void)
{
    REQUIRE(tp_migrate(pg) == 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    /* An operator's deferred constraint that refuses doc-13 at COMMIT only: no single
     * statement fails, the whole transaction does. */
    exec_ok(c, "CREATE FUNCTION reports.t_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "IF NEW.doc_id = 'doc-13' THEN RAISE EXCEPTION 'doc-13 is poisoned' USING "
               "ERRCODE = 'check_violation'; END IF; RETURN NULL; END $$");
    exec_ok(c, "CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON reports.documents DEFERRABLE "
               "INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports.t_refuse()");

    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_docs(p, 0, 40);
    /* not UTF-8, and a NUL inside: the key is any bytes */
    static const char bad_key[] = "\xff\xfe-bad\x80";
    CHECK(tp_produce(p, "reports.parsed", bad_key, "not json \xff", 10) == 0);
    rd_kafka_producev(p, RD_KAFKA_V_TOPIC("reports.parsed"), RD_KAFKA_V_KEY("nul\0key", 7),
                      RD_KAFKA_V_VALUE((void *)"x", 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                      RD_KAFKA_V_END);
    produce_docs(p, 40, 60);
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);

    char *cfg = tp_write_config("poison", pg, "\"batch_size\": 100, \"batch_latency_ms\": 200");
    REQUIRE(cfg);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg, rpt_role_load) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          60) == 0);
    CHECK_INT(tp_stage_stop(&s), 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), 59);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id = 'doc-13'"), 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects"), 3);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'load' AND "
                             "doc_id = '\\xFF\\xFE-bad\\x80' AND reason LIKE '%not JSON%' AND "
                             "payload IS NULL"),
              1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE doc_id = 'nul\\x00key'"),
              1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'load' AND "
                             "doc_id = 'doc-13' AND reason LIKE '%doc-13 is poisoned%' AND "
                             "payload LIKE '{%'"),
              1);
    free(cfg);
    PQfinish(c);
}

/* A failure that is not about the data (here a trigger raising a plain exception) is
 * retried, not rejected; past load.stall_s the heartbeat stops; once the cause is gone
 * the batch goes in and the heartbeat resumes. */
static void test_stall_withholds_heartbeat(void)
{
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    exec_ok(c, "CREATE FUNCTION reports.t_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'broken trigger'; END $$");
    exec_ok(c, "CREATE TRIGGER broken BEFORE INSERT ON reports.sources FOR EACH ROW EXECUTE "
               "FUNCTION reports.t_broken()");
    exec_ok(c, "DELETE FROM reports.sources");
    char *cfg = tp_write_config("stall", pg, "\"batch_size\": 100, \"stall_s\": 2");
    REQUIRE(cfg);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg, rpt_role_load) == 0);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_docs(p, 100, 110);
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    long long want = tp_topic_end("reports.parsed");
    tp_sleep_ms(7000);
    long age = now_s() - atomic_load(&s.ctl.heartbeat);
    CHECK(age >= 3); /* withheld */
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id = 'doc-100'"),
              0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE doc_id LIKE 'doc-10_'"),
              0);
    exec_ok(c, "DROP TRIGGER broken ON reports.sources");
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", want, 60) == 0);
    tp_sleep_ms(1500);
    age = now_s() - atomic_load(&s.ctl.heartbeat);
    CHECK(age <= 1); /* heart-beating again */
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id LIKE 'doc-10_'"),
              10);
    CHECK_INT(tp_stage_stop(&s), 0);
    free(cfg);
    PQfinish(c);
}

int main(void)
{
    pg = t_env("REPORTD_TEST_PG");
    const t_case cases[] = {T(test_poison_isolated), T(test_stall_withholds_heartbeat)};
    t_run_cases(cases, sizeof cases / sizeof *cases);
    fprintf(stderr, "%d checks, %d failed\n", t_checks, t_failures);
    return t_failures ? 1 : 0;
}
