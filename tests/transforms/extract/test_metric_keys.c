/* Canonical metric keys and period years (transforms/metric_keys.c) on sentences of the
 * kinds government work reports and bureau reports use: the key follows the catalog's
 * wordings and unit classes, not the report. Full extraction (rpt_extract) of short texts. */
#include "test.h"
#include "transforms/extract.h"

static int run(const char *text, rpt_document *doc)
{
    rpt_extract_input in = {.source = "t.txt", .data = (const unsigned char *)text,
                            .len = strlen(text), .content_type = "text/plain"};
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_extract(&in, doc, &err);
    if (rc) fprintf(stderr, "extract: %s\n", err.data ? err.data : "");
    rpt_buf_clear(&err);
    return rc;
}

static const rpt_indicator *find(const rpt_document *doc, const char *raw, int nth)
{
    for (size_t i = 0; i < doc->n_indicators; i++)
        if (!strncmp(doc->indicators[i].raw, raw, strlen(raw)) &&
            strlen(raw) == (doc->indicators[i].raw_len ? doc->indicators[i].raw_len
                                                       : strlen(doc->indicators[i].raw)) &&
            nth-- == 0)
            return &doc->indicators[i];
    return NULL;
}

#define KEY(doc, raw, nth, key)                                                                    \
    do {                                                                                           \
        const rpt_indicator *x_ = find(doc, raw, nth);                                             \
        CHECK(x_ != NULL);                                                                         \
        if (x_) {                                                                                  \
            if (key)                                                                               \
                CHECK_STR(x_->metric_key, key);                                                    \
            else if (x_->metric_key)                                                               \
                CHECK_STR(x_->metric_key, "(none)");                                               \
        }                                                                                          \
    } while (0)

static const char *const GWR =
    "政府工作报告\n"
    "——2015年2月5日在海拉尔区第十四届人民代表大会第四次会议上\n"
    "海拉尔区人民政府区长\n"
    "各位代表：\n"
    "现在，我代表区政府向大会作工作报告，请予审议。\n"
    "一、2014年工作回顾\n"
    "2014年，全区地区生产总值完成274.4亿元，同比增长9.1%；公共财政预算收入完成13.7亿元，"
    "同比增长22.9%；工业固定资产投资完成30亿元，同比增长12%。人均地区生产总值增长25%。"
    "一般公共预算收入从8.6亿元增加到13.7亿元。全年新增就业5487人，城镇登记失业率为3.79%。"
    "税收收入占一般公共预算收入比重达到75%。城乡居民人均可支配收入分别增长10.4%和13.6%。"
    "地区生产总值比2010年增加100亿元。“十二五”时期年均增长12.1%。对全市经济增长的贡献率达到30%。\n"
    "二、2015年工作安排\n"
    "主要预期目标是：地区生产总值增长8%左右，达到296亿元；城镇登记失业率控制在4%以内；"
    "居民消费价格涨幅3%左右；新建学校3所，力争到2017年新增学位2000个。\n";

