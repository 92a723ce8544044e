-- 003: BI-ready data. Documents placed in region level and period, indicators with a
-- canonical metric key and the year they refer to, the metric catalog, and the views that
-- match targets with outcomes.
--
-- reports.metrics holds the catalog of transforms/rules/metric_keys.h (the table the
-- extractor reads); the rows between the BEGIN/END lines are generated from it
-- (`test_metric_catalog --print`) and the test extract_metric_catalog fails when they differ.

ALTER TABLE reports.documents
    ADD COLUMN level     text CHECK (level IN ('national', 'province', 'city', 'county')),
    ADD COLUMN plan_year integer,
    ADD COLUMN doc_type  text;

ALTER TABLE reports.indicators
    ADD COLUMN metric_key  text,
    ADD COLUMN period_year integer;

CREATE INDEX indicators_metric_key_idx ON reports.indicators (metric_key, period_year)
    WHERE metric_key IS NOT NULL;
CREATE INDEX documents_region_code_year_idx ON reports.documents (region_code, year);

-- The metric catalog: one row per canonical key (../shared/metrics/CATALOG.md).
CREATE TABLE reports.metrics (
    key         text PRIMARY KEY,
    name        text NOT NULL,
    unit_class  text NOT NULL CHECK (unit_class IN ('amount', 'percent', 'count', 'count_or_area')),
    direction   text NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    category    text NOT NULL,
    description text NOT NULL,
    wordings    text NOT NULL -- "|"-separated Chinese wordings the extractor matches
);

