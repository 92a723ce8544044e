#include "pipeline/transform.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "connectors/kafka/range.h"
#include "connectors/kafka/client.h"
#include "pipeline/messages/dlq.h"
#include "pipeline/messages/parsed.h"
#include "pipeline/messages/raw.h"
#include "common/metrics.h"
#include "transforms/extract.h"

#define BATCH_MESSAGES 100
#define BATCH_WAIT_S 0.2
#define MAX_DLQ_VALUE_BYTES (512u << 10) /* larger originals are referenced, not copied */

typedef struct consumed {
    char *topic;
    int partition;
    long long offset;
} consumed;

typedef struct transformer {
    const rpt_transform_params *p;
    const rpt_config *cfg;
    int version;
    rd_kafka_t *consumer, *producer;
    PGconn *pg; /* replay with skip_unchanged */
    consumed *batch;
    size_t n, cap;
    /* delivery reports of the current batch (producer's poll thread = this thread) */
    long long acked_parsed, acked_dlq, failed;
    rpt_transform_stats stats;
    long long consumed_total;
    int n_parts;
    int *done;
} transformer;

int rpt_transform_version(void)
{
    const char *env = getenv("REPORTD_TRANSFORM_VERSION");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v > 0 && v < 1000000) return (int)v;
        rpt_log_warn("transform", "ignoring REPORTD_TRANSFORM_VERSION", "value=\"%s\"", env);
    }
    return RPT_TRANSFORM_VERSION;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    transformer *t = opaque;
    if (m->err) {
        t->failed++;
        rpt_log_warn("transform", "delivery failed", "topic=%s error=\"%s\"",
                    rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
        return;
    }
    const char *topic = rd_kafka_topic_name(m->rkt);
    if (strcmp(topic, t->cfg->kafka.topic_dlq) == 0)
        t->acked_dlq++;
    else
        t->acked_parsed++;
}

/* Queues a message, waiting for room in the producer queue. */
static rd_kafka_resp_err_t produce(transformer *t, const char *topic, const char *key,
                                   const void *value, size_t len)
{
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            t->producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
            RD_KAFKA_V_VALUE((void *)value, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_END);
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) return e;
        rd_kafka_poll(t->producer, 100);
    }
}

static void send_dlq(transformer *t, const rd_kafka_message_t *m, const char *key,
                     const char *reason)
{
    rpt_dlq_item item = {.stage = "transform",
                        .reason = reason,
                        .doc_id = key,
                        .topic = rd_kafka_topic_name(m->rkt),
                        .partition = m->partition,
                        .offset = m->offset,
                        .value = m->len <= MAX_DLQ_VALUE_BYTES ? m->payload : NULL,
                        .value_len = m->len <= MAX_DLQ_VALUE_BYTES ? m->len : 0};
    rpt_buf v = RPT_BUF_INIT;
    if (rpt_dlq_encode(&item, &v) == 0) {
        rd_kafka_resp_err_t e = produce(t, t->cfg->kafka.topic_dlq, key, v.data, v.len);
        if (e) {
            t->failed++;
            rpt_log_error("transform", "cannot queue DLQ message", "error=\"%s\"",
                         rd_kafka_err2str(e));
        }
    } else {
        t->failed++;
    }
    rpt_log_warn("transform", "message sent to DLQ",
                "topic=%s partition=%d offset=%lld reason=\"%s\"", item.topic, (int)m->partition,
                (long long)m->offset, reason);
    rpt_buf_free(&v);
}

/* Replay: true when Postgres already holds this version of these bytes. */
static int unchanged_in_pg(transformer *t, const rpt_raw_message *raw)
{
    if (!t->pg || !raw->sha256) return 0;
    char version[16];
    snprintf(version, sizeof version, "%d", t->version);
    const char *params[] = {raw->doc_id, version, raw->sha256};
    PGresult *r = PQexecParams(t->pg,
                               "SELECT 1 FROM reports.documents WHERE doc_id = $1 AND "
                               "transform_version = $2 AND sha256 = $3",
                               3, NULL, params, NULL, NULL, 0);
    int same = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    return same;
}

