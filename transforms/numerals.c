#include "transforms/numerals.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* rpt_cn_magnitude(), inlined where this file reads numerals. */
static inline double cn_magnitude(uint32_t c)
{
    switch (c) {
    case 0x5341: /* 十 */
        return 10;
    case 0x767E: /* 百 */
        return 100;
    case 0x5343: /* 千 */
        return 1000;
    case 0x4E07: /* 万 */
        return 1e4;
    case 0x4EBF: /* 亿 */
        return 1e8;
    default:
        return 0;
    }
}

double rpt_cn_magnitude(uint32_t c)
{
    return cn_magnitude(c);
}

int rpt_cn_numeral_char(uint32_t c)
{
    return rpt_cn_digit(c) >= 0 || cn_magnitude(c) > 0;
}

/* The value of the decimal s ("123", "48.64375": digits with at most one '.') times
 * 10^exp10 without strtod when that is exact: at most 15 digits make an integer mantissa
 * below 2^53 and |scale| <= 22 makes 10^scale a double, so one IEEE multiplication or
 * division rounds the exact value correctly, which is what strtod returns. Returns 0 when
 * s is not such a decimal (the caller then uses strtod). */
static inline int exact_decimal(const char *s, int exp10, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; *s; s++) {
        if (*s == '.') {
            if (frac >= 0) return 0;
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 15) return 0;
        m = m * 10 + (uint64_t)(*s - '0');
        if (frac >= 0) frac++;
    }
    if (digits == 0) return 0;
    int scale = exp10 - (frac > 0 ? frac : 0);
    if (scale > 22 || scale < -22) return 0;
    *out = scale >= 0 ? (double)m * p10[scale] : (double)m / p10[-scale];
    return 1;
}

size_t rpt_parse_arabic(const rpt_cptext *t, size_t i, double *v, int *int_digits)
{
    char buf[64];
    size_t k = 0, p = i;
    int nd = 0, too_long = 0, sep = 0;
    while (p < t->n) {
        int d = rpt_cp_digit(t->cp[p]);
        if (d >= 0) {
            if (nd < RPT_NUM_MAX_INT_DIGITS)
                buf[k++] = (char)('0' + d);
            else
                too_long = 1;
            nd++;
            p++;
            continue;
        }
        /* thousands separator: 1-3 leading digits, then groups of ",ddd" */
        if (t->cp[p] == ',' && nd > 0 && (nd <= 3 || sep) && p + 4 <= t->n &&
            rpt_cp_digit(t->cp[p + 1]) >= 0 && rpt_cp_digit(t->cp[p + 2]) >= 0 &&
            rpt_cp_digit(t->cp[p + 3]) >= 0 && rpt_cp_digit(t->cp[p + 4]) < 0 && (sep || nd <= 3)) {
            sep = 1;
            p++;
            continue;
        }
        break;
    }
    if (nd == 0) return 0;
    if (int_digits) *int_digits = nd;
    if ((t->cp[p] == '.' || t->cp[p] == 0xFF0E) && rpt_cp_digit(t->cp[p + 1]) >= 0) {
        size_t fd = 0;
        if (!too_long) buf[k++] = '.';
        p++;
        while (p < t->n && rpt_cp_digit(t->cp[p]) >= 0) {
            if (fd < 20 && !too_long) buf[k++] = (char)('0' + rpt_cp_digit(t->cp[p]));
            fd++;
            p++;
        }
    }
    buf[k] = '\0';
    if (too_long) {
        *v = -1;
        return p - i;
    }
    if (!exact_decimal(buf, 0, v)) *v = strtod(buf, NULL);
    if (!isfinite(*v)) *v = -1;
    return p - i;
}

size_t rpt_parse_cn(const rpt_cptext *t, size_t i, double *v)
{
    double total = 0, section = 0, digit = -1;
    size_t p = i;
    while (p < t->n && p - i < 12) {
        uint32_t c = t->cp[p];
        int d = rpt_cn_digit(c);
        double m = cn_magnitude(c);
        if (d >= 0) {
            if (digit >= 0 && d != 0) break; /* 一二: not one number */
            digit = d;
        } else if (m >= 1e4) {
            if (digit < 0 && section == 0 && total == 0) break;
            section += digit > 0 ? digit : 0;
            total = (total + section) * m;
            section = 0;
            digit = -1;
        } else if (m > 0) {
            if (digit < 0 && m == 10 && section == 0 && total == 0)
                digit = 1; /* 十二 */
            else if (digit < 0)
                break;
            section += digit * m;
            digit = -1;
        } else {
            break;
        }
        p++;
    }
    if (p == i) return 0;
    if (digit > 0) section += digit;
    *v = total + section;
    return p - i;
}

double rpt_arabic_scaled(const rpt_cptext *t, size_t i, size_t len, int exp10)
{
    char buf[80];
    size_t k = 0;
    for (size_t p = i; p < i + len && p < t->n && k < sizeof buf - 8; p++) {
        int d = rpt_cp_digit(t->cp[p]);
        if (d >= 0)
            buf[k++] = (char)('0' + d);
        else if (t->cp[p] == '.' || t->cp[p] == 0xFF0E)
            buf[k++] = '.';
    }
    buf[k] = '\0';
    double v;
    if (exact_decimal(buf, exp10, &v)) return v;
    snprintf(buf + k, sizeof buf - k, "e%d", exp10);
    v = strtod(buf, NULL);
    return isfinite(v) ? v : -1;
}
