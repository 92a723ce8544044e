/* URL resolution and canonical form, robots.txt rules, and the SSRF address classes. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "connectors/http/robots.h"
#include "connectors/http/ssrf.h"
#include "connectors/http/url.h"
#include "test.h"

static void check_resolve(const char *base, const char *ref, const char *want)
{
    char *got = rpt_url_resolve(base, ref);
    CHECK_STR(got, want);
    free(got);
}

static void test_resolve(void)
{
    const char *base = "http://Portal.Example:80/jyj/jhzj/index.html";
    check_resolve(base, "art/2024/t123.html", "http://portal.example/jyj/jhzj/art/2024/t123.html");
    check_resolve(base, "../tzgg/a.html#top", "http://portal.example/jyj/tzgg/a.html");
    check_resolve(base, "/x/./y/../z.html?b=1&a=2", "http://portal.example/x/z.html?b=1&a=2");
    check_resolve(base, "//other.example/p", "http://other.example/p");
    check_resolve(base, "  ./t1.html\n", "http://portal.example/jyj/jhzj/t1.html");
    check_resolve(base, "附件/工作总结.docx",
                  "http://portal.example/jyj/jhzj/%E9%99%84%E4%BB%B6/"
                  "%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.docx");
    check_resolve(base, "https://h.example:443/a", "https://h.example/a");
    check_resolve(base, "http://h.example:8080", "http://h.example:8080/");
    CHECK(rpt_url_resolve(base, "javascript:void(0)") == NULL);
    CHECK(rpt_url_resolve(base, "mailto:a@b.c") == NULL);
    CHECK(rpt_url_resolve(NULL, "relative.html") == NULL);
}

static void test_canonical_escapes(void)
{
    char *a = rpt_url_canonical("http://h/%7euser/%e5%b7%a5?q=%41%2f");
    CHECK_STR(a, "http://h/~user/%E5%B7%A5?q=A%2F");
    char *b = rpt_url_canonical("http://h/~user/%E5%B7%A5?q=A%2F");
    CHECK_STR(a, b);
    free(a);
    free(b);
    char *c = rpt_url_canonical("http://h/a b");
    CHECK_STR(c, "http://h/a%20b");
    free(c);
    CHECK(rpt_url_canonical("ftp://h/x") == NULL);
    CHECK(rpt_url_canonical("not a url") == NULL);
    char origin[128];
    CHECK_INT(rpt_url_origin("http://H.example/a", origin, sizeof origin), 0);
    CHECK_STR(origin, "http://h.example:80");
    CHECK(rpt_url_match("/jyj/*/t*.html", "http://h/jyj/2024/t1.html"));
    CHECK(!rpt_url_match("/jyj/*/t*.html", "http://h/jyj/2024/index.html"));
    CHECK(!rpt_url_match("/jyj/*/t*.html", "http://h/other/2024/t1.html"));
    CHECK(rpt_url_match("jhzj", "http://h/jyj/jhzj/a.html"));
}

