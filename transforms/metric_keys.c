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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/bytes.h"
#include "transforms/extract.h"
#include "transforms/rules/metric_keys.h"

#define N_DEFS (sizeof RPT_METRIC_DEFS / sizeof *RPT_METRIC_DEFS)
#define MAX_WORDINGS 512

typedef struct wording {
    const char *s;
    unsigned char len;
    unsigned char def;
    unsigned char has_growth; /* the wording itself says growth (经济增长) */
    unsigned second;          /* its second code point (BMP), 0 when none or not BMP */
} wording;

enum { UC_NONE = 0, UC_AMOUNT, UC_PERCENT, UC_COUNT, UC_AREA };

#define PAIR_BITS (1u << 14) /* the set of first-two-code-point hashes: 2 KiB */
#define GROUP_SLOTS 512 /* at least twice the groups of a word list */

/* Words (wordings or report category words) by their first code point: a table of the code
 * points (BMP) that start one, each with the group of word indices (ascending) that start
 * with it; and the sets a scan tests every character against. */
typedef struct cp_index {
    /* code point -> 1 + group: an open-address table of the first code points (0: empty),
     * a few KiB where a table of every code point would take 128 KiB of cache */
    uint32_t gmap[GROUP_SLOTS]; /* code point << 16 | 1 + group */
    unsigned short at[MAX_WORDINGS], n[MAX_WORDINGS]; /* group -> its slice of member */
    /* group -> bit (second code point % 64) of each member's second code point (all bits
     * for a member of one code point): most code points after a group's first one start
     * none of its words */
    unsigned long long second_mask[MAX_WORDINGS];
    short member[MAX_WORDINGS];
    size_t n_groups;
    /* a hash of each word's first two code points (both in the BMP) as a set of PAIR_BITS,
     * and the first code points of the words without such a pair (one code point, or a
     * second one outside the BMP) */
    uint64_t pair_bits[PAIR_BITS / 64];
    uint64_t solo_first[0x10000 / 64];
    int any_solo; /* whether there is such a word */
    /* the same two tests on the last bytes alone (of the first two characters, of the one
     * character), as a 4 Ki-bit and a 64-bit set: a cheap filter in front of them */
    uint64_t last_bytes[64], solo_last;
} cp_index;

/* The wordings by their first two code points (both in the BMP), for the positions where a
 * scan finds a group's first code point followed by a possible second one: an open-address
 * table of the pairs, each with its wordings in index order. Wordings of one code point, or
 * whose second one is outside the BMP, are "solo": their group keeps the member walk. */
#define PAIR_SLOTS 1024
typedef struct pair_index {
    uint32_t pair[PAIR_SLOTS]; /* first << 16 | second, 0: empty */
    unsigned short at[PAIR_SLOTS], n[PAIR_SLOTS];
    short member[MAX_WORDINGS];
    unsigned char group_has_solo[MAX_WORDINGS];
} pair_index;

/* A word and its length in bytes, so that the searches below measure nothing. */
typedef struct lword {
    const char *s;
    size_t len;
} lword;
#define W(lit) {lit, sizeof lit - 1}
#define W_END {NULL, 0}

/* The words of the veto lists (VETO_LISTS below) by a hash of their first code point. */
#define VETO_SLOTS 64
#define VETO_PER_SLOT 4
typedef struct veto_slot {
    unsigned cp; /* 0: empty */
    unsigned char n;
    const lword *word[VETO_PER_SLOT];
    unsigned char bit[VETO_PER_SLOT];
} veto_slot;

static struct {
    wording w[MAX_WORDINGS];
    size_t n;
    cp_index words;                /* the wordings of the catalog */
    pair_index pairs;              /* the same by their first two code points */
    int uclass[N_DEFS];            /* UC_* of each def (count_or_area: UC_COUNT, area too) */
    unsigned char area_ok[N_DEFS]; /* its unit class is count_or_area */
    unsigned char share[N_DEFS];   /* its key names a share ("share" in it) */
    size_t stem[N_DEFS];           /* stem_len() of its key */
    cp_index cats;                 /* the report category rules, by their word */
    size_t cat_len[MAX_WORDINGS];  /* byte lengths of their words */
    size_t subscope_len[64];       /* byte lengths of RPT_METRIC_SUBSCOPES */
    uint64_t subscope_last[4];     /* the last bytes of those words, as a 256-bit set */
    veto_slot veto[VETO_SLOTS];    /* the words of VETO_LISTS by a hash of their first code point */
    unsigned char veto_lead_lo, veto_lead_hi; /* the range of their first bytes */
    int ok;
} K;

static pthread_once_t K_once = PTHREAD_ONCE_INIT;

static const lword GROWTH_WORDS[] = {W("增长"), W("增速"), W("增幅"), W("涨幅"), W("上涨"), W_END};
static const lword FALL_WORDS[] = {W("下降"), W("回落"), W("减少"), W("降低"), W("下滑"), W_END};
/* a number over several years, not the year's */
/* between a count wording and its number: the number counts these, not the key's things
 * ("重点项目(跆拳道)学校1个" counts schools) */
static const lword OTHER_THINGS[] = {W("学校"), W("幼儿园"), W("基地"), W("单位"), W("示范"),
                                     W("称号"), W("企业"), W("园区"), W_END};
/* after a wording: the number is another rate about it ("对经济增长的贡献率") */
static const lword OTHER_RATES[] = {W("贡献"), W("比重"), W("占比"), W("拉动"), W_END};
/* after a level's wording: the number is a difference ("比上年增加1.1万亿元") */
static const lword COMPARED[] = {W("比"), W("较"), W_END};
static const lword SPAN_WORDS[] = {W("年均"), W("五年"), W("十二五"), W("十三五"), W("十四五"),
                                   W("十五五"), W("年来"), W("三年"), W("两年"), W_END};

