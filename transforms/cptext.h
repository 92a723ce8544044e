/* A document's text seen as Unicode code points: the scanners of segmentation and indicator
 * extraction index the text by code point (offsets in the output are code points) and match
 * rule words on the UTF-8 bytes. Every byte that is not a UTF-8 continuation byte starts one
 * code point, so offsets agree with the decoder's text_chars even on damaged input; a
 * malformed sequence reads as U+FFFD. */
#ifndef REPORTD_TRANSFORMS_CPTEXT_H
#define REPORTD_TRANSFORMS_CPTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct rpt_cptext {
    const char *text; /* borrowed UTF-8 text */
    size_t len;       /* bytes */
    uint32_t *cp;     /* n+1 code points, cp[n] == 0 */
    uint32_t *boff;   /* n+1 byte offsets, boff[n] == len (texts are below 4 GiB) */
    size_t n;
} rpt_cptext;

/* Indexes text (borrowed, must outlive t). Returns 0, or -1 when out of memory or when the
 * text is 4 GiB or longer. */
int rpt_cptext_init(rpt_cptext *t, const char *text, size_t len);
/* The same with the vector instructions limited to simd (0: none, 1: SSSE3, 2: AVX2 too, as
 * far as the processor has them): the tests compare the paths. */
int rpt_cptext_init_simd(rpt_cptext *t, const char *text, size_t len, int simd);
void rpt_cptext_clear(rpt_cptext *t);

/* The index of doc->text, built on first use and kept in the document (released by
 * rpt_document_clear()) so that segmentation and extraction index the text once. NULL when
 * out of memory. */
struct rpt_document;
const rpt_cptext *rpt_cptext_of(struct rpt_document *doc);

/* Length in code points of the UTF-8 word w when it occurs at code point i, else 0. */
size_t rpt_cp_match(const rpt_cptext *t, size_t i, const char *w);
/* Length in code points of the UTF-8 word w when it ends just before code point i, else 0. */
size_t rpt_cp_match_before(const rpt_cptext *t, size_t i, const char *w);
/* Longest word of the NULL-terminated list occurring at i; returns its length (0: none)
 * and its index in *which when which is not NULL. */
size_t rpt_cp_match_any(const rpt_cptext *t, size_t i, const char *const *words, int *which);
size_t rpt_cp_match_any_before(const rpt_cptext *t, size_t i, const char *const *words, int *which);
/* Index of the first occurrence of w in [a, b) (in code points), or (size_t)-1. */
size_t rpt_cp_find(const rpt_cptext *t, size_t a, size_t b, const char *w);

/* Copy of the text of code points [a, b) as a NUL-terminated string; caller frees. */
char *rpt_cp_dup(const rpt_cptext *t, size_t a, size_t b);

/* A list of words indexed by first and by last code point, to find any of them at or before
 * a position, or anywhere in a range, without trying every word (rule tables have up to a
 * few hundred words). Fixed size: no allocation, so a filled set can be shared read-only. */
#define RPT_WORDSET_BUCKETS 1024
#define RPT_WORDSET_MAX 256
/* Where words of a list may start: a hash of the first two code points of each word of two
 * or more, as a set of 4096 bits, and the low six bits of the code point of each word of
 * one. A range search stops where one of them holds, which is rarer than a first code point
 * alone (common characters such as 学 or 教 start some word). */
typedef struct rpt_start_filter {
    uint64_t pair_bits[64];
    uint64_t solo_mask;
} rpt_start_filter;

/* The bit of pair_bits for a word starting with code points c0, c1. */
static inline unsigned rpt_start_pair_bit(uint32_t c0, uint32_t c1)
{
    return (c0 * 0x9E3779B1u ^ c1 * 0x85EBCA6Bu) >> 20;
}

/* Whether a word of the filter's lists may start with code points c0, c1 (when it is of two
 * or more) or c0 (when of one). */
static inline int rpt_may_start(const rpt_start_filter *f, uint32_t c0, uint32_t c1)
{
    unsigned h = rpt_start_pair_bit(c0, c1);
    return (int)(((f->pair_bits[h / 64] >> (h % 64)) | (f->solo_mask >> (c0 % 64))) & 1);
}

/* The first position at or after i (below b, b <= t->n) where a word of the filter's lists
 * that ends by b may start; b when none. Four positions per step. */
