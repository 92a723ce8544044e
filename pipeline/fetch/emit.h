/* Producing documents to reports.raw: an idempotent librdkafka producer whose delivery
 * reports are handed back to the caller, so that a document's state is recorded as
 * produced only once the broker has it. */
#ifndef REPORTD_PIPELINE_FETCH_EMIT_H
#define REPORTD_PIPELINE_FETCH_EMIT_H

#include "common/buf.h"
#include "pipeline/messages/raw.h"
#include "pipeline/config.h"

/* Delivery outcome of one message: ok, or the broker's reason. */
typedef void (*rpt_emit_done_fn)(void *arg, int ok, const char *reason);

typedef struct rpt_emitter rpt_emitter;

/* A producer for kafka.topic.raw (an idempotent, compressed RPT_KAFKA_PRODUCER). NULL with the
 * reason in err. */
rpt_emitter *rpt_emitter_new(const rpt_kafka_settings *ks, rpt_buf *err);
/* Encodes msg and queues it, key doc_id. `done` runs from rpt_emitter_poll/flush. Returns 0,
 * or -1 with a reason (done is then never called). */
int rpt_emitter_produce(rpt_emitter *e, const rpt_raw_message *msg, rpt_emit_done_fn done, void *arg,
                       rpt_buf *err);
/* Serves delivery reports, waiting up to timeout_ms. */
void rpt_emitter_poll(rpt_emitter *e, int timeout_ms);
/* Messages produced whose delivery report has not run yet. */
long rpt_emitter_in_flight(const rpt_emitter *e);
/* Waits up to timeout_ms for every delivery report. Returns 0 when none is left. */
int rpt_emitter_flush(rpt_emitter *e, int timeout_ms);
/* Purges what is left (their callbacks run with ok=0) and frees the producer. */
void rpt_emitter_free(rpt_emitter *e);

#endif
