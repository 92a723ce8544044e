#include "pipeline/load.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "connectors/kafka/client.h"
#include "common/metrics.h"
#include "pipeline/messages/dlq.h"
#include "pipeline/messages/parsed.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define IDLE_POLL_S 0.02 /* nothing consumed for this long: write the partial batch */

typedef struct loader {
    const rpt_stage_params *p;
    const char *group;
    const char *topic_parsed, *topic_dlq;
    rpt_pg_sink *sink;
    rpt_stage_consumer sc; /* reports.parsed and reports.dlq */
    rpt_load_batch batch;
    double batch_started;
    rpt_load_stats stats;
    int fatal;
    double failing_since; /* first failed write of the current batch, 0 when none */
    int stall_logged;
} loader;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Heart-beats, unless the current batch has been failing for load.stall_s: a loader that
 * cannot progress goes silent so that the systemd watchdog and /readyz see it. */
static void heartbeat(loader *l)
{
    double now = rpt_now_s();
    const rpt_config *c = rpt_role_config_acquire(l->p->ctl);
    double stall_s = (double)c->load.stall_s;
    rpt_role_config_release(l->p->ctl, c);
    if (l->failing_since > 0 && now - l->failing_since >= stall_s) {
        if (!l->stall_logged)
            rpt_log_error("load", "stalled: batch not written, heartbeat withheld",
                          "failing_s=%.0f messages=%zu", now - l->failing_since, l->batch.n);
        l->stall_logged = 1;
        return;
    }
    atomic_store(&l->p->ctl->heartbeat, (long)now);
}

/* Sleeps up to ms in small steps, returning early when stop is set. */
static void backoff_sleep(loader *l, long ms)
{
    for (long slept = 0; slept < ms && !atomic_load(&l->p->ctl->stop); slept += 50) {
        heartbeat(l);
        sleep_ms(50);
    }
}

/* Connects the sink, retrying with backoff until it works, stop is set, or the schema is
 * not one this build knows (fatal). */
static int connect_sink(loader *l)
{
    long delay = BACKOFF_MIN_MS;
    rpt_buf err = RPT_BUF_INIT;
    for (;;) {
        rpt_buf_reset(&err);
        int rc = rpt_pg_sink_connect(l->sink, &err);
        if (rc == RPT_SINK_OK) break;
        if (rc == RPT_SINK_FATAL) {
            rpt_log_error("load", "refusing to load", "error=\"%s\"", err.data);
            l->fatal = 1;
            break;
        }
        rpt_log_warn("load", "PostgreSQL unavailable, retrying", "error=\"%s\" delay_ms=%ld",
                    err.data, delay);
        if (l->failing_since <= 0) l->failing_since = rpt_now_s();
        if (atomic_load(&l->p->ctl->stop)) break;
        backoff_sleep(l, delay);
        delay = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
    }
    rpt_buf_clear(&err);
    return l->fatal ? -1 : 0;
}

/* Sets tp->offset to the next offset stored in PostgreSQL for it (the beginning when none is
 * stored). Returns the sink's code; on failure tp->offset is left as it was and err says why. */
static int to_stored_offset(loader *l, rd_kafka_topic_partition_t *tp, rpt_buf *err)
{
    long long off = -1;
    rpt_buf_reset(err);
    int rc = rpt_pg_sink_offsets(l->sink, tp->topic, &tp->partition, &off, 1, err);
    if (rc == RPT_SINK_OK) tp->offset = off >= 0 ? off : RD_KAFKA_OFFSET_BEGINNING;
    return rc;
}

