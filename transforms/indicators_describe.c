/* Second pass of indicator extraction: gives each candidate its section, kind, final
 * qualifier, metric (a short label in the text's own words: the clause around the number,
 * bounded by neighbouring indicators and trimmed of connectives) and category. */
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "common/buf.h"
#include "daemon/metrics.h"
#include "transforms/cptext.h"
#include "transforms/extract.h"
#include "transforms/indicators_scan.h"
#include "transforms/numerals.h"
#include "transforms/indicators_rules.h"
#include "transforms/segment_scan.h"

#ifndef METRIC_LEFT_MAX
#define METRIC_LEFT_MAX 22
#endif
#ifndef METRIC_RIGHT_MAX
#define METRIC_RIGHT_MAX 14
#endif
#ifndef METRIC_SHORT
#define METRIC_SHORT 4 /* a label of fewer Han characters gets its topic in front */
#endif
#ifndef METRIC_TOPIC_MAX
#define METRIC_TOPIC_MAX 10
#endif
#ifndef SENTENCE_MAX
#define SENTENCE_MAX 120 /* code points kept on each side of the amount */
#endif
#define SENTENCE_SCAN_MAX 2000 /* longest sentence looked at for goal and topic words */

static int clause_delim(uint32_t c)
{
    return c == 0xFF0C || c == ',' || c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF1A ||
           c == ':' || c == 0xFF01 || c == '!' || c == 0xFF1F || c == '?' || c == '\n' || c == 0;
}

static int sentence_delim(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n' || c == 0;
}

/* End of the first word in [a, b) stating a goal, or (size_t)-1: amounts after it are
 * targets. */
static size_t first_target_cue(const rd_ind_rules *R, const rd_cptext *t, size_t a, size_t b)
{
    size_t at;
    int k;
    while (a < b && rd_wordset_any(&R->target_cues, t, a, b, &at, &k)) {
        size_t e = at + R->target_cues.cplen[k];
        /* 计划 as a noun (招生计划63名) is not a goal; as a verb (计划招聘) it is */
        if (k != R->plan_cue || (e < b && rd_cp_is_han(t->cp[e]))) return e;
        a = at + 1;
    }
    return (size_t)-1;
}

/* First category rule (topical or generic ones) whose word occurs in [a, b), or NULL. */
static const char *category_in(const rd_ind_rules *R, const rd_cptext *t, size_t a, size_t b,
                               int generic)
{
    if (a >= b) return NULL;
    int k = rd_wordset_first_rule(&R->category[generic], t, a, b);
    return k >= 0 ? R->category_name[generic][k] : NULL;
}

/* Category from the words near the amount: topical words in the metric, then in its
 * clause, then generic ones likewise; then a few units; then topical words anywhere in the
 * sentence (looked up by the caller, lazily). The words before the amount count before those
 * after it; within one window the first rule wins. One pass per group finds the best rule of
 * each window. */
static const char *categorise(const rd_ind_rules *R, const rd_cptext *t, const size_t win[][2],
                              const rd_candidate *c, int *need_sentence)
{
    size_t lo = win[2][0], hi = win[2][1];
    for (int w = 0; w < 2; w++)
        if (win[w][0] < win[w][1]) {
            if (win[w][0] < lo) lo = win[w][0];
            if (win[w][1] > hi) hi = win[w][1];
        }
    for (int g = 0; g <= 1; g++) {
        int in_left = -1, in_right = -1, in_clause = -1;
        for (size_t i = lo; i < hi; i++) {
            int k = rd_wordset_rule_at(&R->category[g], t, i, hi);
            if (k < 0) continue;
            size_t e = i + R->category[g].cplen[k];
            if (i >= win[0][0] && e <= win[0][1] && (in_left < 0 || k < in_left)) in_left = k;
            if (i >= win[1][0] && e <= win[1][1] && (in_right < 0 || k < in_right)) in_right = k;
            if (i >= win[2][0] && e <= win[2][1] && (in_clause < 0 || k < in_clause)) in_clause = k;
        }
        if (in_left >= 0) return R->category_name[g][in_left];
        if (in_right >= 0) return R->category_name[g][in_right];
        if (in_clause >= 0) return R->category_name[g][in_clause];
        if (g == 0 && c->is_rank) return "awards";
        if (g == 0 && strcmp(c->unit, "元") == 0) return "funding";
        if (g == 0 && strcmp(c->unit, "所") == 0) return "schools";
    }
    *need_sentence = 1;
    return NULL;
}