static void test_government_work_report(void)
{
    rpt_document doc;
    REQUIRE(run(GWR, &doc) == 0);
    CHECK_STR(doc.region_code, "150702");
    CHECK_STR(doc.level, "county");
    CHECK_STR(doc.doc_type, "government_work_report");
    CHECK_INT(doc.year, 2014);
    CHECK_INT(doc.plan_year, 2015);
    KEY(&doc, "274.4亿元", 0, "econ.gdp");
    KEY(&doc, "9.1%", 0, "econ.gdp_growth");            /* "同比增长": the clause before names it */
    KEY(&doc, "13.7亿元", 0, "fiscal.budget_revenue");
    KEY(&doc, "22.9%", 0, "fiscal.budget_revenue_growth");
    KEY(&doc, "30亿元", 0, NULL);                        /* 工业 narrows fixed-asset investment */
    KEY(&doc, "25%", 0, NULL);                           /* per-capita GDP growth has no key */
    KEY(&doc, "8.6亿元", 0, NULL);                       /* the starting point of a change */
    KEY(&doc, "5487人", 0, "jobs.urban_new");
    KEY(&doc, "3.79%", 0, "jobs.unemployment_rate");
    KEY(&doc, "75%", 0, NULL);                           /* a share of revenue, not its growth */
    KEY(&doc, "10.4%", 0, "income.urban_per_capita_growth"); /* the first-named scope */
    KEY(&doc, "13.6%", 0, NULL);                         /* 分别: the second is not urban */
    KEY(&doc, "100亿元", 0, NULL);                       /* a difference ("比2010年增加") */
    KEY(&doc, "12.1%", 0, NULL);                         /* a five-year average */
    KEY(&doc, "30%", 0, NULL);                           /* a contribution rate */
    KEY(&doc, "8%", 0, "econ.gdp_growth");
    KEY(&doc, "296亿元", 0, "econ.gdp");
    KEY(&doc, "4%", 0, "jobs.unemployment_rate");
    KEY(&doc, "3%", 0, "prices.cpi_growth");
    KEY(&doc, "3所", 0, "edu.schools_built");
    KEY(&doc, "2000个", 0, "edu.school_places_added");
    const rpt_indicator *x;
    if ((x = find(&doc, "9.1%", 0))) {
        CHECK_INT(x->period_year, 2014);
        CHECK(!strcmp(x->category, "economy"));
    }
    if ((x = find(&doc, "8%", 0))) {
        CHECK_INT(x->period_year, 2015);
        CHECK_INT(x->kind, RPT_KIND_TARGET);
    }
    if ((x = find(&doc, "2000个", 0))) CHECK_INT(x->period_year, 2017); /* "到2017年" */
    rpt_document_clear(&doc);
}

static void test_national_and_province(void)
{
    rpt_document doc;
    REQUIRE(run("各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n"
                "一、2024年工作回顾\n国内生产总值达到134.9万亿元、增长5%。\n"
                "二、2025年经济社会发展总体要求和政策取向\n国内生产总值增长5%左右。\n",
                &doc) == 0);
    CHECK_STR(doc.region, "全国");
    CHECK_STR(doc.region_code, "100000");
    CHECK_STR(doc.level, "national");
    CHECK_INT(doc.year, 2024);
    CHECK_INT(doc.plan_year, 2025);
    rpt_document_clear(&doc);
    REQUIRE(run("2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n"
                "各位代表：\n“十四五”时期工作回顾\n地区生产总值增长5.8%。\n",
                &doc) == 0);
    CHECK_STR(doc.region_code, "620000");
    CHECK_STR(doc.level, "province");
    CHECK(doc.city == NULL);
    CHECK_INT(doc.year, 2025);
    CHECK_INT(doc.plan_year, 2026);
    rpt_document_clear(&doc);
}

static void test_bureau_report(void)
{
    rpt_document doc;
    REQUIRE(run("南岳区教育局2024年工作总结及2025年工作计划\n一、2024年工作\n"
                "全年资助学生1090人，发放资助金62.6万元，新增学位540个。\n"
                "二、2025年工作计划\n新建公办幼儿园2所。\n",
                &doc) == 0);
    CHECK_STR(doc.doc_type, "summary_and_plan");
    CHECK_INT(doc.year, 2024);
    CHECK_INT(doc.plan_year, 2025);
    KEY(&doc, "1090人", 0, "edu.students_aided");
    KEY(&doc, "62.6万元", 0, "edu.student_aid_amount");
    KEY(&doc, "540个", 0, "edu.school_places_added");
    KEY(&doc, "2所", 0, "edu.schools_built");
    const rpt_indicator *x = find(&doc, "2所", 0);
    if (x) CHECK_INT(x->period_year, 2025);
    rpt_document_clear(&doc);
    REQUIRE(run("芷江县教育局2023年上半年工作总结\n一、总体情况\n获一等奖2个。\n", &doc) == 0);
    CHECK_STR(doc.doc_type, "half_year_summary");
    CHECK_INT(doc.plan_year, 0);
    rpt_document_clear(&doc);
}

/* The key pass reads the number where the extractor found it (raw_at), not at the first
 * equal text of the sentence: in a list of targets the same figure often stands twice. */
