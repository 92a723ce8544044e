/* UTF-8 validation and offset-stable normalisation: one pass over the input that copies
 * unchanged spans with memcpy and rewrites only what must change (invalid sequences, NUL,
 * full-width ASCII digits/letters, lone CR when asked). Every rewrite maps one code point
 * (or one maximal invalid subpart, as Python's errors="replace" counts it) to one code
 * point, so code-point offsets never shift. */
#include <stdint.h>
#include <string.h>

#include "common/bytes.h"
#include "transforms/decode.h"

#ifdef __SSE2__
#include <emmintrin.h>

/* Bytes of x in [lo, hi] (unsigned) as 0xFF lanes. */
static inline __m128i in_range(__m128i x, unsigned char lo, unsigned char hi)
{
    __m128i d = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char)(hi - lo))), d);
}

/* Skips whole blocks of four three-byte sequences with leads E1-EF but ED and none of them a
 * full-width digit or letter, from data[i] while 16 bytes can be read. Returns the offset of
 * the first byte not skipped. */
static size_t cjk_blocks(const unsigned char *data, size_t len, size_t i)
{
    const __m128i mask = _mm_setr_epi8((char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0,
                                       (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0,
                                       (char)0xC0, (char)0xC0, 0, 0, 0, 0);
    const __m128i want = _mm_setr_epi8((char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80,
                                       (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0,
                                       (char)0x80, (char)0x80, 0, 0, 0, 0);
    while (i + 16 <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, mask), want)) != 0xFFFF) break;
        __m128i e0_ed = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE0)),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED)));
        if (_mm_movemask_epi8(e0_ed) & 0x249) break; /* leads at bytes 0, 3, 6, 9 */
        /* full-width 0-9 A-Z a-z: EF BC 90-99, EF BC A1-BA, EF BD 81-9A, seen at the
         * second byte of each sequence (bytes 1, 4, 7, 10) */
        __m128i ef_lead = _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF));
        if (!(_mm_movemask_epi8(ef_lead) & 0x249)) { /* no EF lead: nothing to fold */
            i += 12;
            continue;
        }
        __m128i ef = _mm_slli_si128(ef_lead, 1);
        __m128i third = _mm_srli_si128(x, 1);
        __m128i bc =
            _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xBC)),
                          _mm_or_si128(in_range(third, 0x90, 0x99), in_range(third, 0xA1, 0xBA)));
        __m128i bd = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xBD)),
                                   in_range(third, 0x81, 0x9A));
        if (_mm_movemask_epi8(_mm_and_si128(ef, _mm_or_si128(bc, bd))) & 0x492) break;
        i += 12;
    }
    return i;
}
#endif

#if defined(__SSE2__) && defined(__GNUC__) && defined(__x86_64__)
#define CLEAN_WINDOWS 1
#include <immintrin.h>

/* Whether the three-byte sequence at p is a full-width digit or letter (EF BC 90-99,
 * EF BC A1-BA, EF BD 81-9A), which the pass folds to ASCII. */
static int folds_at(const unsigned char *p)
{
    if (p[1] == 0xBC) return (p[2] >= 0x90 && p[2] <= 0x99) || (p[2] >= 0xA1 && p[2] <= 0xBA);
    return p[1] == 0xBD && p[2] >= 0x81 && p[2] <= 0x9A;
}

/* What the bytes of a window are, bit k for byte k: 80 and up, continuation bytes (80-BF),
 * three-byte leads (E0-EF), bytes the fast path leaves to the slow one (NUL, CR and the
 * leads E0 and ED: overlongs, surrogates) and EF (full-width forms start with it). */
typedef struct window_bits {
    unsigned high, cont, lead, odd, ef;
} window_bits;

/* The bits of the 16 bytes at p. */
static inline window_bits classify16(const unsigned char *p)
{
    const __m128i e0 = _mm_set1_epi8((char)0xE0);
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    window_bits w;
    w.high = (unsigned)_mm_movemask_epi8(x);
    /* 80-BF compare below C0 as signed bytes, ASCII does not */
    w.cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8((char)0xC0)));
    w.lead = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8((char)0xF0)), e0));
    w.odd = (unsigned)_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_setzero_si128()),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))),
        _mm_or_si128(_mm_cmpeq_epi8(x, e0), _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED)))));
    w.ef = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF)));
    return w;
}

