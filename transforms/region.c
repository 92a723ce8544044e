/* Region and year of a report. The region is the first county-level division named in the
 * title, the issuer, the source's declared region or the portal's own name; its GB/T 2260
 * code, city and province come from data/gazetteer.tsv (see data/SOURCES.md). Names shared
 * by several divisions (城关区, 鼓楼区) are resolved by the city or province named in the
 * same context, or left NULL: a region is never guessed. A division renamed or recoded
 * (海拉尔市 152101 became 海拉尔区 150702 in 2001) has a row per name and code with the
 * years they were valid: a name resolves to the row valid in the report's year. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/bytes.h"
#include "common/log.h"
#include "transforms/decode.h"

#ifndef REPORTD_DATA_DIR
#define REPORTD_DATA_DIR "data"
#endif
#define GAZETTEER_FILE "gazetteer.tsv"
#define MAX_NAME_CHARS 16
#define MAX_CANDIDATES 16
#define TAIL_LOG2 16
#define TAIL_BITS (1u << TAIL_LOG2)

enum { LV_PROVINCE = 0, LV_CITY = 1, LV_COUNTY = 2 };

typedef struct gz_entry {
    const char *code, *name, *city, *province;
    int county; /* LV_COUNTY, LV_CITY (prefecture level) or LV_PROVINCE */
    int from, until;    /* valid in the years [from, until); 0: open */
    const char *became; /* code valid from `until` on, NULL when none */
} gz_entry;

typedef struct gz_key {
    const char *key;
    size_t len;
    int entry;
    int next; /* next key with the same hash slot, -1 at the end */
} gz_key;

static struct {
    char *text; /* the file, split in place */
    gz_entry *entries;
    size_t n_entries;
    gz_key *keys;
    size_t n_keys;
    int *slots; /* hash slot -> first key, -1 when empty */
    size_t n_slots;
    /* the last six bytes (two Han characters) of every key of six bytes or more, hashed into
     * a bit set; and the lengths of the shorter keys: a name search asks for many candidate
     * names that end with 市, 区 or 县 but in two characters no key ends with */
    uint64_t tail_bits[TAIL_BITS / 64];
    unsigned short_lens; /* bit n: some key is n bytes long (n < 6) */
    char path[PATH_MAX];
    int loaded;
} gz;

static pthread_once_t gz_once = PTHREAD_ONCE_INIT;

/* Bit of the tail set for the six bytes at p. */
static inline unsigned tail_bit(const char *p)
{
    uint64_t v = 0;
    memcpy(&v, p, 6);
    return (unsigned)((v * 0x9E3779B97F4A7C15ull) >> (64 - TAIL_LOG2));
}

/* Whether a key of six bytes or more may end with the six bytes at p (0: none does). */
static inline int gz_tail_known(const char *p)
{
    unsigned b = tail_bit(p);
    return (gz.tail_bits[b / 64] >> (b % 64)) & 1;
}

/* Hash of a name: eight bytes per step (the slot of a name only spreads the chains; the
 * order of the keys of one name in its chain does not depend on it). */
static size_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h ^= h >> 32;
    return (size_t)h;
}

