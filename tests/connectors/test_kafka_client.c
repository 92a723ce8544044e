/* The Kafka client factory: each kind's defaults, the user's kafka.librdkafka properties on
 * top of them, the properties correctness depends on refused at config load (naming the
 * key, also through `reportd check-config`), and the size limits derived from
 * fetch.max_body_bytes. No broker needed: the confs are inspected, not connected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/kafka/client.h"
#include "pipeline/config.h"
#include "test.h"

static char g_dir[64];

/* Writes a config whose kafka section is `kafka` and fetch section `fetch` (may be NULL);
 * returns its path in a static buffer. */
static const char *write_config(const char *kafka, const char *fetch)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/reportd.json", g_dir);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "{\"kafka\": {%s}, \"fetch\": {%s}, \"http\": {\"listen\": \"\"}}\n",
            kafka ? kafka : "", fetch ? fetch : "");
    fclose(f);
    return path;
}

/* Loads a config; returns 0, or -1 with the reason in err. */
static int load(const char *kafka, const char *fetch, rpt_config *cfg, rpt_buf *err)
{
    const char *path = write_config(kafka, fetch);
    if (!path) return -1;
    return rpt_config_load(cfg, path, err);
}

/* The value of key in conf (static buffer), "" when unset. */
static const char *get(rd_kafka_conf_t *conf, const char *key)
{
    static char v[512];
    size_t n = sizeof v;
    if (rd_kafka_conf_get(conf, key, v, &n) != RD_KAFKA_CONF_OK) {
        n = sizeof v;
        rd_kafka_topic_conf_t *tc = rd_kafka_conf_get_default_topic_conf(conf);
        if (!tc || rd_kafka_topic_conf_get(tc, key, v, &n) != RD_KAFKA_CONF_OK) return "";
    }
    return v;
}

static int setup(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/reportd-kafka-XXXXXX");
    return mkdtemp(g_dir) ? 0 : 1;
}

