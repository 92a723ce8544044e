#include "pipeline/fetch/emit.h"

#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/kafka/client.h"
#include "pipeline/messages/dlq.h"

struct rpt_emitter {
    rd_kafka_t *rk;
    char *topic, *topic_dlq;
    long in_flight;
};

typedef struct pending {
    rpt_emitter *e;
    rpt_emit_done_fn done;
    void *arg;
} pending;

/* librdkafka delivery report: hands the outcome to the producer of the message. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    (void)opaque;
    pending *p = m->_private;
    if (!p) return;
    p->e->in_flight--;
    rpt_emit_result r = m->err == RD_KAFKA_RESP_ERR_NO_ERROR           ? RPT_EMIT_OK
                        : m->err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ? RPT_EMIT_TOO_LARGE
                                                                          : RPT_EMIT_FAILED;
    if (p->done) p->done(p->arg, r, m->err ? rd_kafka_err2str(m->err) : NULL);
    free(p);
}

rpt_emitter *rpt_emitter_new(const rpt_kafka_settings *ks, rpt_buf *err)
{
    rpt_emitter *e = calloc(1, sizeof *e);
    if (!e || !(e->topic = strdup(ks->topic_raw)) || !(e->topic_dlq = strdup(ks->topic_dlq))) {
        if (e) free(e->topic);
        free(e);
        rpt_buf_puts(err, "out of memory");
        return NULL;
    }
    rpt_kafka_client_spec spec = {
        .kind = RPT_KAFKA_PRODUCER, .client_id = "reportd-fetch", .delivery = on_delivery};
    e->rk = rpt_kafka_client_new(ks, &spec, err);
    if (!e->rk) goto fail;
    /* a body the topic refuses would be fetched, refused and fetched again: say so now */
    if (rpt_kafka_check_topic_size(e->rk, ks, e->topic, err)) goto fail;
    return e;
fail:
    if (e->rk) rd_kafka_destroy(e->rk);
    free(e->topic);
    free(e->topic_dlq);
    free(e);
    return NULL;
}

int rpt_emitter_produce(rpt_emitter *e, const rpt_raw_message *msg, rpt_emit_done_fn done, void *arg,
                       rpt_buf *err)
{
    rd_kafka_headers_t *headers = rpt_raw_message_headers(msg);
    pending *p = malloc(sizeof *p);
    if (!headers || !p) {
        if (headers) rd_kafka_headers_destroy(headers);
        free(p);
        rpt_buf_puts(err, "out of memory");
        return -1;
    }
    p->e = e;
    p->done = done;
    p->arg = arg;
    rd_kafka_resp_err_t r;
    for (int tries = 0;; tries++) {
        /* on success the producer owns the headers; the body is copied */
        r = rd_kafka_producev(e->rk, RD_KAFKA_V_TOPIC(e->topic),
                              RD_KAFKA_V_KEY(msg->doc_id, strlen(msg->doc_id)),
                              RD_KAFKA_V_VALUE(msg->body, msg->body_len),
                              RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_OPAQUE(p), RD_KAFKA_V_END);
        if (r != RD_KAFKA_RESP_ERR__QUEUE_FULL || tries > 600) break;
        rd_kafka_poll(e->rk, 100); /* local queue full: let deliveries drain */
    }
    if (r != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_headers_destroy(headers);
        free(p);
        rpt_buf_printf(err, "kafka produce: %s", rd_kafka_err2str(r));
        if (r == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
            rpt_buf_printf(err, " (%zu bytes with headers)", rpt_raw_message_size(msg));
        return r == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ? -RPT_EMIT_TOO_LARGE : -1;
    }
    e->in_flight++;
    return 0;
}

int rpt_emitter_reject(rpt_emitter *e, const rpt_raw_message *msg, const char *reason)
{
    rpt_dlq_item item = {.stage = "fetch",
                         .reason = reason,
                         .doc_id = msg->doc_id,
                         .topic = e->topic,
                         .partition = -1,
                         .offset = -1,
                         .value = msg->url,
                         .value_len = msg->url ? strlen(msg->url) : 0};
    rpt_buf v = RPT_BUF_INIT;
    rd_kafka_resp_err_t r = RD_KAFKA_RESP_ERR__FAIL;
    if (rpt_dlq_encode(&item, &v) == 0)
        r = rd_kafka_producev(e->rk, RD_KAFKA_V_TOPIC(e->topic_dlq),
                              RD_KAFKA_V_KEY(msg->doc_id, strlen(msg->doc_id)),
                              RD_KAFKA_V_VALUE(v.data, v.len),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rpt_buf_clear(&v);
    if (r) {
        rpt_log_error("fetch", "cannot record a rejected document in the DLQ",
                      "url=%s error=\"%s\"", msg->url, rd_kafka_err2str(r));
        return -1;
    }
    return 0;
}

int rpt_emitter_fatal(rpt_emitter *e, rpt_buf *why)
{
    char reason[512];
    rd_kafka_resp_err_t err = rd_kafka_fatal_error(e->rk, reason, sizeof reason);
    if (!err) return 0;
    rpt_buf_printf(why, "%s: %s", rd_kafka_err2name(err), reason);
    return 1;
}

void rpt_emitter_poll(rpt_emitter *e, int timeout_ms)
{
    rd_kafka_poll(e->rk, timeout_ms);
}

long rpt_emitter_in_flight(const rpt_emitter *e)
{
    return e->in_flight;
}

int rpt_emitter_flush(rpt_emitter *e, int timeout_ms)
{
    rd_kafka_flush(e->rk, timeout_ms);
    rd_kafka_poll(e->rk, 0);
    return e->in_flight ? -1 : 0;
}

void rpt_emitter_free(rpt_emitter *e)
{
    if (!e) return;
    if (e->rk) {
        rd_kafka_purge(e->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(e->rk, 5000);
        rd_kafka_poll(e->rk, 0);
        rd_kafka_destroy(e->rk);
    }
    free(e->topic);
    free(e->topic_dlq);
    free(e);
}
