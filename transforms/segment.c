/* Segmentation stage: finds the numbered headings of a report and builds its section tree.
 *
 * A heading is a numbered marker at the start of a line (after blanks): "一、" style,
 * "(一)"/"（一）" style, "1." / "1、" / "1．" style (a bare "1" directly followed by text counts
 * when the numbering sequence confirms it). "(1)", "①", "第一" and "一是" items are points
 * inside a section, not headings (GOLD_GUIDE.md). Depth follows the order in
 * which marker styles first appear, so repeated or skipped numbers ("(三)" twice) never
 * misnest a section. The title runs to the first 。：:；; or the line end; the body may go on
 * on the same line. Each section's part (review/problems/plan) comes from its top-level
 * ancestor's title (rules/parts.h). */
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "transforms/cptext.h"
#include "transforms/extract.h"
#include "transforms/numerals.h"
#include "transforms/rules/parts.h"
#include "transforms/segment_scan.h"

enum { STYLE_CN = 0, STYLE_PAREN_CN, STYLE_ARABIC, STYLE_COUNT };

/* A short unnumbered line that names a part of the report ("2026年重点工作"). */
typedef struct part_line {
    size_t start;
    rpt_part part;
} part_line;

#define PART_LINE_MAX 24 /* code points */

/* Whether [a, b) is a short title-like line (no sentence punctuation, no page chrome). */
static int title_like(const rpt_cptext *t, size_t a, size_t b)
{
    if (b <= a || b - a > PART_LINE_MAX) return 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = t->cp[i];
        if (c == 0x3002 || c == 0xFF0C || c == ',' || c == 0xFF1A || c == ':' || c == '|' ||
            c == '>' || c == 0xFF1B || c == ';')
            return 0;
    }
    return 1;
}

typedef struct heading {
    size_t start, marker_end, title_end, line_end;
    int style;
    int num;
    int bare;
} heading;

static int is_open_paren(uint32_t c)
{
    return c == '(' || c == 0xFF08;
}

static int is_close_paren(uint32_t c)
{
    return c == ')' || c == 0xFF09;
}

/* Parses a small Chinese ordinal (一 .. 九十九) at i; returns its length and value. */
static inline size_t cn_ordinal(const rpt_cptext *t, size_t i, int *num)
{
    size_t k = 0;
    while (k < 3 && i + k < t->n && (rpt_cn_digit(t->cp[i + k]) > 0 || t->cp[i + k] == 0x5341))
        k++;
    if (k == 0) return 0;
    double v = 0;
    if (rpt_parse_cn(t, i, &v) != k || v < 1 || v > 99) return 0;
    *num = (int)v;
    return k;
}

/* Parses 1-2 Arabic digits at i (not followed by another digit). */
static size_t arabic_ordinal(const rpt_cptext *t, size_t i, int *num)
{
    size_t k = 0;
    int v = 0;
    while (k < 3 && i + k < t->n && rpt_cp_digit(t->cp[i + k]) >= 0) {
        v = v * 10 + rpt_cp_digit(t->cp[i + k]);
        k++;
    }
    if (k == 0 || k > 2 || v == 0) return 0;
    *num = v;
    return k;
}

/* Characters after a bare number that make it a quantity or a date, not a heading. */
static const char *const BARE_NOT_HEADING[] = {"年", "月", "日", "号", "时", "点", "个", "所", "名",
                                               "人", "项", "次", "万", "亿", "千", "百", "元", "家",
                                               "件", "位", "届", "级", "岁", "天", "周", "批", "期",
                                               "条", "种", "类", "倍", "成", "分", "秒", NULL};

/* Recognises a marker at code point p (first non-blank of a line). Fills h and returns 1. */
static int scan_marker(const rpt_cptext *t, size_t p, heading *h)
{
    const uint32_t *cp = t->cp;
    size_t k;
    int num = 0;
    memset(h, 0, sizeof *h);
    h->start = p;
    if ((k = cn_ordinal(t, p, &num)) > 0) {
        uint32_t c = cp[p + k];
        if (c == 0x3001 || c == 0xFF0E || (c == '.' && rpt_cp_digit(cp[p + k + 1]) < 0)) {
            h->style = STYLE_CN, h->num = num, h->marker_end = p + k + 1;
            return 1;
        }
        return 0;
    }
    if (is_open_paren(cp[p])) {
        if ((k = cn_ordinal(t, p + 1, &num)) > 0 && is_close_paren(cp[p + 1 + k])) {
            h->style = STYLE_PAREN_CN, h->num = num, h->marker_end = p + k + 2;
            return 1;
        }
        return 0;
    }
    if ((k = arabic_ordinal(t, p, &num)) > 0) {
        uint32_t c = cp[p + k];
        if (c == 0x3001 || ((c == '.' || c == 0xFF0E) && rpt_cp_digit(cp[p + k + 1]) < 0 &&
                            cp[p + k + 1] != '\n' && cp[p + k + 1] != 0)) {
            h->style = STYLE_ARABIC, h->num = num, h->marker_end = p + k + 1;
            return 1;
        }
        if (rpt_cp_is_han(c) && !rpt_cp_match_any(t, p + k, BARE_NOT_HEADING, NULL)) {
            h->style = STYLE_ARABIC, h->num = num, h->marker_end = p + k, h->bare = 1;
            return 1;
        }
    }
    return 0;
}

