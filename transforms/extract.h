/* The transform stage as one call: bytes of a fetched document in, rpt_document out.
 * decode (charset, HTML/docx/text to clean text + metadata) -> segment (sections) ->
 * indicators. Pure function of the input and the transform version. */
#ifndef REPORTD_TRANSFORMS_EXTRACT_H
#define REPORTD_TRANSFORMS_EXTRACT_H

#include <stddef.h>

#include "common/buf.h"
#include "transforms/document.h"

/* Bumped whenever the extractor's output may change for the same input; replays of
 * reports.raw through a newer version overwrite older rows in Postgres. */
#define RPT_TRANSFORM_VERSION 1

typedef struct rpt_extract_input {
    const char *source;       /* path or URL as given (required) */
    const char *url;          /* canonical URL when known (doc_id is derived from it) */
    const unsigned char *data;
    size_t len;
    const char *content_type; /* HTTP Content-Type, or NULL */
    const char *region_hint;  /* region declared by the source config, or NULL */
} rpt_extract_input;

/* Runs the whole transform. On success returns 0 and fills doc (caller clears it with
 * rpt_document_clear()). On failure returns -1 with a one-line reason in err; doc is cleared. */
int rpt_extract(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);

/* Stage entry points (each in its own file; see transforms/README.md). */
int rpt_decode(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);
int rpt_segment(rpt_document *doc, rpt_buf *err);
int rpt_indicators_extract(rpt_document *doc, rpt_buf *err);

#endif
