/* Unit tests of the shared building blocks: JSON with line numbers, declared settings,
 * config loading and validation, base64, the raw message contract, config reloads. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/base64.h"
#include "common/bytes.h"
#include "common/fs.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/opts.h"
#include "pipeline/config.h"
#include "common/metrics.h"
#include "pipeline/stage.h"
#include "common/utf8.h"
#include <libpq-fe.h>

#include "test.h"

static void test_json_lines_and_comments(void)
{
    const char *text = "{\n  // comment\n  \"a\": 1,\n  \"b\": {\"c\": [\"x\", true]},\n  /* block */\n  \"d\": \"南岳\"\n}\n";
    rpt_buf err = RPT_BUF_INIT;
    rpt_jnode *root = rpt_json_parse(text, strlen(text), &err);
    REQUIRE(root);
    const rpt_jnode *a = rpt_json_get(root, "a");
    REQUIRE(a);
    CHECK_INT(a->line, 3);
    CHECK_NUM(a->num, 1);
    const rpt_jnode *c = rpt_json_path(root, "b.c");
    REQUIRE(c && c->type == RPT_JARRAY);
    CHECK_INT(c->n, 2);
    CHECK_INT(c->line, 4);
    CHECK_STR(rpt_json_str(root, "d"), "南岳");
    CHECK_INT(rpt_json_get(root, "d")->line, 6);
    CHECK(rpt_json_path(root, "b.missing") == NULL);
    rpt_json_free(root);

    const char *bad = "{\n\"a\": 1,\n\"b\": ,\n}";
    root = rpt_json_parse(bad, strlen(bad), &err);
    CHECK(root == NULL);
    CHECK(err.data && strstr(err.data, "line 3") != NULL);
    rpt_buf_clear(&err);

    /* deep nesting is refused, not a stack overflow */
    rpt_buf deep = RPT_BUF_INIT;
    for (int i = 0; i < 100000; i++) rpt_buf_putc(&deep, '[');
    root = rpt_json_parse(deep.data, deep.len, &err);
    CHECK(root == NULL);
    rpt_buf_clear(&deep);
    rpt_buf_clear(&err);
}

typedef struct {
    char *name;
    long long n;
    double ratio;
    int on;
    rpt_kvlist extra;
    rpt_kvlist list;
} sample_settings;

static const rpt_opt sample_opts[] = {
    {"name", RPT_OPT_STRING, "dflt", 0, 0, offsetof(sample_settings, name), 0, "a name"},
    {"n", RPT_OPT_INT, "5", 1, 10, offsetof(sample_settings, n), 0, "a count"},
    {"ratio", RPT_OPT_DOUBLE, "0.5", 0, 1, offsetof(sample_settings, ratio), 0, "a ratio"},
    {"on", RPT_OPT_BOOL, "false", 0, 0, offsetof(sample_settings, on), 0, "a flag"},
    {"extra", RPT_OPT_KV, NULL, 0, 0, offsetof(sample_settings, extra), 0, "pass-through"},
    {"list", RPT_OPT_STRLIST, "a,b", 0, 0, offsetof(sample_settings, list), 0, "strings"},
    RPT_OPT_END};

static int apply_text(sample_settings *s, const char *json, rpt_buf *err)
{
    rpt_jnode *root = rpt_json_parse(json, strlen(json), err);
    if (!root) return -1;
    int rc = rpt_opts_apply(sample_opts, s, root, "f.json", "sec", err);
    rpt_json_free(root);
    return rc;
}