static int ends_title(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1A || c == ':' || c == 0xFF1B || c == ';' || c == '\n';
}

static int trailing_punct(uint32_t c)
{
    return rpt_cp_is_space(c) || c == 0xFF0C || c == ',' || c == 0x3001 || c == 0xFF0E || c == '.' ||
           c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* A bare number is a heading only when the sequence confirms it: it follows an Arabic heading
 * numbered one less (with no other style between), or it is 1 and the next Arabic heading
 * before any other style is 2. */
static int bare_confirmed(const heading *hs, size_t nh, size_t i)
{
    const heading *h = &hs[i];
    for (size_t j = i; j-- > 0;) {
        if (hs[j].style != STYLE_ARABIC) break;
        if (hs[j].bare) continue;
        if (hs[j].num == h->num - 1) return 1;
        break;
    }
    if (h->num == 1)
        for (size_t j = i + 1; j < nh; j++) {
            if (hs[j].style != STYLE_ARABIC) break;
            if (hs[j].bare) continue;
            return hs[j].num == 2;
        }
    return 0;
}

static int first_year(const rpt_cptext *t, size_t a, size_t b)
{
    for (size_t i = a; i + 4 < b; i++) {
        if (rpt_cp_digit(t->cp[i]) < 0 || (i > a && rpt_cp_digit(t->cp[i - 1]) >= 0)) continue;
        int y = 0, k = 0;
        while (k < 5 && rpt_cp_digit(t->cp[i + (size_t)k]) >= 0)
            y = y * 10 + rpt_cp_digit(t->cp[i + (size_t)k]), k++;
        if (k == 4 && y >= 1949 && y <= 2100 && t->cp[i + 4] == 0x5E74 /* 年 */) return y;
    }
    return 0;
}

#define N_PART_RULES (sizeof RPT_PART_RULES / sizeof *RPT_PART_RULES)

/* The words of RPT_PART_RULES as a word set (word k is rule k), built once per process. */
static rpt_wordset part_words;
static int part_words_ok;
static pthread_once_t part_words_once = PTHREAD_ONCE_INIT;

static void part_words_build(void)
{
    static const char *words[N_PART_RULES + 1];
    for (size_t r = 0; r < N_PART_RULES; r++)
        words[r] = RPT_PART_RULES[r].word;
    part_words_ok = rpt_wordset_init(&part_words, words) == 0;
}

static int part_of_title_slow(const rpt_cptext *t, size_t a, size_t b);

/* Part named by the part keywords in [a, b) (problems before plan before review, a weak plan
 * word last), or -1. */
static int part_of_title(const rpt_cptext *t, size_t a, size_t b)
{
    int found[3] = {0, 0, 0}, weak_plan = 0;
    pthread_once(&part_words_once, part_words_build);
    if (!part_words_ok) return part_of_title_slow(t, a, b);
    const rpt_wordset *ws = &part_words;
    if (b > t->n) b = t->n;
    for (size_t i = a; i < b; i++) {
        /* every rule word that starts at i and ends by b */
        uint32_t c = t->cp[i];
        for (int k = ws->head[c % RPT_WORDSET_BUCKETS]; k >= 0; k = ws->next[k]) {
            const rpt_part_rule *rule = &RPT_PART_RULES[k];
            if (ws->first[k] != c || i + ws->cplen[k] > b || ws->len[k] > t->len - t->boff[i] ||
                memcmp(t->text + t->boff[i], ws->words[k], ws->len[k]) != 0)
                continue;
            if (rule->weak)
                weak_plan = 1;
            else
                found[rule->part] = 1;
        }
    }
    if (found[RPT_PART_PROBLEMS]) return RPT_PART_PROBLEMS;
    if (found[RPT_PART_PLAN]) return RPT_PART_PLAN;
    if (found[RPT_PART_REVIEW]) return RPT_PART_REVIEW;
    return weak_plan ? RPT_PART_PLAN : -1;
}

/* The same with the rule list tried at every code point (when the word set could not be
 * built: a rule list longer than a word set holds). */
static int part_of_title_slow(const rpt_cptext *t, size_t a, size_t b)
{
    int found[3] = {0, 0, 0}, weak_plan = 0;
    for (size_t i = a; i < b; i++)
        for (size_t r = 0; r < N_PART_RULES; r++) {
            size_t m = rpt_cp_match(t, i, RPT_PART_RULES[r].word);
            if (!m || i + m > b) continue;
            if (RPT_PART_RULES[r].weak)
                weak_plan = 1;
            else
                found[RPT_PART_RULES[r].part] = 1;
        }
    if (found[RPT_PART_PROBLEMS]) return RPT_PART_PROBLEMS;
    if (found[RPT_PART_PLAN]) return RPT_PART_PLAN;
    if (found[RPT_PART_REVIEW]) return RPT_PART_REVIEW;
    return weak_plan ? RPT_PART_PLAN : -1;
}

/* Index of the first '\n' at or after code point i, or t->n. */
static size_t next_line_end(const rpt_cptext *t, size_t i)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi32('\n');
    for (; i + 16 <= t->n; i += 16) { /* sixteen code points per test, then four */
        const __m128i *p = (const __m128i *)(const void *)(t->cp + i);
        __m128i a = _mm_or_si128(_mm_cmpeq_epi32(_mm_loadu_si128(p), nl),
                                 _mm_cmpeq_epi32(_mm_loadu_si128(p + 1), nl));
        __m128i b = _mm_or_si128(_mm_cmpeq_epi32(_mm_loadu_si128(p + 2), nl),
                                 _mm_cmpeq_epi32(_mm_loadu_si128(p + 3), nl));
        if (_mm_movemask_epi8(_mm_or_si128(a, b))) break;
    }
    for (; i + 4 <= t->n; i += 4) { /* four code points per compare */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t->cp + i));
        int m = _mm_movemask_epi8(_mm_cmpeq_epi32(x, nl));
        if (m) return i + (size_t)__builtin_ctz((unsigned)m) / 4;
    }
