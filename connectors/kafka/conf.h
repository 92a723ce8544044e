/* librdkafka configuration built from the [kafka] settings. */
#ifndef REPORTD_CONNECTORS_KAFKA_CONF_H
#define REPORTD_CONNECTORS_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>

#include "common/buf.h"
#include "connectors/kafka/settings.h"

/* A new librdkafka conf with bootstrap.servers, client.id and every pass-through property
 * of kafka.librdkafka set. Returns NULL with the offending property in err. The caller owns
 * the conf (rd_kafka_new() takes it over on success). */
rd_kafka_conf_t *rpt_kafka_conf_from_settings(const rpt_kafka_settings *ks, const char *client_id,
                                             rpt_buf *err);
/* Sets one property; on failure appends "kafka property K: reason" to err and returns -1. */
int rpt_kafka_conf_put(rd_kafka_conf_t *conf, const char *key, const char *val, rpt_buf *err);

/* Sends librdkafka's log lines through rpt_log (component "kafka"). Every conf made by
 * rpt_kafka_conf_from_settings() already does. */
void rpt_kafka_conf_route_logs(rd_kafka_conf_t *conf);

#endif
