/* PDF: the text layer read with poppler-glib, pages without one recognised with Tesseract.
 *
 * Poppler gives each page's text as lines, with a rectangle per character. From the lines
 * and their geometry this file rebuilds what a reader sees:
 *   - running headers and page numbers ("- 3 -", "第3页 共12页") in the top and bottom bands
 *     of the page are dropped (page-number patterns, and lines repeated on most pages);
 *   - a two-column page is read column by column (a vertical gutter crossed by few lines),
 *     lines spanning both columns (a title) in their place between the column bands;
 *   - lines wrapped inside a paragraph are joined back: a line that reaches the column's
 *     right edge continues on the next one, unless that one is indented (a first line) or
 *     starts with a heading marker (一、 / （一） / 1.); paragraphs end with "\n".
 * Pages with (almost) no text are rendered at the OCR resolution with cairo and read by
 * Tesseract (chi_sim) line by line, within the pages and seconds the options allow; the
 * OCR'd lines go through the same rebuilding, after CJK spacing and digit fixes (ocrfix.c).
 *
 * All of it is the "pdf" task of the decoder program (reportd-decoder): its input is the
 * header line RPT_PDF_TASK_HEADER and the PDF's bytes; its result is the record
 * transforms/pdf.c reads (tagged fields: T text, i title, d date, o ocr, q confidence). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cairo.h>
#include <glib.h>
#include <poppler.h>
#include <tesseract/capi.h>

#include "common/bytes.h"
#include "common/utf8.h"
#include "decoders/decoders.h"
#include "transforms/decode.h"

#define MIN_PAGE_CHARS 8          /* fewer non-space characters: the page is a scan */
#define HEADER_BAND 0.10          /* top and bottom share of the page for running lines */
#define MAX_OCR_PIXELS 64000000.0 /* a rendered page larger than this is scaled down */
#define MIN_OCR_DPI 100           /* ... but never below this: such a page is skipped */
#define MAX_TEXT_BYTES (64u << 20)

typedef struct pdf_line {
    char *text; /* UTF-8, owned */
    size_t len;
    double x1, y1, x2, y2; /* bounding box of the non-space characters, in points */
    double ch;             /* character size (line height) */
    int page;
    int col;         /* 0: the page's only column, or spanning; 1 left; 2 right */
    int geom;        /* geometry known */
    int drop;        /* running header, footer or page number */
    int ocr;         /* recognised from the page image (its box is the ink, not the font) */
    int same_row;    /* split from the line before it at a wide gap (maybe a column gutter) */
    double left, right; /* bounds of the line's column on its page */
} pdf_line;

typedef struct pdf_lines {
    pdf_line *v;
    size_t n, cap;
} pdf_lines;

typedef struct pdf_task {
    const unsigned char *data;
    size_t len;
    rpt_ocr_options ocr;
} pdf_task;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void lines_free(pdf_lines *ls)
{
    for (size_t i = 0; i < ls->n; i++)
        free(ls->v[i].text);
    free(ls->v);
    memset(ls, 0, sizeof *ls);
}

/* Appends a line (text copied, trimmed of spaces at both ends); empty lines are skipped.
 * Returns 0 or -1 when out of memory. */
static int lines_add(pdf_lines *ls, const char *s, size_t len, const pdf_line *proto)
{
    while (len && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (!len) return 0;
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 256;
        pdf_line *v = realloc(ls->v, cap * sizeof *v);
        if (!v) return -1;
        ls->v = v;
        ls->cap = cap;
    }
    pdf_line *l = &ls->v[ls->n];
    *l = *proto;
    l->text = malloc(len + 1);
    if (!l->text) return -1;
    memcpy(l->text, s, len);
    l->text[len] = '\0';
    l->len = len;
    ls->n++;
    return 0;
}

/* ---- the text layer ---- */

