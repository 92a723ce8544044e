/* Words that shape the metric label of an indicator (what is measured, in the text's own
 * words). Each list is NULL-terminated; add a word on its own line. Indexed once, by
 * transforms/indicators_rules.c; read by transforms/indicators_label.c. The words trimmed
 * from the ends of a label are in context.h (RPT_METRIC_STRIP_*). */
#ifndef REPORTD_TRANSFORMS_RULES_METRICS_H
#define REPORTD_TRANSFORMS_RULES_METRICS_H

/* Verbs that start a predicate. A label too long for its window is cut where one of these
 * starts (or at 、，；), never inside a word; a list of examples keeps the verb before it
 * (完成朝阳小学、双新小学等14所学校 -> 完成学校); a list item that holds one of these has its
 * own predicate and takes no list topic. */
static const char *const RPT_METRIC_VERBS[] = {
    "实施", "完成", "开展", "组织", "举办", "召开", "建成", "新建", "改建", "扩建", "创建", "创办",
    "建立", "成立", "新增", "增加", "减少", "投入", "投资", "发放", "惠及", "招聘", "招收", "认定",
    "申报", "立项", "推进", "落实", "实现", "达到", "提升", "提高", "增长", "下降", "覆盖", "帮扶",
    "救助", "配备", "聘请", "选派", "接待", "指导", "参与", "参加", "受益", "进入", "纳入", "迁入",
    "引进", "获得", "荣获", "获评", "获",   "评为", "评选", "办理", "办结", "发现", "约谈", "出动",
    "走访", "开设", "承担", "承办", "推广", "选拔", "表彰", "通报", "签约", "打造", "培养", "吸纳",
    "带动", "解决", "消除", "排查", "用于", "进行", "开通", "深入", NULL};

/* Manner adverbs that say how something was done, not what is measured: left out of a
 * label wherever they stand (学校顺利迁入全新校园 -> 学校迁入全新校园). */
static const char *const RPT_METRIC_ADVERBS[] = {"顺利", "真正", "扎实",   "积极", "认真",   "切实",
                                                "大力", "稳步", "有序",   "全面", "多渠道", "先后",
                                                "成功", "不断", "进一步", "有效", NULL};

/* A change from one amount to another (从3.68万亿元增长到4.93万亿元, 由10%下降至5%): the
 * words between the two amounts. Both amounts take the label before 从/由. */
static const char *const RPT_CHANGE_FROM[] = {"从", "由", NULL};
static const char *const RPT_CHANGE_TO[] = {
    "增加到", "增加至", "增长到", "增长至", "提高到", "提高至", "提升到", "提升至",
    "上升到", "上升至", "下降到", "下降至", "降低到", "降低至", "减少到", "减少至",
    "扩大到", "扩大至", "跃升至", "跃升到", "缩小到", "缩小至", "缩短到", "缩短至",
    "增至",   "降至",   "升至",   "达到",   "到",     "至",     NULL};

/* Time words that may stand on either side of the amounts of a change (从原来的200人提高到现在的
 * 491人); a year (2020年的) is recognised without a list. */
static const char *const RPT_CHANGE_TIME_WORDS[] = {"原来", "现在", "目前", "过去", "末",
                                                   "底",   "的",   " ",    NULL};

/* A label made only of these says how much something changed (同比增长22.3%, 比上年下降5%):
 * it takes the topic of its clause (地区生产总值) in front. RPT_RELATIVE_HEADS may stand before
 * RPT_RELATIVE_CHANGES (a year too: 比2010年增加). */
static const char *const RPT_RELATIVE_HEADS[] = {"同比",   "比上年", "较上年", "比去年",
                                                "较去年", "比",     "较",     "年均",
                                                "分别",   "平均",   "实际",   NULL};
static const char *const RPT_RELATIVE_CHANGES[] = {"增长", "下降", "增加", "减少", "提高", "降低",
                                                  "上升", "增幅", "降幅", "增速", "回落", NULL};

/* Verbs that only introduce the amount reached (地区生产总值完成198.5亿元): left out at the
 * end of a label when words name what is measured before them and none follow the amount. */
static const char *const RPT_RESULT_VERBS[] = {"完成", "实现", "预计完成", "预计实现", "预计", NULL};

/* Words ending in 等 that do not close a list of examples (中等职业学校). Not 平等 or
 * 同等: names end in 平 or 同 (向树平等41名) more often than those words stand before an
 * amount. */
static const char *const RPT_NOT_EXAMPLES[] = {"中等", "高等", "初等", NULL};

/* After 等, words naming a kind too general to stand for the examples before it
 * (公交客车更换等项目): the last example stays in the label. */
static const char *const RPT_GENERIC_AFTER_EXAMPLES[] = {"项目", "工程", "工作", "活动", "事项",
                                                        "方面", "领域", "地区", "部门", "单位",
                                                        "问题", "内容", NULL};

/* Before a money amount, verbs whose object (what the money was for) follows the amount
 * (投入27万将中心幼儿园改造为托幼一体公办园): its label may run further to the right. */
static const char *const RPT_METRIC_PURPOSE_CUES[] = {"投入", "投资", "安排", "拨付", "争取", "筹措",
                                                     "筹集", "整合", "下达", "统筹", "使用", NULL};

#endif
