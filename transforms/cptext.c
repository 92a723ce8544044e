#include "transforms/cptext.h"

#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "transforms/document.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CJK_SIMD 1

/* The byte patterns of a block of five three-byte sequences (15 bytes and one more, which is
 * not part of it), for both block decoders: what a lead byte (1110xxxx) and continuation
 * bytes (10xxxxxx) show under their masks, and the shuffles into 16-bit lanes, one per
 * sequence, of second << 8 | third and of lead << 8. */
static const unsigned char BLOCK_MASK[16] = {0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0xF0, 0xC0,
                                             0xC0, 0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0};
static const unsigned char BLOCK_WANT[16] = {0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0xE0, 0x80,
                                             0x80, 0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0};
static const signed char BLOCK_TAILS[16] = {2,  1,  5,  4,  8,  7,  11, 10,
                                            14, 13, -1, -1, -1, -1, -1, -1};
static const signed char BLOCK_LEADS[16] = {-1, 0,  -1, 3,  -1, 6,  -1, 9,
                                            -1, 12, -1, -1, -1, -1, -1, -1};

/* Decodes whole blocks of five three-byte sequences with leads E1-EF but ED (as the scalar
 * fast path below) starting at s[i], while 16 bytes can be read; stores code points and byte
 * offsets at cp[*k], boff[*k] (and may write up to three entries past them, which later
 * ones overwrite: the arrays hold one entry per byte of the text and one more). Returns the
 * offset of the first byte not decoded. SSSE3: the caller checks that the processor has
 * it. */
__attribute__((target("ssse3"))) static inline size_t
cjk_blocks_ssse3(const unsigned char *s, size_t len, size_t i, uint32_t *cp, uint32_t *boff,
                 size_t *k)
{
#define LOAD16(a) _mm_loadu_si128((const __m128i *)(const void *)(a))
    const __m128i mask = LOAD16(BLOCK_MASK), want = LOAD16(BLOCK_WANT);
    const __m128i tails = LOAD16(BLOCK_TAILS), leads = LOAD16(BLOCK_LEADS);
#undef LOAD16
    const __m128i zero = _mm_setzero_si128();
    /* the byte offsets of the five sequences (and three more) */
    __m128i off_lo = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)i), _mm_setr_epi32(0, 3, 6, 9));
    __m128i off_hi = _mm_add_epi32(off_lo, _mm_set1_epi32(12));
    size_t n = *k;
    while (i + 16 <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i e0_ed = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE0)),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED)));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, mask), want)) != 0xFFFF ||
            (_mm_movemask_epi8(e0_ed) & 0x1249)) /* leads at bytes 0, 3, 6, 9, 12 */
            break;
        __m128i t = _mm_shuffle_epi8(x, tails);
        /* lead << 12 keeps the lead's low four bits in 16 bits */
        __m128i v = _mm_or_si128(_mm_or_si128(_mm_and_si128(_mm_srli_epi16(t, 2),
                                                            _mm_set1_epi16(0xFC0)),
                                              _mm_and_si128(t, _mm_set1_epi16(0x3F))),
                                 _mm_slli_epi16(_mm_shuffle_epi8(x, leads), 4));
        _mm_storeu_si128((__m128i *)(void *)(cp + n), _mm_unpacklo_epi16(v, zero));
        _mm_storeu_si128((__m128i *)(void *)(cp + n + 4), _mm_unpackhi_epi16(v, zero));
        _mm_storeu_si128((__m128i *)(void *)(boff + n), off_lo);
        _mm_storeu_si128((__m128i *)(void *)(boff + n + 4), off_hi);
        off_lo = _mm_add_epi32(off_lo, _mm_set1_epi32(15));
        off_hi = _mm_add_epi32(off_hi, _mm_set1_epi32(15));
        n += 5;
        i += 15;
    }
    *k = n;
    return i;
}
/* cjk_blocks_ssse3() ten sequences at a time: two blocks of five (bytes 0-14 and 15-29)
 * in the two halves of a 32-byte register, while 31 bytes can be read; may write up to
 * three entries past the last one it stores, as that function. AVX2: the caller checks that
 * the processor has it. */