/* The word lists a wording's "after" text is checked against (key_scan), as bits, and the
 * words of all of them by their first code point: one pass over that text tells which lists
 * occur in it. */
enum { V_GROWTH = 1, V_FALL = 2, V_RATES = 4, V_THINGS = 8, V_SHARE = 16, V_COMPARED = 32 };
static const lword SHARE_WORDS[] = {W("占"), W_END};
static const struct {
    const lword *words;
    unsigned bit;
} VETO_LISTS[] = {{GROWTH_WORDS, V_GROWTH}, {FALL_WORDS, V_FALL},     {OTHER_RATES, V_RATES},
                  {OTHER_THINGS, V_THINGS}, {SHARE_WORDS, V_SHARE}, {COMPARED, V_COMPARED}};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether a[0..n) and b[0..n) hold the same bytes: up to 16 with two overlapping loads of
 * 8 or 4 bytes (wordings, numbers), longer ones with memcmp. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, a, 8), memcpy(&x1, a + n - 8, 8);
        memcpy(&y0, b, 8), memcpy(&y1, b + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, a, 4), memcpy(&x1, a + n - 4, 4);
        memcpy(&y0, b, 4), memcpy(&y1, b + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    return !memcmp(a, b, n);
}

/* The code point of the three-byte sequence at u (its lead byte checked by the caller). */
static inline unsigned han_at(const unsigned char *u)
{
    return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
}

/* The code point starting at s when it is in the BMP (ASCII, 2- or 3-byte UTF-8), else 0. */
static unsigned bmp_at(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) return c;
    if ((c & 0xE0) == 0xC0) return ((c & 0x1Fu) << 6) | ((unsigned char)s[1] & 0x3Fu);
    if ((c & 0xF0) == 0xE0)
        return ((c & 0x0Fu) << 12) | (((unsigned char)s[1] & 0x3Fu) << 6) |
               ((unsigned char)s[2] & 0x3Fu);
    return 0;
}

/* Bytes of the UTF-8 sequence that starts with byte c. */
static size_t cp_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The code point (BMP) at s[i] when its sequence lies within s[0..len), else 0. */
static unsigned cp_within(const char *s, size_t i, size_t len)
{
    return i < len && cp_len((unsigned char)s[i]) <= len - i ? bmp_at(s + i) : 0;
}

/* A hash of two code points (BMP) below PAIR_BITS. */
static inline uint32_t pair_hash(unsigned first, unsigned second)
{
    return ((uint32_t)first << 16 | second) * 0x9E3779B1u >> 18;
}

static inline size_t gmap_slot(const cp_index *x, unsigned cp)
{
    size_t h = (size_t)((cp * 0x9E3779B1u) >> 23) % GROUP_SLOTS;
    while (x->gmap[h] && x->gmap[h] >> 16 != cp)
        h = (h + 1) % GROUP_SLOTS;
    return h;
}

/* 1 + the group of the words that start with code point cp (BMP), 0 when none does. */
static inline unsigned group_of(const cp_index *x, unsigned cp)
{
    return x->gmap[gmap_slot(x, cp)] & 0xFFFFu;
}

static int cp_starts_word(const cp_index *x, unsigned cp)
{
    return group_of(x, cp) != 0;
}

/* Indexes the n words words[k] (k ascending) by their first code point; 0 when a word
 * starts with a code point outside the BMP (or with none). */
static int cp_index_build(cp_index *x, const char *const *words, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned cp = bmp_at(words[k]);
        if (!cp) return 0;
        size_t h = gmap_slot(x, cp);
        if (!x->gmap[h]) {
            if (x->n_groups + 1 > GROUP_SLOTS / 2) return 0;
            x->gmap[h] = (uint32_t)cp << 16 | (uint32_t)++x->n_groups;
        }
        unsigned grp = x->gmap[h] & 0xFFFFu;
        x->n[grp - 1]++;
        size_t len = strlen(words[k]);
        unsigned second = cp_within(words[k], cp_len((unsigned char)words[k][0]), len);
        x->second_mask[grp - 1] |= second ? 1ull << (second % 64) : ~0ull;
        if (second) {
            uint32_t ph = pair_hash(cp, second);
            x->pair_bits[ph / 64] |= 1ull << (ph % 64);
            unsigned lb = ((cp & 63u) << 6) | (second & 63u);
            x->last_bytes[lb / 64] |= 1ull << (lb % 64);
        } else {
            x->solo_first[cp / 64] |= 1ull << (cp % 64);
            x->solo_last |= 1ull << (cp & 63u);
            x->any_solo = 1;
        }
    }
    for (size_t g = 1; g < x->n_groups; g++)
        x->at[g] = (unsigned short)(x->at[g - 1] + x->n[g - 1]);
    unsigned short fill[MAX_WORDINGS] = {0};
    for (size_t k = 0; k < n; k++) {
        unsigned g = group_of(x, bmp_at(words[k])) - 1u;
        x->member[x->at[g] + fill[g]++] = (short)k;
    }
    return 1;
}

static size_t pair_slot(const pair_index *p, uint32_t key)
{
    size_t h = (size_t)((key * 0x9E3779B1u) >> 22) % PAIR_SLOTS;
    while (p->pair[h] && p->pair[h] != key)
        h = (h + 1) % PAIR_SLOTS;
    return h;
}

/* Indexes the n wordings w[k] of the groups of x by their first two code points; 0 when the
 * table would be full. */
