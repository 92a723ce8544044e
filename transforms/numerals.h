/* Numbers as written in Chinese reports: Arabic digits (ASCII or full-width, with decimal
 * point and thousands commas) and Chinese numerals (四, 十二, 两千三百, 一万五千). Both parsers
 * refuse absurd input (more than 15 integer digits) instead of returning inf or rounding
 * silently, so callers can treat any parsed value as a finite double. */
#ifndef REPORTD_TRANSFORMS_NUMERALS_H
#define REPORTD_TRANSFORMS_NUMERALS_H

#include <stddef.h>
#include <stdint.h>

#include "transforms/cptext.h"

#define RPT_NUM_MAX_INT_DIGITS 15

/* Value of a single Chinese digit (零〇一二两三四五六七八九), else -1. */
int rpt_cn_digit_slow(uint32_t c);
/* Bit (c % 64) of each of those code points: most other Han characters are ruled out by it
 * without a call. */
#define RPT_CN_DIGIT_BIT(c) (1ull << ((c) % 64))
#define RPT_CN_DIGIT_BITS                                                                      \
    (RPT_CN_DIGIT_BIT(0x96F6) | RPT_CN_DIGIT_BIT(0x3007) | RPT_CN_DIGIT_BIT(0x4E00) |           \
     RPT_CN_DIGIT_BIT(0x4E8C) | RPT_CN_DIGIT_BIT(0x4E24) | RPT_CN_DIGIT_BIT(0x4E09) |           \
     RPT_CN_DIGIT_BIT(0x56DB) | RPT_CN_DIGIT_BIT(0x4E94) | RPT_CN_DIGIT_BIT(0x516D) |           \
     RPT_CN_DIGIT_BIT(0x4E03) | RPT_CN_DIGIT_BIT(0x516B) | RPT_CN_DIGIT_BIT(0x4E5D))
static inline int rpt_cn_digit(uint32_t c)
{
    return c < 0x3007 || c > 0x96F6 || !((RPT_CN_DIGIT_BITS >> (c % 64)) & 1) ? -1
                                                                            : rpt_cn_digit_slow(c);
}
/* Multiplier of a Chinese magnitude character (十百千万亿), else 0. */
double rpt_cn_magnitude(uint32_t c);
/* Whether c can appear inside a Chinese numeral. */
int rpt_cn_numeral_char(uint32_t c);

/* Parses an Arabic number starting at code point i. Returns the number of code points
 * consumed (0 when there is no number there), the value in *v and the count of integer
 * digits in *int_digits. A run of more than RPT_NUM_MAX_INT_DIGITS integer digits is consumed
 * but *v is set to -1 and the return value still covers the digits: the caller skips it. */
size_t rpt_parse_arabic(const rpt_cptext *t, size_t i, double *v, int *int_digits);

/* The Arabic number of len code points at i (as parsed by rpt_parse_arabic) times 10^exp10,
 * rounded once (4.06万亿 is exactly 4060000000000, not 4.06 * 1e12). -1 when not finite. */
double rpt_arabic_scaled(const rpt_cptext *t, size_t i, size_t len, int exp10);

/* Parses a Chinese numeral starting at i (at most 12 characters). Returns the number of code
 * points consumed or 0. */
size_t rpt_parse_cn(const rpt_cptext *t, size_t i, double *v);

#endif