/* Appends the lines of one page's text layer; *chars gets its non-space character count. */
static int page_text_lines(PopplerPage *page, int pg, pdf_lines *ls, size_t *chars)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nr = 0;
    int rc = 0;
    *chars = 0;
    if (!text) return 0;
    if (!poppler_page_get_text_layout(page, &rects, &nr)) nr = 0;
    int geom = nr > 0 && (glong)nr == g_utf8_strlen(text, -1);
    pdf_line cur = {.page = pg, .geom = geom, .x1 = HUGE_VAL, .y1 = HUGE_VAL, .x2 = -HUGE_VAL,
                    .y2 = -HUGE_VAL};
    const char *start = text;
    size_t ci = 0;
    for (const char *p = text;; p = g_utf8_next_char(p), ci++) {
        if (*p == '\n' || *p == '\0') {
            if (!geom || cur.x2 > cur.x1) {
                cur.ch = geom ? cur.y2 - cur.y1 : 12;
                if (lines_add(ls, start, (size_t)(p - start), &cur)) {
                    rc = -1;
                    break;
                }
            }
            cur.x1 = cur.y1 = HUGE_VAL;
            cur.x2 = cur.y2 = -HUGE_VAL;
            cur.same_row = 0;
            if (*p == '\0') break;
            start = p + 1;
            continue;
        }
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0x3000) continue;
        (*chars)++;
        if (geom && ci < nr) {
            const PopplerRectangle *r = &rects[ci];
            double h = fmax(cur.y2 - cur.y1, r->y2 - r->y1);
            if (cur.x2 > cur.x1 && r->x1 - cur.x2 > 1.5 * h) {
                /* a wide gap: maybe two columns poppler read as one line */
                cur.ch = cur.y2 - cur.y1;
                if (lines_add(ls, start, (size_t)(p - start), &cur)) {
                    rc = -1;
                    break;
                }
                start = p;
                cur.x1 = cur.y1 = HUGE_VAL;
                cur.x2 = cur.y2 = -HUGE_VAL;
                cur.same_row = 1;
            }
            cur.x1 = fmin(cur.x1, r->x1);
            cur.y1 = fmin(cur.y1, r->y1);
            cur.x2 = fmax(cur.x2, r->x2);
            cur.y2 = fmax(cur.y2, r->y2);
        }
    }
    g_free(rects);
    g_free(text);
    return rc;
}

/* ---- running headers, footers and page numbers ---- */

static int is_digit_at(const char *s, size_t i, size_t len)
{
    return i < len && s[i] >= '0' && s[i] <= '9';
}

/* Skips spaces and dash-like characters ("-", "—", "–", "－", "·"); returns the new index. */
static size_t skip_deco(const char *s, size_t i, size_t len)
{
    for (;;) {
        if (i < len && (s[i] == ' ' || s[i] == '-' || s[i] == '_' || s[i] == '.')) {
            i++;
        } else if (i + 3 <= len && (!memcmp(s + i, "—", 3) || !memcmp(s + i, "–", 3) ||
                                    !memcmp(s + i, "－", 3) || !memcmp(s + i, "　", 3))) {
            i += 3;
        } else if (i + 2 <= len && !memcmp(s + i, "·", 2)) {
            i += 2;
        } else {
            return i;
        }
    }
}

static size_t skip_digits(const char *s, size_t i, size_t len)
{
    while (is_digit_at(s, i, len))
        i++;
    return i;
}

static size_t skip_lit(const char *s, size_t i, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    i = skip_deco(s, i, len);
    if (i + n <= len && !memcmp(s + i, lit, n)) return skip_deco(s, i + n, len);
    return (size_t)-1;
}

/* Whether a line is only a page number: "3", "- 3 -", "— 3 —", "3/12", "第3页",
 * "第 3 页 共 12 页", "共12页 第3页", "Page 3 of 12". */