/* On assignment: seek every partition to the next offset stored in Postgres (or the
 * beginning); on revocation: drop the unwritten batch, whose offsets were not stored, so
 * the next owner re-reads it. */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    loader *l = opaque;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        rpt_buf e = RPT_BUF_INIT;
        int known = 1;
        for (int i = 0; i < parts->cnt && known; i++) {
            rd_kafka_topic_partition_t *tp = &parts->elems[i];
            while (to_stored_offset(l, tp, &e) != RPT_SINK_OK) {
                rpt_log_warn("load", "cannot read stored offsets, retrying", "error=\"%s\"", e.data);
                if (atomic_load(&l->p->ctl->stop) || connect_sink(l)) {
                    known = 0;
                    break;
                }
            }
            rpt_log_info("load", "partition assigned", "topic=%s partition=%d offset=%lld",
                        tp->topic, (int)tp->partition,
                        tp->offset >= 0 ? (long long)tp->offset : -1LL); /* -1: none stored */
        }
        rpt_buf_clear(&e);
        /* without the stored offsets nothing may be consumed (stopping anyway) */
        rd_kafka_assign(rk, known ? parts : NULL);
    } else {
        if (l->batch.n)
            rpt_log_info("load", "partitions revoked, dropping unwritten batch", "messages=%zu",
                        l->batch.n);
        rpt_load_batch_reset(&l->batch);
        rd_kafka_assign(rk, NULL);
    }
}

/* After a database error: seeks every assigned partition back to the next offset stored in
 * PostgreSQL, so the batch is read again from there instead of retried from memory. A
 * commit the database lost (a crash with synchronous_commit off, a failover to an
 * asynchronous replica) is then written again instead of skipped. Returns 0, or -1 (logged;
 * the caller then retries the batch as it is). */
static int resync_from_stored(loader *l)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    if (rd_kafka_assignment(l->sc.rk, &parts) || !parts) return -1;
    rpt_buf e = RPT_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < parts->cnt && rc == 0; i++) {
        if (to_stored_offset(l, &parts->elems[i], &e) != RPT_SINK_OK) {
            rpt_log_warn("load", "cannot read stored offsets; retrying the batch as it is",
                         "error=\"%s\"", e.data);
            rc = -1;
        }
    }
    if (rc == 0 && parts->cnt) {
        rd_kafka_error_t *err = rd_kafka_seek_partitions(l->sc.rk, parts, 5000);
        if (err) {
            rpt_log_warn("load", "seek to the stored offsets failed; retrying the batch as it is",
                         "error=\"%s\"", rd_kafka_error_string(err));
            rd_kafka_error_destroy(err);
            rc = -1;
        }
    }
    rpt_buf_clear(&e);
    rd_kafka_topic_partition_list_destroy(parts);
    return rc;
}

/* Decodes every item not yet decoded; undecodable ones become rejects. */
static void decode_items(rpt_load_batch *bt)
{
    rpt_buf err = RPT_BUF_INIT;
    for (size_t i = 0; i < bt->n; i++) {
        rpt_load_item *it = &bt->items[i];
        if (it->decoded) continue;
        it->decoded = 1;
        rpt_buf_reset(&err);
        if (it->is_dlq) {
            rpt_dlq_record rec;
            if (rpt_dlq_decode(it->value, it->value_len, &rec, &err)) {
                rpt_load_item_reject(it, "dlq", err.data);
                continue;
            }
            if (rec.offset >= 0) {
                it->reject_topic = rec.topic;
                it->reject_partition = rec.partition;
                it->reject_offset = rec.offset;
                rec.topic = NULL;
            } /* else no original message (a document the fetch stage could not produce):
               * the reject is keyed by the DLQ message itself, so that each is kept */
            free(it->doc_id);
            it->doc_id = rec.doc_id;
            rec.doc_id = NULL;
            rpt_load_item_reject(it, rec.stage, rec.reason);
            rpt_dlq_record_clear(&rec);
            continue;
        }
        if (rpt_parsed_message_decode(it->value, it->value_len, &it->msg, &err)) {
            rpt_load_item_reject(it, "load", err.data);
            continue;
        }
        it->outcome = RPT_LOAD_PENDING;
    }
    rpt_buf_clear(&err);
}

/* Writes items[0..n) through the sink, as a view on a slice of the batch. */
static int write_slice(loader *l, rpt_load_item *items, size_t n, rpt_load_stats *st, rpt_buf *err)
{
    rpt_load_batch view = {.items = items, .n = n, .cap = n};
    rpt_buf_reset(err);
    return rpt_pg_sink_write(l->sink, &view, st, err);
}

