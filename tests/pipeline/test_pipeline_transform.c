/* The transform role end to end with the load role: raw documents become warehouse rows,
 * poison raw messages land in reports.dlq and then reports.rejects with their reason while
 * the rest flows, messages in the previous format (JSON value) and with non-UTF-8 validators
 * in their headers are transformed like the others, offsets are committed after delivery, and `reportd replay` re-derives
 * every document with a bumped transform version or only the messages after a time. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/metrics.h"
#include "pipeline/load.h"
#include "pipeline/transform.h"
#include "pipeline_util.h"
#include "support/raw_topic.h"
#include "test.h"
#include "transforms/extract.h"

#define DOCS 30

static const char *pg;
static char *cfg_path;

/* Produces documents from..to-1 in the current format, or (json) as earlier versions did. */
static void produce_raw_as(rd_kafka_t *p, int from, int to, int variant, int json)
{
    for (int i = from; i < to; i++) {
        rpt_raw_message m;
        tp_raw_doc(i, variant, &m);
        if (i == 0 || i == DOCS - 1) {
            /* validators with bytes that are not UTF-8: the document must still load */
            m.etag = strdup("\"\xff\xfe-etag\"");
            m.last_modified = strdup("Mon, 02 Jun 2025 08:00:00 \xff" "GMT");
        }
        CHECK(raw_produce(p, &m, json) == 0);
        rpt_raw_message_clear(&m);
    }
}

static void produce_raw(rd_kafka_t *p, int from, int to, int variant)
{
    produce_raw_as(p, from, to, variant, 0);
}

/* Waits until `sql` returns want. */
static int wait_count(PGconn *c, const char *sql, long long want, int timeout_s)
{
    time_t deadline = time(NULL) + timeout_s;
    long long got = -1;
    while (time(NULL) < deadline) {
        if ((got = tp_query_ll(c, sql)) == want) return 0;
        tp_sleep_ms(200);
    }
    fprintf(stderr, "timeout: %s = %lld, want %lld\n", sql, got, want);
    return -1;
}

/* Runs `reportd replay` with the transform version in the environment; returns its
 * summary line (caller frees) or NULL when it failed. */
static char *replay(int version, const char *topic, const char *from)
{
    rpt_buf cmd = RPT_BUF_INIT;
    rpt_buf_printf(&cmd,
                  "REPORTD_TRANSFORM_VERSION=%d '%s' replay --config '%s' --topic %s --from '%s' "
                  "2>%s/replay.err",
                  version, getenv("REPORTD_BIN"), cfg_path, topic, from,
                  getenv("REPORTD_TEST_TMP"));
    FILE *f = popen(cmd.data, "r");
    rpt_buf_clear(&cmd);
    if (!f) return NULL;
    char line[512] = {0};
    char *ok = fgets(line, sizeof line, f);
    int rc = pclose(f);
    if (!ok || rc != 0) {
        fprintf(stderr, "replay failed (status %d): %s\n", rc, line);
        return NULL;
    }
    fprintf(stderr, "%s", line);
    return strdup(line);
}

static void now_rfc3339(char *out, size_t n)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, n, "%s.%03dZ", base, (int)(tv.tv_usec / 1000));
}

/* Indicators the transform stage counted in this process (reportd_extract_indicators_total,
 * both kinds). */
static double indicators_counted(void)
{
    return rpt_metrics_get("reportd_extract_indicators_total", "kind=\"actual\"") +
           rpt_metrics_get("reportd_extract_indicators_total", "kind=\"target\"");
}

