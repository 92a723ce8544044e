/* The metric of an indicator: a short label in the text's own words, from the clause
 * around the amount, bounded by the neighbouring amounts, trimmed of connectives, time
 * frames and lists of examples, cut at phrase boundaries to a window, and given the topic
 * of its list or clause when it says too little on its own. The word lists are those of
 * rules/metrics.h and rules/context.h. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/indicators_bounds.h"
#include "transforms/indicators_describe.h"
#include "transforms/indicators_rules.h"
#include "transforms/numerals.h"

#ifndef METRIC_LEFT_MAX
#define METRIC_LEFT_MAX 22
#endif
#ifndef METRIC_RIGHT_MAX
#define METRIC_RIGHT_MAX 14
#endif
#ifndef METRIC_LEFT_HARD
#define METRIC_LEFT_HARD 30 /* longest left part kept whole when no boundary is nearer */
#endif
#ifndef METRIC_RIGHT_HARD
#define METRIC_RIGHT_HARD 20
#endif
#ifndef METRIC_PURPOSE_MAX
#define METRIC_PURPOSE_MAX 24 /* right part of money after 投入: what it was spent on */
#endif
#ifndef METRIC_PURPOSE_HARD
#define METRIC_PURPOSE_HARD 32
#endif
#ifndef METRIC_SHORT
#define METRIC_SHORT 4 /* a label of fewer Han characters gets its topic in front */
#endif
#ifndef METRIC_TOPIC_MAX
#define METRIC_TOPIC_MAX 10
#endif
#ifndef METRIC_TOPIC_HARD
#define METRIC_TOPIC_HARD 16
#endif

/* Trims words of the lists from both ends of [*a, *b). */
static inline void trim(const rpt_cptext *t, size_t *a, size_t *b, const rpt_wordset *head,
                        const rpt_wordset *tail)
{
    for (int again = 1; again && *a < *b;) {
        again = 0;
        size_t m;
        if ((m = rpt_ws_at(head, t, *a, NULL)) && *a + m <= *b) *a += m, again = 1;
        if (*a < *b && (m = rpt_ws_before(tail, t, *b, NULL)) && *b - m >= *a) *b -= m, again = 1;
    }
}

/* Skips a leading time frame ("2024年", "2023年以来") at a: it dates the amount, it is not
 * what is measured. */
static size_t skip_time_frame(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b)
{
    size_t p = a;
    while (p < b && p - a < 4 && rpt_cp_digit(t->cp[p]) >= 0)
        p++;
    if (p - a != 4 || p >= b || t->cp[p] != 0x5E74 /* 年 */) return a;
    p++;
    size_t m = rpt_ws_at(&R->time_frame_tail, t, p, NULL);
    return p + m <= b ? p + m : p;
}

/* End of [a, b) without a trailing year ("从2020年" -> "从"), or b. */
static size_t skip_year_before(const rpt_cptext *t, size_t a, size_t b)
{
    if (b - a < 5 || t->cp[b - 1] != 0x5E74 /* 年 */) return b;
    for (size_t i = b - 5; i < b - 1; i++)
        if (rpt_cp_digit(t->cp[i]) < 0) return b;
    return b - 5;
}

/* Trims the words before an amount: connectives, time frames at either end. */
static inline void trim_left(const rpt_ind_rules *R, const rpt_cptext *t, size_t *a, size_t *b)
{
    for (size_t pa = (size_t)-1, pb = 0; pa != *a || pb != *b;) {
        pa = *a, pb = *b;
        trim(t, a, b, &R->strip_head, &R->strip_tail);
        *a = skip_time_frame(R, t, *a, *b);
        *b = skip_year_before(t, *a, *b);
    }
}

/* Skips time words and years ("原来的", "2025年的") forward from p within [p, b). */
static size_t skip_change_time(const rpt_metric_rules *M, const rpt_cptext *t, size_t p, size_t b)
{
    for (size_t m = 1; m && p < b;) {
        if ((m = rpt_ws_at(&M->change_time, t, p, NULL)) && p + m <= b) {
            p += m;
            continue;
        }
        m = 0;
        size_t q = p;
        while (q < b && q - p < 4 && rpt_cp_digit(t->cp[q]) >= 0)
            q++;
        if (q - p == 4 && q < b && t->cp[q] == 0x5E74 /* 年 */) m = q + 1 - p, p = q + 1;
    }
    return p;
}

