/* Words that qualify an amount. RPT_QUAL_PREFIX touch the number and belong to the span
 * ("近2500个"); RPT_QUAL_INFIX stand between number, magnitude and unit ("50余万元");
 * RPT_QUAL_SUFFIX follow the unit and stay out of the span ("75.5%以上"); RPT_QUAL_CLAUSE set
 * the qualifier from anywhere earlier in the clause ("不低于…的77%"). "以上" reads as
 * at_least in a target and over in a result. Included once, by transforms/indicators.c. */
#ifndef REPORTD_TRANSFORMS_RULES_QUALIFIERS_H
#define REPORTD_TRANSFORMS_RULES_QUALIFIERS_H

#include "transforms/document.h"

typedef struct rpt_qual_rule {
    const char *word;
    rpt_qualifier qualifier;
} rpt_qual_rule;

static const rpt_qual_rule RPT_QUAL_PREFIX[] = {
    {"近", RPT_QUAL_UNDER},        {"接近", RPT_QUAL_UNDER},      {"不足", RPT_QUAL_UNDER},
    {"不到", RPT_QUAL_UNDER},      {"约", RPT_QUAL_ABOUT},        {"大约", RPT_QUAL_ABOUT},
    {"超", RPT_QUAL_OVER},         {"超过", RPT_QUAL_OVER},       {"逾", RPT_QUAL_OVER},
    {"不低于", RPT_QUAL_AT_LEAST}, {"不少于", RPT_QUAL_AT_LEAST}, {"至少", RPT_QUAL_AT_LEAST},
    {NULL, RPT_QUAL_NONE},
};

static const rpt_qual_rule RPT_QUAL_INFIX[] = {
    {"余", RPT_QUAL_OVER},
    {"多", RPT_QUAL_OVER},
    {NULL, RPT_QUAL_NONE},
};

static const rpt_qual_rule RPT_QUAL_SUFFIX[] = {
    {"以上", RPT_QUAL_OVER},  {"以下", RPT_QUAL_UNDER}, {"以内", RPT_QUAL_UNDER},
    {"之内", RPT_QUAL_UNDER}, {"左右", RPT_QUAL_ABOUT}, {NULL, RPT_QUAL_NONE},
};

static const rpt_qual_rule RPT_QUAL_CLAUSE[] = {
    {"不低于", RPT_QUAL_AT_LEAST},
    {"不少于", RPT_QUAL_AT_LEAST},
    {"至少", RPT_QUAL_AT_LEAST},
    {NULL, RPT_QUAL_NONE},
};

#endif
