/* A role is one stage of the pipeline run as a loop: fetch, transform or load. `reportd run`
 * hosts any subset of them on threads; `reportd fetch --once` and `reportd replay` call them
 * directly. A role polls ctl->stop between units of work and, once it is set, drains
 * (finishes and commits the in-flight batch, flushes its producer) and returns. */
#ifndef REPORTD_DAEMON_ROLE_H
#define REPORTD_DAEMON_ROLE_H

#include <stdatomic.h>

#include "daemon/config.h"

typedef struct rd_role_ctl {
    const rd_config *cfg;
    atomic_int stop;        /* set by the runtime: drain and return */
    atomic_int ready;       /* set by the role once its Kafka/Postgres connections work */
    atomic_long heartbeat;  /* monotonic seconds of the role's last loop iteration */
    int instance, instances; /* fetch: this process handles sources with hash % instances == instance */
} rd_role_ctl;

/* Each returns 0 on a clean stop, -1 on a fatal error (logged). */
int rd_role_fetch(rd_role_ctl *ctl);
int rd_role_transform(rd_role_ctl *ctl);
int rd_role_load(rd_role_ctl *ctl);

#endif
