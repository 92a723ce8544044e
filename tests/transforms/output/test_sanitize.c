/* The UTF-8 check of decoding on valid text, where its result is simple to state: the text
 * unchanged but full-width digits and letters (U+FF10-FF19, FF21-FF3A, FF41-FF5A) folded to
 * ASCII, one code point counted per character, nothing replaced. Random texts put those
 * forms and their neighbours (full-width punctuation, U+FF1A, U+FF20, U+FF5B...) at every
 * position of long CJK runs, where the block fast paths work. */
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
    for (int round = 0; round < 2000; round++) {
        size_t n = 0, w = 0, chars = next_bits(&rng) % 3000;
        for (size_t k = 0; k < chars; k++) {
            uint32_t c = random_char(&rng);
            n += put_utf8(text + n, c);
            w += put_utf8(want + w, folds(c) ? c - 0xFEE0 : c);
        }
        rpt_buf out = RPT_BUF_INIT;
        long replaced = 0;
        size_t counted = 0;
        int rc = rpt_utf8_sanitize(text, n, RPT_NORM_CR_TO_LF, &out, &replaced, &counted);
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

TEST_MAIN(T(test_valid_texts_fold_fullwidth))
