/* Segmentation: heading styles, depth by first appearance of a style, numbering mistakes,
 * titles, parts, and lines that only look like headings. */
#include "extract_helpers.h"
#include "test.h"

static void test_styles_and_depth(void)
{
    /* like seed 000: (三) twice, and 1. under 二、 is depth 3 because (一) came first */
    const char *text = "当前位置: 首页 > 政务公开 > 计划总结\n"
                       "发布时间:2025-05-30 12:02:29\n"
                       "一、关于2024年工作\n"
                       "(一)党的全面领导不断健全。一是强化党建引领。二是配齐班子。\n"
                       "(三)全区教育布局持续优化。投入27万改造幼儿园。\n"
                       "(三)教育内涵化建设不断加强。\n"
                       "二、存在的问题\n"
                       "1.学龄人口变化带来新挑战。\n"
                       "三、2025年工作思路\n"
                       "1.夯实基础保障,统筹优化教育资源配置。\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    REQUIRE(doc.n_sections == 8);
    const int depth[] = {1, 2, 2, 2, 1, 3, 1, 3};
    const int parent[] = {-1, 0, 0, 0, -1, 4, -1, 6};
    const rpt_part part[] = {RPT_PART_REVIEW,   RPT_PART_REVIEW,   RPT_PART_REVIEW, RPT_PART_REVIEW,
                            RPT_PART_PROBLEMS, RPT_PART_PROBLEMS, RPT_PART_PLAN,   RPT_PART_PLAN};
    for (size_t i = 0; i < 8; i++) {
        CHECK_INT(doc.sections[i].depth, depth[i]);
        CHECK_INT(doc.sections[i].parent, parent[i]);
        CHECK_INT(doc.sections[i].part, part[i]);
        CHECK_INT(doc.sections[i].ord, i);
    }
    CHECK_STR(doc.sections[0].marker, "一、");
    CHECK_STR(doc.sections[0].title, "关于2024年工作");
    CHECK_STR(doc.sections[1].title, "党的全面领导不断健全");
    CHECK_STR(doc.sections[3].marker, "(三)");
    CHECK_STR(doc.sections[7].title, "夯实基础保障,统筹优化教育资源配置");
    CHECK_STR(doc.sections[1].path, "一、关于2024年工作 > (一)党的全面领导不断健全");
    /* start is the marker's code point offset; end is the next heading's start */
    CHECK_INT(doc.sections[1].end, doc.sections[2].start);
    CHECK_INT(doc.sections[7].end, doc.text_chars);
    rpt_document_clear(&doc);
}

static void test_full_width_and_titles(void)
{
    const char *text = "　　一、基本情况\n"
                       "（一）聚焦党建引领，全面筑牢政治基石\n"
                       "1．抓实党建基础工作：一是深化理论武装\n"
                       "2、抓好纪律作风建设;严肃党内生活\n"
                       "（1）召开会议\n"
                       "①完善制度\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    REQUIRE(doc.n_sections == 4); /* (1) and ① items are points, not headings */
    CHECK_INT(doc.sections[0].start, 2);
    CHECK_STR(doc.sections[1].marker, "（一）");
    CHECK_STR(doc.sections[1].title, "聚焦党建引领，全面筑牢政治基石");
    CHECK_STR(doc.sections[2].marker, "1．");
    CHECK_STR(doc.sections[2].title, "抓实党建基础工作");
    CHECK_INT(doc.sections[2].depth, 3);
    CHECK_STR(doc.sections[3].title, "抓好纪律作风建设");
    CHECK_INT(doc.sections[3].depth, 3);
    CHECK_INT(doc.sections[3].end, doc.text_chars);
    rpt_document_clear(&doc);
}

static void test_bare_number_headings(void)
{
    /* seed 001: "1统筹党务党建工作" confirmed by the 2、 that follows */
    const char *text = "(二)着力人才建设,打造幸福教师\n"
                       "1统筹党务党建工作。加强党建。\n"
                       "2、强化纪律道德教育。\n"
                       "3所学校完成改造。\n"
                       "2024年全区新增学位500个。\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    REQUIRE(doc.n_sections == 3);
    CHECK_STR(doc.sections[1].marker, "1");
    CHECK_STR(doc.sections[1].title, "统筹党务党建工作");
    CHECK_INT(doc.sections[1].depth, doc.sections[2].depth);
    rpt_document_clear(&doc);

    /* an unconfirmed bare number is body text */
    REQUIRE(x_run("一、总体情况\n5项改革全面完成。\n", &doc) == 0);
    CHECK_INT(doc.n_sections, 1);
    CHECK_INT(doc.n_indicators, 1);
    rpt_document_clear(&doc);
}

