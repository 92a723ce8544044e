/* The metric catalog: canonical keys for indicators (contract: ../shared/metrics/CATALOG.md,
 * of which this table is the implementation). Read by transforms/metric_keys.c, which gives
 * an indicator the key whose wording stands closest before its number in its metric label
 * (else in its clause) among the keys whose unit class fits its unit; and by the test that
 * checks deploy/sql/003_bi_metrics.sql loads the same catalog into reports.metrics.
 *
 * Adding a key or a wording needs no change to the code: add a row (or a "|"-separated
 * wording) here, add the same row to the INSERT of the migration (the test prints it), and
 * bump RPT_TRANSFORM_VERSION.
 *
 * Columns:
 * - key, Chinese name, unit class (amount: 元/美元; percent: %; count: a measure word;
 *   count_or_area: a measure word or 平方米), direction (+1 higher is better, -1 lower is
 *   better: the target is a ceiling), category (see CATEGORIES.md in this folder);
 * - growth: 1 when the key is the %-change of a level: the wording must be followed by a
 *   growth word (增长, 增速, 增幅, 涨幅, 上涨) before the number, unless it holds one itself
 *   ("经济增长");
 * - wordings: the Chinese wordings the key covers, "|"-separated, each at most 24 bytes;
 * - description (English, for reports.metrics);
 * - units: for count keys, the measure words that fit ("人|名" for people), NULL for any.
 * Included once, by transforms/metric_keys.c. */
#ifndef REPORTD_TRANSFORMS_RULES_METRIC_KEYS_H
#define REPORTD_TRANSFORMS_RULES_METRIC_KEYS_H

typedef struct rpt_metric_def {
    const char *key;
    const char *name;
    const char *unit_class;
    int direction;
    const char *category;
    int growth;
    const char *wordings;
    const char *description;
    const char *units; /* "|"-separated measure words a count key accepts, NULL: any of its class */
} rpt_metric_def;

#define RPT_GDP_WORDS "地区生产总值|国内生产总值|生产总值|GDP|经济总量"
#define RPT_TOTAL_REVENUE_WORDS "财政总收入|地方财政总收入"
#define RPT_BUDGET_REVENUE_WORDS                                                               \
    "一般公共预算收入|公共财政预算收入|地方一般公共预算收入|一般预算收入|地方财政一般预算收入|" \
    "地方级收入|地方公共财政预算收入|公共财政收入"
#define RPT_FIXED_ASSET_WORDS "固定资产投资|全社会固定资产投资|固定资产投资额|固投"
#define RPT_RETAIL_WORDS "社会消费品零售总额|社会消费品零售额|社消零"
#define RPT_IND_OUTPUT_WORDS "规模以上工业总产值|规上工业总产值"
#define RPT_IND_VALUE_WORDS "规模以上工业增加值|规上工业增加值|工业增加值"
#define RPT_TRADE_WORDS "进出口总额|外贸进出口|进出口总值|货物进出口|外贸进出口总额"
#define RPT_URBAN_INCOME_WORDS                                                                 \
    "城镇居民人均可支配收入|城镇常住居民人均可支配收入|城乡居民人均可支配收入|城镇居民收入|"     \
    "城镇和农村居民人均可支配收入|城乡常住居民人均可支配收入"
#define RPT_RURAL_INCOME_WORDS                                                                 \
    "农村居民人均可支配收入|农村牧区居民人均可支配收入|农村常住居民人均可支配收入|"           \
    "农牧区常住居民人均可支配收入|农村牧区常住居民人均可支配收入|农民人均纯收入|"             \
    "农牧民人均纯收入|农民人均可支配收入|农牧民人均可支配收入|农民收入|农牧民收入"

