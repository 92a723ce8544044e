#include "devtools/dev_portal/pages.h"

#include <string.h>
#include <time.h>

#include "common/json.h"

static void escape(rpt_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            rpt_buf_puts(b, "&lt;");
            break;
        case '>':
            rpt_buf_puts(b, "&gt;");
            break;
        case '&':
            rpt_buf_puts(b, "&amp;");
            break;
        case '"':
            rpt_buf_puts(b, "&quot;");
            break;
        default:
            rpt_buf_putc(b, *s);
        }
    }
}

static void date_of(time_t t, char out[32], const char *fmt)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, fmt, &tm);
}

void rpt_portal_article_href(const rpt_portal_article *a, rpt_buf *out)
{
    rpt_buf_printf(out, "/jyj/art/%s%s", a->stem, a->gbk ? ".gbk.html" : ".html");
}

int rpt_portal_listing(const rpt_portal_catalog *cat, size_t page, size_t per_page, rpt_buf *out)
{
    size_t pages = cat->n ? (cat->n + per_page - 1) / per_page : 1;
    if (page >= pages) return -1;
    rpt_buf_puts(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                     "<title>计划总结 - 教育局</title></head><body>\n"
                     "<div class=\"nav\"><a href=\"/\">首页</a> &gt; 政务公开 &gt; 计划总结</div>\n"
                     "<ul class=\"list\">\n");
    for (size_t i = page * per_page; i < cat->n && i < (page + 1) * per_page; i++) {
        const rpt_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%d");
        rpt_buf href = RPT_BUF_INIT;
        rpt_portal_article_href(a, &href);
        rpt_buf_printf(out, "<li><a href=\"%s\" title=\"", href.data + strlen("/jyj/"));
        escape(out, a->title);
        rpt_buf_puts(out, "\">");
        escape(out, a->title);
        rpt_buf_printf(out, "</a><span>%s</span></li>\n", date);
        rpt_buf_clear(&href);
    }
    rpt_buf_puts(out, "</ul>\n<div class=\"page\">");
    if (page > 0) {
        if (page == 1)
            rpt_buf_puts(out, "<a href=\"index.html\">上一页</a> ");
        else
            rpt_buf_printf(out, "<a href=\"index_%zu.html\">上一页</a> ", page - 1);
    }
    if (page + 1 < pages)
        rpt_buf_printf(out, "<a class=\"next\" href=\"index_%zu.html\">下一页</a>", page + 1);
    rpt_buf_printf(out,
                  "</div>\n<script>createPageHTML(%zu, %zu, \"index\", \"html\");</script>\n"
                  "<a href=\"/about.html\">关于我们</a>\n</body></html>\n",
                  pages, page);
    return 0;
}

int rpt_portal_article_page(const rpt_portal_article *a, const char *text, size_t len, int gbk,
                           rpt_buf *out)
{
    char date[32];
    date_of(a->mtime, date, "%Y-%m-%d %H:%M");
    rpt_buf_printf(out,
                  "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=%s\"><title>",
                  gbk ? "gbk" : "utf-8");
    escape(out, a->title);
    rpt_buf_puts(out, "</title></head><body>\n<div class=\"article\"><h1>");
    escape(out, a->title);
    rpt_buf_printf(out,
                  "</h1>\n<div class=\"info\">发布时间：%s 来源：区教育局</div>\n"
                  "<div class=\"content\">\n",
                  date);
    rpt_buf para = RPT_BUF_INIT;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        rpt_buf_reset(&para);
        rpt_buf_append(&para, p, n);
        if (para.len && para.data[para.len - 1] == '\r') para.data[--para.len] = '\0';
        if (para.len) {
            rpt_buf_puts(out, "<p>");
            escape(out, para.data);
            rpt_buf_puts(out, "</p>\n");
        }
        p += n + 1;
    }
    rpt_buf_clear(&para);
    rpt_buf_puts(out, "</div>\n");
    if (a->attachment)
        rpt_buf_printf(out,
                      "<div class=\"attach\">附件：<a href=\"../att/%s\">%s</a></div>\n",
                      a->attachment, a->attachment);
    rpt_buf_puts(out, "</div>\n</body></html>\n");
    return 0;
}

void rpt_portal_rss(const rpt_portal_catalog *cat, const char *base, rpt_buf *out)
{
    rpt_buf_printf(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                  "<title>计划总结</title><link>%s/jyj/index.html</link>\n",
                  base);
    for (size_t i = 0; i < cat->n; i++) {
        const rpt_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%a, %d %b %Y %H:%M:%S GMT");
        rpt_buf_puts(out, "<item><title>");
        escape(out, a->title);
        rpt_buf_printf(out, "</title><link>%s", base);
        rpt_portal_article_href(a, out);
        rpt_buf_printf(out, "</link><pubDate>%s</pubDate></item>\n", date);
    }
    rpt_buf_puts(out, "</channel></rss>\n");
}

void rpt_portal_sitemap(const rpt_portal_catalog *cat, const char *base, rpt_buf *out)
{
    rpt_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t i = 0; i < cat->n; i++) {
        const rpt_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%dT%H:%M:%SZ");
        rpt_buf_printf(out, "<url><loc>%s", base);
        rpt_portal_article_href(a, out);
        rpt_buf_printf(out, "</loc><lastmod>%s</lastmod></url>\n", date);
    }
    rpt_buf_puts(out, "</urlset>\n");
}

void rpt_portal_sitemap_index(const char *base, rpt_buf *out)
{
    rpt_buf_printf(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                  "<sitemap><loc>%s/sitemap.xml</loc></sitemap>\n</sitemapindex>\n",
                  base);
}

void rpt_portal_api_list(const rpt_portal_catalog *cat, size_t page, size_t per_page, rpt_buf *out)
{
    yajl_gen g = rpt_jg_new();
    yajl_gen_map_open(g);
    rpt_jg_int(g, "code", 0);
    rpt_jg_key(g, "data");
    yajl_gen_map_open(g);
    rpt_jg_int(g, "total", (long long)cat->n);
    rpt_jg_int(g, "page", (long long)page);
    rpt_jg_key(g, "list");
    yajl_gen_array_open(g);
    for (size_t i = page ? (page - 1) * per_page : cat->n; i < cat->n && i < page * per_page; i++) {
        const rpt_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%d %H:%M:%S");
        rpt_buf href = RPT_BUF_INIT;
        rpt_portal_article_href(a, &href);
        yajl_gen_map_open(g);
        rpt_jg_str(g, "url", href.data);
        rpt_jg_str(g, "title", a->title);
        rpt_jg_str(g, "date", date);
        yajl_gen_map_close(g);
        rpt_buf_clear(&href);
    }
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    rpt_buf_append(out, buf, len);
    yajl_gen_free(g);
}
