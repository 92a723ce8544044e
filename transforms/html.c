/* Portal pages: decode the charset ourselves (so U+FFFD are counted), parse with libxml2's
 * HTML parser, read metadata (head <meta> tags, labelled lines anywhere on the page), drop
 * page chrome (scripts, navigation, breadcrumbs, share/print widgets, related-article
 * lists, headers and footers), find the article body (the smallest container holding most
 * of the page's non-link text) and render it: one line per block, data tables as
 * tab-separated lines. Elements nested deeper than RPT_HTML_MAX_DEPTH are flattened to
 * inline text, so every walk here is bounded in stack depth. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "transforms/decode.h"

#define MAX_PORTAL_BYTES 2048
#define DATA_CELL_MAX_BYTES 900 /* a cell longer than this makes a layout table */
#define BODY_SHARE 0.7          /* descend into a child holding this share of the text */
#define CHROME_MAX_SHARE 0.4    /* chrome candidates holding more text than this are kept */
#define HEAD_FILTER_LINES 6
#define TAIL_FILTER_LINES 4

enum {
    ST_HAS_TABLE = 1, /* a table below */
    ST_DEEP = 2,      /* flattened: deeper than RPT_HTML_MAX_DEPTH */
    ST_DATA = 4,      /* a data table (rows of short cells) */
    ST_REMOVED = 8,
};

typedef struct nstat {
    size_t text, link; /* bytes of non-blank text, and of it inside <a> */
    size_t max_cell;   /* longest cell below (tables) */
    int max_row;       /* most cells in one row below (tables) */
    unsigned flags;
} nstat;

typedef struct html_ctx {
    nstat *st;
    size_t n_st, cap_st;
    rpt_buf *portal;
    int oom;
} html_ctx;

typedef struct renderer {
    rpt_buf out;
    size_t line_start;
    int pending_space;
    int in_cell;
} renderer;

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

static int name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names)) return 1;
    return 0;
}

static const char *const dropped_tags[] = {"script", "style", "noscript", "iframe", "object",
                                           "embed",  "svg",   "template", "select", "option",
                                           "button", "input", "textarea", "head",   "map",
                                           "audio",  "video", "canvas",   NULL};
static const char *const block_tags[] = {
    "p",          "div",     "h1",      "h2",     "h3",       "h4",      "h5",
    "h6",         "li",      "ul",      "ol",     "dl",       "dt",      "dd",
    "section",    "article", "header",  "footer", "main",     "aside",   "nav",
    "blockquote", "pre",     "center",  "form",   "fieldset", "address", "figure",
    "figcaption", "hr",      "table",   "tr",     "td",       "th",      "tbody",
    "thead",      "tfoot",   "caption", "body",   "html",     NULL};
static const char *const container_tags[] = {
    "div", "section", "article", "main", "table", "tbody", "thead", "tr", "td",
    "th",  "center",  "form",    "font", "span",  "body",  "html",  NULL};
static const char *const chrome_tags[] = {"nav", "header", "footer", "aside", NULL};
/* class/id tokens of page chrome (whole tokens, case-insensitive) */
static const char *const chrome_tokens[] = {
    "nav",      "navbar",   "navigation", "menu",    "breadcrumb", "breadcrumbs", "crumb",
    "crumbs",   "position", "location",   "weizhi",  "dqwz",       "footer",      "foot",
    "bottom",   "header",   "head",       "top",     "topbar",     "share",       "bdshare",
    "fenxiang", "print",    "dayin",      "related", "relate",     "xgwz",        "xgxx",
    "xglj",     "sidebar",  "side",       "toolbar", "tools",      "tool",        "copyright",
    "banner",   "ewm",      "qrcode",     "search",  "login",      "fontsize",    "font-size",
    "zihao",    NULL};

/* Statistics of an element (its index is kept in _private), or NULL when it has none. */
static nstat *stat_of(html_ctx *c, const xmlNode *n)
{
    uintptr_t i = (uintptr_t)n->_private;
    return i ? &c->st[i - 1] : NULL;
}