/* Reads the gazetteer into gz (text stays allocated for the life of the process). */
static int gz_read(const char *path)
{
    char *text = NULL;
    size_t cap = 0, len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    for (;;) {
        if (len + 65536 + 1 > cap) {
            char *p = realloc(text, cap = cap ? cap * 2 : 262144);
            if (!p) goto fail;
            text = p;
        }
        size_t n = fread(text + len, 1, cap - len - 1, f);
        if (n == 0) break;
        len += n;
    }
    if (ferror(f) || !text) goto fail;
    text[len] = '\0';
    size_t lines = 1;
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        lines++;
    gz.entries = calloc(lines, sizeof *gz.entries);
    gz.keys = calloc(2 * lines, sizeof *gz.keys);
    gz.n_slots = 8192;
    while (gz.n_slots < 4 * lines)
        gz.n_slots *= 2;
    gz.slots = malloc(gz.n_slots * sizeof *gz.slots);
    if (!gz.entries || !gz.keys || !gz.slots) goto fail;
    memset(gz.slots, 0xff, gz.n_slots * sizeof *gz.slots);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char *col[9] = {0};
        int nc = 0;
        for (char *p = line; nc < 9; nc++) {
            col[nc] = p;
            p = strchr(p, '\t');
            if (!p) {
                nc++;
                break;
            }
            *p++ = '\0';
        }
        if (line[0] != '#' && nc >= 5 && strlen(col[0]) == 6) {
            gz_entry *e = &gz.entries[gz.n_entries];
            *e = (gz_entry){col[0], col[1], col[2], col[3],
                            !strcmp(col[4], "county") ? LV_COUNTY
                            : !strcmp(col[4], "city") ? LV_CITY
                                                      : LV_PROVINCE,
                            nc >= 7 ? atoi(col[6]) : 0, nc >= 8 ? atoi(col[7]) : 0,
                            nc >= 9 && strlen(col[8]) == 6 ? col[8] : NULL};
            const char *names[2] = {col[1], nc >= 6 && *col[5] ? col[5] : NULL};
            for (int k = 0; k < 2 && names[k]; k++) {
                gz_key *key = &gz.keys[gz.n_keys];
                key->key = names[k];
                key->len = strlen(names[k]);
                key->entry = (int)gz.n_entries;
                size_t slot = hash_bytes(key->key, key->len) & (gz.n_slots - 1);
                key->next = gz.slots[slot];
                gz.slots[slot] = (int)gz.n_keys++;
                if (key->len >= 6) {
                    unsigned b = tail_bit(key->key + key->len - 6);
                    gz.tail_bits[b / 64] |= 1ull << (b % 64);
                } else {
                    gz.short_lens |= 1u << key->len;
                }
            }
            gz.n_entries++;
        }
        line = nl ? nl + 1 : NULL;
    }
    fclose(f);
    gz.text = text;
    return 0;
fail:
    fclose(f);
    free(text);
    free(gz.entries);
    free(gz.keys);
    free(gz.slots);
    gz.entries = NULL, gz.keys = NULL, gz.slots = NULL;
    gz.n_entries = gz.n_keys = 0;
    return -1;
}

/* Finds the gazetteer: $REPORTD_DATA_DIR, <executable dir>/../share/reportd/data (an
 * installed binary's own prefix first), then the source tree's data dir (a build tree). */
static void gz_load(void)
{
    char dirs[3][PATH_MAX];
    int nd = 0;
    const char *env = getenv("REPORTD_DATA_DIR");
    if (env && *env) snprintf(dirs[nd++], PATH_MAX, "%s", env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(dirs[nd++], PATH_MAX, "%.*s/../share/reportd/data", PATH_MAX - 32, exe);
    }
    snprintf(dirs[nd++], PATH_MAX, "%s", REPORTD_DATA_DIR);
    for (int i = 0; i < nd; i++) {
        char path[PATH_MAX + 32];
        size_t dl = strnlen(dirs[i], PATH_MAX - 1);
        memcpy(path, dirs[i], dl);
        memcpy(path + dl, "/" GAZETTEER_FILE, sizeof("/" GAZETTEER_FILE));
        if (gz_read(path) == 0) {
            size_t pl = strlen(path);
            if (pl >= sizeof gz.path) pl = sizeof gz.path - 1;
            memcpy(gz.path, path, pl);
            gz.path[pl] = '\0';
            gz.loaded = 1;
            rpt_log_debug("region", "gazetteer loaded", "path=%s divisions=%zu", path, gz.n_entries);
            return;
        }
    }
    rpt_log_warn("region", "gazetteer not found; regions will not be resolved",
                "looked_in=%s tried=%d file=%s", dirs[0], nd, GAZETTEER_FILE);
}

const char *rpt_gazetteer_path(void)
{
    pthread_once(&gz_once, gz_load);
    return gz.loaded ? gz.path : NULL;
}

