#include "transforms/indicators_rules.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "transforms/rules/categories.h"
#include "transforms/rules/context.h"
#include "transforms/rules/metrics.h"
#include "transforms/rules/qualifiers.h"
#include "transforms/rules/units.h"

static rpt_ind_rules rules;
static int rules_ok;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

/* Indexes a qualifier table; fills the qualifier of each word. */
static int index_quals(rpt_wordset *ws, rpt_qualifier *v, const rpt_qual_rule *q)
{
    const char *words[RPT_WORDSET_MAX + 1];
    size_t n = 0;
    for (; q[n].word; n++) {
        if (n >= RPT_WORDSET_MAX) return -1;
        words[n] = q[n].word;
        v[n] = q[n].qualifier;
    }
    words[n] = NULL;
    return rpt_wordset_init(ws, words);
}

static int generic_category(const char *cat)
{
    for (int k = 0; RPT_GENERIC_CATEGORIES[k]; k++)
        if (strcmp(cat, RPT_GENERIC_CATEGORIES[k]) == 0) return 1;
    return 0;
}

/* Sets the bit of each word's first code point (below U+10000) of ws in first. */
static void mark_first(unsigned char *first, const rpt_wordset *ws)
{
    for (size_t k = 0; k < ws->n; k++)
        if (ws->first[k] < 0x10000) first[ws->first[k] / 8] |= (unsigned char)(1u << (ws->first[k] % 8));
}

/* Indexes the word lists of rules/metrics.h and the first-code-point bitmaps of metric
 * verbs, adverbs and category words (after the category sets are built). */
static int build_metric(rpt_ind_rules *r)
{
    rpt_metric_rules *m = &r->metric;
    struct {
        rpt_wordset *ws;
        const char *const *words;
    } lists[] = {
        {&m->verbs, RPT_METRIC_VERBS},
        {&m->adverbs, RPT_METRIC_ADVERBS},
        {&m->change_from, RPT_CHANGE_FROM},
        {&m->change_to, RPT_CHANGE_TO},
        {&m->change_time, RPT_CHANGE_TIME_WORDS},
        {&m->not_examples, RPT_NOT_EXAMPLES},
        {&m->purpose, RPT_METRIC_PURPOSE_CUES},
        {&m->generic_after_examples, RPT_GENERIC_AFTER_EXAMPLES},
        {&m->relative_heads, RPT_RELATIVE_HEADS},
        {&m->relative_changes, RPT_RELATIVE_CHANGES},
        {&m->result_verbs, RPT_RESULT_VERBS},
    };
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
        if (rpt_wordset_init(lists[k].ws, lists[k].words)) return -1;
    for (int g = 0; g <= 1; g++) {
        for (int w = 0; w < 64; w++)
            m->category_starts.pair_bits[w] |= r->category[g].starts.pair_bits[w];
        m->category_starts.solo_mask |= r->category[g].starts.solo_mask;
    }
    mark_first(m->verb_first, &m->verbs);
    mark_first(m->adverb_first, &m->adverbs);
    return 0;
}

