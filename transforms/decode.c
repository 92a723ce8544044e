/* Decoding stage entry point: picks the decoder by HTTP content type, magic bytes, file
 * extension and a look at the first bytes (PDF and OLE2 .doc/.wps by their magic); rejects binary and mostly undecodable input
 * with a reason; then completes metadata (labelled lines, title) and resolves region and
 * year. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "common/log.h"
#include "transforms/decode.h"

#define SNIFF_BYTES 8192 /* binary formats show control bytes early */

typedef enum { FMT_TEXT, FMT_HTML, FMT_DOCX, FMT_PDF, FMT_DOC } doc_format;

/* libxml2 2.9 initialises its globals on first use, which is not thread-safe: do it once */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* Extension of a path or URL (without query or fragment), lowercased into out. */
static void extension_of(const char *source, char out[16])
{
    out[0] = '\0';
    if (!source) return;
    size_t end = strcspn(source, "?#");
    size_t dot = end;
    while (dot > 0 && source[dot - 1] != '.' && source[dot - 1] != '/')
        dot--;
    if (dot == 0 || source[dot - 1] != '.' || end - dot >= 16) return;
    for (size_t i = 0; i < end - dot; i++)
        out[i] = (char)(source[dot + i] | 0x20);
    out[end - dot] = '\0';
}

/* Whether the first bytes look like markup of an HTML page. */
static int sniff_html(const unsigned char *d, size_t len)
{
    size_t n = len < 2048 ? len : 2048, i = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) i = 3;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    if (i >= n || d[i] != '<') return 0;
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body",  "<meta",
                                       "<title",         "<div",  "<p>",   "<table", "<!--"};
    for (size_t t = 0; t < sizeof tags / sizeof *tags; t++) {
        size_t tl = strlen(tags[t]);
        for (size_t j = i; j + tl <= n; j++)
            if (strncasecmp((const char *)d + j, tags[t], tl) == 0) return 1;
    }
    return 0;
}

/* A reason when the bytes are a binary format we do not decode, else NULL. */
static const char *binary_reason(const unsigned char *d, size_t len)
{
    if (len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return "binary content (PNG image)";
    if (len >= 3 && !memcmp(d, "\xFF\xD8\xFF", 3)) return "binary content (JPEG image)";
    if (len >= 4 && !memcmp(d, "GIF8", 4)) return "binary content (GIF image)";
    if (len >= 2 && !memcmp(d, "\x1F\x8B", 2)) return "binary content (gzip-compressed)";
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return NULL; /* UTF-16 with a BOM holds NUL bytes legitimately */
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, nul = 0, ctl = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 8 <= n) { /* words of 8 without any byte below 0x20 */
            uint64_t w;
            memcpy(&w, d + i, 8);
            if (!((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull)) {
                i += 7;
                continue;
            }
        }
        if (d[i] == 0)
            nul++;
        else if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && d[i] != '\f')
            ctl++;
    }
    if (n && (nul * 100 > n || (nul + ctl) * 10 > n))
        return "binary content (control bytes; not HTML, .docx or text)";
    return NULL;
}

/* Whether "%PDF-" starts within the first 1024 bytes (readers accept leading junk). */
static int sniff_pdf(const unsigned char *d, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (d[i] == '%' && !memcmp(d + i, "%PDF-", 5)) return 1;
    return 0;
}

