/* The reports.parsed message: one extracted document version. Key: doc_id. Value: the
 * `reportd extract` JSON object of the document (transforms/document.h) with these members
 * added at the end:
 *   "schema":1, "transform_version":N, "source_name": configured source, "fetched_at",
 *   "sha256" (of the fetched bytes), "raw_topic", "raw_partition", "raw_offset"
 * ("url" and "source" come from the document itself). Produced by the transform role,
 * decoded by the load role. */
#ifndef REPORTD_PIPELINE_MESSAGES_PARSED_H
#define REPORTD_PIPELINE_MESSAGES_PARSED_H

#include <stddef.h>

#include "common/buf.h"
#include "connectors/postgres/rows.h"
#include "transforms/document.h"

#define RPT_PARSED_SCHEMA 1

/* Where the document came from: filled by the transform role from the raw message. */
typedef struct rpt_parsed_origin {
    int transform_version;
    const char *source_name; /* may be NULL */
    const char *fetched_at;  /* RFC 3339, may be NULL */
    const char *sha256;      /* may be NULL */
    const char *raw_topic;   /* may be NULL */
    int raw_partition;
    long long raw_offset; /* -1 when unknown */
} rpt_parsed_origin;

/* Appends the message value for doc + origin to out. Returns 0 or -1 (ENOMEM). */
int rpt_parsed_message_encode(const rpt_document *doc, const rpt_parsed_origin *origin, rpt_buf *out);

/* Parses (streaming, without building a DOM) and validates a message value: a JSON object with
 * schema 1..RPT_PARSED_SCHEMA, a doc_id of 1..128 characters in [A-Za-z0-9_.:-], a positive
 * transform_version, sections with integer ord/start/depth and a known part, indicators with
 * integer start/end, a finite value, a known kind and qualifier. Returns 0 (free with
 * rpt_parsed_message_clear) or -1 with a one-line reason in err (msg cleared). */
int rpt_parsed_message_decode(const char *json, size_t len, rpt_parsed_message *msg, rpt_buf *err);

#endif
