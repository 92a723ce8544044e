#include "transforms/decode.h"
int rpt_decode_doc(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    (void)in; (void)doc;
    rpt_buf_puts(err, "legacy Office files (.doc/.xls/.wps) are not supported");
    return -1;
}
