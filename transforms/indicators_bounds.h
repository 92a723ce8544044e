/* Clause and sentence bounds over the code points of a text, for describing indicators:
 * the delimiters are ASCII, U+3002 or full-width forms, so the Han text in between is
 * skipped four code points per compare (SSE2) with one range test, and the rest four at a
 * time too with a compare per delimiter. */
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

/* The delimiters, one list for the scalar and the vector tests: those that end a sentence
 * (full stop, exclamation or question mark, a line end, the end of the text), and those
 * that end a clause only (comma, semicolon, colon), ASCII or full-width. X is applied to each. */
#define RPT_SENTENCE_DELIMS(X) X(0x3002) X(0xFF01) X('!') X(0xFF1F) X('?') X('\n') X(0)
#define RPT_CLAUSE_ONLY_DELIMS(X) X(0xFF0C) X(',') X(0xFF1B) X(';') X(0xFF1A) X(':')
#define RPT_IS(v) c == (v) ||

/* Whether c ends a clause: a sentence delimiter, or a comma, semicolon or colon. */
static inline int rpt_clause_delim(uint32_t c)
{
    if (RPT_NOT_DELIM(c)) return 0;
    return RPT_CLAUSE_ONLY_DELIMS(RPT_IS) RPT_SENTENCE_DELIMS(RPT_IS) 0;
}

/* Whether c ends a sentence. */
static inline int rpt_sentence_delim(uint32_t c)
{
    if (RPT_NOT_DELIM(c)) return 0;
    return RPT_SENTENCE_DELIMS(RPT_IS) 0;
}
#undef RPT_IS

#ifdef __SSE2__
/* The lanes of x (four code points) that hold a delimiter of sentences, or (sentence 0) of
 * clauses: all ones there, zero elsewhere. */
static inline __m128i rpt_delim_lanes(__m128i x, int sentence)
{
#define RPT_OR_EQ(v) m = _mm_or_si128(m, _mm_cmpeq_epi32(x, _mm_set1_epi32(v)));
    __m128i m = _mm_setzero_si128();
    RPT_SENTENCE_DELIMS(RPT_OR_EQ)
    if (!sentence) {
        RPT_CLAUSE_ONLY_DELIMS(RPT_OR_EQ)
    }
#undef RPT_OR_EQ
    return m;
}

/* A byte mask (16 bits, four per lane) of the lanes of the four code points at p that hold
 * a delimiter: Han text (all four inside the range no delimiter is in) is answered with one
 * range test, the rest compared with each delimiter, so that digits and Latin letters do
 * not stop a scan. */
static inline unsigned rpt_delim_mask4(const uint32_t *p, int sentence)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i plain = _mm_and_si128(_mm_cmpgt_epi32(x, _mm_set1_epi32(0x3002)),
                                  _mm_cmplt_epi32(x, _mm_set1_epi32(0xFF01)));
    if (_mm_movemask_epi8(plain) == 0xFFFF) return 0;
    return (unsigned)_mm_movemask_epi8(rpt_delim_lanes(x, sentence));
}
#endif

/* Whether c ends a sentence, or (sentence 0) a clause. */
static inline int rpt_delim(uint32_t c, int sentence)
{
    return sentence ? rpt_sentence_delim(c) : rpt_clause_delim(c);
}

/* Start of the clause (sentence when sentence is set) around position i, looking back no
 * further than a: the position after the nearest delimiter before i, or a. Four code points
 * per step (SSE2). */
static inline size_t rpt_delim_back(const uint32_t *cp, size_t a, size_t i, int sentence)
{
#ifdef __SSE2__
    for (; i >= a + 4; i -= 4) {
        unsigned m = rpt_delim_mask4(cp + i - 4, sentence);
        if (m) return i - 4 + (size_t)(31 - __builtin_clz(m)) / 4 + 1;
    }
#endif
    while (i > a && !rpt_delim(cp[i - 1], sentence))
        i--;
    return i;
}

/* End of the clause (sentence) from position i on, looking no further than b: the position
 * of the first delimiter at or after i, or b (i when i >= b). Four code points per step
 * (SSE2). */
static inline size_t rpt_delim_fwd(const uint32_t *cp, size_t i, size_t b, int sentence)
{
#ifdef __SSE2__
    for (; i + 4 <= b; i += 4) {
        unsigned m = rpt_delim_mask4(cp + i, sentence);
        if (m) return i + (size_t)__builtin_ctz(m) / 4;
    }
#endif
    while (i < b && !rpt_delim(cp[i], sentence))
        i++;
    return i;
}

#endif
