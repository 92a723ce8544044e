/* Second pass of indicator extraction: gives each candidate its section, kind, final
 * qualifier, metric (a short label in the text's own words: the clause around the number,
 * bounded by neighbouring indicators and trimmed of connectives) and category. */
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/extract.h"
#include "transforms/indicators_scan.h"
#include "transforms/numerals.h"
#include "transforms/indicators_rules.h"
#include "transforms/segment_scan.h"
#include "transforms/rules/metrics.h"

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
#ifndef SENTENCE_MAX
#define SENTENCE_MAX 120 /* code points kept on each side of the amount */
#endif
#define SENTENCE_SCAN_MAX 2000 /* longest sentence looked at for goal and topic words */

/* The delimiters below are ASCII, U+3002 or full-width forms (U+FF01 and up): the code
 * points in between (nearly all Han text) are answered with one range test. */
#define NOT_DELIM(c) ((c) > 0x3002 && (c) < 0xFF01)

static inline int clause_delim(uint32_t c)
{
    if (NOT_DELIM(c)) return 0;
    return c == 0xFF0C || c == ',' || c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF1A ||
           c == ':' || c == 0xFF01 || c == '!' || c == 0xFF1F || c == '?' || c == '\n' || c == 0;
}

static inline int sentence_delim(uint32_t c)
{
    if (NOT_DELIM(c)) return 0;
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n' || c == 0;
}

/* First position in [i, b) whose code point lies outside (U+3002, U+FF01), where every
 * delimiter above lies, or b: skips Han text four code points per compare (SSE2). */
static inline size_t plain_end(const uint32_t *cp, size_t i, size_t b)
{
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi32(0x3002), hi = _mm_set1_epi32(0xFF01);
    for (; i + 4 <= b; i += 4) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(cp + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi32(x, lo), _mm_cmplt_epi32(x, hi)));
        if (m != 0xFFFF) return i + (size_t)__builtin_ctz(~m & 0xFFFF) / 4;
    }
#endif
    while (i < b && NOT_DELIM(cp[i]))
        i++;
    return i;
}

/* Likewise backwards: the smallest q in [a, i] such that every code point of [q, i) lies
 * inside (U+3002, U+FF01). */
static inline size_t plain_start(const uint32_t *cp, size_t a, size_t i)
{
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi32(0x3002), hi = _mm_set1_epi32(0xFF01);
    for (; i >= a + 4; i -= 4) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(cp + i - 4));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi32(x, lo), _mm_cmplt_epi32(x, hi)));
        if (m != 0xFFFF) return i - 4 + (size_t)(31 - __builtin_clz(~m & 0xFFFF)) / 4 + 1;
    }
#endif
    while (i > a && NOT_DELIM(cp[i - 1]))
        i--;
    return i;
}

/* Start of the clause (sentence when sentence is set) around position i, looking back no
 * further than a: the position after the nearest delimiter before i, or a. */
static inline size_t delim_back(const uint32_t *cp, size_t a, size_t i, int sentence)
{
    for (;;) {
        i = plain_start(cp, a, i);
        if (i <= a || (sentence ? sentence_delim(cp[i - 1]) : clause_delim(cp[i - 1]))) return i;
        i--;
    }
}

/* End of the clause (sentence) from position i on, looking no further than b: the position
 * of the first delimiter at or after i, or b (i when i >= b). */
static inline size_t delim_fwd(const uint32_t *cp, size_t i, size_t b, int sentence)
{
    for (;;) {
        i = plain_end(cp, i, b);
        if (i >= b || (sentence ? sentence_delim(cp[i]) : clause_delim(cp[i]))) return i;
        i++;
    }
}

/* End of the first word in [a, b) stating a goal, or (size_t)-1: amounts after it are
 * targets. */
static size_t first_target_cue(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b)
{
    size_t at;
    int k;
    while (a < b && rpt_wordset_any(&R->target_cues, t, a, b, &at, &k)) {
        size_t e = at + R->target_cues.cplen[k];
        /* 计划 as a noun (招生计划63名) is not a goal; as a verb (计划招聘) it is */
        if (k != R->plan_cue || (e < b && rpt_cp_is_han(t->cp[e]))) return e;
        a = at + 1;
    }
    return (size_t)-1;
}

/* First category rule (topical or generic ones) whose word occurs in [a, b), or NULL. */
static const char *category_in(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b,
                               int generic)
{
    if (a >= b) return NULL;
    int k = rpt_wordset_first_rule(&R->category[generic], t, a, b);
    return k >= 0 ? R->category_name[generic][k] : NULL;
}

