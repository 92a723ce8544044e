/* Indicator extraction stage: finds every numeric quantity that measures something and
 * describes it (value with magnitudes applied, range, unit, qualifier, metric, kind,
 * category, section).
 *
 * One pass over the code points: a candidate starts at a digit, a Chinese numeral or 第
 * followed by a number; the number, magnitude (万/亿/千), 余/多 and the measure word are read
 * with table look-ups (rules/units.h, rules/qualifiers.h); context rules (rules/context.h)
 * reject dates, codes, ordinals, names and slogans. A second pass over the accepted
 * indicators derives metric, kind and category from the clause around each one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/cptext.h"
#include "transforms/extract.h"
#include "transforms/indicators_scan.h"
#include "transforms/numerals.h"
#include "transforms/indicators_rules.h"
#include "transforms/rules/units.h"
#include "transforms/segment_scan.h"

#define CP_DI 0x7B2C /* 第 */

static int is_clause_delim(uint32_t c)
{
    switch (c) {
    case 0xFF0C: /* ， */
    case ',':
    case 0x3002: /* 。 */
    case 0xFF1B: /* ； */
    case ';':
    case 0xFF1A: /* ： */
    case ':':
    case 0xFF01:
    case '!':
    case 0xFF1F:
    case '?':
    case '\n':
    case 0:
        return 1;
    default:
        return 0;
    }
}

/* Whether c is a CJK unified ideograph (U+3400..U+9FFF): no quote mark nor clause
 * delimiter, so the quotation scans step over it with one compare. */
static int is_ideograph(uint32_t c)
{
    return c - 0x3400 <= 0x9FFF - 0x3400;
}

static int is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_range_sep(uint32_t c)
{
    return c == '-' || c == 0xFF0D || c == 0x2014 || c == 0x2013 || c == '~' || c == 0xFF5E ||
           c == 0x81F3 /* 至 */ || c == 0x5230 /* 到 */;
}

/* rpt_unit_at with the rule tables already at hand (R not NULL): the number scanner calls it
 * for every candidate */
static inline size_t unit_at(const rpt_ind_rules *R, const rpt_cptext *t, size_t p,
                             int allow_cn, const char **unit, unsigned *flags)
{
    int k = 0;
    size_t best = rpt_ws_at(allow_cn ? &R->units_cn : &R->units, t, p, &k);
    if (!best || rpt_ws_at(&R->not_units, t, p, NULL) >= best) return 0;
    *unit = allow_cn ? R->unit_cn_name[k] : R->unit_name[k];
    *flags = allow_cn ? R->unit_cn_flags[k] : R->unit_flags[k];
    return best;
}

size_t rpt_unit_at(const rpt_cptext *t, size_t p, int allow_cn, const char **unit, unsigned *flags)
{
    const rpt_ind_rules *R = rpt_ind_rules_get();
    return R ? unit_at(R, t, p, allow_cn, unit, flags) : 0;
}

/* Whether the code point range [s, e) sits inside a short quotation (“四个意识”, "1530"). */
static int in_short_quote(const rpt_cptext *t, size_t s, size_t e)
{
    const uint32_t *cp = t->cp;
    size_t lim = 12;
    int open = 0;
    for (size_t k = 1; k <= lim && k <= s; k++) {
        uint32_t c = cp[s - k];
        if (is_ideograph(c)) continue;
        if (c == 0x201C || c == 0x300C || c == 0x300E) {
            open = 1;
            break;
        }
        if (c == 0x201D || c == 0x300D || c == 0x300F || is_clause_delim(c)) break;
    }
    if (open)
        for (size_t k = e; k < e + lim && k < t->n; k++) {
            uint32_t c = cp[k];
            if (is_ideograph(c)) continue;
            if (c == 0x201D || c == 0x300D || c == 0x300F) return 1;
            if (c == 0x201C || c == 0x300C || is_clause_delim(c)) break;
        }
    /* ASCII quotes: inside when one follows closely and an odd number of them precede on
     * the line */
    int closing = 0;
    for (size_t k = e; k < e + lim && k < t->n; k++) {
        if (is_ideograph(cp[k])) continue;
        if (cp[k] == '"') {
            closing = 1;
            break;
        }
        if (is_clause_delim(cp[k])) break;
    }
    if (!closing) return 0;
    size_t q = 0, ls = s;
    while (ls > 0 && cp[ls - 1] != '\n' && s - ls < 4000) {
        if (cp[ls - 1] == '"') q++;
        ls--;
    }
    return q % 2 == 1;
}