/* Code point offset just past a section's marker. */
static size_t marker_end(const rd_section *s)
{
    size_t ml = 0;
    for (const char *m = s->marker; m && *m; m++)
        if ((*m & 0xC0) != 0x80) ml++;
    return s->start + ml;
}

/* Trims words of the lists from both ends of [*a, *b). */
static void trim(const rd_cptext *t, size_t *a, size_t *b, const rd_wordset *head,
                 const rd_wordset *tail)
{
    for (int again = 1; again && *a < *b;) {
        again = 0;
        size_t m;
        if ((m = rd_ws_at(head, t, *a, NULL)) && *a + m <= *b) *a += m, again = 1;
        if (*a < *b && (m = rd_ws_before(tail, t, *b, NULL)) && *b - m >= *a) *b -= m, again = 1;
    }
}

static size_t han_count(const rd_cptext *t, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += rd_cp_is_han(t->cp[i]);
    return n;
}

/* Skips a leading time frame ("2024年", "2023年以来") at a: it dates the amount, it is not
 * what is measured. */
static size_t skip_time_frame(const rd_ind_rules *R, const rd_cptext *t, size_t a, size_t b)
{
    size_t p = a;
    while (p < b && p - a < 4 && rd_cp_digit(t->cp[p]) >= 0)
        p++;
    if (p - a != 4 || p >= b || t->cp[p] != 0x5E74 /* 年 */) return a;
    p++;
    size_t m = rd_ws_at(&R->time_frame_tail, t, p, NULL);
    return p + m <= b ? p + m : p;
}

/* Whether the words between two amounts, [a, b), open with a list joiner (、 和 及), after
 * a parenthesis that closes the first amount's note (62所（含教学点）、幼儿园41所). */
static int list_gap(const rd_ind_rules *R, const rd_cptext *t, size_t a, size_t b)
{
    size_t g = a;
    if (g < b && (t->cp[g] == '(' || t->cp[g] == 0xFF08)) {
        while (g < b && t->cp[g] != ')' && t->cp[g] != 0xFF09)
            g++;
        if (g < b) g++;
    }
    while (g < b && (t->cp[g] == ')' || t->cp[g] == 0xFF09 || rd_cp_is_space(t->cp[g])))
        g++;
    return g < b && rd_ws_at(&R->list_joiners, t, g, NULL) > 0;
}

/* The words of candidate j's metric, as three code point ranges in reading order: topic
 * (used when the label is short), left (before the amount) and right (after it). lefts[]
 * receives the left range of each candidate, for the ones that follow. */
