/* A role is one stage of the pipeline run as a loop: fetch, transform or load. `reportd run`
 * hosts any subset of them on threads; `reportd fetch --once` and `reportd replay` call them
 * directly. A role polls ctl->stop between units of work and, once it is set, drains
 * (finishes and commits the in-flight batch, flushes its producer) and returns. */
#ifndef REPORTD_PIPELINE_STAGE_H
#define REPORTD_PIPELINE_STAGE_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>

#include "pipeline/config.h"

/* A config shared by the roles; SIGHUP swaps in a new one while passes in flight keep
 * theirs until they release it. */
typedef struct rpt_config_holder rpt_config_holder;

typedef struct rpt_role_ctl {
    rpt_config_holder *config; /* see rpt_role_config_acquire() */
    atomic_int stop;        /* set by the runtime: drain and return */
    atomic_int ready;       /* set by the role once its Kafka/Postgres connections work */
    atomic_long heartbeat;  /* monotonic seconds of the role's last loop iteration */
    int instance, instances; /* fetch: this process handles sources with hash % instances == instance */
} rpt_role_ctl;

/* Holder owning `cfg` (moved in; the caller must not free it). NULL on ENOMEM. */
rpt_config_holder *rpt_config_holder_new(rpt_config *cfg);
/* Replaces the current config (moved in); the old one is freed once no role holds it. */
void rpt_config_holder_swap(rpt_config_holder *h, rpt_config *cfg);
void rpt_config_holder_free(rpt_config_holder *h);
/* The current config, valid until the matching release. Roles re-acquire it per pass or
 * per batch so that reloads take effect without a restart. */
const rpt_config *rpt_role_config_acquire(rpt_role_ctl *ctl);
void rpt_role_config_release(rpt_role_ctl *ctl, const rpt_config *cfg);

/* Progress of a consuming stage (transform or load), reported to replay. */
typedef struct rpt_stage_progress {
    long long done;  /* messages consumed */
    long long total; /* messages in the range (replay), else -1 */
    long long lag;   /* consumer lag, -1 when unknown */
    long long updated, unchanged, rejected;
    int finished;
} rpt_stage_progress;

typedef void (*rpt_progress_fn)(void *opaque, const rpt_stage_progress *p);

/* Declares the metrics the consuming stages share (idempotent). */
void rpt_stage_metrics_declare(void);

/* What a consuming stage (transform or load) is asked to do: run as a role in its consumer
 * group, or replay a range of offsets. Embedded as `stage` in each stage's parameters. */
typedef struct rpt_stage_params {
    rpt_role_ctl *ctl; /* config, stop, ready, heartbeat */
    const char *group; /* offsets group; NULL: the stage's kafka.group.* */
    /* Replay: when set, these partitions are assigned at these offsets (no group
     * membership) and the loop ends once every partition reaches its offset in `end`
     * (exclusive). Both lists hold the same partitions in the same order. */
    const rd_kafka_topic_partition_list_t *start;
    const rd_kafka_topic_partition_list_t *end;
    /* Replay by time: messages with a timestamp before from_ms or at/after to_ms are
     * skipped (-1, or 0 when zero-initialised: no bound). */
    long long from_ms, to_ms;
    rpt_progress_fn progress; /* may be NULL; called about once a second and at the end */
    void *progress_opaque;
} rpt_stage_params;

/* The consumer side both stages share: starting to consume (subscribe, or assign a replay
 * range), range and end-of-partition tracking, the time filter, consumed counts and lag,
 * and progress reports. */
typedef struct rpt_stage_consumer {
    const rpt_stage_params *p;
    const char *role; /* "transform" | "load": log component and metric label */
    rd_kafka_t *rk;   /* owned: closed and destroyed by rpt_stage_consumer_clear */
    long long consumed;
    int n_parts;
    int *done; /* replay: per partition of p->end, whether it reached its end */
    double last_tick;
} rpt_stage_consumer;

/* Starts consuming with rk (taken over, even on failure): assigns p->start for a replay,
 * else subscribes to topics[0..n). Then waits until the cluster answers (or stop) and
 * marks the role ready. Returns 0, or -1 (logged). */
int rpt_stage_consumer_start(rpt_stage_consumer *sc, const rpt_stage_params *p, const char *role,
                             rd_kafka_t *rk, const char *const *topics, size_t n);
/* Whether a polled message is one for the stage to process. Consumes end-of-partition
 * events and errors (logged), messages at or past a replay range's end (marking the
 * partition done) and, counted as consumed, messages outside the replay time bounds. A
 * message it returns 1 for is counted as consumed. */
int rpt_stage_accept(rpt_stage_consumer *sc, const rd_kafka_message_t *m);
/* After the stage seeks back to the offsets in l (to process a batch again): a replay's
 * partitions sought back before their end are no longer done. */
void rpt_stage_rewound(rpt_stage_consumer *sc, const rd_kafka_topic_partition_list_t *l);
/* True when a replay has reached the end of every partition of its range. */
int rpt_stage_range_finished(const rpt_stage_consumer *sc);
/* Reports progress (updated/unchanged/rejected are the stage's counts so far). */
void rpt_stage_report(rpt_stage_consumer *sc, long long updated, long long unchanged,
                      long long rejected, int finished);
/* Once a second: the lag gauge and a progress report. Cheap to call every iteration. */
void rpt_stage_tick(rpt_stage_consumer *sc, long long updated, long long unchanged,
                    long long rejected);
/* Stores the role's heartbeat (monotonic seconds). */
void rpt_stage_heartbeat(const rpt_stage_params *p);
/* Closes and destroys the consumer, frees the range state. */
void rpt_stage_consumer_clear(rpt_stage_consumer *sc);

/* Each returns 0 on a clean stop, -1 on a fatal error (logged). */
int rpt_role_fetch(rpt_role_ctl *ctl);
int rpt_role_transform(rpt_role_ctl *ctl);
int rpt_role_load(rpt_role_ctl *ctl);

#endif