static void declare_document_metrics(void)
{
    rpt_metrics_declare("reportd_decode_documents_total", RPT_METRIC_COUNTER,
                       "Documents decoded, by format and result");
    rpt_metrics_declare("reportd_decode_replaced_chars_total", RPT_METRIC_COUNTER,
                       "Characters replaced by U+FFFD while decoding");
    rpt_metrics_declare("reportd_extract_sections_total", RPT_METRIC_COUNTER,
                       "Report sections (numbered headings) found");
    rpt_metrics_declare("reportd_extract_indicators_total", RPT_METRIC_COUNTER,
                       "Numeric indicators extracted, by kind");
    rpt_metrics_declare("reportd_extract_documents_total", RPT_METRIC_COUNTER,
                       "Documents through segmentation and extraction, by whether any "
                       "indicator was found");
}

/* Counts what decoding and extraction did with one document, in the registry that
 * /metrics renders (the transforms themselves are pure and count nothing). `ok` is whether
 * rpt_extract() succeeded. */
static void count_document(const rpt_document *doc, int ok)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, declare_document_metrics);
    char labels[96];
    int decoded = ok || doc->text != NULL;
    snprintf(labels, sizeof labels, "format=\"%s\",result=\"%s\"",
             doc->format ? doc->format : "unknown", decoded ? "ok" : "error");
    rpt_metrics_inc("reportd_decode_documents_total", labels);
    if (doc->replaced_chars > 0)
        rpt_metrics_add("reportd_decode_replaced_chars_total", NULL, (double)doc->replaced_chars);
    if (!ok) return;
    size_t target = 0;
    for (size_t i = 0; i < doc->n_indicators; i++)
        target += doc->indicators[i].kind == RPT_KIND_TARGET;
    rpt_metrics_add("reportd_extract_sections_total", NULL, (double)doc->n_sections);
    rpt_metrics_add("reportd_extract_indicators_total", "kind=\"actual\"",
                   (double)(doc->n_indicators - target));
    rpt_metrics_add("reportd_extract_indicators_total", "kind=\"target\"", (double)target);
    rpt_metrics_inc("reportd_extract_documents_total",
                   doc->n_indicators ? "indicators=\"yes\"" : "indicators=\"no\"");
}

/* Keeps the role's heartbeat fresh while a PDF or .doc decodes in its child process (OCR
 * may take minutes; the systemd watchdog must not take that for a stall). */
static void decode_tick(void *ctx)
{
    transformer *t = ctx;
    atomic_store(&t->p->ctl->heartbeat, (long)rpt_now_s());
}

/* Transforms one raw message and queues its parsed (or DLQ) message. */
static void process(transformer *t, const rd_kafka_message_t *m)
{
    char *key = m->key_len ? strndup(m->key, m->key_len) : NULL;
    rpt_buf err = RPT_BUF_INIT, out = RPT_BUF_INIT;
    rpt_raw_message raw;
    rpt_document doc;
    int have_raw = 0, have_doc = 0;
    if (rpt_raw_message_decode(m->payload, m->len, &raw, &err)) {
        send_dlq(t, m, key, err.data);
        goto out;
    }
    have_raw = 1;
    if (t->p->skip_unchanged && unchanged_in_pg(t, &raw)) {
        t->stats.unchanged++;
        goto out;
    }
    rpt_ocr_options ocr;
    rpt_sandbox_limits limits; /* PDF and .doc decode in a child process under these */
    rpt_extract_isolate isolate = rpt_transform_isolation(&t->cfg->transform, &ocr, &limits);
    limits.tick = decode_tick;
    limits.tick_ctx = t;
    rpt_extract_input in = {.source = raw.url,
                           .url = raw.url,
                           .data = raw.body,
                           .len = raw.body_len,
                           .content_type = raw.content_type,
                           .region_hint = raw.region,
                           .isolate = isolate,
                           .isolate_ctx = &limits,
                           .ocr = &ocr};
    int extracted = rpt_extract(&in, &doc, &err) == 0;
    count_document(&doc, extracted);
    if (!extracted) {
        rpt_buf r = RPT_BUF_INIT;
        rpt_buf_printf(&r, "extract: %s", err.data ? err.data : "failed");
        send_dlq(t, m, key ? key : raw.doc_id, r.data);
        rpt_buf_free(&r);
        goto out;
    }
    have_doc = 1;
    free(doc.doc_id); /* the fetcher's doc_id is the key everywhere downstream */
    doc.doc_id = strdup(raw.doc_id);
    if (!doc.url) doc.url = strdup(raw.url);
    rpt_parsed_origin origin = {.transform_version = t->version,
                               .source_name = raw.source,
                               .fetched_at = raw.fetched_at,
                               .sha256 = raw.sha256,
                               .raw_topic = rd_kafka_topic_name(m->rkt),
                               .raw_partition = m->partition,
                               .raw_offset = m->offset};
    if (!doc.doc_id || rpt_parsed_message_encode(&doc, &origin, &out)) {
        send_dlq(t, m, raw.doc_id, "out of memory encoding the parsed message");
        goto out;
    }
    rd_kafka_resp_err_t e = produce(t, t->cfg->kafka.topic_parsed, raw.doc_id, out.data, out.len);
    if (e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
        rpt_buf r = RPT_BUF_INIT;
        rpt_buf_printf(&r, "parsed message of %zu bytes is larger than message.max.bytes", out.len);
        send_dlq(t, m, raw.doc_id, r.data);
        rpt_buf_free(&r);
    } else if (e) {
        t->failed++;
        rpt_log_error("transform", "cannot queue parsed message", "error=\"%s\"",
                     rd_kafka_err2str(e));
    }
out:
    if (have_doc) rpt_document_clear(&doc);
    if (have_raw) rpt_raw_message_clear(&raw);
    rpt_buf_free(&err);
    rpt_buf_free(&out);
    free(key);
}