static void test_robots(void)
{
    const char *txt = "# comment\nUser-agent: Googlebot\nDisallow: /\n\n"
                      "User-agent: *\nDisallow: /private/\nAllow: /private/open\n"
                      "Disallow: /*.pdf$\n";
    rpt_robots *r = rpt_robots_parse(txt, strlen(txt), "reportd");
    REQUIRE(r);
    CHECK(rpt_robots_allowed(r, "/jyj/index.html"));
    CHECK(!rpt_robots_allowed(r, "/private/x.html"));
    CHECK(rpt_robots_allowed(r, "/private/open/x.html"));
    CHECK(!rpt_robots_allowed(r, "/a/b.pdf"));
    CHECK(rpt_robots_allowed(r, "/a/b.pdf?x=1"));
    rpt_robots_free(r);
    const char *own = "User-agent: *\nDisallow: /\n\nUser-agent: reportd\nDisallow:\n";
    r = rpt_robots_parse(own, strlen(own), "reportd");
    CHECK(rpt_robots_allowed(r, "/anything")); /* its own group replaces "*" */
    rpt_robots_free(r);
    const char *all = "User-agent: *\nDisallow: /\n";
    r = rpt_robots_parse(all, strlen(all), "reportd");
    CHECK(!rpt_robots_allowed(r, "/"));
    rpt_robots_free(r);
    CHECK(rpt_robots_allowed(NULL, "/x"));
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Patterns built to make a backtracking matcher explode: each answers correctly and fast. */
static void test_robots_pathological(void)
{
    rpt_buf txt = RPT_BUF_INIT;
    rpt_buf_printf(&txt, "User-agent: *\nDisallow: /");
    for (int i = 0; i < 18; i++)
        rpt_buf_printf(&txt, "*a");
    rpt_buf_printf(&txt, "*b\n");
    char path[64];
    path[0] = '/';
    memset(path + 1, 'a', 60);
    path[61] = '\0';
    double t0 = now_s();
    rpt_robots *r = rpt_robots_parse(txt.data, txt.len, "reportd");
    REQUIRE(r != NULL);
    CHECK(rpt_robots_allowed(r, path)); /* no 'b': the Disallow does not match */
    path[60] = 'b';
    CHECK(!rpt_robots_allowed(r, path)); /* 18 'a' then a 'b': it does */
    path[60] = 'a';
    rpt_robots_free(r);
    double dt = now_s() - t0;
    CHECK(dt < 1.0);
    rpt_buf_clear(&txt);

    /* One Disallow line of a million '*' (a recursive matcher overflows its stack). */
    size_t n = 1000000;
    rpt_buf_printf(&txt, "User-agent: *\nDisallow: ");
    for (size_t i = 0; i < n; i++)
        rpt_buf_append(&txt, "*", 1);
    rpt_buf_printf(&txt, "\nAllow: /open\n");
    t0 = now_s();
    r = rpt_robots_parse(txt.data, txt.len, "reportd");
    REQUIRE(r != NULL);
    CHECK(!rpt_robots_allowed(r, path)); /* '*' matches everything */
    CHECK(!rpt_robots_allowed(r, "/"));
    CHECK(rpt_robots_limits(r) == RPT_ROBOTS_LIMIT_BYTES); /* the stars collapse to one */
    rpt_robots_free(r);
    CHECK(now_s() - t0 < 1.0);
    rpt_buf_clear(&txt);

    /* A million '*' interleaved with letters: over the pattern cap; a Disallow is cut (stricter). */
    rpt_buf_printf(&txt, "User-agent: *\nDisallow: /x");
    for (size_t i = 0; i < n / 2; i++)
        rpt_buf_append(&txt, "*a", 2);
    rpt_buf_printf(&txt, "$\nAllow: /x");
    for (size_t i = 0; i < 3000; i++)
        rpt_buf_append(&txt, "y", 1);
    rpt_buf_printf(&txt, "\n");
    t0 = now_s();
    r = rpt_robots_parse(txt.data, txt.len, "reportd");
    REQUIRE(r != NULL);
    CHECK(rpt_robots_limits(r) & RPT_ROBOTS_LIMIT_BYTES); /* 1 MB > 512 KiB: the rest cut */
    CHECK(rpt_robots_limits(r) & RPT_ROBOTS_LIMIT_PATTERN);
    char many[1200] = "/x/";
    memset(many + 3, 'a', 1100);
    many[1103] = '\0';
    CHECK(!rpt_robots_allowed(r, many)); /* matched by the cut prefix of the Disallow */
    CHECK(rpt_robots_allowed(r, "/x/aaa"));
    CHECK(rpt_robots_allowed(r, "/y"));
    rpt_robots_free(r);
    CHECK(now_s() - t0 < 1.0);
    rpt_buf_clear(&txt);

    /* Rules past the cap are dropped, counted in the limits. */
    for (int i = 0; i < RPT_ROBOTS_MAX_RULES + 5; i++)
        rpt_buf_printf(&txt, "%sDisallow: /d%d/\n", i ? "" : "User-agent: *\n", i);
    r = rpt_robots_parse(txt.data, txt.len, "reportd");
    REQUIRE(r != NULL);
    CHECK(rpt_robots_limits(r) & RPT_ROBOTS_LIMIT_RULES);
    CHECK(!rpt_robots_allowed(r, "/d0/x"));
    CHECK(rpt_robots_allowed(r, "/d10004/x"));
    rpt_robots_free(r);
    rpt_buf_clear(&txt);
}

/* The wildcard semantics the linear matcher must keep. */
static void test_robots_wildcards(void)
{
    const char *txt = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /a*b*c\nDisallow: /end$\n"
                      "Disallow: /lit$x\nAllow: /a*b*c*ok\n";
    rpt_robots *r = rpt_robots_parse(txt, strlen(txt), "reportd");
    REQUIRE(r != NULL);
    CHECK(!rpt_robots_allowed(r, "/x/y.pdf"));
    CHECK(rpt_robots_allowed(r, "/x/y.pdf.html"));
    CHECK(!rpt_robots_allowed(r, "/.pdf"));
    CHECK(!rpt_robots_allowed(r, "/abc"));
    CHECK(!rpt_robots_allowed(r, "/aXbYcZ"));
    CHECK(rpt_robots_allowed(r, "/acb"));
    CHECK(rpt_robots_allowed(r, "/aXbYcZok")); /* the longer Allow wins */
    CHECK(!rpt_robots_allowed(r, "/end"));
    CHECK(rpt_robots_allowed(r, "/endx"));
    CHECK(!rpt_robots_allowed(r, "/lit$xyz")); /* '$' inside a pattern is a literal */
    CHECK(rpt_robots_allowed(r, "/litx"));
    rpt_robots_free(r);
    const char *t2 = "User-agent: *\nDisallow: /pa*.pdf$\n";
    r = rpt_robots_parse(t2, strlen(t2), "reportd");
    CHECK(!rpt_robots_allowed(r, "/pa.pdf"));
    CHECK(!rpt_robots_allowed(r, "/pa.pdf.pdf"));
    CHECK(rpt_robots_allowed(r, "/p.pdf"));
    rpt_robots_free(r);
}

static int v4_private(const char *addr)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    inet_pton(AF_INET, addr, &sin.sin_addr);
    return rpt_addr_is_private((struct sockaddr *)&sin);
}