static void test_producer_defaults(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(load("\"bootstrap.servers\": \"k1:9092\"", NULL, &cfg, &err) == 0);
    rpt_kafka_client_spec spec = {.kind = RPT_KAFKA_PRODUCER, .client_id = "t-producer"};
    rd_kafka_conf_t *conf = rpt_kafka_conf_build(&cfg.kafka, &spec, &err);
    REQUIRE(conf);
    CHECK_STR(get(conf, "bootstrap.servers"), "k1:9092");
    CHECK_STR(get(conf, "client.id"), "t-producer");
    CHECK_STR(get(conf, "enable.idempotence"), "true");
    CHECK_STR(get(conf, "compression.type"), RPT_KAFKA_COMPRESSION);
    CHECK_STR(get(conf, "linger.ms"), "10");
    CHECK_STR(get(conf, "request.required.acks"), "-1");
    /* the default fetch.max_body_bytes (20 MiB) plus the header room */
    char want[32];
    snprintf(want, sizeof want, "%lld", 20971520LL + RPT_KAFKA_HEADER_ROOM);
    CHECK_STR(get(conf, "message.max.bytes"), want);
    CHECK_INT(cfg.kafka.max_message_bytes, 20971520LL + RPT_KAFKA_HEADER_ROOM);
    rd_kafka_conf_destroy(conf);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

static void test_user_property_overrides_default(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(load("\"librdkafka\": {\"linger.ms\": \"50\", \"compression.type\": \"gzip\", "
                 "\"fetch.wait.max.ms\": \"300\", \"auto.offset.reset\": \"latest\", "
                 "\"client.id\": \"mine\", \"message.max.bytes\": \"40000000\", "
                 "\"enable.idempotence\": \"true\", \"acks\": \"all\"}",
                 NULL, &cfg, &err) == 0);
    rpt_kafka_client_spec prod = {.kind = RPT_KAFKA_PRODUCER, .client_id = "t"};
    rd_kafka_conf_t *conf = rpt_kafka_conf_build(&cfg.kafka, &prod, &err);
    REQUIRE(conf);
    CHECK_STR(get(conf, "linger.ms"), "50");
    CHECK_STR(get(conf, "compression.type"), "gzip");
    CHECK_STR(get(conf, "client.id"), "mine");
    CHECK_STR(get(conf, "message.max.bytes"), "40000000");
    CHECK_STR(get(conf, "enable.idempotence"), "true");
    rd_kafka_conf_destroy(conf);

    rpt_kafka_client_spec cons = {.kind = RPT_KAFKA_CONSUMER, .client_id = "t", .group = "g1",
                                  .partition_eof = 1};
    conf = rpt_kafka_conf_build(&cfg.kafka, &cons, &err);
    REQUIRE(conf);
    CHECK_STR(get(conf, "fetch.wait.max.ms"), "300");
    CHECK_STR(get(conf, "auto.offset.reset"), "largest"); /* librdkafka's name for latest */
    CHECK_STR(get(conf, "group.id"), "g1");
    CHECK_STR(get(conf, "enable.auto.commit"), "false");
    CHECK_STR(get(conf, "enable.auto.offset.store"), "false");
    CHECK_STR(get(conf, "enable.partition.eof"), "true");
    CHECK_STR(get(conf, "session.timeout.ms"), "10000");
    rd_kafka_conf_destroy(conf);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

static void test_consumer_fetch_sizes_follow_the_largest_message(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(load(NULL, "\"max_body_bytes\": 104857600", &cfg, &err) == 0);
    rpt_kafka_client_spec cons = {.kind = RPT_KAFKA_CONSUMER, .group = "g"};
    rd_kafka_conf_t *conf = rpt_kafka_conf_build(&cfg.kafka, &cons, &err);
    REQUIRE(conf);
    char want[32];
    snprintf(want, sizeof want, "%lld", 104857600LL + RPT_KAFKA_HEADER_ROOM);
    CHECK_STR(get(conf, "fetch.max.bytes"), want);
    long long recv = atoll(get(conf, "receive.message.max.bytes"));
    CHECK(recv >= 104857600LL + RPT_KAFKA_HEADER_ROOM + 512);
    rd_kafka_conf_destroy(conf);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

/* Each refused setting is a config error naming the key. */
static void test_refused_properties(void)
{
    static const struct {
        const char *kafka, *fetch, *key;
    } cases[] = {
        {"\"librdkafka\": {\"enable.auto.commit\": \"true\"}", NULL, "enable.auto.commit"},
        {"\"librdkafka\": {\"auto.commit.enable\": \"1\"}", NULL, "auto.commit.enable"},
        {"\"librdkafka\": {\"enable.auto.offset.store\": \"true\"}", NULL,
         "enable.auto.offset.store"},
        {"\"librdkafka\": {\"enable.idempotence\": \"false\"}", NULL, "enable.idempotence"},
        {"\"librdkafka\": {\"acks\": \"1\"}", NULL, "acks"},
        {"\"librdkafka\": {\"partition.assignment.strategy\": \"cooperative-sticky\"}", NULL,
         "partition.assignment.strategy"},
        {"\"librdkafka\": {\"group.id\": \"other\"}", NULL, "group.id"},
        {"\"librdkafka\": {\"transactional.id\": \"tx\"}", NULL, "transactional.id"},
        {"\"librdkafka\": {\"no.such.property\": \"1\"}", NULL, "no.such.property"},
        {"\"librdkafka\": {\"message.max.bytes\": \"1000000\"}", NULL, "message.max.bytes"},
        {"\"librdkafka\": {\"fetch.max.bytes\": \"1000000\"}", NULL, "fetch.max.bytes"},
        {"\"librdkafka\": {\"receive.message.max.bytes\": \"2000000\"}", NULL,
         "receive.message.max.bytes"},
        {NULL, "\"max_body_bytes\": 1073741824", "max_body_bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rpt_config cfg;
        rpt_buf err = RPT_BUF_INIT;
        CHECK(load(cases[i].kafka, cases[i].fetch, &cfg, &err) == -1);
        if (!err.data || !strstr(err.data, cases[i].key)) {
            fprintf(stderr, "case %zu: error does not name %s: %s\n", i, cases[i].key,
                    err.data ? err.data : "(none)");
            CHECK(0);
        }
        rpt_buf_clear(&err);
    }
    /* the same values spelled as librdkafka accepts them are fine */
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    CHECK(load("\"librdkafka\": {\"enable.auto.commit\": \"False\", \"acks\": \"-1\", "
               "\"partition.assignment.strategy\": \"roundrobin,range\"}",
               NULL, &cfg, &err) == 0);
    if (err.data) fprintf(stderr, "unexpected: %s\n", err.data);
    else rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
}

/* `reportd check-config` reports a refused property with its key, exit status 2. */
static void test_check_config_reports_refused(void)
{
    const char *path =
        write_config("\"librdkafka\": {\"partition.assignment.strategy\": \"cooperative-sticky\"}",
                     NULL);
    REQUIRE(path);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' check-config '%s' 2>&1", t_env("REPORTD_BIN"), path);
    FILE *p = popen(cmd, "r");
    REQUIRE(p);
    char out[2048] = {0};
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    CHECK(strstr(out, "kafka.librdkafka.partition.assignment.strategy") != NULL);
    if (!strstr(out, "partition.assignment.strategy")) fprintf(stderr, "output: %s\n", out);
}

static void cleanup(void)
{
    t_remove_dir(g_dir);
}

/* Key material passed through kafka.librdkafka is a secret (masked in check-config and
 * never logged); paths and public certificates are not. */
static void test_key_material_is_secret(void)
{
    CHECK(rpt_kafka_key_is_secret("ssl.key.pem"));
    CHECK(rpt_kafka_key_is_secret("ssl_key"));
    CHECK(rpt_kafka_key_is_secret("ssl.key.password"));
    CHECK(rpt_kafka_key_is_secret("sasl.oauthbearer.client.secret"));
    CHECK(!rpt_kafka_key_is_secret("ssl.key.location"));
    CHECK(!rpt_kafka_key_is_secret("ssl.certificate.pem"));
    CHECK(!rpt_kafka_key_is_secret("linger.ms"));
}

TEST_MAIN_WITH(setup, cleanup, T(test_key_material_is_secret), T(test_producer_defaults), T(test_user_property_overrides_default),
               T(test_consumer_fetch_sizes_follow_the_largest_message), T(test_refused_properties),
               T(test_check_config_reports_refused))