static void test_opts_table(void)
{
    sample_settings s;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_opts_defaults(sample_opts, &s, &err) == 0);
    CHECK_STR(s.name, "dflt");
    CHECK_INT(s.n, 5);
    CHECK_INT(s.list.n, 2);
    CHECK(apply_text(&s, "{\"name\":\"x\",\"n\":7,\"on\":true,\"extra\":{\"k\":\"v\",\"m\":3},\"list\":[\"q\"]}", &err) == 0);
    CHECK_STR(s.name, "x");
    CHECK_INT(s.n, 7);
    CHECK_INT(s.on, 1);
    CHECK_INT(s.extra.n, 2);
    CHECK_STR(s.extra.vals[1], "3");
    CHECK_INT(s.list.n, 1);

    CHECK(apply_text(&s, "{\n\"nme\": \"typo\"}", &err) == -1);
    CHECK(strstr(err.data, "f.json:2: sec: unknown key \"nme\"") != NULL);
    rpt_buf_reset(&err);
    CHECK(apply_text(&s, "{\"n\": 11}", &err) == -1);
    CHECK(strstr(err.data, "sec.n: 11 is out of range") != NULL);
    rpt_buf_reset(&err);
    CHECK(apply_text(&s, "{\"n\": \"7\"}", &err) == -1);
    CHECK(strstr(err.data, "expected a number, got string") != NULL);
    rpt_buf_reset(&err);
    CHECK(apply_text(&s, "{\"n\": 2.5}", &err) == -1);
    rpt_buf_reset(&err);
    CHECK(rpt_opts_set(sample_opts, &s, "ratio", "2", "sec", &err) == -1);
    rpt_buf_reset(&err);

    setenv("T_SEC_NAME", "from-env", 1);
    setenv("T_SEC_N", "9", 1);
    CHECK(rpt_opts_apply_env(sample_opts, &s, "T_SEC", &err) == 0);
    CHECK_STR(s.name, "from-env");
    CHECK_INT(s.n, 9);
    setenv("T_SEC_N", "nine", 1);
    CHECK(rpt_opts_apply_env(sample_opts, &s, "T_SEC", &err) == -1);
    CHECK(strstr(err.data, "T_SEC_N") != NULL);
    unsetenv("T_SEC_N");
    unsetenv("T_SEC_NAME");
    rpt_opts_clear(sample_opts, &s);
    rpt_buf_clear(&err);
}