-- BEGIN metric catalog
INSERT INTO reports.metrics (key, name, unit_class, direction, category, description, wordings) VALUES
    ('econ.gdp', '地区生产总值', 'amount', 'higher_is_better', 'economy', 'Gross regional (or domestic) product, the level', '地区生产总值|国内生产总值|生产总值|GDP|经济总量'),
    ('econ.gdp_growth', '地区生产总值增长率', 'percent', 'higher_is_better', 'economy', 'Growth of the gross regional (or domestic) product, %', '地区生产总值|国内生产总值|生产总值|GDP|经济总量|经济增长|经济增速|GDP增速|经济增长率'),
    ('econ.gdp_per_capita', '人均地区生产总值', 'amount', 'higher_is_better', 'economy', 'Gross regional product per inhabitant', '人均地区生产总值|人均GDP|人均生产总值|人均国内生产总值'),
    ('fiscal.total_revenue', '财政总收入', 'amount', 'higher_is_better', 'fiscal', 'Total fiscal revenue (all levels collected in the region)', '财政总收入|地方财政总收入'),
    ('fiscal.total_revenue_growth', '财政总收入增长率', 'percent', 'higher_is_better', 'fiscal', 'Growth of the total fiscal revenue, %', '财政总收入|地方财政总收入'),
    ('fiscal.budget_revenue', '一般公共预算收入', 'amount', 'higher_is_better', 'fiscal', 'General public budget revenue (local level)', '一般公共预算收入|公共财政预算收入|地方一般公共预算收入|一般预算收入|地方财政一般预算收入|地方级收入|地方公共财政预算收入|公共财政收入'),
    ('fiscal.budget_revenue_growth', '一般公共预算收入增长率', 'percent', 'higher_is_better', 'fiscal', 'Growth of the general public budget revenue, %', '一般公共预算收入|公共财政预算收入|地方一般公共预算收入|一般预算收入|地方财政一般预算收入|地方级收入|地方公共财政预算收入|公共财政收入'),
    ('fiscal.budget_expenditure', '一般公共预算支出', 'amount', 'higher_is_better', 'fiscal', 'General public budget expenditure (the total)', '一般公共预算支出|公共财政预算支出|一般预算支出|公共财政支出'),
    ('fiscal.livelihood_expenditure', '民生支出', 'amount', 'higher_is_better', 'fiscal', 'Spending on people''s livelihood (the total)', '民生支出|用于民生的财政支出|民生领域支出|民生投入'),
    ('fiscal.livelihood_share', '民生支出占比', 'percent', 'higher_is_better', 'fiscal', 'Share of livelihood spending in budget expenditure, %', '民生支出占|民生支出比重|民生领域支出占|用于民生的支出占|民生投入占'),
    ('invest.fixed_asset', '固定资产投资', 'amount', 'higher_is_better', 'investment', 'Fixed-asset investment (society-wide or of the region''s own level)', '固定资产投资|全社会固定资产投资|固定资产投资额|固投'),
    ('invest.fixed_asset_growth', '固定资产投资增长率', 'percent', 'higher_is_better', 'investment', 'Growth of fixed-asset investment, %', '固定资产投资|全社会固定资产投资|固定资产投资额|固投'),
    ('invest.key_projects', '重点项目投资', 'amount', 'higher_is_better', 'investment', 'Investment in the year''s key projects (all of them)', '重点项目完成投资|重点项目年度投资|重点项目投资|重点项目累计完成投资|重大项目完成投资'),
    ('invest.key_projects_count', '重点项目个数', 'count', 'higher_is_better', 'investment', 'Number of key projects carried out or started', '重点项目|重大项目|重点建设项目'),
    ('consumption.retail_sales', '社会消费品零售总额', 'amount', 'higher_is_better', 'consumption', 'Total retail sales of consumer goods', '社会消费品零售总额|社会消费品零售额|社消零'),
    ('consumption.retail_sales_growth', '社会消费品零售总额增长率', 'percent', 'higher_is_better', 'consumption', 'Growth of retail sales of consumer goods, %', '社会消费品零售总额|社会消费品零售额|社消零'),
    ('industry.output', '规模以上工业总产值', 'amount', 'higher_is_better', 'industry', 'Gross output of industry above designated size', '规模以上工业总产值|规上工业总产值'),
    ('industry.output_growth', '规模以上工业总产值增长率', 'percent', 'higher_is_better', 'industry', 'Growth of gross industrial output above designated size, %', '规模以上工业总产值|规上工业总产值'),
    ('industry.value_added', '规模以上工业增加值', 'amount', 'higher_is_better', 'industry', 'Value added of industry above designated size', '规模以上工业增加值|规上工业增加值|工业增加值'),
    ('industry.value_added_growth', '规模以上工业增加值增长率', 'percent', 'higher_is_better', 'industry', 'Growth of industrial value added above designated size, %', '规模以上工业增加值|规上工业增加值|工业增加值'),
    ('trade.import_export', '进出口总额', 'amount', 'higher_is_better', 'trade', 'Total imports and exports (元 or 美元)', '进出口总额|外贸进出口|进出口总值|货物进出口|外贸进出口总额'),
    ('trade.import_export_growth', '进出口总额增长率', 'percent', 'higher_is_better', 'trade', 'Growth of total imports and exports, %', '进出口总额|外贸进出口|进出口总值|货物进出口|外贸进出口总额'),
    ('tourism.visitors', '旅游接待人数', 'count', 'higher_is_better', 'tourism', 'Tourist visits received (人次)', '旅游接待人数|接待游客|接待国内外游客|接待旅游者|旅游人数|游客接待量|接待旅游人数|旅游接待'),
    ('tourism.revenue', '旅游收入', 'amount', 'higher_is_better', 'tourism', 'Tourism revenue', '旅游收入|旅游总收入|旅游综合收入|旅游业总收入'),
    ('income.urban_per_capita', '城镇居民人均可支配收入', 'amount', 'higher_is_better', 'income', 'Per-capita disposable income of urban residents', '城镇居民人均可支配收入|城镇常住居民人均可支配收入|城乡居民人均可支配收入|城镇居民收入|城镇和农村居民人均可支配收入|城乡常住居民人均可支配收入'),
    ('income.urban_per_capita_growth', '城镇居民人均可支配收入增长率', 'percent', 'higher_is_better', 'income', 'Growth of urban per-capita disposable income, %', '城镇居民人均可支配收入|城镇常住居民人均可支配收入|城乡居民人均可支配收入|城镇居民收入|城镇和农村居民人均可支配收入|城乡常住居民人均可支配收入'),
    ('income.rural_per_capita', '农村居民人均可支配收入', 'amount', 'higher_is_better', 'income', 'Per-capita disposable (or net) income of rural residents', '农村居民人均可支配收入|农村牧区居民人均可支配收入|农村常住居民人均可支配收入|农牧区常住居民人均可支配收入|农村牧区常住居民人均可支配收入|农民人均纯收入|农牧民人均纯收入|农民人均可支配收入|农牧民人均可支配收入|农民收入|农牧民收入'),
    ('income.rural_per_capita_growth', '农村居民人均可支配收入增长率', 'percent', 'higher_is_better', 'income', 'Growth of rural per-capita income, %', '农村居民人均可支配收入|农村牧区居民人均可支配收入|农村常住居民人均可支配收入|农牧区常住居民人均可支配收入|农村牧区常住居民人均可支配收入|农民人均纯收入|农牧民人均纯收入|农民人均可支配收入|农牧民人均可支配收入|农民收入|农牧民收入'),
    ('prices.cpi_growth', '居民消费价格涨幅', 'percent', 'lower_is_better', 'prices', 'Change of the consumer price index, % (a ceiling)', '居民消费价格涨幅|居民消费价格上涨|居民消费价格指数|居民消费价格|CPI|物价涨幅|消费价格涨幅|物价总水平'),
    ('jobs.urban_new', '城镇新增就业', 'count', 'higher_is_better', 'jobs', 'New urban jobs', '城镇新增就业|新增就业|新增就业岗位|新增城镇就业|城镇新增就业人数|实现就业'),
    ('jobs.reemployed', '失业人员再就业', 'count', 'higher_is_better', 'jobs', 'Unemployed people back in work', '再就业|失业人员实现再就业|下岗失业人员再就业'),
    ('jobs.unemployment_rate', '城镇登记失业率', 'percent', 'lower_is_better', 'jobs', 'Urban registered or surveyed unemployment rate, % (a ceiling)', '城镇登记失业率|城镇调查失业率|登记失业率|调查失业率|失业率'),
    ('housing.affordable_units', '保障性住房', 'count', 'higher_is_better', 'housing', 'Affordable housing units built, started or assigned', '保障性住房|保障房|保障性安居工程|公共租赁住房|公租房|廉租房|廉租住房|保障性租赁住房'),
    ('housing.shantytown_renovation', '棚户区改造', 'count_or_area', 'higher_is_better', 'housing', 'Shanty-town renovation (households, units or m², the unit tells)', '棚户区改造|棚户区|棚改|城中村改造'),
    ('population.poverty_lifted', '脱贫人口', 'count', 'higher_is_better', 'poverty', 'People lifted out of poverty', '脱贫人口|贫困人口减少|减少贫困人口|贫困人口脱贫|农村贫困人口|稳定脱贫|实现脱贫|脱贫'),
    ('health.insurance_coverage', '医保参保率', 'percent', 'higher_is_better', 'health', 'Health insurance coverage, %', '新农合参合率|参合率|医保参保率|参保率|新型农村合作医疗参合率|新农合'),
    ('edu.spending', '教育投入', 'amount', 'higher_is_better', 'funding', 'The year''s total spending on education', '教育投入|教育经费投入|教育支出|教育经费|教育总投入'),
    ('edu.school_places_added', '新增学位', 'count', 'higher_is_better', 'enrollment_capacity', 'School places added', '新增学位|新增公办学位|新增中小学学位|新增幼儿园学位|新增公办幼儿园学位|增加学位|新增义务教育学位'),
    ('edu.schools_built', '新建学校', 'count', 'higher_is_better', 'schools', 'New or rebuilt schools and kindergartens', '新建学校|新建幼儿园|新建公办幼儿园|改扩建学校|建成学校|新建中小学|迁入全新校园|建成幼儿园'),
    ('edu.teachers_recruited', '招聘教师', 'count', 'higher_is_better', 'teachers', 'Teachers recruited', '招聘教师|招录教师|引进教师|补充教师|新增教师|招聘高中教师|招聘|招录|公开招聘|引进优秀|新招聘'),
    ('edu.teachers_trained', '教师培训', 'count', 'higher_is_better', 'teachers', 'Teacher training (人次)', '教师培训|培训教师|培训教职工'),
    ('edu.students_aided', '资助学生', 'count', 'higher_is_better', 'subsidies', 'Students receiving aid', '资助学生|惠及学生|资助五类学生|资助非五类学生|惠及贫困|资助贫困学生|免学费人数|享受国家助学金人数|资助|免学费|享受国家助学金|助学金'),
    ('edu.student_aid_amount', '学生资助资金', 'amount', 'higher_is_better', 'subsidies', 'Money paid to or for students in aid', '学生资助资金|发放资助金|免学费补助|营养改善计划资金|资助金|助学金补助|生活补助|幼儿园补助|资助资金|国家助学金'),
    ('edu.preschool_enrollment_rate', '学前三年毛入园率', 'percent', 'higher_is_better', 'students', 'Gross preschool enrolment rate, %', '学前三年毛入园率|学前教育毛入园率|毛入园率|入园率'),
    ('edu.public_kindergarten_share', '普惠性幼儿园覆盖率', 'percent', 'higher_is_better', 'schools', 'Share of public and affordable kindergartens, %', '公办园在园幼儿占比|普惠性幼儿园覆盖率|普惠率|普惠性民办园占|普惠性幼儿园占|公办园在园幼儿占|普惠性民办园|普惠性幼儿园'),
    ('edu.compulsory_retention_rate', '九年义务教育巩固率', 'percent', 'higher_is_better', 'students', 'Retention rate of nine-year compulsory education, %', '九年义务教育巩固率|义务教育巩固率|巩固率'),
    ('edu.high_school_enrollment_rate', '高中阶段毛入学率', 'percent', 'higher_is_better', 'students', 'Gross enrolment rate of senior secondary, %', '高中阶段毛入学率|高中阶段教育毛入学率'),
    ('edu.undergrad_admission_rate', '本科上线率', 'percent', 'higher_is_better', 'exams', 'Undergraduate admission rate, %', '本科上线率|一本上线率|二本以上上线率|本科录取率|本科上线'),
    ('edu.awards', '获奖', 'count', 'higher_is_better', 'awards', 'Awards and medals won (their number)', '获奖|一等奖|二等奖|三等奖|特等奖|金牌|银牌|铜牌|奖牌|奖项|金奖|银奖|铜奖');
