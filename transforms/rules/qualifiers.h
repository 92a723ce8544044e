/* Words that qualify an amount. RD_QUAL_PREFIX touch the number and belong to the span
 * ("近2500个"); RD_QUAL_INFIX stand between number, magnitude and unit ("50余万元");
 * RD_QUAL_SUFFIX follow the unit and stay out of the span ("75.5%以上"); RD_QUAL_CLAUSE set
 * the qualifier from anywhere earlier in the clause ("不低于…的77%"). "以上" reads as
 * at_least in a target and over in a result. Included once, by transforms/indicators.c. */
#ifndef REPORTD_TRANSFORMS_RULES_QUALIFIERS_H
#define REPORTD_TRANSFORMS_RULES_QUALIFIERS_H

#include "transforms/document.h"

typedef struct rd_qual_rule {
    const char *word;
    rd_qualifier qualifier;
} rd_qual_rule;

static const rd_qual_rule RD_QUAL_PREFIX[] = {
    {"近", RD_QUAL_UNDER},        {"接近", RD_QUAL_UNDER},      {"不足", RD_QUAL_UNDER},
    {"不到", RD_QUAL_UNDER},      {"约", RD_QUAL_ABOUT},        {"大约", RD_QUAL_ABOUT},
    {"超", RD_QUAL_OVER},         {"超过", RD_QUAL_OVER},       {"逾", RD_QUAL_OVER},
    {"不低于", RD_QUAL_AT_LEAST}, {"不少于", RD_QUAL_AT_LEAST}, {"至少", RD_QUAL_AT_LEAST},
    {NULL, RD_QUAL_NONE},
};

static const rd_qual_rule RD_QUAL_INFIX[] = {
    {"余", RD_QUAL_OVER},
    {"多", RD_QUAL_OVER},
    {NULL, RD_QUAL_NONE},
};

static const rd_qual_rule RD_QUAL_SUFFIX[] = {
    {"以上", RD_QUAL_OVER},  {"以下", RD_QUAL_UNDER}, {"以内", RD_QUAL_UNDER},
    {"之内", RD_QUAL_UNDER}, {"左右", RD_QUAL_ABOUT}, {NULL, RD_QUAL_NONE},
};

static const rd_qual_rule RD_QUAL_CLAUSE[] = {
    {"不低于", RD_QUAL_AT_LEAST},
    {"不少于", RD_QUAL_AT_LEAST},
    {"至少", RD_QUAL_AT_LEAST},
    {NULL, RD_QUAL_NONE},
};

#endif