static int pair_index_build(pair_index *p, const cp_index *x, const wording *w, size_t n)
{
    size_t used = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned fc = bmp_at(w[k].s);
        if (!w[k].second) {
            p->group_has_solo[group_of(x, fc) - 1] = 1;
            continue;
        }
        uint32_t key = (uint32_t)fc << 16 | w[k].second;
        size_t h = pair_slot(p, key);
        if (!p->pair[h]) {
            if (++used > PAIR_SLOTS / 2) return 0;
            p->pair[h] = key;
        }
        p->n[h]++;
    }
    unsigned short next = 0;
    for (size_t h = 0; h < PAIR_SLOTS; h++)
        if (p->pair[h]) p->at[h] = next, next = (unsigned short)(next + p->n[h]), p->n[h] = 0;
    for (size_t k = 0; k < n; k++) /* in index order within each pair */
        if (w[k].second) {
            size_t h = pair_slot(p, (uint32_t)bmp_at(w[k].s) << 16 | w[k].second);
            p->member[p->at[h] + p->n[h]++] = (short)k;
        }
    return 1;
}

/* Whether the character at p is 年, 五, 三 or 两. */
static int span_char_at(const char *p)
{
    return !memcmp(p, "年", 3) || !memcmp(p, "五", 3) || !memcmp(p, "三", 3) || !memcmp(p, "两", 3);
}

/* Whether s[0..len) holds 年, 五, 三 or 两: every word of SPAN_WORDS does, so most clauses
 * need no further search. */
static int may_span(const char *s, size_t len)
{
    /* looked for by their last bytes (B4, 94, 89, A4), 16 bytes per compare (SSE2) */
    size_t j = 2;
#ifdef __SSE2__
    for (; j + 16 <= len; j += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\xB4')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\x94'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\x89')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\xA4'))));
        for (unsigned bits = (unsigned)_mm_movemask_epi8(m); bits; bits &= bits - 1)
            if (span_char_at(s + j + (size_t)__builtin_ctz(bits) - 2)) return 1;
    }
#endif
    for (; j < len; j++)
        if (span_char_at(s + j - 2)) return 1;
    return 0;
}

static int contains_any(const char *s, size_t len, const lword *words)
{
    for (; words->s; words++)
        if (rpt_find_short(s, len, words->s, words->len)) return 1;
    return 0;
}

/* Whether s starts with one of the words (their last byte, rarest in Han text, compared
 * first). */
static int starts_any(const char *s, const lword *words)
{
    size_t avail = strnlen(s, 32); /* s holds no NUL before wl bytes when wl <= avail */
    for (; words->s; words++) {
        size_t wl = words->len;
        if ((wl <= 32 ? wl <= avail : !memchr(s, '\0', wl)) && s[wl - 1] == words->s[wl - 1] &&
            !memcmp(s, words->s, wl))
            return 1;
    }
    return 0;
}

/* Likewise for s[0..len). */
static int starts_any_n(const char *s, size_t len, const lword *words)
{
    for (; words->s; words++) {
        size_t wl = words->len;
        if (wl <= len && s[wl - 1] == words->s[wl - 1] && !memcmp(s, words->s, wl)) return 1;
    }
    return 0;
}

/* The raw text of a number in the sentence s[0..len), from byte `from` on, where it stands
 * as a whole number (not the tail of a longer one: "5.5%" in "15.5%"), or NULL. */
static inline const char *number_in(const char *s, size_t len, size_t from, const char *raw,
                                    size_t rl)
{
    for (size_t i = from; i + rl <= len; i++) {
        const char *p = memchr(s + i, raw[0], len - rl + 1 - i);
        if (!p) return NULL;
        i = (size_t)(p - s);
        if (same_bytes(p, raw, rl) && (i == 0 || !(is_digit(s[i - 1]) || s[i - 1] == '.')))
            return p;
    }
    return NULL;
}

/* Length of a key without "_growth": the measure a growth key is the change of. */
static size_t stem_len(const char *key)
{
    size_t l = strlen(key);
    return l > 7 && !strcmp(key + l - 7, "_growth") ? l - 7 : l;
}

static size_t veto_slot_of(unsigned cp)
{
    size_t h = (size_t)((cp * 0x9E3779B1u) >> 26);
    while (K.veto[h].cp && K.veto[h].cp != cp)
        h = (h + 1) % VETO_SLOTS;
    return h;
}

/* Indexes the words of VETO_LISTS; 0 when one starts with no three-byte character or the
 * table is too small. */
static int veto_build(void)
{
    size_t used = 0;
    K.veto_lead_lo = 0xFF, K.veto_lead_hi = 0;
    for (size_t l = 0; l < sizeof VETO_LISTS / sizeof *VETO_LISTS; l++)
        for (const lword *w = VETO_LISTS[l].words; w->s; w++) {
            unsigned char lead = (unsigned char)w->s[0];
            if (w->len < 3 || (lead & 0xF0) != 0xE0) return 0;
            unsigned cp = bmp_at(w->s);
            veto_slot *sl = &K.veto[veto_slot_of(cp)];
            if (!sl->cp && ++used > VETO_SLOTS / 2) return 0;
            if (sl->n == VETO_PER_SLOT) return 0;
            sl->cp = cp;
            sl->word[sl->n] = w, sl->bit[sl->n++] = (unsigned char)VETO_LISTS[l].bit;
            if (lead < K.veto_lead_lo) K.veto_lead_lo = lead;
            if (lead > K.veto_lead_hi) K.veto_lead_hi = lead;
        }
    return 1;
}

/* Which lists of VETO_LISTS (their bits) have a word in s[0..len): the same as
 * contains_any() with each of them. */
