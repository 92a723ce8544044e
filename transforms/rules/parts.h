/* Which part of a report a top-level heading opens, by words in its title. A problems word
 * decides first; then a plan word; then a review word; then a weak plan word (主要工作,
 * 任务: "主要工作及成效" is a review). A title with none inherits the part of the previous
 * top-level heading (a report runs review -> problems -> plan), the first one is review.
 * A short unnumbered line naming a part ("2026年重点工作") sets the part of the numbered
 * headings that follow it when their own titles name none.
 * Included once, by transforms/segment.c. */
#ifndef REPORTD_TRANSFORMS_RULES_PARTS_H
#define REPORTD_TRANSFORMS_RULES_PARTS_H

#include "transforms/document.h"

typedef struct rpt_part_rule {
    const char *word;
    rpt_part part;
    int weak; /* only counts when no other part word is in the title */
} rpt_part_rule;

static const rpt_part_rule RPT_PART_RULES[] = {
    /* problems */
    {"存在的问题", RPT_PART_PROBLEMS, 0},
    {"问题", RPT_PART_PROBLEMS, 0},
    {"不足", RPT_PART_PROBLEMS, 0},
    {"困难", RPT_PART_PROBLEMS, 0},
    {"短板", RPT_PART_PROBLEMS, 0},
    {"差距", RPT_PART_PROBLEMS, 0},
    /* plan */
    {"计划", RPT_PART_PLAN, 0},
    {"思路", RPT_PART_PLAN, 0},
    {"打算", RPT_PART_PLAN, 0},
    {"安排", RPT_PART_PLAN, 0},
    {"展望", RPT_PART_PLAN, 0},
    {"下一步", RPT_PART_PLAN, 0},
    {"今后", RPT_PART_PLAN, 0},
    {"未来", RPT_PART_PLAN, 0},
    {"目标", RPT_PART_PLAN, 1},
    {"任务", RPT_PART_PLAN, 1},
    {"总体要求", RPT_PART_PLAN, 0},
    {"要求", RPT_PART_PLAN, 0},
    {"重点工作", RPT_PART_PLAN, 1},
    {"主要工作", RPT_PART_PLAN, 1},
    /* review */
    {"总结", RPT_PART_REVIEW, 0},
    {"回顾", RPT_PART_REVIEW, 0},
    {"工作情况", RPT_PART_REVIEW, 0},
    {"总体情况", RPT_PART_REVIEW, 0},
    {"基本情况", RPT_PART_REVIEW, 0},
    {"主要成绩", RPT_PART_REVIEW, 0},
    {"主要成效", RPT_PART_REVIEW, 0},
    {"工作成效", RPT_PART_REVIEW, 0},
    {"进展", RPT_PART_REVIEW, 0},
    {"成就", RPT_PART_REVIEW, 0},
    {"过去", RPT_PART_REVIEW, 0},
    {"成效", RPT_PART_REVIEW, 0},
    {"成绩", RPT_PART_REVIEW, 0},
    {"完成情况", RPT_PART_REVIEW, 0},
};

#endif
