/* libFuzzer target: PDF input through the whole transform. With an even first byte the
 * decoder runs through the isolation boundary the daemon uses (common/sandbox.h: this
 * program executed again as `decode-task pdf` in a child under CPU, memory and wall-clock
 * limits; whatever the child does, this process must get a document or a reason); with an
 * odd first byte it runs in this process (rpt_decoders_run_here), so that the sanitizers see
 * the line, column and paragraph code of decoders/pdf_task.c (poppler itself is not
 * instrumented). OCR is off: random pages rarely hold text to read, and its
 * time would starve the run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/sandbox.h"
#include "decoders/decoders.h"
#include "transforms/extract.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Executed again as the decoder child: serve the task and end (before libFuzzer parses). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    rpt_sandbox_serve_if_asked(*argc, *argv, rpt_decoders_run);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const rpt_ocr_options no_ocr = {0, 1, 1.0, 150};
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10, .memory_bytes = 1024u << 20,
                              .program = "/proc/self/exe"};
    int isolated = !(data[0] & 1);
    rpt_extract_input in = {.source = "fuzz.pdf",
                            .data = data + 1,
                            .len = size - 1,
                            .content_type = "application/pdf",
                            .isolate = isolated ? rpt_sandbox_isolate : rpt_decoders_run_here,
                            .isolate_ctx = &lim,
                            .ocr = &no_ocr};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_extract(&in, &doc, &err) == 0) rpt_document_clear(&doc);
    else if (!err.data || !err.data[0]) abort(); /* a reject always says why */
    rpt_buf_clear(&err);
    return 0;
}
