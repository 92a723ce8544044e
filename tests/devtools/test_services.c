/* The harness's services are real: write to and read from the Postgres it started, produce
 * to and consume from the dev-broker over TCP, including through a consumer group. */
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <time.h>

#include "test.h"

static void test_postgres_roundtrip(void)
{
    PGconn *c = PQconnectdb(t_env("REPORTD_TEST_PG"));
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult *r = PQexec(c, "CREATE TABLE t_roundtrip (id int primary key, body text);"
                            "INSERT INTO t_roundtrip VALUES (1, '南岳区教育局'), (2, 'x');");
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
    PQclear(r);
    r = PQexec(c, "SELECT body FROM t_roundtrip WHERE id = 1");
    REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
    CHECK_INT(PQntuples(r), 1);
    CHECK_STR(PQgetvalue(r, 0, 0), "南岳区教育局");
    PQclear(r);
    r = PQexec(c, "SELECT current_setting('server_version_num')::int / 10000");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) >= 15);
    PQclear(r);
    PQfinish(c);
}

static rd_kafka_t *new_client(rd_kafka_type_t type, const char *group)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", t_env("REPORTD_TEST_BROKER"), errstr, sizeof errstr);
    if (group) {
        rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "session.timeout.ms", "6000", errstr, sizeof errstr);
    } else {
        rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "rd_kafka_new: %s\n", errstr);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

static void test_kafka_group_roundtrip(void)
{
    rd_kafka_t *p = new_client(RD_KAFKA_PRODUCER, NULL);
    REQUIRE(p);
    const int n = 50;
    char key[32], val[64];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "doc-%d", i);
        snprintf(val, sizeof val, "{\"schema\":1,\"i\":%d}", i);
        rd_kafka_resp_err_t err = rd_kafka_producev(
            p, RD_KAFKA_V_TOPIC("reports.raw"), RD_KAFKA_V_KEY(key, strlen(key)),
            RD_KAFKA_V_VALUE(val, strlen(val)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    CHECK(rd_kafka_flush(p, 20000) == RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_destroy(p);

    rd_kafka_t *c = new_client(RD_KAFKA_CONSUMER, "t-services");
    REQUIRE(c);
    rd_kafka_poll_set_consumer(c);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, "reports.raw", RD_KAFKA_PARTITION_UA);
    CHECK(rd_kafka_subscribe(c, topics) == RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(topics);
    int seen[50] = {0}, got = 0;
    time_t deadline = time(NULL) + 60;
    while (got < n && time(NULL) < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 500);
        if (!m) continue;
        if (!m->err) {
            int i = -1;
            if (m->key_len > 4 && sscanf((const char *)m->key, "doc-%d", &i) == 1 && i >= 0 && i < n && !seen[i]) {
                seen[i] = 1;
                got++;
            }
        }
        rd_kafka_message_destroy(m);
    }
    CHECK_INT(got, n);
    CHECK(rd_kafka_commit(c, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
}

TEST_MAIN(T(test_postgres_roundtrip), T(test_kafka_group_roundtrip))