/* Collects up to max entries whose name or alias is exactly s[0..len). */
static inline int gz_lookup(const char *s, size_t len, int *out, int max)
{
    int n = 0;
    size_t slot = hash_bytes(s, len) & (gz.n_slots - 1);
    for (int k = gz.slots[slot]; k >= 0 && n < max; k = gz.keys[k].next)
        if (gz.keys[k].len == len && !memcmp(gz.keys[k].key, s, len)) {
            int dup = 0;
            for (int i = 0; i < n; i++)
                dup |= out[i] == gz.keys[k].entry;
            if (!dup) out[n++] = gz.keys[k].entry;
        }
    return n;
}

/* Whether entry e was valid in year (0: today, i.e. it has not been replaced). */
static int gz_valid(const gz_entry *e, int year)
{
    if (!year) return !e->until;
    return (!e->from || year >= e->from) && (!e->until || year < e->until);
}

/* The entry with this code valid in year, -1 when none. */
static int gz_by_code(const char *code, int year)
{
    for (size_t i = 0; i < gz.n_entries; i++)
        if (gz_valid(&gz.entries[i], year) && !strcmp(gz.entries[i].code, code)) return (int)i;
    return -1;
}

/* The entry that became e when e started (a rename or recoding: its `became` is e's code
 * and its `until` e's `from`), -1 when none (a new division). */
static int gz_predecessor(int e)
{
    const gz_entry *g = &gz.entries[e];
    for (size_t i = 0; i < gz.n_entries; i++)
        if (gz.entries[i].became && gz.entries[i].until == g->from &&
            !strcmp(gz.entries[i].became, g->code))
            return (int)i;
    return -1;
}

/* The entry of the same division valid in year (0: today): e itself, or the name and code
 * it became later or had before; -1 when the division did not exist in that year. */
static int gz_in_year(int e, int year)
{
    for (int hops = 0; e >= 0 && hops < 8; hops++) {
        const gz_entry *g = &gz.entries[e];
        if (gz_valid(g, year)) return e;
        if (g->until && (!year || year >= g->until))
            e = g->became ? gz_by_code(g->became, g->until) : -1;
        else if (g->from && year < g->from)
            e = gz_predecessor(e);
        else
            return -1;
    }
    return -1;
}

/* Whether b is the last byte of one of 区县市旗州省盟 (most characters end otherwise). */
static inline int suffix_last_byte(unsigned char b)
{
    switch (b) {
    case 0xBA:
    case 0xBF:
    case 0x82:
    case 0x97:
    case 0x9E:
    case 0x81:
    case 0x9F:
        return 1;
    default:
        return 0;
    }
}

static int is_suffix_char(const char *p)
{
    if (!suffix_last_byte((unsigned char)p[2])) return 0;
    return !memcmp(p, "区", 3) || !memcmp(p, "县", 3) || !memcmp(p, "市", 3) ||
           !memcmp(p, "旗", 3) || !memcmp(p, "州", 3) || !memcmp(p, "省", 3) ||
           !memcmp(p, "盟", 3);
}

/* The first e in [from, len] such that s[e - 1] is the last byte of one of 区县市旗州省盟,
 * else len + 1: 16 bytes per compare (SSE2) over the long texts a body search reads. */
static size_t next_suffix_end(const char *s, size_t from, size_t len)
{
    size_t i = from - 1; /* the byte looked at */
#ifdef __SSE2__
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
#define EQ(b) _mm_cmpeq_epi8(x, _mm_set1_epi8((char)(b)))
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_or_si128(EQ(0xBA), EQ(0xBF)),
                                              _mm_or_si128(EQ(0x82), EQ(0x97))),
                                 _mm_or_si128(_mm_or_si128(EQ(0x9E), EQ(0x81)), EQ(0x9F)));
#undef EQ
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits) return i + (size_t)__builtin_ctz(bits) + 1;
    }
#endif
    for (; i < len; i++)
        if (suffix_last_byte((unsigned char)s[i])) return i + 1;
    return len + 1;
}

