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
} rpt_kafka_settings;

extern const rpt_opt rpt_kafka_opts[];

/* True when a librdkafka property holds a secret (masked in dumps, never logged). */
int rpt_kafka_key_is_secret(const char *key);

#endif
