#include "pipeline/transform.h"

#include <errno.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/workq.h"
#include "connectors/kafka/client.h"
#include "pipeline/commit_marks.h"
#include "pipeline/messages/dlq.h"
#include "pipeline/messages/parsed.h"
#include "pipeline/messages/raw.h"
#include "common/metrics.h"
#include "transforms/extract.h"

#define BATCH_MESSAGES 100
#define BATCH_WAIT_S 0.2
#define MAX_DLQ_VALUE_BYTES (512u << 10) /* larger originals are referenced, not copied */
#define QUEUE_FULL_WAIT_S 60.0  /* longest wait for room in the producer queue */
#define MAX_BATCH_ATTEMPTS 5    /* a batch whose deliveries keep failing stops the stage */

typedef struct consumed {
    char *topic;
    int partition;
    long long offset;
} consumed;

typedef struct transformer {
    const rpt_transform_params *tp;
    const rpt_stage_params *p; /* &tp->stage */
    const rpt_config *cfg;
    int version;
    rpt_stage_consumer sc; /* reports.raw */
    rd_kafka_t *producer;
    PGconn *pg; /* replay with skip_unchanged */
    consumed *batch;
    size_t n, cap;
    double batch_started;    /* when the first message of the current batch came */
    rpt_workq *heavy;        /* PDF and .doc documents decode here; NULL: in line */
    rpt_commit_marks marks;  /* consumed offsets and those still on the pool */
    /* delivery reports of the current batch (producer's poll thread = this thread) */
    long long acked_parsed, acked_dlq, failed;
    int failed_attempts; /* consecutive batches whose deliveries failed */
    int fatal;           /* the producer cannot go on: stop the stage */
    int in_delivery;     /* inside a delivery report: produce() must not poll */
    rpt_transform_stats stats;
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

/* What a produced message was made from, for its delivery report (the message's opaque;
 * freed by on_delivery). */
typedef struct produced_from {
    int is_dlq;
    int partition;    /* of the raw message */
    long long offset; /* of the raw message */
    char key[];       /* the raw message's key, NUL-terminated */
} produced_from;

static produced_from *from_new(const rd_kafka_message_t *m, const char *key, int is_dlq)
{
    size_t klen = key ? strlen(key) : 0;
    produced_from *o = malloc(sizeof *o + klen + 1);
    if (!o) return NULL;
    o->is_dlq = is_dlq;
    o->partition = m ? m->partition : -1;
    o->offset = m ? m->offset : -1;
    memcpy(o->key, key ? key : "", klen + 1);
    return o;
}

/* Delivery errors that retrying the same message cannot fix. */
static int permanent_error(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE || e == RD_KAFKA_RESP_ERR_INVALID_MSG ||
           e == RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE || e == RD_KAFKA_RESP_ERR_INVALID_RECORD ||
           e == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE;
}

static rd_kafka_resp_err_t produce(transformer *t, const char *topic, const char *key,
                                   const void *value, size_t len, produced_from *o);
static void send_dlq_ref(transformer *t, const produced_from *o, const char *reason);

/* Delivery report (runs on this thread, from rd_kafka_poll/flush): counts acknowledgements;
 * a parsed message refused for good is dead-lettered (referencing its raw message) so the
 * batch completes; any other failure makes the batch be processed again. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    transformer *t = opaque;
    produced_from *o = m->_private;
    if (!m->err) {
        if (o && o->is_dlq)
            t->acked_dlq++;
        else
            t->acked_parsed++;
    } else if (o && !o->is_dlq && permanent_error(m->err)) {
        char reason[256];
        snprintf(reason, sizeof reason, "%s refused the parsed message: %s",
                 rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
        t->in_delivery = 1;
        send_dlq_ref(t, o, reason);
        t->in_delivery = 0;
    } else {
        t->failed++;
        rpt_log_warn("transform", "delivery failed", "topic=%s error=\"%s\"",
                     rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
    }
    free(o);
}

/* True (and logged once) when the producer hit a fatal error: it cannot produce any more,
 * and the stage must stop rather than retry. */
static int producer_fatal(transformer *t)
{
    if (t->fatal) return 1;
    char reason[512];
    rd_kafka_resp_err_t e = rd_kafka_fatal_error(t->producer, reason, sizeof reason);
    if (!e) return 0;
    t->fatal = 1;
    rpt_log_error("transform", "fatal Kafka producer error: stopping the transform stage",
                  "error=%s reason=\"%s\"", rd_kafka_err2name(e), reason);
    return 1;
}

/* Queues a message (o is its opaque, taken over), waiting up to QUEUE_FULL_WAIT_S for room
 * in the producer queue. Returns 0, or the error (o freed). */
static rd_kafka_resp_err_t produce(transformer *t, const char *topic, const char *key,
                                   const void *value, size_t len, produced_from *o)
{
    if (!o) return RD_KAFKA_RESP_ERR__FAIL;
    double deadline = rpt_now_s() + QUEUE_FULL_WAIT_S;
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            t->producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
            RD_KAFKA_V_VALUE((void *)value, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_OPAQUE(o), RD_KAFKA_V_END);
        /* from a delivery report, polling would re-enter it: the batch is retried instead */
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || t->in_delivery || rpt_now_s() > deadline ||
            producer_fatal(t) || atomic_load(&t->p->ctl->stop)) {
            if (e) free(o);
            return e;
        }
        rd_kafka_poll(t->producer, 100);
        rpt_stage_heartbeat(t->p);
    }
}