static doc_format pick_format(const rpt_extract_input *in)
{
    const char *ct = in->content_type;
    if (in->len >= 8 && !memcmp(in->data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return FMT_DOC;
    if (sniff_pdf(in->data, in->len)) return FMT_PDF;
    if (ct && strcasestr(ct, "html")) return FMT_HTML;
    if (ct && strcasestr(ct, "wordprocessingml")) return FMT_DOCX;
    if (in->len >= 4 && !memcmp(in->data, "PK\x03\x04", 4)) return FMT_DOCX;
    if (ct && strncasecmp(ct, "text/plain", 10) == 0) return FMT_TEXT;
    char ext[16];
    extension_of(in->source, ext);
    if (!strcmp(ext, "docx")) return FMT_DOCX;
    if (!strcmp(ext, "txt") || !strcmp(ext, "text")) return FMT_TEXT;
    if (!strcmp(ext, "html") || !strcmp(ext, "htm") || !strcmp(ext, "shtml") ||
        !strcmp(ext, "xhtml"))
        return FMT_HTML;
    return sniff_html(in->data, in->len) ? FMT_HTML : FMT_TEXT;
}

int rpt_extract_is_heavy(const rpt_extract_input *in)
{
    doc_format f = pick_format(in);
    return f == FMT_PDF || f == FMT_DOC;
}

static const char *format_name(doc_format f)
{
    return f == FMT_HTML ? "html" : f == FMT_DOCX ? "docx" : f == FMT_PDF ? "pdf" : f == FMT_DOC ? "doc" : "text";
}

/* Whether the decoded text has any character that is not whitespace or U+FFFD. */
static int has_content(const rpt_document *doc)
{
    const unsigned char *s = (const unsigned char *)doc->text;
    for (size_t i = 0; i < doc->text_len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\f') continue;
        if (s[i] == 0xEF && i + 2 < doc->text_len && s[i + 1] == 0xBF && s[i + 2] == 0xBD) {
            i += 2;
            continue;
        }
        return 1;
    }
    return 0;
}

int rpt_decode(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    rpt_buf portal = RPT_BUF_INIT;
    rpt_doc_fallback fb = {0};
    doc_format fmt = pick_format(in);
    const char *why;
    int rc = -1;
    pthread_once(&xml_once, xmlInitParser);
    if (in->len == 0) {
        rpt_buf_puts(err, "empty input");
        goto out;
    }
    if (fmt != FMT_DOCX && fmt != FMT_PDF && fmt != FMT_DOC && (why = binary_reason(in->data, in->len)) != NULL) {
        rpt_buf_puts(err, why);
        goto out;
    }
    if (fmt == FMT_HTML)
        rc = rpt_decode_html(in, doc, &portal, err);
    else if (fmt == FMT_DOCX)
        rc = rpt_decode_docx(in, doc, err);
    else if (fmt == FMT_PDF)
        rc = rpt_decode_pdf(in, doc, &fb, err);
    else if (fmt == FMT_DOC)
        rc = rpt_decode_doc(in, doc, err);
    else
        rc = rpt_decode_text(in, doc, err);
    if (rc) goto out;
    rc = -1;
    if (doc->replaced_chars >= RPT_MIN_REPLACED_TO_REJECT &&
        (size_t)doc->replaced_chars * 100 > doc->text_chars * RPT_MAX_REPLACED_PERCENT) {
        rpt_buf_printf(err, "undecodable: %ld of %zu characters are invalid in %s",
                      doc->replaced_chars, doc->text_chars, doc->charset ? doc->charset : "");
        goto out;
    }
    if (!has_content(doc)) {
        rpt_buf_printf(err, "no text found in the %s document", format_name(fmt));
        goto out;
    }
    rpt_meta_from_text(doc);
    if (!doc->title && fb.title) { /* the body names none: the file's own metadata */
        doc->title = fb.title;
        fb.title = NULL;
    }
    if (!doc->published_at && fb.published_at) {
        doc->published_at = fb.published_at;
        fb.published_at = NULL;
    }
    rpt_region_resolve(doc, portal.data, in->region_hint);
    rc = 0;
out:
    if (rc)
        rpt_log_debug("decode", "rejected", "source=%s format=%s reason=\"%s\"",
                     in->source ? in->source : "", format_name(fmt), err->data ? err->data : "");
    rpt_buf_clear(&portal);
    rpt_doc_fallback_clear(&fb);
    return rc;
}

void rpt_doc_fallback_clear(rpt_doc_fallback *fb)
{
    free(fb->title);
    free(fb->published_at);
    fb->title = fb->published_at = NULL;
}
