/* Second pass of indicator extraction, per document: gives each candidate of the scanner
 * (transforms/indicators.c) its section, sentence, kind, final qualifier
 * (indicators_classify.c), metric (indicators_label.c) and category (indicators_classify.c),
 * and writes the raw text, metric and sentence of every indicator into one block of strings
 * that the document owns. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/extract.h"
#include "transforms/indicators_bounds.h"
#include "transforms/indicators_describe.h"
#include "transforms/indicators_rules.h"
#include "transforms/indicators_scan.h"
#include "transforms/segment_scan.h"

#ifndef SENTENCE_MAX
#define SENTENCE_MAX 120 /* code points kept on each side of the amount */
#endif
#define SENTENCE_SCAN_MAX 2000 /* longest sentence looked at for goal and topic words */

/* Byte offsets of one indicator's strings in the block being built. */
typedef struct str_offsets {
    size_t raw, metric, metric_len, sentence, raw_at, sentence_at, sentence_from;
} str_offsets;

/* One document being described: the state shared with the labeller and the classifier,
 * the block of strings under construction and where the driver stands in the text. */
typedef struct describe_run {
    rpt_describe d;
    rpt_document *doc;
    rpt_buf m;        /* every indicator's raw, metric and sentence, NUL-terminated */
    str_offsets *so;  /* one per candidate */
    size_t next_sec;  /* the first section not entered yet */
    int sec;          /* the section of the current candidate, -1 before the first */
    size_t sent_floor; /* end of the previous sentence: the next one starts no earlier */
    int me_sec;       /* the section whose marker ends at me */
    size_t me;
} describe_run;

/* Sets up r for the n candidates cs of doc (r->d.cs borrows them). Returns 0, or -1 when
 * out of memory (r can be cleared either way). */
static int run_init(describe_run *r, const rpt_ind_rules *R, const rpt_cptext *t, rpt_document *doc,
                    const rpt_candidate *cs, size_t n)
{
    memset(r, 0, sizeof *r);
    r->d.R = R;
    r->d.M = &R->metric;
    r->d.t = t;
    r->d.doc = doc;
    r->d.cs = cs;
    r->d.n = n;
    r->d.sent_cue = (size_t)-1;
    r->d.head_sec = -1;
    r->doc = doc;
    r->sec = -1;
    r->me_sec = -1;
    /* every field is set by describe_one() and attach_strings(): no zeroing */
    doc->indicators = malloc(n * sizeof *doc->indicators);
    /* candidate j's memo is written by rpt_label_parts() before any later candidate reads it */
    r->d.memo = malloc(n * sizeof *r->d.memo);
    r->so = malloc(n * sizeof *r->so);
    if (!doc->indicators || !r->d.memo || !r->so) return -1;
    return rpt_buf_reserve(&r->m, n * 256) ? -1 : 0;
}

/* Releases what r holds besides the string block (moved to the document, or freed by the
 * caller). */
static void run_clear(describe_run *r)
{
    free(r->so);
    free(r->d.memo);
    r->so = NULL;
    r->d.memo = NULL;
}

/* Enters the sections that start at or before position p (candidates come in text order). */
static void enter_sections(describe_run *r, size_t p)
{
    const rpt_document *doc = r->doc;
    while (r->next_sec < doc->n_sections && doc->sections[r->next_sec].start <= p)
        r->sec = (int)r->next_sec++;
}

/* Enters the sentence around candidate c: its bounds, its first goal word and (lazily) its
 * topical category are looked up once for all the amounts in it. */
static void enter_sentence(describe_run *r, const rpt_candidate *c)
{
    rpt_describe *d = &r->d;
    const rpt_cptext *t = d->t;
    size_t lo = c->start >= SENTENCE_SCAN_MAX ? c->start - SENTENCE_SCAN_MAX : 0;
    d->sent.a = rpt_delim_back(t->cp, lo > r->sent_floor ? lo : r->sent_floor, c->start, 1);
    size_t hi = t->n - c->end > SENTENCE_SCAN_MAX ? c->end + SENTENCE_SCAN_MAX : t->n;
    d->sent.b = rpt_delim_fwd(t->cp, c->end, hi, 1);
    r->sent_floor = d->sent.b;
    d->sent_cue = rpt_first_target_cue(d->R, t, d->sent.a, d->sent.b);
    d->sent_cat = NULL, d->sent_cat_done = 0;
}

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

/* Writes candidate j's metric label into the block, NUL-terminated, and records where.
 * Returns 0, or -1 when out of memory. */
static int write_metric(describe_run *r, size_t j, const rpt_metric_parts *p)
{
    str_offsets *so = r->so;
    so[j].metric = r->m.len;
    if (rpt_metric_write(&r->d, j, p, &r->m, j > 0 ? so[j - 1].metric : 0,
                         j > 0 ? so[j - 1].metric_len : 0))
        return -1;
    so[j].metric_len = r->m.len - so[j].metric;
    return rpt_buf_putc_fit(&r->m, '\0');
}