__attribute__((target("avx2"))) static inline size_t cjk_blocks_avx2(const unsigned char *s,
                                                                     size_t len, size_t i,
                                                                     uint32_t *cp, uint32_t *boff,
                                                                     size_t *k)
{
    /* the patterns of cjk_blocks_ssse3(), in both halves */
#define LOAD32(a) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(a)))
    const __m256i mask = LOAD32(BLOCK_MASK), want = LOAD32(BLOCK_WANT);
    const __m256i tails = LOAD32(BLOCK_TAILS), leads = LOAD32(BLOCK_LEADS);
#undef LOAD32
    /* the byte offsets of sequences 0-7; those of 5-12 are 15 more */
    __m256i off = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)i),
                                   _mm256_setr_epi32(0, 3, 6, 9, 12, 15, 18, 21));
    size_t n = *k;
    while (i + 31 <= len) {
        __m256i x = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(s + i))),
            _mm_loadu_si128((const __m128i *)(const void *)(s + i + 15)), 1);
        __m256i e0_ed = _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xE0)),
                                        _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xED)));
        if ((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(x, mask), want)) !=
                0xFFFFFFFFu ||
            ((unsigned)_mm256_movemask_epi8(e0_ed) & 0x12491249u)) /* leads of both halves */
            break;
        __m256i t = _mm256_shuffle_epi8(x, tails);
        __m256i v = _mm256_or_si256(
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(t, 2), _mm256_set1_epi16(0xFC0)),
                            _mm256_and_si256(t, _mm256_set1_epi16(0x3F))),
            _mm256_slli_epi16(_mm256_shuffle_epi8(x, leads), 4));
        /* five code points (and three zeros) from each half; the second five overwrite the
         * zeros of the first */
        _mm256_storeu_si256((__m256i *)(void *)(cp + n),
                            _mm256_cvtepu16_epi32(_mm256_castsi256_si128(v)));
        _mm256_storeu_si256((__m256i *)(void *)(cp + n + 5),
                            _mm256_cvtepu16_epi32(_mm256_extracti128_si256(v, 1)));
        _mm256_storeu_si256((__m256i *)(void *)(boff + n), off);
        _mm256_storeu_si256((__m256i *)(void *)(boff + n + 5),
                            _mm256_add_epi32(off, _mm256_set1_epi32(15)));
        off = _mm256_add_epi32(off, _mm256_set1_epi32(30));
        n += 10;
        i += 30;
    }
    *k = n;
    return i;
}
#endif

/* Decodes the code point starting at s[i] (a non-continuation byte); U+FFFD when the
 * sequence is malformed, truncated, overlong or a surrogate. */
