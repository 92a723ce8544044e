/* The code point index against a plain reference decoder: every byte that is not a UTF-8
 * continuation byte starts one code point; a malformed, truncated, overlong or surrogate
 * sequence reads as U+FFFD. Random texts mix long CJK runs (the block paths), ASCII,
 * full-width forms, E0/ED leads, stray continuation bytes and cut sequences. */
#include <stdint.h>

#include "test.h"
#include "transforms/cptext.h"

static uint32_t reference_at(const unsigned char *s, size_t len, size_t i)
{
    unsigned b = s[i];
    if (b < 0x80) return b;
    size_t need;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF)
        need = 1, c = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        need = 2, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        need = 3, c = b & 0x07, min = 0x10000;
    else
        return 0xFFFD;
    if (i + need >= len) return 0xFFFD;
    for (size_t k = 1; k <= need; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0xFFFD;
        c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
    return c;
}

/* Whether t indexes s as the reference does; prints the first difference. */
static int same_as_reference(const rpt_cptext *t, const unsigned char *s, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if ((s[i] & 0xC0) == 0x80) continue;
        if (k >= t->n || t->boff[k] != i || t->cp[k] != reference_at(s, len, i)) {
            fprintf(stderr, "code point %zu (byte %zu): index %u at %u, reference %u\n", k, i,
                    k < t->n ? t->cp[k] : 0, k < t->n ? t->boff[k] : 0, reference_at(s, len, i));
            return 0;
        }
        k++;
    }
    return k == t->n && t->cp[k] == 0 && t->boff[k] == len;
}

static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Appends one random piece to buf at *n (room for 4 more bytes). */
static void piece(unsigned char *buf, size_t *n, uint64_t *rng)
{
    uint64_t r = next_bits(rng);
    switch (r % 16) {
    case 0: /* ASCII */
        buf[(*n)++] = (unsigned char)(' ' + (r >> 8) % 95);
        break;
    case 1: /* E0 and ED leads: overlong or surrogate unless in range */
        buf[(*n)++] = (r >> 8) & 1 ? 0xE0 : 0xED;
        buf[(*n)++] = (unsigned char)(0x80 | ((r >> 9) & 0x3F));
        buf[(*n)++] = (unsigned char)(0x80 | ((r >> 15) & 0x3F));
        break;
    case 2: /* a stray or cut byte */
        buf[(*n)++] = (unsigned char)(0x80 + (r >> 8) % 128);
        break;
    case 3: /* two- and four-byte sequences */
        buf[(*n)++] = (unsigned char)(0xC2 + (r >> 8) % 30);
        buf[(*n)++] = (unsigned char)(0x80 | ((r >> 13) & 0x3F));
        if ((r >> 20) & 1) {
            buf[(*n)++] = (unsigned char)(0x80 | ((r >> 21) & 0x3F));
            buf[(*n)++] = (unsigned char)(0x80 | ((r >> 27) & 0x3F));
        }
        break;
    case 4: /* a three-byte lead with a bad continuation */
        buf[(*n)++] = (unsigned char)(0xE1 + (r >> 8) % 15);
        buf[(*n)++] = (unsigned char)(0x80 | ((r >> 13) & 0x3F));
        buf[(*n)++] = (unsigned char)((r >> 19) & 0x7F);
        break;
    default: { /* CJK and full-width forms, most of the time */
        uint32_t c = (r >> 8) & 1 ? 0x4E00 + (uint32_t)((r >> 9) % 0x5200)
                                  : 0xFF00 + (uint32_t)((r >> 9) % 0xF0);
        buf[(*n)++] = (unsigned char)(0xE0 | (c >> 12));
        buf[(*n)++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        buf[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
        break;
    }
    }
}

static void test_random_texts(void)
{
    static unsigned char buf[4200];
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    int mismatches = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, want = next_bits(&rng) % 4000;
        while (n < want)
            piece(buf, &n, &rng);
        /* each path in turn: scalar, SSSE3 blocks, AVX2 blocks (as far as the processor
         * has them) */
        for (int simd = 0; simd <= 2; simd++) {
            rpt_cptext t;
            REQUIRE(rpt_cptext_init_simd(&t, (const char *)buf, n, simd) == 0);
            if (!same_as_reference(&t, buf, n) && mismatches++ < 5)
                fprintf(stderr, "round %d (simd %d): %zu bytes differ\n", round, simd, n);
            rpt_cptext_clear(&t);
        }
    }
    CHECK_INT(mismatches, 0);
}

/* Every cut of a CJK run: the block paths meet each length and each end position. */
static void test_cjk_run_cuts(void)
{
    unsigned char buf[80];
    for (size_t i = 0; i + 3 <= sizeof buf; i += 3)
        memcpy(buf + i, "\xe4\xb8\x87", 3); /* 万 */
    int mismatches = 0;
    for (size_t len = 0; len <= 78; len++)
        for (size_t from = 0; from < 3 && from <= len; from++)
            for (int simd = 0; simd <= 2; simd++) {
                rpt_cptext t;
                REQUIRE(rpt_cptext_init_simd(&t, (const char *)buf + from, len - from, simd) == 0);
                if (!same_as_reference(&t, buf + from, len - from)) mismatches++;
                rpt_cptext_clear(&t);
            }
    CHECK_INT(mismatches, 0);
}

TEST_MAIN(T(test_random_texts), T(test_cjk_run_cuts))
