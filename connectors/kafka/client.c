#include "connectors/kafka/client.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "connectors/kafka/conf.h"

double rpt_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

rd_kafka_t *rpt_kafka_consumer_from_settings(const rpt_kafka_settings *ks, const char *group,
                                            const char *client_id, rpt_rebalance_fn rebalance,
                                            void *opaque, int partition_eof, rpt_buf *err)
{
    rd_kafka_conf_t *conf = rpt_kafka_conf_from_settings(ks, client_id, err);
    if (!conf) return NULL;
    char session[32], heartbeat[32];
    long long hb = ks->session_timeout_ms / 3;
    if (hb > 3000) hb = 3000;
    if (hb < 100) hb = 100;
    snprintf(session, sizeof session, "%lld", ks->session_timeout_ms);
    snprintf(heartbeat, sizeof heartbeat, "%lld", hb);
    if (rpt_kafka_conf_put(conf, "group.id", group, err) ||
        rpt_kafka_conf_put(conf, "enable.auto.commit", "false", err) ||
        rpt_kafka_conf_put(conf, "enable.auto.offset.store", "false", err) ||
        rpt_kafka_conf_put(conf, "auto.offset.reset", "earliest", err) ||
        rpt_kafka_conf_put(conf, "session.timeout.ms", session, err) ||
        rpt_kafka_conf_put(conf, "heartbeat.interval.ms", heartbeat, err) ||
        rpt_kafka_conf_put(conf, "enable.partition.eof", partition_eof ? "true" : "false", err))
        goto fail;
    /* new messages reach an idle consumer within 50 ms (unless configured otherwise) */
    int fetch_wait_set = 0;
    for (size_t i = 0; i < ks->librdkafka.n; i++)
        fetch_wait_set |= strcmp(ks->librdkafka.keys[i], "fetch.wait.max.ms") == 0;
    if (!fetch_wait_set && rpt_kafka_conf_put(conf, "fetch.wait.max.ms", "50", err)) goto fail;
    if (rebalance) rd_kafka_conf_set_rebalance_cb(conf, rebalance);
    rd_kafka_conf_set_opaque(conf, opaque);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rpt_buf_printf(err, "cannot create Kafka consumer: %s", errstr);
        goto fail;
    }
    rd_kafka_poll_set_consumer(rk);
    return rk;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

rd_kafka_t *rpt_kafka_producer_from_settings(const rpt_kafka_settings *ks, const char *client_id,
                                            void (*dr)(rd_kafka_t *, const rd_kafka_message_t *,
                                                       void *),
                                            void *opaque, rpt_buf *err)
{
    rd_kafka_conf_t *conf = rpt_kafka_conf_from_settings(ks, client_id, err);
    if (!conf) return NULL;
    if (rpt_kafka_conf_put(conf, "enable.idempotence", "true", err) ||
        rpt_kafka_conf_put(conf, "linger.ms", "5", err) ||
        rpt_kafka_conf_put(conf, "compression.type", "lz4", err))
        goto fail;
    if (dr) rd_kafka_conf_set_dr_msg_cb(conf, dr);
    rd_kafka_conf_set_opaque(conf, opaque);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rpt_buf_printf(err, "cannot create Kafka producer: %s", errstr);
        goto fail;
    }
    return rk;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

long long rpt_kafka_consumer_lag(rd_kafka_t *rk)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    if (rd_kafka_assignment(rk, &parts) || !parts) return -1;
    long long lag = 0;
    if (rd_kafka_position(rk, parts) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < parts->cnt; i++) {
            int64_t lo = 0, hi = 0;
            rd_kafka_topic_partition_t *p = &parts->elems[i];
            if (rd_kafka_get_watermark_offsets(rk, p->topic, p->partition, &lo, &hi)) continue;
            long long pos = p->offset >= 0 ? p->offset : lo;
            if (hi > pos) lag += hi - pos;
        }
    } else {
        lag = -1;
    }
    rd_kafka_topic_partition_list_destroy(parts);
    return lag;
}

int rpt_message_outside_time(const rd_kafka_message_t *m, long long from_ms, long long to_ms)
{
    if (from_ms <= 0 && to_ms <= 0) return 0;
    rd_kafka_timestamp_type_t type;
    int64_t ts = rd_kafka_message_timestamp(m, &type);
    if (ts < 0 || type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) return 0;
    return (from_ms > 0 && ts < from_ms) || (to_ms > 0 && ts >= to_ms);
}

int rpt_kafka_wait_connected(rd_kafka_t *rk, atomic_int *stop)
{
    while (!atomic_load(stop)) {
        const struct rd_kafka_metadata *md = NULL;
        if (rd_kafka_metadata(rk, 0, NULL, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            rd_kafka_metadata_destroy(md);
            return 0;
        }
    }
    return -1;
}