int rpt_pdf_is_page_number(const char *s, size_t len)
{
    size_t i = skip_deco(s, 0, len), j;
    if (i == len) return 0;
    if (is_digit_at(s, i, len)) { /* 3 | 3/12 | 3 / 12 */
        i = skip_digits(s, i, len);
        j = skip_deco(s, i, len);
        if (j == len) return i - skip_deco(s, 0, len) <= 3; /* "2024" alone is a year */
        if (s[j] == '/') {
            j = skip_deco(s, j + 1, len);
            if (!is_digit_at(s, j, len)) return 0;
            return skip_deco(s, skip_digits(s, j, len), len) == len;
        }
        return 0;
    }
    if (len - i >= 4 && !strncasecmp(s + i, "page", 4)) {
        i = skip_deco(s, i + 4, len);
        if (!is_digit_at(s, i, len)) return 0;
        i = skip_deco(s, skip_digits(s, i, len), len);
        if (i == len) return 1;
        if (len - i >= 2 && !strncasecmp(s + i, "of", 2)) {
            i = skip_deco(s, i + 2, len);
            return is_digit_at(s, i, len) && skip_deco(s, skip_digits(s, i, len), len) == len;
        }
        return 0;
    }
    int seen_page = 0; /* "共12页" alone is not a page number */
    for (int round = 0; round < 2 && i < len; round++) {
        /* 第N页 or 共N页, in either order, separated by spaces, commas or a slash */
        size_t k = skip_lit(s, i, len, "第");
        int total = 0;
        if (k == (size_t)-1) {
            k = skip_lit(s, i, len, "共");
            total = 1;
        }
        if (k == (size_t)-1 || !is_digit_at(s, k, len)) return 0;
        k = skip_digits(s, k, len);
        k = skip_lit(s, k, len, "页");
        if (k == (size_t)-1) return 0;
        seen_page |= !total;
        i = k;
        while (i < len && (s[i] == ',' || s[i] == '/' || s[i] == ' '))
            i++;
        if (i + 3 <= len && !memcmp(s + i, "，", 3)) i += 3;
        i = skip_deco(s, i, len);
    }
    return i == len && seen_page;
}

/* The line's text with digits folded to '#' and spaces dropped, for comparing running
 * lines across pages ("第3页" and "第4页" compare equal). Returns a malloc'd string or NULL. */
static char *running_key(const pdf_line *l)
{
    char *k = malloc(l->len + 1);
    if (!k) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++) {
        char c = l->text[i];
        if (c == ' ') continue;
        k[n++] = c >= '0' && c <= '9' ? '#' : c;
    }
    k[n] = '\0';
    return k;
}

/* 1 top band, 2 bottom band, 0 neither. */
static int band_of(const pdf_line *l, const double *page_h, int npages)
{
    if (!l->geom || l->page >= npages) return 0;
    double h = page_h[l->page];
    return l->y2 <= h * HEADER_BAND ? 1 : l->y1 >= h * (1 - HEADER_BAND) ? 2 : 0;
}

/* Marks running headers, footers and page numbers: lines in the top or bottom band of
 * their page (or the first or last line of a page) that are a page number, or whose text
 * recurs in the same band on at least half of the pages (and two). Returns 0 or -1 when
 * out of memory. */
static int drop_running_lines(pdf_lines *ls, const double *page_h, int npages)
{
    int text_pages = 0, last_page = -1;
    for (size_t i = 0; i < ls->n; i++)
        if (ls->v[i].page != last_page) {
            text_pages++;
            last_page = ls->v[i].page;
        }
    size_t *band_idx = malloc((ls->n ? ls->n : 1) * sizeof *band_idx);
    char **keys = calloc(ls->n ? ls->n : 1, sizeof *keys);
    size_t nb = 0;
    int rc = -1;
    if (!band_idx || !keys) goto out;
    for (size_t i = 0; i < ls->n; i++) {
        pdf_line *l = &ls->v[i];
        int band = band_of(l, page_h, npages);
        int edge = (i == 0 || ls->v[i - 1].page != l->page) ||
                   (i + 1 == ls->n || ls->v[i + 1].page != l->page);
        if (l->geom && (band || edge) && rpt_pdf_is_page_number(l->text, l->len)) {
            l->drop = 1;
            continue;
        }
        if (!band || text_pages < 2) continue;
        if (!(keys[nb] = running_key(l))) goto out;
        band_idx[nb++] = i;
    }
    for (size_t a = 0; a < nb; a++) {
        const pdf_line *l = &ls->v[band_idx[a]];
        int band = band_of(l, page_h, npages), pages = 1, prev = l->page;
        for (size_t b = 0; b < nb; b++) {
            const pdf_line *m = &ls->v[band_idx[b]];
            if (m->page == l->page || m->page == prev || band_of(m, page_h, npages) != band) continue;
            if (keys[a][0] && !strcmp(keys[a], keys[b])) {
                pages++;
                prev = m->page;
            }
        }
        if (pages >= 2 && pages * 2 >= text_pages) ls->v[band_idx[a]].drop = 1;
    }
    rc = 0;
out:
    if (keys)
        for (size_t a = 0; a < nb; a++)
            free(keys[a]);
    free(keys);
    free(band_idx);
    return rc;
}