static unsigned veto_lists_in(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned found = 0;
    for (size_t p = 0; p + 3 <= len; p++) {
        if (u[p] < K.veto_lead_lo || u[p] > K.veto_lead_hi) continue; /* no word starts here */
        const veto_slot *sl = &K.veto[veto_slot_of(han_at(u + p))];
        for (unsigned k = 0; k < sl->n; k++)
            if (p + sl->word[k]->len <= len &&
                same_bytes(s + p, sl->word[k]->s, sl->word[k]->len))
                found |= sl->bit[k];
    }
    return found;
}

static void build(void)
{
    const char *word[MAX_WORDINGS];
    for (size_t d = 0; d < N_DEFS; d++) {
        const rpt_metric_def *m = &RPT_METRIC_DEFS[d];
        K.area_ok[d] = !strcmp(m->unit_class, "count_or_area");
        K.share[d] = strstr(m->key, "share") != NULL;
        K.stem[d] = stem_len(m->key);
        K.uclass[d] = !strcmp(m->unit_class, "amount")    ? UC_AMOUNT
                      : !strcmp(m->unit_class, "percent") ? UC_PERCENT
                                                          : UC_COUNT;
        const char *p = m->wordings;
        while (*p) {
            const char *e = strchr(p, '|');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len < 2 || len > 255 || K.n >= MAX_WORDINGS) return;
            wording *w = &K.w[K.n];
            w->s = p;
            w->len = (unsigned char)len;
            w->def = (unsigned char)d;
            w->has_growth = contains_any(p, len, GROWTH_WORDS);
            w->second = cp_within(p, cp_len((unsigned char)*p), len);
            word[K.n++] = p;
            p = e ? e + 1 : p + len;
        }
    }
    for (size_t k = 0; RPT_METRIC_SUBSCOPES[k]; k++) {
        if (k + 1 >= sizeof K.subscope_len / sizeof *K.subscope_len) return;
        K.subscope_len[k] = strlen(RPT_METRIC_SUBSCOPES[k]);
        if (!K.subscope_len[k]) return;
        unsigned char last = (unsigned char)RPT_METRIC_SUBSCOPES[k][K.subscope_len[k] - 1];
        K.subscope_last[last / 64] |= 1ull << (last % 64);
    }
    size_t nc = sizeof RPT_REPORT_CATEGORY_RULES / sizeof *RPT_REPORT_CATEGORY_RULES;
    if (nc > MAX_WORDINGS) return;
    const char *cat[MAX_WORDINGS];
    for (size_t r = 0; r < nc; r++) {
        cat[r] = RPT_REPORT_CATEGORY_RULES[r].word;
        K.cat_len[r] = strlen(cat[r]);
    }
    K.ok = veto_build() && cp_index_build(&K.words, word, K.n) && cp_index_build(&K.cats, cat, nc) &&
           pair_index_build(&K.pairs, &K.words, K.w, K.n);
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
        if (u[0] == counts[i][0] && u[1] == counts[i][1] && !strcmp(u, counts[i])) return UC_COUNT;
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
        return K.area_ok[d];
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
    for (const char *p = s; (p = rpt_find_short(p, len - (size_t)(p - s), "、", 3)) != NULL; p += 3)
        from = (size_t)(p - s) + 3;
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
    if (i == 0) return 0;
    unsigned char c = (unsigned char)s[i - 1]; /* most bytes end none of them */
    if (!((K.subscope_last[c / 64] >> (c % 64)) & 1)) return 0;
    for (size_t k = 0; RPT_METRIC_SUBSCOPES[k]; k++) {
        size_t l = K.subscope_len[k];
        if (i >= l && s[i - 1] == RPT_METRIC_SUBSCOPES[k][l - 1] &&
            !memcmp(s + i - l, RPT_METRIC_SUBSCOPES[k], l))
            return 1;
    }
    return 0;
}


typedef struct hit {
    size_t start, end;
    int w; /* index into K.w */
} hit;

#define MAX_HITS 32

/* The first position from i on (a step of the scans below) that is no three-byte sequence
 * lying within s[0..len) whose code point starts no word of x, or starts some but the
 * three-byte code point after it (within s[0..len)) is the second one of none of them: no
 * word of x can start there (a position where one cannot may be returned too, rarely: the
 * sets are hashes). solo: x has words of one code point. */
static inline __attribute__((always_inline)) size_t skip_han2(const cp_index *x, const char *s,
                                                              size_t i, size_t len, int solo)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i + 3 > len || (u[i] & 0xF0) != 0xE0) return i;
    /* one test per character: the pair it opens with the next one is in the set (rarely by
     * chance), or (solo) it starts a word of one code point */
    for (; i + 6 <= len && (u[i + 3] & 0xF0) == 0xE0; i += 3) {
        /* the low six bits of a three-byte character's code point are those of its last
         * byte: most characters are stepped over on those of the two last bytes */
        unsigned lb = ((u[i + 2] & 63u) << 6) | (u[i + 5] & 63u);
        uint64_t maybe = x->last_bytes[lb / 64] >> (lb % 64);
        if (solo) maybe |= x->solo_last >> (u[i + 2] & 63u);
        if (!(maybe & 1)) continue;
        unsigned c0 = han_at(u + i), c1 = han_at(u + i + 3);
        uint32_t h = pair_hash(c0, c1);
        uint64_t bits = x->pair_bits[h / 64] >> (h % 64);
        if (solo) bits |= x->solo_first[c0 / 64] >> (c0 % 64);
        if (bits & 1) return i;
    }
    /* the last character of the run: a word starting there is cut off, which the caller
     * tells; it is stepped over when it starts none */
    return cp_starts_word(x, han_at(u + i)) ? i : i + 3;
}

