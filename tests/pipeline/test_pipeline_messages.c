/* reports.raw records (headers and the previous JSON value), reports.parsed and reports.dlq
 * values: round trips, validation with clear reasons, and
 * the replay time parser. No services needed. */
#include <string.h>

#include "common/utf8.h"
#include "pipeline/messages/dlq.h"
#include "connectors/kafka/range.h"
#include "pipeline/messages/parsed.h"
#include "pipeline/messages/raw.h"
#include "pipeline_util.h"
#include "test.h"

static const rpt_raw_message sample = {
    .schema = RPT_RAW_SCHEMA, .doc_id = "0123456789abcdef", .source = "s",
    .url = "http://x/a.html", .final_url = "http://x/b.html", .fetched_at = "2025-01-01T00:00:00Z",
    .http_status = 200, .content_type = "text/html; charset=GBK", .charset = "GBK",
    .etag = "\"e1\"", .sha256 = "ab", .region = "南岳区",
    .body = (unsigned char *)"\xc4\xcf\xd4\xc0\0z", .body_len = 6};

/* The current format: value = body bytes (NUL included), metadata in headers. */
static void test_raw_headers_roundtrip(void)
{
    rd_kafka_headers_t *h = rpt_raw_message_headers(&sample);
    REQUIRE(h);
    const void *v;
    size_t n;
    REQUIRE(rd_kafka_header_get_last(h, "schema", &v, &n) == 0);
    CHECK(n == 1 && memcmp(v, "2", 1) == 0);
    CHECK(rd_kafka_header_get_last(h, "parent_url", &v, &n) == RD_KAFKA_RESP_ERR__NOENT);
    CHECK(rd_kafka_header_get_last(h, "region", &v, &n) == 0 && n == strlen("南岳区"));
    rpt_raw_message back;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_raw_message_decode(sample.doc_id, 16, sample.body, sample.body_len, h, &back,
                                   &err) == 0);
    CHECK_INT(back.schema, 2);
    CHECK_STR(back.doc_id, sample.doc_id);
    CHECK_STR(back.url, sample.url);
    CHECK_STR(back.final_url, sample.final_url);
    CHECK_STR(back.charset, "GBK");
    CHECK_STR(back.etag, "\"e1\"");
    CHECK_STR(back.region, "南岳区");
    CHECK_INT(back.http_status, 200);
    CHECK(back.parent_url == NULL && back.last_modified == NULL);
    CHECK_INT(back.body_len, 6);
    CHECK(memcmp(back.body, sample.body, 6) == 0);
    /* value, key and headers: no base64, so about the body plus the metadata */
    CHECK(rpt_raw_message_size(&sample) < sample.body_len + 200);
    rpt_raw_message_clear(&back);
    rd_kafka_headers_destroy(h);
    rpt_buf_clear(&err);
}

/* A validator with bytes that are not UTF-8 (0xff in an ETag or Last-Modified) is carried
 * and decoded, never a reason to refuse the document (issue 11, finding 3). */
static void test_raw_non_utf8_header(void)
{
    rpt_raw_message m = sample;
    m.etag = "\"\xff\xfe-1\"";
    m.last_modified = "Mon, 01 Jan 2025 00:00:00 \xff\x00GMT"; /* NUL: string ends there */
    m.content_type = "text/html; charset=\xc0\xaf";          /* overlong: invalid */
    rd_kafka_headers_t *h = rpt_raw_message_headers(&m);
    REQUIRE(h);
    /* a header straight from another producer, with a NUL inside */
    rd_kafka_header_remove(h, "last_modified");
    rd_kafka_header_add(h, "last_modified", -1, "Mon\xff\0x", 6);
    rpt_raw_message back;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_raw_message_decode(m.doc_id, 16, m.body, m.body_len, h, &back, &err) == 0);
    CHECK_STR(back.etag, "\"\xef\xbf\xbd\xef\xbf\xbd-1\"");
    CHECK_STR(back.last_modified, "Mon\xef\xbf\xbdx");
    CHECK_STR(back.content_type, "text/html; charset=\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(rpt_utf8_text_ok(back.etag, strlen(back.etag)));
    rpt_raw_message_clear(&back);
    rd_kafka_headers_destroy(h);

    /* a value made of NUL bytes only: refused with a reason, no read past the copy */
    char nuls[64] = {0};
    rpt_buf_reset(&err);
    CHECK(rpt_raw_message_decode("d1", 2, nuls, sizeof nuls, NULL, &back, &err) == -1);
    CHECK(err.len > 0);

    /* the previous encoder wrote such bytes into its JSON unchecked: still decoded */
    const char legacy[] = "{\"schema\":1,\"doc_id\":\"d1\",\"url\":\"http://x/1\","
                          "\"etag\":\"W/\\\"\xff\\\"\",\"last_modified\":\"Mon \xff GMT\","
                          "\"body_base64\":\"aGk=\"}";
    REQUIRE(rpt_raw_message_decode("d1", 2, legacy, strlen(legacy), NULL, &back, &err) == 0);
    CHECK_STR(back.doc_id, "d1");
    CHECK_STR(back.etag, "W/\"\xef\xbf\xbd\"");
    CHECK_STR(back.last_modified, "Mon \xef\xbf\xbd GMT");
    CHECK_INT(back.body_len, 2);
    rpt_raw_message_clear(&back);
    rpt_buf_clear(&err);
}