/* Whether the words before an amount, ending at b, end with 从/由 (after time words and a
 * ranking scope: 从全国第11位): the amount is the start of a change. */
static int change_starts(const rpt_ind_rules *R, const rpt_metric_rules *M, const rpt_cptext *t, size_t a,
                         size_t b)
{
    size_t q = b;
    while (q > a && b - q < 16 && t->cp[q - 1] != 0x4ECE /* 从 */ &&
           t->cp[q - 1] != 0x7531 /* 由 */)
        q--;
    if (q == a || b - q >= 16) return 0; /* no 从/由 near the amount */
    for (int steps = 0; b > a && steps < 6; steps++) {
        size_t m;
        if (rpt_ws_before(&M->change_from, t, b, NULL)) return 1;
        if ((m = rpt_ws_before(&M->change_time, t, b, NULL)) ||
            (m = rpt_ws_before(&R->rank_cues, t, b, NULL)))
            b -= m;
        else if ((m = skip_year_before(t, a, b)) != b)
            b = m;
        else
            return 0;
    }
    return 0;
}

/* Whether [a, b), the words between two amounts, only say that the first changed into the
 * second (增长到2025年的, 提高到现在的). */
static int change_gap(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    size_t p = skip_change_time(M, t, a, b), m;
    if (p >= b || !(m = rpt_ws_at(&M->change_to, t, p, NULL)) || p + m > b) return 0;
    return skip_change_time(M, t, p + m, b) == b;
}

static inline int label_sep(uint32_t c)
{
    if (c > 0x3001 && c < 0xFF08) return 0; /* none of the separators */
    return c == 0x3001 /* 、 */ || c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' || c == '(' ||
           c == 0xFF08 || c == ')' || c == 0xFF09 || c == 0x201C || c == 0x201D || c == ' ' ||
           c == 0x3000;
}

/* Whether a phrase of a label can start at i in [a, b): at a, after a separator, or (when
 * verbs) where a verb starts. */
static int phrase_start(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t i, int verbs)
{
    return i == a || label_sep(t->cp[i - 1]) ||
           (verbs && rpt_ws_at_first(&M->verbs, M->verb_first, t, i) > 0);
}

/* Start of the label [a, b) cut to at most max code points at a phrase boundary: the
 * earliest separator in the window; failing that, the nearest separator before it up to
 * hard code points; failing that, the whole range when within hard; failing that, the
 * earliest verb in the window, else a fixed cut. */
static inline size_t cut_left(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b,
                              size_t max, size_t hard)
{
    if (b - a <= max) return a;
    size_t lo = b - max;
    for (size_t i = lo; i + 1 < b; i++)
        if (phrase_start(M, t, a, i, 0)) return i;
    size_t floor = b - a > hard ? b - hard : a;
    for (size_t i = lo; i-- > floor;)
        if (phrase_start(M, t, a, i, 0)) return i;
    if (b - a <= hard) return a;
    for (size_t i = lo; i + 1 < b; i++)
        if (phrase_start(M, t, a, i, 1)) return i;
    return lo;
}

/* End of the label [a, b): the whole range when within hard code points, else cut at the
 * last phrase boundary (a separator, a verb, after a closing quote) between max/2 and hard
 * code points; failing that, a fixed cut at max. */
static size_t cut_right(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b, size_t max,
                        size_t hard)
{
    if (b - a <= hard) return b;
    for (size_t i = a + hard; i >= a + max / 2 && i > a; i--)
        if (label_sep(t->cp[i]) || t->cp[i - 1] == 0x201D ||
            rpt_ws_at_first(&M->verbs, M->verb_first, t, i))
            return i;
    return a + max;
}

/* Position just past the 等 of [a, b) that closes a list of examples followed by what they
 * are examples of (芷江六中校舍维修等乡镇标准化寄宿制学校建设项目), or a when there is none.
 * When what follows 等 is short (等工程), the last example stays: the position is past the
 * last list joiner before 等. */
static inline size_t examples_end(const rpt_metric_rules *M, const rpt_ind_rules *R,
                                  const rpt_cptext *t, size_t a, size_t b)
{
    for (size_t i = b; i-- > a + 1;) {
        if (t->cp[i] != 0x7B49 /* 等 */ || !rpt_cp_is_han(t->cp[i - 1]) ||
            rpt_ws_before(&M->not_examples, t, i + 1, NULL))
            continue;
        size_t after = rpt_han_upto(t, i + 1, b, 4);
        if (after < 2) return a;
        if (after >= 4 && !rpt_ws_at(&M->generic_after_examples, t, i + 1, NULL)) return i + 1;
        for (size_t q = i; q > a; q--)
            if (rpt_ws_before(&R->list_joiners, t, q, NULL)) return q;
        return a;
    }
    return a;
}

/* Whether the list [a, b) ends with 等 closing a list of examples (朝阳小学、双新小学等). */
static int ends_with_examples(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    return b > a + 1 && t->cp[b - 1] == 0x7B49 /* 等 */ && rpt_cp_is_han(t->cp[b - 2]) &&
           !rpt_ws_before(&M->not_examples, t, b, NULL);
}

/* End of the verb that introduces the examples of [a, x) (新开通海拉尔至香港、上海等 ->
 * 新开通, 重点实施): a verb at most three characters in, or a. */
static size_t examples_verb_end(const rpt_metric_rules *M, const rpt_ind_rules *R, const rpt_cptext *t,
                                size_t a, size_t x)
{
    for (size_t i = a; i < x && i <= a + 3 && !rpt_ws_at(&R->list_joiners, t, i, NULL); i++) {
        size_t m = rpt_ws_at_first(&M->verbs, M->verb_first, t, i);
        if (m && i + m < x) return i + m;
    }
    return a;
}

/* Whether [a, b) only says how much something changed (同比增长, 比2010年增加). */
static int relative_only(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    for (size_t m = 1; m && a < b;) {
        if ((m = rpt_ws_at(&M->relative_heads, t, a, NULL)) && a + m <= b) {
            a += m;
            continue;
        }
        m = 0;
        size_t q = a;
        while (q < b && q - a < 4 && rpt_cp_digit(t->cp[q]) >= 0)
            q++;
        if (q - a == 4 && q < b && t->cp[q] == 0x5E74 /* 年 */) m = q + 1 - a, a = q + 1;
    }
    size_t m = a < b ? rpt_ws_at(&M->relative_changes, t, a, NULL) : 0;
    return m && a + m == b;
}

/* Whether a verb of the list occurs in [a, b). */
static int has_verb(const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        size_t m = rpt_ws_at_first(&M->verbs, M->verb_first, t, i);
        if (m && i + m <= b) return 1;
    }
    return 0;
}