static void metric_parts(const rd_ind_rules *R, const rd_cptext *t, const rd_candidate *cs,
                         size_t n, size_t j, size_t ss, size_t cs0, size_t ce0, size_t (*lefts)[2],
                         size_t (*topics)[2], size_t pr[3][2])
{
    const rd_candidate *c = &cs[j];
    const rd_candidate *prev =
        j > 0 && cs[j - 1].end > cs0 && cs[j - 1].end <= c->start ? &cs[j - 1] : NULL;
    size_t la = cs0, lb = c->start, shared = 0;
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
        /* 聘请21名法治副校长和17名安全副校长: the words between name the previous amount,
         * this one shares its verb */
        size_t g = lb;
        while (g > la && rd_cp_is_space(t->cp[g - 1]))
            g--;
        if (g > la && rd_cp_is_han(t->cp[pe]) && rd_ws_before(&R->list_joiners, t, g, NULL) &&
            rd_ws_before(&R->list_joiners, t, g, NULL) < g - la) {
            la = lefts[j - 1][0], lb = lefts[j - 1][1], shared = 1;
        }
    }
    size_t ra = c->after_end > c->end ? c->after_end : c->end, rb = ce0;
    if (t->cp[ra] == ')' || t->cp[ra] == 0xFF09) {
        rb = ra; /* 第一(99枚): a parenthetical amount */
    } else if (j + 1 < n && cs[j + 1].start < rb && cs[j + 1].start >= ra) {
        rb = cs[j + 1].start;
        /* 工作室1个、名师工作室15个: the words between belong to the next amount */
        if (list_gap(R, t, ra, rb)) rb = ra;
    }
    if (!shared) {
        trim(t, &la, &lb, &R->strip_head, &R->strip_tail);
        la = skip_time_frame(R, t, la, lb);
        trim(t, &la, &lb, &R->strip_head, &R->strip_tail);
    }
    trim(t, &ra, &rb, &R->strip_after_head, &R->strip_after_tail);
    if (lb - la > METRIC_LEFT_MAX) la = lb - METRIC_LEFT_MAX;
    if (rb - ra > METRIC_RIGHT_MAX) rb = ra + METRIC_RIGHT_MAX;
    lefts[j][0] = la, lefts[j][1] = lb;
    /* topic: 高中免学费592人补助47.36万元 -> 高中免学费; else the previous clause's words */
    size_t pa = 0, pb = 0;
    if (prev && !shared) {
        /* 高中免学费592人补助47.36万元: the clause's words before its first amount */
        pa = cs0, pb = prev->start;
        for (size_t k = j; k-- > 0 && cs[k].end > cs0;)
            if (cs[k].start >= cs0 && cs[k].start < pb) pb = cs[k].start;
    } else if (!prev && cs0 > ss) {
        size_t pe = cs0 - 1;
        pa = pe;
        while (pa > ss && !clause_delim(t->cp[pa - 1]))
            pa--;
        /* the previous clause's words up to its first number or amount (居全州第二位) */
        pb = pa;
        while (pb < pe && rd_cp_digit(t->cp[pb]) < 0 && rd_cn_digit(t->cp[pb]) < 0)
            pb++;
        for (size_t k = j; k-- > 0 && cs[k].end > pa;)
            if (cs[k].start >= pa && cs[k].start < pb) pb = cs[k].start;
        /* 一等奖2个,二等奖11个,三等奖22个: a list item's topic is the list's topic */
        if (j > 0 && cs[j - 1].start >= pa && cs[j - 1].start < pe &&
            han_count(t, pa, pb) < METRIC_SHORT && topics[j - 1][1] > topics[j - 1][0])
            pa = topics[j - 1][0], pb = topics[j - 1][1];
    }
    if (pb > pa) trim(t, &pa, &pb, &R->strip_head, &R->strip_tail);
    if (pb > pa && pb - pa > METRIC_TOPIC_MAX) pa = pb - METRIC_TOPIC_MAX;
    pr[0][0] = pa, pr[0][1] = pb > pa ? pb : pa;
    topics[j][0] = pr[0][0], topics[j][1] = pr[0][1];
    pr[1][0] = la, pr[1][1] = lb;
    pr[2][0] = ra, pr[2][1] = rb;
}

