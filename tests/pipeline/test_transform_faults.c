/* The transform stage when producing goes wrong, against librdkafka's mock cluster in this
 * process (no services): a parsed message the broker refuses for good (message too large)
 * is dead-lettered with its raw message's coordinates and the stage goes on; deliveries that
 * keep failing stop the stage after a bounded number of attempts instead of retrying in
 * place forever; a fatal producer error (rd_kafka_fatal_error) stops it at once. In each
 * failure case nothing is committed and the run returns -1 (the runtime then exits, the
 * heartbeat stops). A document over the per-document bounds is dead-lettered. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "connectors/kafka/client.h"
#include "connectors/kafka/range.h"
#include "pipeline/messages/dlq.h"
#include "pipeline/transform.h"
#include "pipeline_util.h"
#include "support/raw_topic.h"
#include "test.h"

#define PRODUCE_API 0 /* Kafka's Produce request */

typedef struct cluster {
    rd_kafka_t *rk;
    rd_kafka_mock_cluster_t *mc;
    const char *bootstrap;
} cluster;

/* A one-broker mock cluster with the three topics (one partition each) and `docs` raw
 * documents in reports.raw. */
static int cluster_start(cluster *c, int docs)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
    c->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!c->rk) return -1;
    c->mc = rd_kafka_mock_cluster_new(c->rk, 1);
    if (!c->mc) return -1;
    c->bootstrap = rd_kafka_mock_cluster_bootstraps(c->mc);
    const char *topics[] = {"reports.raw", "reports.parsed", "reports.dlq"};
    for (int i = 0; i < 3; i++)
        if (rd_kafka_mock_topic_create(c->mc, topics[i], 1, 1)) return -1;
    conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", c->bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!p) return -1;
    int rc = 0;
    for (int i = 0; i < docs; i++) {
        rpt_raw_message m;
        tp_raw_doc(i, 0, &m);
        rc |= raw_produce(p, &m, 0);
        rpt_raw_message_clear(&m);
    }
    rc |= rd_kafka_flush(p, 10000) ? -1 : 0;
    rd_kafka_destroy(p);
    setenv("REPORTD_KAFKA_BOOTSTRAP_SERVERS", c->bootstrap, 1);
    return rc;
}

static void cluster_stop(cluster *c)
{
    if (c->mc) rd_kafka_mock_cluster_destroy(c->mc);
    if (c->rk) rd_kafka_destroy(c->rk);
    memset(c, 0, sizeof *c);
}

/* Replays all of reports.raw through the transform stage; returns its rc. */
static int run_transform(rpt_transform_stats *st)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, NULL, &err)) {
        fprintf(stderr, "config: %s\n", err.data);
        rpt_buf_clear(&err);
        return -2;
    }
    rpt_kafka_client_spec spec = {.kind = RPT_KAFKA_CONSUMER, .group = "t-range"};
    rd_kafka_t *rk = rpt_kafka_client_new(&cfg.kafka, &spec, &err);
    rd_kafka_topic_partition_list_t *start = NULL, *end = NULL;
    long long from_ms, to_ms;
    int rc = -2;
    if (rk && rpt_kafka_range_resolve(rk, "reports.raw", "earliest", NULL, &start, &end, &from_ms,
                                      &to_ms, &err) == 0) {
        rpt_role_ctl ctl = {.config = rpt_config_holder_new(&cfg), .instances = 1};
        rpt_transform_params p = {
            .stage = {.ctl = &ctl, .group = "t-faults", .start = start, .end = end,
                      .from_ms = -1, .to_ms = -1},
            .stats = st};
        rc = rpt_transform_run(&p);
        rpt_config_holder_free(ctl.config);
    } else {
        fprintf(stderr, "range: %s\n", err.data ? err.data : "no client");
        rpt_config_clear(&cfg);
    }
    if (rk) rd_kafka_destroy(rk);
    if (start) rd_kafka_topic_partition_list_destroy(start);
    if (end) rd_kafka_topic_partition_list_destroy(end);
    rpt_buf_clear(&err);
    return rc;
}

/* DLQ records of reports.dlq with stage transform; the last reason and raw offset seen. */
typedef struct dlq_seen {
    int n, raw_refs;
    char reason[256];
} dlq_seen;