static const rpt_metric_def RPT_METRIC_DEFS[] = {
    {"econ.gdp", "地区生产总值", "amount", 1, "economy", 0, RPT_GDP_WORDS,
     "Gross regional (or domestic) product, the level", NULL},
    {"econ.gdp_growth", "地区生产总值增长率", "percent", 1, "economy", 1,
     RPT_GDP_WORDS "|经济增长|经济增速|GDP增速|经济增长率",
     "Growth of the gross regional (or domestic) product, %", NULL},
    {"econ.gdp_per_capita", "人均地区生产总值", "amount", 1, "economy", 0,
     "人均地区生产总值|人均GDP|人均生产总值|人均国内生产总值",
     "Gross regional product per inhabitant", NULL},
    {"fiscal.total_revenue", "财政总收入", "amount", 1, "fiscal", 0, RPT_TOTAL_REVENUE_WORDS,
     "Total fiscal revenue (all levels collected in the region)", NULL},
    {"fiscal.total_revenue_growth", "财政总收入增长率", "percent", 1, "fiscal", 1,
     RPT_TOTAL_REVENUE_WORDS, "Growth of the total fiscal revenue, %", NULL},
    {"fiscal.budget_revenue", "一般公共预算收入", "amount", 1, "fiscal", 0,
     RPT_BUDGET_REVENUE_WORDS, "General public budget revenue (local level)", NULL},
    {"fiscal.budget_revenue_growth", "一般公共预算收入增长率", "percent", 1, "fiscal", 1,
     RPT_BUDGET_REVENUE_WORDS, "Growth of the general public budget revenue, %", NULL},
    {"fiscal.budget_expenditure", "一般公共预算支出", "amount", 1, "fiscal", 0,
     "一般公共预算支出|公共财政预算支出|一般预算支出|公共财政支出",
     "General public budget expenditure (the total)", NULL},
    {"fiscal.livelihood_expenditure", "民生支出", "amount", 1, "fiscal", 0,
     "民生支出|用于民生的财政支出|民生领域支出|民生投入",
     "Spending on people's livelihood (the total)", NULL},
    {"fiscal.livelihood_share", "民生支出占比", "percent", 1, "fiscal", 0,
     "民生支出占|民生支出比重|民生领域支出占|用于民生的支出占|民生投入占",
     "Share of livelihood spending in budget expenditure, %", NULL},
    {"invest.fixed_asset", "固定资产投资", "amount", 1, "investment", 0, RPT_FIXED_ASSET_WORDS,
     "Fixed-asset investment (society-wide or of the region's own level)", NULL},
    {"invest.fixed_asset_growth", "固定资产投资增长率", "percent", 1, "investment", 1,
     RPT_FIXED_ASSET_WORDS, "Growth of fixed-asset investment, %", NULL},
    {"invest.key_projects", "重点项目投资", "amount", 1, "investment", 0,
     "重点项目完成投资|重点项目年度投资|重点项目投资|重点项目累计完成投资|重大项目完成投资",
     "Investment in the year's key projects (all of them)", NULL},
    {"invest.key_projects_count", "重点项目个数", "count", 1, "investment", 0,
     "重点项目|重大项目|重点建设项目",
     "Number of key projects carried out or started", "个|项"},
    {"consumption.retail_sales", "社会消费品零售总额", "amount", 1, "consumption", 0,
     RPT_RETAIL_WORDS, "Total retail sales of consumer goods", NULL},
    {"consumption.retail_sales_growth", "社会消费品零售总额增长率", "percent", 1, "consumption",
     1, RPT_RETAIL_WORDS, "Growth of retail sales of consumer goods, %", NULL},
    {"industry.output", "规模以上工业总产值", "amount", 1, "industry", 0, RPT_IND_OUTPUT_WORDS,
     "Gross output of industry above designated size", NULL},
    {"industry.output_growth", "规模以上工业总产值增长率", "percent", 1, "industry", 1,
     RPT_IND_OUTPUT_WORDS, "Growth of gross industrial output above designated size, %", NULL},
    {"industry.value_added", "规模以上工业增加值", "amount", 1, "industry", 0, RPT_IND_VALUE_WORDS,
     "Value added of industry above designated size", NULL},
    {"industry.value_added_growth", "规模以上工业增加值增长率", "percent", 1, "industry", 1,
     RPT_IND_VALUE_WORDS, "Growth of industrial value added above designated size, %", NULL},
    {"trade.import_export", "进出口总额", "amount", 1, "trade", 0, RPT_TRADE_WORDS,
     "Total imports and exports (元 or 美元)", NULL},
    {"trade.import_export_growth", "进出口总额增长率", "percent", 1, "trade", 1, RPT_TRADE_WORDS,
     "Growth of total imports and exports, %", NULL},
    {"tourism.visitors", "旅游接待人数", "count", 1, "tourism", 0,
     "旅游接待人数|接待游客|接待国内外游客|接待旅游者|旅游人数|游客接待量|接待旅游人数|"
     "旅游接待",
     "Tourist visits received (人次)", "人次|人"},
    {"tourism.revenue", "旅游收入", "amount", 1, "tourism", 0,
     "旅游收入|旅游总收入|旅游综合收入|旅游业总收入", "Tourism revenue", NULL},
    {"income.urban_per_capita", "城镇居民人均可支配收入", "amount", 1, "income", 0,
     RPT_URBAN_INCOME_WORDS, "Per-capita disposable income of urban residents", NULL},
    {"income.urban_per_capita_growth", "城镇居民人均可支配收入增长率", "percent", 1, "income", 1,
     RPT_URBAN_INCOME_WORDS, "Growth of urban per-capita disposable income, %", NULL},
    {"income.rural_per_capita", "农村居民人均可支配收入", "amount", 1, "income", 0,
     RPT_RURAL_INCOME_WORDS, "Per-capita disposable (or net) income of rural residents", NULL},
    {"income.rural_per_capita_growth", "农村居民人均可支配收入增长率", "percent", 1, "income", 1,
     RPT_RURAL_INCOME_WORDS, "Growth of rural per-capita income, %", NULL},
    {"prices.cpi_growth", "居民消费价格涨幅", "percent", -1, "prices", 0,
     "居民消费价格涨幅|居民消费价格上涨|居民消费价格指数|居民消费价格|CPI|物价涨幅|"
     "消费价格涨幅|物价总水平",
     "Change of the consumer price index, % (a ceiling)", NULL},
    {"jobs.urban_new", "城镇新增就业", "count", 1, "jobs", 0,
     "城镇新增就业|新增就业|新增就业岗位|新增城镇就业|城镇新增就业人数|实现就业",
     "New urban jobs", "人|个|名"},
    {"jobs.reemployed", "失业人员再就业", "count", 1, "jobs", 0,
     "再就业|失业人员实现再就业|下岗失业人员再就业", "Unemployed people back in work", "人|名"},
    {"jobs.unemployment_rate", "城镇登记失业率", "percent", -1, "jobs", 0,
     "城镇登记失业率|城镇调查失业率|登记失业率|调查失业率|失业率",
     "Urban registered or surveyed unemployment rate, % (a ceiling)", NULL},
    {"housing.affordable_units", "保障性住房", "count", 1, "housing", 0,
     "保障性住房|保障房|保障性安居工程|公共租赁住房|公租房|廉租房|廉租住房|保障性租赁住房",
     "Affordable housing units built, started or assigned", "套|户|间"},
    {"housing.shantytown_renovation", "棚户区改造", "count_or_area", 1, "housing", 0,
     "棚户区改造|棚户区|棚改|城中村改造",
     "Shanty-town renovation (households, units or m², the unit tells)", "户|套|间|平方米"},
    {"population.poverty_lifted", "脱贫人口", "count", 1, "poverty", 0,
     "脱贫人口|贫困人口减少|减少贫困人口|贫困人口脱贫|农村贫困人口|稳定脱贫|实现脱贫|脱贫",
     "People lifted out of poverty", "人|名"},
    {"health.insurance_coverage", "医保参保率", "percent", 1, "health", 0,
     "新农合参合率|参合率|医保参保率|参保率|新型农村合作医疗参合率|新农合",
     "Health insurance coverage, %", NULL},
    {"edu.spending", "教育投入", "amount", 1, "funding", 0,
     "教育投入|教育经费投入|教育支出|教育经费|教育总投入",
     "The year's total spending on education", NULL},
    {"edu.school_places_added", "新增学位", "count", 1, "enrollment_capacity", 0,
     "新增学位|新增公办学位|新增中小学学位|新增幼儿园学位|新增公办幼儿园学位|增加学位|"
     "新增义务教育学位",
     "School places added", "个"},
    {"edu.schools_built", "新建学校", "count", 1, "schools", 0,
     "新建学校|新建幼儿园|新建公办幼儿园|改扩建学校|建成学校|新建中小学|迁入全新校园|"
     "建成幼儿园",
     "New or rebuilt schools and kindergartens", "所|个"},
    {"edu.teachers_recruited", "招聘教师", "count", 1, "teachers", 0,
     "招聘教师|招录教师|引进教师|补充教师|新增教师|招聘高中教师|招聘|招录|公开招聘|"
     "引进优秀|新招聘",
     "Teachers recruited", "人|名"},
    {"edu.teachers_trained", "教师培训", "count", 1, "teachers", 0,
     "教师培训|培训教师|培训教职工", "Teacher training (人次)", "人次|人|名"},
    {"edu.students_aided", "资助学生", "count", 1, "subsidies", 0,
     "资助学生|惠及学生|资助五类学生|资助非五类学生|惠及贫困|资助贫困学生|免学费人数|"
     "享受国家助学金人数|资助|免学费|享受国家助学金|助学金",
     "Students receiving aid", "人|名|人次|人/次"},
    {"edu.student_aid_amount", "学生资助资金", "amount", 1, "subsidies", 0,
     "学生资助资金|发放资助金|免学费补助|营养改善计划资金|资助金|助学金补助|生活补助|"
     "幼儿园补助|资助资金|国家助学金",
     "Money paid to or for students in aid", NULL},
    {"edu.preschool_enrollment_rate", "学前三年毛入园率", "percent", 1, "students", 0,
     "学前三年毛入园率|学前教育毛入园率|毛入园率|入园率",
     "Gross preschool enrolment rate, %", NULL},
    {"edu.public_kindergarten_share", "普惠性幼儿园覆盖率", "percent", 1, "schools", 0,
     "公办园在园幼儿占比|普惠性幼儿园覆盖率|普惠率|普惠性民办园占|普惠性幼儿园占|"
     "公办园在园幼儿占|普惠性民办园|普惠性幼儿园",
     "Share of public and affordable kindergartens, %", NULL},
    {"edu.compulsory_retention_rate", "九年义务教育巩固率", "percent", 1, "students", 0,
     "九年义务教育巩固率|义务教育巩固率|巩固率",
     "Retention rate of nine-year compulsory education, %", NULL},
    {"edu.high_school_enrollment_rate", "高中阶段毛入学率", "percent", 1, "students", 0,
     "高中阶段毛入学率|高中阶段教育毛入学率", "Gross enrolment rate of senior secondary, %", NULL},
    {"edu.undergrad_admission_rate", "本科上线率", "percent", 1, "exams", 0,
     "本科上线率|一本上线率|二本以上上线率|本科录取率|本科上线", "Undergraduate admission rate, %", NULL},
    {"edu.awards", "获奖", "count", 1, "awards", 0,
     "获奖|一等奖|二等奖|三等奖|特等奖|金牌|银牌|铜牌|奖牌|奖项|金奖|银奖|铜奖",
     "Awards and medals won (their number)", "个|项|枚|件|篇|幅|人次"},
};

