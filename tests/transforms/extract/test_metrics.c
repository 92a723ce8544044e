/* Metric labels of indicators: one case per rule that shapes a label (phrase-boundary cuts,
 * list topics, changes from one amount to another, examples before 等, words left out),
 * each on a sentence written for the test in the style of county work reports. */
#include "extract_helpers.h"
#include "test.h"

/* Extracts text, requires n indicators and returns the metric of the one whose raw text is
 * raw ("" when absent). The document stays in *doc for the caller to clear. */
static const char *metric_of(rpt_document *doc, const char *text, size_t n, const char *raw)
{
    if (x_run(text, doc) != 0) return "";
    if (doc->n_indicators != n)
        fprintf(stderr, "  in: %s: %zu indicators, expected %zu\n", text, doc->n_indicators, n);
    const rpt_indicator *x = x_find(doc, raw);
    if (!x) fprintf(stderr, "  in: %s: no indicator %s\n", text, raw);
    return x && x->metric ? x->metric : "";
}

/* Whether s starts with the UTF-8 word w. */
static int starts_with(const char *s, const char *w)
{
    return strncmp(s, w, strlen(w)) == 0;
}

/* Whether s ends with the UTF-8 word w. */
static int ends_with(const char *s, const char *w)
{
    size_t ls = strlen(s), lw = strlen(w);
    return ls >= lw && strcmp(s + ls - lw, w) == 0;
}

static void test_cut_at_phrase_boundaries(void)
{
    rpt_document doc;
    /* a left part longer than its window starts after a 、, not inside a word */
    CHECK_STR(
        metric_of(&doc,
                  "城乡供水管网改造和农村公路提档升级、老旧小区雨污分流改造工程完成率达到95%。", 1,
                  "95%"),
        "老旧小区雨污分流改造工程完成率");
    rpt_document_clear(&doc);

    /* with no separator it stays whole up to the hard limit */
    CHECK_STR(
        metric_of(&doc, "全县农村义务教育学校寄宿制学生营养改善计划覆盖率达到100%。", 1, "100%"),
        "全县农村义务教育学校寄宿制学生营养改善计划覆盖率");
    rpt_document_clear(&doc);

    /* a long right part ends before a verb, not after a fixed number of characters */
    const char *m = metric_of(
        &doc, "选派12名市级骨干教师赴边远乡村学校开展送教下乡和结对帮扶活动。", 1, "12名");
    CHECK(strstr(m, "市级骨干教师") != NULL);
    CHECK(strstr(m, "开展") == NULL);
    CHECK(ends_with(m, "学校"));
    rpt_document_clear(&doc);

    /* money after 投入: what it was spent on follows the amount and stays whole */
    CHECK_STR(
        metric_of(&doc, "投入85万元将城北小学旧教学楼改造为学生综合实践活动中心。", 1, "85万元"),
        "投入将城北小学旧教学楼改造为学生综合实践活动中心");
    rpt_document_clear(&doc);

    /* a note in parentheses that closes the label is left out */
    m = metric_of(&doc, "组织45名教师参加省级信息技术能力提升培训(含线上培训)。", 1, "45名");
    CHECK(strstr(m, "教师参加省级信息技术能力提升培训") != NULL);
    CHECK(strstr(m, "含线上") == NULL);
    CHECK(strstr(m, "(") == NULL);
    rpt_document_clear(&doc);
}

static void test_brackets(void)
{
    rpt_document doc;
    /* a note in parentheses right after the amount is about it, not part of the label */
    CHECK_STR(metric_of(&doc, "创建市级文明校园6所（城关小学、河西小学、东坡中学）。", 1, "6所"),
              "创建市级文明校园");
    rpt_document_clear(&doc);

    /* an amount inside a note: the label keeps no bracket cut off from its partner */
    REQUIRE(x_run("全县共有学生15612人（其中高中生2148人、初中生3922人）。", &doc) == 0);
    REQUIRE(doc.n_indicators == 3);
    for (size_t i = 0; i < doc.n_indicators; i++) {
        const char *m = doc.indicators[i].metric;
        CHECK(strstr(m, "（") == NULL && strstr(m, "）") == NULL);
    }
    CHECK(strstr(x_find(&doc, "2148人")->metric, "高中生") != NULL);
    rpt_document_clear(&doc);

    /* a closing quote whose opening one lies outside the label goes too */
    const char *m = metric_of(&doc, "推广“稻鱼共生+绿色防控”模式，覆盖面积增长12.5%。", 1, "12.5%");
    CHECK(strstr(m, "”") == NULL || strstr(m, "“") != NULL);
    rpt_document_clear(&doc);

    /* balanced brackets stay */
    m = metric_of(&doc, "建成省级重点项目(篮球)学校3个。", 1, "3个");
    CHECK(strstr(m, "(篮球)") != NULL);
    rpt_document_clear(&doc);
}