/* The topic a list item shares with the first item of its list, [fa, fb) being the first
 * item's words and [la, lb) the item's own: 获市级论文竞赛二等奖12个、三等奖9个 -> 获市级论文竞赛;
 * 获市运会青少年组金牌总数第一、团体总分第一 -> 获市运会青少年组. Sets
 * [*pa, *pb) and returns 1, or returns 0 when the item names its own predicate. */
static int list_topic(const rpt_metric_rules *M, const rpt_cptext *t, size_t fa, size_t fb, size_t la,
                      size_t lb, size_t *pa, size_t *pb)
{
    size_t own = lb - la, first = fb - fa, p = 0;
    if (own == 0 || first <= 1 || has_verb(M, t, la, lb) ||
        rpt_ws_at_first(&M->verbs, M->verb_first, t, la))
        return 0;
    size_t ks = 0;
    while (ks + 1 < own && ks + 1 < first && t->cp[lb - 1 - ks] == t->cp[fb - 1 - ks])
        ks++;
    size_t vlen = rpt_ws_at_first(&M->verbs, M->verb_first, t, fa);
    if (vlen >= first) vlen = 0;
    /* parallel names with a common head (二等奖/三等奖): the first item's words before its
     * own name of the same length, when that name looks like this one */
    size_t diff = 0;
    for (size_t i = 0; ks >= 1 && own < first && i < own; i++)
        diff += t->cp[la + i] != t->cp[fb - own + i];
    if (ks >= 1 && own < first && diff <= 1) {
        p = fb - own;
        if (vlen && p < fa + vlen) p = fa + vlen;
    } else if (vlen && own <= 4 && first - vlen > own + 2) {
        /* a short name after a long scope (获市运会青少年组金牌总数第一、团体总分第一) */
        p = fb - own;
    }
    if (p <= fa || p >= fb) return 0;
    *pa = fa, *pb = p;
    return 1;
}

/* Appends the text of [a, b) to m without the manner adverbs of the list. Returns 0, or -1
 * when out of memory. */
