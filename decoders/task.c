#include <string.h>

#include "decoders/decoders.h"
#include "transforms/decode.h"

int rpt_decoders_run(const char *task, const unsigned char *input, size_t len, rpt_buf *out,
                     rpt_buf *err)
{
    if (task && !strcmp(task, "pdf")) return rpt_pdf_task(input, len, out, err);
    if (task && !strcmp(task, "doc")) return rpt_doc_task(input, len, out, err);
    rpt_buf_printf(err, "unknown decoder task \"%s\"", task ? task : "");
    return -1;
}

int rpt_decoders_run_here(void *ctx, const char *task, const unsigned char *input, size_t len,
                          rpt_buf *out, rpt_buf *err)
{
    (void)ctx;
    return rpt_decoders_run(task, input, len, out, err);
}
