/* rpt_parsed_message_encode() (fast writer) must write exactly the bytes of the yajl
 * encoding it replaced: the document object of rpt_document_to_json() with the envelope
 * members spliced in before its closing brace. Checked on the extraction of every seed
 * report, on an empty document and with every optional envelope member missing; the
 * result must also decode again. */
#include <dirent.h>

#include "common/fs.h"
#include "common/buf.h"
#include "common/json.h"
#include "pipeline/messages/parsed.h"
#include "pipeline/config.h"
#include "test.h"
#include "transforms/extract.h"

/* The reference: the previous encoder, with yajl for both parts. Returns 0 or -1. */
static int reference_encode(const rpt_document *doc, const rpt_parsed_origin *o, rpt_buf *out)
{
    int rc = -1;
    yajl_gen gd = rpt_jg_new(), ge = rpt_jg_new();
    if (!gd || !ge) goto out;
    rpt_document_to_json(doc, 0, gd);
    yajl_gen_map_open(ge);
    rpt_jg_int(ge, "schema", RPT_PARSED_SCHEMA);
    rpt_jg_int(ge, "transform_version", o->transform_version);
    rpt_jg_str(ge, "source_name", o->source_name);
    rpt_jg_str(ge, "fetched_at", o->fetched_at);
    rpt_jg_str(ge, "sha256", o->sha256);
    rpt_jg_str(ge, "raw_topic", o->raw_topic);
    if (o->raw_topic)
        rpt_jg_int(ge, "raw_partition", o->raw_partition);
    else
        rpt_jg_null(ge, "raw_partition");
    if (o->raw_offset >= 0)
        rpt_jg_int(ge, "raw_offset", o->raw_offset);
    else
        rpt_jg_null(ge, "raw_offset");
    yajl_gen_map_close(ge);
    const unsigned char *d, *e;
    size_t dlen, elen;
    if (yajl_gen_get_buf(gd, &d, &dlen) != yajl_gen_status_ok || dlen < 2) goto out;
    if (yajl_gen_get_buf(ge, &e, &elen) != yajl_gen_status_ok || elen < 2) goto out;
    if (rpt_buf_append(out, d, dlen - 1)) goto out;
    if (dlen > 2 && rpt_buf_putc(out, ',')) goto out;
    if (rpt_buf_append(out, e + 1, elen - 1)) goto out;
    rc = 0;
out:
    if (gd) yajl_gen_free(gd);
    if (ge) yajl_gen_free(ge);
    return rc;
}

/* Encodes doc with both encoders after a prefix already in the buffer; returns 1 when the
 * bytes agree and the message decodes with the document's counts. */
static int same_encoding(const rpt_document *doc, const rpt_parsed_origin *o)
{
    rpt_buf ref = RPT_BUF_INIT, out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    rpt_buf_puts(&out, "prefix");
    int ok = reference_encode(doc, o, &ref) == 0 && rpt_parsed_message_encode(doc, o, &out) == 0 &&
             out.len == ref.len + 6 && memcmp(out.data + 6, ref.data, ref.len) == 0 &&
             out.data[out.len] == '\0';
    if (!ok) {
        size_t i = 0;
        while (i < ref.len && i + 6 < out.len && out.data[i + 6] == ref.data[i])
            i++;
        fprintf(stderr, "encodings of %s differ at byte %zu: yajl \"%.40s\" / writer \"%.40s\"\n",
                doc->source ? doc->source : "(none)", i, ref.data ? ref.data + i : "",
                out.data && i + 6 < out.len ? out.data + i + 6 : "");
    }
    rpt_parsed_message m;
    if (ok && doc->doc_id) {
        memset(&m, 0, sizeof m);
        ok = rpt_parsed_message_decode(out.data + 6, out.len - 6, &m, &err) == 0 &&
             m.n_indicators == doc->n_indicators && m.n_sections == doc->n_sections;
        if (!ok) fprintf(stderr, "decode: %s\n", err.data ? err.data : "(counts differ)");
        rpt_parsed_message_clear(&m);
    }
    rpt_buf_clear(&ref);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    return ok;
}

static const rpt_parsed_origin full = {.transform_version = 7,
                                      .source_name = "county \"A\"\n",
                                      .fetched_at = "2026-01-02T03:04:05Z",
                                      .sha256 = "00ff",
                                      .raw_topic = "reports.raw",
                                      .raw_partition = 3,
                                      .raw_offset = 9007199254740993LL};
static const rpt_parsed_origin bare = {.transform_version = 1, .raw_offset = -1};

static void test_seed_reports(void)
{
    const char *src = t_env_or_skip("REPORTD_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/seeds", src);
    DIR *d = opendir(dir);
    REQUIRE(d != NULL);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".txt")) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *data = rpt_read_file(path, 64 << 20, &len);
        REQUIRE(data != NULL);
        rpt_extract_input in = {.source = e->d_name, .data = (unsigned char *)data, .len = len};
        rpt_document doc;
        memset(&doc, 0, sizeof doc);
        rpt_buf err = RPT_BUF_INIT;
        CHECK(rpt_extract(&in, &doc, &err) == 0);
        CHECK(doc.n_indicators > 0);
        CHECK(same_encoding(&doc, &full));
        CHECK(same_encoding(&doc, &bare));
        rpt_document_clear(&doc);
        rpt_buf_clear(&err);
        free(data);
        n++;
    }
    closedir(d);
    CHECK(n >= 5);
}

static void test_empty_document(void)
{
    rpt_document doc;
    memset(&doc, 0, sizeof doc);
    CHECK(same_encoding(&doc, &full));
    CHECK(same_encoding(&doc, &bare));
}

/* ocr and ocr_confidence: written by both writers alike, read back by the decoder (a
 * document without OCR has ocr false and ocr_confidence null). */
static void test_ocr_fields(void)
{
    rpt_document doc;
    memset(&doc, 0, sizeof doc);
    doc.doc_id = (char *)"scan-1";
    doc.format = (char *)"pdf";
    doc.ocr = 1;
    doc.ocr_confidence = 87.25;
    CHECK(same_encoding(&doc, &full));
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    rpt_parsed_message m;
    REQUIRE(rpt_parsed_message_encode(&doc, &full, &out) == 0);
    CHECK(strstr(out.data, "\"ocr\":true,\"ocr_confidence\":87.25") != NULL);
    REQUIRE(rpt_parsed_message_decode(out.data, out.len, &m, &err) == 0);
    CHECK(m.ocr == 1 && m.has_ocr_confidence);
    CHECK_NUM(m.ocr_confidence, 87.25);
    rpt_parsed_message_clear(&m);
    doc.ocr = 0;
    rpt_buf_reset(&out);
    REQUIRE(rpt_parsed_message_encode(&doc, &full, &out) == 0);
    CHECK(strstr(out.data, "\"ocr\":false,\"ocr_confidence\":null") != NULL);
    REQUIRE(rpt_parsed_message_decode(out.data, out.len, &m, &err) == 0);
    CHECK(m.ocr == 0 && !m.has_ocr_confidence);
    rpt_parsed_message_clear(&m);
    const char *bad = "{\"schema\":1,\"transform_version\":1,\"doc_id\":\"x\",\"ocr\":1}";
    CHECK(rpt_parsed_message_decode(bad, strlen(bad), &m, &err) == -1);
    CHECK(err.data && strstr(err.data, "ocr: expected a boolean"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
}

TEST_MAIN(T(test_seed_reports), T(test_empty_document), T(test_ocr_fields))