#endif
    while (i < t->n && t->cp[i] != '\n')
        i++;
    return i;
}

/* The path of a section: its parent's path (when parent_path is not NULL) and " > ", then
 * its marker and title; one allocation. NULL when out of memory. */
static char *section_path(const char *parent_path, const char *marker, const char *title)
{
    size_t pl = parent_path ? strlen(parent_path) : 0, ml = strlen(marker), tl = strlen(title);
    size_t sep = parent_path ? 3 : 0;
    char *p = malloc(pl + sep + ml + tl + 1);
    if (!p) return NULL;
    memcpy(p, parent_path ? parent_path : "", pl);
    memcpy(p + pl, " > ", sep);
    memcpy(p + pl + sep, marker, ml);
    memcpy(p + pl + sep + ml, title, tl);
    p[pl + sep + ml + tl] = '\0';
    return p;
}

int rpt_segment_scan(const rpt_cptext *t, rpt_document *doc, rpt_buf *err)
{
    heading *hs = NULL;
    size_t nh = 0, cap = 0;
    part_line *pls = NULL;
    size_t npl = 0, plcap = 0;
    int ret = -1;

    for (size_t line = 0; line < t->n;) {
        size_t eol = line;
        eol = next_line_end(t, eol);
        size_t p = line;
        while (p < eol && rpt_cp_is_space(t->cp[p]))
            p++;
        heading h;
        if (p < eol && scan_marker(t, p, &h)) {
            size_t e = h.marker_end;
            while (e < eol && !ends_title(t->cp[e]))
                e++;
            h.title_end = e;
            h.line_end = eol;
            if (nh == cap) {
                size_t nc = cap ? cap * 2 : 32;
                heading *nhs = realloc(hs, nc * sizeof *hs);
                if (!nhs) goto oom;
                hs = nhs, cap = nc;
            }
            hs[nh++] = h;
        } else if (title_like(t, p, eol)) {
            int kw = part_of_title(t, p, eol);
            if (kw >= 0) {
                if (npl == plcap) {
                    size_t nc = plcap ? plcap * 2 : 8;
                    part_line *np = realloc(pls, nc * sizeof *pls);
                    if (!np) goto oom;
                    pls = np, plcap = nc;
                }
                pls[npl].start = p;
                pls[npl++].part = (rpt_part)kw;
            }
        }
        line = eol + 1;
    }
    /* drop bare numbers the sequence does not confirm */
    size_t kept = 0;
    for (size_t i = 0; i < nh; i++)
        if (!hs[i].bare || bare_confirmed(hs, nh, i)) hs[kept++] = hs[i];
    nh = kept;
    if (nh == 0) {
        ret = 0;
        goto done;
    }

    doc->sections = calloc(nh, sizeof *doc->sections);
    if (!doc->sections) goto oom;
    int style_depth[STYLE_COUNT] = {0};
    int n_styles = 0;
    int last_at_depth[STYLE_COUNT + 1];
    for (int d = 0; d <= STYLE_COUNT; d++)
        last_at_depth[d] = -1;
    /* years named in top-level titles, to tell review from plan when keywords are silent */
    int min_year = 0, max_year = 0;
    for (size_t i = 0; i < nh; i++) {
        if (!style_depth[hs[i].style]) style_depth[hs[i].style] = ++n_styles;
        if (style_depth[hs[i].style] != 1) continue;
        int y = first_year(t, hs[i].marker_end, hs[i].title_end);
        if (y && (!min_year || y < min_year)) min_year = y;
        if (y > max_year) max_year = y;
    }
    rpt_part top_part = RPT_PART_REVIEW;
    size_t pli = 0, prev_top = 0;
    for (size_t i = 0; i < nh; i++) {
        rpt_section *s = &doc->sections[i];
        const heading *h = &hs[i];
        s->ord = (int)i;
        s->start = h->start;
        s->end = i + 1 < nh ? hs[i + 1].start : t->n;
        s->depth = style_depth[h->style];
        size_t te = h->title_end;
        while (te > h->marker_end && trailing_punct(t->cp[te - 1]))
            te--;
        size_t ts = h->marker_end;
        while (ts < te && rpt_cp_is_space(t->cp[ts]))
            ts++;
        s->title_end = h->title_end;
        s->marker = rpt_cp_dup(t, h->start, h->marker_end);
        s->title = rpt_cp_dup(t, ts, te);
        if (!s->marker || !s->title) goto oom_sections;
        s->parent = -1;
        for (int d = s->depth - 1; d >= 1; d--)
            if (last_at_depth[d] >= 0) {
                s->parent = last_at_depth[d];
                break;
            }
        last_at_depth[s->depth] = (int)i;
        for (int d = s->depth + 1; d <= STYLE_COUNT; d++)
            last_at_depth[d] = -1;
        if (s->parent < 0) {
            int kw = part_of_title(t, ts, te);
            int y = first_year(t, ts, te);
            if (kw == RPT_PART_PROBLEMS)
                top_part = RPT_PART_PROBLEMS;
            else if (min_year && max_year > min_year && y == max_year)
                top_part = RPT_PART_PLAN;
            else if (min_year && max_year > min_year && y == min_year)
                top_part = RPT_PART_REVIEW;
            else if (kw >= 0)
                top_part = (rpt_part)kw;
            else {
                /* the last part-naming line since the previous top-level heading */
                int named = -1;
                while (pli < npl && pls[pli].start < h->start) {
                    if (pls[pli].start >= prev_top) named = (int)pls[pli].part;
                    pli++;
                }
                if (named >= 0) top_part = (rpt_part)named;
            }
            prev_top = h->start;
            s->part = top_part;
        } else {
            s->part = doc->sections[s->parent].part;
        }
        s->path = section_path(s->parent >= 0 ? doc->sections[s->parent].path : NULL, s->marker,
                               s->title);
        if (!s->path) goto oom_sections;
        doc->n_sections = i + 1;
    }
    ret = 0;
    goto done;
oom_sections:
    doc->n_sections = nh; /* calloc'ed: unfilled entries hold NULLs, freed by the clear */
oom:
    rpt_buf_puts(err, "segment: out of memory");
done:
    free(hs);
    free(pls);
    return ret;
}

int rpt_segment(rpt_document *doc, rpt_buf *err)
{
    if (!doc->text) return 0;
    const rpt_cptext *t = rpt_cptext_of(doc);
    if (!t) {
        rpt_buf_puts(err, "segment: out of memory (text index)");
        return -1;
    }
    return rpt_segment_scan(t, doc, err);
}
