/* Indicator extraction stage: placeholder (no indicators yet). */
#include "transforms/extract.h"

int rd_indicators_extract(rd_document *doc, rd_buf *err)
{
    (void)doc;
    (void)err;
    return 0;
}
