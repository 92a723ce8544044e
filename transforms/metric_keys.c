/* Canonical metric keys and the year each number refers to: a pass over doc->indicators
 * after they are extracted and described.
 *
 * metric_key: among the keys of rules/metric_keys.h whose unit class fits the indicator's
 * unit, the one whose wording ends closest before the number in its metric label (the
 * longest wording on a tie), else in the clause before the number, else in the clause
 * before that when the number's own clause only says "同比增长". A growth key needs a
 * growth word after its wording. No key for a share of a keyed total ("占"), a "其中" subset,
 * a fall ("下降": the value is unsigned), or an average or total over several years (年均,
 * 五年, "十三五"). The category of a keyed indicator is the key's.
 *
 * period_year: the document's reviewed year outside the plan part, its plan year inside it;
 * an explicit "2013年" earlier in the sentence overrides (not a comparison base such as
 * "比2012年", not "2012年以来").
 *
 * Unkeyed indicators of government work reports whose category the education rules left
 * at "other" or "funding" take a category from the report words of rules/metric_keys.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/extract.h"
#include "transforms/rules/metric_keys.h"

#define N_DEFS (sizeof RPT_METRIC_DEFS / sizeof *RPT_METRIC_DEFS)
#define MAX_WORDINGS 512
#define N_BUCKETS 256

typedef struct wording {
    const char *s;
    unsigned char len;
    unsigned char def;
    unsigned char has_growth; /* the wording itself says growth (经济增长) */
} wording;

enum { UC_NONE = 0, UC_AMOUNT, UC_PERCENT, UC_COUNT, UC_AREA };

static struct {
    wording w[MAX_WORDINGS];
    size_t n;
    /* wordings by a hash of their first byte pair: index lists */
    short bucket[N_BUCKETS][24];
    unsigned char bucket_n[N_BUCKETS];
    int uclass[N_DEFS]; /* UC_* of each def (count_or_area: UC_COUNT, area accepted too) */
    int ok;
} K;

static pthread_once_t K_once = PTHREAD_ONCE_INIT;

static const char *const GROWTH_WORDS[] = {"增长", "增速", "增幅", "涨幅", "上涨", NULL};
static const char *const FALL_WORDS[] = {"下降", "回落", "减少", "降低", "下滑", NULL};
/* a number over several years, not the year's */
/* between a count wording and its number: the number counts these, not the key's things
 * ("重点项目(跆拳道)学校1个" counts schools) */
static const char *const OTHER_THINGS[] = {"学校", "幼儿园", "基地", "单位", "示范", "称号",
                                           "企业", "园区", NULL};
/* after a wording: the number is another rate about it ("对经济增长的贡献率") */
static const char *const OTHER_RATES[] = {"贡献", "比重", "占比", "拉动", NULL};
/* after a level's wording: the number is a difference ("比上年增加1.1万亿元") */
static const char *const COMPARED[] = {"比", "较", NULL};
static const char *const SPAN_WORDS[] = {"年均", "五年", "十二五", "十三五", "十四五",
                                         "十五五", "年来", "三年", "两年", NULL};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static unsigned bucket_of(const char *s)
{
    return ((unsigned char)s[0] * 31u + (unsigned char)s[1]) % N_BUCKETS;
}

static int contains_any(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (memmem(s, len, *words, strlen(*words))) return 1;
    return 0;
}

static int starts_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (!strncmp(s, *words, strlen(*words))) return 1;
    return 0;
}

