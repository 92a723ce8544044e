#include "daemon/runtime.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "pipeline/fetch/sources/source.h"
#include "daemon/http_endpoint.h"
#include "common/metrics.h"
#include "daemon/notify.h"
#include "daemon/probe.h"

typedef struct role_thread {
    const rpt_role_def *def;
    rpt_role_ctl ctl;
    pthread_t tid;
    int started;
    atomic_int done;
    int rc;
} role_thread;

typedef struct runtime {
    const rpt_runtime_opts *opts;
    rpt_config_holder *holder;
    role_thread *roles;
    size_t n_roles;
    int needs_postgres;
    rpt_runtime_probe_fn probe;
    void *probe_arg;
    rpt_kafka_probe *kafka_probe; /* owned when the default probe is used */

    pthread_mutex_t lock; /* guards the fields below */
    pthread_cond_t wake;  /* wakes the probe thread (stop or re-check) */
    int probe_stop, probe_again;
    int probed, ready, draining;
    char *reason; /* why not ready */
    pthread_t probe_tid;
    int probe_started;

    /* set up once, read by the main thread only */
    sigset_t signals;           /* the stop and reload signals, blocked in every thread */
    rpt_http_endpoint *http;    /* NULL when not serving */
    double grace_s;             /* runtime.shutdown_grace_s of the current config */
    double tick_s;              /* main loop period */
    unsigned long long wd_usec; /* systemd watchdog period, 0 when off */
    double wd_every;            /* feed the watchdog this often (seconds) */
    int abandoned;              /* a role outlived the drain: keep what it may read */
} runtime;

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rpt_runtime_parse_instance(const char *text, int *instance, int *instances, rpt_buf *err)
{
    char *end;
    long i = strtol(text, &end, 10);
    if (end == text || *end != '/') goto bad;
    const char *n_text = end + 1;
    long n = strtol(n_text, &end, 10);
    if (end == n_text || *end || n < 1 || n > 4096 || i < 0 || i >= n) goto bad;
    *instance = (int)i;
    *instances = (int)n;
    return 0;
bad:
    rpt_buf_printf(err, "--instance: expected I/N with 0 <= I < N <= 4096, got \"%s\"", text);
    return -1;
}

int rpt_runtime_select_roles(const char *list, const rpt_role_def *all, size_t n_all,
                            rpt_role_def *out, size_t *n_out, rpt_buf *err)
{
    *n_out = 0;
    if (!list || strcmp(list, "all") == 0) {
        for (size_t i = 0; i < n_all; i++) {
            if (!all[i].run) {
                rpt_buf_printf(err, "role %s is not built into this binary", all[i].name);
                return -1;
            }
            out[(*n_out)++] = all[i];
        }
        return 0;
    }
    char *copy = strdup(list), *save = NULL;
    if (!copy) return -1;
    int rc = -1;
    for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < n_all && strcmp(all[i].name, name))
            i++;
        if (i == n_all) {
            rpt_buf_printf(err, "--role: unknown role \"%s\" (expected fetch, transform, load)",
                          name);
            goto done;
        }
        for (size_t j = 0; j < *n_out; j++) {
            if (strcmp(out[j].name, name) == 0) {
                rpt_buf_printf(err, "--role: role \"%s\" given twice", name);
                goto done;
            }
        }
        if (!all[i].run) {
            rpt_buf_printf(err, "role %s is not built into this binary", name);
            goto done;
        }
        out[(*n_out)++] = all[i];
    }
    if (*n_out == 0) {
        rpt_buf_puts(err, "--role: no role given");
        goto done;
    }
    rc = 0;
done:
    free(copy);
    return rc;
}

int rpt_runtime_default_probe(void *arg, const rpt_config *cfg, int needs_postgres, rpt_buf *why)
{
    int timeout = (int)cfg->runtime.probe_timeout_s;
    int ok = 1;
    if (needs_postgres && rpt_probe_postgres(cfg, timeout, why)) ok = 0;
    rpt_buf kwhy = RPT_BUF_INIT;
    if (rpt_kafka_probe_check(arg, cfg, timeout, &kwhy)) {
        if (why->len) rpt_buf_puts(why, "; ");
        rpt_buf_puts(why, kwhy.data ? kwhy.data : "kafka unreachable");
        ok = 0;
    }
    rpt_buf_clear(&kwhy);
    return ok;
}