/* A place name without its level word: 兰州市 -> 兰州, 甘肃省 -> 甘肃 (at least 2 chars). */
static size_t short_name(const char *name, size_t len)
{
    static const char *const sfx[] = {
        "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟"};
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        size_t sl = strlen(sfx[i]);
        if (len > sl + 3 && !memcmp(name + len - sl, sfx[i], sl)) return len - sl;
    }
    return len;
}

/* Whether ctx names s, fully or without its level word. */
static int ctx_names(const char *ctx, const char *s)
{
    if (!ctx || !s || !*s) return 0;
    size_t sl = short_name(s, strlen(s));
    if (strstr(ctx, s)) return 1;
    char tmp[64];
    if (sl >= sizeof tmp) return 0;
    memcpy(tmp, s, sl);
    tmp[sl] = '\0';
    return strstr(ctx, tmp) != NULL;
}

typedef struct match {
    int entries[MAX_CANDIDATES];
    int n;
    size_t start, end;
} match;

/* Whether a 2-character name (和县, 城区) stands as a division name here: preceded by its
 * city, or followed by 教/人民/政府/委. */
static int short_name_ok(const char *s, size_t start, size_t end, const gz_entry *e)
{
    if (end - start > 6) return 1;
    size_t cl = strlen(e->city);
    if (start >= cl && !memcmp(s + start - cl, e->city, cl)) return 1;
    static const char *const next[] = {"教", "人民", "政府", "委"};
    for (size_t i = 0; i < sizeof next / sizeof *next; i++)
        if (!strncmp(s + end, next[i], strlen(next[i]))) return 1;
    return 0;
}

/* First division name in s of the wanted level (LV_*): the earliest end, the longest name
 * ending there. m gets the entries of the divisions of that name as they were in year (0:
 * today); a name of a division that did not exist then counts as none. */
static int find_name(const char *s, int county, int year, match *m)
{
    size_t len = strlen(s);
    for (size_t e = 3; e <= len; e++) {
        e = next_suffix_end(s, e, len);
        if (e > len) break;
        if (!is_suffix_char(s + e - 3)) continue;
        /* whether a key of six bytes or more may end here; skipped when none may and there
         * are no shorter keys */
        int tail = e >= 6 && gz_tail_known(s + e - 6);
        if (!tail && !gz.short_lens) continue;
        /* candidate starts, longest first, on UTF-8 boundaries */
        size_t starts[MAX_NAME_CHARS];
        int ns = 0;
        for (size_t b = e - 3; b > 0 && ns < MAX_NAME_CHARS;) {
            b--;
            while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
                b--;
            if (((unsigned char)s[b] & 0xC0) == 0x80) break;
            starts[ns++] = b;
        }
        for (int k = ns - 1; k >= 0; k--) {
            size_t kl = e - starts[k];
            if (kl < 6 ? !((gz.short_lens >> kl) & 1) : !tail) continue;
            int ids[MAX_CANDIDATES],
                n = gz_lookup(s + starts[k], e - starts[k], ids, MAX_CANDIDATES);
            /* a name in use that year means that division (the prefecture 思茅市 of 2005),
             * not a former one of the same name that became another; a name out of use
             * means each division it named, of any level (思茅市 in 2012: 思茅区 or the
             * prefecture 普洱市, ambiguous unless the context tells) */
            int in_use = 0;
            for (int i = 0; i < n && !in_use; i++)
                in_use = gz_valid(&gz.entries[ids[i]], year);
            m->n = 0;
            for (int pass = 0; pass < 2 && (pass == 0 || (!in_use && m->n)); pass++)
                for (int i = 0; i < n; i++) {
                    const gz_entry *g = &gz.entries[ids[i]];
                    if ((g->county == county) != (pass == 0) || (in_use && !gz_valid(g, year)) ||
                        !short_name_ok(s, starts[k], e, g))
                        continue;
                    int x = gz_in_year(ids[i], year), dup = 0;
                    for (int j = 0; j < m->n; j++)
                        dup |= m->entries[j] == x;
                    if (x >= 0 && !dup) m->entries[m->n++] = x;
                }
            if (m->n) {
                m->start = starts[k], m->end = e;
                return 1;
            }
        }
    }
    return 0;
}