static int build(void)
{
    rpt_ind_rules *r = &rules;
    const char *words[RPT_WORDSET_MAX + 1], *cn_words[RPT_WORDSET_MAX + 1];
    size_t n = 0, ncn = 0;
    const size_t nu = sizeof RPT_UNIT_RULES / sizeof *RPT_UNIT_RULES;
    if (nu > RPT_WORDSET_MAX) return -1;
    for (size_t k = 0; k < nu; k++) {
        const rpt_unit_rule *u = &RPT_UNIT_RULES[k];
        words[n] = u->word;
        r->unit_name[n] = u->unit ? u->unit : u->word;
        r->unit_flags[n++] = u->flags;
        if (u->flags & RPT_U_CN) {
            cn_words[ncn] = u->word;
            r->unit_cn_name[ncn] = u->unit ? u->unit : u->word;
            r->unit_cn_flags[ncn++] = u->flags;
        }
    }
    words[n] = cn_words[ncn] = NULL;
    if (rpt_wordset_init(&r->units, words) || rpt_wordset_init(&r->units_cn, cn_words)) return -1;

    const size_t nc = sizeof RPT_CATEGORY_RULES / sizeof *RPT_CATEGORY_RULES;
    const char *cat_words[2][RPT_WORDSET_MAX + 1];
    size_t cnt[2] = {0, 0};
    for (size_t k = 0; k < nc; k++) {
        int g = generic_category(RPT_CATEGORY_RULES[k].category);
        if (cnt[g] >= RPT_WORDSET_MAX) return -1;
        cat_words[g][cnt[g]] = RPT_CATEGORY_RULES[k].word;
        r->category_name[g][cnt[g]++] = RPT_CATEGORY_RULES[k].category;
    }
    cat_words[0][cnt[0]] = cat_words[1][cnt[1]] = NULL;
    if (rpt_wordset_init(&r->category[0], cat_words[0]) ||
        rpt_wordset_init(&r->category[1], cat_words[1]))
        return -1;

    if (index_quals(&r->q_prefix, r->q_prefix_v, RPT_QUAL_PREFIX) ||
        index_quals(&r->q_infix, r->q_infix_v, RPT_QUAL_INFIX) ||
        index_quals(&r->q_suffix, r->q_suffix_v, RPT_QUAL_SUFFIX) ||
        index_quals(&r->q_clause, r->q_clause_v, RPT_QUAL_CLAUSE))
        return -1;

    struct {
        rpt_wordset *ws;
        const char *const *words;
    } lists[] = {
        {&r->not_units, RPT_NOT_UNITS},
        {&r->target_cues, RPT_TARGET_CUES},
        {&r->rank_cues, RPT_RANK_CUES},
        {&r->rank_units, RPT_RANK_UNITS},
        {&r->money_cues, RPT_MONEY_CUES},
        {&r->bare_number_after, RPT_BARE_NUMBER_AFTER},
        {&r->slogan_after, RPT_SLOGAN_AFTER},
        {&r->cn_name_before, RPT_CN_NAME_BEFORE},
        {&r->topic_after, RPT_TOPIC_AFTER},
        {&r->capacity_after, RPT_CAPACITY_VERBS_AFTER},
        {&r->benchmark_after, RPT_BENCHMARK_AFTER},
        {&r->code_before, RPT_CODE_BEFORE},
        {&r->code_after, RPT_CODE_AFTER},
        {&r->list_joiners, RPT_LIST_JOINERS},
        {&r->strip_head, RPT_METRIC_STRIP_HEAD},
        {&r->strip_tail, RPT_METRIC_STRIP_TAIL},
        {&r->strip_after_head, RPT_METRIC_STRIP_AFTER_HEAD},
        {&r->strip_after_tail, RPT_METRIC_STRIP_AFTER_TAIL},
        {&r->time_frame_tail, RPT_TIME_FRAME_TAIL},
        {&r->capacity_before, RPT_CAPACITY_BEFORE},
        {&r->rules_title_after, RPT_RULES_TITLE_AFTER},
    };
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
        if (rpt_wordset_init(lists[k].ws, lists[k].words)) return -1;
    static const uint32_t numeral_starts[] = {0x3007, 0x4E00, 0x4E03, 0x4E09, 0x4E24,
                                              0x4E5D, 0x4E8C, 0x4E94, 0x516B, 0x516D,
                                              0x56DB, 0x5341, 0x7B2C, 0x96F6};
    for (uint32_t c = '0'; c <= '9'; c++) r->number_start[c] = 1;
    for (uint32_t c = 0xFF10; c <= 0xFF19; c++) r->number_start[c] = 1;
    for (size_t k = 0; k < sizeof numeral_starts / sizeof *numeral_starts; k++)
        r->number_start[numeral_starts[k]] = 1;
    r->plan_cue = -1;
    for (int k = 0; RPT_TARGET_CUES[k]; k++)
        if (strcmp(RPT_TARGET_CUES[k], "计划") == 0) r->plan_cue = k;
    return build_metric(r);
}

static void build_once(void)
{
    rules_ok = build() == 0;
}

const rpt_ind_rules *rpt_ind_rules_get(void)
{
    pthread_once(&rules_once, build_once);
    return rules_ok ? &rules : NULL;
}