/* Code point offset just past a section's marker. */
static size_t marker_end(const rpt_section *s)
{
    size_t ml = 0;
    for (const char *m = s->marker; m && *m; m++)
        if ((*m & 0xC0) != 0x80) ml++;
    return s->start + ml;
}

/* The word lists of rules/metrics.h, indexed once per process (read-only afterwards). */
typedef struct metric_rules {
    rpt_wordset verbs, adverbs, change_from, change_to, change_time, not_examples, purpose,
        generic_after_examples, relative_heads, relative_changes, result_verbs;
    /* bit c set when a verb (an adverb) starts with code point c below U+10000: labels are
     * scanned for them at every position */
    unsigned char verb_first[0x10000 / 8], adverb_first[0x10000 / 8];
    /* likewise for the category words of both groups (rules/categories.h) */
    unsigned char category_first[0x10000 / 8];
} metric_rules;

static metric_rules mrules;
static int mrules_ok;
static pthread_once_t mrules_once = PTHREAD_ONCE_INIT;

static void build_metric_rules(void)
{
    mrules_ok = rpt_wordset_init(&mrules.verbs, RPT_METRIC_VERBS) == 0 &&
                rpt_wordset_init(&mrules.adverbs, RPT_METRIC_ADVERBS) == 0 &&
                rpt_wordset_init(&mrules.change_from, RPT_CHANGE_FROM) == 0 &&
                rpt_wordset_init(&mrules.change_to, RPT_CHANGE_TO) == 0 &&
                rpt_wordset_init(&mrules.change_time, RPT_CHANGE_TIME_WORDS) == 0 &&
                rpt_wordset_init(&mrules.not_examples, RPT_NOT_EXAMPLES) == 0 &&
                rpt_wordset_init(&mrules.purpose, RPT_METRIC_PURPOSE_CUES) == 0 &&
                rpt_wordset_init(&mrules.generic_after_examples, RPT_GENERIC_AFTER_EXAMPLES) == 0 &&
                rpt_wordset_init(&mrules.relative_heads, RPT_RELATIVE_HEADS) == 0 &&
                rpt_wordset_init(&mrules.relative_changes, RPT_RELATIVE_CHANGES) == 0 &&
                rpt_wordset_init(&mrules.result_verbs, RPT_RESULT_VERBS) == 0;
    const rpt_ind_rules *R = rpt_ind_rules_get();
    if (!R) mrules_ok = 0;
    if (!mrules_ok) return;
    for (int g = 0; g <= 1; g++)
        for (size_t k = 0; k < R->category[g].n; k++)
            if (R->category[g].first[k] < 0x10000)
                mrules.category_first[R->category[g].first[k] / 8] |=
                    (unsigned char)(1u << (R->category[g].first[k] % 8));
    for (size_t k = 0; k < mrules.verbs.n; k++)
        if (mrules.verbs.first[k] < 0x10000)
            mrules.verb_first[mrules.verbs.first[k] / 8] |=
                (unsigned char)(1u << (mrules.verbs.first[k] % 8));
    for (size_t k = 0; k < mrules.adverbs.n; k++)
        if (mrules.adverbs.first[k] < 0x10000)
            mrules.adverb_first[mrules.adverbs.first[k] / 8] |=
                (unsigned char)(1u << (mrules.adverbs.first[k] % 8));
}

/* Length of the longest word of ws at i, like rpt_ws_at(), after a look at the bitmap of
 * the first code points of its words (first). */
static inline size_t ws_at_first(const rpt_wordset *ws, const unsigned char *first,
                                 const rpt_cptext *t, size_t i)
{
    uint32_t c = i < t->n ? t->cp[i] : 0;
    if (c < 0x10000 && !(first[c / 8] & (1u << (c % 8)))) return 0;
    return rpt_ws_at(ws, t, i, NULL);
}

/* The indexed metric word lists, or NULL when a list is malformed. */
static const metric_rules *metric_rules_get(void)
{
    pthread_once(&mrules_once, build_metric_rules);
    return mrules_ok ? &mrules : NULL;
}

/* Category from the words near the amount: topical words in the metric, then in its
 * clause, then generic ones likewise; then a few units; then topical words anywhere in the
 * sentence (looked up by the caller, lazily). The words before the amount count before those
 * after it; within one window the first rule wins. One pass over the windows finds the best
 * rule of each window for both groups; positions where no category word of either group
 * starts are skipped with one bitmap test. */