-- END metric catalog

-- indicator_facts gains the key, its Chinese name, the year the number refers to and the
-- document's level, plan year and type (new columns at the end: existing queries keep working).
CREATE OR REPLACE VIEW reports.indicator_facts AS
SELECT d.region,
       d.region_code,
       d.province,
       d.city,
       d.year,
       d.title        AS document_title,
       d.url          AS document_url,
       d.published_at,
       d.doc_id,
       s.path         AS section_path,
       s.title        AS section_title,
       COALESCE(s.part, 'review') AS section_part,
       i.metric,
       i.value,
       i.value_high,
       i.unit,
       i.qualifier,
       i.kind,
       i.category,
       i.raw,
       i.sentence,
       i.metric_key,
       m.name         AS metric_name,
       i.period_year,
       d.level,
       d.plan_year,
       d.doc_type
FROM reports.indicators i
JOIN reports.documents d ON d.doc_id = i.doc_id
LEFT JOIN reports.sections s ON s.doc_id = i.doc_id AND s.ord = i.section
LEFT JOIN reports.metrics m ON m.key = i.metric_key;

-- One value per (region_code, metric_key, period_year, kind): the line a BI tool draws per
-- region and key. When several statements give it (a report repeating its own target, a
-- later report restating an earlier year, an older extraction of the same document), the
-- one kept is from the highest transform_version, then the latest published_at (unknown
-- dates last), then the latest loaded document; within one document, for amounts and
-- counts the largest value (a report names a part, "新增营业面积…新增就业3000人", before or
-- after the total, "全年实现新增就业5650人"), for rates the first statement.
-- `statements` counts how many there were.
CREATE VIEW reports.metric_series AS
SELECT DISTINCT ON (d.region_code, i.metric_key, i.period_year, i.kind)
       d.region_code,
       d.region,
       d.level,
       i.metric_key,
       m.name         AS metric_name,
       i.period_year,
       i.kind,
       i.value,
       i.value_high,
       i.unit,
       i.qualifier,
       count(*) OVER (PARTITION BY d.region_code, i.metric_key, i.period_year, i.kind)
                      AS statements,
       i.doc_id,
       d.title        AS document_title,
       d.url          AS document_url,
       d.published_at,
       d.transform_version,
       i.sentence