/* Queues the DLQ message of item (key `key`, referencing the raw message). */
static void queue_dlq(transformer *t, const rpt_dlq_item *item, const char *key,
                      const rd_kafka_message_t *m)
{
    rpt_buf v = RPT_BUF_INIT;
    if (rpt_dlq_encode(item, &v) == 0) {
        rd_kafka_resp_err_t e =
            produce(t, t->cfg->kafka.topic_dlq, key, v.data, v.len, from_new(m, key, 1));
        if (e) {
            t->failed++;
            rpt_log_error("transform", "cannot queue DLQ message", "error=\"%s\"",
                          rd_kafka_err2str(e));
        }
    } else {
        t->failed++;
    }
    rpt_log_warn("transform", "message sent to DLQ",
                 "topic=%s partition=%d offset=%lld reason=\"%s\"", item->topic, item->partition,
                 item->offset, item->reason);
    rpt_buf_clear(&v);
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
    queue_dlq(t, &item, key, m);
}

/* Dead-letters the raw message a refused parsed message came from (its value is no longer
 * at hand: the record references it by topic, partition and offset). */
static void send_dlq_ref(transformer *t, const produced_from *o, const char *reason)
{
    rpt_dlq_item item = {.stage = "transform",
                         .reason = reason,
                         .doc_id = o->key,
                         .topic = t->cfg->kafka.topic_raw,
                         .partition = o->partition,
                         .offset = o->offset};
    rd_kafka_message_t fake = {.partition = o->partition, .offset = o->offset};
    queue_dlq(t, &item, o->key, &fake);
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

/* Keeps the role's heartbeat fresh while a PDF or .doc decodes in its child process in line
 * (OCR may take minutes; the systemd watchdog must not take that for a stall). */
static void decode_tick(void *ctx)
{
    transformer *t = ctx;
    atomic_store(&t->p->ctl->heartbeat, (long)rpt_now_s());
}

/* What became of a consumed message (see process()). */
enum { PROCESSED, TAKEN, ABANDONED };

/* The reason a document's results are over the per-document bounds, or 0 (none). */
static int over_bounds(const transformer *t, const rpt_document *doc, rpt_buf *why)
{
    const rpt_transform_settings *s = &t->cfg->transform;
    if ((long long)doc->n_sections > s->max_sections) {
        rpt_buf_printf(why, "document has %zu sections, more than transform.max_sections (%lld)",
                       doc->n_sections, s->max_sections);
        return 1;
    }
    if ((long long)doc->n_indicators > s->max_indicators) {
        rpt_buf_printf(why, "document has %zu indicators, more than transform.max_indicators "
                            "(%lld)", doc->n_indicators, s->max_indicators);
        return 1;
    }
    return 0;
}

/* Queues the parsed message of an extracted document (or the DLQ message of one that could
 * not be extracted or is over the bounds), m being its raw message. doc stays the caller's. */
static void emit(transformer *t, const rd_kafka_message_t *m, const char *key,
                 const rpt_raw_message *raw, rpt_document *doc, int extracted, const rpt_buf *err)
{
    rpt_buf out = RPT_BUF_INIT, why = RPT_BUF_INIT;
    count_document(doc, extracted);
    if (!extracted) {
        rpt_buf_printf(&why, "extract: %s", err->data ? err->data : "failed");
        send_dlq(t, m, key ? key : raw->doc_id, why.data ? why.data : "extract failed");
        goto out;
    }
    if (over_bounds(t, doc, &why)) {
        send_dlq(t, m, raw->doc_id, why.data);
        goto out;
    }
    free(doc->doc_id); /* the fetcher's doc_id is the key everywhere downstream */
    doc->doc_id = strdup(raw->doc_id);
    if (!doc->url) doc->url = strdup(raw->url);
    rpt_parsed_origin origin = {.transform_version = t->version,
                               .source_name = raw->source,
                               .fetched_at = raw->fetched_at,
                               .sha256 = raw->sha256,
                               .raw_topic = rd_kafka_topic_name(m->rkt),
                               .raw_partition = m->partition,
                               .raw_offset = m->offset};
    if (!doc->doc_id || rpt_parsed_message_encode(doc, &origin, &out)) {
        send_dlq(t, m, raw->doc_id, "out of memory encoding the parsed message");
        goto out;
    }
    rd_kafka_resp_err_t e = produce(t, t->cfg->kafka.topic_parsed, raw->doc_id, out.data, out.len,
                                    from_new(m, raw->doc_id, 0));
    if (e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
        rpt_buf_printf(&why, "parsed message of %zu bytes is larger than message.max.bytes",
                       out.len);
        send_dlq(t, m, raw->doc_id, why.data);
    } else if (e) {
        t->failed++;
        rpt_log_error("transform", "cannot queue parsed message", "error=\"%s\"",
                     rd_kafka_err2str(e));
    }
out:
    rpt_buf_clear(&out);
    rpt_buf_clear(&why);
}

/* A PDF or .doc document decoding on the pool. Everything here is the job's: the raw message
 * (kept until its result is produced), its key and decoded metadata, and the results. */
typedef struct heavy_job {
    rd_kafka_message_t *m;
    char *key;
    rpt_raw_message raw;
    rpt_ocr_options ocr;
    rpt_sandbox_limits limits;
    rpt_extract_input in; /* points into raw, ocr and limits */
    int extracted;
    rpt_document doc;
    rpt_buf err;
} heavy_job;

/* The pool's work: decode and extract (the decoder runs in its child process). */
static void heavy_run(void *job, void *ctx)
{
    (void)ctx;
    heavy_job *j = job;
    j->extracted = rpt_extract(&j->in, &j->doc, &j->err) == 0;
}

static void heavy_free(void *job)
{
    heavy_job *j = job;
    if (!j) return;
    if (j->extracted) rpt_document_clear(&j->doc);
    rpt_buf_clear(&j->err);
    rpt_raw_message_clear(&j->raw);
    free(j->key);
    rd_kafka_message_destroy(j->m);
    free(j);
}

static int batch_add(transformer *t, const rd_kafka_message_t *m);

/* Adds m to the current batch (its offset is committed once the batch is acknowledged).
 * Returns 0, or -1 out of memory (logged; the stage stops). */
static int batch_message(transformer *t, const rd_kafka_message_t *m)
{
    if (t->n == 0) t->batch_started = rpt_now_s();
    if (batch_add(t, m) == 0) return 0;
    rpt_log_error("transform", "out of memory", "offset=%lld", (long long)m->offset);
    t->fatal = 1;
    return -1;
}

/* Produces the results of the pool's finished documents, waiting up to timeout_ms for the
 * first. A document cancelled because the stage is stopping keeps its hold: it is consumed
 * again after the restart. Returns the number of documents taken back. */
static int collect_heavy(transformer *t, int timeout_ms)
{
    if (!t->heavy) return 0;
    int n = 0;
    heavy_job *j;
    while ((j = rpt_workq_take(t->heavy, timeout_ms)) != NULL) {
        timeout_ms = 0;
        n++;
        const char *topic = rd_kafka_topic_name(j->m->rkt);
        if (j->extracted || !atomic_load(&t->p->ctl->stop)) {
            emit(t, j->m, j->key, &j->raw, &j->doc, j->extracted, &j->err);
            rpt_commit_marks_release(&t->marks, topic, j->m->partition, j->m->offset);
            batch_message(t, j->m);
        }
        heavy_free(j);
    }
    return n;
}

/* Hands job to the pool, its offset held until its result is produced. While the pool is
 * full, produces the results of finished documents. On a stop the job is dropped (its hold
 * stays: it is consumed again after the restart). The job is no longer the caller's. */
static void submit_heavy(transformer *t, heavy_job *j)
{
    const char *topic = rd_kafka_topic_name(j->m->rkt);
    if (rpt_commit_marks_hold(&t->marks, topic, j->m->partition, j->m->offset)) {
        rpt_log_error("transform", "out of memory", "offset=%lld", (long long)j->m->offset);
        t->fatal = 1;
        heavy_free(j);
        return;
    }
    while (rpt_workq_submit(t->heavy, j)) {
        if (atomic_load(&t->p->ctl->stop) || t->fatal) {
            heavy_free(j);
            return;
        }
        collect_heavy(t, 100);
        rd_kafka_poll(t->producer, 0);
        rpt_stage_heartbeat(t->p);
    }
}

/* Transforms one raw message and queues its parsed (or DLQ) message: PROCESSED. A PDF or .doc
 * document goes to the pool when there is one: TAKEN (m is the pool's now). A decode
 * cancelled because the stage is stopping: ABANDONED (nothing produced). */
static int process(transformer *t, rd_kafka_message_t *m)
{
    char *key = m->key_len ? rpt_memdup_str(m->key, m->key_len) : NULL;
    rpt_buf err = RPT_BUF_INIT;
    rpt_raw_message raw;
    rpt_document doc;
    int have_raw = 0, result = PROCESSED;
    rd_kafka_headers_t *headers = NULL;
    if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) headers = NULL;
    if (rpt_raw_message_decode(m->key, m->key_len, m->payload, m->len, headers, &raw, &err)) {
        send_dlq(t, m, key, err.data);
        goto out;
    }
    have_raw = 1;
    if (t->tp->skip_unchanged && unchanged_in_pg(t, &raw)) {
        t->stats.unchanged++;
        goto out;
    }
    rpt_extract_input probe = {.source = raw.url, .data = raw.body, .len = raw.body_len,
                               .content_type = raw.content_type};
    if (t->heavy && rpt_extract_is_heavy(&probe)) {
        heavy_job *j = calloc(1, sizeof *j); /* out of memory: decoded in line below */
        if (j) {
            j->m = m;
            j->key = key;
            j->raw = raw; /* moved */
            rpt_extract_isolate iso = rpt_transform_isolation(&t->cfg->transform, &j->ocr,
                                                              &j->limits);
            j->limits.cancel = &t->p->ctl->stop; /* a stop kills the decoder at once */
            j->in = (rpt_extract_input){.source = j->raw.url,
                                        .url = j->raw.url,
                                        .data = j->raw.body,
                                        .len = j->raw.body_len,
                                        .content_type = j->raw.content_type,
                                        .region_hint = j->raw.region,
                                        .isolate = iso,
                                        .isolate_ctx = &j->limits,
                                        .ocr = &j->ocr};
            submit_heavy(t, j);
            return TAKEN;
        }
    }
    rpt_ocr_options ocr;
    rpt_sandbox_limits limits; /* PDF and .doc decode in a child process under these */
    rpt_extract_isolate isolate = rpt_transform_isolation(&t->cfg->transform, &ocr, &limits);
    limits.tick = decode_tick;
    limits.tick_ctx = t;
    limits.cancel = &t->p->ctl->stop;
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
    if (!extracted && atomic_load(&t->p->ctl->stop)) {
        result = ABANDONED; /* e.g. the decoder was cancelled: consumed again after a restart */
        goto out;
    }
    emit(t, m, key, &raw, &doc, extracted, &err);
    if (extracted) rpt_document_clear(&doc);
out:
    if (have_raw) rpt_raw_message_clear(&raw);
    rpt_buf_clear(&err);
    free(key);
    return result;
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
        if (producer_fatal(t)) return -1;
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
        t->failed_attempts = 0;
        t->stats.produced += t->acked_parsed;
        t->stats.rejected += t->acked_dlq;
        rpt_metrics_add("reportd_kafka_messages_produced_total",
                       "role=\"transform\",topic=\"parsed\"", (double)t->acked_parsed);
        rpt_metrics_add("reportd_kafka_messages_produced_total", "role=\"transform\",topic=\"dlq\"",
                       (double)t->acked_dlq);
        rpt_metrics_add("reportd_dlq_messages_total", "stage=\"transform\"", (double)t->acked_dlq);
        /* never past a document still on the pool */
        rd_kafka_topic_partition_list_t *l = rpt_commit_marks_take(&t->marks);
        if (l && !t->p->start) {
            rd_kafka_offsets_store(t->sc.rk, l); /* revoked partitions are refused: fine */
            rd_kafka_resp_err_t e = rd_kafka_commit(t->sc.rk, NULL, 0);
            if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
                rpt_log_warn("transform", "offset commit failed; will commit with the next batch",
                            "error=\"%s\"", rd_kafka_err2str(e));
        }
        if (l) rd_kafka_topic_partition_list_destroy(l);
    } else if (producer_fatal(t)) {
        /* nothing is committed: the batch is processed again after the restart */
    } else if (++t->failed_attempts >= MAX_BATCH_ATTEMPTS) {
        /* the broker keeps refusing (each attempt already includes librdkafka's own retries
         * for message.timeout.ms): stop, so that the heartbeat stops and the supervisor sees
         * it, instead of retrying in place forever */
        t->fatal = 1;
        rpt_log_error("transform", "deliveries keep failing: stopping the transform stage",
                      "messages=%zu failed=%lld attempts=%d", t->n, t->failed,
                      t->failed_attempts);
    } else if (!atomic_load(&t->p->ctl->stop)) {
        rpt_log_warn("transform", "deliveries failed, reprocessing the batch",
                    "messages=%zu failed=%lld attempt=%d", t->n, t->failed, t->failed_attempts);
        rd_kafka_topic_partition_list_t *l = batch_offsets(t, 1);
        for (int i = 0; i < l->cnt; i++) { /* documents on the pool past it come again too */
            rd_kafka_topic_partition_t *tp = &l->elems[i];
            rpt_commit_marks_rewind(&t->marks, tp->topic, tp->partition, tp->offset);
        }
        rd_kafka_error_t *e = rd_kafka_seek_partitions(t->sc.rk, l, 5000);
        if (e) {
            rpt_log_warn("transform", "seek failed", "error=\"%s\"", rd_kafka_error_string(e));
            rd_kafka_error_destroy(e);
        } else {
            rpt_stage_rewound(&t->sc, l); /* a replay is not finished before this batch is */
        }
        rd_kafka_topic_partition_list_destroy(l);
        for (int i = 0; i < 10 && !atomic_load(&t->p->ctl->stop); i++) {
            struct timespec ts = {0, 100000000L};
            nanosleep(&ts, NULL);
        }
    }
    batch_clear(t);
}

