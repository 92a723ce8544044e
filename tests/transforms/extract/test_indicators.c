/* Indicator extraction: one regression case per rule, each on a short sentence in the style
 * of county education-bureau and government work reports. */
#include "common/metrics.h"
#include "extract_helpers.h"
#include "transforms/numerals.h"
#include "test.h"

/* Extracts text and checks that it yields exactly one indicator with these fields. */
static void expect_one(const char *text, const char *raw, double value, const char *unit,
                       rpt_qualifier q, rpt_kind kind)
{
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    if (doc.n_indicators != 1) fprintf(stderr, "  in: %s\n", text);
    CHECK_INT(doc.n_indicators, 1);
    if (doc.n_indicators >= 1) {
        const rpt_indicator *x = &doc.indicators[0];
        CHECK_STR(x->raw, raw);
        CHECK_NUM(x->value, value);
        CHECK_STR(x->unit, unit);
        CHECK_INT(x->qualifier, q);
        CHECK_INT(x->kind, kind);
        CHECK(x->metric != NULL && x->sentence != NULL && x->category != NULL);
    }
    rpt_document_clear(&doc);
}

/* Extracts text and checks that it yields no indicator. */
static void expect_none(const char *text)
{
    rpt_document doc;
    REQUIRE(x_run(text, &doc) == 0);
    if (doc.n_indicators != 0) fprintf(stderr, "  in: %s -> %s\n", text, doc.indicators[0].raw);
    CHECK_INT(doc.n_indicators, 0);
    rpt_document_clear(&doc);
}