static size_t clause_start(const rpt_cptext *t, size_t i)
{
    while (i > 0 && !is_clause_delim(t->cp[i - 1]))
        i--;
    return i;
}

/* Qualifier of the longest word of ws (values v) ending before / starting at p. */
static rpt_qualifier qual_before(const rpt_wordset *ws, const rpt_qualifier *v, const rpt_cptext *t,
                                size_t s, size_t *len)
{
    int k = 0;
    *len = rpt_ws_before(ws, t, s, &k);
    return *len ? v[k] : RPT_QUAL_NONE;
}

static rpt_qualifier qual_at(const rpt_wordset *ws, const rpt_qualifier *v, const rpt_cptext *t,
                            size_t p, size_t *len)
{
    int k = 0;
    *len = rpt_ws_at(ws, t, p, &k);
    return *len ? v[k] : RPT_QUAL_NONE;
}

/* Arabic magnitude words after a number (万, 亿, 千, 百万, 千万, 万亿): their length, and the
 * power of ten in *exp10 (0 when none). The longer word wins; compared as code points. */
static size_t arabic_magnitude(const rpt_cptext *t, size_t p, int *exp10)
{
    uint32_t c = p < t->n ? t->cp[p] : 0;
    uint32_t next = p + 1 < t->n ? t->cp[p + 1] : 0;
    *exp10 = 0;
    switch (c) {
    case 0x4E07: /* 万 */
        *exp10 = next == 0x4EBF /* 亿 */ ? 12 : 4;
        return next == 0x4EBF ? 2 : 1;
    case 0x5343: /* 千 */
        *exp10 = next == 0x4E07 /* 万 */ ? 7 : 3;
        return next == 0x4E07 ? 2 : 1;
    case 0x767E: /* 百 */
        if (next != 0x4E07 /* 万 */) return 0;
        *exp10 = 6;
        return 2;
    case 0x4EBF: /* 亿 */
        *exp10 = 8;
        return 1;
    default:
        return 0; /* the usual case: no magnitude word starts here */
    }
}

/* Tries a ranking at 第 (position s): 全州第三, 第一名. Fills c and returns 1 when found. */
static int scan_rank(const rpt_cptext *t, size_t s, rpt_candidate *c)
{
    const rpt_ind_rules *R = rpt_ind_rules_get();
    size_t p = s + 1, k;
    double v = 0;
    int nd = 0;
    if (rpt_cp_digit(t->cp[p]) >= 0) {
        k = rpt_parse_arabic(t, p, &v, &nd);
        if (!k || v < 1 || nd > 3 || t->cp[p + k] == '.') return 0;
    } else {
        k = rpt_parse_cn(t, p, &v);
        if (!k || v < 1 || v > 999) return 0;
    }
    size_t e = p + k;
    int cue = rpt_ws_before(&R->rank_cues, t, s, NULL) > 0;
    size_t ru = rpt_ws_at(&R->rank_units, t, e, NULL);
    if (ru && rpt_ws_at(&R->not_units, t, e, NULL)) ru = 0;
    if (ru) {
        uint32_t after = t->cp[e + ru];
        /* 第一位的 (a priority), 第一名师 ... */
        if (rpt_cp_is_han(after) && !cue && t->cp[e] == 0x4F4D /* 位 */) return 0;
        e += ru;
    } else {
        if (!cue) return 0;
        uint32_t after = t->cp[e];
        if (rpt_cp_is_han(after) || is_ascii_alnum(after)) return 0; /* 第一方阵, 第一批 */
    }
    memset(c, 0, sizeof *c);
    c->start = s;
    c->end = e;
    c->num_start = s;
    c->num_end = p + k;
    c->value = v;
    c->unit = "名次";
    c->is_rank = 1;
    return 1;
}