static uint32_t decode_at(const unsigned char *s, size_t len, size_t i)
{
    unsigned char b = s[i];
    if (b < 0x80) return b;
    int need;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3, c = b & 0x07, min = 0x10000;
    } else {
        return 0xFFFD;
    }
    if (i + (size_t)need >= len) return 0xFFFD;
    for (int k = 1; k <= need; k++) {
        unsigned char cb = s[i + (size_t)k];
        if ((cb & 0xC0) != 0x80) return 0xFFFD;
        c = (c << 6) | (cb & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
    return c;
}


#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* Stores the code point and byte offset of each code point of s[0..len) in cp and boff;
 * returns how many. simd (a constant where this is inlined): 1 when the processor has
 * SSSE3, 2 when it has AVX2 too, else 0. */
static ALWAYS_INLINE size_t index_text(const unsigned char *s, size_t len, uint32_t *cp,
                                       uint32_t *boff, int simd)
{
    size_t k = 0, i = 0;
#ifndef CJK_SIMD
    (void)simd;
#endif
    while (i < len) {
        unsigned b = s[i];
        if (b < 0x80) { /* ASCII: whole words of 8 when they have no high bit */
            if (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (!(w & 0x8080808080808080ull)) {
                    for (int j = 0; j < 8; j++) {
                        boff[k + (size_t)j] = (uint32_t)(i + (size_t)j);
                        cp[k + (size_t)j] = s[i + (size_t)j];
                    }
                    k += 8;
                    i += 8;
                    continue;
                }
            }
            boff[k] = (uint32_t)i;
            cp[k++] = b;
            i++;
            continue;
        }
        /* most CJK text: a run of three-byte sequences E1-EF but ED (no overlongs, no
         * surrogates), four at a time with SSSE3, else each checked with one 4-byte load */
#ifdef CJK_SIMD
        if (simd >= 2) i = cjk_blocks_avx2(s, len, i, cp, boff, &k);
        if (simd >= 1) i = cjk_blocks_ssse3(s, len, i, cp, boff, &k);
#endif
        while (i + 4 <= len) {
            uint32_t w;
            memcpy(&w, s + i, 4);
            w = rpt_le32(w);
            b = w & 0xFF;
            if ((w & 0xC0C0F0) != 0x8080E0 || !((0xDFFEu >> (b & 15)) & 1)) break;
            boff[k] = (uint32_t)i;
            cp[k++] = ((w & 0x0F) << 12) | ((w >> 2) & 0xFC0) | ((w >> 16) & 0x3F);
            i += 3;
        }
        if (i >= len) break;
        b = s[i];
        if (b < 0x80) continue;
        if (i + 2 < len) { /* the same at the end of the text */
            unsigned c1 = s[i + 1], c2 = s[i + 2];
            if (b - 0xE1 < 15 && b != 0xED && ((c1 ^ 0x80) | (c2 ^ 0x80)) < 0x40) {
                boff[k] = (uint32_t)i;
                cp[k++] = ((b & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
                i += 3;
                continue;
            }
        }
        if ((b & 0xC0) != 0x80) { /* a lead byte; its continuation bytes are skipped */
            boff[k] = (uint32_t)i;
            cp[k++] = decode_at(s, len, i);
        }
        i++;
    }
    return k;
}

#ifdef CJK_SIMD
/* index_text() with the SSSE3 blocks inlined (their constants stay in registers). */
__attribute__((target("ssse3"))) static size_t index_text_ssse3(const unsigned char *s,
                                                                 size_t len, uint32_t *cp,
                                                                 uint32_t *boff)
{
    return index_text(s, len, cp, boff, 1);
}

/* index_text() with the AVX2 blocks too. */
__attribute__((target("avx2"))) static size_t index_text_avx2(const unsigned char *s, size_t len,
                                                              uint32_t *cp, uint32_t *boff)
{
    return index_text(s, len, cp, boff, 2);
}
#endif

int rpt_cptext_init(rpt_cptext *t, const char *text, size_t len)
{
    return rpt_cptext_init_simd(t, text, len, 2);
}

int rpt_cptext_init_simd(rpt_cptext *t, const char *text, size_t len, int simd)
{
    memset(t, 0, sizeof *t);
    if (len >= UINT32_MAX) return -1;
    const unsigned char *s = (const unsigned char *)text;
    /* at most one code point per byte: size for that and skip a counting pass */
    t->cp = malloc((len + 1) * sizeof *t->cp);
    t->boff = malloc((len + 1) * sizeof *t->boff);
    if (!t->cp || !t->boff) {
        rpt_cptext_clear(t);
        return -1;
    }
    size_t k;
#ifdef CJK_SIMD
    if (simd >= 2 && __builtin_cpu_supports("avx2"))
        k = index_text_avx2(s, len, t->cp, t->boff);
    else if (simd >= 1 && __builtin_cpu_supports("ssse3"))
        k = index_text_ssse3(s, len, t->cp, t->boff);
    else
#else
    (void)simd;
#endif
        k = index_text(s, len, t->cp, t->boff, 0);
    size_t n = k;
    t->cp[n] = 0;
    t->boff[n] = (uint32_t)len;
    t->text = text;
    t->len = len;
    t->n = n;
    return 0;
}

void rpt_cptext_clear(rpt_cptext *t)
{
    free(t->cp);
    free(t->boff);
    memset(t, 0, sizeof *t);
}

static void cptext_release(void *p)
{
    rpt_cptext_clear(p);
    free(p);
}

const rpt_cptext *rpt_cptext_of(rpt_document *doc)
{
    rpt_cptext *t = doc->index;
    if (t && t->text == doc->text && t->len == doc->text_len) return t;
    if (doc->index && doc->index_free) doc->index_free(doc->index);
    doc->index = NULL;
    t = malloc(sizeof *t);
    if (!t) return NULL;
    if (rpt_cptext_init(t, doc->text ? doc->text : "", doc->text ? doc->text_len : 0)) {
        free(t);
        return NULL;
    }
    doc->index = t;
    doc->index_free = cptext_release;
    return t;
}

static size_t utf8_count(const char *w, size_t wl)
{
    size_t n = 0;
    for (size_t i = 0; i < wl; i++)
        if ((w[i] & 0xC0) != 0x80) n++;
    return n;
}

size_t rpt_cp_match(const rpt_cptext *t, size_t i, const char *w)
{
    if (i >= t->n || t->text[t->boff[i]] != w[0]) return 0; /* the usual case, cheaply */
    size_t wl = strlen(w), b = t->boff[i];
    if (wl == 0 || wl > t->len - b || memcmp(t->text + b, w, wl) != 0) return 0;
    return utf8_count(w, wl);
}

size_t rpt_cp_match_before(const rpt_cptext *t, size_t i, const char *w)
{
    if (i > t->n) return 0;
    size_t wl = strlen(w), b = t->boff[i];
    if (wl == 0 || wl > b || t->text[b - 1] != w[wl - 1] || memcmp(t->text + b - wl, w, wl) != 0)
        return 0;
    return utf8_count(w, wl);
}

size_t rpt_cp_match_any(const rpt_cptext *t, size_t i, const char *const *words, int *which)
{
    size_t best = 0;
    for (int k = 0; words[k]; k++) {
        size_t m = rpt_cp_match(t, i, words[k]);
        if (m > best) {
            best = m;
            if (which) *which = k;
        }
    }
    return best;
}

size_t rpt_cp_match_any_before(const rpt_cptext *t, size_t i, const char *const *words, int *which)
{
    size_t best = 0;
    for (int k = 0; words[k]; k++) {
        size_t m = rpt_cp_match_before(t, i, words[k]);
        if (m > best) {
            best = m;
            if (which) *which = k;
        }
    }
    return best;
}

size_t rpt_cp_find(const rpt_cptext *t, size_t a, size_t b, const char *w)
{
    if (b > t->n) b = t->n;
    if (a >= b) return (size_t)-1;
    size_t wl = strlen(w);
    if (wl == 0) return (size_t)-1;
    size_t lo = t->boff[a], hi = t->boff[b];
    const char *p = t->text + lo;
    while ((size_t)(p - t->text) + wl <= hi) {
        const char *q = memchr(p, w[0], hi - (size_t)(p - t->text));
        if (!q || (size_t)(q - t->text) + wl > hi) break;
        if (memcmp(q, w, wl) == 0) {
            /* map the byte offset back to a code point index */
            size_t off = (size_t)(q - t->text);
            size_t l = a, r = b;
            while (l < r) {
                size_t m = l + (r - l) / 2;
                if (t->boff[m] < off)
                    l = m + 1;
                else
                    r = m;
            }
            if (l < b && t->boff[l] == off) return l;
        }
        p = q + 1;
    }
    return (size_t)-1;
}

char *rpt_cp_dup(const rpt_cptext *t, size_t a, size_t b)
{
    if (b > t->n) b = t->n;
    if (a > b) a = b;
    size_t lo = t->boff[a], hi = t->boff[b];
    char *s = malloc(hi - lo + 1);
    if (!s) return NULL;
    memcpy(s, t->text + lo, hi - lo);
    s[hi - lo] = '\0';
    return s;
}

int rpt_cp_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0 || c == 0xFEFF ||
           c == 0x2002 || c == 0x2003 || c == 0x200B;
}

/* First and last code points of a UTF-8 word (its bucket keys). */
static uint32_t first_cp(const char *w, size_t wl)
{
    return decode_at((const unsigned char *)w, wl, 0);
}

static uint32_t last_cp(const char *w, size_t wl)
{
    size_t i = wl - 1;
    while (i > 0 && (w[i] & 0xC0) == 0x80)
        i--;
    return decode_at((const unsigned char *)w, wl, i);
}

/* Links word k (words taken in rule order) into its head_long chain: after the words at
 * least as long (code points), before the shorter ones. */
static void chain_longest_first(rpt_wordset *ws, short k)
{
    short *link = &ws->head_long[ws->first[k] % RPT_WORDSET_BUCKETS];
    while (*link >= 0 && ws->cplen[*link] >= ws->cplen[k])
        link = &ws->next_long[*link];
    ws->next_long[k] = *link;
    *link = k;
}

int rpt_wordset_init(rpt_wordset *ws, const char *const *words)
{
    memset(ws, 0, sizeof *ws);
    size_t n = 0;
    while (words[n])
        n++;
    if (n > RPT_WORDSET_MAX) return -1;
    for (int b = 0; b < RPT_WORDSET_BUCKETS; b++)
        ws->head[b] = ws->head_last[b] = ws->head_long[b] = -1;
    /* insert in reverse so each chain lists words in rule order */
    for (size_t k = n; k-- > 0;) {
        size_t wl = strlen(words[k]);
        if (wl == 0 || wl > 255) return -1;
        ws->words[k] = words[k];
        ws->len[k] = (unsigned char)wl;
        ws->cplen[k] = (unsigned char)utf8_count(words[k], wl);
        ws->first[k] = first_cp(words[k], wl);
        ws->last[k] = last_cp(words[k], wl);
        if (ws->cplen[k] == 1) {
            ws->starts.solo_mask |= 1ull << (ws->first[k] % 64);
        } else {
            size_t fl = 1;
            while (fl < wl && (words[k][fl] & 0xC0) == 0x80)
                fl++;
            unsigned h = rpt_start_pair_bit(ws->first[k],
                                            decode_at((const unsigned char *)words[k], wl, fl));
            ws->starts.pair_bits[h / 64] |= 1ull << (h % 64);
        }
        size_t h = wl < 8 ? wl : 8;
        memcpy(&ws->head8[k], words[k], h);
        memset(&ws->mask8[k], 0xFF, h);
        unsigned b = ws->first[k] % RPT_WORDSET_BUCKETS;
        ws->next[k] = ws->head[b];
        ws->head[b] = (short)k;
        b = ws->last[k] % RPT_WORDSET_BUCKETS;
        ws->next_last[k] = ws->head_last[b];
        ws->head_last[b] = (short)k;
    }
    ws->n = n;
    for (size_t k = 0; k < n; k++)
        chain_longest_first(ws, (short)k);
    return 0;
}

/* Whether word k of ws lies at text[off] (the caller checked that it fits in len): its first
 * 8 bytes compared in one load when 8 bytes can be read there. */
static inline int word_bytes_at(const rpt_wordset *ws, int k, const char *text, size_t len,
                                size_t off)
{
    size_t wl = ws->len[k];
    if (len - off >= 8) {
        uint64_t x;
        memcpy(&x, text + off, 8);
        if ((x & ws->mask8[k]) != ws->head8[k]) return 0;
        return wl <= 8 || memcmp(text + off + 8, ws->words[k] + 8, wl - 8) == 0;
    }
    return memcmp(text + off, ws->words[k], wl) == 0;
}

size_t rpt_ws_at_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which)
{
    if (i >= t->n) return 0;
    size_t room = t->len - t->boff[i];
    uint32_t c = t->cp[i];
    /* longest first, then in rule order: the first word that lies here is the answer */
    for (int k = ws->head_long[c % RPT_WORDSET_BUCKETS]; k >= 0; k = ws->next_long[k]) {
        size_t wl = ws->len[k];
        if (ws->first[k] == c && wl <= room && word_bytes_at(ws, k, t->text, t->len, t->boff[i])) {
            if (which) *which = k;
            return ws->cplen[k];
        }
    }
    return 0;
}

size_t rpt_ws_before_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which)
{
    if (i == 0 || i > t->n) return 0;
    size_t end = t->boff[i], best = 0;
    uint32_t c = t->cp[i - 1];
    for (int k = ws->head_last[c % RPT_WORDSET_BUCKETS]; k >= 0; k = ws->next_last[k]) {
        size_t wl = ws->len[k];
        if (ws->last[k] == c && ws->cplen[k] > best && wl <= end &&
            word_bytes_at(ws, k, t->text, t->len, end - wl)) {
            best = ws->cplen[k];
            if (which) *which = k;
        }
    }
    return best;
}