static void test_magnitudes(void)
{
    expect_one("全年发放资助金48.64375万元。", "48.64375万元", 486437.5, "元", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("组织全区名师生1.5万名参与研学。", "1.5万名", 15000, "名", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("投入1200万元对区一中进行提质改造。", "1200万元", 12e6, "元", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("国内生产总值134.9万亿元。", "134.9万亿元", 134.9e12, "元", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    /* one rounding: exactly 4060000000000, not 4.06 * 1e12 */
    {
        rpt_document doc;
        REQUIRE(x_run("赤字规模4.06万亿元。", &doc) == 0);
        REQUIRE(doc.n_indicators == 1);
        CHECK(doc.indicators[0].value == 4060000000000.0);
        rpt_document_clear(&doc);
    }
    /* money without 元 after a money word */
    expect_one("投入27万将幼儿园改造为托幼一体公办园。", "27万", 270000, "元", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    /* full-width digits */
    expect_one("投入１２００万元建设校舍。", "１２００万元", 12e6, "元", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    /* 千 alone only before a measure word */
    expect_one("培训教师3千人次。", "3千人次", 3000, "人次", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_none("建设750千伏变电站。");
}

static void test_qualifiers(void)
{
    expect_one("改善就餐环境投入50余万元。", "50余万元", 500000, "元", RPT_QUAL_OVER,
               RPT_KIND_ACTUAL);
    expect_one("惠及学生2万余人次。", "2万余人次", 20000, "人次", RPT_QUAL_OVER, RPT_KIND_ACTUAL);
    expect_one("开展活动十余次。", "十余次", 10, "次", RPT_QUAL_OVER, RPT_KIND_ACTUAL);
    expect_one("新增学位近2500个。", "近2500个", 2500, "个", RPT_QUAL_UNDER, RPT_KIND_ACTUAL);
    expect_one("调剂闲置资产约15万元。", "约15万元", 150000, "元", RPT_QUAL_ABOUT, RPT_KIND_ACTUAL);
    expect_one("普惠园占比达到75.5%以上。", "75.5%", 75.5, "%", RPT_QUAL_OVER, RPT_KIND_ACTUAL);
    expect_one("班额控制在50人以内。", "50人", 50, "人", RPT_QUAL_UNDER, RPT_KIND_ACTUAL);
    expect_one("外汇储备超过3.2万亿美元。", "超过3.2万亿美元", 3.2e12, "美元", RPT_QUAL_OVER,
               RPT_KIND_ACTUAL);
    /* a qualifier that does not touch the number stays out of the span */
    expect_one("班主任津贴不低于每人每月500元。", "500元", 500, "元", RPT_QUAL_AT_LEAST,
               RPT_KIND_ACTUAL);
    /* 突破 sets no qualifier */
    expect_one("商品交易额突破7300万元。", "7300万元", 73e6, "元", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
}

static void test_kinds(void)
{
    /* 以上 in a target is at_least */
    expect_one("力争城镇新增就业1200万人以上。", "1200万人", 12e6, "人", RPT_QUAL_AT_LEAST,
               RPT_KIND_TARGET);
    expect_one("今年发展的主要预期目标是：国内生产总值增长5%左右。", "5%", 5, "%", RPT_QUAL_ABOUT,
               RPT_KIND_TARGET);
    /* 计划 as a verb is a goal, as a noun it is not */
    expect_one("计划招聘高中教师8名。", "8名", 8, "名", RPT_QUAL_NONE, RPT_KIND_TARGET);
    expect_one("申报乡村教师公费定向培养招生计划63名。", "63名", 63, "名", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("一、工作情况\n下一步将新建学校3所。", "3所", 3, "所", RPT_QUAL_NONE, RPT_KIND_TARGET);
    /* a noun 目标 is no goal */
    expect_one("紧扣这一目标任务,连续13年获评一等奖。", "13年", 13, "年", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    /* everything in a plan section is a target; extraction is pure: the metrics registry
     * is the transform stage's business and stays untouched */
    rpt_buf before = RPT_BUF_INIT, after = RPT_BUF_INIT;
    rpt_metrics_render(&before);
    rpt_document doc;
    REQUIRE(x_run("一、2024年工作总结\n新建幼儿园2所。\n二、2025年工作计划\n新建幼儿园3所。\n",
                  &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_INT(doc.indicators[0].kind, RPT_KIND_ACTUAL);
    CHECK_INT(doc.indicators[1].kind, RPT_KIND_TARGET);
    CHECK_INT(doc.indicators[0].section, 0);
    CHECK_INT(doc.indicators[1].section, 1);
    rpt_metrics_render(&after);
    CHECK(before.len == after.len && (before.len == 0 || memcmp(before.data, after.data, before.len) == 0));
    rpt_buf_clear(&before);
    rpt_buf_clear(&after);
    rpt_document_clear(&doc);
}

static void test_units(void)
{
    expect_one("新建公办幼儿园1-2所。", "1-2所", 1, "所", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("赤字率比上年提高1个百分点。", "1个百分点", 1, "个百分点", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("全年资助五类学生824人/次。", "824人/次", 824, "人/次", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    expect_one("评选出优秀征文52 篇。", "52 篇", 52, "篇", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("四所学校顺利迁入全新校园。", "四所", 4, "所", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("掌握两项体育运动技能。", "两项", 2, "项", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("检查70余家次。", "70余家次", 70, "家次", RPT_QUAL_OVER, RPT_KIND_ACTUAL);
    expect_one("新建校舍5000㎡。", "5000㎡", 5000, "㎡", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("生均公用经费小学650元/生。", "650元", 650, "元", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_none("联系电话:0743-4721234。");
    expect_one("粮食产量1.4万亿斤。", "1.4万亿斤", 1.4e12, "斤", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    /* medals */
    rpt_document doc;
    REQUIRE(x_run("在巴林举重世锦赛中获1金2银。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(doc.indicators[0].unit, "金");
    CHECK_STR(doc.indicators[1].unit, "银");
    CHECK_NUM(doc.indicators[1].value, 2);
    rpt_document_clear(&doc);
    /* a count named just before a bare number */
    expect_one("累计扫码,完成任务数18881,完成良好。", "18881", 18881, "", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    /* 单 after 名 is a person, not 名单 */
    expect_one("对601名单亲女生确定帮扶责任人。", "601名", 601, "名", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
}

static void test_rankings(void)
{
    expect_one("教育宣传积分持续排名全市第一。", "第一", 1, "名次", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("增速居全国第3位。", "第3位", 3, "名次", RPT_QUAL_NONE, RPT_KIND_ACTUAL);
    expect_one("获自治区文明城市测评第一名的好成绩。", "第一名", 1, "名次", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
    rpt_document doc;
    REQUIRE(x_run("我区获青少年组金牌总数第一(99枚)。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(doc.indicators[0].raw, "第一");
    CHECK_STR(doc.indicators[1].raw, "99枚");
    CHECK_STR(doc.indicators[0].category, "awards");
    rpt_document_clear(&doc);
    /* ordinals of events and batches are no rankings */
    expect_none("举办第二届校园足球文化节。");
    expect_none("完成第一批素质教育督导评估。");
    expect_none("位居全省第一方阵。");
    expect_none("第194期专题培训。");
}

static void test_not_indicators(void)
{
    expect_none("2024年工作总结");
    expect_none("发布时间:2025-05-30 12:02:29 作者: 来源:办公室");
    expect_none("3月24日召开会议。");
    expect_none("深入学习党的二十届三中全会精神。");
    expect_none("落实\"1530\"安全教育制度。");
    expect_none("实施“2+N”和“3+1”阳光体育联赛。");
    expect_none("推进三名工程建设。");
    expect_none("增强“四个意识”。");
    expect_none("根据教督〔2017〕6号文件。");
    expect_none("信息索引号 | 001008001003013/2025-20839 | 文件编号 | |");
    expect_none("超过全市75%的平均水平。");
    expect_none("高考600分以上。");
    expect_none("80岁以上老人免费乘车。");
    expect_none("初中2-3年级班额。");
    expect_none("大唐700万吨露天矿项目进入试生产。");
    expect_none("按照区委十四届四次全委会部署。");
    expect_none("促进三次产业融合发展。");
    expect_none("二人转“守岛夫妻哨”。");
    expect_none("抓一件是一件,干一项成一项。");
    expect_none("宣传栏上阵一起发力。");
    expect_none("坚持一个中国原则。");
    expect_none("近3年来持续推进。");
    expect_none("一是强化党建引领。二是完善制度。");
    expect_none("支持幼儿园招收2—3岁幼儿。");
    expect_none("推动年运量150万吨以上的物流园区建设。");
    {
        /* a threshold naming a class that is then counted */
        rpt_document doc;
        REQUIRE(x_run("56人以上大班额仍有23个。", &doc) == 0);
        REQUIRE(doc.n_indicators == 1);
        CHECK_STR(doc.indicators[0].raw, "23个");
        rpt_document_clear(&doc);
    }
    expect_none("教师发展及两项督导评估发展等方面经费保障。");
    expect_none("发展5G网络。");
    expect_none("数十所学校参与,十几所学校获奖,两三所学校试点。");
    expect_none("冀东物贸集团年产3000辆专用车项目顺利开工。");
    expect_none("严格落实中央八项规定、自治区28条配套规定。");
    expect_one("牧业年度牲畜存栏14万头只。", "14万头只", 140000, "头只", RPT_QUAL_NONE,
               RPT_KIND_ACTUAL);
}

static void test_metric_and_category(void)
{
    rpt_document doc;
    REQUIRE(x_run("为114名困难大学生申请生源地助学贷款163万元。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK(strstr(doc.indicators[1].metric, "助学贷款") != NULL);
    CHECK_STR(doc.indicators[1].category, "subsidies");
    rpt_document_clear(&doc);

    REQUIRE(x_run("创办名校长工作室1个、名班主任工作室2个、名师工作室15个。", &doc) == 0);
    REQUIRE(doc.n_indicators == 3);
    CHECK_STR(doc.indicators[0].metric, "创办名校长工作室");
    CHECK_STR(doc.indicators[2].metric, "名师工作室");
    CHECK_STR(doc.indicators[2].category, "teachers");
    rpt_document_clear(&doc);

    /* the words between two amounts joined by 和 name the first; the second shares the verb */
    REQUIRE(x_run("聘请21名法治副校长和17名安全副校长。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK(strstr(doc.indicators[1].metric, "聘请") != NULL);
    CHECK(strstr(doc.indicators[1].metric, "法治") == NULL);
    CHECK_STR(doc.indicators[1].category, "safety");
    rpt_document_clear(&doc);

    /* a short label gets the topic of its clause */
    REQUIRE(x_run("高中免学费592人补助47.36万元。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(doc.indicators[1].metric, "高中免学费补助");
    rpt_document_clear(&doc);

    /* a topic taken from the previous clause stops before its amounts, rankings included */
    REQUIRE(x_run("团体金牌居全州第二位,8名运动员破纪录。", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK(strstr(doc.indicators[1].metric, "第") == NULL);
    CHECK(strstr(doc.indicators[1].metric, "运动员") != NULL);
    rpt_document_clear(&doc);

    /* a note in parentheses belongs to the amount before it */
    REQUIRE(x_run("其中，普通高中4所、小学62所（含教学点）、幼儿园41所。", &doc) == 0);
    REQUIRE(doc.n_indicators == 3);
    CHECK(strstr(doc.indicators[2].metric, "幼儿园") != NULL);
    CHECK(strstr(doc.indicators[2].metric, "教学点") == NULL);
    rpt_document_clear(&doc);

    /* on a heading line the marker is no part of the label */
    REQUIRE(x_run("三、2024年工作计划\n1.力争新建学校5所，新增学位4000个以上。\n", &doc) == 0);
    REQUIRE(doc.n_indicators == 2);
    CHECK_STR(doc.indicators[0].metric, "力争新建学校");
    CHECK_INT(doc.indicators[1].qualifier, RPT_QUAL_AT_LEAST);
    rpt_document_clear(&doc);

    /* offsets are code points */
    REQUIRE(x_run("一、总体情况\n新增学位近2500个。", &doc) == 0);
    REQUIRE(doc.n_indicators == 1);
    CHECK_INT(doc.indicators[0].start, 11);
    CHECK_INT(doc.indicators[0].end, 17);
    rpt_document_clear(&doc);
}

/* The Chinese digits and numeral characters, checked at every code point of the BMP and
 * around it (the digit test is a hash: any other code point must miss it). */
static void test_chinese_digits(void)
{
    static const struct {
        uint32_t c;
        int v;
    } digits[] = {{0x96F6, 0}, {0x3007, 0}, {0x4E00, 1}, {0x4E8C, 2}, {0x4E24, 2}, {0x4E09, 3},
                  {0x56DB, 4}, {0x4E94, 5}, {0x516D, 6}, {0x4E03, 7}, {0x516B, 8}, {0x4E5D, 9}};
    static const uint32_t magnitudes[] = {0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF};
    int wrong = 0;
    for (uint32_t c = 0; c < 0x110000; c++) {
        int want = -1, numeral = 0;
        for (size_t k = 0; k < sizeof digits / sizeof *digits; k++)
            if (digits[k].c == c) want = digits[k].v, numeral = 1;
        for (size_t k = 0; k < sizeof magnitudes / sizeof *magnitudes; k++)
            numeral |= magnitudes[k] == c;
        if ((rpt_cn_digit(c) != want || rpt_cn_numeral_char(c) != numeral) && wrong++ < 5)
            fprintf(stderr, "U+%04X: digit %d, numeral %d\n", (unsigned)c, rpt_cn_digit(c),
                    rpt_cn_numeral_char(c));
    }
    CHECK(rpt_cn_digit(0xFFFFFFFFu) == -1);
    CHECK_INT(wrong, 0);
}

TEST_MAIN(T(test_chinese_digits), T(test_magnitudes), T(test_qualifiers), T(test_kinds),
          T(test_units), T(test_rankings), T(test_not_indicators), T(test_metric_and_category))