/* How many bytes of the window of `bits` bytes (16 or 32) at p the fast path takes: all
 * when it holds only ASCII but NUL and CR and three-byte sequences with leads E1-EF but ED
 * that are no full-width digit or letter, less a sequence cut off at its end; 0 when it
 * holds anything else. The window is read as if a sequence started at its first byte.
 * Adds the sequences taken to *seqs. With have_folds (a constant where this is inlined),
 * folds holds bit k when byte k starts a full-width digit or letter, else the full-width
 * forms are looked at here. */
__attribute__((target("popcnt"))) static inline unsigned take_window(const unsigned char *p,
                                                                     window_bits w, unsigned bits,
                                                                     size_t *seqs, int have_folds,
                                                                     unsigned folds)
{
    /* bytes cut off by where a sequence starts near the end (lead bits of the last two
     * bytes: none, a lead at the last but one, at the last) */
    static const unsigned char cut[4] = {0, 2, 1, 1};
    unsigned all = bits == 32 ? 0xFFFFFFFFu : 0xFFFFu;
    /* no other byte of 80 and up, and the two bytes after each lead (those within the
     * window) are its continuation bytes, and no other */
    if (w.odd | (w.high ^ (w.cont | w.lead)) | (w.cont ^ (((w.lead << 1) | (w.lead << 2)) & all)))
        return 0;
    /* a full-width form cut off at the end is not taken */
    if (have_folds) {
        if (folds & (all >> 2)) return 0;
    } else {
        for (unsigned fw = w.ef & (all >> 2); fw; fw &= fw - 1)
            if (folds_at(p + (unsigned)__builtin_ctz(fw))) return 0;
    }
    unsigned tail = w.lead >> (bits - 2);
    *seqs += (unsigned)__builtin_popcount(w.lead) - (tail != 0);
    return bits - cut[tail];
}

/* Skips from data[i], 32 or 16 bytes per step, what the pass leaves as it is: ASCII but
 * NUL and CR, and three-byte sequences with leads E1-EF but ED (no overlongs, no
 * surrogates) that are no full-width digit or letter, in any mix. Adds the code points and
 * the multibyte sequences skipped to *n and *multibyte; returns the offset of the first
 * byte not skipped. The caller checks that the processor has POPCNT. */
__attribute__((target("popcnt"))) static size_t clean_windows(const unsigned char *data,
                                                              size_t len, size_t i, size_t *n,
                                                              size_t *multibyte)
{
    size_t from = i, seqs = 0;
    while (i + 16 <= len) {
        const unsigned char *p = data + i;
        window_bits lo = classify16(p);
        unsigned took = 0;
        if (i + 32 <= len) {
            window_bits hi = classify16(p + 16), w;
            w.high = lo.high | hi.high << 16, w.cont = lo.cont | hi.cont << 16;
            w.lead = lo.lead | hi.lead << 16, w.odd = lo.odd | hi.odd << 16;
            w.ef = lo.ef | hi.ef << 16;
            took = take_window(p, w, 32, &seqs, 0, 0);
        }
        if (!took) took = take_window(p, lo, 16, &seqs, 0, 0);
        if (!took) break;
        i += took;
    }
    *n += i - from - 2 * seqs; /* ASCII bytes and leads: three bytes per sequence */
    *multibyte += seqs;
    return i;
}

/* Bytes of x in [lo, hi] (unsigned) as 0xFF lanes. */
__attribute__((target("avx2"))) static inline __m256i in_range32(__m256i x, unsigned char lo,
                                                                 unsigned char hi)
{
    __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8((char)lo));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8((char)(hi - lo))), d);
}

/* clean_windows() with the bits of a 32-byte window from one load (AVX2), and the
 * full-width digits and letters found with two more (the bytes one and two on) instead of
 * one by one: most windows of Chinese text hold full-width punctuation. Stops where a window
 * is not taken, or where 34 bytes cannot be read. The caller checks that the processor
 * has AVX2 and POPCNT. */
