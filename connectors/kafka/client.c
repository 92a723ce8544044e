#include "connectors/kafka/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "connectors/kafka/conf.h"

/* Consumers fetch at least this much per request (librdkafka's own fetch.max.bytes default),
 * more when a single message may be larger. */
#define CONSUMER_FETCH_MAX_BYTES 52428800LL

double rpt_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* librdkafka's log lines of a probe: a broker being down is what a probe is there to see. */
static void probe_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)level;
    rpt_log_debug("probe", "kafka client", "facility=%s detail=\"%s\"", fac, buf);
}

static int put_ll(rd_kafka_conf_t *conf, const char *key, long long v, rpt_buf *err)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    return rpt_kafka_conf_put(conf, key, s, err);
}

/* The defaults of a kind: set before the user's properties, which may replace any of them. */
static int put_defaults(rd_kafka_conf_t *conf, const rpt_kafka_settings *ks,
                        const rpt_kafka_client_spec *spec, rpt_buf *err)
{
    if (spec->client_id && rpt_kafka_conf_put(conf, "client.id", spec->client_id, err)) return -1;
    switch (spec->kind) {
    case RPT_KAFKA_PRODUCER:
        if (rpt_kafka_conf_put(conf, "linger.ms", "10", err) ||
            rpt_kafka_conf_put(conf, "compression.type", RPT_KAFKA_COMPRESSION, err))
            return -1;
        if (ks->max_message_bytes > 0 &&
            put_ll(conf, "message.max.bytes", ks->max_message_bytes, err))
            return -1;
        return 0;
    case RPT_KAFKA_CONSUMER: {
        long long hb = ks->session_timeout_ms / 3;
        if (hb > 3000) hb = 3000;
        if (hb < 100) hb = 100;
        if (rpt_kafka_conf_put(conf, "auto.offset.reset", "earliest", err) ||
            put_ll(conf, "session.timeout.ms", ks->session_timeout_ms, err) ||
            put_ll(conf, "heartbeat.interval.ms", hb, err) ||
            /* new messages reach an idle consumer within 50 ms */
            rpt_kafka_conf_put(conf, "fetch.wait.max.ms", "50", err))
            return -1;
        long long fetch_max = CONSUMER_FETCH_MAX_BYTES;
        if (ks->max_message_bytes > fetch_max) fetch_max = ks->max_message_bytes;
        if (fetch_max > CONSUMER_FETCH_MAX_BYTES &&
            (put_ll(conf, "fetch.max.bytes", fetch_max, err) ||
             put_ll(conf, "receive.message.max.bytes", fetch_max + 512, err)))
            return -1;
        return 0;
    }
    case RPT_KAFKA_PROBE:
        rd_kafka_conf_set_log_cb(conf, probe_log);
        return 0;
    }
    return 0;
}

/* What correctness depends on, set after the user's properties (which
 * rpt_kafka_settings_check has already refused when they contradict these). */
static int put_enforced(rd_kafka_conf_t *conf, const rpt_kafka_settings *ks,
                        const rpt_kafka_client_spec *spec, rpt_buf *err)
{
    if (rpt_kafka_conf_put(conf, "bootstrap.servers", ks->bootstrap_servers, err)) return -1;
    switch (spec->kind) {
    case RPT_KAFKA_PRODUCER:
        return rpt_kafka_conf_put(conf, "enable.idempotence", "true", err) ||
                       rpt_kafka_conf_put(conf, "acks", "all", err)
                   ? -1
                   : 0;
    case RPT_KAFKA_CONSUMER:
        if (!spec->group) {
            rpt_buf_puts(err, "kafka consumer without a group");
            return -1;
        }
        return rpt_kafka_conf_put(conf, "group.id", spec->group, err) ||
                       rpt_kafka_conf_put(conf, "enable.auto.commit", "false", err) ||
                       rpt_kafka_conf_put(conf, "enable.auto.offset.store", "false", err) ||
                       rpt_kafka_conf_put(conf, "enable.partition.eof",
                                          spec->partition_eof ? "true" : "false", err)
                   ? -1
                   : 0;
    case RPT_KAFKA_PROBE:
        return 0;
    }
    return 0;
}