/* A quantity being read at a number: what scan_quantity() has found so far. */
typedef struct quantity {
    size_t s;       /* where the number starts */
    int arabic;     /* Arabic digits, else Chinese numerals */
    size_t k;       /* code points of the number */
    int nd;         /* digits of the number (Arabic) */
    double v;       /* its value, magnitude not applied */
    size_t num_end; /* end of the number */
    int has_high;   /* a range (1-2所): the high end is k_high code points at s_high */
    size_t s_high, k_high;
    double vh;
    size_t p;        /* position reached */
    rpt_qualifier q; /* 余/多 inside the amount */
    int exp10;       /* magnitude word (万, 亿, ...): power of ten, 0 when none */
    double mag;
    const char *unit; /* static; "" for a bare number */
    unsigned uflags;
    size_t e;         /* end of the amount: past the unit */
    rpt_qualifier sq; /* 以上/以下/左右 after it */
    size_t after;     /* past that suffix qualifier */
} quantity;

/* Reads the number at x->s and the high end of a range after it (1-2所), rejecting what is
 * part of a word, a date, a time or a code. Returns 1 to go on, 0 to reject; *skip receives
 * the end of what was consumed. */
static int read_number(const rpt_cptext *t, quantity *x, size_t *skip)
{
    const uint32_t *cp = t->cp;
    size_t s = x->s;
    x->k = x->arabic ? rpt_parse_arabic(t, s, &x->v, &x->nd) : rpt_parse_cn(t, s, &x->v);
    if (!x->k) {
        *skip = s + 1;
        return 0;
    }
    size_t p = s + x->k;
    *skip = p;
    if (x->v < 0) return 0; /* absurdly long */
    if (s > 0 && is_ascii_alnum(cp[s - 1])) return 0;
    if (is_ascii_alnum(cp[p]) && !(cp[p] >= '0' && cp[p] <= '9')) return 0; /* 5G, 2.0T */
    x->num_end = p;
    if (x->arabic) {
        /* dates, times, codes: 2025-05-30, 12:02, 2023/24 */
        if ((cp[p] == ':' || cp[p] == 0xFF1A) && rpt_cp_digit(cp[p + 1]) >= 0) return 0;
        if (cp[p] == '.' || cp[p] == 0xFF0E) return 0; /* 1.2.3 */
    }
    /* range: 1-2所 */
    if (is_range_sep(cp[p])) {
        size_t q = p + 1, k2;
        double v2 = 0;
        int nd2 = 0;
        if (x->arabic && rpt_cp_digit(cp[q]) >= 0)
            k2 = rpt_parse_arabic(t, q, &v2, &nd2);
        else if (!x->arabic && rpt_cn_digit(cp[q]) > 0)
            k2 = rpt_parse_cn(t, q, &v2);
        else
            k2 = 0;
        if (k2) {
            if (v2 < 0) {
                *skip = q + k2;
                return 0;
            }
            if (is_range_sep(cp[q + k2]) || cp[q + k2] == '.' ||
                (nd2 >= 2 && cp[q] == '0')) { /* 2025-05-30 */
                *skip = q + k2;
                return 0;
            }
            x->vh = v2, x->has_high = 1, x->k_high = k2, x->s_high = q;
            p = q + k2;
            *skip = p;
        }
    }
    x->p = p;
    return 1;
}

/* Reads what follows the number: 余/多, a magnitude word (Arabic numbers), the measure
 * word; without one, a money amount (with a magnitude and a money word earlier in the
 * clause) or the bare value of a count named just before it. Returns 1 to go on, 0 to
 * reject. */
