/* Clause and sentence bounds over the code points of a text, for describing indicators:
 * the delimiters are ASCII, U+3002 or full-width forms, so the Han text in between is
 * skipped four code points per compare (SSE2) with one range test. */
#ifndef REPORTD_TRANSFORMS_INDICATORS_BOUNDS_H
#define REPORTD_TRANSFORMS_INDICATORS_BOUNDS_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The delimiters below are ASCII, U+3002 or full-width forms (U+FF01 and up): the code
 * points in between (nearly all Han text) are answered with one range test. */
#define RPT_NOT_DELIM(c) ((c) > 0x3002 && (c) < 0xFF01)

/* Whether c ends a clause: comma, full stop, semicolon, colon, exclamation or question
 * mark (ASCII or full-width), a line end or the end of the text. */
static inline int rpt_clause_delim(uint32_t c)
{
    if (RPT_NOT_DELIM(c)) return 0;
    return c == 0xFF0C || c == ',' || c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF1A ||
           c == ':' || c == 0xFF01 || c == '!' || c == 0xFF1F || c == '?' || c == '\n' || c == 0;
}

/* Whether c ends a sentence: full stop, exclamation or question mark, a line end or the end
 * of the text. */
static inline int rpt_sentence_delim(uint32_t c)
{
    if (RPT_NOT_DELIM(c)) return 0;
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n' || c == 0;
}

/* First position in [i, b) whose code point lies outside (U+3002, U+FF01), where every
 * delimiter above lies, or b: skips Han text four code points per compare (SSE2). */
static inline size_t rpt_plain_end(const uint32_t *cp, size_t i, size_t b)
{
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi32(0x3002), hi = _mm_set1_epi32(0xFF01);
    for (; i + 4 <= b; i += 4) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(cp + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi32(x, lo), _mm_cmplt_epi32(x, hi)));
        if (m != 0xFFFF) return i + (size_t)__builtin_ctz(~m & 0xFFFF) / 4;
    }
#endif
    while (i < b && RPT_NOT_DELIM(cp[i]))
        i++;
    return i;
}

/* Likewise backwards: the smallest q in [a, i] such that every code point of [q, i) lies
 * inside (U+3002, U+FF01). */
static inline size_t rpt_plain_start(const uint32_t *cp, size_t a, size_t i)
{
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi32(0x3002), hi = _mm_set1_epi32(0xFF01);
    for (; i >= a + 4; i -= 4) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(cp + i - 4));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi32(x, lo), _mm_cmplt_epi32(x, hi)));
        if (m != 0xFFFF) return i - 4 + (size_t)(31 - __builtin_clz(~m & 0xFFFF)) / 4 + 1;
    }
#endif
    while (i > a && RPT_NOT_DELIM(cp[i - 1]))
        i--;
    return i;
}

/* Start of the clause (sentence when sentence is set) around position i, looking back no
 * further than a: the position after the nearest delimiter before i, or a. */
static inline size_t rpt_delim_back(const uint32_t *cp, size_t a, size_t i, int sentence)
{
    for (;;) {
        i = rpt_plain_start(cp, a, i);
        if (i <= a || (sentence ? rpt_sentence_delim(cp[i - 1]) : rpt_clause_delim(cp[i - 1])))
            return i;
        i--;
    }
}

/* End of the clause (sentence) from position i on, looking no further than b: the position
 * of the first delimiter at or after i, or b (i when i >= b). */
static inline size_t rpt_delim_fwd(const uint32_t *cp, size_t i, size_t b, int sentence)
{
    for (;;) {
        i = rpt_plain_end(cp, i, b);
        if (i >= b || (sentence ? rpt_sentence_delim(cp[i]) : rpt_clause_delim(cp[i]))) return i;
        i++;
    }
}

#endif
