/* A document's text seen as Unicode code points: the scanners of segmentation and indicator
 * extraction index the text by code point (offsets in the output are code points) and match
 * rule words on the UTF-8 bytes. Every byte that is not a UTF-8 continuation byte starts one
 * code point, so offsets agree with the decoder's text_chars even on damaged input; a
 * malformed sequence reads as U+FFFD. */
#ifndef REPORTD_TRANSFORMS_CPTEXT_H
#define REPORTD_TRANSFORMS_CPTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct rd_cptext {
    const char *text; /* borrowed UTF-8 text */
    size_t len;       /* bytes */
    uint32_t *cp;     /* n+1 code points, cp[n] == 0 */
    size_t *boff;     /* n+1 byte offsets, boff[n] == len */
    size_t n;
} rd_cptext;

/* Indexes text (borrowed, must outlive t). Returns 0, or -1 when out of memory. */
int rd_cptext_init(rd_cptext *t, const char *text, size_t len);
void rd_cptext_free(rd_cptext *t);

/* Length in code points of the UTF-8 word w when it occurs at code point i, else 0. */
size_t rd_cp_match(const rd_cptext *t, size_t i, const char *w);
/* Length in code points of the UTF-8 word w when it ends just before code point i, else 0. */
size_t rd_cp_match_before(const rd_cptext *t, size_t i, const char *w);
/* Longest word of the NULL-terminated list occurring at i; returns its length (0: none)
 * and its index in *which when which is not NULL. */
size_t rd_cp_match_any(const rd_cptext *t, size_t i, const char *const *words, int *which);
size_t rd_cp_match_any_before(const rd_cptext *t, size_t i, const char *const *words,
                              int *which);
/* Index of the first occurrence of w in [a, b) (in code points), or (size_t)-1. */
size_t rd_cp_find(const rd_cptext *t, size_t a, size_t b, const char *w);

/* Copy of the text of code points [a, b) as a NUL-terminated string; caller frees. */
char *rd_cp_dup(const rd_cptext *t, size_t a, size_t b);

/* A list of words indexed by first code point, to find any of them in a range of the text
 * in one pass (rule tables have a hundred words; scanning once per word would be slow). */
#define RD_WORDSET_BUCKETS 256
typedef struct rd_wordset {
    const char *const *words; /* borrowed, NULL-terminated */
    size_t n;
    size_t *len;   /* byte length of each word */
    size_t *cplen; /* code point length of each word */
    int *next;     /* chain of word indices in the same bucket, -1 ends */
    int head[RD_WORDSET_BUCKETS];
} rd_wordset;

/* Indexes the NULL-terminated list words (borrowed). Returns 0 or -1 (out of memory). */
int rd_wordset_init(rd_wordset *ws, const char *const *words);
void rd_wordset_free(rd_wordset *ws);
/* Smallest index of a word of ws occurring entirely inside [a, b), or -1. */
int rd_wordset_first_rule(const rd_wordset *ws, const rd_cptext *t, size_t a, size_t b);
/* Whether a word of ws occurs entirely inside [a, b); its position in *at when not NULL. */
int rd_wordset_any(const rd_wordset *ws, const rd_cptext *t, size_t a, size_t b, size_t *at,
                   int *which);

int rd_cp_is_space(uint32_t c);  /* ASCII and CJK blanks */
int rd_cp_is_han(uint32_t c);    /* CJK unified ideograph */
int rd_cp_digit(uint32_t c);     /* 0-9 for ASCII and full-width digits, else -1 */

#endif