static void test_number_place(void)
{
    rpt_document doc;
    REQUIRE(run(GWR, &doc) == 0);
    CHECK(doc.n_indicators > 10);
    for (size_t i = 0; i < doc.n_indicators; i++) {
        const rpt_indicator *x = &doc.indicators[i];
        CHECK(x->raw_at > 0 && x->raw_at - 1 + x->raw_len <= x->sentence_len);
        if (x->raw_at > 0 && x->raw_at - 1 + x->raw_len <= x->sentence_len)
            CHECK(!memcmp(x->sentence + x->raw_at - 1, x->raw, x->raw_len));
    }
    rpt_document_clear(&doc);

    /* one indicator by hand: no label, so the clause before the number names it */
    static const char sentence[] = "地区生产总值增长5.5%，一般公共预算收入增长5.5%";
    const char *second = strstr(strstr(sentence, "5.5%") + 1, "5.5%");
    REQUIRE(second != NULL);
    for (int known = 0; known < 2; known++) {
        rpt_indicator x = {.raw = "5.5%", .unit = "%", .metric = "", .sentence = (char *)sentence,
                           .kind = RPT_KIND_ACTUAL, .section = -1};
        x.raw_len = strlen(x.raw), x.unit_len = 1, x.sentence_len = strlen(sentence);
        if (known) x.raw_at = 1 + (size_t)(second - sentence);
        rpt_document d = {.indicators = &x, .n_indicators = 1, .year = 2024};
        rpt_buf err = RPT_BUF_INIT;
        REQUIRE(rpt_metric_keys_assign(&d, &err) == 0);
        rpt_buf_clear(&err);
        /* without the place, the first 5.5% of the sentence is taken */
        CHECK_STR(x.metric_key, known ? "fiscal.budget_revenue_growth" : "econ.gdp_growth");
    }
}

/* The year a number refers to, in a sentence long enough that the describer's windows of it
 * start at different places: "2013年，" holds for what follows it in the whole sentence, not
 * a comparison base ("比2012年") or "以来"; the last year named before the number wins. */
static void test_years_in_long_sentence(void)
{
    rpt_buf text = RPT_BUF_INIT;
    rpt_buf_puts(&text, "某县2014年工作总结\n一、工作回顾\n"
                        "2013年，全县地区生产总值完成100亿元，比2012年增长8%；2012年以来新建学校3所");
    for (int k = 0; k < 12; k++)
        rpt_buf_printf(&text, "，各项工作稳步推进%d项", k + 1);
    rpt_buf_puts(&text, "，2011年至2013年累计投入5亿元，2014年一般公共预算收入增长9%，"
                        "比2013年增加2亿元。\n二、2015年工作计划\n城镇新增就业2000人。\n");
    rpt_document doc;
    REQUIRE(run(text.data, &doc) == 0);
    CHECK(doc.n_indicators > 12);
    const rpt_indicator *x = find(&doc, "100亿元", 0);
    CHECK(x != NULL);
    if (x) CHECK_INT(x->period_year, 2013);
    x = find(&doc, "8%", 0); /* "比2012年" is the base, not the year */
    CHECK(x != NULL);
    if (x) CHECK_INT(x->period_year, 2013);
    x = find(&doc, "3所", 0); /* "2012年以来" names no year of its own */
    CHECK(x != NULL);
    if (x) CHECK_INT(x->period_year, 2013);
    /* far from the sentence's start: its window of the sentence begins after "2013年，",
     * which still holds, and no comparison base cut off at a window's start counts */
    for (int k = 1; k <= 12; k++) {
        char raw[16];
        snprintf(raw, sizeof raw, "%d项", k);
        x = find(&doc, raw, 0);
        CHECK(x != NULL);
        if (x) CHECK_INT(x->period_year, 2013);
    }
    x = find(&doc, "9%", 0); /* "2014年" stands before it */
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->period_year, 2014);
        CHECK_STR(x->metric_key, "fiscal.budget_revenue_growth");
    }
    x = find(&doc, "2000人", 0); /* the plan part */
    CHECK(x != NULL);
    if (x) CHECK_INT(x->period_year, 2015);
    rpt_document_clear(&doc);
    rpt_buf_clear(&text);
}

TEST_MAIN(T(test_government_work_report), T(test_national_and_province), T(test_bureau_report),
          T(test_number_place), T(test_years_in_long_sentence))
