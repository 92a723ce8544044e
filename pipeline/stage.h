/* A role is one stage of the pipeline run as a loop: fetch, transform or load. `reportd run`
 * hosts any subset of them on threads; `reportd fetch --once` and `reportd replay` call them
 * directly. A role polls ctl->stop between units of work and, once it is set, drains
 * (finishes and commits the in-flight batch, flushes its producer) and returns. */
#ifndef REPORTD_PIPELINE_STAGE_H
#define REPORTD_PIPELINE_STAGE_H

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

/* Each returns 0 on a clean stop, -1 on a fatal error (logged). */
int rpt_role_fetch(rpt_role_ctl *ctl);
int rpt_role_transform(rpt_role_ctl *ctl);
int rpt_role_load(rpt_role_ctl *ctl);

#endif