static void build(void)
{
    for (size_t d = 0; d < N_DEFS; d++) {
        const rpt_metric_def *m = &RPT_METRIC_DEFS[d];
        K.uclass[d] = !strcmp(m->unit_class, "amount")    ? UC_AMOUNT
                      : !strcmp(m->unit_class, "percent") ? UC_PERCENT
                                                          : UC_COUNT;
        const char *p = m->wordings;
        while (*p) {
            const char *e = strchr(p, '|');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len < 2 || len > 255 || K.n >= MAX_WORDINGS) return;
            unsigned b = bucket_of(p);
            if (K.bucket_n[b] >= sizeof K.bucket[b] / sizeof *K.bucket[b]) return;
            wording *w = &K.w[K.n];
            w->s = p;
            w->len = (unsigned char)len;
            w->def = (unsigned char)d;
            w->has_growth = contains_any(p, len, GROWTH_WORDS);
            K.bucket[b][K.bucket_n[b]++] = (short)K.n++;
            p = e ? e + 1 : p + len;
        }
    }
    K.ok = 1;
}

/* Unit class of an indicator's unit. */
static int unit_class(const char *u)
{
    if (!u || !*u) return UC_NONE;
    if (!strcmp(u, "元") || !strcmp(u, "美元")) return UC_AMOUNT;
    if (!strcmp(u, "%")) return UC_PERCENT;
    if (!strcmp(u, "平方米")) return UC_AREA;
    static const char *const counts[] = {"人", "名", "人次", "人/次", "个", "所", "套", "户",
                                         "项", "家", "间", "处", "枚", "件", "篇", "幅", NULL};
    for (size_t i = 0; counts[i]; i++)
        if (!strcmp(u, counts[i])) return UC_COUNT;
    return UC_NONE;
}

/* Whether unit u is one of the "|"-separated list. */
static int unit_in(const char *u, const char *list)
{
    size_t ul = strlen(u);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == ul && !memcmp(p, u, len)) return 1;
        p = e ? e + 1 : p + len;
    }
    return 0;
}

static int fits(size_t d, int uc, const char *unit)
{
    int k = K.uclass[d];
    if (uc == UC_AREA)
        return !strcmp(RPT_METRIC_DEFS[d].unit_class, "count_or_area");
    if (k != uc) return 0;
    return uc != UC_COUNT || !RPT_METRIC_DEFS[d].units || unit_in(unit, RPT_METRIC_DEFS[d].units);
}

/* Whether s[0..len) holds a number other than a year ("2010年的"): the wording before
 * it names that number, not the one after it. */
static int number_between(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i])) continue;
        size_t e = i;
        while (e < len && (is_digit(s[e]) || s[e] == '.'))
            e++;
        if (!(e - i == 4 && e + 3 <= len && !memcmp(s + e, "年", 3))) return 1;
        i = e;
    }
    return 0;
}

/* Whether s[0..len), after its last "、", holds a number (not a year) in unit u: digits,
 * then magnitude words (万, 亿, 千) or 余/多, then u. */
static int same_unit_before(const char *s, size_t len, const char *u)
{
    size_t from = 0, ul = strlen(u);
    for (size_t i = 0; i + 3 <= len; i++)
        if (!memcmp(s + i, "、", 3)) from = i + 3;
    static const char *const mags[] = {"万", "亿", "千", "百", "余", "多", NULL};
    for (size_t i = from; i < len; i++) {
        if (!is_digit(s[i])) continue;
        size_t e = i;
        while (e < len && (is_digit(s[e]) || s[e] == '.'))
            e++;
        for (int again = 1; again;) {
            again = 0;
            for (size_t k = 0; mags[k]; k++)
                if (e + 3 <= len && !memcmp(s + e, mags[k], 3)) e += 3, again = 1;
        }
        if (ul && e + ul <= len && !memcmp(s + e, u, ul)) return 1;
        i = e;
    }
    return 0;
}

/* Whether one of the sub-scope words ends at s[i]. */
static int subscope_before(const char *s, size_t i)
{
    for (size_t k = 0; RPT_METRIC_SUBSCOPES[k]; k++) {
        size_t l = strlen(RPT_METRIC_SUBSCOPES[k]);
        if (i >= l && !memcmp(s + i - l, RPT_METRIC_SUBSCOPES[k], l)) return 1;
    }
    return 0;
}

/* Length of a key without "_growth": the measure a growth key is the change of. */
static size_t stem_len(const char *key)
{
    size_t l = strlen(key);
    return l > 7 && !strcmp(key + l - 7, "_growth") ? l - 7 : l;
}

