/* Reachability checks behind READY=1 and /readyz: can we open a Postgres session and run a
 * query, and does a Kafka bootstrap server answer a metadata request. */
#ifndef REPORTD_DAEMON_PROBE_H
#define REPORTD_DAEMON_PROBE_H

#include "common/buf.h"
#include "pipeline/config.h"

/* Connects with the configured conninfo (password file included), runs SELECT 1, refreshes
 * the per-source freshness gauges (daemon/freshness.h) and disconnects. Returns 0, or -1 with a one-line reason (no secrets) in why. */
int rpt_probe_postgres(const rpt_config *cfg, int timeout_s, rpt_buf *why);

/* Keeps one Kafka client between checks (re-created when the bootstrap servers change). */
typedef struct rpt_kafka_probe rpt_kafka_probe;
rpt_kafka_probe *rpt_kafka_probe_new(void);
void rpt_kafka_probe_free(rpt_kafka_probe *p);
/* Asks the cluster for its broker list. Returns 0, or -1 with a reason in why. */
int rpt_kafka_probe_check(rpt_kafka_probe *p, const rpt_config *cfg, int timeout_s, rpt_buf *why);

#endif
