/* Consumers and producers of the pipeline stages, built from the [kafka] settings. */
#ifndef REPORTD_CONNECTORS_KAFKA_CLIENT_H
#define REPORTD_CONNECTORS_KAFKA_CLIENT_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>

#include "common/buf.h"
#include "connectors/kafka/settings.h"

typedef void (*rpt_rebalance_fn)(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t *parts, void *opaque);

/* A consumer in `group` with manual offset handling (enable.auto.commit and
 * enable.auto.offset.store off), auto.offset.reset=earliest, the configured session
 * timeout, and `rebalance` (may be NULL) as rebalance callback. With partition_eof set,
 * end-of-partition events are delivered (replay). Returns NULL with the reason in err. */
rd_kafka_t *rpt_kafka_consumer_from_settings(const rpt_kafka_settings *ks, const char *group,
                                            const char *client_id, rpt_rebalance_fn rebalance,
                                            void *opaque, int partition_eof, rpt_buf *err);

/* An idempotent producer whose delivery reports go to `dr` with `opaque`. */
rd_kafka_t *rpt_kafka_producer_from_settings(const rpt_kafka_settings *ks, const char *client_id,
                                            void (*dr)(rd_kafka_t *, const rd_kafka_message_t *,
                                                       void *),
                                            void *opaque, rpt_buf *err);

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