/* The key for text s[0..len) that ends where the number stands: the def index, or -1.
 * With earlier_clause, s is a clause before the number's own clause, which says the growth
 * ("…完成274.4亿元" before "同比增长9.1%"): its amount and the lack of a growth word are
 * expected there. */
static int key_scan(const char *s, size_t len, int uc, const char *unit, int earlier_clause)
{
    hit hits[MAX_HITS];
    int n = 0;
    for (size_t next = 0; next + 1 < len && n < MAX_HITS;) {
        /* one code point per step: 3 bytes for the Han characters of these texts, most of
         * which start no wording */
        next = K.words.any_solo ? skip_han2(&K.words, s, next, len, 1)
                                : skip_han2(&K.words, s, next, len, 0);
        if (next + 1 >= len) break;
        size_t i = next;
        unsigned char c = (unsigned char)s[i];
        unsigned fc;
        if ((c & 0xF0) == 0xE0) {
            next += 3;
            if (i + 2 >= len) continue;
            fc = ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
                 ((unsigned char)s[i + 2] & 0x3Fu);
        } else {
            next++;
            if ((c & 0xC0) == 0x80) continue;
            fc = i + 2 < len || c < 0x80 ? bmp_at(s + i) : 0;
        }
        /* the wordings that start with this code point, by index (no group: none); the
         * second code point tells most of them apart without comparing their bytes */
        unsigned g = fc ? group_of(&K.words, fc) : 0;
        if (!g--) continue;
        unsigned second = cp_within(s, i + cp_len(c), len);
        if (!((K.words.second_mask[g] >> (second % 64)) & 1)) continue;
        /* the wordings that start with these two code points (a pair table), or the whole
         * group when it has wordings of one code point */
        const short *member;
        unsigned count;
        if (!K.pairs.group_has_solo[g]) {
            if (!second) continue;
            size_t h = pair_slot(&K.pairs, (uint32_t)fc << 16 | second);
            if (!K.pairs.pair[h]) continue;
            member = K.pairs.member + K.pairs.at[h], count = K.pairs.n[h];
        } else {
            member = K.words.member + K.words.at[g], count = K.words.n[g];
        }
        for (unsigned k = 0; k < count && n < MAX_HITS; k++) {
            int wi = member[k];
            const wording *w = &K.w[wi];
            if (w->second && w->second != second) continue;
            if (i + w->len > len || !same_bytes(s + i, w->s, w->len)) continue;
            hits[n++] = (hit){i, i + w->len, wi};
        }
    }
    /* candidates from the closest end (then the longest wording) on; the first that passes
     * the checks wins */
    unsigned char tried[MAX_HITS] = {0};
    for (;;) {
        int h = -1;
        for (int k = 0; k < n; k++) {
            if (tried[k] || !fits((size_t)K.w[hits[k].w].def, uc, unit)) continue;
            if (h < 0 || hits[k].end > hits[h].end ||
                (hits[k].end == hits[h].end &&
                 hits[k].end - hits[k].start > hits[h].end - hits[h].start))
                h = k;
        }
        if (h < 0) return -1;
        tried[h] = 1;
        int d = K.w[hits[h].w].def;
        size_t end = hits[h].end;
        const rpt_metric_def *m = &RPT_METRIC_DEFS[d];
        /* a longer wording of another measure covers this one (人均地区生产总值) */
        int covered = 0;
        for (int o = 0; o < n && !covered; o++) {
            const rpt_metric_def *mo = &RPT_METRIC_DEFS[K.w[hits[o].w].def];
            covered = hits[o].start < hits[h].start && hits[o].end >= end &&
                      (K.stem[K.w[hits[o].w].def] != K.stem[d] ||
                       strncmp(mo->key, m->key, K.stem[d]));
        }
        if (covered || subscope_before(s, hits[h].start)) continue;
        const char *after = s + end;
        size_t alen = len - end;
        unsigned in_after = veto_lists_in(after, alen);
        if (!earlier_clause && m->growth && !K.w[hits[h].w].has_growth && !(in_after & V_GROWTH))
            continue;
        if (in_after & (V_FALL | V_RATES)) continue;
        if (uc == UC_COUNT && (in_after & V_THINGS)) continue;
        if (!K.share[d] && (in_after & V_SHARE)) continue;
        /* a change of a level: "比2010年增加10525元" */
        if (!m->growth && uc != UC_PERCENT && (in_after & V_COMPARED)) continue;
        if (!earlier_clause && number_between(after, alen)) continue;
        return d;
    }
}

/* The last answers of key_scan() for one document: an amount that takes the label of the
 * one before it, or shares its clause, asks again for the same text. The texts are the
 * document's indicator strings, which outlive the pass. */
#define MEMO_N 4
typedef struct key_memo {
    /* per entry: the length, unit class and clause flag in one word (0: empty, as the
     * class of a scan is never UC_NONE), the text, the unit and the answer */
    uint64_t q[MEMO_N];
    const char *s[MEMO_N], *unit[MEMO_N];
    int d[MEMO_N];
    unsigned next;
} key_memo;

/* key_scan() of s[0..len), from the memo when it holds the same question. */
static inline int key_in(key_memo *mm, const char *s, size_t len, int uc, const char *unit,
                         int earlier_clause)
{
    uint64_t q = (uint64_t)len << 8 | (uint64_t)uc << 1 | (earlier_clause != 0);
    for (unsigned k = 0; k < MEMO_N; k++)
        if (mm->q[k] == q && (mm->unit[k] == unit || !strcmp(mm->unit[k], unit)) &&
            !memcmp(mm->s[k], s, len))
            return mm->d[k];
    int d = key_scan(s, len, uc, unit, earlier_clause);
    unsigned k = mm->next;
    mm->q[k] = q, mm->s[k] = s, mm->unit[k] = unit, mm->d[k] = d;
    mm->next = (k + 1) % MEMO_N;
    return d;
}

