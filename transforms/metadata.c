/* Metadata from labelled lines ("发布时间:2025-05-30 12:02:29 来源:办公室", metadata tables
 * rendered as tab- or |-separated cells), report titles, and the page-chrome lines that
 * surround the body on government portals. Works on UTF-8 lines; never changes the text. */
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "transforms/decode.h"

#define MAX_META_LINE 400 /* bytes: longer lines are body text */
#define TITLE_MAX_BYTES (4 * 80 + 64) /* longer than any title */
#define MAX_CHROME_LINE 150
#define MAX_VALUE 180
#define HEAD_LINES 15
#define TAIL_LINES 6

enum { F_DATE, F_ISSUER, F_INDEX, F_DOCNO };

static const struct {
    const char *label;
    int field, prio;
} labels[] = {
    {"发布时间", F_DATE, 0},   {"发布日期", F_DATE, 0},   {"公开日期", F_DATE, 1},
    {"成文日期", F_DATE, 2},   {"日期", F_DATE, 3},       {"时间", F_DATE, 4},
    {"发布机构", F_ISSUER, 0}, {"发文机关", F_ISSUER, 0}, {"责任部门", F_ISSUER, 1},
    {"信息来源", F_ISSUER, 2}, {"来源", F_ISSUER, 2},     {"信息索引号", F_INDEX, 0},
    {"索引号", F_INDEX, 1},    {"文件编号", F_DOCNO, 0},  {"发文字号", F_DOCNO, 0},
    {"文号", F_DOCNO, 1},
};
#define N_LABELS (sizeof labels / sizeof *labels)

static const char *const chrome_marks[] = {"当前位置",
                                           "您现在的位置",
                                           "您的位置",
                                           "所在位置",
                                           "打印本页",
                                           "打印此页",
                                           "关闭窗口",
                                           "关闭本页",
                                           "扫一扫在手机打开当前页",
                                           "扫一扫在手机上查看",
                                           "手机扫一扫",
                                           "字体大小",
                                           "字号：",
                                           "字号:",
                                           "【打印】",
                                           "【关闭】",
                                           "[打印]",
                                           "[关闭]",
                                           "返回顶部",
                                           "相关文章",
                                           "相关链接",
                                           "相关阅读",
                                           "相关信息",
                                           "分享到",
                                           "上一篇",
                                           "下一篇",
                                           "浏览次数",
                                           "阅读次数",
                                           "访问次数",
                                           "【大】",
                                           "【中】",
                                           "【小】"};

static const char *const title_words[] = {"总结", "计划", "报告", "思路", "要点",
                                          "打算", "安排", "情况", "工作"};

/* Bytes of whitespace (ASCII blank, U+00A0, U+3000) at s, 0 when none. */
static size_t space_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n')) return 1;
    if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0) return 2;
    if (len >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) return 3;
    if (len >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xAF)) return 3;
    return 0;
}

