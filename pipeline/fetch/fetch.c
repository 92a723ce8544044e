#include "pipeline/fetch/fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/metrics.h"
#include "pipeline/stage.h"

#define STATE_BATCH 2000
#define STATE_FLUSH_MS 1000
#define STEP_MS 200
#define DRAIN_MS 30000
#define MAX_UNDELIVERED 1000 /* backpressure: documents produced but not yet confirmed */

/* The shared machinery of passes. */
typedef struct machine {
    rpt_fetch_settings fs; /* numeric settings and flags; strings not kept */
    rpt_crawl_env env;
    long long last_flush;
} machine;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rpt_fetch_assigned(const char *name, int instance, int instances)
{
    if (instances <= 1) return 1;
    return (int)(rpt_source_hash(name) % (unsigned)instances) == instance;
}

static void machine_free(machine *m)
{
    rpt_fetcher_free(m->env.fetcher); /* cancels what is queued: passes see it complete */
    m->env.fetcher = NULL;
    if (m->env.emitter) {
        rpt_emitter_flush(m->env.emitter, DRAIN_MS);
        rpt_emitter_free(m->env.emitter);
        m->env.emitter = NULL;
    }
    if (m->env.state) {
        rpt_buf err = RPT_BUF_INIT;
        if (rpt_fetch_state_flush(m->env.state, &err))
            rpt_log_error("fetch", "cannot write fetch state", "reason=\"%s\"", err.data);
        rpt_buf_clear(&err);
        rpt_fetch_state_close(m->env.state);
        m->env.state = NULL;
    }
}

static int machine_init(machine *m, const rpt_config *cfg, rpt_buf *err)
{
    memset(m, 0, sizeof *m);
    m->fs = cfg->fetch;
    m->fs.ca_file = m->fs.user_agent = NULL;
    m->env.fetch = &m->fs;
    char *conninfo = rpt_config_pg_conninfo(cfg);
    m->env.state = conninfo ? rpt_fetch_state_open(conninfo, err) : NULL;
    free(conninfo);
    if (!m->env.state) goto fail;
    m->env.emitter = rpt_emitter_new(&cfg->kafka, err);
    if (!m->env.emitter) goto fail;
    m->env.fetcher = rpt_fetcher_new(&cfg->fetch, err);
    if (!m->env.fetcher) goto fail;
    m->last_flush = now_ms();
    return 0;
fail:
    machine_free(m);
    return -1;
}

/* Writes buffered fetch state when a batch is full, after a while, or when forced. */
static void maybe_flush(machine *m, int force)
{
    size_t pending = rpt_fetch_state_pending(m->env.state);
    if (!pending) return;
    long long now = now_ms();
    if (!force && pending < STATE_BATCH && now - m->last_flush < STATE_FLUSH_MS) return;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_fetch_state_flush(m->env.state, &err))
        rpt_log_error("fetch", "cannot write fetch state (kept for the next try)",
                     "pending=%zu reason=\"%s\"", pending, err.data ? err.data : "");
    rpt_buf_clear(&err);
    m->last_flush = now;
}

/* One turn of the event loop: transfers, delivery reports, state writes. */
static void machine_step(machine *m)
{
    /* Fetch no faster than the broker confirms: bounds the memory held in the producer. */
    for (int i = 0; i < 100 && rpt_emitter_in_flight(m->env.emitter) > MAX_UNDELIVERED; i++)
        rpt_emitter_poll(m->env.emitter, 10);
    if (rpt_fetcher_outstanding(m->env.fetcher)) {
        rpt_fetcher_step(m->env.fetcher, STEP_MS);
        rpt_emitter_poll(m->env.emitter, 0);
    } else {
        rpt_emitter_poll(m->env.emitter, rpt_emitter_in_flight(m->env.emitter) ? 50 : STEP_MS);
    }
    maybe_flush(m, 0);
}

static void log_pass(const char *name, const rpt_crawl_counts *k)
{
    rpt_log_info("fetch", "pass finished",
                "source=%s pages=%ld new=%ld changed=%ld unchanged=%ld "
                "failed=%ld",
                name, k->pages, k->new_docs, k->changed, k->unchanged, k->failed);
}

void rpt_fetch_summaries_free(rpt_fetch_summary *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].source);
        free(s[i].error);
    }
    free(s);
}

