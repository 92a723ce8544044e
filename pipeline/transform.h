/* The transform stage's loop: consume reports.raw, run the extractor, produce one
 * reports.parsed message per document (key doc_id) or a reports.dlq message for input that
 * cannot be processed. Consumed offsets are stored and committed only once every message
 * produced for them has been acknowledged by the broker. Used by the transform role
 * (consumer group kafka.group.transform) and by `reportd replay --topic reports.raw`
 * (explicitly assigned range, nothing committed). */
#ifndef REPORTD_PIPELINE_TRANSFORM_H
#define REPORTD_PIPELINE_TRANSFORM_H

#include <librdkafka/rdkafka.h>

#include "pipeline/stage.h"

typedef struct rpt_transform_stats {
    long long produced;  /* reports.parsed messages acknowledged */
    long long unchanged; /* replay: skipped, Postgres already holds this version of the bytes */
    long long rejected;  /* reports.dlq messages acknowledged */
} rpt_transform_stats;

typedef struct rpt_transform_params {
    rpt_stage_params stage; /* stage.group NULL: kafka.group.transform */
    /* Replay: skip documents whose Postgres row already has the current transform version
     * and the same sha256 (counted as unchanged). Needs postgres.conninfo. */
    int skip_unchanged;
    rpt_transform_stats *stats; /* may be NULL; totals of the run */
} rpt_transform_params;

/* Runs until ctl->stop (or the end of the replay range). Returns 0 or -1 (fatal, logged). */
int rpt_transform_run(const rpt_transform_params *p);

/* The transform version written into reports.parsed: RPT_TRANSFORM_VERSION, or the positive
 * integer in $REPORTD_TRANSFORM_VERSION (to force a re-derivation, and for tests). */
int rpt_transform_version(void);

#endif