__attribute__((target("avx2,popcnt"))) static size_t
clean_windows_avx2(const unsigned char *data, size_t len, size_t i, size_t *n, size_t *multibyte)
{
    size_t from = i, seqs = 0;
    const __m256i e0 = _mm256_set1_epi8((char)0xE0);
    while (i + 34 <= len) {
        const unsigned char *p = data + i;
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
        __m256i x2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 2));
        window_bits w;
        w.high = (unsigned)_mm256_movemask_epi8(x);
        /* 80-BF compare below C0 as signed bytes, ASCII does not */
        w.cont = (unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), x));
        w.lead = (unsigned)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_and_si256(x, _mm256_set1_epi8((char)0xF0)), e0));
        w.odd = (unsigned)_mm256_movemask_epi8(
            _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_setzero_si256()),
                                            _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\r'))),
                            _mm256_or_si256(_mm256_cmpeq_epi8(x, e0),
                                            _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xED)))));
        __m256i ef = _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xEF));
        w.ef = (unsigned)_mm256_movemask_epi8(ef);
        /* EF BC 90-99, EF BC A1-BA, EF BD 81-9A (folds_at) */
        __m256i bc = _mm256_and_si256(
            _mm256_cmpeq_epi8(x1, _mm256_set1_epi8((char)0xBC)),
            _mm256_or_si256(in_range32(x2, 0x90, 0x99), in_range32(x2, 0xA1, 0xBA)));
        __m256i bd = _mm256_and_si256(_mm256_cmpeq_epi8(x1, _mm256_set1_epi8((char)0xBD)),
                                      in_range32(x2, 0x81, 0x9A));
        unsigned folds =
            (unsigned)_mm256_movemask_epi8(_mm256_and_si256(ef, _mm256_or_si256(bc, bd)));
        unsigned took = take_window(p, w, 32, &seqs, 1, folds);
        if (!took) {
            window_bits lo = {w.high & 0xFFFF, w.cont & 0xFFFF, w.lead & 0xFFFF, w.odd & 0xFFFF,
                              w.ef & 0xFFFF};
            took = take_window(p, lo, 16, &seqs, 1, folds & 0xFFFF);
        }
        if (!took) break;
        i += took;
    }
    *n += i - from - 2 * seqs; /* ASCII bytes and leads: three bytes per sequence */
    *multibyte += seqs;
    return i;
}
#endif

static const char REPLACEMENT[3] = {(char)0xEF, (char)0xBF, (char)0xBD};




/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid; *subpart gets the
 * length of the maximal invalid subpart to replace by one U+FFFD. */
static size_t utf8_seq(const unsigned char *p, size_t avail, size_t *subpart)
{
    unsigned c = p[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *subpart = 1;
        return 0;
    }
    size_t i = 1;
    for (; i < need && i < avail; i++) {
        unsigned b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) break;
    }
    if (i == need) return need;
    *subpart = i;
    return 0;
}

