/* Helpers over librdkafka confs: setting a property with a readable error, routing logs.
 * The confs of the stages are built by rpt_kafka_conf_build() (client.h). */
#ifndef REPORTD_CONNECTORS_KAFKA_CONF_H
#define REPORTD_CONNECTORS_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>

#include "common/buf.h"

/* Sets one property; on failure appends "kafka property K: reason" to err and returns -1. */
int rpt_kafka_conf_put(rd_kafka_conf_t *conf, const char *key, const char *val, rpt_buf *err);

/* Sends librdkafka's log lines through rpt_log (component "kafka"). Every conf made by
 * rpt_kafka_conf_build() already does. */
void rpt_kafka_conf_route_logs(rd_kafka_conf_t *conf);

#endif