static void batch_clear(transformer *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->batch[i].topic);
    t->n = 0;
    t->acked_parsed = t->acked_dlq = t->failed = 0;
}

static int batch_add(transformer *t, const rd_kafka_message_t *m)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 128;
        consumed *b = realloc(t->batch, cap * sizeof *b);
        if (!b) return -1;
        t->batch = b;
        t->cap = cap;
    }
    consumed *c = &t->batch[t->n];
    c->topic = strdup(rd_kafka_topic_name(m->rkt));
    if (!c->topic) return -1;
    c->partition = m->partition;
    c->offset = m->offset;
    t->n++;
    return 0;
}

/* Per (topic, partition) of the batch: lowest offset (for seeking back) or next offset. */
static rd_kafka_topic_partition_list_t *batch_offsets(transformer *t, int lowest)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)t->n);
    for (size_t i = 0; i < t->n; i++) {
        const consumed *c = &t->batch[i];
        rd_kafka_topic_partition_t *tp =
            rd_kafka_topic_partition_list_find(l, c->topic, c->partition);
        long long v = lowest ? c->offset : c->offset + 1;
        if (!tp) {
            tp = rd_kafka_topic_partition_list_add(l, c->topic, c->partition);
            tp->offset = v;
        } else if (lowest ? v < tp->offset : v > tp->offset) {
            tp->offset = v;
        }
    }
    return l;
}

/* Waits until every queued message is acknowledged (or failed). While stopping, gives up
 * after the shutdown grace period. Returns 0 when nothing is outstanding. */
static int wait_acks(transformer *t)
{
    double deadline = -1;
    while (rd_kafka_outq_len(t->producer) > 0) {
        if (atomic_load(&t->p->ctl->stop)) {
            if (deadline < 0)
                deadline = rpt_now_s() + (double)t->cfg->runtime.shutdown_grace_s;
            else if (rpt_now_s() > deadline)
                return -1;
        }
        rd_kafka_flush(t->producer, 200);
        atomic_store(&t->p->ctl->heartbeat, (long)rpt_now_s());
    }
    return 0;
}

/* Ends a batch: after every produced message is acknowledged, stores and commits the
 * consumed offsets; when a delivery failed, seeks back so the batch is processed again. */