static int read_unit(const rpt_ind_rules *R, const rpt_cptext *t, quantity *x)
{
    const uint32_t *cp = t->cp;
    size_t p = x->p, ql;
    x->q = RPT_QUAL_NONE;
    x->mag = 1;
    rpt_qualifier iq = qual_at(&R->q_infix, R->q_infix_v, t, p, &ql);
    if (ql) x->q = iq, p += ql;
    if (x->arabic) {
        int exp10;
        size_t ml = arabic_magnitude(t, p, &exp10);
        double mag = exp10 ? pow(10, exp10) : 1;
        const char *u_;
        unsigned f_;
        /* 3千名 is 3000 but 750千伏 is a voltage: 千 alone needs a measure word after it */
        if (ml && exp10 == 3 && !unit_at(R, t, p + ml, 0, &u_, &f_)) ml = 0, mag = 1, exp10 = 0;
        p += ml;
        x->exp10 = exp10, x->mag = mag;
    }
    if (x->q == RPT_QUAL_NONE) {
        iq = qual_at(&R->q_infix, R->q_infix_v, t, p, &ql);
        if (ql) x->q = iq, p += ql;
    }
    x->p = p;
    size_t up = p;
    if (cp[up] == ' ' && x->arabic) up++; /* 52 篇 */
    x->unit = NULL;
    x->uflags = 0;
    size_t ul = unit_at(R, t, up, !x->arabic, &x->unit, &x->uflags);
    if (ul) {
        x->e = up + ul;
    } else {
        if (x->q == RPT_QUAL_OVER && cp[p - 1] == 0x591A /* 多 */) return 0; /* 3多 */
        if (!x->arabic) return 0;
        if (is_ascii_alnum(cp[p])) return 0; /* 11.4万P: a unit we cannot read */
        x->e = p;
        x->unit = "";
        if (x->mag > 1) {
            size_t cs = clause_start(t, x->s);
            if (rpt_wordset_any(&R->money_cues, t, cs, x->s, NULL, NULL)) x->unit = "元";
        } else {
            /* a bare number: only as the value of a count named just before it */
            if (!rpt_ws_before(&R->bare_number_after, t, x->s, NULL)) return 0;
            if (!is_clause_delim(cp[p]) && cp[p] != 0x3001) return 0;
            if (x->nd == 4 && x->v >= 1900 && x->v <= 2100) return 0;
        }
    }
    if (x->uflags & RPT_U_MONEY) x->unit = "元";
    return 1;
}

/* Whether the words around the amount make it no indicator: a code or formula, a
 * threshold or capacity describing a class of things, 连续 missing, a slogan, a benchmark,
 * the number of a rules title, a short quotation. Reads the suffix qualifier into x->sq and
 * x->after. */
static int context_rejects(const rpt_ind_rules *R, const rpt_cptext *t, quantity *x)
{
    const uint32_t *cp = t->cp;
    size_t s = x->s, e = x->e, ql;
    unsigned uflags = x->uflags;
    /* codes and formulas (looked up only now: most numerals have no unit and stop above) */
    if (rpt_ws_before(&R->code_before, t, s, NULL)) return 1;
    if (rpt_ws_at(&R->code_after, t, x->num_end, NULL)) return 1;
    /* suffix qualifier (outside the span) */
    rpt_qualifier sq = qual_at(&R->q_suffix, R->q_suffix_v, t, e, &ql);
    size_t after = e + ql;
    x->sq = sq, x->after = after;
    if ((uflags & RPT_U_THRESHOLD) && (sq == RPT_QUAL_OVER || sq == RPT_QUAL_UNDER)) return 1;
    if ((uflags & RPT_U_THRESHOLD) && (x->has_high || (!ql && rpt_cp_is_han(cp[e])))) return 1;
    if ((uflags & RPT_U_CAPACITY) && !ql && rpt_cp_is_han(cp[e]) &&
        !rpt_ws_at(&R->capacity_after, t, e, NULL))
        return 1;
    /* 年运量150万吨以上的物流园区: a threshold describing a class of things */
    if ((sq == RPT_QUAL_OVER || sq == RPT_QUAL_UNDER) && cp[after] == 0x7684 /* 的 */ &&
        !rpt_cp_match(t, after, "的平均"))
        return 1;
    /* 56人以上大班额仍有23个: a threshold naming a class that is counted after it */
    if ((sq == RPT_QUAL_OVER || sq == RPT_QUAL_UNDER) && rpt_cp_is_han(cp[after])) {
        for (size_t r = after; r < t->n && r < after + 30 && !is_clause_delim(cp[r]); r++)
            if (rpt_cp_digit(cp[r]) >= 0) return 1;
    }
    if ((uflags & RPT_U_LIANXU) && !rpt_cp_match_before(t, s, "连续")) return 1;
    if ((!x->arabic || rpt_unit_is(x->unit, "条")) && rpt_ws_at(&R->slogan_after, t, e, NULL))
        return 1;
    if (rpt_ws_at(&R->benchmark_after, t, after, NULL)) return 1;
    if (rpt_ws_before(&R->capacity_before, t, s, NULL)) return 1;
    if (rpt_unit_is(x->unit, "条")) {
        size_t te = e;
        while (te < t->n && te < e + 6 && !is_clause_delim(cp[te]))
            te++;
        if (rpt_wordset_any(&R->rules_title_after, t, e, te, NULL, NULL)) return 1;
    }
    return in_short_quote(t, s, e);
}