/* Zeroed statistics for n, owned by c (pointers into c->st move when it grows). */
static nstat *stat_new(html_ctx *c, xmlNode *n)
{
    if (c->n_st == c->cap_st) {
        size_t cap = c->cap_st ? c->cap_st * 2 : 256;
        nstat *p = realloc(c->st, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return NULL;
        }
        c->st = p, c->cap_st = cap;
    }
    memset(&c->st[c->n_st], 0, sizeof *c->st);
    n->_private = (void *)(uintptr_t)(++c->n_st);
    return &c->st[c->n_st - 1];
}

/* Non-blank bytes of a string. */
static size_t solid_bytes(const xmlChar *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += !isspace(*s);
    return n;
}

/* Post-order statistics of the subtree at n (depth-capped; deeper subtrees are measured
 * with libxml2's iterative xmlNodeGetContent and flagged ST_DEEP). */
static void compute_stats(html_ctx *c, xmlNode *n, int depth)
{
    nstat *s = stat_new(c, n);
    if (!s) return;
    if (depth > RPT_HTML_MAX_DEPTH) {
        xmlChar *t = xmlNodeGetContent(n);
        s->text = solid_bytes(t);
        s->flags = ST_DEEP | ST_HAS_TABLE;
        xmlFree(t);
        return;
    }
    int cells = 0;
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            size_t b = solid_bytes(k->content);
            s = &c->st[(uintptr_t)n->_private - 1];
            s->text += b;
            continue;
        }
        if (k->type != XML_ELEMENT_NODE || name_in(k, dropped_tags)) continue;
        compute_stats(c, k, depth + 1);
        if (c->oom) return;
        s = &c->st[(uintptr_t)n->_private - 1];
        const nstat *ks = stat_of(c, k);
        s->text += ks->text;
        s->link += ks->link;
        s->flags |= ks->flags & (ST_HAS_TABLE | ST_DEEP);
        if (name_is(k, "table")) s->flags |= ST_HAS_TABLE;
        if (!name_is(k, "table")) {
            if (ks->max_cell > s->max_cell) s->max_cell = ks->max_cell;
            if (ks->max_row > s->max_row) s->max_row = ks->max_row;
        }
        if (name_is(k, "td") || name_is(k, "th")) {
            cells++;
            if (ks->text > s->max_cell) s->max_cell = ks->text;
        }
    }
    s = &c->st[(uintptr_t)n->_private - 1];
    if (name_is(n, "tr") && cells > s->max_row) s->max_row = cells;
    if (name_is(n, "a")) s->link = s->text;
    if (name_is(n, "table") && !(s->flags & (ST_HAS_TABLE | ST_DEEP)) &&
        s->max_cell <= DATA_CELL_MAX_BYTES && s->max_row >= 2)
        s->flags |= ST_DATA;
}

/* ---- rendering ---- */

/* Appends text, collapsing whitespace runs (ASCII, U+00A0, U+2000-U+200A, U+3000) to one
 * space and dropping it at line starts and after a cell separator. */
static void r_put(renderer *r, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t ws = 0;
        if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' || *u == '\f')
            ws = 1;
        else if (i + 2 <= len && u[0] == 0xC2 && u[1] == 0xA0)
            ws = 2;
        else if (i + 3 <= len && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
            ws = 3;
        else if (i + 3 <= len && u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xAF))
            ws = 3;
        if (ws) {
            r->pending_space = 1;
            i += ws;
            continue;
        }
        size_t j = i + 1;
        while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' &&
               s[j] != '\f' && (unsigned char)s[j] != 0xC2 && (unsigned char)s[j] != 0xE3 &&
               (unsigned char)s[j] != 0xE2)
            j++;
        if (r->pending_space && r->out.len > r->line_start && r->out.data[r->out.len - 1] != '\t')
            rpt_buf_putc(&r->out, ' ');
        r->pending_space = 0;
        rpt_buf_append(&r->out, s + i, j - i);
        i = j;
    }
}

