/* The long-running service behind `reportd run`: hosts the selected roles on threads,
 * serves /metrics, /healthz and /readyz, tells systemd about readiness, status and the
 * watchdog, and reacts to signals:
 *   SIGTERM, SIGINT  drain: every role is asked to stop (finish and commit its in-flight
 *                    batch, flush its producer); the process waits up to
 *                    runtime.shutdown_grace_s for them, then gives up (exit 1). A second
 *                    SIGTERM/SIGINT during the drain gives up at once.
 *   SIGHUP           reload: the config file is read again; a valid one replaces the
 *                    current config for the next pass or batch of every role, an invalid
 *                    one is logged and the old one keeps running.
 * A role that returns while no stop was requested ends the process (exit 1) after the
 * others drained, so the service manager restarts it. */
#ifndef REPORTD_DAEMON_RUNTIME_H
#define REPORTD_DAEMON_RUNTIME_H

#include "common/buf.h"
#include "pipeline/config.h"
#include "pipeline/stage.h"

typedef int (*rpt_role_fn)(rpt_role_ctl *ctl);

typedef struct rpt_role_def {
    const char *name;   /* "fetch", "transform", "load" */
    rpt_role_fn run;     /* NULL: not built into this binary */
    int needs_postgres; /* readiness waits for Postgres when a hosted role writes to it */
} rpt_role_def;

/* Readiness check: returns 1 when the services the roles need are reachable, else 0 with a
 * one-line reason in why. Called from the probe thread with a config the runtime holds. */
typedef int (*rpt_runtime_probe_fn)(void *arg, const rpt_config *cfg, int needs_postgres,
                                   rpt_buf *why);

typedef struct rpt_runtime_opts {
    const rpt_role_def *roles; /* the roles to host */
    size_t n_roles;
    int instance, instances;   /* --instance i/N (0/1 by default) */
    rpt_runtime_probe_fn probe; /* NULL: the real Postgres and Kafka checks */
    void *probe_arg;
    int no_http; /* tests: do not start the endpoint even when http.listen is set */
} rpt_runtime_opts;

/* Runs until a stop signal and returns the process exit code (0 after a clean drain, 1 when
 * a role failed or the grace period ran out). Takes ownership of `cfg` (loaded from
 * cfg->path, which SIGHUP re-reads). Blocks SIGTERM, SIGINT and SIGHUP in the calling thread
 * and in every thread it starts; restores the caller's mask on return. When the grace period
 * runs out, roles still running are abandoned with their config (the process is about to
 * exit). */
int rpt_runtime_run(const rpt_runtime_opts *opts, rpt_config *cfg);

/* Selects roles by a comma-separated list of names ("fetch,load"; NULL or "all": every
 * role of `all`). Fills out[] (room for n_all) and *n_out. Unknown, repeated or unbuilt
 * roles are errors. Returns 0 or -1 with a message in err. */
int rpt_runtime_select_roles(const char *list, const rpt_role_def *all, size_t n_all,
                            rpt_role_def *out, size_t *n_out, rpt_buf *err);

/* Parses "--instance i/N" text ("2/4": instance 2 of 4, 0-based). Returns 0 or -1. */
int rpt_runtime_parse_instance(const char *text, int *instance, int *instances, rpt_buf *err);

/* The default probe: Kafka metadata, plus Postgres when needs_postgres. */
int rpt_runtime_default_probe(void *arg, const rpt_config *cfg, int needs_postgres, rpt_buf *why);

#endif
