/* The transform stage as one call: bytes of a fetched document in, rd_document out.
 * decode (charset, HTML/docx/text to clean text + metadata) -> segment (sections) ->
 * indicators. Pure function of the input and the transform version. */
#ifndef REPORTD_TRANSFORMS_EXTRACT_H
#define REPORTD_TRANSFORMS_EXTRACT_H

#include <stddef.h>

#include "common/buf.h"
#include "transforms/document.h"

/* Bumped whenever the extractor's output may change for the same input; replays of
 * reports.raw through a newer version overwrite older rows in Postgres. */
#define RD_TRANSFORM_VERSION 1

typedef struct rd_extract_input {
    const char *source;       /* path or URL as given (required) */
    const char *url;          /* canonical URL when known (doc_id is derived from it) */
    const unsigned char *data;
    size_t len;
    const char *content_type; /* HTTP Content-Type, or NULL */
    const char *region_hint;  /* region declared by the source config, or NULL */
} rd_extract_input;

/* Runs the whole transform. On success returns 0 and fills doc (caller clears it with
 * rd_document_clear()). On failure returns -1 with a one-line reason in err; doc is cleared. */
int rd_extract(const rd_extract_input *in, rd_document *doc, rd_buf *err);

/* Stage entry points (each in its own file; see transforms/README.md). */
int rd_decode(const rd_extract_input *in, rd_document *doc, rd_buf *err);
int rd_segment(rd_document *doc, rd_buf *err);
int rd_indicators_extract(rd_document *doc, rd_buf *err);

#endif