/* The one entry of m that the context points to, or -1 when it stays ambiguous. */
static int disambiguate(const match *m, const char *const *ctx, int n_ctx)
{
    if (m->n == 1) return m->entries[0];
    for (int level = 0; level < 2; level++) {
        int pick = -1, hits = 0;
        for (int i = 0; i < m->n; i++) {
            const gz_entry *e = &gz.entries[m->entries[i]];
            const char *want = level == 0 ? e->city : e->province;
            int named = 0;
            for (int c = 0; c < n_ctx && !named; c++)
                named = ctx_names(ctx[c], want);
            if (named) pick = m->entries[i], hits++;
        }
        if (hits == 1) return pick;
    }
    return -1;
}

static const char *const LEVEL_NAMES[] = {"province", "city", "county"};

/* Copies the division into doc's region fields; -1 when out of memory. */
static int set_region(rpt_document *doc, const gz_entry *e)
{
    doc->region = strdup(e->name);
    doc->region_code = strdup(e->code);
    doc->province = strdup(e->province);
    doc->city = *e->city ? strdup(e->city) : NULL;
    doc->level = LEVEL_NAMES[e->county];
    if (doc->region && doc->region_code && doc->province) return 0;
    free(doc->region), free(doc->region_code), free(doc->province), free(doc->city);
    doc->region = doc->region_code = doc->province = doc->city = NULL;
    doc->level = NULL;
    return -1;
}

/* Whether one of the words (NULL-terminated) starts at s. */
static int starts_with_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (!strncmp(s, *words, strlen(*words))) return 1;
    return 0;
}

enum { FOUND = 0, NONE = -1, AMBIGUOUS = -2 };

/* The first division of the given level named in s (followed by one of `follow` when that
 * is not NULL), disambiguated by ctx: its entry index in *out and FOUND, AMBIGUOUS when the
 * first such name stays ambiguous, NONE when s names none. */
static int name_in(const char *s, int level, int year, const char *const *follow,
                   const char *const *ctx, int n_ctx, int *out)
{
    match m;
    while (find_name(s, level, year, &m)) {
        if (follow && !starts_with_any(s + m.end, follow)) {
            s += m.end;
            continue;
        }
        int e = disambiguate(&m, ctx, n_ctx);
        if (e < 0) return AMBIGUOUS;
        *out = e;
        return FOUND;
    }
    return NONE;
}

/* Words after a prefecture or province name that make it the author of a report
 * (衡阳市教育局, 甘肃省政府工作报告), not a place it mentions. */
static const char *const AUTHOR_NEXT[] = {"教", "人民政府", "政府", NULL};
/* Words after a name in the opening lines of a government work report: the people's
 * congress line ("在海拉尔区第十五届人民代表大会", "在甘肃省十四届人民代表大会") and the
 * speaker's office ("海拉尔区人民政府区长", "甘肃省省长"). */
static const char *const OPENING_NEXT[] = {"第", "人民", "政府", "十", "省长", "区长", "县长",
                                           "市长", "旗长", "州长", "盟长", "主席", "代区长",
                                           "代县长", "代市长", "代省长", NULL};

char *rpt_region_opening_lines(const rpt_document *doc)
{
    if (!doc->text) return NULL;
    const char *s = doc->text;
    size_t len = doc->text_len < 4096 ? doc->text_len : 4096;
    int lines = 0, after = -1;
    size_t i = 0;
    while (i < len && lines < 40 && after != 0) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        if (after > 0) after--;
        if (after < 0 && e - i >= 12 && rpt_find_short(s + i, e - i, "各位代表", 12)) after = 3;
        i = e + 1, lines++;
    }
    if (i > len) i = len;
    while (i > 0 && i < doc->text_len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return strndup(s, i);
}

/* The lines of the opening that can name the speaker's government: the people's congress
 * line and the speaker's office (a copy, caller frees; NULL when none). Searching only
 * these keeps place names of the salutation paragraph out and the search short. */