typedef struct hit {
    size_t start, end;
    int w; /* index into K.w */
} hit;

#define MAX_HITS 32

/* The key for text s[0..len) that ends where the number stands: the def index, or -1.
 * With earlier_clause, s is a clause before the number's own clause, which says the growth
 * ("…完成274.4亿元" before "同比增长9.1%"): its amount and the lack of a growth word are
 * expected there. */
static int key_in(const char *s, size_t len, int uc, const char *unit, int earlier_clause)
{
    hit hits[MAX_HITS];
    int n = 0;
    for (size_t i = 0; i + 1 < len && n < MAX_HITS; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80) continue;
        unsigned b = bucket_of(s + i);
        for (unsigned k = 0; k < K.bucket_n[b] && n < MAX_HITS; k++) {
            const wording *w = &K.w[K.bucket[b][k]];
            if (i + w->len > len || memcmp(s + i, w->s, w->len)) continue;
            hits[n++] = (hit){i, i + w->len, K.bucket[b][k]};
        }
    }
    int best = -1;
    size_t best_end = 0, best_len = 0;
    for (int h = 0; h < n; h++) {
        int d = K.w[hits[h].w].def;
        if (!fits((size_t)d, uc, unit)) continue;
        size_t end = hits[h].end, wlen = end - hits[h].start;
        const rpt_metric_def *m = &RPT_METRIC_DEFS[d];
        /* a longer wording of another measure covers this one (人均地区生产总值) */
        int covered = 0;
        for (int o = 0; o < n && !covered; o++) {
            const rpt_metric_def *mo = &RPT_METRIC_DEFS[K.w[hits[o].w].def];
            covered = hits[o].start < hits[h].start && hits[o].end >= end &&
                      (stem_len(mo->key) != stem_len(m->key) ||
                       strncmp(mo->key, m->key, stem_len(m->key)));
        }
        if (covered || subscope_before(s, hits[h].start)) continue;
        const char *after = s + end;
        size_t alen = len - end;
        if (!earlier_clause && m->growth && !K.w[hits[h].w].has_growth && !contains_any(after, alen, GROWTH_WORDS)) continue;
        if (contains_any(after, alen, FALL_WORDS) || contains_any(after, alen, OTHER_RATES))
            continue;
        if (uc == UC_COUNT && contains_any(after, alen, OTHER_THINGS)) continue;
        if (!strstr(m->key, "share") && memmem(after, alen, "占", 3)) continue;
        /* a change of a level: "比2010年增加10525元" */
        if (!m->growth && uc != UC_PERCENT && contains_any(after, alen, COMPARED)) continue;
        if (!earlier_clause && number_between(after, alen)) continue;
        if (end > best_end || (end == best_end && wlen > best_len))
            best = d, best_end = end, best_len = wlen;
    }
    return best;
}

/* Start of the clause that ends at s[end] (after the last clause delimiter before it). */
static size_t clause_start(const char *s, size_t end)
{
    static const char *const delims[] = {"，", "；", "：", "。", "！", "？", NULL};
    size_t i = end;
    while (i > 0) {
        if (s[i - 1] == ',' || s[i - 1] == ';' || s[i - 1] == ':') return i;
        if (i >= 3)
            for (size_t k = 0; delims[k]; k++)
                if (!memcmp(s + i - 3, delims[k], 3)) return i;
        i--;
    }
    return 0;
}