static const char *categorise(const rpt_ind_rules *R, const metric_rules *M, const rpt_cptext *t,
                              const size_t win[][2], const rpt_candidate *c, int *need_sentence)
{
    size_t lo = win[2][0], hi = win[2][1];
    int money = rpt_unit_is(c->unit, "元");
    for (int w = 0; w < 2; w++)
        if (win[w][0] < win[w][1]) {
            if (win[w][0] < lo) lo = win[w][0];
            if (win[w][1] > hi) hi = win[w][1];
        }
    int in_left[2] = {-1, -1}, in_right[2] = {-1, -1}, in_clause[2] = {-1, -1};
    for (size_t i = lo; hi <= t->n && i < hi; i++) {
        uint32_t cp = t->cp[i];
        if (cp < 0x10000 && !(M->category_first[cp / 8] & (1u << (cp % 8)))) continue;
        for (int g = 0; g <= 1; g++) {
            int k = rpt_wordset_rule_at(&R->category[g], t, i, hi);
            if (k < 0) continue;
            size_t e = i + R->category[g].cplen[k];
            /* 投资627万元实施…项目20个: money words elsewhere in the clause do not make a
             * count of projects funding */
            if (i < win[0][0] || e > win[0][1])
                if ((i < win[1][0] || e > win[1][1]) && !money &&
                    R->category_name[g][k][0] == 'f' &&
                    strcmp(R->category_name[g][k], "funding") == 0)
                    continue;
            if (i >= win[0][0] && e <= win[0][1] && (in_left[g] < 0 || k < in_left[g]))
                in_left[g] = k;
            if (i >= win[1][0] && e <= win[1][1] && (in_right[g] < 0 || k < in_right[g]))
                in_right[g] = k;
            if (i >= win[2][0] && e <= win[2][1] && (in_clause[g] < 0 || k < in_clause[g]))
                in_clause[g] = k;
        }
    }
    for (int g = 0; g <= 1; g++) {
        if (in_left[g] >= 0) return R->category_name[g][in_left[g]];
        if (in_right[g] >= 0) return R->category_name[g][in_right[g]];
        if (in_clause[g] >= 0) return R->category_name[g][in_clause[g]];
        if (g == 0 && c->is_rank) return "awards";
        if (g == 0 && money) return "funding";
        if (g == 0 && rpt_unit_is(c->unit, "所")) return "schools";
    }
    *need_sentence = 1;
    return NULL;
}

/* Trims words of the lists from both ends of [*a, *b). */
static void trim(const rpt_cptext *t, size_t *a, size_t *b, const rpt_wordset *head,
                 const rpt_wordset *tail)
{
    for (int again = 1; again && *a < *b;) {
        again = 0;
        size_t m;
        if ((m = rpt_ws_at(head, t, *a, NULL)) && *a + m <= *b) *a += m, again = 1;
        if (*a < *b && (m = rpt_ws_before(tail, t, *b, NULL)) && *b - m >= *a) *b -= m, again = 1;
    }
}

/* The number of Han characters in [a, b), capped at cap: stops at the cap-th one. Every
 * caller compares a count (or a sum of counts) with a small constant, which needs no more. */