static inline size_t rpt_start_skip(const rpt_start_filter *f, const uint32_t *cp, size_t i,
                                    size_t b)
{
    while (i + 4 < b &&
           !(rpt_may_start(f, cp[i], cp[i + 1]) | rpt_may_start(f, cp[i + 1], cp[i + 2]) |
             rpt_may_start(f, cp[i + 2], cp[i + 3]) | rpt_may_start(f, cp[i + 3], cp[i + 4])))
        i += 4;
    /* at b - 1 only a word of one code point fits */
    while (i < b && !rpt_may_start(f, cp[i], i + 1 < b ? cp[i + 1] : 0xFFFFFFFFu))
        i++;
    return i;
}

typedef struct rpt_wordset {
    rpt_start_filter starts;                /* where its words may start */
    const char *words[RPT_WORDSET_MAX + 1]; /* borrowed strings */
    size_t n;
    unsigned char len[RPT_WORDSET_MAX];   /* byte length of each word */
    unsigned char cplen[RPT_WORDSET_MAX]; /* code point length of each word */
    uint32_t first[RPT_WORDSET_MAX];      /* first code point of each word */
    uint32_t last[RPT_WORDSET_MAX];       /* last code point of each word */
    uint64_t head8[RPT_WORDSET_MAX];  /* the word's first bytes (up to 8) as they lie in memory */
    uint64_t mask8[RPT_WORDSET_MAX];  /* 0xFF for each of those bytes */
    short next[RPT_WORDSET_MAX];      /* chain by first code point, -1 ends */
    short next_last[RPT_WORDSET_MAX]; /* chain by last code point */
    short head[RPT_WORDSET_BUCKETS];
    short head_last[RPT_WORDSET_BUCKETS];
    /* the same buckets by first code point, longest words first (then in rule order): the
     * first word of such a chain that lies at a position is the longest one there */
    short next_long[RPT_WORDSET_MAX];
    short head_long[RPT_WORDSET_BUCKETS];
} rpt_wordset;

/* Indexes the NULL-terminated list words (strings borrowed). Returns 0, or -1 when the list
 * is longer than RPT_WORDSET_MAX or holds an empty or overlong word. */
int rpt_wordset_init(rpt_wordset *ws, const char *const *words);
/* The look-ups below are called at nearly every code point of a document and nearly always
 * find no word starting (or ending) with the code point there: an empty bucket answers that
 * inline, the *_chain functions walk a bucket's words. */
size_t rpt_ws_at_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which);
size_t rpt_ws_before_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which);
int rpt_wordset_rule_at_chain(const rpt_wordset *ws, const rpt_cptext *t, size_t i, size_t b);

/* Longest word of ws starting at code point i: its length in code points (0: none), its
 * index in *which when not NULL. */
static inline size_t rpt_ws_at(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which)
{
    if (i >= t->n || ws->head[t->cp[i] % RPT_WORDSET_BUCKETS] < 0) return 0;
    return rpt_ws_at_chain(ws, t, i, which);
}
/* Longest word of ws ending just before code point i, likewise. */
static inline size_t rpt_ws_before(const rpt_wordset *ws, const rpt_cptext *t, size_t i, int *which)
{
    if (i == 0 || i > t->n || ws->head_last[t->cp[i - 1] % RPT_WORDSET_BUCKETS] < 0) return 0;
    return rpt_ws_before_chain(ws, t, i, which);
}
/* Smallest index of a word of ws occurring entirely inside [a, b), or -1. */
int rpt_wordset_first_rule(const rpt_wordset *ws, const rpt_cptext *t, size_t a, size_t b);
/* Smallest word index of ws at code point i among words ending by b, or -1. */
static inline int rpt_wordset_rule_at(const rpt_wordset *ws, const rpt_cptext *t, size_t i, size_t b)
{
    if (!(i < b && b <= t->n) || ws->head[t->cp[i] % RPT_WORDSET_BUCKETS] < 0) return -1;
    return rpt_wordset_rule_at_chain(ws, t, i, b);
}
/* Whether a word of ws occurs entirely inside [a, b); its position in *at when not NULL. */
int rpt_wordset_any(const rpt_wordset *ws, const rpt_cptext *t, size_t a, size_t b, size_t *at,
                   int *which);

int rpt_cp_is_space(uint32_t c); /* ASCII and CJK blanks */
/* CJK unified ideograph */
static inline int rpt_cp_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}
/* 0-9 for ASCII and full-width digits, else -1 */
static inline int rpt_cp_digit(uint32_t c)
{
    if (c - '0' < 10) return (int)(c - '0');
    if (c - 0xFF10 < 10) return (int)(c - 0xFF10);
    return -1;
}

#endif