/* Whether the 3-byte sequence ending at s[i - 1] is one of the full-width delimiters
 * ，；： (when clause) and 。！？ (tested on its last byte first: most Han characters end
 * otherwise). */
static inline int cjk_delim_before(const char *s, size_t i, int clause)
{
    if (i < 3) return 0;
    switch ((unsigned char)s[i - 1]) {
    case 0x8C: /* ， */
    case 0x9B: /* ； */
    case 0x9A: /* ： */
        return clause && s[i - 3] == '\xEF' && s[i - 2] == '\xBC';
    case 0x81: /* ！ */
    case 0x9F: /* ？ */
        return s[i - 3] == '\xEF' && s[i - 2] == '\xBC';
    case 0x82: /* 。 */
        return s[i - 3] == '\xE3' && s[i - 2] == '\x80';
    default:
        return 0;
    }
}

/* Start of the clause that ends at s[end] (after the last clause delimiter before it).
 * The delimiters are ,;: and full-width ones, which start with 0xEF or 0xE3 (rare in Han
 * text otherwise): those bytes are looked for 16 at a time (SSE2), from the end backwards.
 * Delimiters do not overlap, so the one that starts last ends last. */
static inline size_t clause_start(const char *s, size_t end)
{
    size_t i = end;
#ifdef __SSE2__
    for (; i >= 16; i -= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 16));
        __m128i m =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')),
                                      _mm_cmpeq_epi8(x, _mm_set1_epi8(';'))),
                         _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(':')),
                                      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\xEF')),
                                                   _mm_cmpeq_epi8(x, _mm_set1_epi8('\xE3')))));
        for (unsigned bits = (unsigned)_mm_movemask_epi8(m); bits;) {
            unsigned b = 31u - (unsigned)__builtin_clz(bits);
            size_t j = i - 16 + b; /* the delimiter would start at s[j] */
            bits &= ~(1u << b);
            if (s[j] == ',' || s[j] == ';' || s[j] == ':') return j + 1;
            if (j + 3 <= end && cjk_delim_before(s, j + 3, 1)) return j + 3;
        }
    }
    /* a full-width delimiter that starts in the bytes left may end up to 2 bytes later */
    i = i + 2 < end ? i + 2 : end;
#endif
    for (; i > 0; i--) {
        if (s[i - 1] == ',' || s[i - 1] == ';' || s[i - 1] == ':') return i;
        if (cjk_delim_before(s, i, 1)) return i;
    }
    return 0;
}

/* The last year named in s[lo..to) as the time of what follows ("2013年，…"), scanning
 * from *from (where the previous call for the same sentence stopped) and starting from
 * year (what that call found); *from is updated. Not a comparison base ("比2012年"), not
 * "2012年以来", not a span ("2013年至2015年"). */
static int explicit_year(const char *s, size_t lo, size_t *from, size_t to, int year)
{
    static const char *const before_not[] = {"比", "较", "同", "与", "自", "从", "于", "在", NULL};
    static const lword after_not[] = {W("以来"), W("来"),   W("相比"), W("以前"),
                                      W("前"),   W("水平"), W_END};
    if (*from + 7 > to) return year;
    /* a year is four digits and 年, which starts at s[from + 4 .. to - 3]: the 年s are found
     * (rarer than digits), the digits checked before them */
    const char *p = s + *from + 4, *end = s + to;
    *from = to - 6;
    for (; (p = rpt_find_short(p, (size_t)(end - p), "年", 3)) != NULL; p += 3) {
        size_t i = (size_t)(p - s) - 4;
        if (i > lo && is_digit(s[i - 1])) continue;
        if (!(is_digit(s[i]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3])))
            continue;
        int y = atoi(s + i);
        if (y < 1990 || y > 2100) continue;
        int bad = 0;
        for (size_t k = 0; before_not[k] && !bad; k++)
            bad = i >= lo + 3 && !memcmp(s + i - 3, before_not[k], 3);
        for (size_t k = 0; after_not[k].s && !bad; k++)
            bad = !strncmp(s + i + 7, after_not[k].s, after_not[k].len);
        bad |= i > lo && (s[i - 1] == '-' || (i >= lo + 3 && !memcmp(s + i - 3, "至", 3)));
        bad |= !strncmp(s + i + 7, "至", 3) || !strncmp(s + i + 7, "—", 3);
        if (!bad) year = y;
    }
    return year;
}

/* The report category of a label: the first rule of RPT_REPORT_CATEGORY_RULES (in table
 * order) whose word occurs in it. */
static const char *report_category(const char *label, size_t len)
{
    int best = -1;
    for (size_t i = 0, step = 1; i + 1 < len; i += step) {
        i = skip_han2(&K.cats, label, i, len, 1);
        if (i + 1 >= len) break;
        unsigned char c = (unsigned char)label[i];
        step = (c & 0xF0) == 0xE0 ? 3 : 1;
        if ((c & 0xC0) == 0x80) continue;
        unsigned fc = cp_within(label, i, len);
        unsigned grp = fc ? group_of(&K.cats, fc) : 0;
        if (!grp) continue;
        /* the rules whose word starts with this code point, in table order: the first
         * that matches is the best one here */
        unsigned g = grp - 1u;
        for (unsigned k = 0; k < K.cats.n[g]; k++) {
            int r = K.cats.member[K.cats.at[g] + k];
            if (best >= 0 && r >= best) break;
            const char *w = RPT_REPORT_CATEGORY_RULES[r].word;
            size_t wl = K.cat_len[r];
            if (i + wl <= len && same_bytes(label + i, w, wl)) {
                best = r;
                break;
            }
        }
    }
    return best >= 0 ? RPT_REPORT_CATEGORY_RULES[best].category : NULL;
}

