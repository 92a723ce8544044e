/* libFuzzer target: .docx input through the whole transform (zip reading with the bomb
 * guards, word/document.xml parsing, then segmentation and indicators). Mutated archives
 * mostly fail their CRC check, so when the first byte is odd the rest of the input is
 * wrapped as word/document.xml in a valid zip built here, to reach the XML walker too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "transforms/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A zip holding data as word/document.xml (caller frees), or NULL. */
static uint8_t *wrap_in_zip(const uint8_t *data, size_t size, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    uint8_t *out = NULL;
    if (!mem) goto done;
    zip_source_keep(mem);
    zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    if (!za) goto done;
    zip_source_t *xml = zip_source_buffer(za, data, size, 0);
    if (!xml || zip_file_add(za, "word/document.xml", xml, ZIP_FL_OVERWRITE) < 0) {
        zip_source_free(xml);
        zip_discard(za);
        goto done;
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        goto done;
    }
    zip_stat_t st;
    if (zip_source_stat(mem, &st) != 0 || zip_source_open(mem) != 0) goto done;
    out = malloc(st.size ? st.size : 1);
    if (out && zip_source_read(mem, out, st.size) != (zip_int64_t)st.size) {
        free(out);
        out = NULL;
    }
    *out_len = st.size;
    zip_source_close(mem);
done:
    if (mem) zip_source_free(mem);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *wrapped = NULL;
    if (size > 0 && (data[0] & 1)) {
        size_t len = 0;
        wrapped = wrap_in_zip(data + 1, size - 1, &len);
        if (!wrapped) return 0;
        data = wrapped;
        size = len;
    }
    rpt_extract_input in = {.source = "fuzz.docx", .data = data, .len = size};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_extract(&in, &doc, &err) == 0) rpt_document_clear(&doc);
    rpt_buf_clear(&err);
    free(wrapped);
    return 0;
}