static void test_transform_replay(void)
{
    REQUIRE(tp_migrate(pg) == 0);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    produce_raw(p, 0, DOCS / 2, 0);
    const char *poison =
        "{\"schema\":1,\"doc_id\":\"p1\",\"url\":\"http://x/1\",\"body_base64\":\"***\"}";
    CHECK(tp_produce(p, "reports.raw", "p1", poison, strlen(poison)) == 0);
    CHECK(tp_produce(p, "reports.raw", "p2", "\x01\x02 not json", 11) == 0);
    /* the second half as the previous version produced it (JSON value, body in base64): a
     * topic written before the upgrade still transforms */
    produce_raw_as(p, DOCS / 2, DOCS, 0, 1);
    REQUIRE(tp_flush(p) == 0);

    tp_stage tr, ld;
    double indicators_before = indicators_counted();
    double documents_before = rpt_metrics_get("reportd_extract_documents_total", "indicators=\"yes\"");
    REQUIRE(tp_stage_start(&tr, cfg_path, rpt_role_transform) == 0);
    REQUIRE(tp_stage_start(&ld, cfg_path, rpt_role_load) == 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    CHECK(wait_count(c, "SELECT count(*) FROM reports.documents", DOCS, 90) == 0);
    CHECK(wait_count(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'transform'", 2, 60) ==
          0);
    CHECK_INT(
        tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE stage = 'transform' AND "
                       "doc_id = 'p1' AND reason LIKE '%base64%' AND kafka_topic = 'reports.raw'"),
        1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects WHERE doc_id = 'p2' AND "
                             "reason LIKE '%not JSON%' AND payload LIKE '%not json%'"),
              1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM reports.documents WHERE transform_version = %d "
             "AND raw_topic = 'reports.raw' AND source = 'nanyue-edu' AND length(sha256) = 64 "
             "AND url LIKE 'http://portal.test/jyj/raw-%%'",
             RPT_TRANSFORM_VERSION);
    CHECK_INT(tp_query_ll(c, sql), DOCS);
    /* both formats, and the two documents with non-UTF-8 validators, were loaded */
    {
        rpt_raw_message first, last;
        tp_raw_doc(0, 0, &first);
        tp_raw_doc(DOCS - 1, 0, &last);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM reports.documents WHERE doc_id IN ('%s', '%s')",
                 first.doc_id, last.doc_id);
        CHECK_INT(tp_query_ll(c, sql), 2);
        rpt_raw_message_clear(&first);
        rpt_raw_message_clear(&last);
    }
    CHECK(atomic_load(&tr.ctl.ready) == 1);
    /* the transform stage counts what extraction found (the transforms count nothing): at
     * least the indicators now in the warehouse, every document having some */
    long long indicator_rows = tp_query_ll(c, "SELECT count(*) FROM reports.indicators");
    CHECK(indicator_rows > 0);
    CHECK(indicators_counted() - indicators_before >= (double)indicator_rows);
    CHECK(rpt_metrics_get("reportd_extract_documents_total", "indicators=\"yes\"") -
              documents_before >=
          DOCS);

    /* the transform group's committed offsets cover every raw message */
    rd_kafka_t *probe = NULL;
    {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", getenv("REPORTD_TEST_BROKER"), errstr,
                          sizeof errstr);
        rd_kafka_conf_set(conf, "group.id", "reportd-transform", errstr, sizeof errstr);
        probe = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    }
    REQUIRE(probe);
    long long committed = 0;
    for (int t = 0; t < 100 && committed < DOCS + 2; t++) {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(4);
        for (int part = 0; part < 4; part++)
            rd_kafka_topic_partition_list_add(l, "reports.raw", part);
        committed = 0;
        if (rd_kafka_committed(probe, l, 5000) == 0)
            for (int i = 0; i < l->cnt; i++)
                if (l->elems[i].offset > 0) committed += l->elems[i].offset;
        rd_kafka_topic_partition_list_destroy(l);
        if (committed < DOCS + 2) tp_sleep_ms(100);
    }
    CHECK_INT(committed, DOCS + 2);
    rd_kafka_destroy(probe);

    /* replay from earliest with a bumped version: every document updated */
    int v2 = RPT_TRANSFORM_VERSION + 1, v3 = RPT_TRANSFORM_VERSION + 2;
    char *sum = replay(v2, "reports.raw", "earliest");
    CHECK(sum && strstr(sum, "updated 30, unchanged 0, rejected 2"));
    free(sum);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM reports.documents WHERE transform_version = %d",
             v2);
    CHECK(wait_count(c, sql, DOCS, 60) == 0);
    /* the same again: the warehouse already holds this version of the same bytes */
    sum = replay(v2, "reports.raw", "earliest");
    CHECK(sum && strstr(sum, "updated 0, unchanged 30, rejected 2"));
    free(sum);

    /* new versions of five documents after time T; replay from T touches only those */
    tp_sleep_ms(1100);
    char t[40];
    now_rfc3339(t, sizeof t);
    tp_sleep_ms(1100);
    long long parsed_before = tp_topic_end("reports.parsed");
    produce_raw(p, 0, 5, 1);
    REQUIRE(tp_flush(p) == 0);
    /* the running transform (older version) re-extracts them; the loader keeps the rows of
     * the newer version */
    for (int i = 0; i < 300 && tp_topic_end("reports.parsed") < parsed_before + 5; i++)
        tp_sleep_ms(100);
    CHECK_INT(tp_topic_end("reports.parsed"), parsed_before + 5);
    sum = replay(v3, "reports.raw", t);
    CHECK(sum && strstr(sum, "updated 5, unchanged 0, rejected 0"));
    free(sum);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM reports.documents WHERE transform_version = %d",
             v3);
    CHECK(wait_count(c, sql, 5, 60) == 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM reports.documents WHERE transform_version = %d",
             v2);
    CHECK_INT(tp_query_ll(c, sql), DOCS - 5);

    /* replaying reports.parsed from earliest changes nothing: every message is older than
     * or equal to what the documents hold */
    long long parsed_end = tp_topic_end("reports.parsed");
    char *before = tp_tables_checksum(c);
    sum = replay(v3, "reports.parsed", "earliest");
    CHECK(sum && strstr(sum, "documents updated 0,"));
    char expect[96];
    snprintf(expect, sizeof expect, "unchanged %lld, rejected 0", parsed_end);
    CHECK(sum && strstr(sum, expect));
    free(sum);
    char *after = tp_tables_checksum(c);
    CHECK(before && after && strcmp(before, after) == 0);
    free(before);
    free(after);

    /* broker down while new documents arrive, then up: both stages recover by themselves */
    pid_t broker = (pid_t)atoi(t_env("REPORTD_TEST_BROKER_PID"));
    CHECK(kill(broker, SIGUSR1) == 0);
    produce_raw(p, 100, 103, 0); /* queued in the producer until the broker is back */
    tp_sleep_ms(3000);
    CHECK(kill(broker, SIGUSR2) == 0);
    REQUIRE(tp_flush(p) == 0);
    CHECK(wait_count(c, "SELECT count(*) FROM reports.documents", DOCS + 3, 90) == 0);

    rd_kafka_destroy(p);
    CHECK_INT(tp_stage_stop(&tr), 0);
    CHECK_INT(tp_stage_stop(&ld), 0);
    PQfinish(c);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    t_env("REPORTD_BIN");
    cfg_path = tp_write_config("transform", pg, "\"batch_latency_ms\": 50");
    return cfg_path ? 0 : 1;
}

static void teardown(void)
{
    free(cfg_path);
}

TEST_MAIN_WITH(setup, teardown, T(test_transform_replay))