static void test_words_between_amounts(void)
{
    rpt_document doc;
    /* the words between two amounts split at a 、 followed by a predicate: before it they
     * name the first amount, after it the second */
    CHECK_STR(metric_of(&doc, "全县校舍面积首次突破50万平方米大关、生均面积提高1.5平方米。", 2,
                        "1.5平方米"),
              "生均面积提高");
    const char *first = x_find(&doc, "50万平方米") ? x_find(&doc, "50万平方米")->metric : "";
    CHECK(strstr(first, "校舍面积") != NULL);
    CHECK(strstr(first, "生均") == NULL);
    rpt_document_clear(&doc);

    /* a 、 between nouns counted together does not split them */
    const char *m = metric_of(&doc, "12所学校开设书法社团、围棋社团共40余个。", 2, "40余个");
    CHECK(strstr(m, "书法社团") != NULL);
    CHECK(strstr(m, "围棋社团") != NULL);
    rpt_document_clear(&doc);

    /* 等 right after an amount sums up the list: it is not the amount's label */
    CHECK_STR(metric_of(&doc, "获评市级文明班级12个等多项荣誉。", 1, "12个"), "获评市级文明班级");
    rpt_document_clear(&doc);
}

static void test_changes(void)
{
    rpt_document doc;
    /* 从…增加到…: both amounts measure what stands before 从, years and 的 left out */
    CHECK_STR(metric_of(&doc, "全县在园幼儿从2019年的3200人增加到2024年的4100人。", 2, "3200人"),
              "全县在园幼儿");
    CHECK_STR(x_find(&doc, "4100人")->metric, "全县在园幼儿");
    rpt_document_clear(&doc);

    /* 由原来的…提高至现在的… */
    CHECK_STR(metric_of(&doc, "义务教育巩固率由原来的85%提高至现在的96%。", 2, "85%"),
              "义务教育巩固率");
    CHECK_STR(x_find(&doc, "96%")->metric, "义务教育巩固率");
    rpt_document_clear(&doc);

    /* two amounts that are not a change keep their own words */
    CHECK_STR(metric_of(&doc, "从县财政安排资金300万元用于校舍维修，新增学位200个。", 2, "200个"),
              "新增学位");
    rpt_document_clear(&doc);
}

static void test_list_topics(void)
{
    rpt_document doc;
    /* parallel names (一等奖/二等奖): the later item takes the words before the first name */
    CHECK_STR(metric_of(&doc, "获全市中小学生书法比赛一等奖3个、二等奖5个。", 2, "5个"),
              "获全市中小学生书法比赛二等奖");
    CHECK_STR(x_find(&doc, "3个")->metric, "获全市中小学生书法比赛一等奖");
    rpt_document_clear(&doc);

    /* a short name after a long scope, through a list of rankings with notes */
    rpt_document d2;
    CHECK_STR(
        metric_of(&d2, "获全市中学生运动会金牌总数第一(12枚)、团体总分第二(560分)。", 4, "第二"),
        "获全市中学生运动会团体总分");
    CHECK_STR(x_find(&d2, "560分")->metric, "获全市中学生运动会团体总分");
    rpt_document_clear(&d2);

    /* an item with its own predicate takes no topic */
    CHECK_STR(metric_of(&doc, "申报省级课题8个、市级课题立项15个。", 2, "15个"), "市级课题立项");
    rpt_document_clear(&doc);
}

static void test_examples(void)
{
    rpt_document doc;
    const char *m;
    /* examples right before the amount: left out, the verb before them stays */
    CHECK_STR(metric_of(&doc, "完成城关小学、河西小学、东坡中学等9所学校的运动场改造。", 1, "9所"),
              "完成学校的运动场改造");
    rpt_document_clear(&doc);

    /* examples inside the label, before what they are examples of */
    CHECK_STR(
        metric_of(&doc, "投资850万元实施城关二小食堂扩建等农村学校后勤保障项目。", 1, "850万元"),
        "投资实施农村学校后勤保障项目");
    rpt_document_clear(&doc);

    /* the verb that introduces the examples stands near the start, not inside them */
    m = metric_of(&doc, "重点实施普通中小学新建扩建、职业高中扩建等学校改扩建工程5项。", 1, "5项");
    CHECK(strstr(m, "实施") != NULL);
    CHECK(strstr(m, "学校改扩建工程") != NULL);
    CHECK(strstr(m, "新建") == NULL);
    rpt_document_clear(&doc);

    /* between two counts, the words before the first 、 name the first count, the
     * examples after it belong to the second */
    REQUIRE(x_run("对城关一小等8个先进集体、李明等41名优秀教师、王芳等14名优秀班主任予以表彰。",
                  &doc) == 0);
    REQUIRE(doc.n_indicators == 3);
    m = x_find(&doc, "8个")->metric;
    CHECK(strstr(m, "先进集体") != NULL && strstr(m, "李明") == NULL);
    m = x_find(&doc, "41名")->metric;
    CHECK(strstr(m, "优秀教师") != NULL && strstr(m, "李明") == NULL && strstr(m, "王芳") == NULL);
    rpt_document_clear(&doc);

    /* examples that follow a verb are its objects: the verb stays with the next amount */
    m = metric_of(&doc, "投资4500万元实施了城关幼儿园、河西小学等14个项目。", 2, "14个");
    CHECK(strstr(m, "实施") != NULL);
    rpt_document_clear(&doc);

    /* a kind too general to stand alone (等项目) keeps the example */
    m = metric_of(&doc, "投资300万元实施城关二小食堂扩建等项目。", 1, "300万元");
    CHECK(strstr(m, "食堂扩建") != NULL);
    rpt_document_clear(&doc);

    /* 中等 does not close a list of examples */
    m = metric_of(&doc, "全县中等职业学校在校生2600人。", 1, "2600人");
    CHECK(strstr(m, "中等职业学校") != NULL);
    rpt_document_clear(&doc);
}

