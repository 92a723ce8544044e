/* Word-at-a-time byte tests and little-endian loads, for scanners that look at 4 or 8 bytes
 * per step (UTF-8 validation, the code-point index, JSON escaping), and small byte searches. */
#ifndef REPORTD_COMMON_BYTES_H
#define REPORTD_COMMON_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define RPT_ONES 0x0101010101010101ull
#define RPT_HIGHS 0x8080808080808080ull
/* Non-zero when some byte of the 64-bit word x is zero / less than n (n <= 128) / equal to c. */
#define RPT_HAS_ZERO(x) (((x)-RPT_ONES) & ~(x)&RPT_HIGHS)
#define RPT_HAS_LESS(x, n) (((x) - (n)*RPT_ONES) & ~(x)&RPT_HIGHS)
#define RPT_HAS_BYTE(x, c) RPT_HAS_LESS((x) ^ ((c)*RPT_ONES), 1)

/* x as loaded from memory, read as little-endian. */
static inline uint32_t rpt_le32(uint32_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(x);
#else
    return x;
#endif
}

static inline uint64_t rpt_le64(uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(x);
#else
    return x;
#endif
}

/* First occurrence of n[0..nl) in h[0..hl), or NULL (h when nl is 0), for the short
 * haystacks and needles of the rule passes (labels, clauses, sentences, opening lines), where
 * libc's memmem costs more to set up than these searches take. 16 positions per step (SSE2)
 * where the needle's first and last bytes both stand (a Han word's lead byte, and a
 * continuation byte, are each common in Han text, both at once much less); else it skips to
 * the last byte with memchr. */
static inline const char *rpt_find_short(const char *h, size_t hl, const char *n, size_t nl)
{
    if (nl == 0 || nl > hl) return nl == 0 ? h : NULL;
#ifdef __SSE2__
    if (nl >= 2 && hl >= nl + 15) {
        const __m128i first = _mm_set1_epi8(n[0]), last = _mm_set1_epi8(n[nl - 1]);
        size_t i = 0;
        for (; i + nl + 15 <= hl; i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(h + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(h + i + nl - 1));
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
            for (; m; m &= m - 1) {
                size_t k = i + (size_t)__builtin_ctz(m);
                if (!memcmp(h + k + 1, n + 1, nl - 2)) return h + k;
            }
        }
        for (; i + nl <= hl; i++) /* the last positions */
            if (h[i] == n[0] && h[i + nl - 1] == n[nl - 1] && !memcmp(h + i + 1, n + 1, nl - 2))
                return h + i;
        return NULL;
    }
#endif
    const char *p = h + nl - 1, *end = h + hl;
    while ((p = memchr(p, n[nl - 1], (size_t)(end - p))) != NULL) {
        if (!memcmp(p + 1 - nl, n, nl)) return p + 1 - nl;
        p++;
    }
    return NULL;
}

/* The first line of in[0..*len) (its "\n" within the first cap - 1 bytes) copied as a C
 * string into line[cap], and *in and *len advanced past it: the one-line headers that precede
 * a decoder's input. Returns 0, or -1 (nothing advanced) when there is no such line. */
static inline int rpt_take_line(const unsigned char **in, size_t *len, char *line, size_t cap)
{
    const unsigned char *nl = memchr(*in, '\n', *len < cap - 1 ? *len : cap - 1);
    if (!nl) return -1;
    size_t n = (size_t)(nl - *in) + 1;
    memcpy(line, *in, n);
    line[n] = '\0';
    *in += n;
    *len -= n;
    return 0;
}

#endif
