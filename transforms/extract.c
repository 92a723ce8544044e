#include "transforms/extract.h"

#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

int rd_extract(const rd_extract_input *in, rd_document *doc, rd_buf *err)
{
    memset(doc, 0, sizeof *doc);
    doc->source = strdup(in->source ? in->source : "");
    if (in->url) doc->url = strdup(in->url);
    char id[17];
    rd_doc_id(in->url ? in->url : doc->source, id);
    doc->doc_id = strdup(id);
    if (!doc->source || !doc->doc_id) {
        rd_buf_puts(err, "out of memory");
        goto fail;
    }
    if (rd_decode(in, doc, err)) goto fail;
    if (rd_segment(doc, err)) goto fail;
    if (rd_indicators_extract(doc, err)) goto fail;
    return 0;
fail:
    rd_document_clear(doc);
    return -1;
}
