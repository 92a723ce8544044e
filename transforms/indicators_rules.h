/* The rule tables of indicator extraction (transforms/rules/) indexed as word sets, built
 * once per process and then shared read-only by every extraction. */
#ifndef REPORTD_TRANSFORMS_INDICATORS_RULES_H
#define REPORTD_TRANSFORMS_INDICATORS_RULES_H

#include <stdint.h>

#include "transforms/cptext.h"
#include "transforms/document.h"

/* The word lists of rules/metrics.h that shape metric labels, with bitmaps of the first
 * code points of the words that are looked for at every position of a label. */
typedef struct rpt_metric_rules {
    rpt_wordset verbs, adverbs, change_from, change_to, change_time, not_examples, purpose,
        generic_after_examples, relative_heads, relative_changes, result_verbs;
    /* bit c set when a verb (an adverb) starts with code point c below U+10000: labels are
     * scanned for them at every position */
    unsigned char verb_first[0x10000 / 8], adverb_first[0x10000 / 8];
    /* where the category words of both groups (rules/categories.h) may start (their first
     * two code points) */
    rpt_start_filter category_starts;
} rpt_metric_rules;

typedef struct rpt_ind_rules {
    rpt_wordset units, units_cn, not_units; /* units_cn: those allowed after Chinese numerals */
    const char *unit_name[RPT_WORDSET_MAX], *unit_cn_name[RPT_WORDSET_MAX];
    unsigned unit_flags[RPT_WORDSET_MAX], unit_cn_flags[RPT_WORDSET_MAX];
    rpt_wordset q_prefix, q_infix, q_suffix, q_clause;
    rpt_qualifier q_prefix_v[RPT_WORDSET_MAX], q_infix_v[RPT_WORDSET_MAX], q_suffix_v[RPT_WORDSET_MAX],
        q_clause_v[RPT_WORDSET_MAX];
    rpt_wordset target_cues, rank_cues, rank_units, money_cues, bare_number_after, slogan_after,
        cn_name_before, topic_after, capacity_after, benchmark_after, code_before, code_after,
        list_joiners, strip_head, strip_tail, strip_after_head, strip_after_tail, time_frame_tail,
        capacity_before, rules_title_after;
    int plan_cue; /* index of 计划 in target_cues (a goal only as a verb), -1 if absent */
    rpt_wordset category[2]; /* [0] topical, [1] generic words, each in rule order */
    /* 1 for the code points below U+10000 that can start a number or ranking: digits,
     * full-width digits, Chinese numerals, 第 (the scanner's per-character filter) */
    unsigned char number_start[0x10000];
    const char *category_name[2][RPT_WORDSET_MAX];
    rpt_metric_rules metric;
} rpt_ind_rules;

/* The indexed rules; NULL when a table is malformed (too long, empty word). */
const rpt_ind_rules *rpt_ind_rules_get(void);

/* Length of the longest word of ws at i, like rpt_ws_at(), after a look at the bitmap of
 * the first code points of its words (first). */
static inline size_t rpt_ws_at_first(const rpt_wordset *ws, const unsigned char *first,
                                     const rpt_cptext *t, size_t i)
{
    uint32_t c = i < t->n ? t->cp[i] : 0;
    if (c < 0x10000 && !(first[c / 8] & (1u << (c % 8)))) return 0;
    return rpt_ws_at(ws, t, i, NULL);
}

#endif
