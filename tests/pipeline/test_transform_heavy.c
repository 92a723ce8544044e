/* PDF documents through the whole pipeline, and the transform stage's pool for them: a
 * two-page scan (OCR) produced to reports.raw ahead of six text reports and a text PDF, all
 * on one partition, with transform.heavy_workers = 1, the transform and load roles on threads
 * against the harness's PostgreSQL and dev-broker.
 *  - the text reports behind the scan are loaded while it is still being OCR'd, and the
 *    transform group's committed offset stays at the scan meanwhile (a crash then would
 *    re-deliver it);
 *  - then the scan is loaded with ocr = true and a confidence, the text PDF with ocr = false
 *    and the indicators `rpt_extract` finds in it, and the committed offset reaches the end.
 * The decoder child is the build's reportd-decoder ($REPORTD_DECODER_BIN), as in
 * production. The PDFs are made here with make_pdf.py (python3-reportlab, python3-pil, fonts-wqy-zenhei);
 * the test skips without them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "decoders/decoders.h"
#include "pipeline/transform.h"
#include "pipeline_util.h"
#include "test.h"
#include "transforms/extract.h"

#define TEXT_DOCS 6

static const char *pg;
static char tmp[256];

/* Runs make_pdf.py MODE seed-000 OUT [ARGS]; 0 when the PDF was made. */
static int make_pdf(const char *mode, const char *out, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 %s/tests/transforms/pdf/make_pdf.py %s "
             "%s/tests/fixtures/seeds/000_aa89ab494b992dd0.txt %s %s",
             getenv("REPORTD_SOURCE_DIR"), mode, getenv("REPORTD_SOURCE_DIR"), out, args);
    return system(cmd) == 0 ? 0 : -1;
}

/* A raw message of the file at path, as the fetcher would produce it from url. */
static int raw_of_file(const char *path, const char *url, rpt_raw_message *out)
{
    size_t len = 0;
    char *body = rpt_read_file(path, 64u << 20, &len);
    if (!body) return -1;
    tp_raw_message(url, body, len, "application/pdf", out);
    return 0;
}

/* Produces msg to partition 0 of reports.raw as the fetch role does (body + headers). */
static int produce_p0(rd_kafka_t *p, const rpt_raw_message *msg)
{
    rd_kafka_headers_t *h = rpt_raw_message_headers(msg);
    if (!h) return -1;
    rd_kafka_resp_err_t e = rd_kafka_producev(
        p, RD_KAFKA_V_TOPIC("reports.raw"), RD_KAFKA_V_PARTITION(0),
        RD_KAFKA_V_KEY(msg->doc_id, strlen(msg->doc_id)), RD_KAFKA_V_VALUE(msg->body, msg->body_len),
        RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (e) rd_kafka_headers_destroy(h);
    return e ? -1 : 0;
}

/* The transform group's committed offset of reports.raw partition 0 (-1: none, -2: error). */
static long long committed_p0(void)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", getenv("REPORTD_TEST_BROKER"), errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "reportd-transform", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) return -2;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, "reports.raw", 0);
    long long at = rd_kafka_committed(rk, l, 10000) ? -2 : l->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(rk);
    return at < 0 && at != -2 ? -1 : at;
}

/* Indicators rpt_extract finds in the file (decoded in this process, no child), or -1. */
static long long indicators_of(const char *path)
{
    size_t len = 0;
    char *data = rpt_read_file(path, 64u << 20, &len);
    if (!data) return -1;
    rpt_extract_input in = {.source = path, .data = (const unsigned char *)data, .len = len,
                            .content_type = "application/pdf", .isolate = rpt_decoders_run_here};
    rpt_document doc;
    rpt_buf err = RPT_BUF_INIT;
    long long n = rpt_extract(&in, &doc, &err) == 0 ? (long long)doc.n_indicators : -1;
    if (n >= 0) rpt_document_clear(&doc);
    rpt_buf_clear(&err);
    free(data);
    return n;
}