/* Probe thread: re-checks reachability every runtime.probe_interval_s (or when woken after a
 * reload) and publishes the result for /readyz and the main loop. */
static void *probe_main(void *arg)
{
    runtime *rt = arg;
    rpt_role_ctl ctl = {.config = rt->holder};
    pthread_mutex_lock(&rt->lock);
    while (!rt->probe_stop) {
        pthread_mutex_unlock(&rt->lock);
        const rpt_config *cfg = rpt_role_config_acquire(&ctl);
        long long interval = cfg->runtime.probe_interval_s;
        rpt_buf why = RPT_BUF_INIT;
        int ok = rt->probe(rt->probe_arg, cfg, rt->needs_postgres, &why);
        rpt_role_config_release(&ctl, cfg);
        pthread_mutex_lock(&rt->lock);
        if (!rt->probed || ok != rt->ready) {
            if (ok)
                rpt_log_info("runtime", "dependencies reachable", "postgres=%s kafka=ok",
                            rt->needs_postgres ? "ok" : "not-needed");
            else
                rpt_log_warn("runtime", "not ready", "reason=\"%s\"", why.data ? why.data : "");
        }
        rt->probed = 1;
        rt->ready = ok;
        free(rt->reason);
        rt->reason = ok ? NULL : rpt_buf_steal(&why);
        rpt_buf_clear(&why);
        rpt_metrics_set("reportd_ready", NULL, ok);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)interval;
        while (!rt->probe_stop && !rt->probe_again &&
               pthread_cond_timedwait(&rt->wake, &rt->lock, &until) != ETIMEDOUT) {
        }
        rt->probe_again = 0;
    }
    pthread_mutex_unlock(&rt->lock);
    return NULL;
}

static int roles_alive(runtime *rt, double limit_s);

/* /readyz: ready once a probe succeeded and until the drain starts, as long as every role
 * heart-beats within twice load.stall_s (a stalled role withholds its heartbeat). */
static int readiness(void *arg, rpt_buf *why)
{
    runtime *rt = arg;
    rpt_role_ctl ctl = {.config = rt->holder};
    const rpt_config *cfg = rpt_role_config_acquire(&ctl);
    long long stall_s = cfg->load.stall_s;
    rpt_role_config_release(&ctl, cfg);
    pthread_mutex_lock(&rt->lock);
    int ok = rt->probed && rt->ready && !rt->draining;
    if (!ok)
        rpt_buf_puts(why, rt->draining  ? "draining"
                         : !rt->probed ? "starting"
                                       : (rt->reason ? rt->reason : "dependencies unreachable"));
    if (ok && !roles_alive(rt, 2.0 * (double)stall_s)) {
        rpt_buf_printf(why, "a role has not made progress for %lld s", 2 * stall_s);
        ok = 0;
    }
    pthread_mutex_unlock(&rt->lock);
    return ok;
}

static void *role_main(void *arg)
{
    role_thread *t = arg;
    char labels[64];
    snprintf(labels, sizeof labels, "role=\"%s\"", t->def->name);
    rpt_log_info("runtime", "role started", "role=%s instance=%d/%d", t->def->name, t->ctl.instance,
                t->ctl.instances);
    rpt_metrics_set("reportd_role_running", labels, 1);
    t->rc = t->def->run(&t->ctl);
    rpt_metrics_set("reportd_role_running", labels, 0);
    if (t->rc)
        rpt_log_error("runtime", "role failed", "role=%s", t->def->name);
    else
        rpt_log_info("runtime", "role stopped", "role=%s", t->def->name);
    atomic_store(&t->done, 1);
    return NULL;
}

/* Applies log.level and log.format of `cfg` to the process. */
static void apply_logging(const rpt_config *cfg)
{
    rpt_log_level lvl;
    if (rpt_log_level_parse(cfg->log.level, &lvl) == 0) rpt_log_set_level(lvl);
    rpt_log_set_format(cfg->log.format);
}