int rd_indicators_scan(const rd_cptext *t, rd_document *doc, rd_buf *err)
{
    rd_candidate *cs = NULL;
    size_t n = 0;
    rd_buf m = RD_BUF_INIT;
    size_t(*lefts)[2] = NULL, (*topics)[2] = NULL;
    const rd_ind_rules *R = rd_ind_rules_get();
    if (!R) {
        rd_buf_puts(err, "indicators: malformed rule tables");
        return -1;
    }
    if (rd_indicators_find(t, doc->sections, doc->n_sections, &cs, &n)) goto oom;
    if (n == 0) {
        free(cs);
        return 0;
    }
    doc->indicators = calloc(n, sizeof *doc->indicators);
    lefts = calloc(n, sizeof *lefts);
    topics = calloc(n, sizeof *topics);
    if (!doc->indicators || !lefts || !topics) goto oom;
    size_t si = 0;
    int sec = -1;
    size_t sent_a = 0, sent_b = 0, sent_floor = 0, sent_cue = (size_t)-1;
    const char *sent_cat = NULL;
    int sent_cat_done = 0;
    for (size_t j = 0; j < n; j++) {
        const rd_candidate *c = &cs[j];
        rd_indicator *x = &doc->indicators[j];
        doc->n_indicators = j + 1;
        while (si < doc->n_sections && doc->sections[si].start <= c->start)
            sec = (int)si++;
        x->section = sec;
        x->start = c->start;
        x->end = c->end;
        x->value = c->value;
        x->has_value_high = c->has_high;
        x->value_high = c->value_high;
        rd_part part = sec >= 0 ? doc->sections[sec].part : RD_PART_REVIEW;

        if (c->start >= sent_b) {
            /* a new sentence: its bounds, its first goal word and its topical category are
             * looked up once for all the amounts in it (candidates come in text order) */
            sent_a = c->start;
            while (sent_a > sent_floor && c->start - sent_a < SENTENCE_SCAN_MAX &&
                   !sentence_delim(t->cp[sent_a - 1]))
                sent_a--;
            sent_b = c->end;
            while (sent_b < t->n && sent_b - c->end < SENTENCE_SCAN_MAX &&
                   !sentence_delim(t->cp[sent_b]))
                sent_b++;
            sent_floor = sent_b;
            sent_cue = first_target_cue(R, t, sent_a, sent_b);
            sent_cat = NULL, sent_cat_done = 0;
        }
        size_t ss = c->start > sent_a + SENTENCE_MAX ? c->start - SENTENCE_MAX : sent_a;
        size_t se = c->end + SENTENCE_MAX < sent_b ? c->end + SENTENCE_MAX : sent_b;
        size_t cs0 = c->start, ce0 = c->after_end > c->end ? c->after_end : c->end;
        while (cs0 > ss && !clause_delim(t->cp[cs0 - 1]))
            cs0--;
        while (ce0 < se && !clause_delim(t->cp[ce0]))
            ce0++;

        x->kind = part == RD_PART_PLAN || sent_cue <= c->start ? RD_KIND_TARGET : RD_KIND_ACTUAL;
        rd_qualifier q = c->qualifier;
        if (q == RD_QUAL_NONE && c->suffix_qualifier != RD_QUAL_NONE) {
            q = c->suffix_qualifier;
            if (q == RD_QUAL_OVER && x->kind == RD_KIND_TARGET) q = RD_QUAL_AT_LEAST;
        }
        if (q == RD_QUAL_NONE) {
            int k = 0;
            if (rd_wordset_any(&R->q_clause, t, cs0, c->start, NULL, &k)) q = R->q_clause_v[k];
        }
        x->qualifier = q;

        /* metric: the clause around the number, bounded by the neighbouring indicators */
        size_t pr[3][2];
        if (sec >= 0) {
            /* on a heading line ("1.力争新建学校5所") the marker is no part of the label */
            size_t me = marker_end(&doc->sections[sec]);
            if (cs0 < me && c->start >= me) cs0 = me;
        }
        metric_parts(R, t, cs, n, j, ss, cs0, ce0, lefts, topics, pr);
        size_t la = pr[1][0], lb = pr[1][1], ra = pr[2][0], rb = pr[2][1];
        rd_buf_reset(&m);
        size_t nhan = han_count(t, la, lb) + han_count(t, ra, rb);
        if (nhan < 2 && j > 0 && doc->indicators[j - 1].metric && cs[j - 1].end + 4 >= c->start) {
            /* 金牌总数第一(99枚): the label belongs to the previous amount */
            if (rd_buf_puts(&m, doc->indicators[j - 1].metric)) goto oom;
        } else {
            for (int k = nhan < METRIC_SHORT ? 0 : 1; k < 3; k++) {
                if (pr[k][1] <= pr[k][0]) continue;
                char *part_text = rd_cp_dup(t, pr[k][0], pr[k][1]);
                int bad = !part_text || rd_buf_puts(&m, part_text);
                free(part_text);
                if (bad) goto oom;
            }
        }
        x->metric = rd_buf_steal(&m);
        if (!x->metric && !(x->metric = strdup(""))) goto oom;

        size_t win[3][2] = {{la, lb}, {ra, rb}, {cs0, ce0}};
        int need_sentence = 0;
        const char *cat = categorise(R, t, win, c, &need_sentence);
        if (need_sentence) {
            if (!sent_cat_done) sent_cat = category_in(R, t, sent_a, sent_b, 0), sent_cat_done = 1;
            cat = sent_cat;
        }
        if (!cat && sec >= 0) {
            size_t ha = doc->sections[sec].start, hb = doc->sections[sec].title_end;
            cat = category_in(R, t, ha, hb, 0);
            if (!cat) cat = category_in(R, t, ha, hb, 1);
        }
        if (!cat) cat = "other";
        x->category = cat;

        x->raw = rd_cp_dup(t, c->start, c->end);
        x->unit = strdup(c->unit);
        x->sentence = rd_cp_dup(t, ss, se);
        if (!x->raw || !x->unit || !x->sentence) goto oom;
    }
    free(cs);
    free(lefts);
    free(topics);
    rd_buf_free(&m);
    return 0;
oom:
    free(cs);
    free(lefts);
    free(topics);
    rd_buf_free(&m);
    rd_buf_puts(err, "indicators: out of memory");
    return -1;
}