rd_kafka_conf_t *rpt_kafka_conf_build(const rpt_kafka_settings *ks,
                                      const rpt_kafka_client_spec *spec, rpt_buf *err)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rpt_kafka_conf_route_logs(conf);
    if (put_defaults(conf, ks, spec, err)) goto fail;
    for (size_t i = 0; i < ks->librdkafka.n; i++)
        if (rpt_kafka_conf_put(conf, ks->librdkafka.keys[i], ks->librdkafka.vals[i], err))
            goto fail;
    if (put_enforced(conf, ks, spec, err)) goto fail;
    if (spec->kind == RPT_KAFKA_PRODUCER && spec->delivery)
        rd_kafka_conf_set_dr_msg_cb(conf, spec->delivery);
    if (spec->kind == RPT_KAFKA_CONSUMER && spec->rebalance)
        rd_kafka_conf_set_rebalance_cb(conf, spec->rebalance);
    rd_kafka_conf_set_opaque(conf, spec->opaque);
    return conf;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

rd_kafka_t *rpt_kafka_client_new(const rpt_kafka_settings *ks, const rpt_kafka_client_spec *spec,
                                 rpt_buf *err)
{
    rd_kafka_conf_t *conf = rpt_kafka_conf_build(ks, spec, err);
    if (!conf) return NULL;
    static const char *const what[] = {"producer", "consumer", "client"};
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(spec->kind == RPT_KAFKA_CONSUMER ? RD_KAFKA_CONSUMER
                                                                  : RD_KAFKA_PRODUCER,
                                  conf, errstr, sizeof errstr);
    if (!rk) {
        rpt_buf_printf(err, "cannot create Kafka %s: %s", what[spec->kind], errstr);
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if (spec->kind == RPT_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk);
    return rk;
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

int rpt_kafka_topic_max_message_bytes(rd_kafka_t *rk, const char *topic, int timeout_ms,
                                      long long *bytes, rpt_buf *why)
{
    int rc = 0;
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 500);
    if (!ev) {
        rpt_buf_puts(why, "no answer to DescribeConfigs");
        goto out;
    }
    if (rd_kafka_event_error(ev)) {
        rpt_buf_puts(why, rd_kafka_event_error_string(ev));
        goto out;
    }
    const rd_kafka_DescribeConfigs_result_t *r = rd_kafka_event_DescribeConfigs_result(ev);
    size_t n = 0;
    const rd_kafka_ConfigResource_t **rs = r ? rd_kafka_DescribeConfigs_result_resources(r, &n) : NULL;
    if (n != 1 || rd_kafka_ConfigResource_error(rs[0])) {
        rpt_buf_puts(why, n == 1 && rd_kafka_ConfigResource_error_string(rs[0])
                              ? rd_kafka_ConfigResource_error_string(rs[0])
                              : "no such topic in the answer");
        goto out;
    }
    size_t nc = 0;
    const rd_kafka_ConfigEntry_t **entries = rd_kafka_ConfigResource_configs(rs[0], &nc);
    for (size_t i = 0; i < nc; i++) {
        if (strcmp(rd_kafka_ConfigEntry_name(entries[i]), "max.message.bytes") != 0) continue;
        const char *v = rd_kafka_ConfigEntry_value(entries[i]);
        char *end = NULL;
        long long b = v ? strtoll(v, &end, 10) : -1;
        if (v && end != v && !*end && b > 0) {
            *bytes = b;
            rc = 1;
        }
    }
    if (!rc) rpt_buf_puts(why, "max.message.bytes not in the topic's configuration");
out:
    if (ev) rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_queue_destroy(q);
    return rc;
}

int rpt_kafka_check_topic_size(rd_kafka_t *rk, const rpt_kafka_settings *ks, const char *topic,
                               rpt_buf *err)
{
    if (ks->max_message_bytes <= 0) return 0;
    long long limit = 0;
    rpt_buf why = RPT_BUF_INIT;
    /* short: a cluster that cannot answer (the dev-broker) must not hold up the start */
    int known = rpt_kafka_topic_max_message_bytes(rk, topic, 1500, &limit, &why);
    if (!known)
        rpt_log_info("kafka", "cannot read the topic's max.message.bytes; not checked",
                     "topic=%s reason=\"%s\"", topic, why.data ? why.data : "unknown");
    rpt_buf_clear(&why);
    if (!known || limit >= ks->max_message_bytes) return 0;
    rpt_buf_printf(err,
                   "topic %s accepts messages up to %lld bytes (its max.message.bytes) but "
                   "reportd may produce %lld (fetch.max_body_bytes + %lld of header room): raise "
                   "the topic's max.message.bytes or lower fetch.max_body_bytes",
                   topic, limit, ks->max_message_bytes, RPT_KAFKA_HEADER_ROOM);
    return -1;
}
