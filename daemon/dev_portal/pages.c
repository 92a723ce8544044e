#include "daemon/dev_portal/pages.h"

#include <string.h>
#include <time.h>

#include "common/json.h"

static void escape(rd_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            rd_buf_puts(b, "&lt;");
            break;
        case '>':
            rd_buf_puts(b, "&gt;");
            break;
        case '&':
            rd_buf_puts(b, "&amp;");
            break;
        case '"':
            rd_buf_puts(b, "&quot;");
            break;
        default:
            rd_buf_putc(b, *s);
        }
    }
}

static void date_of(time_t t, char out[32], const char *fmt)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, fmt, &tm);
}

void rd_portal_article_href(const rd_portal_article *a, rd_buf *out)
{
    rd_buf_printf(out, "/jyj/art/%s%s", a->stem, a->gbk ? ".gbk.html" : ".html");
}

int rd_portal_listing(const rd_portal_catalog *cat, size_t page, size_t per_page, rd_buf *out)
{
    size_t pages = cat->n ? (cat->n + per_page - 1) / per_page : 1;
    if (page >= pages) return -1;
    rd_buf_puts(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                     "<title>计划总结 - 教育局</title></head><body>\n"
                     "<div class=\"nav\"><a href=\"/\">首页</a> &gt; 政务公开 &gt; 计划总结</div>\n"
                     "<ul class=\"list\">\n");
    for (size_t i = page * per_page; i < cat->n && i < (page + 1) * per_page; i++) {
        const rd_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%d");
        rd_buf href = RD_BUF_INIT;
        rd_portal_article_href(a, &href);
        rd_buf_printf(out, "<li><a href=\"%s\" title=\"", href.data + strlen("/jyj/"));
        escape(out, a->title);
        rd_buf_puts(out, "\">");
        escape(out, a->title);
        rd_buf_printf(out, "</a><span>%s</span></li>\n", date);
        rd_buf_free(&href);
    }
    rd_buf_puts(out, "</ul>\n<div class=\"page\">");
    if (page > 0) {
        if (page == 1)
            rd_buf_puts(out, "<a href=\"index.html\">上一页</a> ");
        else
            rd_buf_printf(out, "<a href=\"index_%zu.html\">上一页</a> ", page - 1);
    }
    if (page + 1 < pages)
        rd_buf_printf(out, "<a class=\"next\" href=\"index_%zu.html\">下一页</a>", page + 1);
    rd_buf_printf(out,
                  "</div>\n<script>createPageHTML(%zu, %zu, \"index\", \"html\");</script>\n"
                  "<a href=\"/about.html\">关于我们</a>\n</body></html>\n",
                  pages, page);
    return 0;
}

int rd_portal_article_page(const rd_portal_article *a, const char *text, size_t len, int gbk,
                           rd_buf *out)
{
    char date[32];
    date_of(a->mtime, date, "%Y-%m-%d %H:%M");
    rd_buf_printf(out,
                  "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=%s\"><title>",
                  gbk ? "gbk" : "utf-8");
    escape(out, a->title);
    rd_buf_puts(out, "</title></head><body>\n<div class=\"article\"><h1>");
    escape(out, a->title);
    rd_buf_printf(out,
                  "</h1>\n<div class=\"info\">发布时间：%s 来源：区教育局</div>\n"
                  "<div class=\"content\">\n",
                  date);
    rd_buf para = RD_BUF_INIT;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        rd_buf_reset(&para);
        rd_buf_append(&para, p, n);
        if (para.len && para.data[para.len - 1] == '\r') para.data[--para.len] = '\0';
        if (para.len) {
            rd_buf_puts(out, "<p>");
            escape(out, para.data);
            rd_buf_puts(out, "</p>\n");
        }
        p += n + 1;
    }
    rd_buf_free(&para);
    rd_buf_puts(out, "</div>\n");
    if (a->attachment)
        rd_buf_printf(out,
                      "<div class=\"attach\">附件：<a href=\"../att/%s.docx\">%s.docx</a></div>\n",
                      a->attachment, a->attachment);
    rd_buf_puts(out, "</div>\n</body></html>\n");
    return 0;
}

void rd_portal_rss(const rd_portal_catalog *cat, const char *base, rd_buf *out)
{
    rd_buf_printf(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                  "<title>计划总结</title><link>%s/jyj/index.html</link>\n",
                  base);
    for (size_t i = 0; i < cat->n; i++) {
        const rd_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%a, %d %b %Y %H:%M:%S GMT");
        rd_buf_puts(out, "<item><title>");
        escape(out, a->title);
        rd_buf_printf(out, "</title><link>%s", base);
        rd_portal_article_href(a, out);
        rd_buf_printf(out, "</link><pubDate>%s</pubDate></item>\n", date);
    }
    rd_buf_puts(out, "</channel></rss>\n");
}

void rd_portal_sitemap(const rd_portal_catalog *cat, const char *base, rd_buf *out)
{
    rd_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t i = 0; i < cat->n; i++) {
        const rd_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%dT%H:%M:%SZ");
        rd_buf_printf(out, "<url><loc>%s", base);
        rd_portal_article_href(a, out);
        rd_buf_printf(out, "</loc><lastmod>%s</lastmod></url>\n", date);
    }
    rd_buf_puts(out, "</urlset>\n");
}

void rd_portal_sitemap_index(const char *base, rd_buf *out)
{
    rd_buf_printf(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                  "<sitemap><loc>%s/sitemap.xml</loc></sitemap>\n</sitemapindex>\n",
                  base);
}

void rd_portal_api_list(const rd_portal_catalog *cat, size_t page, size_t per_page, rd_buf *out)
{
    yajl_gen g = rd_jg_new();
    yajl_gen_map_open(g);
    rd_jg_int(g, "code", 0);
    rd_jg_key(g, "data");
    yajl_gen_map_open(g);
    rd_jg_int(g, "total", (long long)cat->n);
    rd_jg_int(g, "page", (long long)page);
    rd_jg_key(g, "list");
    yajl_gen_array_open(g);
    for (size_t i = page ? (page - 1) * per_page : cat->n; i < cat->n && i < page * per_page; i++) {
        const rd_portal_article *a = &cat->articles[i];
        char date[32];
        date_of(a->mtime, date, "%Y-%m-%d %H:%M:%S");
        rd_buf href = RD_BUF_INIT;
        rd_portal_article_href(a, &href);
        yajl_gen_map_open(g);
        rd_jg_str(g, "url", href.data);
        rd_jg_str(g, "title", a->title);
        rd_jg_str(g, "date", date);
        yajl_gen_map_close(g);
        rd_buf_free(&href);
    }
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    rd_buf_append(out, buf, len);
    yajl_gen_free(g);
}