/* SIGHUP: loads the config file again; swaps it in when valid, keeps the old one otherwise. */
static void reload(runtime *rt, int was_ready)
{
    rpt_role_ctl ctl = {.config = rt->holder};
    const rpt_config *cur = rpt_role_config_acquire(&ctl);
    char *path = cur->path ? strdup(cur->path) : NULL;
    char *old_listen = strdup(cur->http.listen ? cur->http.listen : "");
    size_t old_sources = cur->sources ? cur->sources->n : 0;
    rpt_role_config_release(&ctl, cur);
    if (!path) {
        rpt_log_warn("runtime", "SIGHUP ignored: started without a config file", "%s", "");
        goto done;
    }
    if (was_ready) rpt_notify_reloading("reloading the config");
    rpt_config next;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&next, path, &err)) {
        rpt_log_error("runtime", "reload failed; keeping the running config", "file=%s error=\"%s\"",
                     path, err.data ? err.data : "");
        rpt_metrics_inc("reportd_config_reloads_total", "result=\"error\"");
        rpt_buf_clear(&err);
        if (was_ready) rpt_notify_ready("reload failed; running the previous config");
        goto done;
    }
    rpt_source *sources = NULL;
    size_t n_checked = 0;
    if (rpt_sources_load(&next, &sources, &n_checked, &err)) {
        rpt_log_error("runtime", "reload failed; keeping the running config", "file=%s error=\"%s\"",
                     path, err.data ? err.data : "");
        rpt_metrics_inc("reportd_config_reloads_total", "result=\"error\"");
        rpt_buf_clear(&err);
        rpt_config_clear(&next);
        if (was_ready) rpt_notify_ready("reload failed; running the previous config");
        goto done;
    }
    rpt_sources_free(sources, n_checked);
    rpt_buf_clear(&err);
    if (old_listen && strcmp(old_listen, next.http.listen ? next.http.listen : ""))
        rpt_log_warn("runtime", "http.listen changes take effect on restart", "listen=%s",
                    old_listen);
    size_t new_sources = next.sources ? next.sources->n : 0;
    apply_logging(&next);
    rpt_config_holder_swap(rt->holder, &next);
    rpt_metrics_inc("reportd_config_reloads_total", "result=\"ok\"");
    rpt_log_info("runtime", "config reloaded", "file=%s sources_before=%zu sources=%zu", path,
                old_sources, new_sources);
    pthread_mutex_lock(&rt->lock);
    rt->probe_again = 1;
    pthread_cond_signal(&rt->wake);
    pthread_mutex_unlock(&rt->lock);
    if (was_ready) rpt_notify_ready("config reloaded");
done:
    free(path);
    free(old_listen);
}

/* One-line summary for systemd's STATUS= (and the logs). */
static void status_line(runtime *rt, rpt_buf *out)
{
    rpt_buf_reset(out);
    pthread_mutex_lock(&rt->lock);
    if (rt->draining)
        rpt_buf_puts(out, "draining: finishing in-flight work");
    else if (!rt->probed)
        rpt_buf_puts(out, "starting: checking Postgres and Kafka");
    else if (!rt->ready)
        rpt_buf_printf(out, "waiting: %s", rt->reason ? rt->reason : "dependencies unreachable");
    else
        rpt_buf_printf(out, "running: %.0f documents loaded",
                      rpt_metrics_get("reportd_load_documents_total", "result=\"updated\""));
    pthread_mutex_unlock(&rt->lock);
    rpt_buf_puts(out, " [roles ");
    for (size_t i = 0; i < rt->n_roles; i++)
        rpt_buf_printf(out, "%s%s%s", i ? "," : "", rt->roles[i].def->name,
                      atomic_load(&rt->roles[i].done) ? "(stopped)" : "");
    if (rt->opts->instances > 1)
        rpt_buf_printf(out, ", instance %d/%d", rt->opts->instance, rt->opts->instances);
    rpt_buf_puts(out, "]");
}

/* True when every role that reports heartbeats did so within `limit_s` seconds. */
static int roles_alive(runtime *rt, double limit_s)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    for (size_t i = 0; i < rt->n_roles; i++) {
        long hb = atomic_load(&rt->roles[i].ctl.heartbeat);
        if (hb <= 0) continue; /* the role does not report heartbeats */
        if ((double)((long)ts.tv_sec - hb) > limit_s) return 0;
    }
    return 1;
}

