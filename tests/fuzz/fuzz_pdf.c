/* libFuzzer target: PDF input through the whole transform. With an even first byte the
 * decoder runs through the isolation boundary the daemon uses (common/sandbox.h: this
 * program executed again as `decode-task pdf` in a child under CPU, memory and wall-clock
 * limits; whatever the child does, this process must get a document or a reason); with an odd first byte it runs in this process, so
 * that the sanitizers see the line, column and paragraph code of transforms/pdf.c (poppler
 * itself is not instrumented). OCR is off: random pages rarely hold text to read, and its
 * time would starve the run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/sandbox.h"
#include "transforms/extract.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Executed again as the decoder child: serve the task and end (before libFuzzer parses). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (*argc == 3 && !strcmp((*argv)[1], "decode-task"))
        rpt_sandbox_serve((*argv)[2], rpt_extract_task_run);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const rpt_ocr_options no_ocr = {0, 1, 1.0, 150};
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10, .memory_bytes = 1024u << 20,
                              .program = "/proc/self/exe", .command = "decode-task"};
    int isolated = !(data[0] & 1);
    rpt_extract_input in = {.source = "fuzz.pdf",
                            .data = data + 1,
                            .len = size - 1,
                            .content_type = "application/pdf",
                            .isolate = isolated ? rpt_sandbox_isolate : NULL,
                            .isolate_ctx = &lim,
                            .ocr = &no_ocr};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_extract(&in, &doc, &err) == 0) rpt_document_clear(&doc);
    else if (!err.data || !err.data[0]) abort(); /* a reject always says why */
    rpt_buf_clear(&err);
    return 0;
}