static int append_label(rpt_buf *m, const rpt_metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    size_t from = a;
    for (size_t i = a; i < b;) {
        size_t k = rpt_ws_at_first(&M->adverbs, M->adverb_first, t, i);
        if (k && i + k <= b && (i + k < b || i > a)) {
            if (i > from &&
                rpt_buf_append_fit(m, t->text + t->boff[from], t->boff[i] - t->boff[from]))
                return -1;
            i += k, from = i;
            continue;
        }
        i++;
    }
    if (b > from && rpt_buf_append_fit(m, t->text + t->boff[from], t->boff[b] - t->boff[from]))
        return -1;
    return 0;
}

/* Which bracket or quote starts at s[i] (of len bytes): 1 + 2k for the opener of pair k
 * (0: ASCII parentheses, 1: full-width ones, 2: curly quotes, 3: ASCII square brackets),
 * 2 + 2k for its closer, 0 for
 * none; *n receives its length. */
static int bracket_at(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = s[i];
    *n = 1;
    if (c == '(') return 1;
    if (c == ')') return 2;
    if (c == '[') return 7;
    if (c == ']') return 8;
    if ((c != 0xEF && c != 0xE2) || len - i < 3) return 0;
    *n = 3;
    if (c == 0xEF && s[i + 1] == 0xBC && (s[i + 2] == 0x88 || s[i + 2] == 0x89))
        return s[i + 2] == 0x88 ? 3 : 4;
    if (c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x9C || s[i + 2] == 0x9D))
        return s[i + 2] == 0x9C ? 5 : 6;
    return 0;
}

/* Removes from the label at the end of m (from byte offset from on) the brackets and
 * quotes that its words cut off from their partner (全县共有学生（其中高中生 ->
 * 全县共有学生其中高中生). One pass; labels without brackets are left as they are. */
static void drop_unmatched(rpt_buf *m, size_t from)
{
    if (!m->data || from >= m->len) return;
    unsigned char *d = (unsigned char *)m->data + from;
    size_t len = m->len - from;
    /* the buffer is NUL-terminated after the label (and the text holds no NUL) */
    static const char starts[] = "()[]\xE2\xEF"; /* the bytes a bracket or quote starts with */
    const char *first = strpbrk((char *)d, starts);
    if (!first) return; /* no bracket can start here */
    size_t depth[4] = {0, 0, 0, 0}, w = (size_t)(first - (char *)d), n;
    size_t opened[4][32]; /* output offsets of the openers not closed yet, per pair */
    /* the bytes before one that may start a bracket stay as they are (moved left once a
     * bracket went) */
    for (size_t i = w; i < len;) {
        int k = bracket_at(d, len, i, &n);
        if (k) {
            size_t pair = (size_t)(k - 1) / 2;
            if (k % 2 == 0) {
                if (depth[pair] == 0) { /* a closer with no opener goes */
                    i += n;
                    continue;
                }
                depth[pair]--;
            } else {
                if (depth[pair] < 32) opened[pair][depth[pair]] = w;
                depth[pair]++;
            }
        }
        while (n-- > 0 && i < len)
            d[w++] = d[i++];
        n = 1;
        const char *next = strpbrk((char *)d + i, starts);
        /* (a NUL, which the text does not hold, would end the search: it is stepped over) */
        size_t run = next ? (size_t)(next - (char *)d) - i : strlen((char *)d + i);
        if (w != i) memmove(d + w, d + i, run);
        w += run, i += run;
    }
    len = w;
    /* openers left unclosed go, the last first so that earlier offsets stay valid */
    for (;;) {
        size_t best = 0, bp = 4;
        for (size_t p = 0; p < 4; p++) {
            size_t dp = depth[p] < 32 ? depth[p] : 32;
            if (dp > 0 && (bp == 4 || opened[p][dp - 1] > best)) best = opened[p][dp - 1], bp = p;
        }
        if (bp == 4) break;
        size_t bl = bp == 0 || bp == 3 ? 1 : 3;
        memmove(d + best, d + best + bl, len - best - bl);
        len -= bl;
        depth[bp] = (depth[bp] < 32 ? depth[bp] : 32) - 1;
    }
    m->len = from + len;
    d[len] = '\0';
}

/* Whether the words between two amounts, [a, b), open with a list joiner (、 和 及), after
 * a parenthesis that closes the first amount's note (62所（含教学点）、幼儿园41所). */
