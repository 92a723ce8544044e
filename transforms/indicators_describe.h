/* Internals of describing indicator candidates, shared by the per-document driver
 * (transforms/indicators_describe.c), the metric wording (transforms/indicators_label.c)
 * and the kind, qualifier and category (transforms/indicators_classify.c). */
#ifndef REPORTD_TRANSFORMS_INDICATORS_DESCRIBE_H
#define REPORTD_TRANSFORMS_INDICATORS_DESCRIBE_H

#include <stddef.h>
#include <string.h>

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/document.h"
#include "transforms/indicators_rules.h"
#include "transforms/indicators_scan.h"

/* rpt_buf_append() and rpt_buf_putc() (the same bytes, the same result) without their
 * calls when the bytes fit in the buffer: labels are built a few bytes at a time. */
static inline int rpt_buf_append_fit(rpt_buf *b, const void *p, size_t n)
{
    if (n >= b->cap - b->len) return rpt_buf_append(b, p, n); /* also when cap is 0 */
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}
static inline int rpt_buf_putc_fit(rpt_buf *b, char c)
{
    if (b->cap - b->len <= 1) return rpt_buf_putc(b, c);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

/* A range [a, b) of code points of the text. */
typedef struct rpt_span {
    size_t a, b;
} rpt_span;

/* Flags a label leaves for the amounts after it (rpt_label_memo.flags). */
enum {
    RPT_LABEL_LISTED = 1,      /* its topic is the topic of its list */
    RPT_LABEL_CHANGE_FROM = 2, /* the next amount is what this one changed into: it takes this label */
    RPT_LABEL_USE_TOPIC = 4,   /* the label starts with the topic */
};

/* What the label of one candidate leaves for the candidates after it in its clause. */
typedef struct rpt_label_memo {
    rpt_span left;  /* its words before the amount, cut and trimmed */
    rpt_span topic; /* its topic (empty when none) */
    unsigned char flags;
} rpt_label_memo;

/* The words of one candidate's metric, as five ranges in reading order. */
typedef struct rpt_metric_parts {
    rpt_span topic;      /* used when the label is short, or a list item's */
    rpt_span left_verb;  /* the leading verb of the left part when examples follow it */
    rpt_span left;       /* the words before the amount */
    rpt_span right_verb; /* likewise for the right part */
    rpt_span right;      /* the words after the amount */
} rpt_metric_parts;

/* The candidates of one document being described, in text order, and what describing them
 * looks up once per sentence or section. */
typedef struct rpt_describe {
    const rpt_ind_rules *R;
    const rpt_metric_rules *M; /* &R->metric */
    const rpt_cptext *t;
    const rpt_document *doc; /* its sections */
    const rpt_candidate *cs;
    size_t n;
    rpt_label_memo *memo; /* one per candidate */
    /* the sentence of the candidate being described */
    rpt_span sent;
    size_t sent_cue;      /* end of its first goal word, or (size_t)-1 */
    const char *sent_cat; /* its topical category, once sent_cat_done */
    int sent_cat_done;
    /* the section whose heading category is head_cat (looked up once per section), or -1 */
    int head_sec;
    const char *head_cat;
} rpt_describe;

/* The number of Han characters in [a, b), capped at cap: stops at the cap-th one. Every
 * caller compares a count (or a sum of counts) with a small constant, which needs no more. */
static inline size_t rpt_han_upto(const rpt_cptext *t, size_t a, size_t b, size_t cap)
{
    size_t n = 0;
    for (size_t i = a; i < b && n < cap; i++)
        n += rpt_cp_is_han(t->cp[i]);
    return n;
}

/* indicators_label.c */

/* The words of candidate j's metric (window_start: where its sentence window starts;
 * clause: its clause within that window, heading marker excluded). Fills d->memo[j] for
 * the candidates that follow. */
void rpt_label_parts(const rpt_describe *d, size_t j, size_t window_start, rpt_span clause,
                     rpt_metric_parts *out);

/* Appends candidate j's metric label, from its parts p, to m: the words of the parts without
 * manner adverbs and unmatched brackets, or, when the label belongs to the previous amount,
 * a copy of the previous label (prev_len bytes at byte offset prev_off of m). Returns 0, or
 * -1 when out of memory. */
int rpt_metric_write(const rpt_describe *d, size_t j, const rpt_metric_parts *p, rpt_buf *m,
                     size_t prev_off, size_t prev_len);

/* indicators_classify.c */

/* End of the first word in [a, b) stating a goal, or (size_t)-1: amounts after it are
 * targets. */
size_t rpt_first_target_cue(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b);

/* Sets x->kind (target in the plan part or after a goal word of the sentence, else actual)
 * and x->qualifier (the candidate's own, else one from the clause starting at clause_start)
 * for candidate c in a section of the given part. */
void rpt_classify_kind(const rpt_describe *d, const rpt_candidate *c, rpt_part part,
                       size_t clause_start, rpt_indicator *x);

/* The category of candidate c: from the words of its label p and its clause, then its
 * sentence, then the heading of section sec (-1: none), else "other". */
const char *rpt_classify_category(rpt_describe *d, const rpt_candidate *c,
                                  const rpt_metric_parts *p, rpt_span clause, int sec);

#endif