/* Polls one message and transforms it when it is one to process. Returns 1 when nothing
 * came, 0 otherwise, -1 on a fatal error (logged). */
static int poll_one(transformer *t)
{
    rd_kafka_message_t *m = rd_kafka_consumer_poll(t->sc.rk, t->n ? 20 : 100);
    if (!m) return 1;
    int rc = 0, result = PROCESSED;
    if (rpt_stage_accept(&t->sc, m)) {
        const char *topic = rd_kafka_topic_name(m->rkt);
        if (rpt_commit_marks_consumed(&t->marks, topic, m->partition, m->offset)) {
            rpt_log_error("transform", "out of memory", "offset=%lld", (long long)m->offset);
            rc = -1;
        } else {
            result = process(t, m);
            if (result == PROCESSED && batch_message(t, m)) rc = -1;
            if (result == ABANDONED &&
                rpt_commit_marks_hold(&t->marks, topic, m->partition, m->offset))
                rc = -1;
        }
    }
    if (result != TAKEN) rd_kafka_message_destroy(m);
    return rc;
}

/* Says at start-up, not at the first PDF, when the decoder program cannot be executed: every
 * PDF and .doc document would go to the DLQ with that reason. */
static void warn_without_decoder(const rpt_config *cfg)
{
    rpt_ocr_options ocr;
    rpt_sandbox_limits lim;
    rpt_transform_isolation(&cfg->transform, &ocr, &lim);
    if (access(lim.program, X_OK) != 0)
        rpt_log_warn("transform", "decoder program not executable: PDF and .doc documents will be "
                     "rejected", "decoder=%s error=\"%s\"", lim.program, strerror(errno));
}

