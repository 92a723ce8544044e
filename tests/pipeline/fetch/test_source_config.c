/* Source configs: every kind loads with its keys; mistakes are reported as
 * "FILE:LINE: sources[i].key: reason" and never crash. */
#include <unistd.h>

#include "pipeline/fetch/fetch.h"
#include "pipeline/fetch/sources/source.h"
#include "test.h"

static char g_path[256];

/* Loads `text` as a config file; returns the sources error (or "" when it loaded). */
static char *load(const char *text, size_t *n_out)
{
    FILE *f = fopen(g_path, "w");
    fputs(text, f);
    fclose(f);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, g_path, &err)) return rpt_buf_steal(&err);
    rpt_source *s = NULL;
    size_t n = 0;
    if (rpt_sources_load(&cfg, &s, &n, &err) == 0) rpt_buf_puts(&err, "");
    if (n_out) *n_out = n;
    rpt_sources_free(s, n);
    rpt_config_clear(&cfg);
    return rpt_buf_steal(&err);
}

static void expect_error(const char *text, const char *want)
{
    char *got = load(text, NULL);
    char full[512];
    snprintf(full, sizeof full, "%s:%s", g_path, want);
    CHECK(got && strstr(got, full) != NULL);
    if (!got || !strstr(got, full)) fprintf(stderr, "  got: %s\n  want: %s\n", got, full);
    free(got);
}

static void test_every_kind_loads(void)
{
    size_t n = 0;
    char *err = load(
        "{\"sources\": [\n"
        "{\"name\": \"a\", \"kind\": \"html_index\", \"url\": \"http://p.example/i.html\",\n"
        " \"links\": \"//ul[@class='list']//a/@href\", \"next\": \"//a[.='下一页']/@href\",\n"
        " \"region\": \"南岳区\", \"interval_s\": 600, \"include\": [\"/art/\"],\n"
        " \"allowlist\": [\"10.0.0.0/8\"], \"respect_robots\": false},\n"
        "{\"name\": \"b\", \"kind\": \"feed\", \"url\": \"http://p.example/rss.xml\"},\n"
        "{\"name\": \"c\", \"kind\": \"sitemap\", \"url\": \"https://p.example/s.xml\"},\n"
        "{\"name\": \"d\", \"kind\": \"json_api\", \"url\": \"http://p.example/api?page={page}\",\n"
        " \"items\": \"data.list\", \"item_url\": \"url\", \"item_title\": \"title\",\n"
        " \"item_date\": \"date\"},\n"
        "{\"name\": \"e\", \"kind\": \"dir\", \"path\": \"/tmp\"},\n"
        "{\"name\": \"f\", \"kind\": \"html_index\", \"url\": \"http://p.example/\",\n"
        " \"page_pattern\": \"index_{n}.html\", \"max_pages\": 3}\n]}\n",
        &n);
    CHECK_STR(err, "");
    CHECK_INT(n, 6);
    free(err);
}

static void test_errors_name_file_line_key(void)
{
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"html_index\",\n"
                 " \"url\": \"http://x/\", \"linkz\": \"//a\"}]}\n",
                 "3: sources[0].linkz: unknown key for kind html_index");
    expect_error("{\"sources\": [{\"name\": \"a\", \"kind\": \"feed\", \"url\": \"http://x/\"},\n"
                 "{\"name\": \"b\",\n \"kind\": \"rss\", \"url\": \"http://x/\"}]}\n",
                 "3: sources[1].kind: unknown kind \"rss\"");
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"feed\"}]}\n",
                 "2: sources[0].url: required for kind feed");
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"feed\",\n \"url\": "
                 "\"file:///etc/passwd\"}]}\n",
                 "3: sources[0].url: expected an http:// or https:// URL");
    expect_error(
        "{\"sources\": [\n{\"name\": \"a\", \"kind\": \"html_index\", \"url\": \"http://x/\",\n"
        " \"links\": \"//a[@href\"}]}\n",
        "3: sources[0].links: invalid XPath expression");
    expect_error(
        "{\"sources\": [\n{\"name\": \"a\", \"kind\": \"html_index\", \"url\": \"http://x/\",\n"
        " \"page_pattern\": \"index.html\"}]}\n",
        "3: sources[0].page_pattern: must contain {n}");
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"feed\", \"url\": \"http://x/\",\n"
                 " \"allowlist\": [\"intranet\"]}]}\n",
                 "3: sources[0].allowlist: \"intranet\" is not an IP address or CIDR block");
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"feed\", \"url\": \"http://x/\",\n"
                 " \"interval_s\": 0}]}\n",
                 "3: sources[0].interval_s: 0 is out of range");
    expect_error("{\"sources\": [{\"name\": \"a\", \"kind\": \"feed\", \"url\": \"http://x/\"},\n"
                 "{\"name\": \"a\", \"kind\": \"dir\", \"path\": \"/tmp\"}]}\n",
                 "2: sources[1].name: \"a\" is already used by sources[0]");
    expect_error(
        "{\"sources\": [\n{\"name\": \"a\", \"kind\": \"json_api\", \"url\": \"http://x/\",\n"
        " \"items\": \"data.list\"}]}\n",
        "2: sources[0]: missing required key \"item_url\"");
    expect_error("{\"sources\": [\n{\"kind\": \"dir\", \"path\": \"/tmp\"}]}\n",
                 "2: sources[0].name: expected a non-empty string");
    expect_error("{\"sources\": [\n 42]}\n", "2: sources[0]: expected an object");
    expect_error("{\"sources\": [\n{\"name\": \"a\", \"kind\": \"dir\", \"path\": \"/tmp\",\n"
                 " \"url\": \"http://x/\"}]}\n",
                 "3: sources[0].url: not used by kind dir");
}

static void test_split_is_stable_and_total(void)
{
    const char *names[] = {"nanyue-edu", "furong-edu", "zhijiang", "guzhang", "inbox", "x", "y"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int owners = 0;
        for (int inst = 0; inst < 3; inst++)
            owners += rpt_fetch_assigned(names[i], inst, 3);
        CHECK_INT(owners, 1);
        CHECK(rpt_fetch_assigned(names[i], 0, 1));
        CHECK_INT(rpt_source_hash(names[i]), rpt_source_hash(names[i]));
    }
}

static int setup(void)
{
    snprintf(g_path, sizeof g_path, "%s/reportd-srccfg-%d.json",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    return 0;
}

static void teardown(void)
{
    unlink(g_path);
}

TEST_MAIN_WITH(setup, teardown, T(test_every_kind_loads), T(test_errors_name_file_line_key),
               T(test_split_is_stable_and_total))
