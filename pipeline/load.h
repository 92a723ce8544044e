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
    rpt_role_ctl *ctl;  /* config, stop, ready, heartbeat */
    const char *group; /* offsets group; NULL: kafka.group.load */
    /* Replay: when set, these partitions are assigned at these offsets (no group
     * membership) and the loop ends once every partition reaches its offset in `end`
     * (exclusive). */
    const rd_kafka_topic_partition_list_t *start;
    const rd_kafka_topic_partition_list_t *end;
    /* Replay by time: messages with a timestamp before from_ms or at/after to_ms are
     * skipped (-1, or 0 when zero-initialised: no bound). */
    long long from_ms, to_ms;
    rpt_progress_fn progress; /* may be NULL; called about once a second and at the end */
    void *progress_opaque;
    rpt_load_stats *stats; /* may be NULL; totals of the run */
} rpt_loader_params;

/* Runs until ctl->stop (or the end of the replay range). Returns 0 on a clean stop, -1 on a
 * fatal error (logged): unknown schema version, Kafka client creation failure. */
int rpt_loader_run(const rpt_loader_params *p);

#endif
