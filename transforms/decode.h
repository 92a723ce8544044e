/* Decoding stage internals: bytes of a fetched document (HTML, .docx or plain text, in
 * UTF-8 or a GB charset) to one clean UTF-8 text plus metadata in an rpt_document.
 *
 *   decode.c     dispatch on content type / extension / magic bytes
 *   charset.c    charset decision (HTTP header, BOM, <meta>, detection) and iconv decoding
 *   normalize.c  UTF-8 validation with U+FFFD replacement and full-width ASCII folding
 *   text.c       plain text (offsets refer to the file's own text)
 *   html.c       portal pages: libxml2 HTML parser, article body, chrome removal
 *   docx.c       Word .docx: libzip + word/document.xml
 *   metadata.c   title, published_at, issuer, index_no, doc_no from labelled lines
 *   region.c     region, region_code, province, city (gazetteer in data/) and year */
#ifndef REPORTD_TRANSFORMS_DECODE_H
#define REPORTD_TRANSFORMS_DECODE_H

#include <stddef.h>

#include "common/buf.h"
#include "transforms/extract.h"

/* Limits that keep decoding bounded on hostile input. */
#define RPT_DOCX_MAX_XML_BYTES (64u << 20) /* uncompressed word/document.xml */
#define RPT_DOCX_MAX_RATIO 200             /* uncompressed / compressed size */
#define RPT_HTML_MAX_DEPTH 200             /* deeper elements are flattened to inline text */
/* Rejection threshold: more than this share (percent) of replaced characters. */
#define RPT_MAX_REPLACED_PERCENT 30
#define RPT_MIN_REPLACED_TO_REJECT 8 /* a few stray bytes in a tiny input are not rejected */

/* ---- normalize.c ---- */
enum {
    RPT_NORM_CR_TO_LF = 1, /* a lone CR (not followed by LF) becomes LF, one for one */
    RPT_NORM_GIVE_UP = 2,  /* stop (return 1) once the input is plainly not UTF-8 */
    RPT_NORM_NO_AVX2 = 4,  /* (tests) the same result without the 32-byte vector path */
};

/* Validates and normalises UTF-8 in one pass, appending to out: invalid sequences and NUL
 * become U+FFFD (counted in *replaced), full-width ASCII digits and letters (U+FF10-FF19,
 * U+FF21-FF3A, U+FF41-FF5A) become ASCII. Code points stay one for one, so offsets into
 * the result equal offsets into the input decoded leniently. *chars gets the code-point
 * count of what was appended. Returns 0, -1 when out of memory, or 1 with RPT_NORM_GIVE_UP
 * when more than 64 sequences were invalid and valid multi-byte characters are fewer than
 * 4 per invalid one so far (out then holds a partial result). */
int rpt_utf8_sanitize(const unsigned char *data, size_t len, unsigned flags, rpt_buf *out,
                     long *replaced, size_t *chars);

/* Folds full-width ASCII digits and letters in valid UTF-8 s[0..len) in place; returns the
 * new byte length (the code-point count does not change). */
size_t rpt_fold_fullwidth(char *s, size_t len);

/* Number of code points in valid UTF-8. */
size_t rpt_utf8_chars(const char *s, size_t len);

/* ---- charset.c ---- */
typedef struct rpt_charset_choice {
    char name[32];  /* canonical name reported in doc->charset ("UTF-8", "GBK", ...) */
    const char *by; /* what decided: "http", "bom", "meta", "detect" */
    size_t bom_len; /* bytes of BOM to skip */
} rpt_charset_choice;

/* Decides the charset of data: the HTTP Content-Type charset when given and known, a BOM,
 * then (for HTML) <meta charset> / http-equiv in the first 4 KiB, then detection: UTF-8
 * when the bytes (the first 4 MiB) are valid UTF-8 or nearly so (at least 4 valid multi-byte
 * characters per stray byte: a page mixing encodings), else GB18030. A declared charset
 * the bytes contradict (UTF-8 declared over invalid UTF-8, a GB charset declared over
 * strictly valid UTF-8 Chinese text) gives way to detection. */
void rpt_charset_decide(const unsigned char *data, size_t len, const char *content_type, int is_html,
                       rpt_charset_choice *out);

/* rpt_charset_decide() and rpt_charset_decode() in one: picks the charset and decodes data
 * (from after any BOM) to normalised UTF-8 appended to out. When detection decides, valid
 * UTF-8 is decoded in a single pass. Returns 0, or -1 with a reason in err. */
int rpt_charset_decode_input(const unsigned char *data, size_t len, const char *content_type,
                            int is_html, unsigned flags, rpt_charset_choice *cs, rpt_buf *out,
                            long *replaced, size_t *chars, rpt_buf *err);

/* Canonical name for a charset label ("gb2312" -> "GB2312", "utf8" -> "UTF-8"), or NULL when
 * the label is not one we decode. */
const char *rpt_charset_canonical(const char *label, size_t len);

/* Decodes data in charset to normalised UTF-8 appended to out (see rpt_utf8_sanitize for
 * what normalisation means). GB2312 and GBK are decoded as GB18030 (a superset). Returns 0,
 * or -1 with a reason in err. */
int rpt_charset_decode(const unsigned char *data, size_t len, const char *charset, unsigned flags,
                      rpt_buf *out, long *replaced, size_t *chars, rpt_buf *err);

