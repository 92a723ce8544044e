#include "pipeline/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/metrics.h"
#include "connectors/kafka/client.h"
#include "connectors/kafka/range.h"

void rpt_stage_metrics_declare(void)
{
    rpt_metrics_declare("reportd_kafka_messages_consumed_total", RPT_METRIC_COUNTER,
                        "messages consumed by a pipeline stage");
    rpt_metrics_declare("reportd_kafka_messages_produced_total", RPT_METRIC_COUNTER,
                        "messages produced and acknowledged by a pipeline stage");
    rpt_metrics_declare("reportd_kafka_consumer_lag", RPT_METRIC_GAUGE,
                        "messages behind the high watermark on the assigned partitions");
    rpt_metrics_declare("reportd_dlq_messages_total", RPT_METRIC_COUNTER,
                        "messages sent to reports.dlq or reports.rejects, by stage");
    rpt_metrics_declare("reportd_load_rows_total", RPT_METRIC_COUNTER, "rows written by the loader");
    rpt_metrics_declare("reportd_load_documents_total", RPT_METRIC_COUNTER,
                        "documents handled by the loader, by result");
    rpt_metrics_declare("reportd_load_batch_seconds", RPT_METRIC_HISTOGRAM,
                        "time to write one loader batch to PostgreSQL");
    rpt_metrics_declare("reportd_load_db_errors_total", RPT_METRIC_COUNTER,
                        "failed loader transactions (retried)");
}

void rpt_stage_heartbeat(const rpt_stage_params *p)
{
    atomic_store(&p->ctl->heartbeat, (long)rpt_now_s());
}

/* Replay: marks the partitions whose range is empty as done. */
static int range_init(rpt_stage_consumer *sc)
{
    const rpt_stage_params *p = sc->p;
    sc->n_parts = p->end->cnt;
    sc->done = calloc((size_t)(sc->n_parts ? sc->n_parts : 1), sizeof *sc->done);
    if (!sc->done) return -1;
    for (int i = 0; i < sc->n_parts; i++)
        if (p->end->elems[i].offset <= p->start->elems[i].offset) sc->done[i] = 1;
    return 0;
}

int rpt_stage_consumer_start(rpt_stage_consumer *sc, const rpt_stage_params *p, const char *role,
                             rd_kafka_t *rk, const char *const *topics, size_t n)
{
    memset(sc, 0, sizeof *sc);
    sc->p = p;
    sc->role = role;
    sc->rk = rk;
    sc->last_tick = rpt_now_s();
    rd_kafka_resp_err_t e;
    if (p->start) {
        if (range_init(sc)) {
            rpt_log_error(role, "out of memory", "partitions=%d", p->end->cnt);
            return -1;
        }
        e = rd_kafka_assign(rk, p->start);
    } else {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)n);
        for (size_t i = 0; i < n; i++)
            rd_kafka_topic_partition_list_add(l, topics[i], RD_KAFKA_PARTITION_UA);
        e = rd_kafka_subscribe(rk, l);
        rd_kafka_topic_partition_list_destroy(l);
    }
    if (e) {
        rpt_log_error(role, p->start ? "cannot assign partitions" : "cannot subscribe",
                      "error=\"%s\"", rd_kafka_err2str(e));
        return -1;
    }
    if (rpt_kafka_wait_connected(rk, &p->ctl->stop) == 0) atomic_store(&p->ctl->ready, 1);
    return 0;
}

/* Replay bookkeeping: index of (topic, partition) in p->end, or -1. */
static int range_index(const rpt_stage_consumer *sc, const char *topic, int partition)
{
    const rd_kafka_topic_partition_list_t *end = sc->p->end;
    for (int i = 0; i < sc->n_parts; i++)
        if (end->elems[i].partition == partition && strcmp(end->elems[i].topic, topic) == 0)
            return i;
    return -1;
}

void rpt_stage_rewound(rpt_stage_consumer *sc, const rd_kafka_topic_partition_list_t *l)
{
    if (!sc->done) return;
    for (int i = 0; i < l->cnt; i++) {
        int ri = range_index(sc, l->elems[i].topic, l->elems[i].partition);
        if (ri >= 0 && l->elems[i].offset < sc->p->end->elems[ri].offset) sc->done[ri] = 0;
    }
}

int rpt_stage_range_finished(const rpt_stage_consumer *sc)
{
    if (!sc->p->end) return 0;
    for (int i = 0; i < sc->n_parts; i++)
        if (!sc->done[i]) return 0;
    return 1;
}

int rpt_stage_accept(rpt_stage_consumer *sc, const rd_kafka_message_t *m)
{
    int ri = sc->done && m->rkt ? range_index(sc, rd_kafka_topic_name(m->rkt), m->partition) : -1;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (ri >= 0) sc->done[ri] = 1;
        return 0;
    }
    if (m->err) {
        rpt_log_warn(sc->role, "consumer error", "error=\"%s\"", rd_kafka_message_errstr(m));
        return 0;
    }
    if (ri >= 0) {
        long long end = sc->p->end->elems[ri].offset;
        if (sc->done[ri] || m->offset >= end) {
            sc->done[ri] = 1;
            return 0;
        }
        if (m->offset + 1 >= end) sc->done[ri] = 1;
    }
    sc->consumed++;
    char label[48];
    snprintf(label, sizeof label, "role=\"%s\"", sc->role);
    rpt_metrics_inc("reportd_kafka_messages_consumed_total", label);
    return !rpt_message_outside_time(m, sc->p->from_ms, sc->p->to_ms);
}

void rpt_stage_report(rpt_stage_consumer *sc, long long updated, long long unchanged,
                      long long rejected, int finished)
{
    const rpt_stage_params *p = sc->p;
    if (!p->progress) return;
    rpt_stage_progress pr = {.done = sc->consumed,
                             .total = p->end ? rpt_kafka_range_size(p->start, p->end) : -1,
                             .lag = rpt_kafka_consumer_lag(sc->rk),
                             .updated = updated,
                             .unchanged = unchanged,
                             .rejected = rejected,
                             .finished = finished};
    p->progress(p->progress_opaque, &pr);
}

void rpt_stage_tick(rpt_stage_consumer *sc, long long updated, long long unchanged,
                    long long rejected)
{
    double now = rpt_now_s();
    if (now - sc->last_tick < 1.0) return;
    sc->last_tick = now;
    long long lag = rpt_kafka_consumer_lag(sc->rk);
    if (lag >= 0) {
        char label[48];
        snprintf(label, sizeof label, "role=\"%s\"", sc->role);
        rpt_metrics_set("reportd_kafka_consumer_lag", label, (double)lag);
    }
    rpt_stage_report(sc, updated, unchanged, rejected, 0);
}

void rpt_stage_consumer_clear(rpt_stage_consumer *sc)
{
    if (sc->rk) {
        rd_kafka_consumer_close(sc->rk);
        rd_kafka_destroy(sc->rk);
    }
    free(sc->done);
    memset(sc, 0, sizeof *sc);
}
