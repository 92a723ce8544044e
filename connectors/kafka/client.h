/* The one place Kafka clients are made: producers, consumers and reachability probes of the
 * pipeline stages, built from the [kafka] settings.
 *
 * Every client gets its kind's defaults first, then the user's kafka.librdkafka properties
 * on top (so they pass through verbatim), then the few properties reportd's correctness
 * depends on (identity, idempotence, manual offsets). A user value that contradicts one of
 * those is refused when the config is loaded (rpt_kafka_settings_check), so it never
 * reaches this point. */
#ifndef REPORTD_CONNECTORS_KAFKA_CLIENT_H
#define REPORTD_CONNECTORS_KAFKA_CLIENT_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>

#include "common/buf.h"
#include "connectors/kafka/settings.h"

typedef void (*rpt_rebalance_fn)(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                 rd_kafka_topic_partition_list_t *parts, void *opaque);
typedef void (*rpt_delivery_fn)(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);

typedef enum rpt_kafka_kind {
    /* idempotent (acks=all), compressed (RPT_KAFKA_COMPRESSION), message.max.bytes from
     * ks->max_message_bytes */
    RPT_KAFKA_PRODUCER,
    /* in a group, manual offset store and commit, auto.offset.reset=earliest, the
     * configured session timeout, fetch sizes that fit ks->max_message_bytes */
    RPT_KAFKA_CONSUMER,
    /* a plain client for metadata requests (readiness probes); its log lines go to debug */
    RPT_KAFKA_PROBE,
} rpt_kafka_kind;

/* The producer compression codec (chosen by measurement, see bench/kafka/README.md). */
#define RPT_KAFKA_COMPRESSION "zstd"

typedef struct rpt_kafka_client_spec {
    rpt_kafka_kind kind;
    const char *client_id;
    void *opaque;             /* rd_kafka_opaque() of the client */
    rpt_delivery_fn delivery; /* producer: delivery report callback (may be NULL) */
    const char *group;        /* consumer: group.id (required) */
    rpt_rebalance_fn rebalance; /* consumer: may be NULL */
    int partition_eof;        /* consumer: deliver end-of-partition events (replay) */
} rpt_kafka_client_spec;

/* The librdkafka conf a client of `spec` gets (defaults, user properties, enforced ones),
 * without creating the client: for rpt_kafka_client_new and for tests. The caller owns the
 * conf. NULL with "kafka property K: reason" in err. */
rd_kafka_conf_t *rpt_kafka_conf_build(const rpt_kafka_settings *ks,
                                      const rpt_kafka_client_spec *spec, rpt_buf *err);

/* A new client of `spec`; a consumer has its poll queue redirected to the consumer queue.
 * The caller destroys it (rd_kafka_consumer_close first for a consumer). NULL with the
 * reason in err. */
rd_kafka_t *rpt_kafka_client_new(const rpt_kafka_settings *ks, const rpt_kafka_client_spec *spec,
                                 rpt_buf *err);

/* The max.message.bytes the cluster reports for topic (DescribeConfigs). Returns 1 with
 * *bytes, or 0 when the cluster does not say (API not supported, as by the dev-broker's mock
 * cluster; no permission; timeout) with the reason in why. */
int rpt_kafka_topic_max_message_bytes(rd_kafka_t *rk, const char *topic, int timeout_ms,
                                      long long *bytes, rpt_buf *why);

/* Start-up check that topic accepts the largest message reportd may produce
 * (ks->max_message_bytes). Returns 0 when it does or the cluster does not say (logged), -1
 * with a clear reason in err when the topic's max.message.bytes is smaller. */
int rpt_kafka_check_topic_size(rd_kafka_t *rk, const rpt_kafka_settings *ks, const char *topic,
                               rpt_buf *err);

/* Waits until the cluster answers a metadata request (retrying every 2 s) or *stop is set.
 * Returns 0 when connected. */
int rpt_kafka_wait_connected(rd_kafka_t *rk, atomic_int *stop);

/* Sum over the assigned partitions of (high watermark - position), from cached
 * watermarks; -1 when unknown. */
long long rpt_kafka_consumer_lag(rd_kafka_t *rk);

/* True when the message's timestamp is before from_ms or at/after to_ms (bounds <= 0 are
 * ignored; messages without a timestamp are never outside). */
int rpt_message_outside_time(const rd_kafka_message_t *m, long long from_ms, long long to_ms);

/* Monotonic clock in seconds. */
double rpt_now_s(void);

#endif