FROM reports.indicators i
JOIN reports.documents d ON d.doc_id = i.doc_id
JOIN reports.metrics m ON m.key = i.metric_key
WHERE d.region_code IS NOT NULL
  AND i.period_year IS NOT NULL
ORDER BY d.region_code, i.metric_key, i.period_year, i.kind,
         d.transform_version DESC, d.published_at DESC NULLS LAST, d.loaded_at DESC,
         d.doc_id, CASE WHEN m.unit_class = 'percent' THEN 0 ELSE -i.value END, i.ord;

-- A target set for a year next to the outcome reported for that year, per region and key.
-- met follows the key's direction: for a ceiling (lower_is_better: "控制在4%以内",
-- "3%左右") the outcome must be at or below the target (the upper end of a range); for
-- every other key it must reach the target (its lower end), whatever the qualifier
-- ("左右", "以上"). Both sides come from metric_series (same rule for duplicates); units
-- must agree (a target in % is not compared with an amount).
CREATE VIEW reports.target_outcomes AS
SELECT t.region_code,
       t.region,
       t.level,
       t.metric_key,
       t.metric_name,
       t.period_year  AS year,
       t.unit,
       t.value        AS target_value,
       t.value_high   AS target_value_high,
       t.qualifier    AS target_qualifier,
       o.value        AS outcome_value,
       o.qualifier    AS outcome_qualifier,
       CASE WHEN m.direction = 'lower_is_better'
            THEN o.value <= COALESCE(t.value_high, t.value)
            ELSE o.value >= t.value END AS met,
       m.direction,
       t.doc_id       AS target_doc_id,
       t.document_title AS target_document_title,
       t.sentence     AS target_sentence,
       t.document_url AS target_url,
       o.doc_id       AS outcome_doc_id,
       o.document_title AS outcome_document_title,
       o.sentence     AS outcome_sentence,
       o.document_url AS outcome_url
FROM reports.metric_series t
JOIN reports.metric_series o
  ON o.region_code = t.region_code AND o.metric_key = t.metric_key
 AND o.period_year = t.period_year AND o.kind = 'actual' AND o.unit = t.unit
JOIN reports.metrics m ON m.key = t.metric_key
WHERE t.kind = 'target';

GRANT SELECT ON reports.metrics, reports.metric_series, reports.target_outcomes,
      reports.indicator_facts TO reports_reader;