/* Words right before a wording that narrow it to a part the key does not cover
 * ("工业固定资产投资", "制造业投资", "兰州新区经济总量"): such a match gives no key. */
static const char *const RPT_METRIC_SUBSCOPES[] = {
    "工业", "制造业", "民间", "房地产", "农业", "服务业", "技改", "设备", "基础设施", "外商",
    "高技术", "第一产业", "第二产业", "第三产业", "一产", "二产", "三产", "新区", "园区",
    "开发区", "县域", "城区", "教育", "交通", "文化", "产业", NULL};

/* Categories of unkeyed indicators in government work reports, from words of the metric
 * label, first match in this order wins; applied only where the category rules of the
 * education domain (categories.h) gave "other" or "funding". See CATEGORIES.md. */
typedef struct rpt_report_category_rule {
    const char *word;
    const char *category;
} rpt_report_category_rule;

static const rpt_report_category_rule RPT_REPORT_CATEGORY_RULES[] = {
    {"学校", "schools"},     {"幼儿园", "schools"},      {"学位", "enrollment_capacity"},
    {"教师", "teachers"},    {"学生", "students"},       {"教育", "funding"},
    {"就业", "jobs"},        {"失业", "jobs"},           {"创业", "jobs"},
    {"培训", "jobs"},        {"住房", "housing"},        {"保障房", "housing"},
    {"棚户区", "housing"},   {"棚改", "housing"},        {"危房", "housing"},
    {"老旧小区", "housing"}, {"旅游", "tourism"},        {"游客", "tourism"},
    {"脱贫", "poverty"},     {"贫困", "poverty"},        {"低保", "social"},
    {"养老", "social"},      {"救助", "social"},         {"社保", "social"},
    {"参保", "social"},      {"医保", "health"},         {"医疗", "health"},
    {"卫生", "health"},      {"医院", "health"},         {"进出口", "trade"},
    {"外贸", "trade"},       {"外资", "trade"},          {"出口", "trade"},
    {"零售", "consumption"}, {"消费", "consumption"},    {"财政", "fiscal"},
    {"税收", "fiscal"},      {"预算", "fiscal"},         {"债务", "fiscal"},
    {"投资", "investment"},  {"项目", "investment"},     {"融资", "investment"},
    {"资金", "investment"},  {"工业", "industry"},       {"企业", "industry"},
    {"产值", "industry"},    {"制造", "industry"},       {"园区", "industry"},
    {"粮食", "agriculture"}, {"农业", "agriculture"},    {"蔬菜", "agriculture"},
    {"牧", "agriculture"},   {"亩", "agriculture"},      {"造林", "environment"},
    {"绿化", "environment"}, {"排放", "environment"},    {"能耗", "environment"},
    {"空气", "environment"}, {"污水", "environment"},    {"生态", "environment"},
    {"道路", "infrastructure"}, {"公路", "infrastructure"}, {"铁路", "infrastructure"},
    {"管网", "infrastructure"}, {"供水", "infrastructure"}, {"供热", "infrastructure"},
    {"燃气", "infrastructure"}, {"公里", "infrastructure"}, {"收入", "income"},
    {"生产总值", "economy"}, {"经济", "economy"},        {"增加值", "economy"},
    {"产业", "economy"},
};

#endif