static void read_dlq(const cluster *c, dlq_seen *s)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", c->bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "t-read", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, "reports.dlq", 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    for (int tries = 0; tries < 100; tries++) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m) continue;
        int eof = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
        if (!m->err) {
            rpt_dlq_record rec;
            rpt_buf err = RPT_BUF_INIT;
            if (rpt_dlq_decode(m->payload, m->len, &rec, &err) == 0) {
                s->n++;
                if (!strcmp(rec.topic, "reports.raw") && rec.offset >= 0) s->raw_refs++;
                snprintf(s->reason, sizeof s->reason, "%s", rec.reason);
                rpt_dlq_record_clear(&rec);
            }
            rpt_buf_clear(&err);
        }
        rd_kafka_message_destroy(m);
        if (eof) break;
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

static void test_refused_parsed_message_is_dead_lettered(void)
{
    cluster c = {0};
    REQUIRE(cluster_start(&c, 3) == 0);
    /* the first produce request of the stage (its parsed messages) is refused for good */
    rd_kafka_mock_push_request_errors(c.mc, PRODUCE_API, 1, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
    rpt_transform_stats st = {0};
    CHECK_INT(run_transform(&st), 0);
    /* every document ends somewhere: parsed, or dead-lettered with the reason */
    CHECK(st.produced + st.rejected == 3);
    CHECK(st.rejected >= 1);
    dlq_seen d = {0};
    read_dlq(&c, &d);
    CHECK_INT(d.n, (int)st.rejected);
    CHECK_INT(d.raw_refs, (int)st.rejected);
    CHECK(strstr(d.reason, "refused the parsed message") != NULL);
    cluster_stop(&c);
}

static void test_failing_deliveries_stop_the_stage(void)
{
    cluster c = {0};
    REQUIRE(cluster_start(&c, 2) == 0);
    /* every produce request is refused (not fatal, not a size problem), far more times than
     * the bound of attempts */
    rd_kafka_resp_err_t errs[200];
    for (int i = 0; i < 200; i++)
        errs[i] = RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED;
    rd_kafka_mock_push_request_errors_array(c.mc, PRODUCE_API, 200, errs);
    rpt_transform_stats st = {0};
    time_t t0 = time(NULL);
    CHECK_INT(run_transform(&st), -1);
    CHECK(time(NULL) - t0 < 60);
    CHECK_INT(st.produced, 0);
    cluster_stop(&c);
}

static void test_fatal_producer_error_stops_the_stage(void)
{
    cluster c = {0};
    REQUIRE(cluster_start(&c, 2) == 0);
    /* an idempotent producer out of sequence with the broker: rd_kafka_fatal_error() */
    rd_kafka_mock_push_request_errors(c.mc, PRODUCE_API, 3,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    rpt_transform_stats st = {0};
    time_t t0 = time(NULL);
    CHECK_INT(run_transform(&st), -1);
    CHECK(time(NULL) - t0 < 30);
    CHECK_INT(st.produced, 0);
    cluster_stop(&c);
}

/* A document with more indicators than transform.max_indicators is dead-lettered with the
 * bound in the reason, and the stage goes on to the next one. */
static void test_indicator_bound_rejects(void)
{
    cluster c = {0};
    REQUIRE(cluster_start(&c, 2) == 0);
    setenv("REPORTD_TRANSFORM_MAX_INDICATORS", "5", 1); /* every seed report has more */
    rpt_transform_stats st = {0};
    CHECK_INT(run_transform(&st), 0);
    unsetenv("REPORTD_TRANSFORM_MAX_INDICATORS");
    CHECK_INT((int)st.rejected, 2);
    CHECK_INT((int)st.produced, 0);
    dlq_seen d = {0};
    read_dlq(&c, &d);
    CHECK_INT(d.n, 2);
    CHECK(strstr(d.reason, "more than transform.max_indicators (5)") != NULL);
    cluster_stop(&c);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL: the transform did not stop within 240 s\n";
    if (write(2, msg, sizeof msg - 1)) _exit(1);
    _exit(1);
}

static int setup(void)
{
    signal(SIGALRM, on_alarm);
    alarm(240);
    if (!getenv("T_DEBUG")) {
        setenv("REPORTD_LOG_LEVEL", "error", 1);
        rpt_log_set_level(RPT_LOG_ERROR);
    }
    return getenv("REPORTD_SOURCE_DIR") ? 0 : 1; /* the synthetic documents' seed files */
}

TEST_MAIN_WITH(setup, NULL, T(test_refused_parsed_message_is_dead_lettered),
               T(test_failing_deliveries_stop_the_stage),
               T(test_fatal_producer_error_stops_the_stage), T(test_indicator_bound_rejects))