/* The last year named in s[0..len) as the time of what follows ("2013年，…"), 0 when none. */
static int explicit_year(const char *s, size_t len)
{
    static const char *const before_not[] = {"比", "较", "同", "与", "自", "从", "于", "在", NULL};
    static const char *const after_not[] = {"以来", "来", "相比", "以前", "前", "水平", NULL};
    int year = 0;
    for (size_t i = 0; i + 7 <= len; i++) {
        if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
        if (!(is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]))) continue;
        if (memcmp(s + i + 4, "年", 3)) continue;
        int y = atoi(s + i);
        if (y < 1990 || y > 2100) continue;
        int bad = 0;
        for (size_t k = 0; before_not[k] && !bad; k++)
            bad = i >= 3 && !memcmp(s + i - 3, before_not[k], 3);
        for (size_t k = 0; after_not[k] && !bad; k++)
            bad = !strncmp(s + i + 7, after_not[k], strlen(after_not[k]));
        /* a span "2012-2014年", "2013年至2015年": not one year */
        bad |= i > 0 && (s[i - 1] == '-' || (i >= 3 && !memcmp(s + i - 3, "至", 3)));
        bad |= !strncmp(s + i + 7, "至", 3) || !strncmp(s + i + 7, "—", 3);
        if (!bad) year = y;
    }
    return year;
}

static const char *report_category(const char *label, size_t len)
{
    size_t n = sizeof RPT_REPORT_CATEGORY_RULES / sizeof *RPT_REPORT_CATEGORY_RULES;
    for (size_t i = 0; i < n; i++)
        if (memmem(label, len, RPT_REPORT_CATEGORY_RULES[i].word,
                   strlen(RPT_REPORT_CATEGORY_RULES[i].word)))
            return RPT_REPORT_CATEGORY_RULES[i].category;
    return NULL;
}

/* Verbs after a number that make it the starting point of a change
 * ("一般公共预算收入从874.6亿元增加到1112.4亿元"): not the year's figure. */
static const char *const BASE_OF_CHANGE[] = {"增加到", "增长到", "提高到", "提升到", "跃升到",
                                             "上升到", "扩大到", "增至", "增加至", "增长至",
                                             "提高至", "提升至", NULL};

static int key_of(const rpt_indicator *x, const char *before, size_t before_len, int uc,
                  const char *after_number, int gwr)
{
    if (after_number && starts_any(after_number, BASE_OF_CHANGE)) return -1;
    const char *unit = x->unit ? x->unit : "";
    size_t cs = clause_start(before, before_len);
    const char *clause = before + cs;
    size_t clen = before_len - cs;
    if (clen >= 6 && !memcmp(clause, "其中", 6)) return -1;
    if (contains_any(clause, clen, SPAN_WORDS)) return -1;
    /* totals of a five-year review ("累计接待游客17.52亿人次") */
    if (gwr && (memmem(clause, clen, "累计", 6) || memmem(clause, clen, "累积", 6))) return -1;
    /* "分别增长6%和7.4%": only the first number takes the first-named scope */
    const char *both = memmem(clause, clen, "分别", 6);
    if (both && number_between(both, clen - (size_t)(both - clause))) return -1;
    /* another number of the same unit stands before this one in the clause ("从2021年的
     * 46503元和16935元"): the label's words belong to that one */
    int crowded = same_unit_before(clause, clen, unit);
    size_t mlen = x->metric ? (x->metric_len ? x->metric_len : strlen(x->metric)) : 0;
    int d = -1;
    if (mlen && !crowded && !contains_any(x->metric, mlen, SPAN_WORDS))
        d = key_in(x->metric, mlen, uc, unit, 0);
    if (d < 0 && clen) d = key_in(clause, clen, uc, unit, 0);
    /* "…完成274.4亿元，同比增长9.1%" (or "…，按可比价计算，同比增长6.0%"): the measure is
     * named in a clause before; short clauses without numbers are stepped over */
    static const char *const SUBJECTLESS[] = {"同比", "比上年", "较上年", "比去年", "增长", "增速",
                                              "增幅", "预计", "分别", NULL};
    if (d < 0 && cs > 0 && clen <= 18 && contains_any(clause, clen, GROWTH_WORDS) &&
        starts_any(clause, SUBJECTLESS)) {
        size_t end = cs;
        for (int step = 0; step < 2 && d < 0 && end > 0; step++) {
            size_t prev_end = (unsigned char)before[end - 1] < 0x80 ? end - 1
                              : end >= 3                          ? end - 3
                                                                  : 0;
            size_t ps = clause_start(before, prev_end);
            if (ps >= end || contains_any(before + ps, end - ps, SPAN_WORDS)) break;
            d = key_in(before + ps, prev_end - ps, uc, unit, 1);
            /* only a short aside without a number is stepped over */
            if (d < 0 && (prev_end - ps > 24 || number_between(before + ps, prev_end - ps)))
                break;
            end = ps;
        }
    }
    return d;
}

