/* Producing documents to reports.raw: an idempotent librdkafka producer whose delivery
 * reports are handed back to the caller, so that a document's state is recorded as
 * produced only once the broker has it. */
#ifndef REPORTD_CONNECTORS_SOURCES_EMIT_H
#define REPORTD_CONNECTORS_SOURCES_EMIT_H

#include "common/buf.h"
#include "connectors/raw_message.h"
#include "daemon/config.h"

/* Delivery outcome of one message: ok, or the broker's reason. */
typedef void (*rd_emit_done_fn)(void *arg, int ok, const char *reason);

typedef struct rd_emitter rd_emitter;

/* A producer for kafka.topic.raw with enable.idempotence=true. NULL with reason in err. */
rd_emitter *rd_emitter_new(const rd_kafka_settings *ks, rd_buf *err);
/* Encodes msg and queues it, key doc_id. `done` runs from rd_emitter_poll/flush. Returns 0,
 * or -1 with a reason (done is then never called). */
int rd_emitter_produce(rd_emitter *e, const rd_raw_message *msg, rd_emit_done_fn done, void *arg,
                       rd_buf *err);
/* Serves delivery reports, waiting up to timeout_ms. */
void rd_emitter_poll(rd_emitter *e, int timeout_ms);
/* Messages produced whose delivery report has not run yet. */
long rd_emitter_in_flight(const rd_emitter *e);
/* Waits up to timeout_ms for every delivery report. Returns 0 when none is left. */
int rd_emitter_flush(rd_emitter *e, int timeout_ms);
/* Purges what is left (their callbacks run with ok=0) and frees the producer. */
void rd_emitter_free(rd_emitter *e);

#endif