static void declare_metrics(void)
{
    rpt_metrics_declare("reportd_build_info", RPT_METRIC_GAUGE, "Version of this reportd binary.");
    rpt_metrics_declare("reportd_ready", RPT_METRIC_GAUGE,
                       "1 when Postgres and Kafka were reachable at the last check.");
    rpt_metrics_declare("reportd_role_running", RPT_METRIC_GAUGE,
                       "1 while the role's thread runs in this process.");
    rpt_metrics_declare("reportd_config_reloads_total", RPT_METRIC_COUNTER,
                       "Config reloads on SIGHUP by result.");
    rpt_metrics_declare("process_start_time_seconds", RPT_METRIC_GAUGE,
                       "Start time of the process since the Unix epoch in seconds.");
    rpt_metrics_set("reportd_build_info", "version=\"" REPORTD_VERSION "\"", 1);
    rpt_metrics_set("process_start_time_seconds", NULL, (double)time(NULL));
}

/* Waits up to `timeout_s` for one of the blocked signals; returns it or 0. */
static int wait_signal(const sigset_t *set, double timeout_s)
{
    struct timespec ts = {.tv_sec = (time_t)timeout_s,
                          .tv_nsec = (long)((timeout_s - (double)(time_t)timeout_s) * 1e9)};
    int sig = sigtimedwait(set, NULL, &ts);
    return sig > 0 ? sig : 0;
}

/* Asks every role to stop and waits for them until the grace period ends or a second stop
 * signal arrives. Returns 0 when all returned, -1 when some were abandoned. */
static int drain(runtime *rt, const sigset_t *set, double grace_s, double tick_s)
{
    pthread_mutex_lock(&rt->lock);
    rt->draining = 1;
    pthread_mutex_unlock(&rt->lock);
    rpt_notify_stopping("draining: finishing in-flight work");
    for (size_t i = 0; i < rt->n_roles; i++)
        atomic_store(&rt->roles[i].ctl.stop, 1);
    double deadline = now_mono() + grace_s;
    int gave_up = 0;
    for (;;) {
        size_t running = 0;
        for (size_t i = 0; i < rt->n_roles; i++)
            if (rt->roles[i].started && !atomic_load(&rt->roles[i].done)) running++;
        if (!running) break;
        double left = deadline - now_mono();
        if (left <= 0) {
            gave_up = 1;
            break;
        }
        double step = tick_s < 0.1 ? tick_s : 0.1;
        int sig = wait_signal(set, left < step ? left : step);
        if (sig == SIGTERM || sig == SIGINT) {
            rpt_log_warn("runtime", "second stop signal: not waiting for the drain", "signal=%d",
                        sig);
            gave_up = 1;
            break;
        }
        if (rpt_notify_watchdog_usec()) rpt_notify_watchdog();
    }
    for (size_t i = 0; i < rt->n_roles; i++) {
        role_thread *t = &rt->roles[i];
        if (!t->started) continue;
        if (atomic_load(&t->done)) {
            pthread_join(t->tid, NULL);
        } else {
            rpt_log_error("runtime", "role did not finish within the grace period",
                         "role=%s grace_s=%.0f", t->def->name, grace_s);
            pthread_detach(t->tid);
        }
        t->started = atomic_load(&t->done) ? 0 : 1;
    }
    return gave_up ? -1 : 0;
}

/* Creates the runtime state of one run (roles not started). NULL when out of memory. */
static runtime *runtime_new(const rpt_runtime_opts *opts, const sigset_t *signals)
{
    runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return NULL;
    rt->opts = opts;
    rt->signals = *signals;
    pthread_mutex_init(&rt->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&rt->wake, &ca);
    pthread_condattr_destroy(&ca);
    return rt;
}

/* Set-up before any thread starts: logging, the config holder (takes ownership of cfg),
 * the readiness probe, the metrics, the HTTP endpoint, the watchdog tick and the role
 * slots. Returns 0, or -1 (logged when not out of memory). */
