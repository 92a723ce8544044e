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

typedef struct rd_part_rule {
    const char *word;
    rd_part part;
    int weak; /* only counts when no other part word is in the title */
} rd_part_rule;

static const rd_part_rule RD_PART_RULES[] = {
    /* problems */
    {"存在的问题", RD_PART_PROBLEMS, 0},
    {"问题", RD_PART_PROBLEMS, 0},
    {"不足", RD_PART_PROBLEMS, 0},
    {"困难", RD_PART_PROBLEMS, 0},
    {"短板", RD_PART_PROBLEMS, 0},
    {"差距", RD_PART_PROBLEMS, 0},
    /* plan */
    {"计划", RD_PART_PLAN, 0},
    {"思路", RD_PART_PLAN, 0},
    {"打算", RD_PART_PLAN, 0},
    {"安排", RD_PART_PLAN, 0},
    {"展望", RD_PART_PLAN, 0},
    {"下一步", RD_PART_PLAN, 0},
    {"今后", RD_PART_PLAN, 0},
    {"未来", RD_PART_PLAN, 0},
    {"目标", RD_PART_PLAN, 1},
    {"任务", RD_PART_PLAN, 1},
    {"总体要求", RD_PART_PLAN, 0},
    {"要求", RD_PART_PLAN, 0},
    {"重点工作", RD_PART_PLAN, 1},
    {"主要工作", RD_PART_PLAN, 1},
    /* review */
    {"总结", RD_PART_REVIEW, 0},
    {"回顾", RD_PART_REVIEW, 0},
    {"工作情况", RD_PART_REVIEW, 0},
    {"总体情况", RD_PART_REVIEW, 0},
    {"基本情况", RD_PART_REVIEW, 0},
    {"主要成绩", RD_PART_REVIEW, 0},
    {"主要成效", RD_PART_REVIEW, 0},
    {"工作成效", RD_PART_REVIEW, 0},
    {"进展", RD_PART_REVIEW, 0},
    {"成就", RD_PART_REVIEW, 0},
    {"过去", RD_PART_REVIEW, 0},
    {"成效", RD_PART_REVIEW, 0},
    {"成绩", RD_PART_REVIEW, 0},
    {"完成情况", RD_PART_REVIEW, 0},
};

#endif