static char *office_lines(const char *open)
{
    static const char *const marks[] = {"人民代表大会", "人民政府", "长", "主席", NULL};
    if (!open) return NULL;
    size_t len = strlen(open), o = 0;
    /* every kept line gets a '\n', the last one too when the opening has none: len + 2 */
    char *out = malloc(len + 2);
    if (!out) return NULL;
    for (const char *line = open; *line;) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        int keep = 0;
        for (size_t k = 0; marks[k] && !keep; k++)
            keep = rpt_find_short(line, ll, marks[k], strlen(marks[k])) != NULL;
        if (keep && ll < 400) {
            memcpy(out + o, line, ll);
            o += ll;
            out[o++] = '\n';
        }
        line = nl ? nl + 1 : line + ll;
    }
    out[o] = '\0';
    return out;
}

/* Whether the opening lines are those of the State Council's report to the National
 * People's Congress. */
static int national_opening(const char *open)
{
    return open && (strstr(open, "全国人民代表大会") || strstr(open, "国务院总理") ||
                    strstr(open, "代表国务院"));
}

/* Occurrences of needle (len bytes) in hay. */
static size_t count_of(const char *hay, const char *needle, size_t len)
{
    size_t n = 0;
    for (const char *p = hay; (p = rpt_find_short(p, strlen(p), needle, len)) != NULL; p += len)
        n++;
    return n;
}

/* Last resort for reports whose title names only the office ("区教育局…"): the county-level
 * division the body names most often, counting its name without the level word too
 * ("学在临平"), when it is named at least three times and more than any other. The level
 * word of the title (区, 县, 旗, 市) must match. */
static int body_name(const rpt_document *doc, const char *const *ctx, int n_ctx)
{
    static const char *const office[] = {"区教", "县教", "旗教", "市教", "区人民政府",
                                         "县人民政府", "区政府", "县政府", NULL};
    if (!doc->title || !doc->text) return -1;
    const char *t = doc->title;
    while (*t && ((unsigned char)*t < 0x80 || !starts_with_any(t, office)))
        t++;
    if (!*t) return -1;
    char suffix[4];
    memcpy(suffix, t, 3), suffix[3] = '\0';
    int best = -1, best_n = 0, tie = 0;
    int seen[MAX_CANDIDATES];
    int n_seen = 0;
    const char *s = doc->text;
    match m;
    while (find_name(s, LV_COUNTY, doc->year, &m) && n_seen < MAX_CANDIDATES) {
        const char *end = s + m.end;
        int e = !memcmp(end - 3, suffix, 3) ? disambiguate(&m, ctx, n_ctx) : -1;
        s = end;
        if (e < 0) continue;
        int dup = 0;
        for (int k = 0; k < n_seen; k++)
            dup |= seen[k] == e;
        if (dup) continue;
        seen[n_seen++] = e;
        const char *name = gz.entries[e].name;
        size_t nl = strlen(name);
        int n = (int)count_of(doc->text, name, nl - 3 >= 6 ? nl - 3 : nl);
        if (n > best_n)
            best = e, best_n = n, tie = 0;
        else if (n == best_n)
            tie = 1;
    }
    return best_n >= 3 && !tie ? best : -1;
}

int rpt_region_year_of(const char *title)
{
    if (!title) return 0;
    static const char *const cn_digits[] = {"〇", "一", "二", "三", "四", "五", "六",
                                            "七", "八", "九", "零", "○",  "Ｏ"};
    for (const char *p = title; *p; p++) {
        if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
            p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && !strncmp(p + 4, "年", 3) &&
            (p == title || p[-1] < '0' || p[-1] > '9')) {
            int y = atoi(p);
            if (y >= 1990 && y <= 2100) return y;
        }
    }
    /* 二〇二四年 */
    for (const char *p = title; *p; p++) {
        /* every numeral above starts with a byte of 0xE2 or more */
        if ((unsigned char)*p < 0xE2) continue;
        int y = 0, nd = 0;
        const char *q = p;
        while (nd < 4) {
            int d = -1;
            for (int i = 0; i < 13 && d < 0; i++)
                if (!strncmp(q, cn_digits[i], strlen(cn_digits[i])))
                    d = i >= 10 ? 0 : i, q += strlen(cn_digits[i]);
            if (d < 0) break;
            y = y * 10 + d, nd++;
        }
        if (nd == 4 && !strncmp(q, "年", 3) && y >= 1990 && y <= 2100) return y;
    }
    return 0;
}

