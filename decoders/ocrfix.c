/* Clean-up of OCR'd lines (see rpt_ocr_fix_line in decoders.h). */
#include <string.h>

#include "decoders/decoders.h"

/* Code point at s[i] (valid UTF-8 assumed, else the byte) and its length in *n. */
static unsigned cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] < 0x80 || i + 1 >= len) {
        *n = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0) {
        *n = 2;
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
    if ((u[0] & 0xF0) == 0xE0 && i + 2 < len) {
        *n = 3;
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    }
    if ((u[0] & 0xF8) == 0xF0 && i + 3 < len) {
        *n = 4;
        return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
               (u[3] & 0x3Fu);
    }
    *n = 1;
    return u[0];
}

/* CJK ideographs, CJK punctuation and full-width forms: no spaces around them in Chinese. */
static int wide(unsigned c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0x2014 ||
           c == 0x2026 || (c >= 0x2018 && c <= 0x201D) || c == 0x00B7;
}

static int letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lookalike(char c)
{
    return c == 'l' || c == 'I' || c == '|' || c == 'O' || c == 'o';
}

static int numchar(char c)
{
    return (c >= '0' && c <= '9') || lookalike(c) || c == '.' || c == ',';
}

/* Rewrites look-alike letters in runs of a number in place (see the header). */
static void fix_digits(char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (!numchar(s[i]) || s[i] == '.' || s[i] == ',') {
            i++;
            continue;
        }
        size_t j = i;
        size_t digits = 0, alike = 0;
        while (j < len && numchar(s[j])) {
            digits += s[j] >= '0' && s[j] <= '9';
            alike += lookalike(s[j]);
            j++;
        }
        int bounded = (i == 0 || !letter(s[i - 1])) && (j == len || !letter(s[j]));
        if (bounded && alike && digits && digits >= alike)
            for (size_t k = i; k < j; k++) {
                if (s[k] == 'l' || s[k] == 'I' || s[k] == '|') s[k] = '1';
                if (s[k] == 'O' || s[k] == 'o') s[k] = '0';
            }
        i = j;
    }
}

int rpt_ocr_fix_line(const char *s, size_t len, rpt_buf *out)
{
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    size_t start = out->len;
    unsigned prev = 0;
    for (size_t i = 0; i < len;) {
        size_t n;
        unsigned c = cp_at(s, len, i, &n);
        if (c == ' ') {
            size_t j = i;
            while (j < len && s[j] == ' ')
                j++;
            size_t m;
            unsigned next = j < len ? cp_at(s, len, j, &m) : 0;
            if (prev && next && !wide(prev) && !wide(next) && rpt_buf_putc(out, ' ')) return -1;
            i = j;
            continue;
        }
        if (rpt_buf_append(out, s + i, n)) return -1;
        prev = c;
        i += n;
    }
    fix_digits(out->data ? out->data + start : NULL, out->len - start);
    return 0;
}
