/* The PostgreSQL sink of the load role: writes a batch of reports.parsed (and reports.dlq)
 * messages to the reports schema in one transaction, together with the next Kafka offset of
 * every (group, topic, partition) the batch covers. A document is replaced as a unit
 * (document row, sections, indicators) and only by a newer version: a higher
 * transform_version, or the same version from a later fetch (later reports.raw offset in the
 * same raw partition, else later fetched_at), the reports.parsed offset deciding only when
 * the fetch cannot (see newer_key in sink.c): replays never roll a document back. Messages that
 * are bad data become reports.rejects rows in the same transaction; database errors leave
 * everything (offsets included) as it was. */
#ifndef REPORTD_CONNECTORS_POSTGRES_SINK_H
#define REPORTD_CONNECTORS_POSTGRES_SINK_H

#include <stddef.h>

#include "common/buf.h"
#include "connectors/postgres/rows.h"
#include "connectors/postgres/migrate.h"

typedef enum {
    RPT_LOAD_PENDING = 0,
    RPT_LOAD_UPDATED,   /* the document's rows were (re)written */
    RPT_LOAD_UNCHANGED, /* an older or equal version of what the table holds: skipped */
    RPT_LOAD_REJECTED   /* bad data: a reports.rejects row */
} rpt_load_outcome;

/* One consumed message. The batch owns every pointer. */
typedef struct rpt_load_item {
    char *topic;
    int partition;
    long long offset;
    char *value;
    size_t value_len;
    int is_dlq; /* a reports.dlq message: becomes a rejects row as is */
    /* filled by rpt_pg_sink_write() */
    int decoded; /* set by the load stage once msg (or the reject) is filled */
    rpt_parsed_message msg;
    rpt_load_outcome outcome;
    char *stage;  /* reject stage */
    char *reason; /* reject reason */
    char *doc_id; /* for rejects: key, or the DLQ item's doc_id */
    char *reject_topic;
    int reject_partition;
    long long reject_offset;
} rpt_load_item;

typedef struct rpt_load_batch {
    rpt_load_item *items;
    size_t n, cap;
    size_t value_bytes; /* sum of value_len over items */
} rpt_load_batch;

/* Copies one message into the batch. Returns 0 or -1 (ENOMEM). */
int rpt_load_batch_add(rpt_load_batch *b, const char *topic, int partition, long long offset,
                      const void *key, size_t key_len, const void *value, size_t value_len,
                      int is_dlq);
void rpt_load_batch_reset(rpt_load_batch *b);
/* Marks an item rejected by `stage` for `reason` (copied); its reject position defaults to
 * the item's own topic, partition and offset. */
void rpt_load_item_reject(rpt_load_item *it, const char *stage, const char *reason);
void rpt_load_batch_clear(rpt_load_batch *b);

typedef struct rpt_load_stats {
    long long updated, unchanged, rejected;
    long long section_rows, indicator_rows;
    long long batches;        /* batches written (filled by the load stage) */
    size_t batch_bytes_max;   /* message bytes of the largest batch written */
} rpt_load_stats;

typedef struct rpt_pg_sink rpt_pg_sink;

/* A sink that stores offsets under consumer group `group`. `known` (may be NULL) lists the
 * migrations this build ships, for the schema check; it must outlive the sink. */
rpt_pg_sink *rpt_pg_sink_new(const char *conninfo, const char *group, const rpt_migration_list *known);
void rpt_pg_sink_free(rpt_pg_sink *s);

enum { RPT_SINK_OK = 0, RPT_SINK_RETRY = -1, RPT_SINK_FATAL = -2, RPT_SINK_DATA = -3 };

/* Makes sure the connection works (reconnecting when it was lost) and the schema is known.
 * Returns RPT_SINK_OK, RPT_SINK_RETRY (database unreachable: try again later) or
 * RPT_SINK_FATAL (schema version not known to this build). Reason in err. */
int rpt_pg_sink_connect(rpt_pg_sink *s, rpt_buf *err);

/* Writes the batch in one transaction. On RPT_SINK_OK every item has its outcome and `st`
 * (may be NULL) is increased. On RPT_SINK_RETRY nothing was written: reconnect and retry
 * the same batch. RPT_SINK_DATA: nothing was written because PostgreSQL refuses the data
 * of the batch in a way no single document or reject row could be blamed for (a deferred
 * constraint at COMMIT, the offsets): write smaller parts of it to find the message (the
 * batch may be a view on a slice of a larger one's items). */
int rpt_pg_sink_write(rpt_pg_sink *s, rpt_load_batch *b, rpt_load_stats *st, rpt_buf *err);

/* Stored next offsets of `topic` for the sink's group: offsets[i] for partitions[i], or -1
 * when none is stored. Returns RPT_SINK_OK or RPT_SINK_RETRY. */
int rpt_pg_sink_offsets(rpt_pg_sink *s, const char *topic, const int *partitions, long long *offsets,
                       size_t n, rpt_buf *err);

#endif
