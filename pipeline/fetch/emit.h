/* Producing documents to reports.raw: an idempotent librdkafka producer whose delivery
 * reports are handed back to the caller, so that a document's state is recorded as
 * produced only once the broker has it. */
#ifndef REPORTD_PIPELINE_FETCH_EMIT_H
#define REPORTD_PIPELINE_FETCH_EMIT_H

#include "common/buf.h"
#include "pipeline/messages/raw.h"
#include "pipeline/config.h"

/* Delivery outcome of one message. */
typedef enum rpt_emit_result {
    RPT_EMIT_FAILED = 0,    /* not delivered, may work later (broker down, timeout) */
    RPT_EMIT_OK = 1,        /* the broker has it */
    RPT_EMIT_TOO_LARGE = 2, /* larger than the producer or the topic accepts: never will */
} rpt_emit_result;

/* Delivery outcome of one message, with the broker's reason unless ok. */
typedef void (*rpt_emit_done_fn)(void *arg, rpt_emit_result result, const char *reason);

typedef struct rpt_emitter rpt_emitter;

/* A producer for kafka.topic.raw (an idempotent, compressed RPT_KAFKA_PRODUCER). When the
 * cluster reports the topic's max.message.bytes and it is below the largest message the
 * config allows (fetch.max_body_bytes + header room), refuses to start. NULL with the
 * reason in err. */
rpt_emitter *rpt_emitter_new(const rpt_kafka_settings *ks, rpt_buf *err);
/* Queues msg (key doc_id, value the body, metadata in headers). `done` runs from
 * rpt_emitter_poll/flush. Returns 0; or, with a reason in err and `done` never called,
 * -RPT_EMIT_TOO_LARGE when the message is larger than the producer accepts, -1 otherwise. */
int rpt_emitter_produce(rpt_emitter *e, const rpt_raw_message *msg, rpt_emit_done_fn done, void *arg,
                       rpt_buf *err);
/* Records a document that can never be produced in kafka.topic.dlq (stage "fetch", the
 * reason, its doc_id and URL), for the loader to store in reports.rejects. Fire and forget:
 * a failure is logged. Returns 0 when queued. */
int rpt_emitter_reject(rpt_emitter *e, const rpt_raw_message *msg, const char *reason);
/* True when the producer hit a fatal error (rd_kafka_fatal_error): it will not deliver
 * anything any more; the reason is appended to why. */
int rpt_emitter_fatal(rpt_emitter *e, rpt_buf *why);
/* Serves delivery reports, waiting up to timeout_ms. */
void rpt_emitter_poll(rpt_emitter *e, int timeout_ms);
/* Messages produced whose delivery report has not run yet. */
long rpt_emitter_in_flight(const rpt_emitter *e);
/* Waits up to timeout_ms for every delivery report. Returns 0 when none is left. */
int rpt_emitter_flush(rpt_emitter *e, int timeout_ms);
/* Purges what is left (their callbacks run with ok=0) and frees the producer. */
void rpt_emitter_free(rpt_emitter *e);

#endif