int rpt_utf8_sanitize(const unsigned char *data, size_t len, unsigned flags, rpt_buf *out,
                     long *replaced, size_t *chars)
{
    size_t i = 0, span = 0, n = 0, multibyte = 0;
    long bad = 0;
    int give_up = (flags & RPT_NORM_GIVE_UP) != 0;
    int cr_to_lf = (flags & RPT_NORM_CR_TO_LF) != 0;
    if (rpt_buf_reserve(out, len)) return -1;
#ifdef CLEAN_WINDOWS
    int windows = !__builtin_cpu_supports("popcnt")                               ? 0
                  : !(flags & RPT_NORM_NO_AVX2) && __builtin_cpu_supports("avx2") ? 2
                                                                                  : 1;
#endif
    while (i < len) {
#ifdef CLEAN_WINDOWS
        if (windows == 2) i = clean_windows_avx2(data, len, i, &n, &multibyte);
        /* the last bytes, which the wide windows cannot read */
        if (windows == 1 || (windows == 2 && i + 34 > len))
            i = clean_windows(data, len, i, &n, &multibyte);
#endif
        /* ASCII fast path, 8 bytes at a time, when no NUL or CR is among them */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, data + i, 8);
            if ((w & RPT_HIGHS) || RPT_HAS_ZERO(w) || RPT_HAS_ZERO(w ^ (0x0Dull * RPT_ONES))) break;
            i += 8;
            n += 8;
        }
        /* CJK fast path: three-byte sequences E1-EF but ED (no overlongs, no surrogates)
         * need no check beyond their continuation bytes, except the full-width digits and
         * letters of EF BC/BD, left to the slow path below */
        for (;;) {
#ifdef __SSE2__
            size_t before = i;
            i = cjk_blocks(data, len, i);
            n += (i - before) / 3;
            multibyte += (i - before) / 3;
#endif
            if (i + 8 <= len) { /* two sequences with one 8-byte load */
                uint64_t w;
                memcpy(&w, data + i, 8);
                w = rpt_le64(w);
                if ((w & 0xC0C0F0C0C0F0ull) == 0x8080E08080E0ull &&
                    ((0xDFFEu >> (w & 15)) & (0xDFFEu >> ((w >> 24) & 15)) & 1) &&
                    (w & 0xFEFF) != 0xBCEF && ((w >> 24) & 0xFEFF) != 0xBCEF) {
                    i += 6;
                    n += 2;
                    multibyte += 2;
                    continue;
                }
            }
            if (i + 4 > len) break;
            uint32_t w; /* one sequence with one 4-byte load */
            memcpy(&w, data + i, 4);
            w = rpt_le32(w);
            if ((w & 0xC0C0F0) != 0x8080E0 || !((0xDFFEu >> (w & 15)) & 1)) break;
            if ((w & 0xFEFF) == 0xBCEF) { /* EF BC, EF BD */
                unsigned cp = 0xF000 | ((w >> 2) & 0xFC0) | ((w >> 16) & 0x3F);
                if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                    (cp >= 0xFF41 && cp <= 0xFF5A))
                    break;
            }
            i += 3;
            n++;
            multibyte++;
        }
        while (i + 3 <= len) {
            unsigned b = data[i], c1 = data[i + 1], c2 = data[i + 2];
            if (b - 0xE1 >= 15 || b == 0xED || ((c1 ^ 0x80) | (c2 ^ 0x80)) >= 0x40) break;
            if (b == 0xEF && (c1 == 0xBC || c1 == 0xBD)) {
                unsigned cp = 0xF000 | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
                if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                    (cp >= 0xFF41 && cp <= 0xFF5A))
                    break;
            }
            i += 3;
            n++;
            multibyte++;
        }
        if (i >= len) break;
        unsigned c = data[i];
        if (c < 0x80) {
            if (c == 0) {
                if (rpt_buf_append(out, data + span, i - span) || rpt_buf_append(out, REPLACEMENT, 3))
                    return -1;
                bad++;
                span = i + 1;
            } else if (c == '\r' && cr_to_lf && (i + 1 >= len || data[i + 1] != '\n')) {
                if (rpt_buf_append(out, data + span, i - span) || rpt_buf_putc(out, '\n')) return -1;
                span = i + 1;
            }
            i++;
            n++;
            continue;
        }
        size_t sub = 0, k = utf8_seq(data + i, len - i, &sub);
        if (k == 0) {
            if (rpt_buf_append(out, data + span, i - span) || rpt_buf_append(out, REPLACEMENT, 3))
                return -1;
            bad++;
            i += sub;
            span = i;
            n++;
            if (give_up && bad > 64 && multibyte < 4 * (size_t)bad) return 1;
            continue;
        }
        multibyte++;
        if (k == 3 && c == 0xEF && (data[i + 1] == 0xBC || data[i + 1] == 0xBD)) {
            unsigned cp = 0xF000 | ((data[i + 1] & 0x3Fu) << 6) | (data[i + 2] & 0x3Fu);
            if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                (cp >= 0xFF41 && cp <= 0xFF5A)) {
                if (rpt_buf_append(out, data + span, i - span) ||
                    rpt_buf_putc(out, (char)(cp - 0xFEE0)))
                    return -1;
                span = i + 3;
            }
        }
        i += k;
        n++;
    }
    if (rpt_buf_append(out, data + span, len - span)) return -1;
    if (replaced) *replaced += bad;
    if (chars) *chars += n;
    return 0;
}

size_t rpt_fold_fullwidth(char *s, size_t len)
{
    unsigned char *p = (unsigned char *)s;
    size_t r = 0, w = 0;
    while (r < len) {
        if (p[r] == 0xEF && r + 2 < len && (p[r + 1] == 0xBC || p[r + 1] == 0xBD)) {
            unsigned cp = 0xF000 | ((p[r + 1] & 0x3Fu) << 6) | (p[r + 2] & 0x3Fu);
            if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                (cp >= 0xFF41 && cp <= 0xFF5A)) {
                p[w++] = (unsigned char)(cp - 0xFEE0);
                r += 3;
                continue;
            }
        }
        p[w++] = p[r++];
    }
    if (w < len) p[w] = '\0';
    return w;
}

size_t rpt_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
