/* The strings of extracted indicators live in one block per document: each must be the
 * text it names (raw = text[start:end]), its recorded length must be its strlen, the
 * sentence must contain raw, and clearing the document must release everything (checked
 * under LeakSanitizer). Run over the seed reports and, when present, the corpus reports. */
#include <dirent.h>

#include "pipeline/config.h"
#include "common/fs.h"
#include "test.h"
#include "transforms/extract.h"

/* Byte offset of code point i in s. */
static size_t byte_at(const char *s, size_t len, size_t i)
{
    size_t b = 0;
    for (size_t n = 0; b < len; b++)
        if (((unsigned char)s[b] & 0xC0) != 0x80 && n++ == i) return b;
    return len;
}

static void check_document(const char *path)
{
    size_t len = 0;
    char *data = rpt_read_file(path, 64 << 20, &len);
    REQUIRE(data != NULL);
    rpt_extract_input in = {.source = path, .data = (unsigned char *)data, .len = len};
    rpt_document doc;
    memset(&doc, 0, sizeof doc);
    rpt_buf err = RPT_BUF_INIT;
    CHECK(rpt_extract(&in, &doc, &err) == 0);
    CHECK(doc.n_indicators == 0 || doc.indicator_strings != NULL);
    int bad = 0;
    for (size_t i = 0; i < doc.n_indicators; i++) {
        const rpt_indicator *x = &doc.indicators[i];
        size_t a = byte_at(doc.text, doc.text_len, x->start);
        size_t b = byte_at(doc.text, doc.text_len, x->end);
        bad += !(x->raw && x->unit && x->metric && x->sentence);
        if (bad) break;
        bad += strlen(x->raw) != x->raw_len || strlen(x->unit) != x->unit_len ||
               strlen(x->metric) != x->metric_len || strlen(x->sentence) != x->sentence_len;
        bad += x->raw_len != b - a || memcmp(x->raw, doc.text + a, b - a) != 0;
        bad += strstr(x->sentence, x->raw) == NULL;
        if (bad) {
            fprintf(stderr, "%s: indicator %zu (%s) has wrong strings\n", path, i, x->raw);
            break;
        }
    }
    CHECK(bad == 0);
    rpt_document_clear(&doc);
    CHECK(doc.indicator_strings == NULL && doc.indicators == NULL);
    rpt_buf_clear(&err);
    free(data);
}

/* Checks every .txt file of dir; returns how many there were. */
static int check_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        check_document(path);
        n++;
    }
    closedir(d);
    return n;
}

static void test_seed_reports(void)
{
    const char *src = t_env_or_skip("REPORTD_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/seeds", src);
    CHECK(check_dir(dir) >= 5);
}

static void test_corpus_reports(void)
{
    const char *shared = getenv("REPORTD_SHARED_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/gov-work-reports", shared ? shared : "");
    if (!shared || !*shared || check_dir(dir) == 0)
        T_SKIP("corpus not present at %s: only the seeds were checked", dir);
}

/* A document whose indicators were built one by one (as decoders of messages and tests
 * do) still has each string freed on its own. */
static void test_separately_allocated_strings(void)
{
    rpt_document doc;
    memset(&doc, 0, sizeof doc);
    doc.indicators = calloc(1, sizeof *doc.indicators);
    REQUIRE(doc.indicators != NULL);
    doc.n_indicators = 1;
    doc.indicators[0].raw = strdup("5所");
    doc.indicators[0].unit = strdup("所");
    doc.indicators[0].metric = strdup("新建学校");
    doc.indicators[0].sentence = strdup("新建学校5所。");
    rpt_buf out = RPT_BUF_INIT;
    CHECK(rpt_document_write_json(&doc, 0, &out) == 0);
    CHECK(out.data && strstr(out.data, "\"raw\":\"5所\"") && strstr(out.data, "\"unit\":\"所\"") &&
          strstr(out.data, "\"sentence\":\"新建学校5所。\""));
    rpt_buf_clear(&out);
    rpt_document_clear(&doc); /* LeakSanitizer: the four strings are released */
    CHECK(doc.indicators == NULL);
}

TEST_MAIN(T(test_seed_reports), T(test_corpus_reports), T(test_separately_allocated_strings))
