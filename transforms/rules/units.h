/* Measure words recognised after a number, and words that look like one but are not.
 * To add a measure word, add a line: the word as written, the unit reported (NULL: as
 * written) and flags. The longest matching word wins; a word of RPT_NOT_UNITS that is at
 * least as long as the best unit cancels it ("年级" is not 年, "分钟" is not 分).
 * Included once, by transforms/indicators.c. */
#ifndef REPORTD_TRANSFORMS_RULES_UNITS_H
#define REPORTD_TRANSFORMS_RULES_UNITS_H

enum {
    RPT_U_CN = 1,        /* may follow a Chinese numeral (四所, 两项); otherwise digits only */
    RPT_U_LIANXU = 2,    /* a duration: an indicator only after 连续 (连续13年) */
    RPT_U_THRESHOLD = 4, /* with 以上/以下 after it a threshold (600分以上), before a noun or in
                           a range a description (2-3岁幼儿), not an indicator */
    RPT_U_MONEY = 8,     /* money: reported as 元 */
    RPT_U_RATE = 16,     /* a rate or share (%) */
    RPT_U_ONE = 32,      /* may follow the lone numeral 一 (一所, 一项; not 一起, 一个中国) */
    RPT_U_CAPACITY = 64, /* directly before a noun a capacity in a project name (700万吨露天矿) */
};

typedef struct rpt_unit_rule {
    const char *word;
    const char *unit; /* NULL: the word itself */
    unsigned flags;
} rpt_unit_rule;

static const rpt_unit_rule RPT_UNIT_RULES[] = {
    {"元", NULL, RPT_U_MONEY},
    {"块钱", "元", RPT_U_MONEY},
    {"美元", NULL, 0},
    {"%", NULL, RPT_U_RATE},
    {"％", "%", RPT_U_RATE},
    {"个百分点", NULL, RPT_U_CN | RPT_U_RATE},
    {"百分点", NULL, RPT_U_RATE},
    {"人次", NULL, RPT_U_CN},
    {"人/次", NULL, 0},
    {"家次", NULL, 0},
    {"轮次", NULL, 0},
    {"班次", NULL, 0},
    {"架次", NULL, 0},
    {"人", NULL, RPT_U_CN},
    {"名", NULL, RPT_U_CN | RPT_U_ONE},
    {"位", NULL, 0},
    {"所", NULL, RPT_U_CN | RPT_U_ONE},
    {"个", NULL, RPT_U_CN},
    {"项", NULL, RPT_U_CN | RPT_U_ONE},
    {"次", NULL, RPT_U_CN},
    {"件", NULL, RPT_U_CN},
    {"篇", NULL, RPT_U_CN},
    {"幅", NULL, 0},
    {"枚", NULL, RPT_U_CN | RPT_U_ONE},
    {"金", NULL, 0}, /* medals: 获1金2银 */
    {"银", NULL, 0},
    {"铜", NULL, 0},
    {"块", NULL, 0},
    {"平方米", NULL, 0},
    {"平米", NULL, 0},
    {"㎡", NULL, 0},
    {"平方公里", NULL, 0},
    {"公里", NULL, 0},
    {"厘米", NULL, 0},
    {"毫米", NULL, 0},
    {"亩", NULL, 0},
    {"亩次", NULL, 0},
    {"公顷", NULL, 0},
    {"吨", NULL, RPT_U_CAPACITY},
    {"斤", NULL, 0},
    {"头", NULL, 0},
    {"头只", NULL, 0},
    {"只", NULL, 0},
    {"株", NULL, 0},
    {"棵", NULL, 0},
    {"羽", NULL, 0},
    {"匹", NULL, 0},
    {"列", NULL, 0},
    {"份", NULL, 0},
    {"度", NULL, 0},
    {"公斤", NULL, 0},
    {"千克", NULL, 0},
    {"立方米", NULL, 0},
    {"千瓦时", NULL, 0},
    {"标箱", NULL, RPT_U_CAPACITY},
    {"艘", NULL, 0},
    {"架", NULL, 0},
    {"栋", NULL, 0},
    {"眼", NULL, 0},
    {"口", NULL, 0},
    {"公里/小时", NULL, 0},
    {"户", NULL, RPT_U_CN},
    {"家", NULL, RPT_U_CN},
    {"台", NULL, 0},
    {"台（套）", NULL, 0},
    {"台(套)", NULL, 0},
    {"台/套", NULL, 0},
    {"套", NULL, 0},
    {"间", NULL, 0},
    {"处", NULL, RPT_U_CN},
    {"条", NULL, 0},
    {"期", NULL, 0},
    {"批", NULL, 0},
    {"场", NULL, RPT_U_CN},
    {"场次", NULL, RPT_U_CN},
    {"轮", NULL, 0},
    {"例", NULL, 0},
    {"起", NULL, RPT_U_CN},
    {"分", NULL, RPT_U_THRESHOLD},
    {"本", NULL, 0},
    {"册", NULL, 0},
    {"部", NULL, 0},
    {"座", NULL, RPT_U_CN | RPT_U_ONE},
    {"辆", NULL, 0},
    {"张", NULL, 0},
    {"支", NULL, RPT_U_CN},
    {"门", NULL, 0},
    {"节", NULL, 0},
    {"课时", NULL, 0},
    {"学时", NULL, 0},
    {"种", NULL, 0},
    {"类", NULL, 0},
    {"倍", NULL, 0},
    {"万千瓦", NULL, RPT_U_CAPACITY},
    {"千瓦", NULL, RPT_U_CAPACITY},
    {"兆瓦", NULL, RPT_U_CAPACITY},
    {"千米", NULL, 0},
    {"年", NULL, RPT_U_CN | RPT_U_LIANXU},
    {"岁", NULL, RPT_U_THRESHOLD},
    {"周岁", NULL, RPT_U_THRESHOLD},
};

/* Words after a number that are not measure words even though they start like one. */
static const char *const RPT_NOT_UNITS[] = {
    "年级", "年度", "年代", "年来", "年前", "年后", "年内", "年间", "年初", "年底", "年末", "头脑",
    "只有", "只要", "份额", "度假", "列车", "千伏", "分钟", "分之", "分别", "分类", "分校", "分配",
    "分局", "名称", "名义", "名片", "次性", "项目", "个人", "人民", "人才", "人员", "人大", "人口",
    "期间", "期末", "期中", "时期", "场所", "场景", "场地", "家庭", "家长", "条件", "条例", "口径",
    "口岸", "眼光", "架构", "部门", "部分", "部署", "本科", "门类", "节点", "种类", "类型", "处理",
    "元素", "台账", "批次", "起来", "起点", "间隔", "块化", "套餐", "金额", "金融", "金牌",
    "银行", "铜牌", NULL};

#endif
