/* Offset ranges of a topic for `reportd replay`: --from earliest | RFC 3339 time |
 * PARTITION:OFFSET and --to RFC 3339 time | OFFSET, resolved against the broker. */
#ifndef REPORTD_CONNECTORS_KAFKA_RANGE_H
#define REPORTD_CONNECTORS_KAFKA_RANGE_H

#include <librdkafka/rdkafka.h>

#include "common/buf.h"

/* Parses an RFC 3339 time ("2025-05-30T12:02:29Z", fractional seconds and "+08:00" offsets
 * allowed) into milliseconds since the epoch. Returns 0 or -1. */
int rpt_rfc3339_ms(const char *s, long long *ms);

/* Resolves the range of `topic` through client rk: *start gets the first offset to read
 * and *end the offset to stop before, for the same partitions in the same order (the
 * caller destroys both). `to` may be NULL (up to the current end). For times, offsets come
 * from the broker's time index when it has one; otherwise the range starts earlier and
 * *from_ms / *to_ms (else -1) tell the stage to skip messages whose timestamp is before
 * from_ms or at/after to_ms. Returns 0, or -1 with the reason in err. */
int rpt_kafka_range_resolve(rd_kafka_t *rk, const char *topic, const char *from, const char *to,
                           rd_kafka_topic_partition_list_t **start,
                           rd_kafka_topic_partition_list_t **end, long long *from_ms,
                           long long *to_ms, rpt_buf *err);

/* Messages between start and end, summed over partitions (end before start counts 0). The
 * two lists hold the same partitions in the same order, as rpt_kafka_range_resolve gives. */
long long rpt_kafka_range_size(const rd_kafka_topic_partition_list_t *start,
                              const rd_kafka_topic_partition_list_t *end);

#endif
