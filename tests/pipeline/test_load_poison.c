/* Poison messages against the real PostgreSQL: one message PostgreSQL keeps refusing must
 * not stop the loader. A non-UTF-8 key (its reject row used to be refused, the batch retried
 * forever and every partition frozen), a document refused only at COMMIT by a deferred
 * constraint (isolated by splitting the batch, then rejected with PostgreSQL's reason), and
 * a batch that keeps failing on something that is not its data: the loader stops
 * heart-beating after load.stall_s, and resumes once the cause is gone. And replays never
 * roll a document back: versions are ordered by the fetch, not the reports.parsed offset. A
 * commit the database lost is loaded again after the next database error. */
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
        rpt_buf_clear(&v);
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

/* Replaces the first `from` in v by `to`. */
static void patch(rpt_buf *v, const char *from, const char *to)
{
    char *at = strstr(v->data, from);
    REQUIRE(at);
    rpt_buf out = RPT_BUF_INIT;
    rpt_buf_append(&out, v->data, (size_t)(at - v->data));
    rpt_buf_puts(&out, to);
    rpt_buf_puts(&out, at + strlen(from));
    rpt_buf_clear(v);
    *v = out;
}

/* Version `variant` of document i as the transform made it from the raw message at
 * raw_offset, fetched at `fetched_at` (NULL: no raw coordinates at all). */
static void produce_version(rd_kafka_t *p, int i, int variant, long long raw_offset,
                            const char *fetched_at)
{
    rpt_buf v = RPT_BUF_INIT;
    char key[32], from[64], to[64];
    snprintf(key, sizeof key, "doc-%d", i);
    tp_parsed_doc(i, 1, variant, &v);
    snprintf(from, sizeof from, "\"raw_offset\":%d", i);
    if (raw_offset >= 0) {
        snprintf(to, sizeof to, "\"raw_offset\":%lld", raw_offset);
        patch(&v, from, to);
    } else {
        patch(&v, from, "\"raw_offset\":null");
        patch(&v, "\"raw_topic\":\"reports.raw\"", "\"raw_topic\":null");
    }
    snprintf(to, sizeof to, "\"fetched_at\":\"%s\"", fetched_at);
    patch(&v, "\"fetched_at\":\"2025-06-01T08:00:00Z\"", to);
    CHECK(tp_produce(p, "reports.parsed", key, v.data, v.len) == 0);
    rpt_buf_clear(&v);
}

static long long title_variant(PGconn *c, int i)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT substring(title from '第([0-9]+)版')::int FROM reports.documents "
             "WHERE doc_id = 'doc-%d'", i);
    return tp_query_ll(c, sql);
}

/* v1 loaded, v2 loaded, then v1 again at a later reports.parsed offset (a replay of
 * reports.raw): the row stays v2. By raw offset (same raw partition), and by fetch time
 * when there are no raw coordinates. The same raw message transformed again still replaces
 * (same version of the fetch: the later parsed message wins, as before). */
static void test_replay_keeps_newest(void)
{
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    char *cfg = tp_write_config("order", pg, "\"batch_size\": 100, \"batch_latency_ms\": 50");
    REQUIRE(cfg);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg, rpt_role_load) == 0);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    /* one message per batch step, so that the table, not the batch, decides */
    const char *t1 = "2026-03-01T08:00:00Z", *t2 = "2026-03-08T16:00:00+08:00";
    int steps[][4] = {{1, 11, 1, 1}, {2, 25, 2, 2}, {1, 11, 1, 3}, {2, 25, 2, 4}};
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        produce_version(p, 300, steps[k][0], steps[k][1], steps[k][2] == 1 ? t1 : t2);
        produce_version(p, 301, steps[k][0], -1, steps[k][2] == 1 ? t1 : t2);
        REQUIRE(tp_flush(p) == 0);
        CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                              30) == 0);
        long long want = k == 0 || k == 2 ? (k == 0 ? 1 : 2) : 2;
        CHECK_INT(title_variant(c, 300), want);
        CHECK_INT(title_variant(c, 301), want);
    }
    /* v1 and v2 in one batch, v2 first: the batch's own choice follows the fetch too */
    produce_version(p, 302, 2, 40, t2);
    produce_version(p, 302, 1, 30, t1);
    produce_version(p, 303, 2, -1, t2);
    produce_version(p, 303, 1, -1, t1);
    REQUIRE(tp_flush(p) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          30) == 0);
    CHECK_INT(title_variant(c, 302), 2);
    CHECK_INT(title_variant(c, 303), 2);
    /* the same raw message transformed again (same fetch): the later one replaces */
    produce_version(p, 300, 5, 25, t2);
    REQUIRE(tp_flush(p) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          30) == 0);
    CHECK_INT(title_variant(c, 300), 5);
    rd_kafka_destroy(p);
    CHECK_INT(tp_stage_stop(&s), 0);
    free(cfg);
    PQfinish(c);
}

/* A commit PostgreSQL acknowledged and then lost (a crash with synchronous_commit off, a
 * failover to an asynchronous replica): the documents and the stored offset of the last
 * batch are gone while the loader's consumer is already past them. The next database error
 * (its connection is cut) makes the loader read on from the offsets PostgreSQL holds, so the
 * lost document is loaded again instead of skipped for good. */
static void test_lost_commit_is_reloaded(void)
{
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    char *cfg = tp_write_config("lost", pg, "\"batch_size\": 100, \"batch_latency_ms\": 100");
    REQUIRE(cfg);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, cfg, rpt_role_load) == 0);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_docs(p, 300, 310);
    REQUIRE(tp_flush(p) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          60) == 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id LIKE 'doc-30_'"),
              10);
    /* the lost commit: doc-309 (the last message of its partition) and its stored offset */
    exec_ok(c, "BEGIN");
    exec_ok(c, "UPDATE reports.kafka_offsets o SET next_offset = d.kafka_offset FROM "
               "reports.documents d WHERE d.doc_id = 'doc-309' AND o.consumer_group = "
               "'reportd-load' AND o.topic = d.kafka_topic AND o.partition = d.kafka_partition");
    exec_ok(c, "DELETE FROM reports.documents WHERE doc_id = 'doc-309'");
    exec_ok(c, "COMMIT");
    /* the crash: every other connection is cut */
    PQclear(PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                      "datname = current_database() AND pid <> pg_backend_pid()"));
    produce_docs(p, 310, 311); /* the next write meets the cut connection */
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    long long back = 0;
    for (int i = 0; i < 300 && back != 2; i++) { /* 30 s */
        back = tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE doc_id IN "
                              "('doc-309', 'doc-310')");
        if (back != 2) tp_sleep_ms(100);
    }
    CHECK_INT(back, 2);
    CHECK_INT(tp_stage_stop(&s), 0);
    free(cfg);
    PQfinish(c);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    return 0;
}

TEST_MAIN_WITH(setup, NULL, T(test_poison_isolated), T(test_stall_withholds_heartbeat),
               T(test_replay_keeps_newest), T(test_lost_commit_is_reloaded))
