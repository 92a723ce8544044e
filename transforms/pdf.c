/* PDF, the caller's side: the document goes to the decoder program as the "pdf" task
 * (decoders/pdf_task.c: poppler's text layer in reading order, Tesseract for scanned pages)
 * through in->isolate, and the record that comes back (tagged fields: T text, i title,
 * d date, o ocr, q confidence) becomes the document's text and metadata. This process never
 * loads a PDF or OCR library. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "transforms/decode.h"

/* Finds field `tag` in the record; returns its bytes (not NUL-terminated) or NULL. */
static const char *get_field(const rpt_buf *rec, char tag, size_t *len)
{
    size_t i = 0;
    while (i + 5 <= rec->len) {
        uint32_t n;
        memcpy(&n, rec->data + i + 1, 4);
        if (n > rec->len - i - 5) return NULL;
        if (rec->data[i] == tag) {
            *len = n;
            return rec->data + i + 5;
        }
        i += 5 + n;
    }
    return NULL;
}

static char *get_str(const rpt_buf *rec, char tag)
{
    size_t len;
    const char *s = get_field(rec, tag, &len);
    return s ? strndup(s, len) : NULL;
}

/* The "pdf" task's input: one line of OCR options, then the PDF's bytes. */
static int task_serialise(const rpt_extract_input *in, const rpt_ocr_options *o, rpt_buf *out)
{
    long ms = (long)(o->max_seconds * 1000 + 0.5);
    if (rpt_buf_printf(out, RPT_PDF_TASK_HEADER, o->enabled, o->max_pages, ms, o->dpi)) return -1;
    return rpt_buf_append(out, in->data, in->len);
}

int rpt_decode_pdf(const rpt_extract_input *in, rpt_document *doc, rpt_doc_fallback *fb,
                   rpt_buf *err)
{
    static const rpt_ocr_options defaults = RPT_OCR_DEFAULTS;
    const rpt_ocr_options *ocr_opts = in->ocr ? in->ocr : &defaults;
    rpt_buf rec = RPT_BUF_INIT, text = RPT_BUF_INIT;
    int rc = -1;
    if (in->len > (size_t)INT32_MAX) {
        rpt_buf_puts(err, "PDF larger than 2 GiB");
        goto out;
    }
    if (!in->isolate) { /* poppler and Tesseract live in the decoder program only */
        rpt_buf_puts(err, "PDF needs the decoder program (no isolation hook given)");
        goto out;
    }
    rpt_buf input = RPT_BUF_INIT;
    int failed = -1;
    if (task_serialise(in, ocr_opts, &input))
        rpt_buf_puts(err, "out of memory");
    else
        failed = in->isolate(in->isolate_ctx, "pdf", (const unsigned char *)input.data, input.len,
                             &rec, err);
    rpt_buf_clear(&input);
    if (failed) goto out;
    size_t len = 0;
    const char *t = get_field(&rec, 'T', &len);
    long replaced = 0;
    size_t chars = 0;
    if (!t || rpt_utf8_sanitize((const unsigned char *)t, len, 0, &text, &replaced, &chars) < 0 ||
        rpt_buf_reserve(&text, 0)) {
        rpt_buf_puts(err, t ? "out of memory" : "PDF decoder returned no text");
        goto out;
    }
    doc->format = strdup("pdf");
    doc->charset = strdup("UTF-8");
    if (!doc->format || !doc->charset) goto oom;
    doc->text_len = text.len;
    doc->text = rpt_buf_steal(&text);
    doc->text_chars = chars;
    doc->replaced_chars = replaced;
    char *ocr = get_str(&rec, 'o'), *conf = get_str(&rec, 'q');
    if (ocr) {
        doc->ocr = 1;
        doc->ocr_confidence = conf ? strtod(conf, NULL) : 0;
    }
    free(ocr);
    free(conf);
    fb->title = get_str(&rec, 'i');
    fb->published_at = get_str(&rec, 'd');
    rc = 0;
    goto out;
oom:
    rpt_buf_puts(err, "out of memory");
out:
    rpt_buf_clear(&rec);
    rpt_buf_clear(&text);
    return rc;
}