/* Starts the pool that decodes PDF and .doc documents beside the main loop (none when
 * transform.heavy_workers is 0, or when its threads cannot start: then in line). */
static void start_heavy(transformer *t)
{
    long long workers = t->cfg->transform.heavy_workers;
    if (workers <= 0) return;
    t->heavy = rpt_workq_new((int)workers, (size_t)workers * 2, heavy_run, t);
    if (!t->heavy)
        rpt_log_warn("transform", "cannot start the PDF/.doc workers: decoding them in line",
                     "workers=%lld error=\"%s\"", workers, strerror(errno));
}

/* Connects to PostgreSQL for a replay that skips unchanged documents (optional: without
 * it every document is re-produced). */
static void connect_pg(transformer *t)
{
    char *conninfo = rpt_config_pg_conninfo(t->cfg);
    t->pg = PQconnectdb(conninfo ? conninfo : "");
    free(conninfo);
    if (PQstatus(t->pg) != CONNECTION_OK) {
        rpt_log_warn("transform", "PostgreSQL unavailable: every document will be re-produced",
                     "error=\"%s\"", PQerrorMessage(t->pg));
        PQfinish(t->pg);
        t->pg = NULL;
    }
}

/* Creates the producer and the consumer and starts consuming reports.raw. */
static int start(transformer *t, const char *group)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_kafka_client_spec prod = {.kind = RPT_KAFKA_PRODUCER,
                                  .client_id = "reportd-transform",
                                  .delivery = on_delivery,
                                  .opaque = t};
    t->producer = rpt_kafka_client_new(&t->cfg->kafka, &prod, &err);
    rpt_kafka_client_spec cons = {.kind = RPT_KAFKA_CONSUMER,
                                  .client_id = "reportd-transform",
                                  .group = group,
                                  .partition_eof = t->p->start != NULL};
    rd_kafka_t *consumer = t->producer ? rpt_kafka_client_new(&t->cfg->kafka, &cons, &err) : NULL;
    if (!consumer) {
        rpt_log_error("transform", "cannot start", "error=\"%s\"", err.data);
        rpt_buf_clear(&err);
        return -1;
    }
    rpt_buf_clear(&err);
    const char *topic = t->cfg->kafka.topic_raw;
    return rpt_stage_consumer_start(&t->sc, t->p, "transform", consumer, &topic, 1);
}