int rpt_fetch_once(const rpt_config *cfg, int instance, int instances, atomic_int *stop,
                  rpt_fetch_summary **out, size_t *n_out, rpt_buf *err)
{
    *out = NULL;
    *n_out = 0;
    rpt_source *sources = NULL;
    size_t n = 0;
    if (rpt_sources_load(cfg, &sources, &n, err)) return -1;
    machine m;
    if (machine_init(&m, cfg, err)) {
        rpt_sources_free(sources, n);
        return -1;
    }
    rpt_fetch_summary *sum = calloc(n ? n : 1, sizeof *sum);
    rpt_crawl **crawls = calloc(n ? n : 1, sizeof *crawls);
    size_t k = 0;
    if (!sum || !crawls) {
        rpt_buf_puts(err, "out of memory");
        free(sum);
        free(crawls);
        machine_free(&m);
        rpt_sources_free(sources, n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = rpt_source_common_of(&sources[i])->name;
        if (!rpt_fetch_assigned(name, instance, instances)) continue;
        sum[k].source = strdup(name);
        rpt_buf why = RPT_BUF_INIT;
        crawls[k] = rpt_crawl_start(&m.env, &sources[i], &why);
        if (!crawls[k]) {
            sum[k].error = rpt_buf_steal(&why);
            sum[k].counts.failed++;
            rpt_log_error("fetch", "cannot start pass", "source=%s reason=\"%s\"", sum[k].source,
                         sum[k].error ? sum[k].error : "");
        }
        rpt_buf_clear(&why);
        k++;
    }
    for (;;) {
        int busy = 0;
        for (size_t i = 0; i < k; i++)
            busy |= crawls[i] && !rpt_crawl_finished(crawls[i]);
        if (!busy || (stop && atomic_load(stop))) break;
        machine_step(&m);
    }
    machine_free(&m); /* completes anything left (stop), flushes deliveries and state */
    for (size_t i = 0; i < k; i++) {
        if (!crawls[i]) continue;
        sum[i].counts = *rpt_crawl_counts_of(crawls[i]);
        log_pass(sum[i].source, &sum[i].counts);
        rpt_crawl_free(crawls[i]);
    }
    free(crawls);
    rpt_sources_free(sources, n);
    *out = sum;
    *n_out = k;
    return 0;
}

/* Schedule of one configured source in the continuous loop. */
typedef struct slot {
    char *name;
    int index;   /* in the current config's sources array */
    int present; /* still configured */
    long long interval_ms;
    long long next_due;
    rpt_crawl *crawl;
} slot;

typedef struct schedule {
    slot *slots;
    size_t n;
    unsigned rng;
} schedule;

static long long jittered(schedule *s, long long interval_ms)
{
    s->rng = s->rng * 1103515245u + 12345u;
    double f = 0.9 + 0.2 * ((s->rng >> 8) % 10000) / 10000.0;
    return (long long)(interval_ms * f);
}

static slot *slot_find(schedule *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->slots[i].name, name)) return &s->slots[i];
    return NULL;
}

/* Re-reads the sources of a (new) config into the schedule; keeps timing of sources that
 * stay, starts new ones now. On an invalid sources array the old schedule is kept. */
static void schedule_update(schedule *s, const rpt_config *cfg, int instance, int instances)
{
    rpt_source *list = NULL;
    size_t n = 0;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_sources_load(cfg, &list, &n, &err)) {
        rpt_log_error("fetch", "sources not reloaded (keeping the previous ones)", "reason=\"%s\"",
                     err.data ? err.data : "");
        rpt_buf_clear(&err);
        return;
    }
    rpt_buf_clear(&err);
    for (size_t i = 0; i < s->n; i++)
        s->slots[i].present = 0;
    for (size_t i = 0; i < n; i++) {
        const rpt_source_common *c = rpt_source_common_of(&list[i]);
        if (!rpt_fetch_assigned(c->name, instance, instances)) continue;
        slot *sl = slot_find(s, c->name);
        if (!sl) {
            slot *grown = realloc(s->slots, (s->n + 1) * sizeof *grown);
            if (!grown) continue;
            s->slots = grown;
            sl = &s->slots[s->n++];
            memset(sl, 0, sizeof *sl);
            sl->name = strdup(c->name);
            sl->next_due = now_ms();
        }
        sl->index = (int)i;
        sl->present = 1;
        sl->interval_ms = c->interval_s * 1000;
    }
    rpt_sources_free(list, n);
}

static void schedule_free(schedule *s)
{
    for (size_t i = 0; i < s->n; i++) {
        rpt_crawl_free(s->slots[i].crawl);
        free(s->slots[i].name);
    }
    free(s->slots);
}

static int same_fetch_settings(const rpt_fetch_settings *a, const rpt_fetch_settings *b)
{
    return a->concurrency == b->concurrency && a->per_host_concurrency == b->per_host_concurrency &&
           a->per_host_delay_ms == b->per_host_delay_ms &&
           a->connect_timeout_s == b->connect_timeout_s && a->timeout_s == b->timeout_s &&
           a->low_speed_bytes == b->low_speed_bytes && a->low_speed_time_s == b->low_speed_time_s &&
           a->max_body_bytes == b->max_body_bytes && a->max_retries == b->max_retries &&
           a->retry_base_ms == b->retry_base_ms && a->max_pages == b->max_pages &&
           a->allow_private_networks == b->allow_private_networks &&
           a->respect_robots == b->respect_robots;
}

