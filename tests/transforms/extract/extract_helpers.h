/* Helpers of the extraction tests: run segmentation and indicator extraction over a UTF-8
 * string and find what came out. */
#ifndef REPORTD_TESTS_EXTRACT_HELPERS_H
#define REPORTD_TESTS_EXTRACT_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "transforms/extract.h"

/* Segments text and extracts its indicators into doc (cleared by the caller with
 * rpt_document_clear()). Returns 0 on success. */
static inline int x_run(const char *text, rpt_document *doc)
{
    memset(doc, 0, sizeof *doc);
    size_t len = strlen(text);
    doc->text = malloc(len + 1);
    if (!doc->text) return -1;
    memcpy(doc->text, text, len + 1);
    doc->text_len = len;
    for (size_t i = 0; i < len; i++)
        if ((text[i] & 0xC0) != 0x80) doc->text_chars++;
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_segment(doc, &err) || rpt_indicators_extract(doc, &err) ? -1 : 0;
    rpt_buf_clear(&err);
    return rc;
}

/* The indicator whose raw text equals raw (the first one), or NULL. */
static inline const rpt_indicator *x_find(const rpt_document *doc, const char *raw)
{
    for (size_t i = 0; i < doc->n_indicators; i++)
        if (strcmp(doc->indicators[i].raw, raw) == 0) return &doc->indicators[i];
    return NULL;
}

#endif