/* Ends the current line unless it is empty; inside a table cell a break is a space. */
static void r_break(renderer *r)
{
    if (r->in_cell) {
        r->pending_space = 1;
        return;
    }
    if (r->out.len > r->line_start) {
        rpt_buf_putc(&r->out, '\n');
        r->line_start = r->out.len;
    }
    r->pending_space = 0;
}

static void render(html_ctx *c, renderer *r, xmlNode *n, int depth);

static void render_children(html_ctx *c, renderer *r, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next)
        render(c, r, k, depth + 1);
}

/* A data table: one line per row, cells separated by tabs. */
static void render_data_table(html_ctx *c, renderer *r, xmlNode *n, int depth)
{
    if (depth > RPT_HTML_MAX_DEPTH) return;
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (name_is(k, "tr")) {
            r_break(r);
            int first = 1;
            for (xmlNode *cell = k->children; cell; cell = cell->next) {
                if (!name_is(cell, "td") && !name_is(cell, "th")) continue;
                if (!first) rpt_buf_putc(&r->out, '\t');
                first = 0;
                r->pending_space = 0;
                r->in_cell++;
                render_children(c, r, cell, depth + 2);
                r->in_cell--;
            }
            r_break(r);
        } else if (name_is(k, "caption")) {
            r_break(r);
            render_children(c, r, k, depth + 1);
            r_break(r);
        } else {
            render_data_table(c, r, k, depth + 1); /* tbody/thead/tfoot */
        }
    }
}

/* Renders the subtree at n: blocks as lines, data tables as TSV, dropped and removed
 * elements skipped, anything deeper than RPT_HTML_MAX_DEPTH flattened. */
static void render(html_ctx *c, renderer *r, xmlNode *n, int depth)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) r_put(r, (const char *)n->content, strlen((const char *)n->content));
        return;
    }
    if (n->type != XML_ELEMENT_NODE || name_in(n, dropped_tags)) return;
    const nstat *s = stat_of(c, n);
    if (s && (s->flags & ST_REMOVED)) return;
    if (depth > RPT_HTML_MAX_DEPTH || !s) {
        xmlChar *t = xmlNodeGetContent(n);
        r_break(r);
        if (t) r_put(r, (const char *)t, strlen((const char *)t));
        r_break(r);
        xmlFree(t);
        return;
    }
    if (name_is(n, "br")) {
        if (r->in_cell)
            r->pending_space = 1;
        else {
            r_break(r);
        }
        return;
    }
    if (name_is(n, "table") && (s->flags & ST_DATA) && !r->in_cell) {
        r_break(r);
        render_data_table(c, r, n, depth);
        r_break(r);
        return;
    }
    int block = name_in(n, block_tags);
    if (block) r_break(r);
    render_children(c, r, n, depth);
    if (block) r_break(r);
}

/* ---- chrome ---- */

/* Whether a class or id value holds a chrome token. */
static int chrome_attr(const xmlChar *v)
{
    if (!v) return 0;
    const char *s = (const char *)v;
    while (*s) {
        while (*s && !isalnum((unsigned char)*s))
            s++;
        const char *b = s;
        while (*s && (isalnum((unsigned char)*s) || *s == '-'))
            s++;
        size_t len = (size_t)(s - b);
        if (!len) break;
        for (const char *const *t = chrome_tokens; *t; t++)
            if (strlen(*t) == len && !strncasecmp(*t, b, len)) return 1;
        /* compound tokens: "article-footer", "bdsharebuttonbox" */
        char tok[64];
        if (len < sizeof tok) {
            memcpy(tok, b, len);
            tok[len] = '\0';
            if (strcasestr(tok, "breadcrumb") || strcasestr(tok, "bdshare") ||
                strcasestr(tok, "footer") || strcasestr(tok, "navbar") ||
                strcasestr(tok, "copyright") || strcasestr(tok, "qrcode"))
                return 1;
        }
    }
    return 0;
}