/* Whether Chinese numerals are part of a word or name rather than a count: 统一, 之一,
 * 十四届四次全委会, a lone 二, slogans (干一项成一项), ranges, a topic named after them. */
static int cn_numeral_rejects(const rpt_ind_rules *R, const rpt_cptext *t, const quantity *x)
{
    const uint32_t *cp = t->cp;
    size_t s = x->s, e = x->e;
    /* Chinese numerals inside words and names: 统一, 之一, 十四届四次全委会 */
    if (rpt_ws_before(&R->cn_name_before, t, s, NULL)) return 1;
    /* a lone 二 is an ordinal (二次发掘, 二人转); counts use 两 */
    if (x->k == 1 && cp[s] == 0x4E8C) return 1;
    /* 干一项成一项, 两个市场两种资源: another numeral right after is a slogan */
    for (size_t r = e; r < e + 4 && r < t->n && !is_clause_delim(cp[r]); r++)
        if (rpt_cn_digit(cp[r]) > 0) return 1;
    for (size_t r = s; r > 0 && r + 4 > s && !is_clause_delim(cp[r - 1]); r--)
        if (rpt_cn_digit(cp[r - 1]) > 0) return 1;
    if (x->has_high) return 1;
    if (x->k == 1 && cp[s] == 0x4E00 /* 一 */ && !(x->uflags & RPT_U_ONE)) return 1;
    size_t ce = e;
    while (ce < t->n && ce < e + 30 && !is_clause_delim(cp[ce]))
        ce++;
    return rpt_wordset_any(&R->topic_after, t, e, ce, NULL, NULL);
}

/* Tries a quantity starting at number position s. Fills c and returns 1 when it is an
 * indicator; *skip is set to the end of whatever was consumed. */
static int scan_quantity(const rpt_ind_rules *R, const rpt_cptext *t, size_t s, rpt_candidate *c,
                         size_t *skip)
{
    quantity x;
    x.s = s;
    x.arabic = rpt_cp_digit(t->cp[s]) >= 0;
    x.nd = 0;
    x.v = x.vh = 0;
    x.exp10 = 0;
    x.has_high = 0;
    x.s_high = x.k_high = 0;
    if (!read_number(t, &x, skip)) return 0;
    if (!read_unit(R, t, &x)) return 0;
    if (context_rejects(R, t, &x)) return 0;
    if (!x.arabic && cn_numeral_rejects(R, t, &x)) return 0;
    double val = x.v * x.mag, valh = x.vh * x.mag;
    if (x.arabic && x.exp10) { /* one rounding: 4.06万亿 is 4060000000000 */
        val = rpt_arabic_scaled(t, s, x.k, x.exp10);
        if (x.has_high) valh = rpt_arabic_scaled(t, x.s_high, x.k_high, x.exp10);
        if (val < 0 || valh < 0) return 0;
    }
    if (!isfinite(val) || !isfinite(valh) || val > 1e18 || valh > 1e18) return 0;
    memset(c, 0, sizeof *c);
    size_t pl;
    rpt_qualifier pq = qual_before(&R->q_prefix, R->q_prefix_v, t, s, &pl);
    c->start = s - pl;
    c->end = x.e;
    c->num_start = s;
    c->num_end = x.e;
    c->after_end = x.after;
    c->value = val;
    c->has_high = x.has_high;
    c->value_high = valh;
    c->unit = x.unit;
    c->unit_flags = x.uflags;
    c->qualifier = pl ? pq : x.q;
    c->suffix_qualifier = x.sq;
    *skip = x.e;
    return 1;
}

