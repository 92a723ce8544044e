#include "transforms/extract.h"

#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

int rpt_extract(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    memset(doc, 0, sizeof *doc);
    doc->source = strdup(in->source ? in->source : "");
    if (in->url) doc->url = strdup(in->url);
    char id[17];
    rpt_doc_id(in->url ? in->url : doc->source, id);
    doc->doc_id = strdup(id);
    if (!doc->source || !doc->doc_id) {
        rpt_buf_puts(err, "out of memory");
        goto fail;
    }
    if (rpt_decode(in, doc, err)) goto fail;
    if (rpt_segment(doc, err)) goto fail;
    if (rpt_place(doc, err)) goto fail;
    if (rpt_indicators_extract(doc, err)) goto fail;
    if (rpt_metric_keys_assign(doc, err)) goto fail;
    return 0;
fail:
    rpt_document_clear(doc);
    return -1;
}
