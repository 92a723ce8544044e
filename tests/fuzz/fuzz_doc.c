/* libFuzzer target: legacy Word .doc input through the whole transform, in this process
 * (the compound-file and piece-table reader of transforms/doc.c is project code). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "transforms/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpt_extract_input in = {.source = "fuzz.doc", .data = data, .len = size};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_extract(&in, &doc, &err) == 0) rpt_document_clear(&doc);
    else if (!err.data || !err.data[0]) abort(); /* a reject always says why */
    rpt_buf_clear(&err);
    return 0;
}
