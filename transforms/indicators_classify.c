/* Kind, qualifier and category of an indicator: whether the amount is a target or an actual
 * figure, how it is qualified (约, 以上, 不低于), and the category of what it measures, from
 * the category words near it (rules/categories.h), its sentence and its section heading. */
#include <string.h>

#include "transforms/cptext.h"
#include "transforms/indicators_describe.h"
#include "transforms/indicators_rules.h"

/* End of the first word in [a, b) stating a goal, or (size_t)-1: amounts after it are
 * targets. */
size_t rpt_first_target_cue(const rpt_ind_rules *R, const rpt_cptext *t, size_t a, size_t b)
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

/* Category from the words near the amount: topical words in the metric, then in its
 * clause, then generic ones likewise; then a few units; then topical words anywhere in the
 * sentence (looked up by the caller, lazily). The words before the amount count before those
 * after it; within one window the first rule wins. One pass over the windows finds the best
 * rule of each window for both groups; positions where no category word of either group
 * starts are skipped with one bitmap test. */
static const char *categorise(const rpt_ind_rules *R, const rpt_metric_rules *M, const rpt_cptext *t,
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
        /* the positions where no category word starts (by its first two code points) */
        i = rpt_start_skip(&M->category_starts, t->cp, i, hi);
        if (i >= hi) break;
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

void rpt_classify_kind(const rpt_describe *d, const rpt_candidate *c, rpt_part part,
                       size_t clause_start, rpt_indicator *x)
{
    const rpt_ind_rules *R = d->R;
    x->kind = part == RPT_PART_PLAN || d->sent_cue <= c->start ? RPT_KIND_TARGET : RPT_KIND_ACTUAL;
    rpt_qualifier q = c->qualifier;
    if (q == RPT_QUAL_NONE && c->suffix_qualifier != RPT_QUAL_NONE) {
        q = c->suffix_qualifier;
        if (q == RPT_QUAL_OVER && x->kind == RPT_KIND_TARGET) q = RPT_QUAL_AT_LEAST;
    }
    if (q == RPT_QUAL_NONE) {
        int k = 0;
        if (rpt_wordset_any(&R->q_clause, d->t, clause_start, c->start, NULL, &k))
            q = R->q_clause_v[k];
    }
    x->qualifier = q;
}

const char *rpt_classify_category(rpt_describe *d, const rpt_candidate *c,
                                  const rpt_metric_parts *p, rpt_span clause, int sec)
{
    const rpt_ind_rules *R = d->R;
    const rpt_cptext *t = d->t;
    size_t win[3][2] = {{p->left.a, p->left.b}, {p->right.a, p->right.b}, {clause.a, clause.b}};
    int need_sentence = 0;
    const char *cat = categorise(R, d->M, t, win, c, &need_sentence);
    if (need_sentence) {
        if (!d->sent_cat_done)
            d->sent_cat = category_in(R, t, d->sent.a, d->sent.b, 0), d->sent_cat_done = 1;
        cat = d->sent_cat;
        /* money words elsewhere in the sentence do not make a count or a rate funding */
        if (cat && strcmp(cat, "funding") == 0 && !rpt_unit_is(c->unit, "元")) cat = NULL;
    }
    if (!cat && sec >= 0) {
        if (d->head_sec != sec) { /* looked up once per section */
            size_t ha = d->doc->sections[sec].start, hb = d->doc->sections[sec].title_end;
            d->head_cat = category_in(R, t, ha, hb, 0);
            if (!d->head_cat) d->head_cat = category_in(R, t, ha, hb, 1);
            d->head_sec = sec;
        }
        cat = d->head_cat;
    }
    return cat ? cat : "other";
}