/* ---- columns ---- */

static int cmp_top(const void *pa, const void *pb)
{
    const pdf_line *a = pa, *b = pb;
    if (a->y1 != b->y1) return a->y1 < b->y1 ? -1 : 1;
    return a->x1 < b->x1 ? -1 : a->x1 > b->x1;
}

/* Orders the kept lines of one page [from, to) for reading and sets their column and
 * column bounds. A page with a vertical gutter between 30 % and 70 % of its width that at
 * least 3 lines on the left, 1 on the right and 70 % of all lines do not cross is two columns: bands
 * between lines that span the gutter are read left column first. Otherwise poppler's
 * order stands. Returns 0 or -1 when out of memory. */
static int order_page(pdf_line *v, size_t n, double page_w)
{
    if (n == 0) return 0;
    int geom = 1;
    for (size_t i = 0; i < n; i++)
        geom &= v[i].geom;
    double best_g = 0;
    size_t best = 0;
    if (geom && n >= 6) {
        for (double g = page_w * 0.3; g <= page_w * 0.7; g += 2) {
            size_t left = 0, right = 0;
            for (size_t i = 0; i < n; i++) {
                if (v[i].x2 <= g)
                    left++;
                else if (v[i].x1 >= g)
                    right++;
            }
            if (left >= 3 && right >= 1 && left + right > best) {
                best = left + right;
                best_g = g;
            }
        }
    }
    if (best && best * 10 >= n * 7) {
        pdf_line *tmp = malloc(n * sizeof *tmp);
        if (!tmp) return -1;
        qsort(v, n, sizeof *v, cmp_top);
        size_t k = 0, i = 0;
        while (i < n) {
            size_t j = i; /* the band: lines up to the next spanning one */
            while (j < n && (v[j].x2 <= best_g || v[j].x1 >= best_g))
                j++;
            for (int side = 1; side <= 2; side++)
                for (size_t t = i; t < j; t++)
                    if ((side == 1) == (v[t].x2 <= best_g)) {
                        tmp[k] = v[t];
                        tmp[k++].col = side;
                    }
            if (j < n) {
                tmp[k] = v[j];
                tmp[k++].col = 0;
                j++;
            }
            i = j;
        }
        memcpy(v, tmp, n * sizeof *tmp);
        free(tmp);
    } else {
        /* one column: pieces of a row split at wide gaps (table cells, tab stops) become
         * one line again, separated by a space */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (k > 0 && v[i].same_row) {
                pdf_line *a = &v[k - 1];
                char *t = realloc(a->text, a->len + 1 + v[i].len + 1);
                if (!t) return -1;
                t[a->len] = ' ';
                memcpy(t + a->len + 1, v[i].text, v[i].len + 1);
                a->text = t;
                a->len += 1 + v[i].len;
                a->x1 = fmin(a->x1, v[i].x1);
                a->y1 = fmin(a->y1, v[i].y1);
                a->x2 = fmax(a->x2, v[i].x2);
                a->y2 = fmax(a->y2, v[i].y2);
                free(v[i].text);
                v[i].text = NULL;
                continue;
            }
            v[k++] = v[i];
        }
        for (size_t i = k; i < n; i++) { /* the merged slots: empty, dropped */
            v[i].text = NULL;
            v[i].len = 0;
            v[i].drop = 1;
        }
        n = k;
    }
    for (int col = 0; col <= 2; col++) {
        double l = HUGE_VAL, r = -HUGE_VAL;
        for (size_t i = 0; i < n; i++)
            if (v[i].col == col && v[i].geom) {
                l = fmin(l, v[i].x1);
                r = fmax(r, v[i].x2);
            }
        for (size_t i = 0; i < n; i++)
            if (v[i].col == col) {
                v[i].left = l;
                v[i].right = r;
            }
    }
    return 0;
}

/* ---- paragraphs ---- */

static int starts_with(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && !memcmp(s, lit, n);
}

