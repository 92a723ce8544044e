/* Entry points of segmentation and indicator extraction that work on an already indexed
 * text, so the two stages (and tests) can share one code point index. */
#ifndef REPORTD_TRANSFORMS_SEGMENT_SCAN_H
#define REPORTD_TRANSFORMS_SEGMENT_SCAN_H

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/document.h"

/* Fills doc->sections from t (the index of doc->text). Returns 0 or -1 with err set. */
int rpt_segment_scan(const rpt_cptext *t, rpt_document *doc, rpt_buf *err);
/* Fills doc->indicators from t, using doc->sections. Returns 0 or -1 with err set. */
int rpt_indicators_scan(const rpt_cptext *t, rpt_document *doc, rpt_buf *err);

#endif