int rpt_transform_run(const rpt_transform_params *tp)
{
    rpt_stage_metrics_declare();
    const rpt_stage_params *p = &tp->stage;
    transformer t = {.tp = tp, .p = p, .version = rpt_transform_version()};
    int rc = -1;
    t.cfg = rpt_role_config_acquire(p->ctl);
    const char *group = p->group ? p->group : t.cfg->kafka.group_transform;
    if (tp->skip_unchanged) connect_pg(&t);
    if (start(&t, group)) goto out;
    rpt_log_info("transform", "transforming", "group=%s topic=%s version=%d", group,
                 t.cfg->kafka.topic_raw, t.version);
    warn_without_decoder(t.cfg);
    start_heavy(&t);
    for (;;) {
        rpt_stage_heartbeat(p);
        int stopping = atomic_load(&p->ctl->stop);
        /* a replay range is finished once the pool has handed back its documents too */
        int range_done = rpt_stage_range_finished(&t.sc);
        int finished = range_done && (!t.heavy || rpt_workq_outstanding(t.heavy) == 0);
        int idle = 0;
        if (!stopping && !range_done) {
            idle = poll_one(&t);
            if (idle < 0) goto out;
            rd_kafka_poll(t.producer, 0);
        }
        if (!stopping && collect_heavy(&t, range_done && !finished ? 100 : 0)) idle = 0;
        if (t.n >= BATCH_MESSAGES || (t.n && rpt_now_s() - t.batch_started >= BATCH_WAIT_S) ||
            (t.n && idle) || stopping || finished)
            finish_batch(&t);
        if (producer_fatal(&t)) goto out;
        rpt_stage_tick(&t.sc, t.stats.produced, t.stats.unchanged, t.stats.rejected);
        /* a batch processed again (deliveries failed) reopens a finished replay range */
        if (stopping || (finished && rpt_stage_range_finished(&t.sc))) break;
    }
    rpt_stage_report(&t.sc, t.stats.produced, t.stats.unchanged, t.stats.rejected, 1);
    rc = 0;
out:
    /* the pool's jobs hold consumed messages: they go before the consumer does */
    rpt_workq_free(t.heavy, heavy_free);
    rpt_stage_consumer_clear(&t.sc);
    if (t.producer) {
        rd_kafka_flush(t.producer, 5000);
        rd_kafka_destroy(t.producer);
    }
    if (t.pg) PQfinish(t.pg);
    if (tp->stats) *tp->stats = t.stats;
    batch_clear(&t);
    free(t.batch);
    rpt_commit_marks_clear(&t.marks);
    rpt_role_config_release(p->ctl, t.cfg);
    return rc;
}

int rpt_role_transform(rpt_role_ctl *ctl)
{
    rpt_transform_params p = {.stage = {.ctl = ctl}};
    return rpt_transform_run(&p);
}