static char *write_temp(const char *content)
{
    char *path = strdup("/tmp/reportd-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    ssize_t n = write(fd, content, strlen(content));
    close(fd);
    if (n != (ssize_t)strlen(content)) return NULL;
    return path;
}

static void test_config_load(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    char *secret = write_temp("s3cret\n");
    REQUIRE(secret);
    char text[1024];
    snprintf(text, sizeof text,
             "{\n  \"kafka\": {\"bootstrap.servers\": \"k:1\", \"librdkafka\": {\"sasl.password\": \"p\"}},\n"
             "  \"postgres\": {\"conninfo\": \"host=x\", \"password_file\": \"%s\"},\n"
             "  \"fetch\": {\"concurrency\": 8},\n"
             "  \"sources\": [{\"name\": \"a\", \"kind\": \"dir\", \"path\": \"/x\"}]\n}\n",
             secret);
    char *path = write_temp(text);
    REQUIRE(path);
    setenv("REPORTD_FETCH_PER_HOST_DELAY_MS", "5", 1);
    REQUIRE(rpt_config_load(&cfg, path, &err) == 0);
    unsetenv("REPORTD_FETCH_PER_HOST_DELAY_MS");
    CHECK_STR(cfg.kafka.bootstrap_servers, "k:1");
    CHECK_STR(cfg.kafka.topic_raw, "reports.raw");
    CHECK_INT(cfg.fetch.concurrency, 8);
    CHECK_INT(cfg.fetch.per_host_delay_ms, 5);
    CHECK_STR(cfg.postgres.password, "s3cret");
    CHECK(cfg.sources && cfg.sources->n == 1);
    char *ci = rpt_config_pg_conninfo(&cfg);
    CHECK(strstr(ci, "password='s3cret'") != NULL);
    free(ci);
    /* a URI conninfo with a password file: rebuilt as keywords, the URI's password replaced */
    char *uri = cfg.postgres.conninfo;
    cfg.postgres.conninfo = "postgresql://app:old@db.example:5433/reports?sslmode=require"
                            "&sslpassword=keypass";
    ci = rpt_config_pg_conninfo(&cfg);
    char *errmsg = NULL;
    PQconninfoOption *po = PQconninfoParse(ci, &errmsg);
    CHECK(po != NULL);
    int seen = 0;
    for (PQconninfoOption *o = po; po && o->keyword; o++) {
        if (!o->val) continue;
        if (!strcmp(o->keyword, "password")) seen += !strcmp(o->val, "s3cret");
        if (!strcmp(o->keyword, "user")) seen += !strcmp(o->val, "app");
        if (!strcmp(o->keyword, "host")) seen += !strcmp(o->val, "db.example");
        if (!strcmp(o->keyword, "port")) seen += !strcmp(o->val, "5433");
        if (!strcmp(o->keyword, "dbname")) seen += !strcmp(o->val, "reports");
    }
    CHECK_INT(seen, 5);
    CHECK(strstr(ci, "old") == NULL);
    PQconninfoFree(po);
    PQfreemem(errmsg);
    free(ci);
    /* sslpassword is masked in dumps like password */
    yajl_gen g0 = rpt_jg_new();
    rpt_config_dump(&cfg, g0);
    const unsigned char *out0;
    size_t len0;
    yajl_gen_get_buf(g0, &out0, &len0);
    CHECK(strstr((const char *)out0, "keypass") == NULL);
    CHECK(strstr((const char *)out0, "sslpassword=***") != NULL);
    yajl_gen_free(g0);
    cfg.postgres.conninfo = uri;
    yajl_gen g = rpt_jg_new();
    rpt_config_dump(&cfg, g);
    const unsigned char *out;
    size_t len;
    yajl_gen_get_buf(g, &out, &len);
    CHECK(strstr((const char *)out, "s3cret") == NULL);
    CHECK(strstr((const char *)out, "\"sasl.password\":\"***\"") != NULL);
    yajl_gen_free(g);
    rpt_config_clear(&cfg);
    unlink(path);
    free(path);

    path = write_temp("{\n \"fetch\": {\n  \"concurency\": 8\n }\n}\n");
    CHECK(rpt_config_load(&cfg, path, &err) == -1);
    CHECK(err.data && strstr(err.data, ":3: fetch: unknown key \"concurency\"") != NULL);
    rpt_buf_reset(&err);
    unlink(path);
    free(path);

    path = write_temp("{\"nope\": {}}");
    CHECK(rpt_config_load(&cfg, path, &err) == -1);
    CHECK(err.data && strstr(err.data, "unknown section \"nope\"") != NULL);
    rpt_buf_reset(&err);
    unlink(path);
    free(path);

    CHECK(rpt_config_load(&cfg, "/nonexistent/reportd.json", &err) == -1);
    CHECK(err.data && strstr(err.data, "cannot read config") != NULL);
    unlink(secret);
    free(secret);
    rpt_buf_clear(&err);
}

static void test_base64_and_doc_id(void)
{
    const unsigned char bytes[] = {0, 1, 2, 0xfe, 0xff, 'a'};
    for (size_t n = 0; n <= sizeof bytes; n++) {
        rpt_buf enc = RPT_BUF_INIT, dec = RPT_BUF_INIT;
        CHECK(rpt_base64_encode(&enc, bytes, n) == 0);
        CHECK(rpt_base64_decode(&dec, enc.data ? enc.data : "", enc.len) == 0);
        CHECK_INT(dec.len, n);
        CHECK(n == 0 || memcmp(dec.data, bytes, n) == 0);
        rpt_buf_clear(&enc);
        rpt_buf_clear(&dec);
    }
    rpt_buf bad = RPT_BUF_INIT;
    CHECK(rpt_base64_decode(&bad, "ab$c", 4) == -1);
    rpt_buf_clear(&bad);

    char id1[17], id2[17];
    rpt_doc_id("http://a/b", id1);
    rpt_doc_id("http://a/c", id2);
    CHECK_INT(strlen(id1), 16);
    CHECK(strcmp(id1, id2) != 0);
    CHECK_STR(id1, "1972c518da8e66a8"); /* the first 16 hex digits of SHA-256("http://a/b") */
}

/* SHA-256 against the examples of FIPS 180-4 (NIST's "abc", the two-block message, a million
 * a's) and messages whose padding falls at each block boundary (55, 56, 63, 64... bytes), on
 * both sides of the length where OpenSSL takes over (1023 and 1024 bytes). */
static void test_sha256_vectors(void)
{
    static const struct {
        const char *msg;
        size_t repeat; /* msg is one character repeated this often, when not 0 */
        const char *hex;
    } v[] = {
        {"", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", 0, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"a", 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {"a", 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {"a", 57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {"a", 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {"a", 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {"a", 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {"a", 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {"a", 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {"a", 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
        {"a", 1023, "bc21b2851f3c650542fbce4c20c876064383e1c8ea1a5a385cea362df74e7f40"},
        {"a", 1024, "2edc986847e209b4016e141a6dc8716d3207350f416969382d431539bf292e4a"},
        {"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        size_t n = v[k].repeat ? v[k].repeat : strlen(v[k].msg);
        char *msg = malloc(n + 1);
        REQUIRE(msg);
        if (v[k].repeat)
            memset(msg, v[k].msg[0], n);
        else
            memcpy(msg, v[k].msg, n);
        char hex[65];
        rpt_sha256_hex(msg, n, hex);
        CHECK_STR(hex, v[k].hex);
        free(msg);
    }
}

static void test_config_holder_reload(void)
{
    rpt_config a, b;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_defaults(&a, &err) == 0);
    REQUIRE(rpt_config_defaults(&b, &err) == 0);
    free(b.kafka.topic_raw);
    b.kafka.topic_raw = strdup("second");
    rpt_role_ctl ctl = {.config = rpt_config_holder_new(&a)};
    REQUIRE(ctl.config);
    const rpt_config *held = rpt_role_config_acquire(&ctl);
    CHECK_STR(held->kafka.topic_raw, "reports.raw");
    rpt_config_holder_swap(ctl.config, &b);
    /* the pass in flight keeps its generation until it releases it */
    CHECK_STR(held->kafka.topic_raw, "reports.raw");
    const rpt_config *now = rpt_role_config_acquire(&ctl);
    CHECK_STR(now->kafka.topic_raw, "second");
    rpt_role_config_release(&ctl, held);
    rpt_role_config_release(&ctl, now);
    rpt_config_holder_free(ctl.config);
    rpt_buf_clear(&err);
}

static void test_metrics_render(void)
{
    rpt_metrics_reset();
    rpt_metrics_declare("reportd_t_total", RPT_METRIC_COUNTER, "things");
    rpt_metrics_inc("reportd_t_total", "source=\"a\"");
    rpt_metrics_add("reportd_t_total", "source=\"a\"", 2);
    rpt_metrics_set("reportd_g", NULL, 1.5);
    rpt_metrics_observe("reportd_h_seconds", NULL, 0.3);
    CHECK_NUM(rpt_metrics_get("reportd_t_total", "source=\"a\""), 3);
    rpt_buf out = RPT_BUF_INIT, lbl = RPT_BUF_INIT;
    rpt_metrics_render(&out);
    CHECK(strstr(out.data, "# TYPE reportd_t_total counter\nreportd_t_total{source=\"a\"} 3\n") != NULL);
    CHECK(strstr(out.data, "reportd_g 1.5\n") != NULL);
    CHECK(strstr(out.data, "reportd_h_seconds_bucket{le=\"0.25\"} 0\n") != NULL);
    CHECK(strstr(out.data, "reportd_h_seconds_bucket{le=\"0.5\"} 1\n") != NULL);
    CHECK(strstr(out.data, "reportd_h_seconds_count 1\n") != NULL);
    rpt_metrics_label_escape(&lbl, "a\"b\\c\n");
    CHECK_STR(lbl.data, "a\\\"b\\\\c\\n");
    rpt_buf_clear(&out);
    rpt_buf_clear(&lbl);
    rpt_metrics_reset();
}

/* Bytes PostgreSQL refuses as text come out as \xHH; valid UTF-8 is kept as is. */
static void test_utf8_escape(void)
{
    char *e = rpt_utf8_escape("a\xff\xfe\xe5\xb7\xa5\0z\xe5\xb7", 10);
    CHECK_STR(e, "a\\xFF\\xFE\xe5\xb7\xa5\\x00z\\xE5\\xB7");
    CHECK(rpt_utf8_text_ok(e, strlen(e)));
    free(e);
    e = rpt_utf8_escape("工作", strlen("工作"));
    CHECK_STR(e, "工作");
    free(e);
    e = rpt_utf8_escape("", 0);
    CHECK_STR(e, "");
    free(e);
}

/* rpt_read_file(): whole files of any size up to the limit, with NUL bytes kept and a NUL
 * after them; a larger one refused with EFBIG; files whose size fstat() does not tell (a
 * pipe, /proc) read to their end; a missing one or a directory an error with errno. */
static void test_read_file(void)
{
    char dir[] = "/tmp/reportd-fs-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    size_t n = 200000; /* past any first chunk */
    unsigned char *want = malloc(n);
    for (size_t i = 0; i < n; i++)
        want[i] = (unsigned char)(i * 7 + i / 251);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(want, 1, n, f) == n);
    if (f) fclose(f);
    size_t len = 0;
    char *got = rpt_read_file(path, n, &len);
    CHECK(got != NULL);
    CHECK_INT(len, n);
    CHECK(got && memcmp(got, want, n) == 0 && got[n] == '\0');
    free(got);
    errno = 0;
    CHECK(rpt_read_file(path, n - 1, &len) == NULL);
    CHECK_INT(errno, EFBIG);
    /* an empty file */
    f = fopen(path, "wb");
    if (f) fclose(f);
    len = 7;
    got = rpt_read_file(path, 10, &len);
    CHECK(got && len == 0 && got[0] == '\0');
    free(got);
    /* a pipe, through its /proc/self/fd name: no size, read until it ends */
    int fds[2];
    CHECK(pipe(fds) == 0);
    size_t pn = 60000; /* within the pipe's buffer */
    CHECK(write(fds[1], want, pn) == (ssize_t)pn);
    close(fds[1]);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fds[0]);
    got = rpt_read_file(fdpath, n, &len);
    CHECK(got && len == pn && memcmp(got, want, pn) == 0);
    free(got);
    close(fds[0]);
    /* /proc files say size 0 and come in pieces: all of them, up to the last line */
    got = rpt_read_file("/proc/self/status", 1 << 20, &len);
    CHECK(got && len > 100 && strstr(got, "Name:") == got && got[len - 1] == '\n' &&
          strstr(got, "nonvoluntary_ctxt_switches") != NULL);
    free(got);
    errno = 0;
    CHECK(rpt_read_file(dir, 100, &len) == NULL);
    CHECK_INT(errno, EISDIR);
    unlink(path);
    errno = 0;
    CHECK(rpt_read_file(path, 100, &len) == NULL);
    CHECK_INT(errno, ENOENT);
    rmdir(dir);
    free(want);
}

