/* Which part of a report a top-level heading opens, by words in its title. The keyword that
 * occurs first in the title decides; a title with none inherits the part of the previous
 * top-level heading (a report runs review -> problems -> plan), the first one is review.
 * A short unnumbered line naming a part ("2026年重点工作") sets the part of the numbered
 * headings that follow it when their own titles name none.
 * Included once, by transforms/segment.c. */
#ifndef REPORTD_TRANSFORMS_RULES_PARTS_H
#define REPORTD_TRANSFORMS_RULES_PARTS_H

#include "transforms/document.h"

typedef struct rd_part_rule {
    const char *word;
    rd_part part;
} rd_part_rule;

static const rd_part_rule RD_PART_RULES[] = {
    /* problems */
    {"存在的问题", RD_PART_PROBLEMS},
    {"问题", RD_PART_PROBLEMS},
    {"不足", RD_PART_PROBLEMS},
    {"困难", RD_PART_PROBLEMS},
    {"短板", RD_PART_PROBLEMS},
    {"差距", RD_PART_PROBLEMS},
    /* plan */
    {"计划", RD_PART_PLAN},
    {"思路", RD_PART_PLAN},
    {"打算", RD_PART_PLAN},
    {"安排", RD_PART_PLAN},
    {"展望", RD_PART_PLAN},
    {"下一步", RD_PART_PLAN},
    {"今后", RD_PART_PLAN},
    {"未来", RD_PART_PLAN},
    {"目标", RD_PART_PLAN},
    {"任务", RD_PART_PLAN},
    {"总体要求", RD_PART_PLAN},
    {"要求", RD_PART_PLAN},
    {"重点工作", RD_PART_PLAN},
    {"主要工作", RD_PART_PLAN},
    /* review */
    {"总结", RD_PART_REVIEW},
    {"回顾", RD_PART_REVIEW},
    {"工作情况", RD_PART_REVIEW},
    {"总体情况", RD_PART_REVIEW},
    {"基本情况", RD_PART_REVIEW},
    {"主要成绩", RD_PART_REVIEW},
    {"主要成效", RD_PART_REVIEW},
    {"工作成效", RD_PART_REVIEW},
    {"进展", RD_PART_REVIEW},
    {"成就", RD_PART_REVIEW},
    {"过去", RD_PART_REVIEW},
};

#endif