/* Starts the passes that are due; a source that cannot start is retried after a minute. */
static void start_due(schedule *s, machine *m, const rpt_config *cfg)
{
    long long now = now_ms();
    for (size_t i = 0; i < s->n; i++) {
        slot *sl = &s->slots[i];
        if (!sl->present || sl->crawl || now < sl->next_due) continue;
        rpt_source src;
        rpt_buf err = RPT_BUF_INIT;
        if (rpt_source_load_one(cfg, (size_t)sl->index, &src, &err) == 0)
            sl->crawl = rpt_crawl_start(&m->env, &src, &err);
        if (!sl->crawl) {
            rpt_log_error("fetch", "cannot start pass", "source=%s reason=\"%s\"", sl->name,
                         err.data ? err.data : "");
            char labels[300];
            snprintf(labels, sizeof labels, "source=\"%s\",reason=\"start\"", sl->name);
            rpt_metrics_inc("reportd_fetch_failures_total", labels);
            long long retry = sl->interval_ms < 60000 ? sl->interval_ms : 60000;
            sl->next_due = now + retry;
        }
        rpt_buf_clear(&err);
    }
}

static void reap_finished(schedule *s, machine *m)
{
    for (size_t i = 0; i < s->n; i++) {
        slot *sl = &s->slots[i];
        if (!sl->crawl || !rpt_crawl_finished(sl->crawl)) continue;
        maybe_flush(m, 1);
        log_pass(sl->name, rpt_crawl_counts_of(sl->crawl));
        rpt_crawl_free(sl->crawl);
        sl->crawl = NULL;
        sl->next_due = now_ms() + jittered(s, sl->interval_ms);
    }
}

static int any_running(const schedule *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->slots[i].crawl) return 1;
    return 0;
}

/* The continuous loop: each assigned source is polled on its interval (with jitter); all
 * passes share one event loop, so a slow or failing source holds only its own requests. */
int rpt_role_fetch(rpt_role_ctl *ctl)
{
    machine m;
    memset(&m, 0, sizeof m);
    schedule s = {.rng = (unsigned)time(NULL) ^ (unsigned)getpid()};
    const rpt_config *last = NULL;
    int instances = ctl->instances > 0 ? ctl->instances : 1, rc = 0;
    while (!atomic_load(&ctl->stop)) {
        const rpt_config *cfg = rpt_role_config_acquire(ctl);
        if (m.env.fetcher && !same_fetch_settings(&m.fs, &cfg->fetch) && !any_running(&s)) {
            rpt_log_info("fetch", "fetch settings changed: restarting the fetcher", "%s", "");
            machine_free(&m);
        }
        if (!m.env.fetcher) {
            rpt_buf err = RPT_BUF_INIT;
            if (machine_init(&m, cfg, &err)) {
                rpt_log_error("fetch", "cannot set up (retrying)", "reason=\"%s\"",
                             err.data ? err.data : "");
                rpt_buf_clear(&err);
                rpt_role_config_release(ctl, cfg);
                for (int i = 0; i < 20 && !atomic_load(&ctl->stop); i++)
                    usleep(100000);
                continue;
            }
            rpt_buf_clear(&err);
            atomic_store(&ctl->ready, 1);
        }
        if (cfg != last) {
            schedule_update(&s, cfg, ctl->instance, instances);
            last = cfg;
        }
        start_due(&s, &m, cfg);
        rpt_role_config_release(ctl, cfg);
        atomic_store(&ctl->heartbeat, (long)(now_ms() / 1000));
        machine_step(&m);
        reap_finished(&s, &m);
        rpt_buf why = RPT_BUF_INIT;
        if (rpt_emitter_fatal(m.env.emitter, &why)) {
            /* nothing more can be produced: stop, so the runtime exits and is restarted */
            rpt_log_error("fetch", "fatal Kafka producer error: stopping the fetch role",
                          "reason=\"%s\"", why.data);
            rpt_buf_clear(&why);
            rc = -1;
            break;
        }
        rpt_buf_clear(&why);
    }
    machine_free(&m); /* cancels in-flight requests; deliveries flushed, state written */
    for (size_t i = 0; i < s.n; i++)
        if (s.slots[i].crawl) log_pass(s.slots[i].name, rpt_crawl_counts_of(s.slots[i].crawl));
    schedule_free(&s);
    return rc;
}
