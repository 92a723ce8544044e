/* Words around a number that decide whether it is an indicator and what kind it is.
 * Each list is NULL-terminated; add a word on its own line. Included once, by
 * transforms/indicators.c. */
#ifndef REPORTD_TRANSFORMS_RULES_CONTEXT_H
#define REPORTD_TRANSFORMS_RULES_CONTEXT_H

/* In the sentence before the number, these make it a target (a goal, not a result).
 * 计划 only counts when a verb follows it (计划招聘), not as a noun (招生计划63名). */
static const char *const RPT_TARGET_CUES[] = {"力争",  "确保",   "预期", "目标是", "目标为",
                                             "目标:", "目标：", "计划", "拟",     "预计",
                                             "争创",  "下一步", "明年", "今后",   NULL};

/* Directly before 第N, these make it a ranking (全州第三, 金牌总数第一). */
static const char *const RPT_RANK_CUES[] = {"全州", "全市",   "全省", "全国", "全区", "全县", "全盟",
                                           "全旗", "全地区", "总数", "总分", "团体", "排名", "排行",
                                           "位列", "位居",   "名列", "位次", "列",   "居",   NULL};

/* After 第N, these make it a rank without a cue (第一名, 第二位). */
static const char *const RPT_RANK_UNITS[] = {"名", "位", NULL};

/* Earlier in the clause, these make a bare 万/亿 amount money (投入27万). */
static const char *const RPT_MONEY_CUES[] = {"投入",   "投资",   "资金", "经费", "拨付", "拨款",
                                            "金额",   "捐资",   "捐款", "捐赠", "补助", "补贴",
                                            "奖补",   "收入",   "支出", "预算", "融资", "贷款",
                                            "营业额", "销售额", "产值", "元",   NULL};

/* A number with no measure word is an indicator only right after these (完成任务数18881). */
static const char *const RPT_BARE_NUMBER_AFTER[] = {"数", "数量", "总量", "总额", NULL};

/* After a counted word these mean a name or slogan, not a count (三名工程, 四个意识,
 * 20条规定). Applied to Chinese numerals, and to Arabic ones before 条. */
static const char *const RPT_SLOGAN_AFTER[] = {
    "工程", "意识", "自信", "维护", "确立", "全会", "规定", "措施", "意见", "机制",     "体系",
    "制度", "模式", "理念", "精神", "原则", "要求", "清单", "行动", "战略", "方针",     "服务",
    "一",   "是",   "大",   "小",   "新",   "好",   "化",   "中心", "课堂", "基本",     "全面",
    "必须", "务必", "提升", "融合", "结合", "并举", "联动", "协同", "文明", "特色",     "教育",
    "管理", "建设", "问题", "任务", "方面", "产业", "全委", "全会", "会议", "全体会议", NULL};

/* Right before a Chinese numeral, these make it part of a name (十四届四次全委会) or a vague
 * amount (数十所). */
static const char *const RPT_CN_NAME_BEFORE[] = {"届", "第", "统", "之", "每", "唯", "逐",
                                                "同", "单", "万", "专", "数", "几", NULL};

/* Later in the clause, these make a Chinese-numeral count the name of a topic
 * (…及两项督导评估等方面). */
static const char *const RPT_TOPIC_AFTER[] = {"等方面", "等领域", "等工作", NULL};

/* Right before an amount, these make it the capacity of a plant named after it
 * (年产3000辆专用车项目). */
static const char *const RPT_CAPACITY_BEFORE[] = {"年产",   "年处理", "日处理", "日产",
                                                 "年加工", "年吞吐", NULL};

/* After a number of articles (条), these within a few characters make it the title of a
 * set of rules (自治区28条配套规定), not a count. */
static const char *const RPT_RULES_TITLE_AFTER[] = {"规定", "措施", "意见", "举措",
                                                   "办法", "政策", "细则", NULL};

/* After a capacity (吨, 千瓦) these still mean an amount, not a project name. */
static const char *const RPT_CAPACITY_VERBS_AFTER[] = {"以上", "左右", "和",   "及",   "与",
                                                      "、",   "增长", "下降", "提高", NULL};

/* After the amount, these make it a benchmark quoted for comparison (超过全市75%的平均水平). */
static const char *const RPT_BENCHMARK_AFTER[] = {"的平均", "平均水平", "的水平", NULL};

/* Characters right before a number that make it part of a code, a name or an ordinal. */
static const char *const RPT_CODE_BEFORE[] = {"第", "〔", "[",  "【", "/",  "-",  "+", "#", "_",
                                             ".",  "．", "号", "编", "No", "NO", "G", "·", NULL};

/* Characters right after a number that make it a code or a formula (2+N, 3+1). */
static const char *const RPT_CODE_AFTER[] = {"+", "＋", "/", "×", "*", "〕", "]", "】", "#", NULL};

/* Between two amounts, these start the next list item (工作室1个、名师工作室15个). */
static const char *const RPT_LIST_JOINERS[] = {"、", "，", ",", "和", "及", "与", "或", NULL};

/* Stripped from the start of a metric (enumerators, time frames, connectives). */
static const char *const RPT_METRIC_STRIP_HEAD[] = {
    "一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "其中", "同时",
    "此外", "另外", "全年", "今年", "我区", "我县", "我市", "我省", "我局", "年内", "当年", "累计",
    "共计", "共",   "和",   "及",   "与",   "并",   "、",   "的",   "(",    "（",   ")",    "）",
    "”",    "，",   ",",    " ",    "　",   "确保", "每年", "让",   NULL};

/* After a leading year ("2024年以来"), words that belong to the time frame. */
static const char *const RPT_TIME_FRAME_TAIL[] = {"以来", "上半年", "下半年", "全年", "度", "底",
                                                 "初",   "暑期",   "春季",   "秋季", NULL};

/* Stripped from the end of the text before the number. */
static const char *const RPT_METRIC_STRIP_TAIL[] = {
    "分别达到", "分别为", "分别",   "达到",   "达", "为", "至", "共计", "共",
    "累计",     "总计",   "合计",   "约",     "的", "是", "有", "超过", "突破",
    "近",       "和",     "及",     "与",     "、", "(",  "（", "“",    " ",
    "　",       "平均",   "均",     "各",     "从", "由", "第", "原来", "现在",
    "控制在",   "保持在", "稳定在", "维持在", NULL};

/* Stripped from the start of the text after the amount. */
static const char *const RPT_METRIC_STRIP_AFTER_HEAD[] = {"以上", "以下", "以内", "之内", "左右",
                                                         "的",   ")",    "）",   "、",   NULL};

/* Stripped from the end of the text after the amount. */
static const char *const RPT_METRIC_STRIP_AFTER_TAIL[] = {"和", "及", "与", "、",
                                                         "等", "(",  "（", NULL};

#endif
