#include "transforms/json_writer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* What yajl writes for each byte: 0 copies the byte, 1 a short escape, 2 \u00XX. */
static const unsigned char ESCAPE[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};

static void put(rpt_jw *w, const void *p, size_t n)
{
    rpt_buf *b = w->out;
    if (b->cap - b->len > n) { /* room for the bytes and the terminator */
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    if (rpt_buf_append(b, p, n)) w->oom = 1;
}

static void putc_(rpt_jw *w, char c)
{
    rpt_buf *b = w->out;
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    put(w, &c, 1);
}

static void sep(rpt_jw *w)
{
    if (!w->first) putc_(w, ',');
    w->first = 0;
}

/* Copies n < 16 bytes from p to o with at most two overlapping loads and stores of 8 or 4
 * bytes (a libc call costs more for these few bytes). */
static inline void copy_short(char *o, const unsigned char *p, size_t n)
{
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
        memcpy(o, &a, 8);
        memcpy(o + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        memcpy(o, &a, 4);
        memcpy(o + n - 4, &b, 4);
    } else {
        for (size_t k = 0; k < n; k++)
            o[k] = (char)p[k];
    }
}

/* Whether the 8 bytes of x hold nothing to escape (a control byte, '"' or '\\'). */
static inline int clean8(uint64_t x)
{
    return !(RPT_HAS_LESS(x, 0x20) | RPT_HAS_BYTE(x, 0x22) | RPT_HAS_BYTE(x, 0x5C));
}

/* Copies the string p[0..len) (len < 16) to o when it holds nothing to escape, with
 * overlapping loads and stores that together cover every byte; 0 (o untouched) else. */
static inline int short_clean(char *o, const unsigned char *p, size_t len)
{
    if (len >= 8) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
        if (!clean8(a) || !clean8(b)) return 0;
        memcpy(o, &a, 8);
        memcpy(o + len - 8, &b, 8);
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + len - 4, 4);
        if (!clean8((uint64_t)a | (uint64_t)b << 32)) return 0;
        memcpy(o, &a, 4);
        memcpy(o + len - 4, &b, 4);
    } else if (len) {
        /* the first, middle and last byte are all of them; repeated to fill 8 */
        uint64_t a = p[0], b = p[len / 2], c = p[len - 1], v = a | b << 8 | c << 16;
        if (!clean8(v | v << 24 | v << 48)) return 0;
        o[0] = (char)a, o[len / 2] = (char)b, o[len - 1] = (char)c;
    }
    return 1;
}

/* A JSON string escaped as yajl_string_encode does: \" \\ \b \f \n \r \t, other control
 * bytes as \u00XX (upper-case hex), everything else (any byte >= 0x20) as it is. Blocks of
 * 16 (SSE2) or 8 bytes with nothing to escape (nearly all of them) are copied whole. */