/* Appends the text of a header/footer-like element to the portal context (capped). */
static void portal_add(html_ctx *c, xmlNode *n)
{
    if (c->portal->len >= MAX_PORTAL_BYTES) return;
    xmlChar *t = xmlNodeGetContent(n);
    if (t) {
        size_t len = strlen((const char *)t), room = MAX_PORTAL_BYTES - c->portal->len;
        rpt_buf_append(c->portal, t, len < room ? len : room);
        rpt_buf_putc(c->portal, '\n');
        xmlFree(t);
    }
}

/* Marks chrome subtrees as removed (keeping any that hold much of the page's text) and
 * subtracts their text from their ancestors. Header and footer text goes to portal. */
static void mark_chrome(html_ctx *c, xmlNode *n, int depth, size_t page_text)
{
    if (depth > RPT_HTML_MAX_DEPTH) return;
    for (xmlNode *k = n->children; k; k = k->next) {
        nstat *ks;
        if (k->type != XML_ELEMENT_NODE || (ks = stat_of(c, k)) == NULL) continue;
        int chrome = name_in(k, chrome_tags);
        xmlChar *cls = xmlGetProp(k, (const xmlChar *)"class");
        xmlChar *id = xmlGetProp(k, (const xmlChar *)"id");
        chrome = chrome || chrome_attr(cls) || chrome_attr(id);
        xmlFree(cls);
        xmlFree(id);
        if (chrome && (double)ks->text <= CHROME_MAX_SHARE * (double)page_text) {
            portal_add(c, k);
            ks->flags |= ST_REMOVED;
            size_t t = ks->text, l = ks->link;
            for (xmlNode *p = n; p; p = p->parent) {
                nstat *ps = p->type == XML_ELEMENT_NODE ? stat_of(c, p) : NULL;
                if (!ps) break;
                ps->text -= t < ps->text ? t : ps->text;
                ps->link -= l < ps->link ? l : ps->link;
            }
            continue;
        }
        mark_chrome(c, k, depth + 1, page_text);
    }
}

/* The article body: from <body>, descend into the container child that holds most of the
 * non-link text while it holds at least BODY_SHARE of its parent's. */
static xmlNode *find_body(html_ctx *c, xmlNode *body)
{
    xmlNode *n = body;
    for (int depth = 0; depth < RPT_HTML_MAX_DEPTH; depth++) {
        const nstat *ns = stat_of(c, n);
        size_t total = ns->text - (ns->link < ns->text ? ns->link : ns->text);
        xmlNode *best = NULL;
        size_t best_text = 0;
        for (xmlNode *k = n->children; k; k = k->next) {
            const nstat *ks = k->type == XML_ELEMENT_NODE ? stat_of(c, k) : NULL;
            if (!ks || (ks->flags & (ST_REMOVED | ST_DEEP))) continue;
            size_t t = ks->text - (ks->link < ks->text ? ks->link : ks->text);
            if (t > best_text) best = k, best_text = t;
        }
        if (!best || !name_in(best, container_tags) || (ns->flags & ST_DATA) ||
            (double)best_text < BODY_SHARE * (double)total)
            break;
        n = best;
    }
    return n;
}

/* ---- head metadata ---- */

/* First element called name among n, its siblings and their first few levels. */
static xmlNode *find_element(xmlNode *n, const char *name, int depth)
{
    if (depth > RPT_HTML_MAX_DEPTH) return NULL;
    for (xmlNode *k = n; k; k = k->next) {
        if (name_is(k, name)) return k;
        if (k->type == XML_ELEMENT_NODE && k->children && depth < 4) {
            xmlNode *f = find_element(k->children, name, depth + 1);
            if (f) return f;
        }
    }
    return NULL;
}

