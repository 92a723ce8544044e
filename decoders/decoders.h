/* The heavy decoders: PDF text layers (poppler-glib) and OCR of scanned pages (cairo,
 * Tesseract), linked only into the decoder program reportd-decoder (decoders/main.c), the
 * tests and the fuzzers, never into reportd: the daemon, which holds database and broker
 * credentials and streams every other document, maps none of these libraries. reportd runs
 * the program per document through common/sandbox.h: `reportd-decoder decode-task TASK`,
 * the task's input on stdin, its result record on the sandbox's result descriptor. */
#ifndef REPORTD_DECODERS_DECODERS_H
#define REPORTD_DECODERS_DECODERS_H

#include <stddef.h>

#include "common/buf.h"

/* Runs the task named task ("pdf", "doc") on its serialised input in the calling thread.
 * Returns 0 with the result record appended to out, or -1 with a reason in err (also for
 * an unknown task name). */
int rpt_decoders_run(const char *task, const unsigned char *input, size_t len, rpt_buf *out,
                     rpt_buf *err);

/* rpt_decoders_run() as an isolation hook of rpt_extract_input (ctx unused): decoding in the
 * calling thread, without a child process or limits (fuzzers, benchmarks). */
int rpt_decoders_run_here(void *ctx, const char *task, const unsigned char *input, size_t len,
                          rpt_buf *out, rpt_buf *err);

/* The "pdf" task (pdf_task.c): input RPT_PDF_TASK_HEADER + the PDF's bytes. */
int rpt_pdf_task(const unsigned char *input, size_t len, rpt_buf *out, rpt_buf *err);

/* Whether a line holds only a page number ("- 3 -", "第3页 共12页", "3/12", "Page 3"). */
int rpt_pdf_is_page_number(const char *s, size_t len);

/* Appends one line of OCR output to out, cleaned (ocrfix.c): no line end, no spaces
 * Tesseract puts between CJK characters, and l/I/| read as 1 and O/o read as 0 inside a
 * number where that is certain (a run of digits and such letters, not touching other
 * letters, with at least as many real digits as look-alikes: "2O24年" -> "2024年", "l5.2%" ->
 * "15.2%", but not "Oil" or "IO"). Returns 0 or -1 when out of memory. */
int rpt_ocr_fix_line(const char *s, size_t len, rpt_buf *out);

#endif
