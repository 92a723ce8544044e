/* Unit tests of the decoding stage: normalisation, charset decision and decoding, labelled
 * metadata, region and year, HTML rendering and chrome removal, .docx, and the dispatch. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "test.h"
#include "transforms/decode.h"
#include "transforms/extract.h"

/* Decodes an in-memory input through the whole decode stage. */
static int decode_mem(const char *source, const char *data, size_t len, const char *ctype,
                      const char *hint, rpt_document *doc, rpt_buf *err)
{
    rpt_extract_input in = {.source = source,
                           .data = (const unsigned char *)data,
                           .len = len,
                           .content_type = ctype,
                           .region_hint = hint};
    memset(doc, 0, sizeof *doc);
    rpt_buf_reset(err);
    int rc = rpt_decode(&in, doc, err);
    if (rc) rpt_document_clear(doc);
    return rc;
}

/* UTF-8 to GBK through iconv (caller frees). */
static char *to_gbk(const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    size_t in_left = strlen(utf8), out_left = in_left * 2 + 8;
    char *out = malloc(out_left), *in = (char *)utf8, *o = out;
    iconv(cd, &in, &in_left, &o, &out_left);
    iconv_close(cd);
    *len = (size_t)(o - out);
    return out;
}

static void test_sanitize(void)
{
    rpt_buf out = RPT_BUF_INIT;
    long replaced = 0;
    size_t chars = 0;
    /* full-width digits/letters fold; 中 and full-width punctuation stay */
    const char *s = "中１２ａＺ，。";
    REQUIRE(rpt_utf8_sanitize((const unsigned char *)s, strlen(s), 0, &out, &replaced, &chars) == 0);
    CHECK_STR(out.data, "中12aZ，。");
    CHECK_INT(chars, 7);
    CHECK_INT(replaced, 0);
    /* invalid sequences: one U+FFFD per maximal subpart (as Python's errors="replace") */
    rpt_buf_reset(&out);
    chars = 0;
    const unsigned char bad[] = {'a', 0xE4, 0xB8, 'b', 0xFF, 0xC0, 0x80, 0, 'c'};
    REQUIRE(rpt_utf8_sanitize(bad, sizeof bad, 0, &out, &replaced, &chars) == 0);
    CHECK_STR(out.data, "a\xEF\xBF\xBD"
                        "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                        "c");
    CHECK_INT(replaced, 5);
    CHECK_INT(chars, 8);
    /* CR: CRLF kept, lone CR becomes LF with the flag */
    rpt_buf_reset(&out);
    const char *cr = "a\r\nb\rc\r";
    REQUIRE(rpt_utf8_sanitize((const unsigned char *)cr, strlen(cr), RPT_NORM_CR_TO_LF, &out, NULL,
                             NULL) == 0);
    CHECK_STR(out.data, "a\r\nb\nc\n");
    /* long ASCII runs through the 8-byte path, with a NUL inside one */
    rpt_buf_reset(&out);
    char longs[40];
    memset(longs, 'x', sizeof longs);
    longs[21] = '\0';
    replaced = 0;
    chars = 0;
    REQUIRE(rpt_utf8_sanitize((const unsigned char *)longs, sizeof longs, 0, &out, &replaced,
                             &chars) == 0);
    CHECK_INT(out.len, 42);
    CHECK_INT(replaced, 1);
    CHECK_INT(chars, 40);
    /* in-place folding */
    char fold[] = "ＡＢ１２３";
    CHECK_INT(rpt_fold_fullwidth(fold, strlen(fold)), 5);
    CHECK_STR(fold, "AB123");
    rpt_buf_clear(&out);
}

static void test_charset_decide(void)
{
    rpt_charset_choice cs;
    const char *page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                       "charset=gb2312\"></head><body>abc</body></html>";
    rpt_charset_decide((const unsigned char *)page, strlen(page), NULL, 1, &cs);
    CHECK_STR(cs.name, "GB2312");
    CHECK_STR(cs.by, "meta");
    rpt_charset_decide((const unsigned char *)page, strlen(page), "text/html; charset=GBK", 1, &cs);
    CHECK_STR(cs.name, "GBK");
    CHECK_STR(cs.by, "http");
    const char *h5 = "<meta charset='utf-8'><p>x</p>";
    rpt_charset_decide((const unsigned char *)h5, strlen(h5), NULL, 1, &cs);
    CHECK_STR(cs.name, "UTF-8");
    /* BOM before meta */
    char bom[64] = "\xEF\xBB\xBF<meta charset=gbk>";
    rpt_charset_decide((const unsigned char *)bom, strlen(bom), NULL, 1, &cs);
    CHECK_STR(cs.name, "UTF-8");
    CHECK_STR(cs.by, "bom");
    CHECK_INT(cs.bom_len, 3);
    /* detection: GBK bytes are not UTF-8 */
    size_t glen;
    char *gbk = to_gbk("南岳区教育局工作总结", &glen);
    rpt_charset_decide((const unsigned char *)gbk, glen, NULL, 0, &cs);
    CHECK_STR(cs.name, "GB18030");
    CHECK_STR(cs.by, "detect");
    /* a header claiming UTF-8 over GBK bytes gives way to detection */
    rpt_charset_decide((const unsigned char *)gbk, glen, "text/plain; charset=utf-8", 0, &cs);
    CHECK_STR(cs.name, "GB18030");
    /* a meta claiming GBK over valid UTF-8 Chinese too */
    const char *u = "<meta charset=gbk><p>南岳区</p>";
    rpt_charset_decide((const unsigned char *)u, strlen(u), NULL, 1, &cs);
    CHECK_STR(cs.name, "UTF-8");
    CHECK_STR(rpt_charset_canonical("\"x-gbk\"", 7), "GBK");
    CHECK(rpt_charset_canonical("koi8-r", 6) == NULL);
    free(gbk);
}

static void test_charset_decode(void)
{
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    long replaced = 0;
    size_t chars = 0, glen;
    char *gbk = to_gbk("投入１２００万元", &glen);
    REQUIRE(rpt_charset_decode((const unsigned char *)gbk, glen, "GBK", 0, &out, &replaced, &chars,
                              &err) == 0);
    CHECK_STR(out.data, "投入1200万元");
    CHECK_INT(chars, 8);
    CHECK_INT(replaced, 0);
    /* an invalid byte in the middle and a truncated sequence at the end */
    char broken[64];
    memcpy(broken, gbk, 4);
    broken[4] = (char)0xFF;
    memcpy(broken + 5, gbk + 4, glen - 4);
    broken[glen + 1] = (char)0xB0; /* lead byte without its trail */
    rpt_buf_reset(&out);
    chars = 0;
    REQUIRE(rpt_charset_decode((const unsigned char *)broken, glen + 2, "GB18030", 0, &out,
                              &replaced, &chars, &err) == 0);
    CHECK_STR(out.data, "投入\xEF\xBF\xBD"
                        "1200万元\xEF\xBF\xBD");
    CHECK_INT(replaced, 2);
    CHECK(rpt_charset_decode((const unsigned char *)"x", 1, "NO-SUCH-CHARSET", 0, &out, &replaced,
                            &chars, &err) == -1);
    CHECK(strstr(err.data, "NO-SUCH-CHARSET") != NULL);
    free(gbk);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
}

static void test_dates(void)
{
    char iso[32];
    CHECK(rpt_meta_parse_date("2025-05-30 12:02:29 作者", 26, iso) == 19);
    CHECK_STR(iso, "2025-05-30T12:02:29+08:00");
    const char *cn = "2018年2月9日";
    CHECK(rpt_meta_parse_date(cn, strlen(cn), iso) == strlen(cn));
    CHECK_STR(iso, "2018-02-09T00:00:00+08:00");
    CHECK(rpt_meta_parse_date("2023/7/25 17:44", 15, iso) == 15);
    CHECK_STR(iso, "2023-07-25T17:44:00+08:00");
    CHECK(rpt_meta_parse_date("2025-13-01", 10, iso) == 0);
    CHECK(rpt_meta_parse_date("20250530", 8, iso) == 0);
    CHECK(rpt_meta_parse_date("1200万元", 9, iso) == 0);
}

static void test_metadata_lines(void)
{
    rpt_document doc = {0};
    rpt_meta_scan scan;
    rpt_meta_scan_init(&scan, &doc);
    const char *l1 = "成文日期\t2025-04-01\t公开时限\t长期公开";
    const char *l2 = "信息索引号\t001008001003013/2025-20839\t文件编号\t";
    const char *l3 = "来源:办公室(秘书科) 发布时间: 2025-04-01 11:57 浏览次数:";
    const char *l4 = "责任部门 | 区教育局 | 公开形式 | 主动公开 |";
    CHECK_INT(rpt_meta_scan_line(&scan, &doc, l1, strlen(l1)), 1);
    CHECK_STR(doc.published_at, "2025-04-01T00:00:00+08:00");
    rpt_meta_scan_line(&scan, &doc, l2, strlen(l2));
    CHECK_STR(doc.index_no, "001008001003013/2025-20839");
    CHECK(doc.doc_no == NULL); /* empty cell */
    rpt_meta_scan_line(&scan, &doc, l3, strlen(l3));
    CHECK_STR(doc.published_at, "2025-04-01T11:57:00+08:00"); /* 发布时间 beats 成文日期 */
    CHECK_STR(doc.issuer, "办公室(秘书科)");
    rpt_meta_scan_line(&scan, &doc, l4, strlen(l4));
    CHECK_STR(doc.issuer, "区教育局"); /* 责任部门 beats 来源 */
    const char *l5 = "文号：湘教发〔2024〕12号";
    rpt_meta_scan_line(&scan, &doc, l5, strlen(l5));
    CHECK_STR(doc.doc_no, "湘教发〔2024〕12号");
    /* body text mentioning a label is not metadata */
    rpt_document body = {0};
    rpt_meta_scan_init(&scan, &body);
    const char *p = "全年共计发布时间表三份，做到日期明确";
    CHECK_INT(rpt_meta_scan_line(&scan, &body, p, strlen(p)), 0);
    CHECK(rpt_meta_is_chrome_line("【打印本页】 【关闭窗口】", strlen("【打印本页】 【关闭窗口】")));
    CHECK(rpt_meta_is_chrome_line("打印 来源:芷江县教育局", strlen("打印 来源:芷江县教育局")));
    CHECK(!rpt_meta_is_chrome_line("芙蓉区教育局", strlen("芙蓉区教育局")));
    CHECK(!rpt_meta_is_chrome_line("2018年2月9日", strlen("2018年2月9日")));
    CHECK(rpt_meta_title_score("南岳区教育局2024年工作总结", strlen("南岳区教育局2024年工作总结")) ==
          3);
    CHECK(rpt_meta_title_score("一、关于2024年工作", strlen("一、关于2024年工作")) == 0);
    rpt_document_clear(&doc);
    rpt_document_clear(&body);
}

static void test_region(void)
{
    REQUIRE(rpt_gazetteer_path() != NULL);
    rpt_document doc = {0};
    doc.title = strdup("芷江县教育局2023年上半年工作总结");
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK_STR(doc.region, "芷江侗族自治县"); /* alias of the official name */
    CHECK_STR(doc.region_code, "431228");
    CHECK_STR(doc.city, "怀化市");
    CHECK_INT(doc.year, 2023);
    rpt_document_clear(&doc);
    /* 城关区 exists in 兰州市 and 拉萨市: ambiguous alone, resolved by context */
    doc.title = strdup("城关区教育局2024年工作总结及2025年工作计划");
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK(doc.region == NULL && doc.region_code == NULL);
    CHECK_INT(doc.year, 2024);
    rpt_document_clear(&doc);
    doc.title = strdup("城关区教育局2024年工作总结");
    rpt_region_resolve(&doc, "兰州市城关区人民政府门户网站", NULL);
    CHECK_STR(doc.region_code, "620102");
    CHECK_STR(doc.province, "甘肃省");
    rpt_document_clear(&doc);
    doc.title = strdup("城关区教育局2024年工作总结");
    rpt_region_resolve(&doc, NULL, "西藏自治区拉萨市城关区");
    CHECK_STR(doc.region_code, "540102");
    rpt_document_clear(&doc);
    /* a title naming no region: the portal's name decides; unknown names stay NULL */
    doc.title = strdup("区教育局2024年工作总结及2025年工作思路");
    rpt_region_resolve(&doc, "杭州市临平区人民政府\n", NULL);
    CHECK_STR(doc.region, "临平区");
    CHECK_STR(doc.city, "杭州市");
    rpt_document_clear(&doc);
    doc.title = strdup("某某区教育局工作总结");
    rpt_region_resolve(&doc, "示例网站", "不存在县");
    CHECK(doc.region == NULL);
    CHECK_INT(doc.year, 0);
    rpt_document_clear(&doc);
    /* a prefecture only when it issues the report itself */
    doc.title = strdup("衡阳市教育局2022年工作总结");
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK_STR(doc.region_code, "430400");
    rpt_document_clear(&doc);
    /* 朝阳区 is in 北京市 and in 长春市: null alone, placed by the city the text names */
    doc.title = strdup("朝阳区教育局2024年工作总结");
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK(doc.region_code == NULL);
    rpt_document_clear(&doc);
    doc.title = strdup("朝阳区教育局2024年工作总结");
    rpt_region_resolve(&doc, "长春市朝阳区人民政府", NULL);
    CHECK_STR(doc.region_code, "220104");
    CHECK_STR(doc.level, "county");
    rpt_document_clear(&doc);
    /* the opening lines of a government work report; the configured region still wins */
    doc.title = strdup("政府工作报告");
    doc.text = strdup("政府工作报告\n——2024年1月在北京市朝阳区第十七届人民代表大会第四次会议上\n"
                      "各位代表：\n");
    doc.text_len = strlen(doc.text);
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK_STR(doc.region_code, "110105");
    rpt_document_clear(&doc);
    doc.title = strdup("2026年甘肃省政府工作报告");
    rpt_region_resolve(&doc, NULL, "兰州市城关区");
    CHECK_STR(doc.region_code, "620102");
    rpt_document_clear(&doc);
    doc.title = strdup("2026年甘肃省政府工作报告");
    rpt_region_resolve(&doc, NULL, NULL);
    CHECK_STR(doc.region_code, "620000");
    CHECK_STR(doc.level, "province");
    rpt_document_clear(&doc);
    CHECK_INT(rpt_region_year_of("二〇二四年工作总结及二〇二五年工作计划"), 2024);
    CHECK_INT(rpt_region_year_of("2017年工作总结与2018年工作计划"), 2017);
    /* four digits at the very end (found by fuzzing: read past the end) */
    char *tail = strdup("工作总结2024");
    CHECK_INT(rpt_region_year_of(tail), 0);
    free(tail);
}

static void test_html(void)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    const char *page = "<html><head><title>示例县教育局2024年工作总结_示例网</title>"
                       "<link rel=\"canonical\" href=\"http://portal.example/a.html\"></head><body>"
                       "<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/x\">政务公开</a></div>"
                       "<div class=\"breadcrumb\">当前位置：首页 &gt; 政务公开</div>"
                       "<div id=\"content\"><h1>示例县教育局2024年工作总结</h1>"
                       "<div class=\"info\">发布日期：2024年12月30日 信息来源：县教育局</div>"
                       "<div "
                       "class=\"body\"><p>　　一、基本情况</p><p>全县有学校<b>88</"
                       "b>所，教师&nbsp;1296&nbsp;人。</p>"
                       "<p>第一行<br>第二行</p><table><tr><th>学段</th><th>学校数</th></tr>"
                       "<tr><td><p>高中</p></td><td>1</td></tr></table>"
                       "<script>var x = '不是正文';</script><p>二、２０２５年计划</p></div>"
                       "<div class=\"share\">分享到：微信 微博</div></div>"
                       "<div class=\"footer\">版权所有 示例县人民政府</div></body></html>";
    REQUIRE(decode_mem("page.html", page, strlen(page), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.text, "一、基本情况\n全县有学校88所，教师 1296 人。\n第一行\n第二行\n"
                        "学段\t学校数\n高中\t1\n二、2025年计划");
    CHECK_STR(doc.title, "示例县教育局2024年工作总结");
    CHECK_STR(doc.published_at, "2024-12-30T00:00:00+08:00");
    CHECK_STR(doc.issuer, "县教育局");
    CHECK_STR(doc.url, "http://portal.example/a.html");
    CHECK_STR(doc.format, "html");
    CHECK_INT(doc.text_chars, rpt_utf8_chars(doc.text, doc.text_len));
    CHECK_INT(doc.year, 2024);
    rpt_document_clear(&doc);
    /* a GBK page decoded through iconv, with the charset from the HTTP header */
    size_t glen;
    char *gbk = to_gbk("<html><body><div><p>芙蓉区教育局2017年工作总结</p><p>正文第一段。</p></div>"
                       "</body></html>",
                       &glen);
    REQUIRE(decode_mem("http://portal.example/b", gbk, glen, "text/html; charset=GBK", NULL, &doc,
                       &err) == 0);
    CHECK_STR(doc.charset, "GBK");
    CHECK_STR(doc.region, "芙蓉区");
    CHECK(strstr(doc.text, "正文第一段。") != NULL);
    rpt_document_clear(&doc);
    free(gbk);
    rpt_buf_clear(&err);
}

static void test_html_titles(void)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    /* <title> holds only the site name: the report title comes from the page */
    const char *p =
        "<html><head><title>衡阳市南岳区人民政府</title></head><body>"
        "<div class=\"top\">衡阳市南岳区人民政府门户网站</div><div><h2>南岳区教育局2022年"
        "工作总结</h2><p>正文第一段，内容较长。</p><p>正文第二段。</p></div></body></html>";
    REQUIRE(decode_mem("t.html", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.title, "南岳区教育局2022年工作总结");
    CHECK_INT(doc.year, 2022);
    rpt_document_clear(&doc);
    /* <title> cut short with "...": the full line from the page */
    const char *q =
        "<html><head><title>芙蓉区教育局2017年工作总结与...</title></head><body><div>"
        "<h1>芙蓉区教育局2017年工作总结与2018年工作计划</h1><p>正文。</p></div></body></html>";
    REQUIRE(decode_mem("t.html", q, strlen(q), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.title, "芙蓉区教育局2017年工作总结与2018年工作计划");
    CHECK_STR(doc.text, "正文。");
    rpt_document_clear(&doc);
    rpt_buf_clear(&err);
}

static void test_dispatch(void)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    /* HTML recognised by sniffing, even without an extension */
    const char *p = "  <!DOCTYPE html><html><body><p>正文内容</p></body></html>";
    REQUIRE(decode_mem("noext", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.format, "html");
    CHECK_STR(doc.text, "正文内容");
    rpt_document_clear(&doc);
    /* a .txt holding markup is text: its offsets are the file's */
    REQUIRE(decode_mem("a.txt", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.format, "text");
    CHECK_STR(doc.text, p);
    rpt_document_clear(&doc);
    /* a UTF-8 BOM is dropped from text */
    REQUIRE(decode_mem("b.txt", "\xEF\xBB\xBF正文", 9, NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.text, "正文");
    CHECK_INT(doc.text_chars, 2);
    rpt_document_clear(&doc);
    CHECK(decode_mem("c.txt", "", 0, NULL, NULL, &doc, &err) == -1);
    CHECK_STR(err.data, "empty input");
    CHECK(decode_mem("d.docx", "PK\x03\x04garbage", 12, NULL, NULL, &doc, &err) == -1);
    CHECK(strstr(err.data, "malformed zip") != NULL);
    rpt_buf_clear(&err);
}

static void test_docx_fixture(void)
{
    const char *src = getenv("REPORTD_SOURCE_DIR");
    if (!src) src = ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/portal/004-guzhang.docx", src);
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    static char data[1 << 20];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    REQUIRE(decode_mem(path, data, len, NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.format, "docx");
    const char *title_line = "古丈县教体局2024年工作总结及2025年工作计划\n";
    CHECK(strncmp(doc.text, title_line, strlen(title_line)) == 0);
    CHECK(strstr(doc.text, "\n古丈县现有各级各类学校88所") != NULL); /* no bookmark artifact */
    CHECK(strstr(doc.text, "\n学段\t学校数\t学生数\n高中\t1\t2148\n") != NULL);
    CHECK(strstr(doc.text, "HYPERLINK") == NULL);
    CHECK(strstr(doc.text, "附件见县教体局网站\t古丈县教体局") != NULL);
    CHECK_STR(doc.region_code, "433126");
    rpt_document_clear(&doc);
    /* the same bytes cut short: a malformed archive */
    CHECK(decode_mem(path, data, len - 100, NULL, NULL, &doc, &err) == -1);
    CHECK(strstr(err.data, "malformed") != NULL);
    rpt_buf_clear(&err);
}

/* A .docx whose word/document.xml is `xml`, read back into a buffer (caller frees). */
static char *make_docx(const char *xml, size_t *len)
{
    char path[] = "/tmp/reportd-docx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    close(fd);
    unlink(path);
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!z) return NULL;
    zip_source_t *s = zip_source_buffer(z, xml, strlen(xml), 0);
    if (!s || zip_file_add(z, "word/document.xml", s, ZIP_FL_ENC_UTF_8) < 0 || zip_close(z)) {
        zip_discard(z);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    char *data = f ? malloc(1 << 16) : NULL;
    *len = data ? fread(data, 1, 1 << 16, f) : 0;
    if (f) fclose(f);
    unlink(path);
    return data;
}

/* Billion laughs in word/document.xml: refused for its internal subset, with a reason;
 * the same document without the DTD decodes. */
static void test_docx_entity_bomb(void)
{
    const char *bomb =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [\n"
        " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n]>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>某县教育局2024年工作总结&f;</w:t></w:r></w:p></w:body></w:document>";
    size_t len = 0;
    char *data = make_docx(bomb, &len);
    REQUIRE(data && len > 0);
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    CHECK(decode_mem("bomb.docx", data, len, NULL, NULL, &doc, &err) == -1);
    CHECK(err.data && strstr(err.data, "internal subset") != NULL);
    free(data);
    const char *plain =
        "<?xml version=\"1.0\"?>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>某县教育局2024年工作总结</w:t></w:r></w:p></w:body></w:document>";
    data = make_docx(plain, &len);
    REQUIRE(data);
    CHECK(decode_mem("plain.docx", data, len, NULL, NULL, &doc, &err) == 0);
    if (doc.text) CHECK(strstr(doc.text, "工作总结") != NULL);
    rpt_document_clear(&doc);
    free(data);
    rpt_buf_clear(&err);
}

/* An opening whose last line names the government and ends without a newline (found by
 * fuzz_html): the office-line search copies every kept line with its newline, the last
 * one included, and must stay inside its buffer (ASan checks it in the sanitizer build). */
static void test_office_line_without_newline(void)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    const char *p = "海拉尔区人民政府";
    REQUIRE(decode_mem("e.txt", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.text, p);
    rpt_document_clear(&doc);
    rpt_buf_clear(&err);
}

/* Extracts a short report text through the whole transform stage and checks where it is
 * placed: region and region_code (NULL: expected unresolved) and the year. */
static void check_placed(const char *text, const char *region, const char *code, int year)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    rpt_extract_input in = {.source = "h.txt",
                            .data = (const unsigned char *)text,
                            .len = strlen(text)};
    REQUIRE(rpt_extract(&in, &doc, &err) == 0);
    if (region) {
        CHECK_STR(doc.region, region);
        CHECK_STR(doc.region_code, code);
    } else {
        CHECK(doc.region == NULL && doc.region_code == NULL);
    }
    CHECK_INT(doc.year, year);
    rpt_document_clear(&doc);
    rpt_buf_clear(&err);
}

/* Renamed and recoded divisions (data/gazetteer.tsv, columns from/until/became): a name
 * resolves to the name and code valid in the report's year, today's when it has none. */
static void test_region_history(void)
{
    REQUIRE(rpt_gazetteer_path() != NULL);
    /* 海拉尔市 152101 became 海拉尔区 150702 in 2001; a report of 1999 reviews 1998 */
    check_placed("政 府 工 作 报 告\n——1999年3月1日在海拉尔市第九届人民代表大会第二次会议上\n"
                 "海拉尔市人民政府市长\n各位代表：\n现在，我代表市人民政府向大会作工作报告。\n",
                 "海拉尔市", "152101", 1998);
    check_placed("2014年海拉尔区政府工作报告\n各位代表：\n现在，我代表区人民政府向大会作报告。\n",
                 "海拉尔区", "150702", 2013);
    /* delivered in February 2001, before the change: the year it reviews decides */
    check_placed("2001年海拉尔市政府工作报告\n各位代表：\n现在，我代表市人民政府向大会作报告。\n",
                 "海拉尔市", "152101", 2000);
    /* an old name after the change, a new one before it: the division as it was then */
    check_placed("海拉尔市教育局2014年工作总结\n一、主要工作\n", "海拉尔区", "150702", 2014);
    check_placed("海拉尔区教育局1999年工作总结\n一、主要工作\n", "海拉尔市", "152101", 1999);
    check_placed("海拉尔市教育局工作总结\n一、主要工作\n", "海拉尔区", "150702", 0);
    /* 余杭县 330125 -> 余杭市 339021 (1994) -> 330184 (1995) -> 余杭区 330110 (2001) */
    check_placed("余杭县教育局1993年工作总结\n", "余杭县", "330125", 1993);
    check_placed("余杭市教育局1994年工作总结\n", "余杭市", "339021", 1994);
    check_placed("余杭市教育局1998年工作总结\n", "余杭市", "330184", 1998);
    check_placed("余杭县教育局2010年工作总结\n", "余杭区", "330110", 2010);
    /* 临平区 330113 was made of part of 余杭区 in 2021: not a division before */
    check_placed("临平区教育局2019年工作总结\n", NULL, NULL, 2019);
    check_placed("临平区教育局2022年工作总结\n", "临平区", "330113", 2022);
    /* 思茅市 was a county-level city until 2003, then the prefecture renamed 普洱市 in 2007 */
    check_placed("思茅市教育局1999年工作总结\n", "思茅市", "532701", 1999);
    check_placed("思茅市教育局2005年工作总结\n", "思茅市", "530800", 2005);
    check_placed("普洱市教育局2005年工作总结\n", "思茅市", "530800", 2005);
    /* out of use in 2012, the name fits both: 思茅区 and 普洱市, null without context */
    check_placed("思茅市教育局2012年工作总结\n", NULL, NULL, 2012);
    check_placed("云南省思茅市人民政府2012年工作总结\n", NULL, NULL, 2012);
    check_placed("普洱市教育局2012年工作总结\n", "普洱市", "530800", 2012);
    check_placed("襄樊市教育局2012年工作总结\n", "襄阳市", "420600", 2012);
    /* 通州区 of 北京市 (1997) and of 南通市 (2009): ambiguous in any year without context */
    check_placed("通州区教育局1995年工作总结\n", NULL, NULL, 1995);
    check_placed("通州区教育局2012年工作总结\n", NULL, NULL, 2012);
    check_placed("北京市通县教育局1995年工作总结\n", "通县", "110223", 1995);
    check_placed("北京市通州区教育局1995年工作总结\n", "通县", "110223", 1995);
    check_placed("北京市通州区教育局2012年工作总结\n", "通州区", "110112", 2012);
}

/* A title typeset with blanks between its characters (the 海拉尔区 reports): the title reads
 * without them, blanks elsewhere stay, and the text keeps every byte (offsets unchanged). */
static void test_spaced_title(void)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    const char *p = "政 府 工 作 报 告\n\n——2014年2月19日在海拉尔区第十四届人民代表大会"
                    "第三次会议上\n\n各位代表：\n现在，我代表区人民政府向大会作工作报告。\n";
    REQUIRE(decode_mem("s.txt", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.title, "政府工作报告");
    CHECK_STR(doc.text, p);
    CHECK_STR(doc.region_code, "150702");
    rpt_document_clear(&doc);
    /* U+3000 and runs of blanks between Han characters; blanks next to others stay */
    p = "2024 年\xE3\x80\x80工\xE3\x80\x80作  总 结\n一、主要工作\n";
    REQUIRE(decode_mem("s.txt", p, strlen(p), NULL, NULL, &doc, &err) == 0);
    CHECK_STR(doc.title, "2024 年工作总结");
    CHECK_STR(doc.text, p);
    rpt_document_clear(&doc);
    rpt_buf_clear(&err);
}

TEST_MAIN(T(test_spaced_title), T(test_region_history), T(test_office_line_without_newline), T(test_docx_entity_bomb), T(test_sanitize), T(test_charset_decide), T(test_charset_decode), T(test_dates),
          T(test_metadata_lines), T(test_region), T(test_html), T(test_html_titles),
          T(test_dispatch), T(test_docx_fixture))