/* Length of s[0..len) without the blanks at either end, which start at *from. */
static size_t trim_span(const char *s, size_t len, size_t *from)
{
    size_t k, a = 0;
    while (len && (k = space_at(s + a, len)) != 0)
        a += k, len -= k;
    s += a;
    *from = a;
    for (;;) {
        if (len >= 1 &&
            (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
            len -= 1;
        else if (len >= 2 && !memcmp(s + len - 2, "\xC2\xA0", 2))
            len -= 2;
        else if (len >= 3 &&
                 (!memcmp(s + len - 3, "\xE3\x80\x80", 3) ||
                  (!memcmp(s + len - 3, "\xE2\x80", 2) &&
                   ((unsigned char)s[len - 1] <= 0x8A || (unsigned char)s[len - 1] == 0xAF))))
            len -= 3;
        else
            break;
    }
    return len;
}

char *rpt_meta_strdup_trim(const char *s, size_t len)
{
    size_t from, n = trim_span(s, len, &from);
    return strndup(s + from, n);
}

/* Reads up to max_digits ASCII digits at s[*i] into *val; returns how many were read. */
static int digits(const char *s, size_t len, size_t *i, int max_digits, int *val)
{
    int n = 0, v = 0;
    while (*i < len && n < max_digits && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0'), n++;
    *val = v;
    return n;
}

/* Matches one of the separators at s[*i] ("-", "/", ".", or the given CJK unit). */
static int date_sep(const char *s, size_t len, size_t *i, const char *cjk)
{
    if (*i < len && (s[*i] == '-' || s[*i] == '/' || s[*i] == '.')) {
        (*i)++;
        return 1;
    }
    size_t cl = strlen(cjk);
    if (*i + cl <= len && !memcmp(s + *i, cjk, cl)) {
        *i += cl;
        return 2;
    }
    return 0;
}

size_t rpt_meta_parse_date(const char *s, size_t len, char out[32])
{
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (digits(s, len, &i, 4, &y) != 4 || y < 1990 || y > 2100) return 0;
    int kind = date_sep(s, len, &i, "年");
    if (!kind || !digits(s, len, &i, 2, &mo) || mo < 1 || mo > 12) return 0;
    if (!date_sep(s, len, &i, "月") || !digits(s, len, &i, 2, &d) || d < 1 || d > 31) return 0;
    if (i + 3 <= len && !memcmp(s + i, "日", 3)) i += 3;
    size_t j = i, k;
    while (j < len && (k = space_at(s + j, len - j)) != 0)
        j += k;
    size_t t = j;
    int colon = t < len && digits(s, len, &t, 2, &h) && t < len &&
                (s[t] == ':' || (t + 3 <= len && !memcmp(s + t, "：", 3)));
    if (colon) {
        t += s[t] == ':' ? 1 : 3;
        if (digits(s, len, &t, 2, &mi) == 2 && h < 24 && mi < 60) {
            if (t < len && s[t] == ':') {
                size_t t2 = t + 1;
                if (digits(s, len, &t2, 2, &sec) == 2 && sec < 60)
                    t = t2;
                else
                    sec = 0;
            }
            i = t;
        } else {
            h = mi = 0;
        }
    } else {
        h = 0;
    }
    /* Fields are range-checked above; the modulo only tells the compiler their width. */
    snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u+08:00", (unsigned)y % 10000u,
             (unsigned)mo % 100u, (unsigned)d % 100u, (unsigned)h % 100u, (unsigned)mi % 100u,
             (unsigned)sec % 100u);
    return i;
}

void rpt_meta_scan_init(rpt_meta_scan *scan, const rpt_document *doc)
{
    char *const fields[4] = {doc->published_at, doc->issuer, doc->index_no, doc->doc_no};
    for (int f = 0; f < 4; f++)
        scan->prio[f] = fields[f] ? -1 : INT_MAX;
}

/* Whether a label may start at s[i]: line start or after a blank, separator or bracket. */
static int label_boundary(const char *s, size_t i)
{
    if (i == 0) return 1;
    unsigned char c = (unsigned char)s[i - 1];
    if (c == ' ' || c == '\t' || c == '|' || c == '[' || c == '(' || c == ':') return 1;
    if (i >= 3) {
        const char *p = s + i - 3;
        if (!memcmp(p, "】", 3) || !memcmp(p, "【", 3) || !memcmp(p, "\xE3\x80\x80", 3) ||
            !memcmp(p, "：", 3) || !memcmp(p, "（", 3) || !memcmp(p, "丨", 3))
            return 1;
    }
    if (i >= 2 && !memcmp(s + i - 2, "\xC2\xA0", 2)) return 1;
    return 0;
}

/* Bit (last byte % 64) of the first character of each label: most characters of a line
 * end otherwise. */
static uint64_t label_last_bytes(void)
{
    uint64_t bits = 0;
    for (size_t l = 0; l < N_LABELS; l++)
        bits |= 1ull << ((unsigned char)labels[l].label[2] % 64);
    return bits;
}

/* Whether s[i] is the first character of some label (a cheap filter before label_at). */
static int label_first_char(const char *s, size_t len, size_t i)
{
    if ((unsigned char)s[i] < 0xE0 || i + 3 > len) return 0;
    if (!((label_last_bytes() >> ((unsigned char)s[i + 2] % 64)) & 1)) return 0;
    for (size_t l = 0; l < N_LABELS; l++)
        if (!memcmp(s + i, labels[l].label, 3)) return 1;
    return 0;
}

/* Index of the label starting at s[i], or -1. */
static int label_at(const char *s, size_t len, size_t i)
{
    for (size_t l = 0; l < N_LABELS; l++) {
        size_t ll = strlen(labels[l].label);
        if (i + ll <= len && !memcmp(s + i, labels[l].label, ll)) return (int)l;
    }
    return -1;
}

static char **field_ptr(rpt_document *doc, int f)
{
    return f == F_DATE     ? &doc->published_at
           : f == F_ISSUER ? &doc->issuer
           : f == F_INDEX  ? &doc->index_no
                           : &doc->doc_no;
}

int rpt_meta_scan_line(rpt_meta_scan *scan, rpt_document *doc, const char *line, size_t len)
{
    int found = 0;
    if (len > MAX_META_LINE) return 0;
    for (size_t i = 0; i < len;) {
        int l =
            label_first_char(line, len, i) && label_boundary(line, i) ? label_at(line, len, i) : -1;
        if (l < 0) {
            i++;
            continue;
        }
        size_t j = i + strlen(labels[l].label), k;
        i = j;
        while (j < len && (k = space_at(line + j, len - j)) != 0 && line[j] != '\t')
            j += k;
        int sep = 0;
        if (j < len && (line[j] == ':' || line[j] == '|' || line[j] == '\t'))
            sep = 1, j++;
        else if (j + 3 <= len && !memcmp(line + j, "：", 3))
            sep = 1, j += 3;
        if (!sep &&
            !(labels[l].field == F_DATE && j > i && j < len && line[j] >= '0' && line[j] <= '9'))
            continue;
        while (j < len && line[j] != '\t' && line[j] != '|' &&
               (k = space_at(line + j, len - j)) != 0)
            j += k;
        int f = labels[l].field;
        char **dst = field_ptr(doc, f);
        if (f == F_DATE) {
            char iso[32];
            size_t used = rpt_meta_parse_date(line + j, len - j, iso);
            if (!used) continue;
            i = j + used;
            found++;
            if (labels[l].prio < scan->prio[f]) {
                char *v = strdup(iso);
                if (!v) continue;
                free(*dst);
                *dst = v;
                scan->prio[f] = labels[l].prio;
            }
            continue;
        }
        size_t v0 = j;
        while (j < len && line[j] != '\t' && line[j] != '|' && !space_at(line + j, len - j) &&
               !(j > v0 && label_boundary(line, j) && label_at(line, len, j) >= 0))
            j++;
        if (j == v0 || j - v0 > MAX_VALUE || label_at(line, len, v0) >= 0) continue;
        i = j;
        found++;
        if (labels[l].prio < scan->prio[f]) {
            char *v = strndup(line + v0, j - v0);
            if (!v) continue;
            free(*dst);
            *dst = v;
            scan->prio[f] = labels[l].prio;
        }
    }
    return found;
}

int rpt_meta_is_chrome_line(const char *line, size_t len)
{
    if (len > MAX_CHROME_LINE) return 0;
    char *t = rpt_meta_strdup_trim(line, len);
    if (!t) return 0;
    int chrome = 0;
    /* the bytes the line holds: a mark whose last byte it lacks is not in it */
    uint64_t has[4] = {0, 0, 0, 0};
    for (const unsigned char *u = (const unsigned char *)t; *u; u++)
        has[*u >> 6] |= 1ull << (*u & 63);
    for (size_t i = 0; i < sizeof chrome_marks / sizeof *chrome_marks && !chrome; i++) {
        unsigned char last = (unsigned char)chrome_marks[i][strlen(chrome_marks[i]) - 1];
        chrome = ((has[last >> 6] >> (last & 63)) & 1) && strstr(t, chrome_marks[i]) != NULL;
    }
    if (!chrome && (!strcmp(t, "打印") || !strcmp(t, "关闭") || !strcmp(t, "返回") ||
                    !strcmp(t, "|") || !strcmp(t, "【打印】【关闭】")))
        chrome = 1;
    if (!chrome) {
        rpt_document scratch = {0};
        rpt_meta_scan scan = {{INT_MAX, INT_MAX, INT_MAX, INT_MAX}};
        chrome = rpt_meta_scan_line(&scan, &scratch, t, strlen(t)) > 0;
        rpt_document_clear(&scratch);
    }
    free(t);
    return chrome;
}

/* Whether s starts with a heading marker: 一、 （一） (一) 1. 1、 */
static int starts_with_marker(const char *s, size_t len)
{
    static const char *const cn = "一二三四五六七八九十";
    if (len >= 3 && (!memcmp(s, "（", 3) || s[0] == '(')) return 1;
    if (len >= 2 && s[0] >= '0' && s[0] <= '9' &&
        (s[1] == '.' || (len >= 4 && !memcmp(s + 1, "、", 3)) ||
         (len >= 4 && !memcmp(s + 1, "．", 3))))
        return 1;
    for (size_t i = 0; i + 3 <= strlen(cn); i += 3)
        if (len >= 6 && !memcmp(s, cn + i, 3) && !memcmp(s + 3, "、", 3)) return 1;
    return 0;
}

int rpt_meta_title_score(const char *line, size_t len)
{
    if (len > TITLE_MAX_BYTES) return 0;
    char *t = rpt_meta_strdup_trim(line, len);
    if (!t) return 0;
    size_t tl = strlen(t), chars = rpt_utf8_chars(t, tl);
    int score = 0;
    if (chars < 6 || chars > 80 || starts_with_marker(t, tl) || strchr(t, '|') || strchr(t, '\t'))
        goto out;
    static const char *const enders[] = {"。", "；", "，", "：", ":", ";", ","};
    for (size_t i = 0; i < sizeof enders / sizeof *enders; i++) {
        size_t el = strlen(enders[i]);
        if (tl >= el && !memcmp(t + tl - el, enders[i], el)) goto out;
    }
    if (strstr(t, "。") || strstr(t, "，")) goto out;
    /* page chrome last: it is the costliest test (and any of them scores 0) */
    if (rpt_meta_is_chrome_line(t, tl)) goto out;
    score = 1;
    for (size_t i = 0; i < sizeof title_words / sizeof *title_words; i++)
        if (strstr(t, title_words[i])) {
            score = i < 3 ? 3 : 2;
            break;
        }
out:
    free(t);
    return score;
}

/* Whether s[0..len) starts with a Han character (CJK unified ideographs, extension A and
 * the compatibility block: three-byte UTF-8 sequences). */
static int han_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len < 3 || (u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return 0;
    unsigned cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Lead bytes of the UTF-8 sequence that ends just before s[i]: 0 when none is a whole one. */
static size_t prev_char_at(const char *s, size_t i)
{
    size_t b = i;
    while (b > 0 && i - b < 4 && ((unsigned char)s[b - 1] & 0xC0) == 0x80)
        b--;
    return b > 0 ? b - 1 : 0;
}

/* Bytes of the blank at s (ASCII space or tab: 1, U+3000: 3), 0 when none. */
static size_t blank_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t')) return 1;
    return len >= 3 && !memcmp(s, "\xE3\x80\x80", 3) ? 3 : 0;
}

/* The first position in [i, len) holding a byte that can start a blank (space, tab, 0xE3
 * of U+3000), else len: 16 bytes per compare (SSE2). */
static size_t blank_free_end(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))),
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\xE3')));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits) return i + (size_t)__builtin_ctz(bits);
    }
