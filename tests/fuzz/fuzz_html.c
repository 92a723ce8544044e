/* libFuzzer target: one HTML page (any bytes) through the whole transform (decode with
 * charset detection, HTML parsing and body extraction, then segmentation and indicators). */
#include <stddef.h>
#include <stdint.h>

#include "transforms/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpt_extract_input in = {
        .source = "fuzz.html", .data = data, .len = size, .content_type = "text/html"};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_extract(&in, &doc, &err) == 0) rpt_document_clear(&doc);
    rpt_buf_clear(&err);
    return 0;
}
