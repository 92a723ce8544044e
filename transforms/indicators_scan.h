/* Internals of indicator extraction shared by its files and its tests: the candidate found
 * by the scanner (transforms/indicators.c) before the describer
 * (transforms/indicators_describe.c and the files it calls) gives it a metric, kind and
 * category. */
#ifndef REPORTD_TRANSFORMS_INDICATORS_SCAN_H
#define REPORTD_TRANSFORMS_INDICATORS_SCAN_H

#include <stddef.h>
#include <string.h>

#include "transforms/cptext.h"
#include "transforms/document.h"

typedef struct rpt_candidate {
    size_t start, end;         /* span (code points): qualifier touching the number .. unit */
    size_t num_start, num_end; /* the number and unit without a leading qualifier */
    size_t after_end;          /* past a trailing qualifier (以上, 左右) */
    double value;
    int has_high;
    double value_high;
    const char *unit; /* static */
    unsigned unit_flags;
    rpt_qualifier qualifier;        /* from words touching the number (近, 余) */
    rpt_qualifier suffix_qualifier; /* from 以上/以下/左右 after it */
    int is_rank;
} rpt_candidate;

/* Whether the unit name u (not NULL) is w: the first two bytes settle nearly every call
 * without a strcmp. */
static inline int rpt_unit_is(const char *u, const char *w)
{
    return u[0] == w[0] && (!u[0] || (u[1] == w[1] && (!u[1] || strcmp(u + 2, w + 2) == 0)));
}

/* Code point offset just past a section's marker. */
static inline size_t rpt_section_marker_end(const rpt_section *s)
{
    size_t ml = 0;
    for (const char *m = s->marker; m && *m; m++)
        if ((*m & 0xC0) != 0x80) ml++;
    return s->start + ml;
}

/* Longest measure word at p (Chinese-numeral-safe ones only when allow_cn); returns its
 * length and sets *unit (static string) and *flags, or returns 0. */
size_t rpt_unit_at(const rpt_cptext *t, size_t p, int allow_cn, const char **unit, unsigned *flags);

/* Scans t for indicator candidates, skipping the heading markers of secs. On success returns
 * 0 with a malloc'ed array in *out (caller frees); -1 when out of memory. */
int rpt_indicators_find(const rpt_cptext *t, const rpt_section *secs, size_t n_secs,
                       rpt_candidate **out, size_t *n_out);

#endif