static void finish_batch(transformer *t)
{
    if (t->n == 0) return;
    int complete = wait_acks(t) == 0;
    if (complete && t->failed == 0) {
        t->stats.produced += t->acked_parsed;
        t->stats.rejected += t->acked_dlq;
        rpt_metrics_add("reportd_kafka_messages_produced_total",
                       "role=\"transform\",topic=\"parsed\"", (double)t->acked_parsed);
        rpt_metrics_add("reportd_kafka_messages_produced_total", "role=\"transform\",topic=\"dlq\"",
                       (double)t->acked_dlq);
        rpt_metrics_add("reportd_dlq_messages_total", "stage=\"transform\"", (double)t->acked_dlq);
        if (!t->p->start) {
            rd_kafka_topic_partition_list_t *l = batch_offsets(t, 0);
            rd_kafka_offsets_store(t->consumer, l); /* revoked partitions are refused: fine */
            rd_kafka_resp_err_t e = rd_kafka_commit(t->consumer, NULL, 0);
            if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
                rpt_log_warn("transform", "offset commit failed; will commit with the next batch",
                            "error=\"%s\"", rd_kafka_err2str(e));
            rd_kafka_topic_partition_list_destroy(l);
        }
    } else if (!atomic_load(&t->p->ctl->stop)) {
        rpt_log_warn("transform", "deliveries failed, reprocessing the batch",
                    "messages=%zu failed=%lld", t->n, t->failed);
        rd_kafka_topic_partition_list_t *l = batch_offsets(t, 1);
        rd_kafka_error_t *e = rd_kafka_seek_partitions(t->consumer, l, 5000);
        if (e) {
            rpt_log_warn("transform", "seek failed", "error=\"%s\"", rd_kafka_error_string(e));
            rd_kafka_error_destroy(e);
        }
        rd_kafka_topic_partition_list_destroy(l);
        for (int i = 0; i < 10 && !atomic_load(&t->p->ctl->stop); i++) {
            struct timespec ts = {0, 100000000L};
            nanosleep(&ts, NULL);
        }
    }
    batch_clear(t);
}

static void report(transformer *t, int finished)
{
    const rpt_transform_params *p = t->p;
    if (!p->progress) return;
    rpt_stage_progress pr = {.done = t->consumed_total,
                            .total = -1,
                            .lag = rpt_kafka_consumer_lag(t->consumer),
                            .updated = t->stats.produced,
                            .unchanged = t->stats.unchanged,
                            .rejected = t->stats.rejected,
                            .finished = finished};
    if (p->end) pr.total = rpt_kafka_range_size(p->start, p->end);
    p->progress(p->progress_opaque, &pr);
}

static int range_index(transformer *t, const char *topic, int partition)
{
    for (int i = 0; i < t->n_parts; i++)
        if (t->p->end->elems[i].partition == partition && !strcmp(t->p->end->elems[i].topic, topic))
            return i;
    return -1;
}

static int range_finished(transformer *t)
{
    for (int i = 0; i < t->n_parts; i++)
        if (!t->done[i]) return 0;
    return 1;
}

/* Returns 1 when the message is to be transformed. */
static int accept_message(transformer *t, const rd_kafka_message_t *m)
{
    int ri = t->p->end && m->rkt ? range_index(t, rd_kafka_topic_name(m->rkt), m->partition) : -1;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (ri >= 0) t->done[ri] = 1;
        return 0;
    }
    if (m->err) {
        rpt_log_warn("transform", "consumer error", "error=\"%s\"", rd_kafka_message_errstr(m));
        return 0;
    }
    if (ri >= 0) {
        if (t->done[ri] || m->offset >= t->p->end->elems[ri].offset) {
            t->done[ri] = 1;
            return 0;
        }
        if (m->offset + 1 >= t->p->end->elems[ri].offset) t->done[ri] = 1;
    }
    if (rpt_message_outside_time(m, t->p->from_ms, t->p->to_ms)) {
        t->consumed_total++;
        return 0;
    }
    return 1;
}

static int start_consuming(transformer *t)
{
    const rpt_transform_params *p = t->p;
    rd_kafka_resp_err_t e;
    if (p->start) {
        t->n_parts = p->end->cnt;
        t->done = calloc((size_t)(t->n_parts ? t->n_parts : 1), sizeof *t->done);
        if (!t->done) return -1;
        for (int i = 0; i < t->n_parts; i++)
            if (p->end->elems[i].offset <= p->start->elems[i].offset) t->done[i] = 1;
        e = rd_kafka_assign(t->consumer, p->start);
    } else {
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, t->cfg->kafka.topic_raw, RD_KAFKA_PARTITION_UA);
        e = rd_kafka_subscribe(t->consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);
    }
    if (e) rpt_log_error("transform", "cannot consume", "error=\"%s\"", rd_kafka_err2str(e));
    return e ? -1 : 0;
}