/* Writes items[0..n) in order, isolating what PostgreSQL refuses: a slice refused on its
 * data (RPT_SINK_DATA) is split in two halves written one after the other (offsets grow
 * along the items, so the stored offsets stay right), down to the single message, which
 * becomes a reports.rejects row with PostgreSQL's reason. *done counts the items written
 * from the front. Returns RPT_SINK_OK, or RPT_SINK_RETRY (the database, not the data: the
 * caller retries from items + *done). */
static int write_isolating(loader *l, rpt_load_item *items, size_t n, rpt_load_stats *st,
                           rpt_buf *err, size_t *done)
{
    int rc = write_slice(l, items, n, st, err);
    if (rc == RPT_SINK_OK) {
        *done += n;
        return RPT_SINK_OK;
    }
    if (rc != RPT_SINK_DATA) return RPT_SINK_RETRY;
    if (n > 1) {
        rpt_log_info("load", "batch refused on its data, splitting", "messages=%zu error=\"%s\"",
                     n, err->data);
        size_t half = n / 2;
        rc = write_isolating(l, items, half, st, err, done);
        if (rc != RPT_SINK_OK) return rc;
        return write_isolating(l, items + half, n - half, st, err, done);
    }
    rpt_log_warn("load", "message refused by PostgreSQL, moving it to rejects",
                 "topic=%s partition=%d offset=%lld error=\"%s\"", items->topic, items->partition,
                 items->offset, err->data);
    rpt_load_item_reject(items, "load", err->data);
    rc = write_slice(l, items, 1, st, err);
    if (rc == RPT_SINK_DATA) {
        /* not even its reject row and offset go in: nothing more can be done for it here;
         * the offset is stored with the next message of its partition */
        rpt_metrics_inc("reportd_load_unstorable_total", NULL);
        rpt_log_error("load", "message and its reject refused by PostgreSQL, skipped",
                      "topic=%s partition=%d offset=%lld error=\"%s\"", items->topic,
                      items->partition, items->offset, err->data);
        rc = RPT_SINK_OK;
    }
    if (rc == RPT_SINK_OK) *done += 1;
    return rc == RPT_SINK_OK ? RPT_SINK_OK : RPT_SINK_RETRY;
}

/* Writes the batch, isolating messages refused on their data into rejects. On a database
 * error it reconnects (with backoff) and, consuming as a group member, drops the batch and
 * seeks back to the offsets stored in PostgreSQL, which are what was really committed;
 * otherwise (a replay, or the offsets cannot be read) it retries the batch until it is
 * written or stop is set. A batch not written leaves the stored offsets where they were. */