static void test_pdfs_beside_text(void)
{
    char scan[300], text[300];
    snprintf(scan, sizeof scan, "%s/scan.pdf", tmp);
    snprintf(text, sizeof text, "%s/text.pdf", tmp);
    if (system("/usr/bin/python3 -c 'import reportlab, PIL' 2>/dev/null") != 0 ||
        access("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", R_OK) != 0)
        T_SKIP("python3-reportlab, python3-pil or fonts-wqy-zenhei not installed");
    CHECK_INT(make_pdf("scan", scan, "--pages 2 --dpi 150"), 0); /* under 1 MB */
    CHECK_INT(make_pdf("text", text, ""), 0);
    long long text_pdf_indicators = indicators_of(text);
    CHECK(text_pdf_indicators > 0);

    rd_kafka_t *p = tp_producer();
    rpt_raw_message m;
    CHECK_INT(raw_of_file(scan, "http://portal.test/jyj/scan.pdf", &m), 0);
    CHECK_INT(produce_p0(p, &m), 0);
    rpt_raw_message_clear(&m);
    for (int i = 0; i < TEXT_DOCS; i++) {
        tp_raw_doc(200 + i, 1, &m);
        CHECK_INT(produce_p0(p, &m), 0);
        rpt_raw_message_clear(&m);
    }
    CHECK_INT(raw_of_file(text, "http://portal.test/jyj/text.pdf", &m), 0);
    CHECK_INT(produce_p0(p, &m), 0);
    rpt_raw_message_clear(&m);
    CHECK_INT(tp_flush(p), 0);
    rd_kafka_destroy(p);

    char *cfg = tp_write_config_with("heavy", pg, NULL, "\"heavy_workers\": 1");
    tp_stage transform = {0}, load = {0};
    CHECK_INT(tp_stage_start(&transform, cfg, rpt_role_transform), 0);
    CHECK_INT(tp_stage_start(&load, cfg, rpt_role_load), 0);
    PGconn *c = PQconnectdb(pg);
    int text_first = 0, all = 0;
    long long committed_meanwhile = -3;
    for (int i = 0; i < 1800 && !all; i++) { /* 180 s */
        long long texts = tp_query_ll(c, "SELECT count(*) FROM reports.documents "
                                         "WHERE url LIKE '%/raw-2__.txt'");
        long long scans = tp_query_ll(c, "SELECT count(*) FROM reports.documents "
                                         "WHERE url LIKE '%/scan.pdf'");
        long long pdfs = tp_query_ll(c, "SELECT count(*) FROM reports.documents "
                                        "WHERE url LIKE '%/text.pdf'");
        if (texts == TEXT_DOCS && scans == 0 && !text_first) {
            text_first = 1;
            committed_meanwhile = committed_p0();
        }
        all = texts == TEXT_DOCS && scans == 1 && pdfs == 1;
        if (!all) tp_sleep_ms(100);
    }
    CHECK(all);
    CHECK(text_first); /* the text reports did not wait for the OCR ahead of them */
    /* the scan is at offset 0: nothing past it was committed while it was on the pool */
    CHECK(committed_meanwhile == -1 || committed_meanwhile == 0);
    char *got = tp_query1(c, "SELECT format || ' ' || ocr || ' ' || (ocr_confidence > 50) || ' ' "
                             "|| (n_indicators > 0) FROM reports.documents "
                             "WHERE url LIKE '%/scan.pdf'");
    CHECK_STR(got, "pdf true true true");
    free(got);
    char want[64];
    snprintf(want, sizeof want, "pdf false %lld", text_pdf_indicators);
    got = tp_query1(c, "SELECT format || ' ' || ocr || ' ' || (SELECT count(*) FROM "
                       "reports.indicators i WHERE i.doc_id = d.doc_id) FROM "
                       "reports.documents d WHERE url LIKE '%/text.pdf'");
    CHECK_STR(got, want);
    free(got);
    long long end = -2;
    for (int i = 0; i < 100 && end != TEXT_DOCS + 2; i++) {
        end = committed_p0();
        if (end != TEXT_DOCS + 2) tp_sleep_ms(100);
    }
    CHECK_INT((int)end, TEXT_DOCS + 2);
    PQfinish(c);
    CHECK_INT(tp_stage_stop(&transform), 0);
    CHECK_INT(tp_stage_stop(&load), 0);
    free(cfg);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    snprintf(tmp, sizeof tmp, "%s", t_env("REPORTD_TEST_TMP"));
    return tp_migrate(pg);
}

TEST_MAIN_WITH(setup, NULL, T(test_pdfs_beside_text))
