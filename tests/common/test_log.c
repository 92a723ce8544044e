/* Log lines stay one well-formed line whatever the values hold: messages from libpq and
 * librdkafka carry quotes and line breaks. */
#include <stdio.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "test.h"

/* Runs one rpt_log call with stderr captured; returns what was written (caller frees). */
static char *capture(const char *reason)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    if (saved < 0 || !tmp) return NULL;
    dup2(fileno(tmp), 2);
    rpt_log_error("load", "PostgreSQL unavailable", "error=\"%s\" delay_ms=%d", reason, 100);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(tmp);
    rewind(tmp);
    char *out = calloc(1, (size_t)n + 1);
    if (out && fread(out, 1, (size_t)n, tmp) != (size_t)n) out[0] = '\0';
    fclose(tmp);
    return out;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static const char *pg_error = "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                              "\tIs the server running on that host and accepting TCP/IP connections?\n";

/* URL credentials never reach a log line: a source URL with user:password, a token-only
 * userinfo, a postgresql:// conninfo quoted by an error. */
static void test_url_credentials_masked(void)
{
    REQUIRE(rpt_log_set_format("logfmt") == 0);
    char *out = capture("GET http://bot:hunter2@portal.example/a.html failed; "
                        "postgresql://app:pgpass@db:5432/reports refused; "
                        "https://tok3n@api.example/list?page=1 ok; mailto:x@y and a@b plain");
    REQUIRE(out);
    CHECK(strstr(out, "hunter2") == NULL);
    CHECK(strstr(out, "pgpass") == NULL);
    CHECK(strstr(out, "tok3n") == NULL);
    CHECK(strstr(out, "http://bot:***@portal.example/a.html") != NULL);
    CHECK(strstr(out, "postgresql://app:***@db:5432/reports") != NULL);
    CHECK(strstr(out, "https://***@api.example/list?page=1") != NULL);
    CHECK(strstr(out, "mailto:x@y and a@b plain") != NULL);
    free(out);
}

static void test_logfmt_one_line(void)
{
    REQUIRE(rpt_log_set_format("logfmt") == 0);
    char *out = capture(pg_error);
    REQUIRE(out);
    CHECK_INT(count_lines(out), 1);
    CHECK(strstr(out, "error=\"connection to server at \\\"127.0.0.1\\\", port 1 failed: Connection "
                      "refused Is the server running on that host and accepting TCP/IP "
                      "connections?\" delay_ms=100\n") != NULL);
    free(out);
    out = capture("plain");
    REQUIRE(out);
    CHECK(strstr(out, " error=\"plain\" delay_ms=100\n") != NULL);
    free(out);
}

static void test_json_parses(void)
{
    REQUIRE(rpt_log_set_format("json") == 0);
    char *out = capture(pg_error);
    rpt_log_set_format("logfmt");
    REQUIRE(out);
    CHECK_INT(count_lines(out), 1);
    rpt_buf err = RPT_BUF_INIT;
    rpt_jnode *root = rpt_json_parse(out, strlen(out), &err);
    REQUIRE(root);
    const char *e = rpt_json_str(root, "error");
    CHECK(e && strstr(e, "connection to server at \"127.0.0.1\", port 1 failed") == e);
    CHECK_STR(rpt_json_str(root, "delay_ms"), "100");
    CHECK_STR(rpt_json_str(root, "component"), "load");
    rpt_json_free(root);
    rpt_buf_clear(&err);
    free(out);
}

TEST_MAIN(T(test_url_credentials_masked), T(test_logfmt_one_line), T(test_json_parses))