static int list_gap(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b)
{
    size_t g = a;
    if (g < b && (t->cp[g] == '(' || t->cp[g] == 0xFF08)) {
        while (g < b && t->cp[g] != ')' && t->cp[g] != 0xFF09)
            g++;
        if (g < b) g++;
    }
    while (g < b && (t->cp[g] == ')' || t->cp[g] == 0xFF09 || rpt_cp_is_space(t->cp[g])))
        g++;
    return g < b && rpt_ws_at(&R->list_joiners, t, g, NULL) > 0;
}
/* Candidate j's label being worked out: the ranges that become its parts. */
typedef struct label_work {
    const rpt_describe *d;
    size_t j;
    const rpt_candidate *c;
    const rpt_candidate *prev; /* the amount before it in its clause, or NULL */
    size_t window_start;       /* start of its sentence window */
    rpt_span clause;
    rpt_span topic, left_verb, left, right_verb, right;
    int shared; /* it shares the words before the previous amount (聘请21名…和17名…) */
    int listed; /* a list joiner follows the previous amount */
} label_work;

/* The words before the amount: the clause up to it, or the words after the previous
 * amount of the clause, or those of the previous amount when the two share them; without a
 * list of examples that does not say what is measured, connectives and time frames. */
static void left_words(label_work *w)
{
    const rpt_describe *d = w->d;
    const rpt_ind_rules *R = d->R;
    const rpt_metric_rules *M = d->M;
    const rpt_cptext *t = d->t;
    const rpt_candidate *prev = w->prev;
    unsigned char *flags = &d->memo[w->j].flags;
    size_t la = w->clause.a, lb = w->c->start;
    if (prev) {
        size_t pe =
            prev->after_end > prev->end && prev->after_end <= lb ? prev->after_end : prev->end;
        la = pe;
        /* 62所（含教学点）、幼儿园41所: the note in parentheses belongs to the previous amount */
        if (la < lb && (t->cp[la] == '(' || t->cp[la] == 0xFF08)) {
            size_t q = la;
            while (q < lb && t->cp[q] != ')' && t->cp[q] != 0xFF09)
                q++;
            if (q < lb) la = q + 1;
        }
        w->listed = list_gap(R, t, pe, lb);
        /* 聘请21名法治副校长和17名安全副校长: the words between name the previous amount,
         * this one shares its verb */
        size_t g = lb;
        while (g > la && rpt_cp_is_space(t->cp[g - 1]))
            g--;
        if (g > la && rpt_cp_is_han(t->cp[pe]) && rpt_ws_before(&R->list_joiners, t, g, NULL) &&
            rpt_ws_before(&R->list_joiners, t, g, NULL) < g - la) {
            la = d->memo[w->j - 1].left.a, lb = d->memo[w->j - 1].left.b, w->shared = 1;
        } else {
            /* 跃上1.4万亿斤新台阶、亩产提升10.1斤: the words before the last 、 name the
             * previous amount */
            for (size_t q = lb; q > la + 1; q--)
                if (t->cp[q - 1] == 0x3001) {
                    if (has_verb(M, t, q, lb)) la = q;
                    break;
                }
        }
    }
    if (!w->shared) {
        int from = change_starts(R, M, t, la, lb);
        /* 朝阳小学、双新小学等14所学校: the examples are not what is measured; a leading
         * verb stays */
        if (ends_with_examples(M, t, la, lb)) {
            /* 8个先进基层党组织、向树平等41名: after another amount, the words before the
             * first 、 are that amount's */
            size_t q = la;
            int counted = prev && examples_verb_end(M, R, t, la, lb) == la;
            while (counted && q + 1 < lb && t->cp[q] != 0x3001)
                q++;
            if (counted && q + 1 < lb) la = q + 1;
            lb = examples_verb_end(M, R, t, la, lb);
        }
        trim_left(R, t, &la, &lb);
        if (from) *flags |= RPT_LABEL_CHANGE_FROM;
    }
    w->left.a = la, w->left.b = lb;
}

/* The words after the amount, up to the end of its clause or the next amount (or none when
 * they belong to the next amount), without a note in parentheses and connectives. */
