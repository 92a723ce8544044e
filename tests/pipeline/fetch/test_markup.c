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

TEST_MAIN(T(test_internal_subset_refused))