static size_t han_upto(const rpt_cptext *t, size_t a, size_t b, size_t cap)
{
    size_t n = 0;
    for (size_t i = a; i < b && n < cap; i++)
        n += rpt_cp_is_han(t->cp[i]);
    return n;
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
static void trim_left(const rpt_ind_rules *R, const rpt_cptext *t, size_t *a, size_t *b)
{
    for (size_t pa = (size_t)-1, pb = 0; pa != *a || pb != *b;) {
        pa = *a, pb = *b;
        trim(t, a, b, &R->strip_head, &R->strip_tail);
        *a = skip_time_frame(R, t, *a, *b);
        *b = skip_year_before(t, *a, *b);
    }
}

/* Skips time words and years ("原来的", "2025年的") forward from p within [p, b). */
static size_t skip_change_time(const metric_rules *M, const rpt_cptext *t, size_t p, size_t b)
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
static int change_starts(const rpt_ind_rules *R, const metric_rules *M, const rpt_cptext *t, size_t a,
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
static int change_gap(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
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
static int phrase_start(const metric_rules *M, const rpt_cptext *t, size_t a, size_t i, int verbs)
{
    return i == a || label_sep(t->cp[i - 1]) ||
           (verbs && ws_at_first(&M->verbs, M->verb_first, t, i) > 0);
}

/* Start of the label [a, b) cut to at most max code points at a phrase boundary: the
 * earliest separator in the window; failing that, the nearest separator before it up to
 * hard code points; failing that, the whole range when within hard; failing that, the
 * earliest verb in the window, else a fixed cut. */
static size_t cut_left(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b, size_t max,
                       size_t hard)
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
static size_t cut_right(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b, size_t max,
                        size_t hard)
{
    if (b - a <= hard) return b;
    for (size_t i = a + hard; i >= a + max / 2 && i > a; i--)
        if (label_sep(t->cp[i]) || t->cp[i - 1] == 0x201D ||
            ws_at_first(&M->verbs, M->verb_first, t, i))
            return i;
    return a + max;
}

/* Position just past the 等 of [a, b) that closes a list of examples followed by what they
 * are examples of (芷江六中校舍维修等乡镇标准化寄宿制学校建设项目), or a when there is none.
 * When what follows 等 is short (等工程), the last example stays: the position is past the
 * last list joiner before 等. */
static size_t examples_end(const metric_rules *M, const rpt_ind_rules *R, const rpt_cptext *t,
                           size_t a, size_t b)
{
    for (size_t i = b; i-- > a + 1;) {
        if (t->cp[i] != 0x7B49 /* 等 */ || !rpt_cp_is_han(t->cp[i - 1]) ||
            rpt_ws_before(&M->not_examples, t, i + 1, NULL))
            continue;
        size_t after = han_upto(t, i + 1, b, 4);
        if (after < 2) return a;
        if (after >= 4 && !rpt_ws_at(&M->generic_after_examples, t, i + 1, NULL)) return i + 1;
        for (size_t q = i; q > a; q--)
            if (rpt_ws_before(&R->list_joiners, t, q, NULL)) return q;
        return a;
    }
    return a;
}

/* Whether the list [a, b) ends with 等 closing a list of examples (朝阳小学、双新小学等). */
static int ends_with_examples(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    return b > a + 1 && t->cp[b - 1] == 0x7B49 /* 等 */ && rpt_cp_is_han(t->cp[b - 2]) &&
           !rpt_ws_before(&M->not_examples, t, b, NULL);
}

/* End of the verb that introduces the examples of [a, x) (新开通海拉尔至香港、上海等 ->
 * 新开通, 重点实施): a verb at most three characters in, or a. */
static size_t examples_verb_end(const metric_rules *M, const rpt_ind_rules *R, const rpt_cptext *t,
                                size_t a, size_t x)
{
    for (size_t i = a; i < x && i <= a + 3 && !rpt_ws_at(&R->list_joiners, t, i, NULL); i++) {
        size_t m = ws_at_first(&M->verbs, M->verb_first, t, i);
        if (m && i + m < x) return i + m;
    }
    return a;
}

/* Whether [a, b) only says how much something changed (同比增长, 比2010年增加). */
static int relative_only(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
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
static int has_verb(const metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        size_t m = ws_at_first(&M->verbs, M->verb_first, t, i);
        if (m && i + m <= b) return 1;
    }
    return 0;
}

/* The topic a list item shares with the first item of its list, [fa, fb) being the first
 * item's words and [la, lb) the item's own: 获市级论文竞赛二等奖12个、三等奖9个 -> 获市级论文竞赛;
 * 获市运会青少年组金牌总数第一、团体总分第一 -> 获市运会青少年组. Sets
 * [*pa, *pb) and returns 1, or returns 0 when the item names its own predicate. */
static int list_topic(const metric_rules *M, const rpt_cptext *t, size_t fa, size_t fb, size_t la,
                      size_t lb, size_t *pa, size_t *pb)
{
    size_t own = lb - la, first = fb - fa, p = 0;
    if (own == 0 || first <= 1 || has_verb(M, t, la, lb) ||
        ws_at_first(&M->verbs, M->verb_first, t, la))
        return 0;
    size_t ks = 0;
    while (ks + 1 < own && ks + 1 < first && t->cp[lb - 1 - ks] == t->cp[fb - 1 - ks])
        ks++;
    size_t vlen = ws_at_first(&M->verbs, M->verb_first, t, fa);
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
static int append_label(rpt_buf *m, const metric_rules *M, const rpt_cptext *t, size_t a, size_t b)
{
    size_t from = a;
    for (size_t i = a; i < b;) {
        size_t k = ws_at_first(&M->adverbs, M->adverb_first, t, i);
        if (k && i + k <= b && (i + k < b || i > a)) {
            if (i > from && rpt_buf_append(m, t->text + t->boff[from], t->boff[i] - t->boff[from]))
                return -1;
            i += k, from = i;
            continue;
        }
        i++;
    }
    if (b > from && rpt_buf_append(m, t->text + t->boff[from], t->boff[b] - t->boff[from]))
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
    if (!strpbrk((char *)d, "()[]\xE2\xEF")) return; /* no bracket can start here */
    size_t depth[4] = {0, 0, 0, 0}, w = 0, n;
    size_t opened[4][32]; /* output offsets of the openers not closed yet, per pair */
    for (size_t i = 0; i < len;) {
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

enum {
    M_LISTED = 1,      /* its topic is the topic of its list */
    M_CHANGE_FROM = 2, /* the next amount is what this one changed into: it takes this label */
    M_USE_TOPIC = 4,   /* the label starts with the topic */
};

/* The words of candidate j's metric, as five code point ranges in reading order: topic
 * (used when the label is short or a list item's), the leading verb of the left part when
 * examples follow it, left (before the amount), likewise the leading verb of the right part,
 * and right (after it). lefts[], topics[] and flags[] receive candidate j's, for the ones that
 * follow. */
static void metric_parts(const rpt_ind_rules *R, const metric_rules *M, const rpt_cptext *t,
                         const rpt_candidate *cs, size_t n, size_t j, size_t ss, size_t cs0,
                         size_t ce0, size_t (*lefts)[2], size_t (*topics)[2], unsigned char *flags,
                         size_t pr[5][2])
{
    const rpt_candidate *c = &cs[j];
    const rpt_candidate *prev =
        j > 0 && cs[j - 1].end > cs0 && cs[j - 1].end <= c->start ? &cs[j - 1] : NULL;
    size_t la = cs0, lb = c->start, shared = 0, listed = 0;
    flags[j] = 0;
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
        listed = list_gap(R, t, pe, lb);
        /* 聘请21名法治副校长和17名安全副校长: the words between name the previous amount,
         * this one shares its verb */
        size_t g = lb;
        while (g > la && rpt_cp_is_space(t->cp[g - 1]))
            g--;
        if (g > la && rpt_cp_is_han(t->cp[pe]) && rpt_ws_before(&R->list_joiners, t, g, NULL) &&
            rpt_ws_before(&R->list_joiners, t, g, NULL) < g - la) {
            la = lefts[j - 1][0], lb = lefts[j - 1][1], shared = 1;
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
    if (!shared) {
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
        if (from) flags[j] |= M_CHANGE_FROM;
    }
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
        } else if ((flags[j] & M_CHANGE_FROM) && change_gap(M, t, ra, rb)) {
            rb = ra; /* 从3.68万亿元增长到4.93万亿元 */
        } else {
            flags[j] &= (unsigned char)~M_CHANGE_FROM;
            for (size_t q = rb; q > ra + 1; q--)
                if (t->cp[q - 1] == 0x3001) { /* 新台阶、亩产提升: up to the last 、 */
                    if (has_verb(M, t, q, rb)) rb = q - 1;
                    break;
                }
        }
    } else {
        flags[j] &= (unsigned char)~M_CHANGE_FROM;
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
    /* 实施芷江六中校舍维修等乡镇标准化寄宿制学校建设项目: what the examples are examples of;
     * a leading verb stays */
    size_t lva = la, lvb = la, rva = ra, rvb = ra, x;
    if (!shared && (x = examples_end(M, R, t, la, lb)) > la) {
        lvb = examples_verb_end(M, R, t, la, x);
        la = x;
    }
    if ((x = examples_end(M, R, t, ra, rb)) > ra) {
        rvb = examples_verb_end(M, R, t, ra, x);
        ra = x;
    }
    /* windows: cut at phrase boundaries; a money amount after 投入 may name its purpose after
     * it, at more length */
    int purpose = rpt_unit_is(c->unit, "元") && lb > la && rpt_ws_before(&M->purpose, t, lb, NULL);
    la = cut_left(M, t, la, lb, METRIC_LEFT_MAX, METRIC_LEFT_HARD);
    trim(t, &la, &lb, &R->strip_head, &R->strip_tail);
    rb = cut_right(M, t, ra, rb, purpose ? METRIC_PURPOSE_MAX : METRIC_RIGHT_MAX,
                   purpose ? METRIC_PURPOSE_HARD : METRIC_RIGHT_HARD);
    trim(t, &ra, &rb, &R->strip_after_head, &R->strip_after_tail);
    /* 地区生产总值完成198.5亿元: the verb only introduces the amount reached */
    size_t rv;
    if (ra == rb && lva == lvb && (rv = rpt_ws_before(&M->result_verbs, t, lb, NULL)) &&
        lb - rv > la && han_upto(t, la, lb - rv, 2) >= 2 &&
        !rpt_ws_before(&M->adverbs, t, lb - rv, NULL))
        lb -= rv;
    lefts[j][0] = la, lefts[j][1] = lb;

    size_t pa = 0, pb = 0;
    if (prev && !shared && listed) {
        /* a list item: the topic of its list (the first item's words before its own name) */
        size_t k = j;
        while (k-- > 0 && cs[k].start >= cs0 && lefts[k][1] <= lefts[k][0])
            ;
        if (k < j && cs[k].start >= cs0) {
            if (flags[k] & M_LISTED) {
                pa = topics[k][0], pb = topics[k][1], flags[j] |= M_LISTED | M_USE_TOPIC;
            } else if (list_topic(M, t, lefts[k][0], lefts[k][1], la, lb, &pa, &pb)) {
                flags[j] |= M_LISTED | M_USE_TOPIC;
            }
        }
    }
    if (!(flags[j] & M_LISTED)) {
        pa = pb = 0;
        if (prev && !shared) {
            /* 高中免学费592人补助47.36万元: the clause's words before its first amount */
            pa = cs0, pb = prev->start;
            for (size_t k = j; k-- > 0 && cs[k].end > cs0;)
                if (cs[k].start >= cs0 && cs[k].start < pb) pb = cs[k].start;
        } else if (!prev && cs0 > ss) {
            size_t pe = cs0 - 1;
            pa = pe;
            pa = delim_back(t->cp, ss, pa, 0);
            /* the previous clause's words up to its first number or amount (居全州第二位) */
            pb = pa;
            while (pb < pe && rpt_cp_digit(t->cp[pb]) < 0 && rpt_cn_digit(t->cp[pb]) < 0)
                pb++;
            for (size_t k = j; k-- > 0 && cs[k].end > pa;)
                if (cs[k].start >= pa && cs[k].start < pb) pb = cs[k].start;
            /* 一等奖2个,二等奖11个,三等奖22个: a list item's topic is the list's topic */
            if (j > 0 && cs[j - 1].start >= pa && cs[j - 1].start < pe &&
                han_upto(t, pa, pb, METRIC_SHORT) < METRIC_SHORT &&
                topics[j - 1][1] > topics[j - 1][0])
                pa = topics[j - 1][0], pb = topics[j - 1][1];
        }
        if (pb > pa) trim_left(R, t, &pa, &pb);
        if (pb > pa && (rv = rpt_ws_before(&M->result_verbs, t, pb, NULL)) && pb - rv > pa &&
            han_upto(t, pa, pb - rv, 2) >= 2 && !rpt_ws_before(&M->adverbs, t, pb - rv, NULL))
            pb -= rv; /* 农村居民人均可支配收入完成22250元，比2010年增加… */
        if (pb > pa) pa = cut_left(M, t, pa, pb, METRIC_TOPIC_MAX, METRIC_TOPIC_HARD);
        if (pb > pa) trim(t, &pa, &pb, &R->strip_head, &R->strip_tail);
        if (han_upto(t, la, lb, METRIC_SHORT) + han_upto(t, ra, rb, METRIC_SHORT) + (lvb - lva) +
                    (rvb - rva) <
                METRIC_SHORT ||
            (ra == rb && lva == lvb && relative_only(M, t, la, lb)))
            flags[j] |= M_USE_TOPIC;
    }
    pr[0][0] = pa, pr[0][1] = pb > pa ? pb : pa;
    topics[j][0] = pr[0][0], topics[j][1] = pr[0][1];
    pr[1][0] = lva, pr[1][1] = lvb;
    pr[2][0] = la, pr[2][1] = lb;
    pr[3][0] = rva, pr[3][1] = rvb;
    pr[4][0] = ra, pr[4][1] = rb;
}

/* Byte offsets of one indicator's strings in the block being built. */
typedef struct str_offsets {
    size_t raw, metric, metric_len, sentence;
} str_offsets;

/* Appends the text of code points [a, b) and a NUL to m. Returns 0, or -1 when out of
 * memory. */
static int append_text(rpt_buf *m, const rpt_cptext *t, size_t a, size_t b)
{
    if (b > t->n) b = t->n;
    if (a > b) a = b;
    size_t lo = t->boff[a], hi = t->boff[b];
    if (rpt_buf_reserve(m, hi - lo + 1)) return -1;
    memcpy(m->data + m->len, t->text + lo, hi - lo);
    m->len += hi - lo;
    m->data[m->len++] = '\0';
    m->data[m->len] = '\0';
    return 0;
}

int rpt_indicators_scan(const rpt_cptext *t, rpt_document *doc, rpt_buf *err)
{
    rpt_candidate *cs = NULL;
    size_t n = 0;
    rpt_buf m = RPT_BUF_INIT; /* every indicator's raw, metric and sentence, NUL-terminated */
    str_offsets *so = NULL;
    size_t(*lefts)[2] = NULL, (*topics)[2] = NULL;
    unsigned char *flags = NULL;
    const rpt_ind_rules *R = rpt_ind_rules_get();
    const metric_rules *M = metric_rules_get();
    if (!R || !M) {
        rpt_buf_puts(err, "indicators: malformed rule tables");
        return -1;
    }
    if (rpt_indicators_find(t, doc->sections, doc->n_sections, &cs, &n)) goto oom;
    if (n == 0) {
        free(cs);
        return 0;
    }
    doc->indicators = calloc(n, sizeof *doc->indicators);
    lefts = calloc(n, sizeof *lefts);
    topics = calloc(n, sizeof *topics);
    flags = calloc(n, 1);
    so = malloc(n * sizeof *so);
    if (!doc->indicators || !lefts || !topics || !flags || !so) goto oom;
    if (rpt_buf_reserve(&m, n * 256)) goto oom;
    int head_sec = -1; /* the section whose heading category is head_cat */
    int me_sec = -1;   /* the section whose marker ends at me */
    size_t me = 0;
    const char *head_cat = NULL;
    size_t si = 0;
    int sec = -1;
    size_t sent_a = 0, sent_b = 0, sent_floor = 0, sent_cue = (size_t)-1;
    const char *sent_cat = NULL;
    int sent_cat_done = 0;
    for (size_t j = 0; j < n; j++) {
        const rpt_candidate *c = &cs[j];
        rpt_indicator *x = &doc->indicators[j];
        doc->n_indicators = j + 1;
        while (si < doc->n_sections && doc->sections[si].start <= c->start)
            sec = (int)si++;
        x->section = sec;
        x->start = c->start;
        x->end = c->end;
        x->value = c->value;
        x->has_value_high = c->has_high;
        x->value_high = c->value_high;
        rpt_part part = sec >= 0 ? doc->sections[sec].part : RPT_PART_REVIEW;

        if (c->start >= sent_b) {
            /* a new sentence: its bounds, its first goal word and its topical category are
             * looked up once for all the amounts in it (candidates come in text order) */
            size_t lo = c->start >= SENTENCE_SCAN_MAX ? c->start - SENTENCE_SCAN_MAX : 0;
            sent_a = delim_back(t->cp, lo > sent_floor ? lo : sent_floor, c->start, 1);
            size_t hi = t->n - c->end > SENTENCE_SCAN_MAX ? c->end + SENTENCE_SCAN_MAX : t->n;
            sent_b = delim_fwd(t->cp, c->end, hi, 1);
            sent_floor = sent_b;
            sent_cue = first_target_cue(R, t, sent_a, sent_b);
            sent_cat = NULL, sent_cat_done = 0;
        }
        size_t ss = c->start > sent_a + SENTENCE_MAX ? c->start - SENTENCE_MAX : sent_a;
        size_t se = c->end + SENTENCE_MAX < sent_b ? c->end + SENTENCE_MAX : sent_b;
        size_t cs0 = c->start, ce0 = c->after_end > c->end ? c->after_end : c->end;
        cs0 = delim_back(t->cp, ss, cs0, 0);
        ce0 = delim_fwd(t->cp, ce0, se, 0);

        x->kind = part == RPT_PART_PLAN || sent_cue <= c->start ? RPT_KIND_TARGET : RPT_KIND_ACTUAL;
        rpt_qualifier q = c->qualifier;
        if (q == RPT_QUAL_NONE && c->suffix_qualifier != RPT_QUAL_NONE) {
            q = c->suffix_qualifier;
            if (q == RPT_QUAL_OVER && x->kind == RPT_KIND_TARGET) q = RPT_QUAL_AT_LEAST;
        }
        if (q == RPT_QUAL_NONE) {
            int k = 0;
            if (rpt_wordset_any(&R->q_clause, t, cs0, c->start, NULL, &k)) q = R->q_clause_v[k];
        }
        x->qualifier = q;

        /* metric: the clause around the number, bounded by the neighbouring indicators */
        size_t pr[5][2];
        if (sec >= 0) {
            /* on a heading line ("1.力争新建学校5所") the marker is no part of the label */
            if (me_sec != sec) me = marker_end(&doc->sections[sec]), me_sec = sec;
            if (cs0 < me && c->start >= me) cs0 = me;
        }
        metric_parts(R, M, t, cs, n, j, ss, cs0, ce0, lefts, topics, flags, pr);
        size_t la = pr[2][0], lb = pr[2][1], ra = pr[4][0], rb = pr[4][1];
        size_t nhan = han_upto(t, pr[1][0], pr[1][1], 2) + han_upto(t, la, lb, 2) +
                      han_upto(t, pr[3][0], pr[3][1], 2) + han_upto(t, ra, rb, 2);
        int follows_change = j > 0 && (flags[j - 1] & M_CHANGE_FROM);
        so[j].metric = m.len;
        if (follows_change || (nhan < 2 && j > 0 && cs[j - 1].end + 4 >= c->start)) {
            /* 金牌总数第一(99枚), 从3.68万亿元增长到4.93万亿元: the label belongs to the
             * previous amount (reserved first: the copy comes from the same buffer) */
            if (rpt_buf_reserve(&m, so[j - 1].metric_len)) goto oom;
            if (rpt_buf_append(&m, m.data + so[j - 1].metric, so[j - 1].metric_len)) goto oom;
            if (follows_change) lefts[j][0] = lefts[j - 1][0], lefts[j][1] = lefts[j - 1][1];
        } else {
            for (int k = (flags[j] & M_USE_TOPIC) ? 0 : 1; k < 5; k++)
                if (pr[k][1] > pr[k][0] && append_label(&m, M, t, pr[k][0], pr[k][1])) goto oom;
        }
        drop_unmatched(&m, so[j].metric);
        so[j].metric_len = m.len - so[j].metric;
        if (rpt_buf_putc(&m, '\0')) goto oom;

        size_t win[3][2] = {{la, lb}, {ra, rb}, {cs0, ce0}};
        int need_sentence = 0;
        const char *cat = categorise(R, M, t, win, c, &need_sentence);
        if (need_sentence) {
            if (!sent_cat_done) sent_cat = category_in(R, t, sent_a, sent_b, 0), sent_cat_done = 1;
            cat = sent_cat;
            /* money words elsewhere in the sentence do not make a count or a rate funding */
            if (cat && strcmp(cat, "funding") == 0 && !rpt_unit_is(c->unit, "元")) cat = NULL;
        }
        if (!cat && sec >= 0) {
            if (head_sec != sec) { /* looked up once per section */
                size_t ha = doc->sections[sec].start, hb = doc->sections[sec].title_end;
                head_cat = category_in(R, t, ha, hb, 0);
                if (!head_cat) head_cat = category_in(R, t, ha, hb, 1);
                head_sec = sec;
            }
            cat = head_cat;
        }
        if (!cat) cat = "other";
        x->category = cat;

        so[j].raw = m.len;
        if (append_text(&m, t, c->start, c->end)) goto oom;
        so[j].sentence = m.len;
        if (append_text(&m, t, ss, se)) goto oom;
    }
    /* the strings point into one block that the document owns (the unit is a static name
     * from the rule tables) */
    size_t total = m.len;
    doc->indicator_strings = rpt_buf_steal(&m);
    for (size_t j = 0; j < n; j++) {
        rpt_indicator *x = &doc->indicators[j];
        x->raw = doc->indicator_strings + so[j].raw;
        x->raw_len = so[j].sentence - so[j].raw - 1;
        x->unit = (char *)cs[j].unit;
        x->unit_len = strlen(cs[j].unit);
        x->metric = doc->indicator_strings + so[j].metric;
        x->metric_len = so[j].metric_len;
        x->sentence = doc->indicator_strings + so[j].sentence;
        x->sentence_len = (j + 1 < n ? so[j + 1].metric : total) - so[j].sentence - 1;
    }
    free(cs);
    free(so);
    free(lefts);
    free(topics);
    free(flags);
    return 0;
oom:
    doc->n_indicators = 0; /* no strings are set yet */
    free(so);
    free(cs);
    free(lefts);
    free(topics);
    free(flags);
    rpt_buf_free(&m);
    rpt_buf_puts(err, "indicators: out of memory");
    return -1;
}

int rpt_indicators_extract(rpt_document *doc, rpt_buf *err)
{
    if (!doc->text) return 0;
    const rpt_cptext *t = rpt_cptext_of(doc);
    if (!t) {
        rpt_buf_puts(err, "indicators: out of memory (text index)");
        return -1;
    }
    int rc = rpt_indicators_scan(t, doc, err);
    /* the index is as large as the text several times over: do not keep it */
    if (doc->index_free) doc->index_free(doc->index);
    doc->index = NULL;
    doc->index_free = NULL;
    return rc;
}
