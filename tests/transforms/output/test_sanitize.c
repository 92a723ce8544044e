/* The UTF-8 check of decoding on valid text, where its result is simple to state: the text
 * unchanged but full-width digits and letters (U+FF10-FF19, FF21-FF3A, FF41-FF5A) folded to
 * ASCII, one code point counted per character, nothing replaced. Random texts put those
 * forms and their neighbours (full-width punctuation, U+FF1A, U+FF20, U+FF5B...) at every
 * position of long CJK runs, where the block fast paths work. And on any input, the
 * 32-byte vector path agrees with the others. */
#include <stdint.h>

#include "test.h"
#include "transforms/decode.h"

static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t put_utf8(unsigned char *p, uint32_t c)
{
    if (c < 0x80) {
        p[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        p[0] = (unsigned char)(0xC0 | (c >> 6));
        p[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    p[0] = (unsigned char)(0xE0 | (c >> 12));
    p[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    p[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
}

static int folds(uint32_t c)
{
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}

/* A random character, mostly CJK, often from the full-width block. */
static uint32_t random_char(uint64_t *rng)
{
    uint64_t r = next_bits(rng);
    switch (r % 10) {
    case 0:
        return 0x20 + (uint32_t)((r >> 8) % 95);
    case 1:
        return 0xA0 + (uint32_t)((r >> 8) % 0x700); /* two-byte forms */
    case 2:
    case 3:
        return 0xFF01 + (uint32_t)((r >> 8) % 0xEE); /* full-width forms */
    case 4:
        return 0x3000 + (uint32_t)((r >> 8) % 0x40); /* CJK punctuation */
    default:
        return 0x4E00 + (uint32_t)((r >> 8) % 0x5200);
    }
}

static void test_valid_texts_fold_fullwidth(void)
{
    static unsigned char text[3 * 3000], want[3 * 3000];
    uint64_t rng = 0xD1B54A32D192ED03ull;
    int mismatches = 0;
    for (int round = 0; round < 4000; round++) {
        /* every other round without the 32-byte vector path */
        unsigned flags = RPT_NORM_CR_TO_LF | (round % 2 ? RPT_NORM_NO_AVX2 : 0);
        size_t n = 0, w = 0, chars = next_bits(&rng) % 3000;
        for (size_t k = 0; k < chars; k++) {
            uint32_t c = random_char(&rng);
            n += put_utf8(text + n, c);
            w += put_utf8(want + w, folds(c) ? c - 0xFEE0 : c);
        }
        rpt_buf out = RPT_BUF_INIT;
        long replaced = 0;
        size_t counted = 0;
        int rc = rpt_utf8_sanitize(text, n, flags, &out, &replaced, &counted);
        if (rc || replaced || counted != chars || out.len != w ||
            (w && memcmp(out.data, want, w) != 0)) {
            if (mismatches++ < 5)
                fprintf(stderr,
                        "round %d: rc %d, replaced %ld, %zu of %zu chars, %zu of %zu bytes\n",
                        round, rc, replaced, counted, chars, out.len, w);
        }
        rpt_buf_clear(&out);
    }
    CHECK_INT(mismatches, 0);
}

/* Appends a run of clean text (the fast paths' input: CJK, full-width punctuation, ASCII
 * letters and spaces) and then one anomaly: a character the pass rewrites or leaves to its
 * slow path, or bytes that are no valid UTF-8 at all. */
static size_t dirty_piece(unsigned char *p, uint64_t *rng)
{
    size_t n = 0, run = next_bits(rng) % 40;
    for (size_t k = 0; k < run; k++) {
        uint64_t r = next_bits(rng);
        uint32_t c = r % 8 == 0   ? 'a' + (uint32_t)((r >> 8) % 26)
                     : r % 8 == 1 ? 0xFF0C /* ， */
                                  : 0x4E00 + (uint32_t)((r >> 8) % 0x5200);
        n += put_utf8(p + n, c);
    }
    static const unsigned char odd[][4] = {{0x00},
                                           {'\r'},
                                           {'\r', '\n'},
                                           {0xEF, 0xBC, 0x91},
                                           {0xEF, 0xBD, 0x81},
                                           {0xEF, 0xBC, 0xA0},
                                           {0xE0, 0xA4, 0x85},
                                           {0xED, 0x9F, 0xBF},
                                           {0xED, 0xA0, 0x80},
                                           {0xE0, 0x80, 0x80},
                                           {0x80},
                                           {0xBF, 0x80},
                                           {0xE4, 0xB8},
                                           {0xC3, 0xA9},
                                           {0xC0, 0xAF},
                                           {0xF0, 0x9F, 0x98, 0x80},
                                           {0xF5},
                                           {0xFF},
                                           {0xEF, 0xBC},
                                           {0xE4}};
    static const unsigned char odd_len[] = {1, 1, 2, 3, 3, 3, 3, 3, 3, 3,
                                            1, 2, 2, 2, 2, 4, 1, 1, 2, 1};
    size_t k = next_bits(rng) % (sizeof odd_len);
    memcpy(p + n, odd[k], odd_len[k]);
    return n + odd_len[k];
}

/* Any input, valid or not: the 32-byte vector path and the rest give the same text, the
 * same counts and the same result, at every alignment of the anomalies. */
static void test_vector_paths_agree(void)
{
    static unsigned char text[4096 * 2];
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    int mismatches = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, pieces = next_bits(&rng) % 40;
        for (size_t k = 0; k < pieces && n < 4096; k++)
            n += dirty_piece(text + n, &rng);
        unsigned base = round % 3 == 0 ? 0 : round % 3 == 1 ? RPT_NORM_CR_TO_LF : RPT_NORM_GIVE_UP;
        rpt_buf a = RPT_BUF_INIT, b = RPT_BUF_INIT;
        long ra = 0, rb = 0;
        size_t ca = 0, cb = 0;
        int rca = rpt_utf8_sanitize(text, n, base, &a, &ra, &ca);
        int rcb = rpt_utf8_sanitize(text, n, base | RPT_NORM_NO_AVX2, &b, &rb, &cb);
        if (rca != rcb || ra != rb || ca != cb || a.len != b.len ||
            (a.len && memcmp(a.data, b.data, a.len) != 0)) {
            if (mismatches++ < 5)
                fprintf(stderr,
                        "round %d: rc %d/%d, replaced %ld/%ld, chars %zu/%zu, %zu/%zu bytes\n",
                        round, rca, rcb, ra, rb, ca, cb, a.len, b.len);
        }
        rpt_buf_clear(&a);
        rpt_buf_clear(&b);
    }
    CHECK_INT(mismatches, 0);
}

TEST_MAIN(T(test_valid_texts_fold_fullwidth), T(test_vector_paths_agree))