static pthread_once_t metrics_once = PTHREAD_ONCE_INIT;

static void declare_metrics(void)
{
    rd_metrics_declare("reportd_extract_sections_total", RD_METRIC_COUNTER,
                       "Report sections (numbered headings) found");
    rd_metrics_declare("reportd_extract_indicators_total", RD_METRIC_COUNTER,
                       "Numeric indicators extracted, by kind");
    rd_metrics_declare("reportd_extract_documents_total", RD_METRIC_COUNTER,
                       "Documents through segmentation and extraction, by whether any "
                       "indicator was found");
}

/* Counts what extraction found in one document (one registry update per series). */
static void count_document(const rd_document *doc)
{
    size_t target = 0;
    for (size_t i = 0; i < doc->n_indicators; i++)
        target += doc->indicators[i].kind == RD_KIND_TARGET;
    pthread_once(&metrics_once, declare_metrics);
    rd_metrics_add("reportd_extract_sections_total", NULL, (double)doc->n_sections);
    rd_metrics_add("reportd_extract_indicators_total", "kind=\"actual\"",
                   (double)(doc->n_indicators - target));
    rd_metrics_add("reportd_extract_indicators_total", "kind=\"target\"", (double)target);
    rd_metrics_inc("reportd_extract_documents_total",
                   doc->n_indicators ? "indicators=\"yes\"" : "indicators=\"no\"");
}

int rd_indicators_extract(rd_document *doc, rd_buf *err)
{
    if (!doc->text) return 0;
    const rd_cptext *t = rd_cptext_of(doc);
    if (!t) {
        rd_buf_puts(err, "indicators: out of memory (text index)");
        return -1;
    }
    int rc = rd_indicators_scan(t, doc, err);
    if (rc == 0) count_document(doc);
    /* the index is as large as the text several times over: do not keep it */
    if (doc->index_free) doc->index_free(doc->index);
    doc->index = NULL;
    doc->index_free = NULL;
    return rc;
}