static void string(rpt_jw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    /* room for the worst case (every byte \u00XX) so that the loop needs no checks */
    if (len > ((size_t)-1 - 8) / 6 ||
        (w->out->cap - w->out->len < len * 6 + 3 && rpt_buf_reserve(w->out, len * 6 + 2))) {
        w->oom = 1;
        return;
    }
    char *o = w->out->data + w->out->len;
    *o++ = '"';
    if (len < 16 && short_clean(o, p, len)) { /* names, units, numbers: copied at once */
        o += len;
        *o++ = '"';
        *o = '\0';
        w->out->len = (size_t)(o - w->out->data);
        return;
    }
    size_t i = 0;
    while (i < len) {
#ifdef __SSE2__
        /* whole blocks of 16 with nothing to escape (nearly all of a sentence) */
        for (; i + 16 <= len; i += 16, o += 16) {
            const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            const __m128i ctl = _mm_cmplt_epi8(_mm_xor_si128(x, _mm_set1_epi8((char)0x80)),
                                               _mm_set1_epi8((char)0xA0)); /* < 0x20 */
            const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
            if (_mm_movemask_epi8(_mm_or_si128(ctl, special))) break;
            _mm_storeu_si128((__m128i *)(void *)o, x);
        }
        if (i + 16 <= len) { /* 16 bytes at a time: copy up to the first byte to escape */
            const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            const __m128i ctl = _mm_cmplt_epi8(_mm_xor_si128(x, _mm_set1_epi8((char)0x80)),
                                               _mm_set1_epi8((char)0xA0)); /* < 0x20 */
            const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, special));
            if (!mask) {
                _mm_storeu_si128((__m128i *)(void *)o, x);
                o += 16;
                i += 16;
                continue;
            }
            /* the whole block is stored: the output has room for the worst case, and what
             * follows the clean bytes is written over next */
            unsigned clean = (unsigned)__builtin_ctz(mask);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            o += clean;
            i += clean;
        } else if (len >= 16) { /* the last bytes: the block ending with the string */
            size_t from = len - 16, skip = i - from;
            const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + from));
            const __m128i ctl = _mm_cmplt_epi8(_mm_xor_si128(x, _mm_set1_epi8((char)0x80)),
                                               _mm_set1_epi8((char)0xA0));
            const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, special)) >> skip;
            unsigned clean = mask ? (unsigned)__builtin_ctz(mask) : (unsigned)(len - i);
            copy_short(o, p + i, clean);
            o += clean;
            i += clean;
            if (i == len) break;
        }
#endif
        if (i + 8 <= len) {
            uint64_t x;
            memcpy(&x, p + i, 8);
            if (!(RPT_HAS_LESS(x, 0x20) | RPT_HAS_BYTE(x, 0x22) | RPT_HAS_BYTE(x, 0x5C))) {
                memcpy(o, &x, 8);
                o += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = p[i++];
        unsigned char e = ESCAPE[c];
        if (!e) {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        if (e == 2) {
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            continue;
        }
        switch (c) {
        case '\b':
            *o++ = 'b';
            break;
        case '\t':
            *o++ = 't';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\f':
            *o++ = 'f';
            break;
        case '\r':
            *o++ = 'r';
            break;
        default: /* '"' and '\\' */
            *o++ = (char)c;
            break;
        }
    }
    *o++ = '"';
    *o = '\0';
    w->out->len = (size_t)(o - w->out->data);
}

void rpt_jw_init(rpt_jw *w, rpt_buf *out)
{
    w->out = out;
    w->first = 1;
    w->oom = 0;
}

void rpt_jw_map_open(rpt_jw *w)
{
    sep(w);
    putc_(w, '{');
    w->first = 1;
}

void rpt_jw_map_close(rpt_jw *w)
{
    putc_(w, '}');
    w->first = 0;
}

void rpt_jw_array_open(rpt_jw *w)
{
    sep(w);
    putc_(w, '[');
    w->first = 1;
}

void rpt_jw_array_close(rpt_jw *w)
{
    putc_(w, ']');
    w->first = 0;
}

void rpt_jw_key(rpt_jw *w, const char *key)
{
    sep(w);
    string(w, key, strlen(key));
    putc_(w, ':');
    w->first = 1;
}

void rpt_jw_raw_key_slow(rpt_jw *w, const char *lit, size_t len)
{
    sep(w);
    put(w, lit, len);
    w->first = 1;
}

void rpt_jw_strn(rpt_jw *w, const char *key, const char *val, size_t len)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    if (val)
        string(w, val, len);
    else
        put(w, "null", 4);
}

void rpt_jw_str(rpt_jw *w, const char *key, const char *val)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    if (val)
        string(w, val, strlen(val));
    else
        put(w, "null", 4);
}