/* Trimmed attribute value (caller frees), NULL when absent or blank. */
static char *prop_dup(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = rpt_meta_strdup_trim((const char *)v, strlen((const char *)v));
    xmlFree(v);
    if (s && !*s) {
        free(s);
        s = NULL;
    }
    return s;
}

/* Gives value to *field when it is still NULL, else frees value. */
static void set_once(char **field, char *value)
{
    if (!*field && value)
        *field = value;
    else
        free(value);
}

/* Reads <title>, <meta name=ArticleTitle|PubDate|ContentSource|SiteName> and the canonical
 * link; returns the <title> text (caller frees) or NULL. */
static char *read_head(html_ctx *c, xmlNode *head, rpt_document *doc)
{
    char *page_title = NULL;
    for (xmlNode *k = head ? head->children : NULL; k; k = k->next) {
        if (name_is(k, "title")) {
            xmlChar *t = xmlNodeGetContent(k);
            if (t && !page_title)
                page_title = rpt_meta_strdup_trim((const char *)t, strlen((const char *)t));
            xmlFree(t);
        } else if (name_is(k, "meta")) {
            char *name = prop_dup(k, "name");
            if (!name) name = prop_dup(k, "property");
            char *content = name ? prop_dup(k, "content") : NULL;
            if (name && content) {
                if (!strcasecmp(name, "ArticleTitle"))
                    set_once(&doc->title, content), content = NULL;
                else if (!strcasecmp(name, "ContentSource"))
                    set_once(&doc->issuer, content), content = NULL;
                else if (!strcasecmp(name, "PubDate") ||
                         !strcasecmp(name, "article:published_time")) {
                    char iso[32];
                    if (rpt_meta_parse_date(content, strlen(content), iso))
                        set_once(&doc->published_at, strdup(iso));
                } else if (!strcasecmp(name, "SiteName") || !strcasecmp(name, "og:site_name")) {
                    rpt_buf_puts(c->portal, content);
                    rpt_buf_putc(c->portal, '\n');
                }
            }
            free(name);
            free(content);
        } else if (name_is(k, "link")) {
            char *rel = prop_dup(k, "rel");
            char *href = rel && !strcasecmp(rel, "canonical") ? prop_dup(k, "href") : NULL;
            /* only an absolute URL names the document on its own */
            if (href && (!strncasecmp(href, "http://", 7) || !strncasecmp(href, "https://", 8)))
                set_once(&doc->url, href);
            else
                free(href);
            free(rel);
        }
    }
    return page_title;
}

/* Splits "文章标题_站点名" / "标题 - 站点" / "标题|站点": the first part is returned (caller
 * frees), the rest goes to portal. */
/* Whether s ends like a site name (…人民政府, …网站, …门户). */
static int site_like(const char *s)
{
    static const char *const ends[] = {"政府", "网站", "门户", "网", "教育局", "平台", "在线"};
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t el = strlen(ends[i]);
        if (len >= el && !memcmp(s + len - el, ends[i], el)) return 1;
    }
    return 0;
}

static char *split_page_title(html_ctx *c, const char *t)
{
    /* "_", "|" and " - " always separate; a bare dash only before a site name */
    static const char *const seps[] = {"_", " - ", "|", "－", "—", "-", NULL};
    size_t cut = strlen(t), sl = 0;
    for (int i = 0; seps[i]; i++) {
        for (const char *p = strstr(t, seps[i]); p; p = strstr(p + 1, seps[i])) {
            if (p == t || (size_t)(p - t) >= cut) break;
            if (i >= 3 && !site_like(p + strlen(seps[i]))) continue;
            cut = (size_t)(p - t), sl = strlen(seps[i]);
            break;
        }
    }
    if (sl) {
        rpt_buf_puts(c->portal, t + cut + sl);
        rpt_buf_putc(c->portal, '\n');
    }
    return rpt_meta_strdup_trim(t, cut);
}

/* ---- line filtering ---- */

typedef struct line {
    const char *s;
    size_t len;
} line;

