#include "connectors/kafka/settings.h"

#include <stddef.h>
#include <string.h>

const rpt_opt rpt_kafka_opts[] = {
    {"bootstrap.servers", RPT_OPT_STRING, "127.0.0.1:9092", 0, 0,
     offsetof(rpt_kafka_settings, bootstrap_servers), 0, "Kafka bootstrap servers (host:port,...)"},
    {"topic.raw", RPT_OPT_STRING, "reports.raw", 0, 0, offsetof(rpt_kafka_settings, topic_raw), 0,
     "topic of fetched documents"},
    {"topic.parsed", RPT_OPT_STRING, "reports.parsed", 0, 0,
     offsetof(rpt_kafka_settings, topic_parsed), 0, "topic of extracted documents"},
    {"topic.dlq", RPT_OPT_STRING, "reports.dlq", 0, 0, offsetof(rpt_kafka_settings, topic_dlq), 0,
     "dead-letter topic"},
    {"group.transform", RPT_OPT_STRING, "reportd-transform", 0, 0,
     offsetof(rpt_kafka_settings, group_transform), 0, "consumer group of the transform role"},
    {"group.load", RPT_OPT_STRING, "reportd-load", 0, 0, offsetof(rpt_kafka_settings, group_load),
     0, "consumer group of the load role"},
    {"session.timeout.ms", RPT_OPT_INT, "10000", 1000, 3600000,
     offsetof(rpt_kafka_settings, session_timeout_ms), 0, "consumer session timeout"},
    {"librdkafka", RPT_OPT_KV, NULL, 0, 0, offsetof(rpt_kafka_settings, librdkafka), 0,
     "extra librdkafka properties (security.protocol, sasl.*, ssl.*), passed verbatim"},
    {"librdkafka_secret_files", RPT_OPT_KV, NULL, 0, 0,
     offsetof(rpt_kafka_settings, librdkafka_secret_files), 0,
     "secret librdkafka properties read from files (first line), e.g. "
     "{\"sasl.password\": \"/run/credentials/reportd.service/kafka\"}; masked in output"},
    RPT_OPT_END};

int rpt_kafka_key_is_secret(const char *key)
{
    return strstr(key, "password") || strstr(key, "secret") || strncmp(key, "sasl.", 5) == 0;
}