/* ---- per-format decoders: fill doc->text/text_len/text_chars/replaced_chars/charset/format
 * and whatever metadata the format carries. `portal` collects text naming the site (page
 * title suffix, header, footer) for region detection. Return 0 or -1 with err set. ---- */
int rpt_decode_text(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);
int rpt_decode_html(const rpt_extract_input *in, rpt_document *doc, rpt_buf *portal, rpt_buf *err);
int rpt_decode_docx(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);

/* ---- pdf.c (poppler-glib, Tesseract), doc.c (Word 97-2003 binary, WPS) ---- */
#define RPT_PDF_MAX_PAGES 2000 /* a PDF of more pages is rejected */

/* Metadata a format carries besides its text (the PDF's Title and CreationDate), applied
 * only where the text itself gives none. Strings are malloc'd; rpt_doc_fallback_clear()
 * frees them. */
typedef struct rpt_doc_fallback {
    char *title;
    char *published_at;
} rpt_doc_fallback;
void rpt_doc_fallback_clear(rpt_doc_fallback *fb);

/* PDF: text layer in reading order, paragraphs joined back, running headers and page
 * numbers dropped; pages without text OCR'd per in->ocr. The work is the decoder program's
 * "pdf" task (decoders/pdf_task.c), run through in->isolate; without a hook the PDF is
 * rejected. Sets doc->ocr/ocr_confidence when any page was OCR'd. */
int rpt_decode_pdf(const rpt_extract_input *in, rpt_document *doc, rpt_doc_fallback *fb,
                   rpt_buf *err);

/* The "pdf" task's input starts with this line (OCR on, pages, milliseconds, dpi), then the
 * PDF's bytes. */
#define RPT_PDF_TASK_HEADER "pdf ocr=%d pages=%d ms=%ld dpi=%d\n"

/* Legacy Word (.doc, Word 97-2003) and WPS files: the main document text of the piece table
 * of the WordDocument stream in the OLE compound file. Runs through in->isolate when set. */
int rpt_decode_doc(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err);
/* Its task, "doc" (the input is the file's bytes; pure code, so also run in the calling
 * thread when no hook is given). */
int rpt_doc_task(const unsigned char *input, size_t len, rpt_buf *out, rpt_buf *err);

/* ---- metadata.c ---- */
/* Parses a date/time at s ("2025-05-30 12:02:29", "2025年5月30日", "2025/5/30 11:57",
 * "2025.05.30") into "YYYY-MM-DDTHH:MM:SS+08:00". Returns the bytes consumed, 0 when s does
 * not start with a date. */
size_t rpt_meta_parse_date(const char *s, size_t len, char out[32]);

/* Which label set each metadata field (published_at, issuer, index_no, doc_no): a better
 * label found later (发布时间 over 成文日期) replaces a worse one; -1 = never replace. */
typedef struct rpt_meta_scan {
    int prio[4];
} rpt_meta_scan;

/* Starts a scan: fields already set in doc are kept. */
void rpt_meta_scan_init(rpt_meta_scan *scan, const rpt_document *doc);

/* Scans one line for labelled metadata (发布时间/成文日期/日期, 来源/发布机构/责任部门,
 * 信息索引号, 文件编号/文号) and fills doc's fields. Lines longer than a metadata line can
 * be are ignored. Returns the number of labels found with a value. */
int rpt_meta_scan_line(rpt_meta_scan *scan, rpt_document *doc, const char *line, size_t len);

/* Whether the line is page chrome: breadcrumb, print/close/share/font-size widgets,
 * 相关文章 headers, or a line holding only labelled metadata. */
int rpt_meta_is_chrome_line(const char *line, size_t len);

/* How much a line looks like a report title (0 = not at all). */
int rpt_meta_title_score(const char *line, size_t len);

/* Fills missing metadata from the text itself: labelled lines near the start and the end,
 * and the title from the first lines. Never changes the text. */
void rpt_meta_from_text(rpt_document *doc);

/* Duplicates s[0..len) with surrounding whitespace (ASCII, U+00A0, U+3000) trimmed. */
char *rpt_meta_strdup_trim(const char *s, size_t len);

/* ---- region.c ---- */
/* Sets doc->region, region_code, province, city and level: the source's declared region
 * (hint) wins; then the title, the opening lines (people's congress line, "X人民政府区长"),
 * the issuer, the portal text and, for a title naming only the office ("区教育局"), the
 * division the body names most often. The State Council's report is 全国 / 100000. Sets
 * doc->year from the title (transforms/placement.c corrects it for government work
 * reports). Names resolve to the division as it was in that year (0: today). A name that
 * is unknown or ambiguous stays NULL. */
void rpt_region_resolve(rpt_document *doc, const char *portal, const char *hint);

/* Re-places doc's region in doc->year (0: today) once the year is final: a division the
 * gazetteer knows under another name or code in that year switches to it (region,
 * region_code, city, province, level), one that did not exist then is cleared. Called by
 * rpt_place(); a no-op for divisions without a history. */
void rpt_region_in_year(rpt_document *doc);

/* The year a report reviews, from its title ("2024年工作总结及2025年工作计划" -> 2024);
 * 0 when the title names none. */
int rpt_region_year_of(const char *title);

/* The opening lines of the text (title, people's congress line, speaker, salutation): up
 * to three lines after "各位代表", at most 40 lines or 4 kB. A copy (caller frees), or NULL. */
char *rpt_region_opening_lines(const rpt_document *doc);

/* Path of the gazetteer in use (after loading), or NULL when none was found. */
const char *rpt_gazetteer_path(void);

#endif