/* The value earlier versions produced (schema 1 JSON, body in base64) still decodes. */
static void test_raw_previous_format(void)
{
    rpt_buf v = RPT_BUF_INIT, err = RPT_BUF_INIT;
    REQUIRE(rpt_raw_message_encode_json(&sample, &v) == 0);
    CHECK(strstr(v.data, "\"body_base64\":\"xM/UwAB6\"") != NULL);
    rpt_raw_message back;
    REQUIRE(rpt_raw_message_decode(sample.doc_id, 16, v.data, v.len, NULL, &back, &err) == 0);
    CHECK_INT(back.schema, 1);
    CHECK_STR(back.doc_id, sample.doc_id);
    CHECK_STR(back.charset, "GBK");
    CHECK_INT(back.http_status, 200);
    CHECK(back.parent_url == NULL);
    CHECK_INT(back.body_len, 6);
    CHECK(memcmp(back.body, sample.body, 6) == 0);
    rpt_raw_message_clear(&back);
    /* headers without a schema header: the value is read as JSON */
    rd_kafka_headers_t *other = rd_kafka_headers_new(1);
    rd_kafka_header_add(other, "traceparent", -1, "00-ab", 5);
    CHECK(rpt_raw_message_decode(NULL, 0, v.data, v.len, other, &back, &err) == 0);
    rpt_raw_message_clear(&back);
    rd_kafka_headers_destroy(other);
    rpt_buf_clear(&v);
    rpt_buf_clear(&err);
}

/* Records that cannot be decoded: each refused with a reason, nothing left allocated. */
static void test_raw_refused(void)
{
    const char *json[] = {"not json", "[1]", "{\"doc_id\":\"x\"}",
                          "{\"schema\":99,\"doc_id\":\"x\",\"url\":\"u\",\"body_base64\":\"\"}",
                          "{\"schema\":2,\"doc_id\":\"x\",\"url\":\"u\",\"body_base64\":\"\"}",
                          "{\"schema\":1,\"doc_id\":\"x\",\"url\":\"u\",\"body_base64\":\"@@\"}",
                          /* numbers no int holds (found by fuzzing: undefined conversions) */
                          "{\"schema\":1e300,\"doc_id\":\"x\",\"url\":\"u\",\"body_base64\":\"\"}",
                          "{\"schema\":-1e300,\"doc_id\":\"x\",\"url\":\"u\",\"body_base64\":\"\"}"};
    rpt_raw_message back;
    rpt_buf err = RPT_BUF_INIT;
    for (size_t i = 0; i < sizeof json / sizeof *json; i++) {
        rpt_buf_reset(&err);
        CHECK(rpt_raw_message_decode("x", 1, json[i], strlen(json[i]), NULL, &back, &err) == -1);
        CHECK(err.len > 0);
        CHECK(back.doc_id == NULL && back.body == NULL);
    }
    static const struct {
        const char *schema, *url, *key, *why;
    } hdr[] = {{"3", "http://x/", "k", "schema 3"},
               {"two", "http://x/", "k", "version number"},
               {"99999999999999999999", "http://x/", "k", "version number"},
               {"2", NULL, "k", "no url"},
               {"2", "http://x/", NULL, "no key"}};
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++) {
        rd_kafka_headers_t *h = rd_kafka_headers_new(2);
        rd_kafka_header_add(h, "schema", -1, hdr[i].schema, -1);
        if (hdr[i].url) rd_kafka_header_add(h, "url", -1, hdr[i].url, -1);
        rpt_buf_reset(&err);
        CHECK(rpt_raw_message_decode(hdr[i].key, hdr[i].key ? 1 : 0, "b", 1, h, &back, &err) ==
              -1);
        if (!err.data || !strstr(err.data, hdr[i].why)) {
            fprintf(stderr, "case %zu: %s\n", i, err.data ? err.data : "(no reason)");
            CHECK(0);
        }
        rd_kafka_headers_destroy(h);
    }
    rpt_buf_clear(&err);
}

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
    CHECK_INT(m.plan_year, 2023);
    CHECK_STR(m.level, "county");
    CHECK_STR(m.doc_type, "summary_and_plan");
    CHECK_STR(m.indicators[1].metric_key, "edu.spending");
    CHECK(m.indicators[0].metric_key == NULL);
    CHECK_INT(m.indicators[1].period_year, 2023);
    CHECK_INT(m.indicators[0].period_year, 2022);
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
    rpt_buf_clear(&v);
    rpt_buf_clear(&err);
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
        {"\"level\":\"county\"", "\"level\":\"village\"", "level"},
        {"\"period_year\":2021", "\"period_year\":\"2021\"", "period_year"},
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
        rpt_buf_clear(&bad);
        rpt_buf_clear(&err);
    }
    rpt_buf err = RPT_BUF_INIT;
    rpt_parsed_message m;
    CHECK(rpt_parsed_message_decode("{\"schema\":1", 11, &m, &err) == -1);
    CHECK(err.data && strstr(err.data, "not JSON"));
    rpt_buf_clear(&err);
    rpt_buf_clear(&v);
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
    rpt_buf_clear(&v);
    rpt_buf_clear(&err);
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

TEST_MAIN(T(test_raw_headers_roundtrip), T(test_raw_non_utf8_header), T(test_raw_previous_format),
          T(test_raw_refused), T(test_parsed_roundtrip), T(test_parsed_validation), T(test_dlq_roundtrip),
          T(test_utf8_text), T(test_rfc3339))
