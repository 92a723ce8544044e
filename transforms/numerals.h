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

/* The Chinese digits (零〇一二两三四五六七八九) by a perfect hash of their code points: slot
 * (c * RPT_CN_DIGIT_MUL) >> 28 holds the digit whose code point may be c (0xFFFFFFFF: none)
 * and its value. Reports test nearly every character of some ranges; a hash and one compare
 * cost less than the branches of a switch. */
#define RPT_CN_DIGIT_MUL 0xE6C3F339u
static const uint32_t RPT_CN_DIGIT_CP[16] = {
    0x3007, 0x4E94, 0x4E24,     0x56DB, 0x516D,     0xFFFFFFFF, 0x4E03, 0x516B,
    0x4E5D, 0x96F6, 0xFFFFFFFF, 0x4E00, 0xFFFFFFFF, 0x4E09,     0x4E8C, 0xFFFFFFFF};
static const signed char RPT_CN_DIGIT_VALUE[16] = {0, 5, 2,  4, 6,  -1, 7, 8,
                                                   9, 0, -1, 1, -1, 3,  2, -1};

/* Value of a single Chinese digit (零〇一二两三四五六七八九), else -1. */
static inline int rpt_cn_digit(uint32_t c)
{
    unsigned h = (c * RPT_CN_DIGIT_MUL) >> 28;
    return RPT_CN_DIGIT_CP[h] == c ? RPT_CN_DIGIT_VALUE[h] : -1;
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