/* Whether a line starts with a heading marker: 一、 （一） (一) 1. 1、 第一章/第一部分. */
static int heading_start(const char *s, size_t len)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七",
                                           "八", "九", "十", "百", "零"};
    size_t i = 0;
    int open = 0;
    if (starts_with(s, len, "（")) {
        i = 3;
        open = 1;
    } else if (starts_with(s, len, "(")) {
        i = 1;
        open = 1;
    } else if (starts_with(s, len, "第")) {
        i = 3;
    }
    size_t digits = 0, cn = 0;
    for (;;) {
        if (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            digits++;
            continue;
        }
        int hit = 0;
        for (size_t k = 0; k < sizeof numerals / sizeof *numerals; k++)
            if (starts_with(s + i, len - i, numerals[k])) {
                i += 3;
                cn++;
                hit = 1;
                break;
            }
        if (!hit) break;
    }
    if (!digits && !cn) return 0;
    if (digits && cn) return 0;
    if (open) return starts_with(s + i, len - i, "）") || starts_with(s + i, len - i, ")");
    if (s[0] == '\xe7' && starts_with(s, len, "第")) /* 第一章 第二部分 第三条 */
        return starts_with(s + i, len - i, "章") || starts_with(s + i, len - i, "部分") ||
               starts_with(s + i, len - i, "节") || starts_with(s + i, len - i, "条");
    if (starts_with(s + i, len - i, "、")) return 1;
    if (digits && digits <= 2 && (starts_with(s + i, len - i, "．") ||
                                  (i < len && s[i] == '.' && !is_digit_at(s, i + 1, len))))
        return 1;
    return 0;
}

static int ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether line b continues the paragraph of line a. */
static int continues(const pdf_line *a, const pdf_line *b)
{
    if (heading_start(b->text, b->len)) return 0;
    if (!a->geom || !b->geom) return 0;
    double ch = fmax(4.0, fmin(a->ch, b->ch));
    if (!isfinite(a->right) || !isfinite(b->left)) return 0;
    /* a short line ends its paragraph, unless what starts the next line is a word or number
     * too wide for the room left (lines break before a number, never inside it) */
    size_t word = 0;
    while (word < b->len && word < 40 && ((unsigned char)b->text[word] > ' ' &&
                                          (unsigned char)b->text[word] < 0x80))
        word++;
    if (a->x2 < a->right - ((a->ocr ? 2.5 : 1.6) + 0.6 * (double)word) * ch) return 0;
    if (b->x1 > b->left + 0.8 * ch) return 0;  /* an indented line starts one */
    if (b->page == a->page && b->col == a->col && b->y1 - a->y2 > 2.5 * ch) return 0; /* a gap */
    return 1;
}

/* Writes the kept lines as paragraphs into out. */
static int write_paragraphs(const pdf_lines *ls, rpt_buf *out)
{
    const pdf_line *prev = NULL;
    for (size_t i = 0; i < ls->n; i++) {
        const pdf_line *l = &ls->v[i];
        if (l->drop) continue;
        if (prev) {
            if (!continues(prev, l)) {
                if (rpt_buf_putc(out, '\n')) return -1;
            } else if (ascii_alpha(prev->text[prev->len - 1]) && ascii_alpha(l->text[0])) {
                if (rpt_buf_putc(out, ' ')) return -1;
            }
        }
        if (rpt_buf_append(out, l->text, l->len)) return -1;
        if (out->len > MAX_TEXT_BYTES) return -1;
        prev = l;
    }
    if (prev && rpt_buf_putc(out, '\n')) return -1;
    return 0;
}

/* ---- OCR ---- */

typedef struct ocr_state {
    TessBaseAPI *api;
    int init_failed;
    double started, conf_sum, conf_weight;
    int pages_done;
    rpt_buf notes; /* why pages were skipped */
} ocr_state;

/* Renders one page to 8-bit grey at the OCR resolution (scaled down for huge pages).
 * Returns the pixels (caller frees) or NULL with a note. */
