/* Segmentation stage: placeholder (no sections yet). */
#include "transforms/extract.h"

int rd_segment(rd_document *doc, rd_buf *err)
{
    (void)doc;
    (void)err;
    return 0;
}