static void right_words(label_work *w)
{
    const rpt_describe *d = w->d;
    const rpt_ind_rules *R = d->R;
    const rpt_metric_rules *M = d->M;
    const rpt_cptext *t = d->t;
    const rpt_candidate *c = w->c, *cs = d->cs;
    size_t j = w->j, n = d->n, ce0 = w->clause.b;
    unsigned char *flags = &d->memo[j].flags;
    size_t ra = c->after_end > c->end ? c->after_end : c->end, rb = ce0;
    if (t->cp[ra] == ')' || t->cp[ra] == 0xFF09) {
        rb = ra; /* 第一(99枚): a parenthetical amount */
    } else if (j + 1 < n && cs[j + 1].start < rb && cs[j + 1].start >= ra) {
        rb = cs[j + 1].start;
        /* 工作室1个、名师工作室15个: the words between belong to the next amount */
        if (list_gap(R, t, ra, rb)) {
            rb = ra;
        } else if (ends_with_examples(M, t, ra, rb) && examples_verb_end(M, R, t, ra, rb) == ra) {
            /* 8个先进基层党组织、向树平等41名: the examples after the first 、 belong to the
             * next amount */
            size_t q = ra;
            while (q + 1 < rb && t->cp[q] != 0x3001)
                q++;
            if (q + 1 < rb) rb = q;
        } else if ((*flags & RPT_LABEL_CHANGE_FROM) && change_gap(M, t, ra, rb)) {
            rb = ra; /* 从3.68万亿元增长到4.93万亿元 */
        } else {
            *flags &= (unsigned char)~RPT_LABEL_CHANGE_FROM;
            for (size_t q = rb; q > ra + 1; q--)
                if (t->cp[q - 1] == 0x3001) { /* 新台阶、亩产提升: up to the last 、 */
                    if (has_verb(M, t, q, rb)) rb = q - 1;
                    break;
                }
        }
    } else {
        *flags &= (unsigned char)~RPT_LABEL_CHANGE_FROM;
    }
    if (ra < rb && t->cp[ra] == 0x7B49 /* 等 */) rb = ra; /* 书香班级12个等多个奖项 */
    /* 文明校园6所(城关小学、…): a note in parentheses right after the amount is about it */
    if (ra < rb && (t->cp[ra] == '(' || t->cp[ra] == 0xFF08)) {
        size_t q = ra;
        while (q < ce0 && t->cp[q] != ')' && t->cp[q] != 0xFF09)
            q++;
        if (!(j + 1 < n && cs[j + 1].start < q)) {
            ra = q < ce0 ? q + 1 : rb;
            if (rb < ra) rb = ra;
        }
    }
    /* 教师在省级竞赛中获奖(不含科普教育): a note in parentheses closing the words (or cut
     * off with them) is no part of the label */
    for (size_t i = ra + 2; i < rb; i++)
        if (t->cp[i] == '(' || t->cp[i] == 0xFF08) {
            size_t q = i + 1;
            while (q < rb && t->cp[q] != ')' && t->cp[q] != 0xFF09)
                q++;
            if (q + 1 >= rb) rb = i;
            break;
        }
    trim(t, &ra, &rb, &R->strip_after_head, &R->strip_after_tail);
    w->right.a = ra, w->right.b = rb;
}

/* 实施芷江六中校舍维修等乡镇标准化寄宿制学校建设项目: the label keeps what the examples are
 * examples of, and the verb that introduces them as a part of its own. */
static void set_apart_examples(label_work *w)
{
    const rpt_describe *d = w->d;
    size_t la = w->left.a, lb = w->left.b, ra = w->right.a, rb = w->right.b, x;
    w->left_verb.a = w->left_verb.b = la;
    w->right_verb.a = w->right_verb.b = ra;
    if (!w->shared && (x = examples_end(d->M, d->R, d->t, la, lb)) > la) {
        w->left_verb.b = examples_verb_end(d->M, d->R, d->t, la, x);
        w->left.a = x;
    }
    if ((x = examples_end(d->M, d->R, d->t, ra, rb)) > ra) {
        w->right_verb.b = examples_verb_end(d->M, d->R, d->t, ra, x);
        w->right.a = x;
    }
}

/* Cuts the left and right words to their windows at phrase boundaries (a money amount
 * after 投入 may name its purpose after it, at more length) and drops a verb that only
 * introduces the amount. Leaves the left words in the memo for the amounts that follow. */
