/* Where a report stands in time and what kind of report it is: doc_type, the year it
 * reviews and the year its plan part is for. Runs after segmentation (the review heading
 * "2013年工作回顾" and the presence of a plan part are read from the sections).
 *
 * A government work report is delivered early in the year it plans and reviews the year
 * before ("2014年政府工作报告", delivered in February 2014, reviews 2013 and plans 2014);
 * the year in its title or in its people's congress line is the delivery year. Bureau
 * reports name the reviewed year first ("2024年工作总结及2025年工作计划"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "transforms/decode.h"
#include "transforms/extract.h"

/* A copy of s[0..len) without ASCII blanks and U+3000 ("政 府 工 作 报 告"); the caller
 * frees it. Runs without a blank or a byte 0xE3 (which starts U+3000) are copied 16 bytes
 * at a time (SSE2). */
static char *squeeze(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
#ifdef __SSE2__
        if (i + 16 <= len) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\xE3')));
            unsigned bits = (unsigned)_mm_movemask_epi8(m);
            if (!bits) {
                _mm_storeu_si128((__m128i *)(void *)o, x);
                o += 16, i += 16;
                continue;
            }
            size_t k = (size_t)__builtin_ctz(bits);
            memcpy(o, s + i, k);
            o += k, i += k;
        }
#endif
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
        } else if (i + 3 <= len && !memcmp(s + i, "\xE3\x80\x80", 3)) {
            i += 3;
        } else {
            *o++ = s[i++];
        }
    }
    *o = '\0';
    return out;
}

static int has(const char *s, const char *w)
{
    return s && strstr(s, w) != NULL;
}

/* The year named after the first one in s ("2024年工作总结及2025年工作计划" -> 2025), 0 when none. */
static int second_year(const char *s)
{
    int first = rpt_region_year_of(s);
    if (!first) return 0;
    char y[8];
    snprintf(y, sizeof y, "%d年", first);
    const char *p = strstr(s, y);
    if (!p) return 0; /* written in Chinese numerals: not looked for further */
    return rpt_region_year_of(p + strlen(y));
}

/* The year of the first top-level review heading that names one ("一、2013年工作回顾",
 * "“十二五”时期和2015年工作回顾"), 0 when none does. */
static int review_heading_year(const rpt_document *doc)
{
    for (size_t i = 0; i < doc->n_sections; i++) {
        const rpt_section *s = &doc->sections[i];
        if (s->depth != 1 || s->part != RPT_PART_REVIEW || !s->title) continue;
        if (!has(s->title, "回顾") && !has(s->title, "总结")) continue;
        int y = rpt_region_year_of(s->title);
        if (y) return y;
    }
    return 0;
}

static int has_plan_part(const rpt_document *doc)
{
    for (size_t i = 0; i < doc->n_sections; i++)
        if (doc->sections[i].part == RPT_PART_PLAN) return 1;
    return 0;
}

int rpt_place(rpt_document *doc, rpt_buf *err)
{
    char *open = rpt_region_opening_lines(doc);
    char *sq = open ? squeeze(open, strlen(open)) : NULL;
    if (open && !sq) {
        free(open);
        rpt_buf_puts(err, "out of memory");
        return -1;
    }
    const char *t = doc->title;
    int gwr = has(t, "政府工作报告") ||
              (sq && (strstr(sq, "政府工作报告") ||
                      (strstr(sq, "各位代表") &&
                       (strstr(sq, "人民代表大会") || strstr(sq, "向大会")))));
    if (gwr) {
        doc->doc_type = "government_work_report";
        /* delivery year: the title's, else the date of the people's congress line */
        int delivered = rpt_region_year_of(t);
        if (!delivered && sq) {
            char *salute = strstr(sq, "各位代表");
            if (salute) *salute = '\0';
            delivered = rpt_region_year_of(sq);
        }
        int reviewed = review_heading_year(doc);
        if (!reviewed && delivered) reviewed = delivered - 1;
        doc->year = reviewed;
        doc->plan_year = delivered ? delivered : reviewed ? reviewed + 1 : 0;
    } else if (t) {
        int summary = has(t, "总结") || has(t, "工作报告") || has(t, "情况报告");
        int plan = has(t, "计划") || has(t, "思路") || has(t, "打算") || has(t, "要点") ||
                   has(t, "安排") || has(t, "谋划");
        int half = has(t, "半年");
        if (summary && half) {
            doc->doc_type = "half_year_summary";
            doc->plan_year = plan || has_plan_part(doc) ? doc->year : 0;
        } else if (summary && plan) {
            doc->doc_type = "summary_and_plan";
            int y2 = second_year(t);
            doc->plan_year = y2 ? y2 : doc->year ? doc->year + 1 : 0;
        } else if (summary) {
            doc->doc_type = "work_summary";
            doc->plan_year = has_plan_part(doc) && doc->year ? doc->year + 1 : 0;
        } else if (plan) {
            doc->doc_type = "work_plan";
            doc->plan_year = doc->year;
        }
    }
    rpt_region_in_year(doc); /* the region's name and code of the final year */
    free(open);
    free(sq);
    return 0;
}
