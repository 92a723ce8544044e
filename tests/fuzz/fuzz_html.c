/* libFuzzer target: one HTML page (any bytes) through the whole transform (decode with
 * charset detection, HTML parsing and body extraction, then segmentation and indicators). */
#include <stddef.h>
#include <stdint.h>

#include "transforms/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_extract_input in = {
        .source = "fuzz.html", .data = data, .len = size, .content_type = "text/html"};
    rd_document doc;
    rd_buf err = RD_BUF_INIT;
    if (rd_extract(&in, &doc, &err) == 0) rd_document_clear(&doc);
    rd_buf_free(&err);
    return 0;
}
