/* reports.raw on the wire: bytes and CPU of each producer compression codec, for the
 * current record format (value = body, metadata in headers) and the previous one (JSON
 * value, body in base64), and the transform stage's throughput over each format.
 *
 * Everything runs in this process against librdkafka's mock cluster (no services):
 *   raw_topic codecs ROUNDS FILE...     produce every file ROUNDS times per codec and format,
 *                                       then consume it all back
 *   raw_topic transform FORMAT ROUNDS FILE...
 *                                       FORMAT headers|json: produce, then run the transform
 *                                       stage (replay mode, as `reportd replay` does) over it
 * Figures and the command are in bench/kafka/README.md. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fs.h"
#include "common/hash.h"
#include "common/log.h"
#include "connectors/kafka/range.h"
#include "pipeline/messages/raw.h"
#include "pipeline/stage.h"
#include "pipeline/transform.h"

#define PARTITIONS 16

typedef struct doc {
    rpt_raw_message m;
} doc;

static doc *g_docs;
static int g_n;

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *content_type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strcmp(dot, ".html")) return "text/html";
    if (dot && !strcmp(dot, ".docx"))
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    return "text/plain; charset=utf-8";
}

/* Loads the files as raw messages with realistic metadata. */
static int load_docs(int argc, char **argv)
{
    g_docs = calloc((size_t)argc, sizeof *g_docs);
    for (int i = 0; i < argc; i++) {
        size_t len = 0;
        char *body = rpt_read_file(argv[i], 64 << 20, &len);
        if (!body) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            return -1;
        }
        const char *base = strrchr(argv[i], '/');
        char url[512], id[17], sha[65];
        snprintf(url, sizeof url, "http://jyj.portal.example.gov.cn/zwgk/ghjh/%s",
                 base ? base + 1 : argv[i]);
        rpt_doc_id(url, id);
        rpt_sha256_hex(body, len, sha);
        rpt_raw_message *m = &g_docs[g_n++].m;
        m->schema = RPT_RAW_SCHEMA;
        m->doc_id = strdup(id);
        m->source = strdup("hengyang-edu");
        m->url = strdup(url);
        m->final_url = strdup(url);
        m->parent_url = strdup("http://jyj.portal.example.gov.cn/zwgk/ghjh/index.html");
        m->fetched_at = strdup("2025-06-01T08:00:00Z");
        m->http_status = 200;
        m->content_type = strdup(content_type_of(argv[i]));
        m->etag = strdup("\"5f3c2a1b-1d2e3\"");
        m->last_modified = strdup("Mon, 02 Jun 2025 08:00:00 GMT");
        m->sha256 = strdup(sha);
        m->region = strdup("南岳区");
        m->body = (unsigned char *)body;
        m->body_len = len;
    }
    return 0;
}

static long long g_tx_bytes = -1;

/* Statistics callback: remembers the producer's tx_bytes (bytes sent to the brokers). */
static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    (void)rk;
    (void)len;
    (void)opaque;
    const char *p = strstr(json, "\"tx_bytes\":");
    if (p) g_tx_bytes = atoll(p + 11);
    return 0;
}

static rd_kafka_t *producer(const char *bootstrap, const char *codec, int stats)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "linger.ms", "10", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "message.max.bytes", "30000000", errstr, sizeof errstr);
    if (rd_kafka_conf_set(conf, "compression.type", codec, errstr, sizeof errstr)) {
        fprintf(stderr, "%s\n", errstr);
        exit(1);
    }
    if (stats) {
        rd_kafka_conf_set(conf, "statistics.interval.ms", "100", errstr, sizeof errstr);
        rd_kafka_conf_set_stats_cb(conf, on_stats);
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "producer: %s\n", errstr);
        exit(1);
    }
    return rk;
}

/* Produces every document `rounds` times to topic; one batch per message when single
 * (as a crawl at a polite rate produces), else as fast as the producer batches them.
 * Returns the bytes of the records before compression. */
static long long produce_all(rd_kafka_t *rk, const char *topic, int json, int rounds, int single)
{
    long long bytes = 0;
    rpt_buf v = RPT_BUF_INIT;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < g_n; i++) {
            const rpt_raw_message *m = &g_docs[i].m;
            rd_kafka_resp_err_t e;
            do {
                if (json) {
                    rpt_buf_reset(&v);
                    rpt_raw_message_encode_json(m, &v);
                    bytes += (long long)(v.len + strlen(m->doc_id));
                    e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                          RD_KAFKA_V_KEY(m->doc_id, strlen(m->doc_id)),
                                          RD_KAFKA_V_VALUE(v.data, v.len),
                                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                } else {
                    bytes += (long long)rpt_raw_message_size(m);
                    rd_kafka_headers_t *h = rpt_raw_message_headers(m);
                    e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                          RD_KAFKA_V_KEY(m->doc_id, strlen(m->doc_id)),
                                          RD_KAFKA_V_VALUE(m->body, m->body_len),
                                          RD_KAFKA_V_HEADERS(h),
                                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                    if (e) rd_kafka_headers_destroy(h);
                }
                if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(rk, 10);
            } while (e == RD_KAFKA_RESP_ERR__QUEUE_FULL);
            if (e) {
                fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e));
                exit(1);
            }
            if (single) rd_kafka_flush(rk, 10000);
        }
    rd_kafka_flush(rk, 60000);
    rpt_buf_clear(&v);
    return bytes;
}

/* Reads topic from the beginning to its end; returns the messages read. */
static long long consume_all(const char *bootstrap, const char *topic)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "bench", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++)
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    long long n = 0;
    int eof = 0;
    while (eof < PARTITIONS) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 1000);
        if (!m) continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) eof++;
        else if (!m->err) n++;
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n;
}

