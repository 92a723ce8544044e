/* reports.parsed and reports.dlq values: round trips, validation with clear reasons, and
 * the replay time parser. No services needed. */
#include <string.h>

#include "pipeline/messages/dlq.h"
#include "connectors/kafka/range.h"
#include "pipeline/messages/parsed.h"
#include "pipeline_util.h"
#include "test.h"

static void test_parsed_roundtrip(void)
{
    rpt_buf v = RPT_BUF_INIT, err = RPT_BUF_INIT;
    tp_parsed_doc(7, 3, 2, &v);
    REQUIRE(v.len > 0);
    rpt_parsed_message m;
    REQUIRE(rpt_parsed_message_decode(v.data, v.len, &m, &err) == 0);
    CHECK_STR(m.doc_id, "doc-7");
    CHECK_INT(m.schema, RPT_PARSED_SCHEMA);
    CHECK_INT(m.transform_version, 3);
    CHECK_STR(m.source_name, "nanyue-edu");
    CHECK_STR(m.region, "耒阳市");
    CHECK_STR(m.region_code, "430481");
    CHECK_INT(m.year, 2022);
    CHECK_STR(m.raw_topic, "reports.raw");
    CHECK_INT(m.raw_partition, 3);
    CHECK_INT(m.raw_offset, 7);
    CHECK_INT(m.n_sections, 3);
    CHECK_INT(m.n_indicators, 8);
    CHECK_STR(m.sections[2].part, "plan");
    CHECK_INT(m.sections[2].start, 2100);
    CHECK_INT(m.sections[2].parent, -1);
    const rpt_parsed_indicator *x = &m.indicators[1];
    CHECK_NUM(x->value, 701.0 + 1.0);
    CHECK(!x->has_value_high);
    CHECK(m.indicators[0].has_value_high);
    CHECK_NUM(m.indicators[0].value_high, 700.0 + 1.0 + 10.0);
    CHECK_STR(x->kind, "target");
    CHECK_STR(x->qualifier, "over");
    CHECK_INT(x->section, 0);
    CHECK_INT(m.indicators[0].section, -1);
    CHECK(m.indicators[0].qualifier == NULL);
    CHECK(strstr(x->sentence, "\t") != NULL);
    rpt_parsed_message_clear(&m);
    rpt_buf_free(&v);
    rpt_buf_free(&err);
}

/* Each corruption of a valid message is refused with a reason naming the field. */
static void test_parsed_validation(void)
{
    rpt_buf v = RPT_BUF_INIT;
    tp_parsed_doc(1, 1, 0, &v);
    struct {
        const char *from, *to, *reason;
    } cases[] = {
        {"\"doc_id\":\"doc-1\"", "\"doc_id\":\"doc 1;drop\"", "doc_id"},
        {"\"transform_version\":1", "\"transform_version\":0", "transform_version"},
        {"\"schema\":1", "\"schema\":99", "schema"},
        {"\"kind\":\"actual\"", "\"kind\":\"wish\"", "kind"},
        {"\"part\":\"plan\"", "\"part\":\"later\"", "part"},
        {"\"year\":2021", "\"year\":\"2021\"", "year"},
        {"\"sections\":[", "\"sections\":7,\"x\":[", "sections"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *at = strstr(v.data, cases[i].from);
        REQUIRE(at);
        rpt_buf bad = RPT_BUF_INIT, err = RPT_BUF_INIT;
        rpt_buf_append(&bad, v.data, (size_t)(at - v.data));
        rpt_buf_puts(&bad, cases[i].to);
        rpt_buf_puts(&bad, at + strlen(cases[i].from));
        rpt_parsed_message m;
        CHECK(rpt_parsed_message_decode(bad.data, bad.len, &m, &err) == -1);
        CHECK(err.data && strstr(err.data, cases[i].reason));
        if (!err.data || !strstr(err.data, cases[i].reason))
            fprintf(stderr, "case %zu: reason '%s'\n", i, err.data ? err.data : "");
        rpt_buf_free(&bad);
        rpt_buf_free(&err);
    }
    rpt_buf err = RPT_BUF_INIT;
    rpt_parsed_message m;
    CHECK(rpt_parsed_message_decode("{\"schema\":1", 11, &m, &err) == -1);
    CHECK(err.data && strstr(err.data, "not JSON"));
    rpt_buf_free(&err);
    rpt_buf_free(&v);
}

static void test_dlq_roundtrip(void)
{
    rpt_buf v = RPT_BUF_INIT, err = RPT_BUF_INIT;
    rpt_dlq_item it = {.stage = "transform",
                      .reason = "extract: empty body",
                      .doc_id = "abc",
                      .topic = "reports.raw",
                      .partition = 2,
                      .offset = 41,
                      .value = "\xff\xfe binary",
                      .value_len = 9};
    REQUIRE(rpt_dlq_encode(&it, &v) == 0);
    CHECK(strstr(v.data, "value_base64") != NULL);
    rpt_dlq_record rec;
    REQUIRE(rpt_dlq_decode(v.data, v.len, &rec, &err) == 0);
    CHECK_STR(rec.stage, "transform");
    CHECK_STR(rec.reason, "extract: empty body");
    CHECK_STR(rec.doc_id, "abc");
    CHECK_STR(rec.topic, "reports.raw");
    CHECK_INT(rec.partition, 2);
    CHECK_INT(rec.offset, 41);
    rpt_dlq_record_clear(&rec);
    CHECK(rpt_dlq_decode("{}", 2, &rec, &err) == -1);
    rpt_buf_free(&v);
    rpt_buf_free(&err);
}

static void test_utf8_text(void)
{
    CHECK(rpt_utf8_text_ok("南岳区 ok", strlen("南岳区 ok")));
    CHECK(!rpt_utf8_text_ok("a\0b", 3));
    CHECK(!rpt_utf8_text_ok("\xc0\xaf", 2));     /* overlong */
    CHECK(!rpt_utf8_text_ok("\xe5\x8d", 2));     /* truncated */
    CHECK(!rpt_utf8_text_ok("\xed\xa0\x80", 3)); /* surrogate */
}

static void test_rfc3339(void)
{
    long long ms;
    CHECK(rpt_rfc3339_ms("1970-01-01T00:00:01Z", &ms) == 0 && ms == 1000);
    CHECK(rpt_rfc3339_ms("2025-05-30T12:02:29.5+08:00", &ms) == 0 && ms == 1748577749500LL);
    CHECK(rpt_rfc3339_ms("2025-05-30T04:02:29Z", &ms) == 0 && ms == 1748577749000LL);
    CHECK(rpt_rfc3339_ms("2025-05-30", &ms) == -1);
    CHECK(rpt_rfc3339_ms("2025-13-30T00:00:00Z", &ms) == -1);
    CHECK(rpt_rfc3339_ms("2025-05-30T00:00:00", &ms) == -1);
    CHECK(rpt_rfc3339_ms("earliest", &ms) == -1);
}

TEST_MAIN(T(test_parsed_roundtrip), T(test_parsed_validation), T(test_dlq_roundtrip),
          T(test_utf8_text), T(test_rfc3339))
