/* Documents larger than Kafka's default message size (issue 11, finding 2): a 1.2 MB
 * document is produced to reports.raw whole (the producer's message.max.bytes follows
 * fetch.max_body_bytes), and a document that still cannot be produced (a producer limit
 * below it, as a topic's max.message.bytes would impose) ends in reports.dlq with stage
 * "fetch" and the reason, and in fetch_state with its hash, so that the next pass neither
 * downloads it again as new nor produces it. Runs passes in-process against the dev-broker
 * and PostgreSQL. */
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/hash.h"
#include "common/log.h"
#include "connectors/postgres/migrate.h"
#include "pipeline/fetch/fetch.h"
#include "pipeline/messages/dlq.h"
#include "pipeline/load.h"
#include "pipeline_util.h"
#include "support/raw_topic.h"
#include "test.h"

#define BIG_BYTES 1200000

static char g_inbox[512], g_cfg[512];

/* Writes a file of `bytes` bytes of report text into the inbox. */
static int write_big(const char *name, size_t bytes, char fill)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g_inbox, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    static const char line[] = "一、全区教育经费投入12.5亿元，新建学校3所，新增学位4500个。\n";
    size_t n = 0;
    while (n + sizeof line - 1 <= bytes) {
        fputs(line, f);
        n += sizeof line - 1;
    }
    for (; n < bytes; n++) fputc(fill, f);
    fclose(f);
    return 0;
}

/* One pass; returns the inbox summary's counts through the out-parameters. */
static int pass(const rpt_config *cfg, long *new_docs, long *unchanged, long *failed)
{
    atomic_int stop = 0;
    rpt_fetch_summary *s = NULL;
    size_t n = 0;
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_fetch_once(cfg, 0, 1, &stop, &s, &n, &err);
    if (rc) fprintf(stderr, "pass: %s\n", err.data);
    *new_docs = *unchanged = *failed = -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].source, "inbox")) {
            *new_docs = s[i].counts.new_docs + s[i].counts.changed;
            *unchanged = s[i].counts.unchanged;
            *failed = s[i].counts.failed;
        }
    rpt_fetch_summaries_free(s, n);
    rpt_buf_clear(&err);
    return rc;
}

/* Reads a topic from the beginning to its end; calls fn for each message. */
static long read_topic(const char *topic, void (*fn)(const rd_kafka_message_t *, void *), void *arg)
{
    rd_kafka_t *rk = consumer();
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    long n = 0;
    if (rd_kafka_metadata(rk, 0, t, &md, 10000) == 0 && md->topic_cnt == 1) {
        int parts = md->topics[0].partition_cnt, eof = 0;
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
        for (int p = 0; p < parts; p++)
            rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(rk, l);
        rd_kafka_topic_partition_list_destroy(l);
        time_t deadline = time(NULL) + 60;
        while (eof < parts && time(NULL) < deadline) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
            if (!m) continue;
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                eof++;
            } else if (!m->err) {
                fn(m, arg);
                n++;
            }
            rd_kafka_message_destroy(m);
        }
    }
    if (md) rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n;
}

typedef struct big_seen {
    int whole; /* raw messages of BIG_BYTES with a matching sha256 header */
} big_seen;

static void check_raw(const rd_kafka_message_t *m, void *arg)
{
    big_seen *s = arg;
    rpt_raw_message raw;
    rpt_buf err = RPT_BUF_INIT;
    if (raw_decode(m, &raw, &err) == 0) {
        char sha[65];
        rpt_sha256_hex(raw.body, raw.body_len, sha);
        if (raw.body_len == BIG_BYTES && raw.sha256 && !strcmp(sha, raw.sha256)) s->whole++;
        rpt_raw_message_clear(&raw);
    }
    rpt_buf_clear(&err);
}

typedef struct dlq_seen {
    int fetch_rejects;
    char reason[256];
} dlq_seen;

static void check_dlq(const rd_kafka_message_t *m, void *arg)
{
    dlq_seen *s = arg;
    rpt_dlq_record rec;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_dlq_decode(m->payload, m->len, &rec, &err) == 0) {
        if (!strcmp(rec.stage, "fetch") && !strcmp(rec.topic, "reports.raw")) {
            s->fetch_rejects++;
            snprintf(s->reason, sizeof s->reason, "%s", rec.reason);
        }
        rpt_dlq_record_clear(&rec);
    }
    rpt_buf_clear(&err);
}

