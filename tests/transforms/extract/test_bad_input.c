/* Bad input through the whole transform: absurd numbers must not overflow (UBSan watches),
 * and any byte sequence must give a result or a clear error, with offsets inside the text. */
#include <math.h>
#include <stdint.h>

#include "extract_helpers.h"
#include "test.h"

static void check_sane(const rpt_document *doc)
{
    for (size_t i = 0; i < doc->n_sections; i++) {
        CHECK(doc->sections[i].start <= doc->sections[i].end);
        CHECK(doc->sections[i].end <= doc->text_chars);
        CHECK(doc->sections[i].depth >= 1);
    }
    for (size_t i = 0; i < doc->n_indicators; i++) {
        const rpt_indicator *x = &doc->indicators[i];
        CHECK(x->start < x->end && x->end <= doc->text_chars);
        CHECK(isfinite(x->value) && (!x->has_value_high || isfinite(x->value_high)));
        CHECK(x->raw && x->unit && x->metric && x->sentence && x->category);
    }
}

static void test_absurd_numbers(void)
{
    rpt_document doc;
    char big[600];
    memset(big, '9', 400);
    strcpy(big + 400, "万元。");
    REQUIRE(x_run(big, &doc) == 0);
    CHECK_INT(doc.n_indicators, 0);
    check_sane(&doc);
    rpt_document_clear(&doc);

    REQUIRE(x_run("投入99999999999999999999亿元。", &doc) == 0);
    CHECK_INT(doc.n_indicators, 0);
    rpt_document_clear(&doc);

    REQUIRE(x_run("投入1e308元,1.7976931348623157e308元。", &doc) == 0);
    check_sane(&doc);
    rpt_document_clear(&doc);

    /* the largest number still read: 15 integer digits with 万亿 stays finite */
    REQUIRE(x_run("投入999999999999999万亿元。", &doc) == 0);
    check_sane(&doc);
    rpt_document_clear(&doc);

    REQUIRE(x_run("九千九百九十九万九千九百九十九亿亿亿亿个。十十十十十十十十十十十十个。", &doc) ==
            0);
    check_sane(&doc);
    rpt_document_clear(&doc);

    REQUIRE(x_run("0.00000000000000000000000000000000000001%", &doc) == 0);
    check_sane(&doc);
    rpt_document_clear(&doc);
}

/* A tiny deterministic generator so failures reproduce. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static void run_bytes(const unsigned char *data, size_t len)
{
    rpt_extract_input in = {.source = "fuzz.txt", .data = data, .len = len};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_extract(&in, &doc, &err);
    if (rc == 0) {
        check_sane(&doc);
        rpt_document_clear(&doc);
    } else {
        CHECK(err.len > 0); /* a failure always says why */
    }
    rpt_buf_clear(&err);
}

static void test_random_bytes(void)
{
    /* fragments that steer random input into the scanners' interesting paths */
    static const char *const pieces[] = {"一、",
                                         "(三)",
                                         "（一）",
                                         "1.",
                                         "2、",
                                         "第",
                                         "一",
                                         "两",
                                         "十",
                                         "万",
                                         "亿",
                                         "千",
                                         "余",
                                         "多",
                                         "元",
                                         "%",
                                         "个百分点",
                                         "人次",
                                         "所",
                                         "近",
                                         "约",
                                         "以上",
                                         "左右",
                                         "连续",
                                         "年",
                                         "-",
                                         "至",
                                         "9",
                                         "0",
                                         ".",
                                         ",",
                                         "。",
                                         "，",
                                         "\n",
                                         "“",
                                         "”",
                                         "\"",
                                         " ",
                                         "\xe4",
                                         "\xb8",
                                         "\x80",
                                         "\xff",
                                         "\xc0\x80",
                                         "\xed\xa0\x80",
                                         "\xf4\x90\x80\x80",
                                         "\xef\xbc\x91",
                                         "\x00"};
    const size_t np = sizeof pieces / sizeof *pieces;
    unsigned char buf[512];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        size_t want = rng() % sizeof buf;
        if (round % 3 == 0) {
            while (len < want)
                buf[len++] = (unsigned char)rng();
        } else {
            while (len < want) {
                const char *p = pieces[rng() % np];
                size_t pl = strlen(p);
                if (pl == 0) pl = 1; /* the NUL piece */
                if (len + pl > sizeof buf) break;
                memcpy(buf + len, p, pl);
                len += pl;
            }
        }
        run_bytes(buf, len);
    }
    /* truncated multi-byte sequences at the very end */
    run_bytes((const unsigned char *)"投入12万\xe5", 10);
    run_bytes((const unsigned char *)"\xe4\xb8", 2);
    run_bytes((const unsigned char *)"", 0);
}

TEST_MAIN(T(test_absurd_numbers), T(test_random_bytes))
