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
#define RPT_TRANSFORM_VERSION 4

/* How heavy decoders (PDF and its OCR, legacy Word) run. Each is a task with a name ("pdf",
 * "doc") over bytes: its input serialised by the decoder, its result a record the decoder
 * reads back. An isolation hook runs the task elsewhere and hands back the same: fills out
 * and returns 0, or returns -1 with a reason in err. common/sandbox.h's
 * rpt_sandbox_isolate() executes the decoder program (reportd-decoder, decoders/) under
 * limits, turning a crash, a limit or a timeout into -1 with the reason; decoders/decoders.h
 * has a hook that runs the task in the calling thread, for programs that link the decoders.
 * transforms/ never forks and links no PDF or OCR library: without a hook a PDF is rejected
 * and a .doc is read in the calling thread. */
typedef int (*rpt_extract_isolate)(void *ctx, const char *task, const unsigned char *input,
                                   size_t len, rpt_buf *out, rpt_buf *err);

/* OCR of PDF pages without a text layer (Tesseract, chi_sim). */
typedef struct rpt_ocr_options {
    int enabled;        /* 0: such pages are skipped (a PDF of only such pages is rejected) */
    int max_pages;      /* pages OCR'd per document at most; later ones are skipped */
    double max_seconds; /* OCR time per document; pages past it are skipped */
    int dpi;            /* rendering resolution for OCR */
} rpt_ocr_options;

/* The defaults of the transform.ocr* settings: on, 30 pages, 120 s, 300 dpi. */
#define RPT_OCR_DEFAULTS {1, 30, 120.0, 300}

typedef struct rpt_extract_input {
    const char *source;       /* path or URL as given (required) */
    const char *url;          /* canonical URL when known (doc_id is derived from it) */
    const unsigned char *data;
    size_t len;
    const char *content_type; /* HTTP Content-Type, or NULL */
    const char *region_hint;  /* region declared by the source config, or NULL */
    /* PDF and .doc decoding runs through isolate(isolate_ctx, ...) when set (see above) */
    rpt_extract_isolate isolate;
    void *isolate_ctx;
    const rpt_ocr_options *ocr; /* NULL: RPT_OCR_DEFAULTS */
} rpt_extract_input;

/* Runs the whole transform. On success returns 0 and fills doc (caller clears it with
 * rpt_document_clear()). On failure returns -1 with a one-line reason in err; doc is cleared. */
int rpt_extract(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);

/* Whether in is of a format decoded through the isolation hook (PDF, legacy Word): the slow
 * ones, which a caller may hand to another thread. Looks at the first bytes only. */
int rpt_extract_is_heavy(const rpt_extract_input *in);

/* Stage entry points (each in its own file; see transforms/README.md). */
int rpt_decode(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);
int rpt_segment(rpt_document *doc, rpt_buf *err);
int rpt_indicators_extract(rpt_document *doc, rpt_buf *err);
/* doc_type, reviewed year and plan year (placement.c), after segmentation */
int rpt_place(rpt_document *doc, rpt_buf *err);
/* metric_key, period_year and the category of keyed indicators (metric_keys.c): a pass
 * over doc->indicators after indicator extraction */
int rpt_metric_keys_assign(rpt_document *doc, rpt_buf *err);

#endif