static void test_words_left_out(void)
{
    rpt_document doc;
    /* manner adverbs say how, not what */
    const char *m = metric_of(&doc, "顺利完成17所学校的校舍安全鉴定。", 1, "17所");
    CHECK(strstr(m, "顺利") == NULL);
    CHECK(strstr(m, "校舍安全鉴定") != NULL);
    rpt_document_clear(&doc);

    m = metric_of(&doc, "城区学校扎实开展防溺水专题教育36场次。", 1, "36场次");
    CHECK(strstr(m, "扎实") == NULL);
    CHECK(strstr(m, "开展防溺水专题教育") != NULL);
    rpt_document_clear(&doc);

    /* goal words and the verb of a bound (控制在) are not what is measured */
    CHECK_STR(metric_of(&doc, "确保小学起始年级班额控制在45人以内。", 1, "45人"),
              "小学起始年级班额");
    rpt_document_clear(&doc);

    /* a topic from the previous clause does not end with the 第 of an ordinal */
    m = metric_of(&doc, "全市第二届中小学生科技创新大赛第一轮评选，二等奖7个。", 1, "7个");
    CHECK(!ends_with(m, "第二等奖"));
    CHECK(ends_with(m, "二等奖"));
    CHECK(!starts_with(m, "第"));
    rpt_document_clear(&doc);
}

static void test_relative_amounts(void)
{
    rpt_document doc;
    /* a label that only says how much something changed takes the subject of its clause;
     * the verb that introduces the amount reached is left out */
    CHECK_STR(metric_of(&doc, "全县地区生产总值完成86.4亿元，同比增长7.5%。", 2, "86.4亿元"),
              "全县地区生产总值");
    CHECK_STR(x_find(&doc, "7.5%")->metric, "全县地区生产总值同比增长");
    rpt_document_clear(&doc);

    CHECK_STR(
        metric_of(&doc, "城镇居民人均可支配收入达到31200元，比2020年增加8600元。", 2, "8600元"),
        "城镇居民人均可支配收入比2020年增加");
    rpt_document_clear(&doc);

    /* a verb that is the only word before the amount stays */
    const char *m = metric_of(&doc, "开展送教下乡活动，完成86次。", 1, "86次");
    CHECK(ends_with(m, "完成"));
    CHECK(strstr(m, "送教下乡") != NULL);
    rpt_document_clear(&doc);
}

static void test_categories(void)
{
    rpt_document doc;
    /* a money word elsewhere in the clause does not make a count funding; the money is */
    REQUIRE(x_run("投资1200万元新建学校食堂6个。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(x_find(&doc, "1200万元")->category, "funding");
    CHECK_STR(x_find(&doc, "6个")->category, "schools");
    rpt_document_clear(&doc);

    /* a ranking in such a clause is an award */
    REQUIRE(x_run("投入800万元建设的智慧校园项目综合评比居全市第一。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(x_find(&doc, "第一")->category, "awards");
    rpt_document_clear(&doc);

    /* nor money words elsewhere in its sentence; the money itself stays funding */
    REQUIRE(x_run("城镇新增就业1200人，全年完成固定资产投资18亿元。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK(strcmp(x_find(&doc, "1200人")->category, "funding") != 0);
    CHECK_STR(x_find(&doc, "18亿元")->category, "funding");
    rpt_document_clear(&doc);

    /* a count whose own words name the money stays funding */
    REQUIRE(x_run("争取专项资金项目12个。", &doc) == 0);
    REQUIRE(doc.n_indicators == 1);
    CHECK_STR(doc.indicators[0].category, "funding");
    rpt_document_clear(&doc);
}

TEST_MAIN(T(test_cut_at_phrase_boundaries), T(test_brackets), T(test_words_between_amounts),
          T(test_changes), T(test_list_topics), T(test_examples), T(test_words_left_out),
          T(test_relative_amounts), T(test_categories))