/* Year from the first lines of the text ("一、2017年教育工作总结") when the title has none. */
static int year_from_text(const rpt_document *doc)
{
    const char *s = doc->text;
    size_t len = doc->text_len;
    int lines = 0;
    for (size_t i = 0; i < len && lines < 12; lines++) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        if (e - i < 240) {
            char *line = strndup(s + i, e - i);
            if (line && strstr(line, "总结")) {
                int y = rpt_region_year_of(line);
                free(line);
                if (y) return y;
            } else {
                free(line);
            }
        }
        i = e + 1;
    }
    return 0;
}

void rpt_region_resolve(rpt_document *doc, const char *portal, const char *hint)
{
    if (!doc->year) doc->year = rpt_region_year_of(doc->title);
    if (!doc->year && doc->text) doc->year = year_from_text(doc);
    if (doc->region) return;
    pthread_once(&gz_once, gz_load);
    char *open = rpt_region_opening_lines(doc);
    char *office = office_lines(open);
    const char *ctx[5] = {doc->title, open, doc->issuer, hint, portal};
    int e = -1, r;
    /* the source's configured region wins */
    if (gz.loaded && hint && *hint)
        for (int level = LV_COUNTY; level >= LV_PROVINCE && e < 0; level--)
            if (name_in(hint, level, doc->year, NULL, ctx, 5, &r) == FOUND) e = r;
    /* then the title, the opening lines and the issuer; county level first */
    for (int level = LV_COUNTY; gz.loaded && level >= LV_PROVINCE && e < 0; level--) {
        const char *where[] = {doc->title, office, doc->issuer};
        for (int c = 0; c < 3 && e < 0; c++) {
            if (!where[c] || !*where[c]) continue;
            const char *const *follow =
                c == 1 ? OPENING_NEXT : level == LV_COUNTY ? NULL : AUTHOR_NEXT;
            if (c == 1 && national_opening(open)) continue;
            if (name_in(where[c], level, doc->year, follow, ctx, 5, &r) == FOUND) e = r;
        }
    }
    if (e < 0 && national_opening(open) &&
        !(doc->title && strstr(doc->title, "省"))) { /* the State Council's report */
        doc->region = strdup("全国");
        doc->region_code = strdup("100000");
        doc->level = "national";
        if (!doc->region || !doc->region_code) {
            free(doc->region), free(doc->region_code);
            doc->region = doc->region_code = NULL, doc->level = NULL;
        }
        free(open);
        free(office);
        return;
    }
    /* the portal's own name: county level only */
    if (gz.loaded && e < 0 && portal && *portal &&
        name_in(portal, LV_COUNTY, doc->year, NULL, ctx, 5, &r) == FOUND)
        e = r;
    if (gz.loaded && e < 0) e = body_name(doc, ctx, 5);
    free(open);
    free(office);
    if (e >= 0) set_region(doc, &gz.entries[e]);
}

void rpt_region_in_year(rpt_document *doc)
{
    if (!doc->region || !doc->region_code) return;
    pthread_once(&gz_once, gz_load);
    if (!gz.loaded) return;
    int ids[MAX_CANDIDATES], n = gz_lookup(doc->region, strlen(doc->region), ids, MAX_CANDIDATES);
    for (int i = 0; i < n; i++) {
        const gz_entry *g = &gz.entries[ids[i]];
        if (strcmp(g->name, doc->region) || strcmp(g->code, doc->region_code)) continue;
        int x = gz_in_year(ids[i], doc->year);
        if (x == ids[i]) return;
        free(doc->region), free(doc->region_code), free(doc->province), free(doc->city);
        doc->region = doc->region_code = doc->province = doc->city = NULL;
        doc->level = NULL;
        if (x >= 0) set_region(doc, &gz.entries[x]);
        return;
    }
}
