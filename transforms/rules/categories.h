/* Category of an indicator from words around it. Topical categories (all but the generic
 * teachers, students, schools) are looked for first in the metric, then the clause, then
 * the sentence; generic ones after that in the same order; then the section title.
 * Within each look-up, rules are tried in order and the first whose word occurs wins.
 * Categories are those of GOLD_GUIDE.md.
 * Included once, by transforms/indicators.c. */
#ifndef REPORTD_TRANSFORMS_RULES_CATEGORIES_H
#define REPORTD_TRANSFORMS_RULES_CATEGORIES_H

typedef struct rpt_category_rule {
    const char *word;
    const char *category;
} rpt_category_rule;

/* Generic categories: they only win when no topical word is near. */
static const char *const RPT_GENERIC_CATEGORIES[] = {"teachers", "students", "schools", NULL};

static const rpt_category_rule RPT_CATEGORY_RULES[] = {
    /* discipline: inspection, cases, accountability */
    {"立案", "discipline"},
    {"查处", "discipline"},
    {"处分", "discipline"},
    {"问责", "discipline"},
    {"违纪", "discipline"},
    {"追缴", "discipline"},
    {"谈话提醒", "discipline"},
    {"批评教育", "discipline"},
    {"约谈", "discipline"},
    {"专项整治", "discipline"},
    {"整治", "discipline"},
    {"督查", "discipline"},
    {"结案", "discipline"},
    {"纪检", "discipline"},
    {"监管", "discipline"},
    {"培训机构", "discipline"},
    /* services */
    {"政务服务", "services"},
    {"办件", "services"},
    {"办结", "services"},
    {"扫码", "services"},
    {"湘易办", "services"},
    {"好评率", "services"},
    {"一网通办", "services"},
    /* subsidies */
    {"资助", "subsidies"},
    {"补助", "subsidies"},
    {"助学", "subsidies"},
    {"免学费", "subsidies"},
    {"贷款", "subsidies"},
    {"捐资", "subsidies"},
    {"营养餐", "subsidies"},
    {"惠及", "subsidies"},
    {"贫困", "subsidies"},
    /* exams */
    {"上线", "exams"},
    {"升学", "exams"},
    {"高考", "exams"},
    {"中考", "exams"},
    {"录取", "exams"},
    {"考试", "exams"},
    /* awards */
    {"奖", "awards"},
    {"荣获", "awards"},
    {"获评", "awards"},
    {"评为", "awards"},
    {"荣誉", "awards"},
    {"称号", "awards"},
    {"先进", "awards"},
    {"名次", "awards"},
    {"排名", "awards"},
    {"金牌", "awards"},
    {"奖牌", "awards"},
    {"总分", "awards"},
    {"创建", "awards"},
    {"书香", "awards"},
    {"示范", "awards"},
    /* safety */
    {"安全", "safety"},
    {"保安", "safety"},
    {"隐患", "safety"},
    {"护学岗", "safety"},
    {"防溺水", "safety"},
    {"游泳", "safety"},
    {"法治副校长", "safety"},
    {"安全副校长", "safety"},
    {"消防", "safety"},
    {"双重预防", "safety"},
    /* funding: money spent */
    {"投入", "funding"},
    {"投资", "funding"},
    {"经费", "funding"},
    {"资金", "funding"},
    /* enrollment capacity */
    {"学位", "enrollment_capacity"},
    {"床位", "enrollment_capacity"},
    {"托位", "enrollment_capacity"},
    {"校舍", "enrollment_capacity"},
    {"扩容", "enrollment_capacity"},
    /* kindergartens are schools, their children students */
    {"幼儿园", "schools"},
    {"公办园", "schools"},
    {"民办园", "schools"},
    {"普惠园", "schools"},
    /* students */
    {"学生", "students"},
    {"幼儿", "students"},
    {"师生", "students"},
    {"班额", "students"},
    {"参与率", "students"},
    {"在校生", "students"},
    {"在园", "students"},
    {"入学", "students"},
    {"培训学校", "schools"},
    /* teachers */
    {"教师", "teachers"},
    {"老师", "teachers"},
    {"校长", "teachers"},
    {"班主任", "teachers"},
    {"骨干", "teachers"},
    {"名师", "teachers"},
    {"工作室", "teachers"},
    {"课题", "teachers"},
    {"招聘", "teachers"},
    {"教研", "teachers"},
    {"师资", "teachers"},
    {"培训", "teachers"},
    {"职称", "teachers"},
    /* schools */
    {"学校", "schools"},
    {"幼儿园", "schools"},
    {"试点校", "schools"},
    {"特色校", "schools"},
    {"覆盖率", "schools"},
};

#endif