static void cut_to_windows(label_work *w)
{
    const rpt_describe *d = w->d;
    const rpt_ind_rules *R = d->R;
    const rpt_metric_rules *M = d->M;
    const rpt_cptext *t = d->t;
    size_t la = w->left.a, lb = w->left.b, ra = w->right.a, rb = w->right.b;
    int purpose = rpt_unit_is(w->c->unit, "元") && lb > la && rpt_ws_before(&M->purpose, t, lb, NULL);
    la = cut_left(M, t, la, lb, METRIC_LEFT_MAX, METRIC_LEFT_HARD);
    trim(t, &la, &lb, &R->strip_head, &R->strip_tail);
    rb = cut_right(M, t, ra, rb, purpose ? METRIC_PURPOSE_MAX : METRIC_RIGHT_MAX,
                   purpose ? METRIC_PURPOSE_HARD : METRIC_RIGHT_HARD);
    trim(t, &ra, &rb, &R->strip_after_head, &R->strip_after_tail);
    /* 地区生产总值完成198.5亿元: the verb only introduces the amount reached */
    size_t rv;
    if (ra == rb && w->left_verb.a == w->left_verb.b &&
        (rv = rpt_ws_before(&M->result_verbs, t, lb, NULL)) && lb - rv > la &&
        rpt_han_upto(t, la, lb - rv, 2) >= 2 && !rpt_ws_before(&M->adverbs, t, lb - rv, NULL))
        lb -= rv;
    w->left.a = la, w->left.b = lb, w->right.a = ra, w->right.b = rb;
    d->memo[w->j].left = w->left;
}

/* A list item's topic, the topic of its list (the first item's words before its own
 * name): sets it and returns 1, or returns 0 when the item is no list item or names its own
 * predicate. */
static int list_item_topic(label_work *w)
{
    const rpt_describe *d = w->d;
    const rpt_candidate *cs = d->cs;
    const rpt_label_memo *memo = d->memo;
    size_t j = w->j, cs0 = w->clause.a, pa = 0, pb = 0;
    if (!(w->prev && !w->shared && w->listed)) return 0;
    size_t k = j;
    while (k-- > 0 && cs[k].start >= cs0 && memo[k].left.b <= memo[k].left.a)
        ;
    if (!(k < j && cs[k].start >= cs0)) return 0;
    if (memo[k].flags & RPT_LABEL_LISTED) {
        pa = memo[k].topic.a, pb = memo[k].topic.b;
    } else if (!list_topic(d->M, d->t, memo[k].left.a, memo[k].left.b, w->left.a, w->left.b, &pa,
                           &pb)) {
        return 0;
    }
    d->memo[j].flags |= RPT_LABEL_LISTED | RPT_LABEL_USE_TOPIC;
    w->topic.a = pa, w->topic.b = pb;
    return 1;
}

/* The topic of an amount that is no list item: the clause's words before its first amount
 * (高中免学费592人补助47.36万元), or for the first amount of a clause the previous clause's
 * words up to its first number (居全州第二位), or that clause's list topic; trimmed and cut
 * to its window. Marks the label to start with it when its own words say too little. */