/* Decimal digits of v, right-aligned ending at end; returns the first digit. */
static char *digits_of(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* Writes the n decimal digits of v (n counted by the caller) at o, two per step. */
static void put_digits(char *o, size_t n, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "62636465666768697071727374757677787980818283848586878889909192"
                                "93949596979899";
    while (n >= 2) {
        n -= 2;
        memcpy(o + n, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (n) o[0] = (char)('0' + v);
}

void rpt_jw_int(rpt_jw *w, const char *key, long long val)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    uint64_t mag = val < 0 ? 0 - (uint64_t)val : (uint64_t)val;
    rpt_buf *b = w->out;
    if (val >= 0 && mag < 1000000 && b->cap - b->len > 7) { /* offsets: straight in */
        char *o = b->data + b->len;
        size_t n = mag < 10       ? 1
                   : mag < 100    ? 2
                   : mag < 1000   ? 3
                   : mag < 10000  ? 4
                   : mag < 100000 ? 5
                                  : 6;
        put_digits(o, n, mag);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    char tmp[24], *end = tmp + sizeof tmp;
    char *p = digits_of(mag, end);
    if (val < 0) *--p = '-';
    put(w, p, (size_t)(end - p));
}

void rpt_jw_null(rpt_jw *w, const char *key)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    put(w, "null", 4);
}

void rpt_jw_bool(rpt_jw *w, const char *key, int val)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    put(w, val ? "true" : "false", val ? 4 : 5);
}

static const double POW10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

/* The common case without printf: when val is m / 10^d exactly as a double (m an integer
 * of at most 15 digits, d <= 6) and 1e-4 <= |val| < 1e15, then "%.15g" prints exactly the
 * digits of m with d decimals (|val - m/10^d| is at most half an ulp, far below half a unit
 * of the 15th digit) and reads back as val (strtod and the division both round m/10^d
 * correctly), so it is the string the %.15g/16g/17g loop returns. The smallest such d gives
 * no trailing zeros, as %g. Returns the length, 0 when val is not such a number. */
static size_t format_short_decimal(double val, char *out)
{
    double a = fabs(val);
    if (!(a >= 1e-4 && a < 1e15)) return 0;
    for (int d = 0; d < (int)(sizeof POW10 / sizeof *POW10); d++) {
        double s = a * POW10[d];
        if (s >= 1e15) return 0;
        double r = floor(s + 0.5);
        if (r == 0 || r / POW10[d] != a) continue;
        char tmp[24], *end = tmp + sizeof tmp;
        char *p = digits_of((uint64_t)r, end);
        size_t nd = (size_t)(end - p), o = 0;
        if (val < 0) out[o++] = '-';
        if (d == 0) {
            copy_short(out + o, (const unsigned char *)p, nd);
            o += nd;
        } else if (nd > (size_t)d) {
            copy_short(out + o, (const unsigned char *)p, nd - (size_t)d);
            o += nd - (size_t)d;
            out[o++] = '.';
            copy_short(out + o, (const unsigned char *)end - d, (size_t)d);
            o += (size_t)d;
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (size_t z = nd; z < (size_t)d; z++)
                out[o++] = '0';
            memcpy(out + o, p, nd);
            o += nd;
        }
        out[o] = '\0';
        return o;
    }
    return 0;
}

size_t rpt_jw_format_double(double val, char *out)
{
    out[0] = '\0';
    if (!isfinite(val)) return 0;
    size_t n = format_short_decimal(val, out);
    if (n) return n;
    int len = 0;
    for (int prec = 15; prec <= 17; prec++) {
        len = snprintf(out, 40, "%.*g", prec, val);
        if (strtod(out, NULL) == val) break;
    }
    return len > 0 ? (size_t)len : 0;
}

void rpt_jw_double(rpt_jw *w, const char *key, double val)
{
    if (key) rpt_jw_key(w, key);
    sep(w);
    rpt_buf *b = w->out;
    if (b->cap - b->len > 40) { /* formatted straight into the output */
        size_t n = rpt_jw_format_double(val, b->data + b->len);
        if (n) {
            b->len += n; /* and the terminator is written */
            return;
        }
    }
    char s[40];
    size_t n = rpt_jw_format_double(val, s);
    if (n)
        put(w, s, n);
    else
        put(w, "null", 4);
}