static int flush_batch(loader *l, int draining)
{
    if (l->batch.n == 0) return 0;
    long delay = BACKOFF_MIN_MS;
    rpt_buf err = RPT_BUF_INIT;
    int rc = -1, attempts = 0;
    size_t done = 0;
    rpt_load_stats st = {0};
    decode_items(&l->batch);
    for (;;) {
        double t0 = rpt_now_s();
        if (write_isolating(l, l->batch.items + done, l->batch.n - done, &st, &err, &done) ==
            RPT_SINK_OK) {
            l->failing_since = 0;
            l->stall_logged = 0;
            rpt_metrics_observe("reportd_load_batch_seconds", NULL, rpt_now_s() - t0);
            rpt_metrics_add("reportd_load_rows_total", "table=\"documents\"", (double)st.updated);
            rpt_metrics_add("reportd_load_rows_total", "table=\"sections\"",
                           (double)st.section_rows);
            rpt_metrics_add("reportd_load_rows_total", "table=\"indicators\"",
                           (double)st.indicator_rows);
            rpt_metrics_add("reportd_load_documents_total", "result=\"updated\"",
                           (double)st.updated);
            rpt_metrics_add("reportd_load_documents_total", "result=\"unchanged\"",
                           (double)st.unchanged);
            rpt_metrics_add("reportd_load_documents_total", "result=\"rejected\"",
                           (double)st.rejected);
            for (size_t i = 0; i < l->batch.n; i++) {
                const rpt_load_item *it = &l->batch.items[i];
                if (it->outcome != RPT_LOAD_REJECTED || it->is_dlq) continue;
                rpt_metrics_inc("reportd_dlq_messages_total", "stage=\"load\"");
                rpt_log_warn("load", "message rejected",
                            "topic=%s partition=%d offset=%lld reason=\"%s\"", it->topic,
                            it->partition, it->offset, it->reason);
            }
            l->stats.updated += st.updated;
            l->stats.unchanged += st.unchanged;
            l->stats.rejected += st.rejected;
            l->stats.section_rows += st.section_rows;
            l->stats.indicator_rows += st.indicator_rows;
            l->stats.batches++;
            if (l->batch.value_bytes > l->stats.batch_bytes_max)
                l->stats.batch_bytes_max = l->batch.value_bytes;
            rpt_log_debug("load", "batch written",
                         "messages=%zu bytes=%zu updated=%lld seconds=%.3f", l->batch.n,
                         l->batch.value_bytes, st.updated, rpt_now_s() - t0);
            rc = 0;
            break;
        }
        rpt_metrics_inc("reportd_load_db_errors_total", NULL);
        if (l->failing_since <= 0) l->failing_since = rpt_now_s();
        attempts++;
        rpt_log_warn("load", "batch not written, retrying", "error=\"%s\" messages=%zu delay_ms=%ld",
                    err.data, l->batch.n, delay);
        if (atomic_load(&l->p->ctl->stop) && (!draining || attempts >= 3)) break;
        backoff_sleep(l, delay);
        delay = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
        if (connect_sink(l)) break;
        /* the database is the record of what is loaded: read on from its offsets (a replay's
         * range has no stored offsets of its own: it retries the batch) */
        if (!l->p->start && resync_from_stored(l) == 0) {
            rpt_log_info("load", "reading again from the offsets stored in PostgreSQL",
                         "messages_dropped=%zu", l->batch.n);
            rc = 0;
            break;
        }
    }
    rpt_buf_clear(&err);
    rpt_load_batch_reset(&l->batch);
    return rc;
}

/* Adds a consumed message to the batch when it is one to load. */
static void on_message(loader *l, rd_kafka_message_t *m)
{
    if (!rpt_stage_accept(&l->sc, m)) return;
    const char *topic = rd_kafka_topic_name(m->rkt);
    int is_dlq = strcmp(topic, l->topic_dlq) == 0;
    if (rpt_load_batch_add(&l->batch, topic, m->partition, m->offset, m->key, m->key_len, m->payload,
                          m->len, is_dlq)) {
        rpt_log_error("load", "out of memory adding to batch", "offset=%lld", (long long)m->offset);
        return;
    }
    if (l->batch.n == 1) l->batch_started = rpt_now_s();
}

/* Lists the migrations this build knows, for the sink's schema check (caller frees). */
static void known_migrations(rpt_migration_list *known)
{
    rpt_buf err = RPT_BUF_INIT;
    char *dir = rpt_pg_sql_dir();
    if (dir && rpt_migrations_list(dir, known, &err))
        rpt_log_warn("load", "cannot list migrations; checking the minimum schema only",
                     "error=\"%s\"", err.data);
    free(dir);
    rpt_buf_clear(&err);
}

/* Creates the consumer (group member with the rebalance callback, or a replay's assigned
 * range) and starts consuming reports.parsed and reports.dlq. */
static int start(loader *l, const rpt_config *cfg)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_kafka_client_spec spec = {.kind = RPT_KAFKA_CONSUMER,
                                  .client_id = "reportd-load",
                                  .group = l->group,
                                  .rebalance = l->p->start ? NULL : on_rebalance,
                                  .opaque = l,
                                  .partition_eof = l->p->start != NULL};
    rd_kafka_t *rk = rpt_kafka_client_new(&cfg->kafka, &spec, &err);
    if (!rk) {
        rpt_log_error("load", "cannot start", "error=\"%s\"", err.data);
        rpt_buf_clear(&err);
        return -1;
    }
    rpt_buf_clear(&err);
    const char *topics[] = {l->topic_parsed, l->topic_dlq};
    return rpt_stage_consumer_start(&l->sc, l->p, "load", rk, topics, 2);
}

