/* The load stage's loop: consume reports.parsed and reports.dlq, batch, write each batch
 * to Postgres through the sink (connectors/postgres/sink.h). Used by the load role
 * (subscribed in a consumer group, resuming from the offsets stored in Postgres on every
 * partition assignment) and by `reportd replay --topic reports.parsed` (explicitly assigned
 * partitions over a range of offsets). */
#ifndef REPORTD_PIPELINE_LOAD_H
#define REPORTD_PIPELINE_LOAD_H

#include <librdkafka/rdkafka.h>

#include "connectors/postgres/sink.h"
#include "pipeline/stage.h"

typedef struct rpt_loader_params {
    rpt_stage_params stage; /* stage.group NULL: kafka.group.load */
    rpt_load_stats *stats;  /* may be NULL; totals of the run */
} rpt_loader_params;

/* Runs until ctl->stop (or the end of the replay range). Returns 0 on a clean stop, -1 on a
 * fatal error (logged): unknown schema version, Kafka client creation failure. */
int rpt_loader_run(const rpt_loader_params *p);

#endif