#endif
    while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\xE3')
        i++;
    return i;
}

/* A copy of the line t with the blanks (ASCII space, tab, U+3000) between two Han
 * characters removed: a title typeset with letter spacing ("政 府 工 作 报 告") reads as
 * "政府工作报告". Other blanks stay. NULL when out of memory; the caller frees. Only the
 * title is derived from it: the text itself and its offsets never change. */
static char *join_spaced_han(const char *t)
{
    size_t len = strlen(t), o = 0;
    char *out = malloc(len + 1);
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
        /* the bytes before the next one that can start a blank are copied as they are */
        size_t r = blank_free_end(t, i, len);
        if (r > i) {
            memcpy(out + o, t + i, r - i);
            o += r - i, i = r;
            continue;
        }
        size_t e = i, k;
        while ((k = blank_at(t + e, len - e)) != 0)
            e += k;
        if (e == i) {
            out[o++] = t[i++];
            continue;
        }
        size_t b = prev_char_at(t, i);
        int joined = i > 0 && han_at(t + b, i - b) && han_at(t + e, len - e);
        if (!joined) {
            memcpy(out + o, t + i, e - i);
            o += e - i;
        }
        i = e;
    }
    out[o] = '\0';
    return out;
}

void rpt_meta_from_text(rpt_document *doc)
{
    const char *s = doc->text;
    size_t len = doc->text_len;
    if (!s) return;
    /* line starts of the first HEAD_LINES and last TAIL_LINES non-empty lines */
    size_t starts[HEAD_LINES], ends[HEAD_LINES], n = 0;
    char *best = NULL;
    int best_score = 1;
    for (size_t i = 0; i < len && n < HEAD_LINES;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t from, tl = trim_span(s + i, e - i, &from);
        const char *ts = s + i + from;
        if (tl) {
            starts[n] = i, ends[n] = e, n++;
            /* a line longer than any title with no blank to join (body text) scores 0:
             * it is not copied */
            if (!doc->title && !(tl > TITLE_MAX_BYTES && blank_free_end(ts, 0, tl) == tl)) {
                char *t = strndup(ts, tl);
                char *j = t ? join_spaced_han(t) : NULL;
                int sc = j ? rpt_meta_title_score(j, strlen(j)) : 0;
                if (sc > best_score) {
                    free(best);
                    best = j, j = NULL, best_score = sc;
                }
                free(j);
                free(t);
            }
        }
        i = e + 1;
    }
    if (!doc->title && best) doc->title = best, best = NULL;
    free(best);
    rpt_meta_scan scan;
    rpt_meta_scan_init(&scan, doc);
    for (size_t k = 0; k < n; k++)
        rpt_meta_scan_line(&scan, doc, s + starts[k], ends[k] - starts[k]);
    /* the last lines: "打印 来源:芷江县教育局" */
    size_t e = len, seen = 0;
    while (e > 0 && seen < TAIL_LINES) {
        const char *nl = memrchr(s, '\n', e);
        size_t b = nl ? (size_t)(nl - s) + 1 : 0;
        if (n == 0 || b > ends[n - 1]) rpt_meta_scan_line(&scan, doc, s + b, e - b);
        seen++;
        e = b ? b - 1 : 0;
    }
}