/* Start of the sentence that holds byte b of text (after 。！？ or a line end), at most
 * 900 bytes back, on a UTF-8 boundary. */
static size_t sentence_start(const char *text, size_t b)
{
    size_t lo = b > 900 ? b - 900 : 0;
    size_t i = b;
    while (i > lo) {
        if (text[i - 1] == '\n') return i;
        if (i >= 3 && (!memcmp(text + i - 3, "。", 3) || !memcmp(text + i - 3, "！", 3) ||
                       !memcmp(text + i - 3, "？", 3)))
            return i;
        i--;
    }
    while (i < b && ((unsigned char)text[i] & 0xC0) == 0x80)
        i++;
    return i;
}

int rpt_metric_keys_assign(rpt_document *doc, rpt_buf *err)
{
    (void)err;
    pthread_once(&K_once, build);
    int gwr = doc->doc_type && !strcmp(doc->doc_type, "government_work_report");
    const char *text = doc->text;
    int plan_part = 0;
    for (size_t i = 0; i < doc->n_sections && !plan_part; i++)
        plan_part = doc->sections[i].part == RPT_PART_PLAN;
    size_t cp = 0, b = 0; /* code point cp starts at byte b of the text */
    for (size_t i = 0; i < doc->n_indicators; i++) {
        rpt_indicator *x = &doc->indicators[i];
        int in_section = x->section >= 0 && (size_t)x->section < doc->n_sections;
        /* a target outside any section, or in a report whose plan part has no heading */
        int plan = in_section ? doc->sections[x->section].part == RPT_PART_PLAN : 0;
        if (!plan && x->kind == RPT_KIND_TARGET && (!in_section || !plan_part)) plan = 1;
        x->period_year = plan && doc->plan_year ? doc->plan_year : doc->year;
        x->metric_key = NULL;
        /* the part of the sentence before the number */
        const char *before = "";
        size_t before_len = 0;
        if (text) {
            if (x->start < cp) cp = 0, b = 0;
            while (cp < x->start && b < doc->text_len) {
                b++;
                while (b < doc->text_len && ((unsigned char)text[b] & 0xC0) == 0x80)
                    b++;
                cp++;
            }
            if (cp == x->start) {
                size_t ss = sentence_start(text, b);
                before = text + ss, before_len = b - ss;
            }
        }
        if (before_len) {
            int y = explicit_year(before, before_len);
            if (y && (!doc->year || (y >= doc->year - 10 && y <= doc->year + 15)))
                x->period_year = y;
        }
        int uc = unit_class(x->unit);
        const char *after_number = NULL;
        if (before_len || (text && cp == x->start)) {
            size_t rl = x->raw_len ? x->raw_len : x->raw ? strlen(x->raw) : 0;
            if (b + rl <= doc->text_len) after_number = text + b + rl;
        }
        int d = K.ok && uc != UC_NONE
                    ? key_of(x, before, before_len, uc, after_number, gwr)
                    : -1;
        if (d >= 0) {
            x->metric_key = RPT_METRIC_DEFS[d].key;
            x->category = RPT_METRIC_DEFS[d].category;
        } else if (gwr && x->metric &&
                   (!x->category || !strcmp(x->category, "other") ||
                    !strcmp(x->category, "funding"))) {
            size_t mlen = x->metric_len ? x->metric_len : strlen(x->metric);
            const char *c = report_category(x->metric, mlen);
            if (c) x->category = c;
        }
    }
    return 0;
}