static void test_not_headings(void)
{
    const char *text = "信息索引号 | 001008001003013/2025-20839 | 文件编号 | |\n"
                       "成文日期 | 2025-04-01 | 公开时限 | 长期公开 |\n"
                       "一是强化政治引领。二是加强队伍建设。\n"
                       "1.5万名师生参与活动。\n"
                       "——综合实力显著增强。\n"
                       "各位代表:\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    CHECK_INT(doc.n_sections, 0);
    CHECK_INT(doc.n_indicators, 1); /* 1.5万名 */
    rpt_document_clear(&doc);
}

static void test_parts(void)
{
    /* keywords first; years decide when titles have none */
    const char *text = "一、2024年工作回顾\n二、面临的困难和挑战\n三、2025年重点\n"
                       "四、2025年经济社会发展总体要求\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    REQUIRE(doc.n_sections == 4);
    CHECK_INT(doc.sections[0].part, RPT_PART_REVIEW);
    CHECK_INT(doc.sections[1].part, RPT_PART_PROBLEMS);
    CHECK_INT(doc.sections[2].part, RPT_PART_PLAN);
    CHECK_INT(doc.sections[3].part, RPT_PART_PLAN);
    rpt_document_clear(&doc);

    REQUIRE(x_run("一、基本情况\n二、工作情况\n三、存在的主要问题\n四、下一步打算\n", &doc) == 0);
    REQUIRE(doc.n_sections == 4);
    CHECK_INT(doc.sections[0].part, RPT_PART_REVIEW);
    CHECK_INT(doc.sections[1].part, RPT_PART_REVIEW);
    CHECK_INT(doc.sections[2].part, RPT_PART_PROBLEMS);
    CHECK_INT(doc.sections[3].part, RPT_PART_PLAN);
    rpt_document_clear(&doc);
}

static void test_weak_plan_words(void)
{
    /* 主要工作 names a plan only when nothing else in the title names a part */
    rpt_document doc;
    REQUIRE(x_run("一、主要工作及成效\n二、存在问题\n三、主要工作\n", &doc) == 0);
    REQUIRE(doc.n_sections == 3);
    CHECK_INT(doc.sections[0].part, RPT_PART_REVIEW);
    CHECK_INT(doc.sections[1].part, RPT_PART_PROBLEMS);
    CHECK_INT(doc.sections[2].part, RPT_PART_PLAN);
    rpt_document_clear(&doc);
}

static void test_unnumbered_part_lines(void)
{
    /* a provincial report: unnumbered part titles, numbered task headings under them */
    const char *text = "各位代表：\n“十四五”时期工作回顾\n五年来做了以下工作。\n"
                       "2026年重点工作\n重点抓好八个方面工作：\n"
                       "（一）放大促消费扩投资政策效应\n（二）加快建设现代化产业体系\n";
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    REQUIRE(doc.n_sections == 2);
    CHECK_INT(doc.sections[0].part, RPT_PART_PLAN);
    CHECK_INT(doc.sections[1].part, RPT_PART_PLAN);
    rpt_document_clear(&doc);

    /* requirements for the coming period are part of the plan */
    REQUIRE(x_run("一、2025年工作回顾\n二、“十五五”时期经济社会发展把握的重要要求\n", &doc) == 0);
    REQUIRE(doc.n_sections == 2);
    CHECK_INT(doc.sections[1].part, RPT_PART_PLAN);
    rpt_document_clear(&doc);
}

static void test_empty(void)
{
    rpt_document doc;
    REQUIRE(x_run("", &doc) == 0);
    CHECK_INT(doc.n_sections, 0);
    CHECK_INT(doc.n_indicators, 0);
    rpt_document_clear(&doc);
    REQUIRE(x_run("一、", &doc) == 0);
    REQUIRE(doc.n_sections == 1);
    CHECK_STR(doc.sections[0].title, "");
    rpt_document_clear(&doc);
}

TEST_MAIN(T(test_styles_and_depth), T(test_full_width_and_titles), T(test_bare_number_headings),
          T(test_not_headings), T(test_parts), T(test_weak_plan_words),
          T(test_unnumbered_part_lines), T(test_empty))
