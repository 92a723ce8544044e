/* librdkafka configuration built from the [kafka] settings. */
#ifndef REPORTD_CONNECTORS_KAFKA_CONF_H
#define REPORTD_CONNECTORS_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>

#include "common/buf.h"
#include "daemon/config.h"

/* A new librdkafka conf with bootstrap.servers, client.id and every pass-through property
 * of kafka.librdkafka set. Returns NULL with the offending property in err. The caller owns
 * the conf (rd_kafka_new() takes it over on success). */
rd_kafka_conf_t *rd_kafka_conf_from_settings(const rd_kafka_settings *ks, const char *client_id,
                                             rd_buf *err);
/* Sets one property; on failure appends "kafka property K: reason" to err and returns -1. */
int rd_kafka_conf_put(rd_kafka_conf_t *conf, const char *key, const char *val, rd_buf *err);

/* Sends librdkafka's log lines through rd_log (component "kafka"). Every conf made by
 * rd_kafka_conf_from_settings() already does. */
void rd_kafka_conf_route_logs(rd_kafka_conf_t *conf);

#endif
