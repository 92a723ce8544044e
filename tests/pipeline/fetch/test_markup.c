/* XML of feeds and sitemaps: a document with a DTD internal subset (billion laughs) is
 * refused with a reason instead of expanding on every content read; plain XML and a
 * DOCTYPE without internal subset still parse. */
#include <string.h>

#include "common/metrics.h"
#include "pipeline/fetch/sources/markup.h"
#include "test.h"

static const char bomb[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [\n"
    " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
    " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n]>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<url><loc>http://h/&e;</loc></url></urlset>";

static int n_loc;
static void count(const char *value, xmlNodePtr node, void *arg)
{
    (void)node;
    (void)arg;
    if (value && strlen(value) < 100) n_loc++;
}

static void test_internal_subset_refused(void)
{
    const char *why = NULL;
    xmlDocPtr d = rpt_xml_parse((const unsigned char *)bomb, strlen(bomb), "http://h/s.xml", &why);
    CHECK(d == NULL);
    CHECK(why && strstr(why, "internal subset") != NULL);
    CHECK(rpt_metrics_get("reportd_fetch_xml_refused_total", "reason=\"internal_dtd\"") >= 1);
    const char *only_decl = "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ELEMENT urlset ANY>]>"
                            "<urlset/>";
    d = rpt_xml_parse((const unsigned char *)only_decl, strlen(only_decl), "u", &why);
    CHECK(d == NULL);

    const char *ok = "<?xml version=\"1.0\"?><!DOCTYPE urlset SYSTEM \"urlset.dtd\">"
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                     "<url><loc>http://h/a.html</loc></url><url><loc>http://h/b.html</loc></url>"
                     "</urlset>";
    d = rpt_xml_parse((const unsigned char *)ok, strlen(ok), "u", &why);
    REQUIRE(d != NULL);
    n_loc = 0;
    CHECK_INT(rpt_xpath_each(d, NULL, "//*[local-name()='loc']", count, NULL), 2);
    CHECK_INT(n_loc, 2);
    xmlFreeDoc(d);
    d = rpt_xml_parse((const unsigned char *)"<a><b>", 6, "u", &why);
    CHECK(d == NULL);
    CHECK(why && strstr(why, "well-formed") != NULL);
}

static void on_link(const char *value, xmlNodePtr node, void *arg)
{
    (void)value;
    (void)node;
    (*(int *)arg)++;
}

/* A listing page with more links than the bound: the first RPT_MARKUP_MAX_NODES are
 * visited, the rest ignored, counted. */
static void test_links_bounded(void)
{
    rpt_buf page = RPT_BUF_INIT;
    rpt_buf_puts(&page, "<html><body>");
    for (int i = 0; i < RPT_MARKUP_MAX_NODES + 50; i++)
        rpt_buf_printf(&page, "<a href=\"/a/%d.html\">x</a>", i);
    rpt_buf_puts(&page, "</body></html>");
    xmlDocPtr d = rpt_html_parse((const unsigned char *)page.data, page.len, "http://h/", NULL);
    REQUIRE(d);
    double before = rpt_metrics_get("reportd_fetch_page_limited_total", "limit=\"links\"");
    int seen = 0;
    CHECK_INT(rpt_xpath_each(d, NULL, "//a[@href]", on_link, &seen), RPT_MARKUP_MAX_NODES);
    CHECK_INT(seen, RPT_MARKUP_MAX_NODES);
    CHECK(rpt_metrics_get("reportd_fetch_page_limited_total", "limit=\"links\"") == before + 1);
    xmlFreeDoc(d);
    rpt_buf_clear(&page);
}

TEST_MAIN(T(test_internal_subset_refused), T(test_links_bounded))