int rpt_loader_run(const rpt_loader_params *lp)
{
    rpt_stage_metrics_declare();
    const rpt_stage_params *p = &lp->stage;
    loader l = {.p = p};
    int rc = -1;
    const rpt_config *cfg = rpt_role_config_acquire(p->ctl);
    l.group = p->group ? p->group : cfg->kafka.group_load;
    l.topic_parsed = cfg->kafka.topic_parsed;
    l.topic_dlq = cfg->kafka.topic_dlq;
    rpt_migration_list known = {0};
    known_migrations(&known);
    char *conninfo = rpt_config_pg_conninfo(cfg);
    l.sink = rpt_pg_sink_new(conninfo, l.group, &known);
    free(conninfo);
    if (!l.sink) goto out;
    if (connect_sink(&l)) goto out;
    l.failing_since = 0; /* waiting for the database at start-up is not a stall */
    if (atomic_load(&p->ctl->stop)) {
        rc = 0;
        goto out;
    }
    if (start(&l, cfg)) goto out;
    rpt_log_info("load", "loading", "group=%s topics=%s,%s", l.group, l.topic_parsed, l.topic_dlq);
    for (;;) {
        heartbeat(&l);
        int stopping = atomic_load(&p->ctl->stop);
        const rpt_config *c = rpt_role_config_acquire(p->ctl);
        size_t batch_size = (size_t)c->load.batch_size;
        size_t max_bytes = (size_t)c->load.max_batch_bytes;
        double latency = (double)c->load.batch_latency_ms / 1000.0;
        rpt_role_config_release(p->ctl, c);
        int finished = rpt_stage_range_finished(&l.sc), idle = 0;
        int full = l.batch.n >= batch_size || l.batch.value_bytes >= max_bytes;
        if (!stopping && !finished && !full) {
            double wait = latency;
            if (l.batch.n) wait = l.batch_started + latency - rpt_now_s();
            if (wait > (l.batch.n ? IDLE_POLL_S : 0.1)) wait = l.batch.n ? IDLE_POLL_S : 0.1;
            rd_kafka_message_t *m =
                rd_kafka_consumer_poll(l.sc.rk, wait > 0 ? (int)(wait * 1000) : 0);
            if (m) {
                on_message(&l, m);
                rd_kafka_message_destroy(m);
            } else {
                idle = 1;
            }
        }
        /* a batch is written when full (load.batch_size documents or load.max_batch_bytes of
         * messages), when its latency is up, or as soon as nothing more is waiting (so a
         * lone document does not wait for the latency bound) */
        full = l.batch.n >= batch_size || l.batch.value_bytes >= max_bytes;
        int due = full ||
                  (l.batch.n && rpt_now_s() - l.batch_started >= latency) || (l.batch.n && idle);
        if (due || stopping || finished) {
            if (flush_batch(&l, stopping || finished) && l.fatal) goto out;
        }
        rpt_stage_tick(&l.sc, l.stats.updated, l.stats.unchanged, l.stats.rejected);
        if (stopping || (finished && l.batch.n == 0)) break;
    }
    rpt_stage_report(&l.sc, l.stats.updated, l.stats.unchanged, l.stats.rejected, 1);
    rc = 0;
out:
    if (l.fatal) rc = -1;
    rpt_stage_consumer_clear(&l.sc);
    if (lp->stats) *lp->stats = l.stats;
    rpt_load_batch_clear(&l.batch);
    rpt_pg_sink_free(l.sink);
    rpt_migrations_clear(&known);
    rpt_role_config_release(p->ctl, cfg);
    return rc;
}

int rpt_role_load(rpt_role_ctl *ctl)
{
    rpt_loader_params p = {.stage = {.ctl = ctl}};
    return rpt_loader_run(&p);
}
