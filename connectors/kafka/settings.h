/* The [kafka] settings: brokers, topics, groups and the librdkafka pass-through, declared
 * in one table (rpt_kafka_opts) that the config loader, check-config and the docs read. */
#ifndef REPORTD_CONNECTORS_KAFKA_SETTINGS_H
#define REPORTD_CONNECTORS_KAFKA_SETTINGS_H

#include "common/opts.h"

typedef struct rpt_kafka_settings {
    char *bootstrap_servers;
    char *topic_raw;
    char *topic_parsed;
    char *topic_dlq;
    char *group_transform;
    char *group_load;
    long long session_timeout_ms;
    rpt_kvlist librdkafka; /* passed through to librdkafka verbatim */
    /* property -> file: each secret property (sasl.password, ssl.key.password, ...) is read
     * from its file at load time and added to `librdkafka`; masked in dumps. */
    rpt_kvlist librdkafka_secret_files;
    /* Not a key: the largest message a producer may send and a consumer must accept, set by
     * rpt_kafka_settings_check from the largest payload (0: librdkafka's defaults). */
    long long max_message_bytes;
} rpt_kafka_settings;

extern const rpt_opt rpt_kafka_opts[];

/* Room left in a message for its key and headers, on top of the largest payload. */
#define RPT_KAFKA_HEADER_ROOM (64LL << 10)
/* librdkafka's upper bound of message.max.bytes. */
#define RPT_KAFKA_MESSAGE_MAX_LIMIT 1000000000LL

/* Checks the kafka.librdkafka properties at config load and sets ks->max_message_bytes to
 * max_payload_bytes + RPT_KAFKA_HEADER_ROOM. Refuses, naming the key:
 *  - a property librdkafka does not know or a value it does not accept;
 *  - one that would break delivery or offset guarantees: enable.idempotence other than
 *    true, acks other than all, enable.auto.commit or enable.auto.offset.store other than
 *    false, a cooperative partition.assignment.strategy (the loader's rebalance handling is
 *    eager), transactional.id, and the keys reportd sets itself (bootstrap.servers,
 *    group.id, enable.partition.eof);
 *  - size limits that disagree with the largest payload: message.max.bytes or
 *    fetch.max.bytes below max_message_bytes, receive.message.max.bytes below
 *    fetch.max.bytes + 512, or a payload Kafka cannot carry at all.
 * Returns 0, or -1 with "kafka.librdkafka.KEY: reason" in err. */
int rpt_kafka_settings_check(rpt_kafka_settings *ks, long long max_payload_bytes, rpt_buf *err);

/* True when a librdkafka property holds a secret (masked in dumps, never logged). */
int rpt_kafka_key_is_secret(const char *key);

#endif