/* Verbs after a number that make it the starting point of a change
 * ("一般公共预算收入从874.6亿元增加到1112.4亿元"): not the year's figure. */
static const lword BASE_OF_CHANGE[] = {W("增加到"), W("增长到"), W("提高到"), W("提升到"),
                                       W("跃升到"), W("上升到"), W("扩大到"), W("增至"),
                                       W("增加至"), W("增长至"), W("提高至"), W("提升至"),
                                       W_END};

/* The key named for the number: in the label (when use_label), else in the clause before
 * the number, else in a clause before that when the number's own clause only says
 * "同比增长". *from_label tells which. No vetoes here (see key_of). */
static int key_candidate(key_memo *mm, const rpt_indicator *x, const char *before,
                         size_t before_len, size_t cs, int uc, const char *unit, int use_label,
                         int *from_label)
{
    const char *clause = before + cs;
    size_t clen = before_len - cs;
    size_t mlen = x->metric ? (x->metric_len ? x->metric_len : strlen(x->metric)) : 0;
    int d = -1;
    *from_label = 0;
    if (use_label && mlen && (d = key_in(mm, x->metric, mlen, uc, unit, 0)) >= 0) {
        *from_label = 1;
        return d;
    }
    if (clen) d = key_in(mm, clause, clen, uc, unit, 0);
    /* "…完成274.4亿元，同比增长9.1%" (or "…，按可比价计算，同比增长6.0%"): the measure is
     * named in a clause before; short clauses without numbers are stepped over */
    static const lword SUBJECTLESS[] = {W("同比"), W("比上年"), W("较上年"), W("比去年"),
                                        W("增长"), W("增速"), W("增幅"), W("预计"),
                                        W("分别"), W_END};
    if (d < 0 && cs > 0 && clen <= 18 && starts_any(clause, SUBJECTLESS) &&
        contains_any(clause, clen, GROWTH_WORDS)) {
        size_t end = cs;
        for (int step = 0; step < 2 && d < 0 && end > 0; step++) {
            size_t prev_end = (unsigned char)before[end - 1] < 0x80 ? end - 1
                              : end >= 3                          ? end - 3
                                                                  : 0;
            size_t ps = clause_start(before, prev_end);
            if (ps >= end || contains_any(before + ps, end - ps, SPAN_WORDS)) break;
            d = key_in(mm, before + ps, prev_end - ps, uc, unit, 1);
            /* only a short aside without a number is stepped over */
            if (d < 0 && (prev_end - ps > 24 || number_between(before + ps, prev_end - ps)))
                break;
            end = ps;
        }
    }
    return d;
}

/* The key of an indicator (def index) or -1: the candidate, unless the clause says the
 * number is not the year's figure of that measure. The candidate is looked for first (most
 * numbers have none), the vetoes only then. */
static int key_of(key_memo *mm, const rpt_indicator *x, const char *before, size_t before_len,
                  int uc, const char *after_number, size_t after_len, int gwr)
{
    const char *unit = x->unit ? x->unit : "";
    size_t cs = clause_start(before, before_len);
    int from_label;
    int d = key_candidate(mm, x, before, before_len, cs, uc, unit, 1, &from_label);
    if (d < 0) return -1;
    if (after_number && starts_any_n(after_number, after_len, BASE_OF_CHANGE)) return -1;
    const char *clause = before + cs;
    size_t clen = before_len - cs;
    if (clen >= 6 && !memcmp(clause, "其中", 6)) return -1;
    if (may_span(clause, clen) && contains_any(clause, clen, SPAN_WORDS)) return -1;
    /* totals of a five-year review ("累计接待游客17.52亿人次") */
    if (gwr && (rpt_find_short(clause, clen, "累计", 6) || rpt_find_short(clause, clen, "累积", 6))) return -1;
    /* "分别增长6%和7.4%": only the first number takes the first-named scope */
    const char *both = rpt_find_short(clause, clen, "分别", 6);
    if (both && number_between(both, clen - (size_t)(both - clause))) return -1;
    /* another number of the same unit stands before this one in the clause ("从2021年的
     * 46503元和16935元"): the label's words belong to that one */
    if (from_label) {
        size_t mlen = x->metric_len ? x->metric_len : strlen(x->metric);
        if (same_unit_before(clause, clen, unit) ||
            (may_span(x->metric, mlen) && contains_any(x->metric, mlen, SPAN_WORDS)))
            d = key_candidate(mm, x, before, before_len, cs, uc, unit, 0, &from_label);
    }
    return d;
}

/* Asks for the cache lines of p[0..n). */
static inline void prefetch_range(const void *p, size_t n)
{
    for (size_t o = 0; o < n; o += 64)
        __builtin_prefetch((const char *)p + o);
}

/* Asks for the lines of the tables every scan reads, all at once: the stages before this
 * pass evict them for each document, and read on demand they would come one miss after
 * another in the first scans. */
static void prefetch_tables(void)
{
    prefetch_range(K.words.last_bytes, sizeof K.words.last_bytes);
    prefetch_range(K.words.pair_bits, sizeof K.words.pair_bits);
    prefetch_range(K.words.gmap, sizeof K.words.gmap);
    prefetch_range(K.words.second_mask, K.words.n_groups * sizeof *K.words.second_mask);
    prefetch_range(K.pairs.pair, sizeof K.pairs.pair);
    prefetch_range(K.pairs.at, sizeof K.pairs.at);
    prefetch_range(K.pairs.n, sizeof K.pairs.n);
    prefetch_range(K.w, K.n * sizeof *K.w);
    prefetch_range(K.cats.last_bytes, sizeof K.cats.last_bytes);
    prefetch_range(K.cats.pair_bits, sizeof K.cats.pair_bits);
    prefetch_range(K.cats.gmap, sizeof K.cats.gmap);
    prefetch_range(K.veto, sizeof K.veto);
}