static unsigned char *render_grey(PopplerPage *page, int dpi, int *w, int *h, int *ppi,
                                  rpt_buf *note)
{
    double pw, ph;
    poppler_page_get_size(page, &pw, &ph);
    double scale = dpi / 72.0;
    if (pw * ph * scale * scale > MAX_OCR_PIXELS) scale = sqrt(MAX_OCR_PIXELS / (pw * ph));
    if (!(pw > 0 && ph > 0) || scale * 72 < MIN_OCR_DPI) {
        rpt_buf_printf(note, "page too large to OCR (%.0f x %.0f pt)", pw, ph);
        return NULL;
    }
    *w = (int)ceil(pw * scale);
    *h = (int)ceil(ph * scale);
    *ppi = (int)lround(scale * 72);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        rpt_buf_puts(note, "cannot allocate the page image");
        return NULL;
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    unsigned char *grey = malloc((size_t)*w * (size_t)*h);
    if (grey) {
        const unsigned char *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < *h; y++) {
            const uint32_t *row = (const uint32_t *)(px + (size_t)y * (size_t)stride);
            unsigned char *o = grey + (size_t)y * (size_t)*w;
            for (int x = 0; x < *w; x++) {
                uint32_t p = row[x];
                o[x] = (unsigned char)((((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 +
                                        (p & 255) * 114) / 1000);
            }
        }
    } else {
        rpt_buf_puts(note, "out of memory for the page image");
    }
    cairo_surface_destroy(s);
    return grey;
}

/* OCRs one page and appends its lines (with geometry in points). Returns 0 (the page may
 * have been skipped, with a note), or -1 when out of memory. */
static int ocr_page(ocr_state *st, const rpt_ocr_options *o, PopplerPage *page, int pg,
                    pdf_lines *ls)
{
    double left = o->max_seconds - (now_s() - st->started);
    if (st->pages_done >= o->max_pages) {
        rpt_buf_printf(&st->notes, "%spage %d not OCR'd (limit of %d pages)",
                       st->notes.len ? "; " : "", pg + 1, o->max_pages);
        return 0;
    }
    if (left <= 0) {
        rpt_buf_printf(&st->notes, "%spage %d not OCR'd (limit of %g s)",
                       st->notes.len ? "; " : "", pg + 1, o->max_seconds);
        return 0;
    }
    if (!st->api && !st->init_failed) {
        st->api = TessBaseAPICreate();
        if (!st->api || TessBaseAPIInit3(st->api, NULL, "chi_sim") != 0) {
            st->init_failed = 1;
            rpt_buf_printf(&st->notes, "%sOCR unavailable (Tesseract chi_sim data missing)",
                           st->notes.len ? "; " : "");
        } else {
            TessBaseAPISetVariable(st->api, "debug_file", "/dev/null");
            TessBaseAPISetPageSegMode(st->api, PSM_AUTO);
        }
    }
    if (st->init_failed) return 0;
    int w = 0, h = 0, ppi = 0;
    rpt_buf note = RPT_BUF_INIT;
    unsigned char *grey = render_grey(page, o->dpi, &w, &h, &ppi, &note);
    if (!grey) {
        rpt_buf_printf(&st->notes, "%spage %d: %s", st->notes.len ? "; " : "", pg + 1,
                       note.data ? note.data : "");
        rpt_buf_clear(&note);
        return 0;
    }
    rpt_buf_clear(&note);
    TessBaseAPISetImage(st->api, grey, w, h, 1, w);
    TessBaseAPISetSourceResolution(st->api, ppi);
    ETEXT_DESC *mon = TessMonitorCreate();
    TessMonitorSetDeadlineMSecs(mon, (int)fmin(left * 1000, 1e9));
    int rc = 0;
    int ok = TessBaseAPIRecognize(st->api, mon) == 0;
    TessMonitorDelete(mon);
    if (ok) {
        double k = 72.0 / ppi;
        TessResultIterator *it = TessBaseAPIGetIterator(st->api);
        TessPageIterator *pit = it ? TessResultIteratorGetPageIterator(it) : NULL;
        rpt_buf line = RPT_BUF_INIT;
        while (pit && rc == 0) {
            int x1, y1, x2, y2;
            char *t = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
            float conf = TessResultIteratorConfidence(it, RIL_TEXTLINE);
            if (t && TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
                rpt_buf_reset(&line);
                if (rpt_ocr_fix_line(t, strlen(t), &line)) rc = -1;
                size_t chars = line.len ? rpt_utf8_chars(line.data, line.len) : 0;
                pdf_line proto = {.page = pg, .geom = 1, .ocr = 1, .x1 = x1 * k, .y1 = y1 * k,
                                  .x2 = x2 * k, .y2 = y2 * k, .ch = (y2 - y1) * k};
                if (rc == 0 && chars && lines_add(ls, line.data, line.len, &proto)) rc = -1;
                if (chars && conf >= 0) {
                    st->conf_sum += conf * (double)chars;
                    st->conf_weight += (double)chars;
                }
            }
            TessDeleteText(t);
            if (!TessPageIteratorNext(pit, RIL_TEXTLINE)) break;
        }
        rpt_buf_clear(&line);
        if (it) TessResultIteratorDelete(it);
        st->pages_done++;
    } else {
        rpt_buf_printf(&st->notes, "%spage %d: OCR stopped (limit of %g s)",
                       st->notes.len ? "; " : "", pg + 1, o->max_seconds);
    }
    TessBaseAPIClear(st->api);
    free(grey);
    return rc;
}

/* ---- the task and its record ---- */

static int put_field(rpt_buf *out, char tag, const char *s, size_t len)
{
    uint32_t n = (uint32_t)len;
    if (rpt_buf_putc(out, tag) || rpt_buf_append(out, &n, 4)) return -1;
    return len ? rpt_buf_append(out, s, len) : 0;
}

static int put_str(rpt_buf *out, char tag, const char *s)
{
    return s ? put_field(out, tag, s, strlen(s)) : 0;
}

/* The PDF's Title when it is a usable title: "Microsoft Word - " and a file extension are
 * dropped, and a title without a CJK character (a file name, "untitled") is not one.
 * Returns a new string (g_free) or NULL. */
static char *usable_title(const char *t)
{
    if (!t) return NULL;
    const char *prefix = "Microsoft Word - ";
    if (!strncmp(t, prefix, strlen(prefix))) t += strlen(prefix);
    char *s = g_strstrip(g_strdup(t));
    char *dot = strrchr(s, '.');
    if (dot && (!g_ascii_strcasecmp(dot, ".doc") || !g_ascii_strcasecmp(dot, ".docx") ||
                !g_ascii_strcasecmp(dot, ".wps") || !g_ascii_strcasecmp(dot, ".pdf")))
        *dot = '\0';
    int cjk = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x4E00 && c <= 0x9FFF) cjk = 1;
    }
    if (!cjk || !g_utf8_validate(s, -1, NULL)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static int pdf_task_run(const pdf_task *t, rpt_buf *out, rpt_buf *err)
{
    GError *gerr = NULL;
    GBytes *bytes = g_bytes_new_static(t->data, t->len);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    pdf_lines ls = {0};
    double *page_w = NULL, *page_h = NULL;
    char *needs_ocr = NULL;
    ocr_state st = {.notes = RPT_BUF_INIT};
    rpt_buf text = RPT_BUF_INIT;
    int rc = -1, npages = 0, ocr_pages = 0;
    if (!pd) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            rpt_buf_puts(err, "encrypted PDF (a password is needed to read it)");
        else
            rpt_buf_printf(err, "malformed PDF: %s", gerr ? gerr->message : "cannot be parsed");
        goto out;
    }
    npages = poppler_document_get_n_pages(pd);
    if (npages <= 0) {
        rpt_buf_puts(err, "malformed PDF: no pages");
        goto out;
    }
    if (npages > RPT_PDF_MAX_PAGES) {
        rpt_buf_printf(err, "PDF of %d pages is larger than the limit of %d pages", npages,
                       RPT_PDF_MAX_PAGES);
        goto out;
    }
    page_w = calloc((size_t)npages, sizeof *page_w);
    page_h = calloc((size_t)npages, sizeof *page_h);
    needs_ocr = calloc((size_t)npages, 1);
    if (!page_w || !page_h || !needs_ocr) goto oom;
    st.started = now_s();
    for (int pg = 0; pg < npages; pg++) {
        PopplerPage *page = poppler_document_get_page(pd, pg);
        if (!page) continue;
        poppler_page_get_size(page, &page_w[pg], &page_h[pg]);
        size_t chars = 0, before = ls.n;
        if (page_text_lines(page, pg, &ls, &chars)) {
            g_object_unref(page);
            goto oom;
        }
        if (chars < MIN_PAGE_CHARS) {
            while (ls.n > before) /* a stray mark on a scan is not its text */
                free(ls.v[--ls.n].text);
            needs_ocr[pg] = 1;
            if (t->ocr.enabled) {
                size_t b2 = ls.n;
                if (ocr_page(&st, &t->ocr, page, pg, &ls)) {
                    g_object_unref(page);
                    goto oom;
                }
                if (ls.n > b2) ocr_pages++;
            }
        }
        g_object_unref(page);
    }
    if (drop_running_lines(&ls, page_h, npages)) goto oom;
    for (size_t i = 0; i < ls.n;) { /* reading order, page by page */
        size_t j = i;
        while (j < ls.n && ls.v[j].page == ls.v[i].page)
            j++;
        size_t k = i; /* kept lines first, in their order */
        pdf_line *tmp = malloc((j - i) * sizeof *tmp);
        if (!tmp) goto oom;
        size_t nk = 0, nd = 0;
        for (size_t x = i; x < j; x++)
            if (!ls.v[x].drop) tmp[nk++] = ls.v[x];
        for (size_t x = i; x < j; x++)
            if (ls.v[x].drop) tmp[nk + nd++] = ls.v[x];
        memcpy(&ls.v[k], tmp, (j - i) * sizeof *tmp);
        free(tmp);
        if (order_page(&ls.v[i], nk, page_w[ls.v[i].page])) goto oom;
        i = j;
    }
    if (write_paragraphs(&ls, &text)) {
        if (text.len > MAX_TEXT_BYTES)
            rpt_buf_printf(err, "PDF text larger than %u MiB", MAX_TEXT_BYTES >> 20);
        else
            rpt_buf_puts(err, "out of memory");
        goto out;
    }
    if (text.len == 0) {
        int scans = 0;
        for (int pg = 0; pg < npages; pg++)
            scans += needs_ocr[pg];
        if (scans && !t->ocr.enabled)
            rpt_buf_printf(err, "no text layer in the PDF (%d scanned pages) and OCR is off",
                           scans);
        else if (scans && st.notes.len)
            rpt_buf_printf(err, "no text found in the PDF (%d pages without a text layer: %s)",
                           scans, st.notes.data);
        else
            rpt_buf_printf(err, "no text found in the PDF (%d pages)", npages);
        goto out;
    }
    char num[64];
    if (put_field(out, 'T', text.data, text.len)) goto oom;
    snprintf(num, sizeof num, "%d", npages);
    if (put_str(out, 'n', num)) goto oom;
    if (ocr_pages) {
        snprintf(num, sizeof num, "%d", ocr_pages);
        if (put_str(out, 'o', num)) goto oom;
        snprintf(num, sizeof num, "%.2f", st.conf_weight > 0 ? st.conf_sum / st.conf_weight : 0);
        if (put_str(out, 'q', num)) goto oom;
    }
    if (st.notes.len && put_field(out, 'w', st.notes.data, st.notes.len)) goto oom;
    gchar *raw_title = poppler_document_get_title(pd);
    char *title = usable_title(raw_title);
    g_free(raw_title);
    int prc = put_str(out, 'i', title);
    g_free(title);
    if (prc) goto oom;
    GDateTime *dt = poppler_document_get_creation_date_time(pd);
    if (!dt) dt = poppler_document_get_modification_date_time(pd);
    if (dt) {
        gchar *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S%:z");
        g_date_time_unref(dt);
        prc = put_str(out, 'd', iso);
        g_free(iso);
        if (prc) goto oom;
    }
    rc = 0;
    goto out;
oom:
    rpt_buf_puts(err, "out of memory");
out:
    if (st.api) {
        TessBaseAPIEnd(st.api);
        TessBaseAPIDelete(st.api);
    }
    rpt_buf_clear(&st.notes);
    rpt_buf_clear(&text);
    lines_free(&ls);
    free(page_w);
    free(page_h);
    free(needs_ocr);
    if (pd) g_object_unref(pd);
    g_bytes_unref(bytes);
    if (gerr) g_error_free(gerr);
    return rc;
}

int rpt_pdf_task(const unsigned char *input, size_t len, rpt_buf *out, rpt_buf *err)
{
    char head[129];
    pdf_task t = {0};
    long ms = 0;
    if (rpt_take_line(&input, &len, head, sizeof head) ||
        sscanf(head, RPT_PDF_TASK_HEADER, &t.ocr.enabled, &t.ocr.max_pages, &ms,
               &t.ocr.dpi) != 4) {
        rpt_buf_puts(err, "PDF task: malformed input header");
        return -1;
    }
    t.ocr.max_seconds = ms / 1000.0;
    t.data = input;
    t.len = len;
    return pdf_task_run(&t, out, err);
}