int rpt_indicators_find(const rpt_cptext *t, const rpt_section *secs, size_t n_secs,
                       rpt_candidate **out, size_t *n_out)
{
    const rpt_ind_rules *R = rpt_ind_rules_get();
    if (!R) return -1;
    const unsigned char *number_start = R->number_start;
/* START may also hold for a code point above U+FFFF (it reads the table at c & 0xFFFF): a
 * cheap pre-filter; IS_START is exact (U+0000 is not a start) */
#define START(c) number_start[(c)&0xFFFF]
#define IS_START(c) number_start[(c) < 0x10000 ? (c) : 0]
    rpt_candidate *cs = NULL;
    size_t n = 0, cap = 0, si = 0;
    const uint32_t *cp = t->cp;
    for (size_t i = 0; i < t->n;) {
        /* most of the text cannot start a number: skip it eight, then four code points at a
         * time, then up to the start */
        while (i + 8 <= t->n &&
               !(START(cp[i]) | START(cp[i + 1]) | START(cp[i + 2]) | START(cp[i + 3]) |
                 START(cp[i + 4]) | START(cp[i + 5]) | START(cp[i + 6]) | START(cp[i + 7])))
            i += 8;
        while (i + 4 <= t->n &&
               !(START(cp[i]) | START(cp[i + 1]) | START(cp[i + 2]) | START(cp[i + 3])))
            i += 4;
        while (i < t->n && !IS_START(cp[i]))
            i++;
        if (i >= t->n) break;
        uint32_t c = cp[i];
        int digit = rpt_cp_digit(c) >= 0;
        int cn = !digit && rpt_cn_digit(c) > 0;
        if (c == 0x5341 /* 十 */) cn = 1;
        int di = c == CP_DI &&
                 (rpt_cp_digit(cp[i + 1]) >= 0 || rpt_cn_digit(cp[i + 1]) > 0 || cp[i + 1] == 0x5341);
        if (!digit && !cn && !di) {
            i++;
            continue;
        }
        /* heading markers are not indicators */
        while (si < n_secs && secs[si].start + 8 <= i)
            si++;
        if (si < n_secs && i >= secs[si].start && i < rpt_section_marker_end(&secs[si])) {
            i = rpt_section_marker_end(&secs[si]);
            continue;
        }
        rpt_candidate cand;
        size_t skip = i + 1;
        int ok = 0;
        if (di) {
            ok = scan_rank(t, i, &cand);
            if (ok)
                skip = cand.end;
            else {
                /* an ordinal: skip its number */
                skip = i + 1;
                while (skip < t->n && (rpt_cp_digit(cp[skip]) >= 0 || rpt_cn_numeral_char(cp[skip])))
                    skip++;
            }
        } else {
            if (cn && i > 0 && rpt_cn_numeral_char(cp[i - 1])) {
                i++;
                continue;
            }
            if (digit && i > 0 && rpt_cp_digit(cp[i - 1]) >= 0) {
                i++;
                continue;
            }
            ok = scan_quantity(R, t, i, &cand, &skip);
        }
        if (ok) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                rpt_candidate *ncs = realloc(cs, nc * sizeof *cs);
                if (!ncs) {
                    free(cs);
                    return -1;
                }
                cs = ncs, cap = nc;
            }
            cs[n++] = cand;
        }
        i = skip > i ? skip : i + 1;
    }
#undef START
#undef IS_START
    *out = cs;
    *n_out = n;
    return 0;
}