static int runtime_setup(runtime *rt, rpt_config *cfg)
{
    const rpt_runtime_opts *opts = rt->opts;
    rpt_buf err = RPT_BUF_INIT;
    int rc = -1;
    apply_logging(cfg);
    char *listen = cfg->http.listen && *cfg->http.listen ? strdup(cfg->http.listen) : NULL;
    rt->grace_s = (double)cfg->runtime.shutdown_grace_s;
    rt->holder = rpt_config_holder_new(cfg);
    if (!rt->holder) {
        rpt_config_clear(cfg);
        goto done;
    }
    for (size_t i = 0; i < opts->n_roles; i++)
        if (opts->roles[i].needs_postgres) rt->needs_postgres = 1;
    rt->probe = opts->probe;
    rt->probe_arg = opts->probe_arg;
    if (!rt->probe) {
        rt->kafka_probe = rpt_kafka_probe_new();
        if (!rt->kafka_probe) goto done;
        rt->probe = rpt_runtime_default_probe;
        rt->probe_arg = rt->kafka_probe;
    }
    declare_metrics();
    if (listen && !opts->no_http) {
        rt->http = rpt_http_endpoint_start(listen, readiness, rt, &err);
        if (!rt->http) {
            rpt_log_error("runtime", "cannot start the HTTP endpoint", "error=\"%s\"", err.data);
            goto done;
        }
        rpt_log_info("runtime", "HTTP endpoint listening", "listen=%s port=%d", listen,
                    rpt_http_endpoint_port(rt->http));
    }
    rt->wd_usec = rpt_notify_watchdog_usec();
    rt->tick_s = 1.0;
    rt->wd_every = rt->wd_usec ? (double)rt->wd_usec / 2e6 : 0;
    if (rt->wd_usec && (double)rt->wd_usec / 3e6 < rt->tick_s)
        rt->tick_s = (double)rt->wd_usec / 3e6;
    rt->roles = calloc(opts->n_roles ? opts->n_roles : 1, sizeof *rt->roles);
    if (!rt->roles) goto done;
    rc = 0;
done:
    free(listen);
    rpt_buf_clear(&err);
    return rc;
}

/* Starts the probe thread (without it the runtime never becomes ready, but runs) and one
 * thread per role. Returns 0, or -1 when a role thread could not start (the ones started
 * are drained by the caller). */
static int start_threads(runtime *rt)
{
    const rpt_runtime_opts *opts = rt->opts;
    if (pthread_create(&rt->probe_tid, NULL, probe_main, rt) == 0) rt->probe_started = 1;
    pthread_mutex_lock(&rt->lock); /* readiness() reads the roles from the HTTP thread */
    rt->n_roles = opts->n_roles;
    pthread_mutex_unlock(&rt->lock);
    for (size_t i = 0; i < rt->n_roles; i++) {
        role_thread *t = &rt->roles[i];
        t->def = &opts->roles[i];
        t->ctl.config = rt->holder;
        t->ctl.instance = opts->instance;
        t->ctl.instances = opts->instances > 0 ? opts->instances : 1;
        if (pthread_create(&t->tid, NULL, role_main, t) != 0) {
            rpt_log_error("runtime", "cannot start role thread", "role=%s", t->def->name);
            return -1;
        }
        t->started = 1;
    }
    return 0;
}

/* What the main loop keeps from one tick to the next. */
typedef struct loop_state {
    rpt_buf status, last_status; /* the status line now and as last sent */
    int ready_sent;              /* READY=1 was sent */
    int stale_logged;            /* a withheld watchdog was logged */
    double last_wd;              /* when the watchdog was last fed */
} loop_state;

/* Sends READY=1 once the dependencies are reachable, and STATUS= when the status line
 * changed. */
static void report_status(runtime *rt, loop_state *ls)
{
    pthread_mutex_lock(&rt->lock);
    int ready = rt->probed && rt->ready;
    pthread_mutex_unlock(&rt->lock);
    status_line(rt, &ls->status);
    if (ready && !ls->ready_sent) {
        rpt_notify_ready(ls->status.data);
        ls->ready_sent = 1;
        rpt_log_info("runtime", "ready", "status=\"%s\"", ls->status.data);
    } else if (!ls->last_status.data || strcmp(ls->status.data, ls->last_status.data)) {
        rpt_notify_status(ls->status.data);
    }
    rpt_buf_reset(&ls->last_status);
    rpt_buf_puts(&ls->last_status, ls->status.data);
}

/* Feeds the systemd watchdog every wd_every seconds while every role makes progress;
 * withholds it (logged once) while one does not. */