int rpt_metric_keys_assign(rpt_document *doc, rpt_buf *err)
{
    (void)err;
    pthread_once(&K_once, build);
    if (doc->n_indicators) prefetch_tables();
    int gwr = doc->doc_type && !strcmp(doc->doc_type, "government_work_report");
    int plan_part = 0;
    for (size_t i = 0; i < doc->n_sections && !plan_part; i++)
        plan_part = doc->sections[i].part == RPT_PART_PLAN;
    /* the sentence of the previous indicator, where its number ended in it, and the years
     * read in it so far */
    const char *prev_sent = NULL;
    size_t prev_sl = 0, prev_end = 0;
    /* where the last years were read (the text, from where, up to where, how far the
     * reading got) and the last one found */
    const char *year_text = NULL;
    size_t year_lo = 0, year_to = 0, year_from = 0;
    int year_found = 0;
    /* the unit classes of the last units seen (units are mostly static names: one pointer
     * each), by a hash of the pointer */
    const char *seen_unit[16] = {NULL};
    int seen_uc[16];
    key_memo memo = {0};
    for (size_t i = 0; i < doc->n_indicators; i++) {
        rpt_indicator *x = &doc->indicators[i];
        int in_section = x->section >= 0 && (size_t)x->section < doc->n_sections;
        /* a target outside any section, or in a report whose plan part has no heading */
        int plan = in_section ? doc->sections[x->section].part == RPT_PART_PLAN : 0;
        if (!plan && x->kind == RPT_KIND_TARGET && (!in_section || !plan_part)) plan = 1;
        x->period_year = plan && doc->plan_year ? doc->plan_year : doc->year;
        x->metric_key = NULL;
        /* the part of its sentence before the number, and the text after it: the number
         * stands where the extractor found it (raw_at); without that, at the first whole
         * occurrence of its raw text after the previous indicator's when they share the
         * sentence */
        const char *before = "", *after_number = NULL;
        size_t before_len = 0, after_len = 0;
        size_t sl = x->sentence ? (x->sentence_len ? x->sentence_len : strlen(x->sentence)) : 0;
        size_t rl = x->raw ? (x->raw_len ? x->raw_len : strlen(x->raw)) : 0;
        if (sl && rl) {
            /* the describer's sentences of one sentence start alike and may end differently */
            size_t common = sl < prev_sl ? sl : prev_sl;
            int same = prev_sent && (x->sentence == prev_sent ||
                                     !memcmp(x->sentence, prev_sent, common < 48 ? common : 48));
            if (!same) prev_end = 0;
            const char *at = NULL;
            if (x->raw_at && rl <= sl && x->raw_at - 1 <= sl - rl) {
                at = x->sentence + x->raw_at - 1; /* where the extractor found the number */
            } else {
                at = number_in(x->sentence, sl, prev_end, x->raw, rl);
                if (!at && prev_end) at = number_in(x->sentence, sl, 0, x->raw, rl);
            }
            prev_sent = x->sentence, prev_sl = sl;
            if (at) {
                size_t pos = (size_t)(at - x->sentence);
                before = x->sentence, before_len = pos;
                after_number = at + rl, after_len = sl - pos - rl;
                prev_end = pos + rl;
                /* years are read in the whole sentence in the document's text when the
                 * extractor took it from there ("2014年，" at its start holds for its last
                 * numbers too, and what stands before a year cut off by the window still
                 * rules it out), else in the sentence as given; on from the last reading
                 * when it was of the same sentence up to here */
                const char *text = x->sentence;
                size_t lo = 0, to = pos, win = x->sentence_at - 1, from = x->sentence_from - 1;
                if (x->sentence_at && x->sentence_from && doc->text && from <= win &&
                    win <= doc->text_len && pos <= doc->text_len - win)
                    text = doc->text, lo = from, to = win + pos;
                if (text != year_text || lo != year_lo || to < year_to)
                    year_text = text, year_lo = lo, year_from = lo, year_found = 0;
                year_found = explicit_year(text, lo, &year_from, to, year_found);
                year_to = to;
                int y = year_found;
                if (y && (!doc->year || (y >= doc->year - 10 && y <= doc->year + 15)))
                    x->period_year = y;
            }
        }
        size_t slot = ((uintptr_t)x->unit >> 3) % 16;
        if (!x->unit || x->unit != seen_unit[slot])
            seen_unit[slot] = x->unit, seen_uc[slot] = unit_class(x->unit);
        int uc = seen_uc[slot];
        int d = K.ok && uc != UC_NONE
                    ? key_of(&memo, x, before, before_len, uc, after_number, after_len, gwr)
                    : -1;
        if (d >= 0) {
            x->metric_key = RPT_METRIC_DEFS[d].key;
            x->category = RPT_METRIC_DEFS[d].category;
        } else if (gwr && x->metric &&
                   (!x->category || (x->category[0] == 'o' && !strcmp(x->category, "other")) ||
                    (x->category[0] == 'f' && !strcmp(x->category, "funding")))) {
            size_t mlen = x->metric_len ? x->metric_len : strlen(x->metric);
            const char *c = report_category(x->metric, mlen);
            if (c) x->category = c;
        }
    }
    return 0;
}