/* Non-empty lines of s as views into it; *out is an array the caller frees. */
static size_t split_lines(const char *s, size_t len, line **out)
{
    size_t n = 0, cap = 64;
    line *v = malloc(cap * sizeof *v);
    if (!v) return 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        if (e > i) {
            if (n == cap) {
                line *p = realloc(v, (cap *= 2) * sizeof *v);
                if (!p) break;
                v = p;
            }
            v[n++] = (line){s + i, e - i};
        }
        i = e + 1;
    }
    *out = v;
    return n;
}

static int line_is(const line *l, const char *s)
{
    return s && strlen(s) == l->len && !memcmp(l->s, s, l->len);
}

/* Whether the line heads a related-articles list (相关文章, 相关链接, ...). */
static int related_header(const line *l)
{
    static const char *const heads[] = {"相关文章", "相关链接", "相关阅读", "相关信息", "相关新闻"};
    if (l->len > 40) return 0;
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        if (l->len >= strlen(heads[i]) && !memcmp(l->s, heads[i], strlen(heads[i]))) return 1;
    return 0;
}

/* Writes the body lines to out without the chrome lines around them: breadcrumbs and
 * widgets anywhere, the title and metadata lines at the head, metadata lines at the tail,
 * and a related-articles list with what follows it. */
static int filter_lines(const rpt_buf *body, const rpt_document *doc, rpt_buf *out)
{
    line *v = NULL;
    size_t n = split_lines(body->data ? body->data : "", body->len, &v);
    if (!v) return -1;
    size_t head = 0, end = n;
    for (size_t i = 0; i < n; i++)
        if (related_header(&v[i])) {
            end = i;
            break;
        }
    while (head < end && head < HEAD_FILTER_LINES &&
           (line_is(&v[head], doc->title) || rpt_meta_is_chrome_line(v[head].s, v[head].len)))
        head++;
    while (end > head && n - end < TAIL_FILTER_LINES + 1 &&
           rpt_meta_is_chrome_line(v[end - 1].s, v[end - 1].len))
        end--;
    int rc = 0;
    for (size_t i = head; i < end && !rc; i++) {
        if (rpt_meta_is_chrome_line(v[i].s, v[i].len)) {
            /* labelled metadata in the middle of a body is body text; widgets are not */
            rpt_document scratch = {0};
            rpt_meta_scan scan = {{INT_MAX, INT_MAX, INT_MAX, INT_MAX}};
            int meta = rpt_meta_scan_line(&scan, &scratch, v[i].s, v[i].len) > 0;
            rpt_document_clear(&scratch);
            if (!meta) continue;
        }
        if (out->len) rc |= rpt_buf_putc(out, '\n');
        rc |= rpt_buf_append(out, v[i].s, v[i].len);
    }
    if (!out->data) rc |= rpt_buf_reserve(out, 0);
    free(v);
    return rc;
}

static size_t count_replacements(const char *s, size_t len)
{
    size_t n = 0;
    for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), "\xEF\xBF\xBD", 3)) != NULL;
         p += 3)
        n++;
    return n;
}

/* The report title of a page without <meta name=ArticleTitle>: the <title> before its
 * site suffix, or the page line it is cut from ("标题..."); a page line that reads like a
 * report title when <title> holds only the site's name; NULL when nothing fits. */
static char *choose_title(html_ctx *c, const char *page_title, const line *pl, size_t npl)
{
    char *first = page_title ? split_page_title(c, page_title) : NULL, *title = NULL;
    size_t fl = first ? strlen(first) : 0;
    int first_score = first && !site_like(first) ? rpt_meta_title_score(first, fl) : 0;
    while (fl >= 3 && !memcmp(first + fl - 3, "...", 3))
        fl -= 3;
    for (size_t i = 0; first_score && fl >= 6 && i < npl && !title; i++)
        if (pl[i].len >= fl && !memcmp(pl[i].s, first, fl) &&
            rpt_meta_title_score(pl[i].s, pl[i].len) >= 1)
            title = rpt_meta_strdup_trim(pl[i].s, pl[i].len);
    if (!title && first_score >= 2) title = first, first = NULL;
    for (size_t i = 0; i < npl && i < 40 && !title; i++)
        if (rpt_meta_title_score(pl[i].s, pl[i].len) >= 2)
            title = rpt_meta_strdup_trim(pl[i].s, pl[i].len);
    if (!title && first_score >= 1) title = first, first = NULL;
    free(first);
    return title;
}

