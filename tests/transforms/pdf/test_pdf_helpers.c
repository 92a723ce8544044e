/* The small pure helpers of the PDF decoder: which lines are page numbers, and the OCR
 * clean-up (CJK spacing, look-alike letters inside numbers only where that is certain). */
#include <string.h>

#include "decoders/decoders.h"
#include "test.h"

static int pn(const char *s)
{
    return rpt_pdf_is_page_number(s, strlen(s));
}

static void test_page_numbers(void)
{
    const char *yes[] = {"3", "- 3 -", "-3-", "— 12 —", "－ 7 －", "3/12", "3 / 12", "第3页",
                         "第 3 页", "第3页 共12页", "第3页，共12页", "共12页 第3页", "Page 3",
                         "page 3 of 12", "·5·", "  - 120 -  "};
    const char *no[] = {"", "2024", "2024年", "第三页", "增长3", "3%", "第3章", "- 3 - 增长",
                        "共12页", "12345", "3/12/2024", "第3页 共12页 南岳区"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!pn(yes[i])) fprintf(stderr, "not taken for a page number: \"%s\"\n", yes[i]);
        CHECK(pn(yes[i]));
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        if (pn(no[i])) fprintf(stderr, "taken for a page number: \"%s\"\n", no[i]);
        CHECK(!pn(no[i]));
    }
}

static char *fix(const char *s, rpt_buf *b)
{
    rpt_buf_reset(b);
    CHECK(rpt_ocr_fix_line(s, strlen(s), b) == 0);
    return b->data ? b->data : (char *)"";
}

static void test_ocr_fix(void)
{
    rpt_buf b = RPT_BUF_INIT;
    CHECK_STR(fix("地 区 生 产 总 值 增 长 5.2% 。\n", &b), "地区生产总值增长5.2%。");
    CHECK_STR(fix("2O24 年", &b), "2024年");
    CHECK_STR(fix("增长 l5.2%", &b), "增长15.2%");
    CHECK_STR(fix("投入 1O0O 万元", &b), "投入1000万元");
    CHECK_STR(fix("GDP grew in 2024", &b), "GDP grew in 2024"); /* spaces between words stay */
    CHECK_STR(fix("Oil 10", &b), "Oil 10");      /* a word, not a number */
    CHECK_STR(fix("IO 号", &b), "IO号");         /* no real digit: not certain */
    CHECK_STR(fix("l0l 个", &b), "l0l个");       /* more look-alikes than digits */
    CHECK_STR(fix("A1O", &b), "A1O");           /* touches a letter: a code, not a number */
    CHECK_STR(fix("", &b), "");
    rpt_buf_clear(&b);
}

TEST_MAIN(T(test_page_numbers), T(test_ocr_fix))