static void clause_topic(label_work *w)
{
    const rpt_describe *d = w->d;
    const rpt_ind_rules *R = d->R;
    const rpt_metric_rules *M = d->M;
    const rpt_cptext *t = d->t;
    const rpt_candidate *cs = d->cs, *prev = w->prev;
    const rpt_label_memo *memo = d->memo;
    size_t j = w->j, cs0 = w->clause.a, ss = w->window_start, pa = 0, pb = 0, rv;
    if (prev && !w->shared) {
        /* 高中免学费592人补助47.36万元: the clause's words before its first amount */
        pa = cs0, pb = prev->start;
        for (size_t k = j; k-- > 0 && cs[k].end > cs0;)
            if (cs[k].start >= cs0 && cs[k].start < pb) pb = cs[k].start;
    } else if (!prev && cs0 > ss) {
        size_t pe = cs0 - 1;
        pa = pe;
        pa = rpt_delim_back(t->cp, ss, pa, 0);
        /* the previous clause's words up to its first number or amount (居全州第二位) */
        pb = pa;
        while (pb < pe && rpt_cp_digit(t->cp[pb]) < 0 && rpt_cn_digit(t->cp[pb]) < 0)
            pb++;
        for (size_t k = j; k-- > 0 && cs[k].end > pa;)
            if (cs[k].start >= pa && cs[k].start < pb) pb = cs[k].start;
        /* 一等奖2个,二等奖11个,三等奖22个: a list item's topic is the list's topic */
        if (j > 0 && cs[j - 1].start >= pa && cs[j - 1].start < pe &&
            rpt_han_upto(t, pa, pb, METRIC_SHORT) < METRIC_SHORT &&
            memo[j - 1].topic.b > memo[j - 1].topic.a)
            pa = memo[j - 1].topic.a, pb = memo[j - 1].topic.b;
    }
    if (pb > pa) trim_left(R, t, &pa, &pb);
    if (pb > pa && (rv = rpt_ws_before(&M->result_verbs, t, pb, NULL)) && pb - rv > pa &&
        rpt_han_upto(t, pa, pb - rv, 2) >= 2 && !rpt_ws_before(&M->adverbs, t, pb - rv, NULL))
        pb -= rv; /* 农村居民人均可支配收入完成22250元，比2010年增加… */
    if (pb > pa) pa = cut_left(M, t, pa, pb, METRIC_TOPIC_MAX, METRIC_TOPIC_HARD);
    if (pb > pa) trim(t, &pa, &pb, &R->strip_head, &R->strip_tail);
    w->topic.a = pa, w->topic.b = pb;
    size_t la = w->left.a, lb = w->left.b, ra = w->right.a, rb = w->right.b;
    if (rpt_han_upto(t, la, lb, METRIC_SHORT) + rpt_han_upto(t, ra, rb, METRIC_SHORT) +
                (w->left_verb.b - w->left_verb.a) + (w->right_verb.b - w->right_verb.a) <
            METRIC_SHORT ||
        (ra == rb && w->left_verb.a == w->left_verb.b && relative_only(M, t, la, lb)))
        d->memo[w->j].flags |= RPT_LABEL_USE_TOPIC;
}

void rpt_label_parts(const rpt_describe *d, size_t j, size_t window_start, rpt_span clause,
                     rpt_metric_parts *out)
{
    const rpt_candidate *cs = d->cs;
    label_work w;
    w.d = d;
    w.j = j;
    w.c = &cs[j];
    w.prev = j > 0 && cs[j - 1].end > clause.a && cs[j - 1].end <= w.c->start ? &cs[j - 1] : NULL;
    w.window_start = window_start;
    w.clause = clause;
    w.shared = w.listed = 0;
    d->memo[j].flags = 0;
    left_words(&w);
    right_words(&w);
    set_apart_examples(&w);
    cut_to_windows(&w);
    if (!list_item_topic(&w)) clause_topic(&w);
    if (w.topic.b < w.topic.a) w.topic.b = w.topic.a;
    d->memo[j].topic = w.topic;
    out->topic = w.topic;
    out->left_verb = w.left_verb;
    out->left = w.left;
    out->right_verb = w.right_verb;
    out->right = w.right;
}

int rpt_metric_write(const rpt_describe *d, size_t j, const rpt_metric_parts *p, rpt_buf *m,
                     size_t prev_off, size_t prev_len)
{
    const rpt_cptext *t = d->t;
    const rpt_candidate *cs = d->cs;
    size_t from = m->len;
    size_t nhan = rpt_han_upto(t, p->left_verb.a, p->left_verb.b, 2) +
                  rpt_han_upto(t, p->left.a, p->left.b, 2) +
                  rpt_han_upto(t, p->right_verb.a, p->right_verb.b, 2) +
                  rpt_han_upto(t, p->right.a, p->right.b, 2);
    int follows_change = j > 0 && (d->memo[j - 1].flags & RPT_LABEL_CHANGE_FROM);
    if (follows_change || (nhan < 2 && j > 0 && cs[j - 1].end + 4 >= cs[j].start)) {
        /* 金牌总数第一(99枚), 从3.68万亿元增长到4.93万亿元: the label belongs to the
         * previous amount (reserved first: the copy comes from the same buffer) */
        if (rpt_buf_reserve(m, prev_len)) return -1;
        if (rpt_buf_append_fit(m, m->data + prev_off, prev_len)) return -1;
        if (follows_change) d->memo[j].left = d->memo[j - 1].left;
    } else {
        const rpt_span *order[5] = {&p->topic, &p->left_verb, &p->left, &p->right_verb,
                                    &p->right};
        for (int k = (d->memo[j].flags & RPT_LABEL_USE_TOPIC) ? 0 : 1; k < 5; k++)
            if (order[k]->b > order[k]->a && append_label(m, d->M, t, order[k]->a, order[k]->b))
                return -1;
    }
    drop_unmatched(m, from);
    return 0;
}