static int v6_private(const char *addr)
{
    struct sockaddr_in6 sin = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, addr, &sin.sin6_addr);
    return rpt_addr_is_private((struct sockaddr *)&sin);
}

static void test_ssrf_classes(void)
{
    const char *blocked[] = {"127.0.0.1",   "10.1.2.3",        "172.16.0.1", "172.31.255.255",
                             "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                             "224.0.0.1",   "255.255.255.255"};
    for (size_t i = 0; i < sizeof blocked / sizeof *blocked; i++)
        CHECK(v4_private(blocked[i]));
    CHECK(!v4_private("8.8.8.8"));
    CHECK(!v4_private("172.32.0.1"));
    CHECK(!v4_private("58.20.1.1"));
    CHECK(v6_private("::1"));
    CHECK(v6_private("fe80::1"));
    CHECK(v6_private("fd00::5"));
    CHECK(v6_private("::ffff:127.0.0.1"));
    CHECK(!v6_private("2400:3200::1"));
    /* addresses that embed or translate to an IPv4 address the guard cannot judge, and the
     * deprecated site-local block */
    CHECK(v6_private("64:ff9b::a9fe:a9fe"));
    CHECK(v6_private("64:ff9b:1::a9fe:a9fe"));
    CHECK(v6_private("2002:a9fe:a9fe::1"));
    CHECK(v6_private("2002:808:808::1"));
    CHECK(v6_private("fec0::1"));
    CHECK(v6_private("feff::1"));
    CHECK(v6_private("::169.254.169.254"));
    CHECK(v6_private("::8.8.8.8"));
    CHECK(v6_private("2001:0:4136:e378:8000:63bf:3fff:fdd2")); /* Teredo */
    CHECK(v6_private("100::1"));
    CHECK(!v6_private("2001:4860:4860::8888"));
    CHECK(!v6_private("2a00:1450::1"));

    struct sockaddr_in lo = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);
    rpt_kvlist allow = {0};
    CHECK(!rpt_addr_allowed((struct sockaddr *)&lo, 0, &allow));
    CHECK(rpt_addr_allowed((struct sockaddr *)&lo, 1, &allow));
    rpt_kvlist_add(&allow, NULL, "10.0.0.0/8");
    CHECK(!rpt_addr_allowed((struct sockaddr *)&lo, 0, &allow));
    rpt_kvlist_add(&allow, NULL, "127.0.0.1/32");
    CHECK(rpt_addr_allowed((struct sockaddr *)&lo, 0, &allow));
    rpt_kvlist_clear(&allow);
    rpt_buf err = RPT_BUF_INIT;
    CHECK_INT(rpt_cidr_check("10.0.0.0/8", &err), 0);
    CHECK_INT(rpt_cidr_check("fd00::/8", &err), 0);
    CHECK_INT(rpt_cidr_check("10.0.0.0/33", &err), -1);
    CHECK_INT(rpt_cidr_check("intranet.local", &err), -1);
    rpt_buf_clear(&err);
}

TEST_MAIN(T(test_resolve), T(test_canonical_escapes), T(test_robots), T(test_robots_pathological), T(test_robots_wildcards),
          T(test_ssrf_classes))