int rpt_transform_run(const rpt_transform_params *p)
{
    rpt_stage_metrics_declare();
    transformer t = {.p = p, .version = rpt_transform_version()};
    int rc = -1;
    t.cfg = rpt_role_config_acquire(p->ctl);
    rpt_buf err = RPT_BUF_INIT;
    const char *group = p->group ? p->group : t.cfg->kafka.group_transform;
    if (p->skip_unchanged) {
        char *conninfo = rpt_config_pg_conninfo(t.cfg);
        t.pg = PQconnectdb(conninfo ? conninfo : "");
        free(conninfo);
        if (PQstatus(t.pg) != CONNECTION_OK) {
            rpt_log_warn("transform", "PostgreSQL unavailable: every document will be re-produced",
                        "error=\"%s\"", PQerrorMessage(t.pg));
            PQfinish(t.pg);
            t.pg = NULL;
        }
    }
    t.producer =
        rpt_kafka_producer_from_settings(&t.cfg->kafka, "reportd-transform", on_delivery, &t, &err);
    if (!t.producer) goto fail;
    t.consumer = rpt_kafka_consumer_from_settings(&t.cfg->kafka, group, "reportd-transform", NULL,
                                                 NULL, p->start != NULL, &err);
    if (!t.consumer) goto fail;
    if (start_consuming(&t)) goto out;
    if (rpt_kafka_wait_connected(t.consumer, &p->ctl->stop) == 0) atomic_store(&p->ctl->ready, 1);
    rpt_log_info("transform", "transforming", "group=%s topic=%s version=%d", group,
                t.cfg->kafka.topic_raw, t.version);
    double batch_started = 0, last_report = rpt_now_s();
    for (;;) {
        atomic_store(&p->ctl->heartbeat, (long)rpt_now_s());
        int stopping = atomic_load(&p->ctl->stop);
        int finished = p->end && range_finished(&t);
        int idle = 0;
        if (!stopping && !finished) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(t.consumer, t.n ? 20 : 100);
            if (!m) idle = 1;
            if (m) {
                if (accept_message(&t, m)) {
                    if (batch_add(&t, m)) {
                        rpt_log_error("transform", "out of memory", "offset=%lld",
                                     (long long)m->offset);
                        rd_kafka_message_destroy(m);
                        goto out;
                    }
                    if (t.n == 1) batch_started = rpt_now_s();
                    t.consumed_total++;
                    rpt_metrics_inc("reportd_kafka_messages_consumed_total", "role=\"transform\"");
                    process(&t, m);
                }
                rd_kafka_message_destroy(m);
            }
            rd_kafka_poll(t.producer, 0);
        }
        if (t.n >= BATCH_MESSAGES || (t.n && rpt_now_s() - batch_started >= BATCH_WAIT_S) ||
            (t.n && idle) || stopping || finished)
            finish_batch(&t);
        double now = rpt_now_s();
        if (now - last_report >= 1.0) {
            last_report = now;
            long long lag = rpt_kafka_consumer_lag(t.consumer);
            if (lag >= 0)
                rpt_metrics_set("reportd_kafka_consumer_lag", "role=\"transform\"", (double)lag);
            report(&t, 0);
        }
        if (stopping || finished) break;
    }
    report(&t, 1);
    rc = 0;
    goto out;
fail:
    rpt_log_error("transform", "cannot start", "error=\"%s\"", err.data);
out:
    if (t.consumer) {
        rd_kafka_consumer_close(t.consumer);
        rd_kafka_destroy(t.consumer);
    }
    if (t.producer) {
        rd_kafka_flush(t.producer, 5000);
        rd_kafka_destroy(t.producer);
    }
    if (t.pg) PQfinish(t.pg);
    if (p->stats) *p->stats = t.stats;
    batch_clear(&t);
    free(t.batch);
    free(t.done);
    rpt_buf_free(&err);
    rpt_role_config_release(p->ctl, t.cfg);
    return rc;
}

int rpt_role_transform(rpt_role_ctl *ctl)
{
    rpt_transform_params p = {.ctl = ctl};
    return rpt_transform_run(&p);
}