static int setup(void)
{
    snprintf(g_inbox, sizeof g_inbox, "%s/inbox", t_env("REPORTD_TEST_TMP"));
    if (mkdir(g_inbox, 0755)) return 1;
    snprintf(g_cfg, sizeof g_cfg, "%s/large.json", t_env("REPORTD_TEST_TMP"));
    FILE *f = fopen(g_cfg, "w");
    if (!f) return 1;
    fprintf(f,
            "{\"kafka\": {\"bootstrap.servers\": \"%s\"},\n"
            " \"postgres\": {\"conninfo\": \"%s\"},\n"
            " \"log\": {\"level\": \"warn\"}, \"http\": {\"listen\": \"\"},\n"
            " \"sources\": [{\"name\": \"inbox\", \"kind\": \"dir\", \"path\": \"%s\"}]}\n",
            t_env("REPORTD_TEST_BROKER"), t_env("REPORTD_TEST_PG"), g_inbox);
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' migrate --config '%s' >/dev/null", t_env("REPORTD_BIN"), g_cfg);
    return system(cmd) == 0 ? 0 : 1;
}

static void test_large_document_is_produced(void)
{
    REQUIRE(write_big("big-1.txt", BIG_BYTES, 'a') == 0);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_load(&cfg, g_cfg, &err) == 0);
    long new_docs, unchanged, failed;
    CHECK_INT(pass(&cfg, &new_docs, &unchanged, &failed), 0);
    CHECK_INT(new_docs, 1);
    CHECK_INT(failed, 0);
    big_seen seen = {0};
    read_topic("reports.raw", check_raw, &seen);
    CHECK_INT(seen.whole, 1);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

static void test_unproducible_document_is_rejected_once(void)
{
    REQUIRE(write_big("big-2.txt", BIG_BYTES, 'b') == 0);
    REQUIRE(write_big("big-3.txt", BIG_BYTES, 'c') == 0);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_load(&cfg, g_cfg, &err) == 0);
    /* a producer whose limit is below the document: what a topic's max.message.bytes or an
     * older config imposed */
    cfg.kafka.max_message_bytes = 1000000;
    rd_kafka_t *rk = consumer();
    long raw_before = raw_count(rk);
    long new_docs, unchanged, failed;
    rpt_log_set_level(RPT_LOG_ERROR); /* the expected rejection logs a warning */
    CHECK_INT(pass(&cfg, &new_docs, &unchanged, &failed), 0);
    CHECK_INT(new_docs, 0);
    CHECK_INT(unchanged, 1); /* big-1.txt */
    CHECK_INT(failed, 2);    /* big-2.txt and big-3.txt, rejected */
    CHECK_INT(raw_count(rk), raw_before);
    dlq_seen dlq = {0};
    read_topic("reports.dlq", check_dlq, &dlq);
    CHECK_INT(dlq.fetch_rejects, 2);
    CHECK(strstr(dlq.reason, "too large") != NULL);
    if (!strstr(dlq.reason, "too large")) fprintf(stderr, "reason: %s\n", dlq.reason);

    PGconn *pg = PQconnectdb(t_env("REPORTD_TEST_PG"));
    REQUIRE(PQstatus(pg) == CONNECTION_OK);
    PGresult *r = PQexec(pg, "SELECT count(*) FROM reports.fetch_state WHERE url ~ "
                             "'big-[23].txt$' AND sha256 IS NOT NULL AND last_error LIKE '%too large%'");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && !strcmp(PQgetvalue(r, 0, 0), "2"));
    PQclear(r);
    PQfinish(pg);

    /* the next pass: the same bytes are not produced or dead-lettered again */
    CHECK_INT(pass(&cfg, &new_docs, &unchanged, &failed), 0);
    CHECK_INT(new_docs, 0);
    CHECK_INT(unchanged, 3);
    CHECK_INT(failed, 0);
    CHECK_INT(raw_count(rk), raw_before);
    dlq = (dlq_seen){0};
    read_topic("reports.dlq", check_dlq, &dlq);
    CHECK_INT(dlq.fetch_rejects, 2);
    rd_kafka_destroy(rk);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

/* The load role stores each fetch-stage DLQ record in reports.rejects (they have no
 * original offset: each is kept, keyed by its DLQ message). */
static void test_rejections_reach_rejects(void)
{
    tp_stage ld;
    REQUIRE(tp_stage_start(&ld, g_cfg, rpt_role_load) == 0);
    PGconn *pg = PQconnectdb(t_env("REPORTD_TEST_PG"));
    REQUIRE(PQstatus(pg) == CONNECTION_OK);
    long long n = -1;
    for (int i = 0; i < 300 && n != 2; i++) {
        n = tp_query_ll(pg, "SELECT count(*) FROM reports.rejects WHERE stage = 'fetch' AND "
                            "reason LIKE '%too large%' AND doc_id IS NOT NULL");
        if (n != 2) tp_sleep_ms(100);
    }
    CHECK_INT(n, 2);
    CHECK_INT(tp_stage_stop(&ld), 0);
    PQfinish(pg);
}

TEST_MAIN_WITH(setup, NULL, T(test_large_document_is_produced),
               T(test_unproducible_document_is_rejected_once), T(test_rejections_reach_rejects))