/* Describes candidate j into doc->indicators[j]. Returns 0, or -1 when out of memory. */
static int describe_one(describe_run *r, size_t j)
{
    rpt_describe *d = &r->d;
    const rpt_cptext *t = d->t;
    const rpt_candidate *c = &d->cs[j];
    rpt_document *doc = r->doc;
    rpt_indicator *x = &doc->indicators[j];
    doc->n_indicators = j + 1;
    enter_sections(r, c->start);
    int sec = r->sec;
    x->section = sec;
    x->metric_key = NULL; /* both set by the metric key pass */
    x->period_year = 0;
    x->start = c->start;
    x->end = c->end;
    x->value = c->value;
    x->has_value_high = c->has_high;
    x->value_high = c->value_high;
    rpt_part part = sec >= 0 ? doc->sections[sec].part : RPT_PART_REVIEW;

    if (c->start >= d->sent.b) enter_sentence(r, c);
    /* the sentence window (at most SENTENCE_MAX code points each side) and the clause */
    size_t ss = c->start > d->sent.a + SENTENCE_MAX ? c->start - SENTENCE_MAX : d->sent.a;
    size_t se = c->end + SENTENCE_MAX < d->sent.b ? c->end + SENTENCE_MAX : d->sent.b;
    rpt_span clause;
    clause.a = rpt_delim_back(t->cp, ss, c->start, 0);
    clause.b = rpt_delim_fwd(t->cp, c->after_end > c->end ? c->after_end : c->end, se, 0);

    rpt_classify_kind(d, c, part, clause.a, x);

    /* metric: the clause around the number, bounded by the neighbouring indicators */
    if (sec >= 0) {
        /* on a heading line ("1.力争新建学校5所") the marker is no part of the label */
        if (r->me_sec != sec) r->me = rpt_section_marker_end(&doc->sections[sec]), r->me_sec = sec;
        if (clause.a < r->me && c->start >= r->me) clause.a = r->me;
    }
    rpt_metric_parts parts;
    rpt_label_parts(d, j, ss, clause, &parts);
    if (write_metric(r, j, &parts)) return -1;

    x->category = rpt_classify_category(d, c, &parts, clause, sec);

    r->so[j].raw = r->m.len;
    if (append_text(&r->m, t, c->start, c->end)) return -1;
    r->so[j].sentence = r->m.len;
    r->so[j].raw_at = 1 + t->boff[c->start] - t->boff[ss];
    r->so[j].sentence_at = 1 + t->boff[ss];
    r->so[j].sentence_from = 1 + t->boff[d->sent.a];
    return append_text(&r->m, t, ss, se);
}

/* Hands the block of strings to the document and points every indicator's strings into it
 * (the unit is a static name from the rule tables). */
static void attach_strings(describe_run *r)
{
    rpt_document *doc = r->doc;
    const str_offsets *so = r->so;
    size_t n = r->d.n, total = r->m.len;
    doc->indicator_strings = rpt_buf_steal(&r->m);
    for (size_t j = 0; j < n; j++) {
        rpt_indicator *x = &doc->indicators[j];
        const rpt_candidate *c = &r->d.cs[j];
        x->raw = doc->indicator_strings + so[j].raw;
        x->raw_len = so[j].sentence - so[j].raw - 1;
        x->unit = (char *)c->unit;
        x->unit_len = strlen(c->unit);
        x->metric = doc->indicator_strings + so[j].metric;
        x->metric_len = so[j].metric_len;
        x->sentence = doc->indicator_strings + so[j].sentence;
        x->sentence_len = (j + 1 < n ? so[j + 1].metric : total) - so[j].sentence - 1;
        x->raw_at = so[j].raw_at;
        x->sentence_at = so[j].sentence_at;
        x->sentence_from = so[j].sentence_from;
    }
}

int rpt_indicators_scan(const rpt_cptext *t, rpt_document *doc, rpt_buf *err)
{
    rpt_candidate *cs = NULL;
    size_t n = 0;
    describe_run r;
    memset(&r, 0, sizeof r);
    const rpt_ind_rules *R = rpt_ind_rules_get();
    if (!R) {
        rpt_buf_puts(err, "indicators: malformed rule tables");
        return -1;
    }
    if (rpt_indicators_find(t, doc->sections, doc->n_sections, &cs, &n)) goto oom;
    if (n == 0) {
        free(cs);
        return 0;
    }
    if (run_init(&r, R, t, doc, cs, n)) goto oom;
    for (size_t j = 0; j < n; j++)
        if (describe_one(&r, j)) goto oom;
    attach_strings(&r);
    run_clear(&r);
    free(cs);
    return 0;
oom:
    doc->n_indicators = 0; /* no strings are set yet */
    run_clear(&r);
    rpt_buf_clear(&r.m);
    free(cs);
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