/* rpt_find_short() against a plain search: haystacks and needles over a few bytes (Han
 * lead and continuation bytes, ASCII), every length from 0 to 80 and needles of 0 to 9
 * bytes, so that matches fall in the 16-byte blocks, across them and in the last bytes. */
static void test_find_short(void)
{
    static const char alphabet[] = {'\xe5', '\xb9', '\xb4', '\xe5', 'a', '1'};
    uint64_t rng = 0x853C49E6748FEA9Bull;
    int mismatches = 0;
    char h[96], n[12];
    for (int round = 0; round < 20000; round++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        size_t hl = rng % 81, nl = (rng >> 8) % 10;
        for (size_t i = 0; i < hl; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            h[i] = alphabet[rng % sizeof alphabet];
        }
        for (size_t i = 0; i < nl; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            n[i] = alphabet[rng % sizeof alphabet];
        }
        /* often a needle taken from the haystack, so that it occurs */
        if (hl >= nl && (rng >> 20) % 2) memcpy(n, h + (rng >> 24) % (hl - nl + 1), nl);
        const char *want = NULL;
        for (size_t i = 0; i + nl <= hl && !want; i++)
            if (!memcmp(h + i, n, nl)) want = h + i;
        if (rpt_find_short(h, hl, n, nl) != want && mismatches++ < 5)
            fprintf(stderr, "round %d: haystack %zu bytes, needle %zu\n", round, hl, nl);
    }
    CHECK_INT(mismatches, 0);
}

TEST_MAIN(T(test_utf8_escape), T(test_find_short), T(test_read_file),
          T(test_json_lines_and_comments), T(test_opts_table), T(test_config_load),
          T(test_base64_and_doc_id), T(test_sha256_vectors), T(test_config_holder_reload),
          T(test_metrics_render))
