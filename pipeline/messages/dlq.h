/* The reports.dlq message: an input a stage could not process. Key: the original key.
 * Value: JSON {"schema":1,"stage","reason","doc_id","topic","partition","offset",
 * "failed_at","value"} where value is the original message value as a string when it is
 * valid UTF-8 (else "value_base64"). The load role turns each into a reports.rejects row. */
#ifndef REPORTD_PIPELINE_MESSAGES_DLQ_H
#define REPORTD_PIPELINE_MESSAGES_DLQ_H

#include <stddef.h>

#include "common/buf.h"
#include "common/utf8.h"

#define RPT_DLQ_SCHEMA 1

typedef struct rpt_dlq_item {
    const char *stage;  /* "transform", "load" */
    const char *reason; /* one line */
    const char *doc_id; /* key of the original message, may be NULL */
    const char *topic;
    int partition;
    long long offset;
    const void *value; /* original value */
    size_t value_len;
} rpt_dlq_item;

/* Appends the DLQ value for item to out. Returns 0 or -1. */
int rpt_dlq_encode(const rpt_dlq_item *item, rpt_buf *out);

/* A decoded DLQ value; strings are malloc'd copies owned by the struct. */
typedef struct rpt_dlq_record {
    char *stage, *reason, *doc_id, *topic;
    int partition;
    long long offset;
} rpt_dlq_record;

/* Parses a DLQ value. Returns 0 (free with rpt_dlq_record_clear) or -1 with reason in err. */
int rpt_dlq_decode(const char *json, size_t len, rpt_dlq_record *rec, rpt_buf *err);
void rpt_dlq_record_clear(rpt_dlq_record *rec);

#endif