static rd_kafka_mock_cluster_t *g_mc;
static rd_kafka_t *g_mc_rk;

static const char *start_cluster(void)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    g_mc_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    g_mc = rd_kafka_mock_cluster_new(g_mc_rk, 1);
    return rd_kafka_mock_cluster_bootstraps(g_mc);
}

static int cmd_codecs(int rounds)
{
    const char *bootstrap = start_cluster();
    static const char *const codecs[] = {"none", "lz4", "zstd"};
    printf("%-7s %-7s %-6s %8s %14s %14s %9s %11s %11s\n", "format", "codec", "batch", "messages",
           "record bytes", "wire bytes", "wire/doc", "produce cpu", "consume cpu");
    int topic_no = 0;
    for (int json = 1; json >= 0; json--)
        for (int single = 1; single >= 0; single--)
            for (size_t c = 0; c < 3; c++) {
                char topic[32];
                snprintf(topic, sizeof topic, "raw-%d", topic_no++);
                rd_kafka_mock_topic_create(g_mc, topic, PARTITIONS, 1);
                rd_kafka_t *rk = producer(bootstrap, codecs[c], 1);
                /* warm up the connection so that its bytes are not counted */
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE("x", 1),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                rd_kafka_flush(rk, 10000);
                for (int w = 0; w < 3; w++) rd_kafka_poll(rk, 150);
                long long tx0 = g_tx_bytes;
                double c0 = cpu_s();
                long long bytes = produce_all(rk, topic, json, rounds, single);
                double produce_cpu = cpu_s() - c0;
                g_tx_bytes = -1;
                for (int w = 0; w < 4 || g_tx_bytes < 0; w++) rd_kafka_poll(rk, 150);
                long long wire = g_tx_bytes - tx0;
                rd_kafka_destroy(rk);
                c0 = cpu_s();
                long long n = consume_all(bootstrap, topic);
                double consume_cpu = cpu_s() - c0;
                long long docs = (long long)rounds * g_n;
                printf("%-7s %-7s %-6s %8lld %14lld %14lld %9lld %10.3fs %10.3fs\n",
                       json ? "json" : "headers", codecs[c], single ? "1/doc" : "linger", n - 1,
                       bytes, wire, wire / docs, produce_cpu, consume_cpu);
                fflush(stdout);
            }
    rd_kafka_mock_cluster_destroy(g_mc);
    rd_kafka_destroy(g_mc_rk);
    return 0;
}

static int cmd_transform(const char *format, int rounds)
{
    const char *bootstrap = start_cluster();
    rd_kafka_mock_topic_create(g_mc, "reports.raw", PARTITIONS, 1);
    rd_kafka_mock_topic_create(g_mc, "reports.parsed", PARTITIONS, 1);
    rd_kafka_mock_topic_create(g_mc, "reports.dlq", PARTITIONS, 1);
    rd_kafka_t *rk = producer(bootstrap, "zstd", 0);
    long long bytes = produce_all(rk, "reports.raw", !strcmp(format, "json"), rounds, 0);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    setenv("REPORTD_KAFKA_BOOTSTRAP_SERVERS", bootstrap, 1);
    setenv("REPORTD_LOG_LEVEL", "warn", 1);
    if (rpt_config_load(&cfg, NULL, &err)) {
        fprintf(stderr, "config: %s\n", err.data);
        return 1;
    }
    rpt_log_set_level(RPT_LOG_WARN);
    rd_kafka_topic_partition_list_t *start = NULL, *end = NULL;
    long long from_ms, to_ms;
    if (rpt_kafka_range_resolve(rk, "reports.raw", "earliest", NULL, &start, &end, &from_ms, &to_ms,
                                &err)) {
        fprintf(stderr, "range: %s\n", err.data);
        return 1;
    }
    rd_kafka_destroy(rk);
    rpt_role_ctl ctl = {.config = rpt_config_holder_new(&cfg), .instances = 1};
    rpt_transform_stats st = {0};
    rpt_transform_params p = {
        .stage = {.ctl = &ctl, .group = "bench", .start = start, .end = end, .from_ms = -1,
                  .to_ms = -1},
        .stats = &st};
    double w0 = wall_s(), c0 = cpu_s();
    int rc = rpt_transform_run(&p);
    double wall = wall_s() - w0, cpu = cpu_s() - c0;
    long long docs = (long long)rounds * g_n;
    printf("transform %-7s rc=%d documents=%lld produced=%lld rejected=%lld record_bytes/doc=%lld "
           "wall=%.2fs cpu=%.2fs docs/s=%.0f docs/cpu-s=%.0f\n",
           format, rc, docs, st.produced, st.rejected, bytes / docs, wall, cpu, docs / wall,
           docs / cpu);
    rpt_config_holder_free(ctl.config);
    rd_kafka_topic_partition_list_destroy(start);
    rd_kafka_topic_partition_list_destroy(end);
    rd_kafka_mock_cluster_destroy(g_mc);
    rd_kafka_destroy(g_mc_rk);
    rpt_buf_clear(&err);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "codecs")) {
        if (load_docs(argc - 3, argv + 3)) return 1;
        return cmd_codecs(atoi(argv[2]));
    }
    if (argc >= 5 && !strcmp(argv[1], "transform")) {
        if (load_docs(argc - 4, argv + 4)) return 1;
        return cmd_transform(argv[2], atoi(argv[3]));
    }
    fprintf(stderr, "usage: raw_topic codecs ROUNDS FILE... | transform headers|json ROUNDS FILE...\n");
    return 2;
}
