/* Word-at-a-time byte tests and little-endian loads, for scanners that look at 4 or 8 bytes
 * per step (UTF-8 validation, the code-point index, JSON escaping). */
#ifndef REPORTD_COMMON_BYTES_H
#define REPORTD_COMMON_BYTES_H

#include <stdint.h>

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

#endif