/* Index of the first word (in rule order) of ws at code point i that ends by b, or -1. */
static inline int word_at(const rpt_wordset *ws, const rpt_cptext *t, size_t i, size_t b)
{
    uint32_t c = t->cp[i];
    int k = ws->head[c % RPT_WORDSET_BUCKETS];
    if (k < 0) return -1;
    size_t room = t->boff[b] - t->boff[i];
    for (; k >= 0; k = ws->next[k]) {
        size_t wl = ws->len[k];
        if (ws->first[k] == c && wl <= room && word_bytes_at(ws, k, t->text, t->len, t->boff[i]))
            return k;
    }
    return -1;
}

int rpt_wordset_rule_at_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, size_t b)
{
    return i < b && b <= t->n ? word_at(ws, t, i, b) : -1;
}

/* The first code point at or after i (below b) whose bucket holds a word; b when none. Four
 * code points per step: most of a range starts no word. */
static inline size_t skip_empty_buckets(const rpt_wordset *ws, const rpt_cptext *t, size_t i,
                                        size_t b)
{
    const uint32_t *cp = t->cp;
#define EMPTY(c) (ws->head[(c) % RPT_WORDSET_BUCKETS] < 0)
    /* all four empty when the heads (-1 for an empty bucket) are all negative */
#define HEAD(c) ws->head[(c) % RPT_WORDSET_BUCKETS]
    while (i + 4 <= b && (HEAD(cp[i]) & HEAD(cp[i + 1]) & HEAD(cp[i + 2]) & HEAD(cp[i + 3])) < 0)
        i += 4;
#undef HEAD
    while (i < b && EMPTY(cp[i]))
        i++;
#undef EMPTY
    return i;
}

int rpt_wordset_first_rule(const rpt_wordset *ws, const rpt_cptext *t, size_t a, size_t b)
{
    int best = -1;
    if (b > t->n) b = t->n;
    /* the long ranges of sentences and headings, where common first characters (学, 教)
     * would stop a search by the first code point alone at one position in ten */
    for (size_t i = a; i < b; i++) {
        i = rpt_start_skip(&ws->starts, t->cp, i, b);
        if (i >= b) break;
        int k = word_at(ws, t, i, b);
        if (k >= 0 && (best < 0 || k < best)) best = k;
        if (best == 0) break;
    }
    return best;
}

int rpt_wordset_any(const rpt_wordset *ws, const rpt_cptext *t, size_t a, size_t b, size_t *at,
                   int *which)
{
    if (b > t->n) b = t->n;
    for (size_t i = a; i < b; i++) {
        i = skip_empty_buckets(ws, t, i, b);
        if (i >= b) break;
        int k = word_at(ws, t, i, b);
        if (k >= 0) {
            if (at) *at = i;
            if (which) *which = k;
            return 1;
        }
    }
    return 0;
}