int rpt_decode_html(const rpt_extract_input *in, rpt_document *doc, rpt_buf *portal, rpt_buf *err)
{
    rpt_charset_choice cs;
    rpt_buf utf8 = RPT_BUF_INIT, text = RPT_BUF_INIT;
    renderer page = {RPT_BUF_INIT, 0, 0, 0}, body = {RPT_BUF_INIT, 0, 0, 0};
    html_ctx c = {.portal = portal};
    htmlDocPtr hdoc = NULL;
    char *page_title = NULL;
    size_t chars = 0;
    long replaced = 0;
    int rc = -1;

    if (rpt_charset_decode_input(in->data, in->len, in->content_type, 1, 0, &cs, &utf8, &replaced,
                                &chars, err))
        goto out;
    if (utf8.len > INT_MAX) {
        rpt_buf_puts(err, "HTML page too large to parse");
        goto out;
    }
    hdoc = htmlReadMemory(utf8.data ? utf8.data : "", (int)utf8.len, NULL, "UTF-8",
                          HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                              HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
                              XML_PARSE_HUGE);
    xmlNode *root = hdoc ? xmlDocGetRootElement(hdoc) : NULL;
    if (!root) {
        rpt_buf_puts(err, "HTML parser found no document");
        goto out;
    }
    xmlNode *head = find_element(root, "head", 0);
    xmlNode *bnode = find_element(root, "body", 0);
    if (!bnode) bnode = root;
    page_title = read_head(&c, head, doc);

    compute_stats(&c, bnode, 0);
    if (c.oom) goto oom;
    /* metadata lines anywhere on the page (before chrome goes) */
    render(&c, &page, bnode, 0);
    if (!page.out.data && rpt_buf_reserve(&page.out, 0)) goto oom;
    rpt_meta_scan scan;
    rpt_meta_scan_init(&scan, doc);
    line *pl = NULL;
    size_t npl = split_lines(page.out.data, page.out.len, &pl);
    for (size_t i = 0; i < npl; i++)
        rpt_meta_scan_line(&scan, doc, pl[i].s, pl[i].len);
    if (!doc->title) {
        doc->title = choose_title(&c, page_title, pl, npl);
    } else if (page_title) {
        free(split_page_title(&c, page_title));
    }
    free(pl);

    const nstat *bs = stat_of(&c, bnode);
    mark_chrome(&c, bnode, 0, bs ? bs->text : 0);
    xmlNode *article = find_body(&c, bnode);
    render(&c, &body, article, 0);
    if (filter_lines(&body.out, doc, &text)) goto oom;
    text.len = rpt_fold_fullwidth(text.data, text.len);
    text.data[text.len] = '\0';
    doc->text_chars = rpt_utf8_chars(text.data, text.len);
    doc->replaced_chars = (long)count_replacements(text.data, text.len);
    doc->text_len = text.len;
    doc->text = rpt_buf_steal(&text);
    doc->charset = strdup(cs.name);
    doc->format = strdup("html");
    if (!doc->charset || !doc->format) goto oom;
    rc = 0;
    goto out;
oom:
    rpt_buf_puts(err, "out of memory while decoding HTML");
out:
    (void)chars;
    (void)replaced;
    free(page_title);
    free(c.st);
    if (hdoc) xmlFreeDoc(hdoc);
    rpt_buf_clear(&utf8);
    rpt_buf_clear(&text);
    rpt_buf_clear(&page.out);
    rpt_buf_clear(&body.out);
    return rc;
}