static void feed_watchdog(runtime *rt, loop_state *ls)
{
    if (!rt->wd_usec || now_mono() - ls->last_wd < rt->wd_every) return;
    if (roles_alive(rt, (double)rt->wd_usec / 1e6)) {
        rpt_notify_watchdog();
        ls->last_wd = now_mono();
        ls->stale_logged = 0;
    } else if (!ls->stale_logged) {
        rpt_log_error("runtime", "a role stopped making progress: withholding the watchdog",
                     "watchdog_usec=%llu", rt->wd_usec);
        ls->stale_logged = 1;
    }
}

/* The main loop, one tick at a time: reloads on SIGHUP, reports status and readiness,
 * feeds the watchdog. Returns 0 on a stop signal, 1 when a role stopped on its own. */
static int main_loop(runtime *rt)
{
    loop_state ls = {RPT_BUF_INIT, RPT_BUF_INIT, 0, 0, 0};
    int exit_code = 0;
    if (rt->wd_usec)
        rpt_log_info("runtime", "systemd watchdog enabled", "watchdog_usec=%llu", rt->wd_usec);
    for (;;) {
        int sig = wait_signal(&rt->signals, rt->tick_s);
        if (sig == SIGTERM || sig == SIGINT) {
            rpt_log_info("runtime", "stop requested: draining", "signal=%s grace_s=%.0f",
                        sig == SIGTERM ? "TERM" : "INT", rt->grace_s);
            break;
        }
        if (sig == SIGHUP) {
            reload(rt, ls.ready_sent);
            rpt_role_ctl ctl = {.config = rt->holder};
            const rpt_config *cur = rpt_role_config_acquire(&ctl);
            rt->grace_s = (double)cur->runtime.shutdown_grace_s;
            rpt_role_config_release(&ctl, cur);
        }
        int failed = 0;
        for (size_t i = 0; i < rt->n_roles; i++)
            if (atomic_load(&rt->roles[i].done)) failed = 1;
        if (failed) {
            rpt_log_error("runtime", "a role stopped on its own: shutting down", "%s", "");
            exit_code = 1;
            break;
        }
        report_status(rt, &ls);
        feed_watchdog(rt, &ls);
    }
    rpt_buf_clear(&ls.status);
    rpt_buf_clear(&ls.last_status);
    return exit_code;
}

/* Drains the roles and returns the exit code: exit_code, or 1 when the drain gave up or a
 * role failed. Marks the runtime abandoned when a role thread is still running. */
static int stop_roles(runtime *rt, int exit_code)
{
    if (drain(rt, &rt->signals, rt->grace_s, rt->tick_s)) {
        exit_code = 1;
        for (size_t i = 0; i < rt->n_roles; i++)
            if (rt->roles[i].started) rt->abandoned = 1;
    }
    for (size_t i = 0; i < rt->n_roles; i++)
        if (rt->roles[i].rc) exit_code = 1;
    rpt_log_info("runtime", "stopped", "exit_code=%d", exit_code);
    return exit_code;
}

/* Stops the probe thread and the HTTP endpoint and frees the runtime, except what an
 * abandoned role may still read (its config and its ctl): the process is about to exit. */
static void runtime_teardown(runtime *rt)
{
    if (rt->probe_started) {
        pthread_mutex_lock(&rt->lock);
        rt->probe_stop = 1;
        pthread_cond_signal(&rt->wake);
        pthread_mutex_unlock(&rt->lock);
        pthread_join(rt->probe_tid, NULL);
    }
    rpt_http_endpoint_stop(rt->http);
    rpt_kafka_probe_free(rt->kafka_probe);
    if (!rt->abandoned) {
        rpt_config_holder_free(rt->holder);
        free(rt->roles);
        pthread_cond_destroy(&rt->wake);
        pthread_mutex_destroy(&rt->lock);
        free(rt->reason);
        free(rt);
    }
}

int rpt_runtime_run(const rpt_runtime_opts *opts, rpt_config *cfg)
{
    int exit_code = 1;
    sigset_t set, old_mask;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, &old_mask); /* inherited by every thread started below */
    runtime *rt = runtime_new(opts, &set);
    if (!rt) {
        rpt_config_clear(cfg);
        goto out;
    }
    if (runtime_setup(rt, cfg) == 0) {
        if (start_threads(rt) == 0) exit_code = main_loop(rt);
        exit_code = stop_roles(rt, exit_code);
    }
    runtime_teardown(rt);
out:
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    return exit_code;
}
