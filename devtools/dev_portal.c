/* reportd-dev portal: serves a folder of reports as a county government portal would, for
 * the quick start, the tests and the crawl benchmark. Listens on 127.0.0.1 only and prints
 * its base URL ("http://127.0.0.1:PORT") on the first line of stdout.
 *
 *   /jyj/index.html, /jyj/index_N.html   listing pages (newest first, --per-page items)
 *   /jyj/art/STEM.html | STEM.gbk.html   article pages (UTF-8, or GBK for every other one)
 *   /jyj/att/FILE                        attachments (.docx, .pdf and .doc files of the folder)
 *   /rss.xml /sitemap.xml /sitemap_index.xml /api/list?page=N /robots.txt
 * Misbehaviour for tests, under /bad/:
 *   status/CODE            that status (429 and 503 with Retry-After: 1)
 *   flaky/CODE/K/ID        CODE for the first K requests of ID, then 200
 *   slow/MS/ID             a 2 KB page dripped 16 bytes every MS milliseconds
 *   truncated/ID           Content-Length larger than what is sent, then close
 *   redirect-loop/N        redirects forever; redirect/N/ID: N redirects, then 200
 *   redirect-to?url=U      one redirect to U
 *   big/BYTES              a page of BYTES bytes
 *   counter/ID             content that changes on every request
 *   headers                the request's User-Agent and Accept-Encoding, as text
 *   list?l=PATH&l=PATH...  a listing page linking to the given paths
 *   retry-after/VALUE      503 with that Retry-After (e.g. 99999999999999999999)
 *   gzip-bomb/MB           gzip Content-Encoding inflating to MB MiB of zeros
 *   bad-headers            200 with an ETag and a Last-Modified that are not UTF-8
 *   laughs.xml             a sitemap with nested internal-DTD entities (billion laughs)
 *   wrong-type             binary bytes served as text/html
 * The folder is rescanned when its mtime changes (a report added) or on SIGHUP; article
 * files are read on each request, so an edited report is served changed. --log FILE
 * records "start MS PATH" per request and "end MS PATH" when a response's last byte is
 * handed to the socket (MS: monotonic milliseconds), for politeness tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/fs.h"
#include "common/buf.h"
#include "common/hash.h"
#include "common/log.h"
#include "devtools/devtools.h"
#include "pipeline/config.h"
#include "devtools/dev_portal/catalog.h"
#include "devtools/dev_portal/pages.h"

#define MAX_FILE (64u << 20)
#define DEFAULT_ROBOTS "User-agent: *\nDisallow: /private/\n"

static volatile sig_atomic_t g_stop, g_rescan;

typedef struct portal {
    char *dir;
    size_t per_page;
    char base[64];
    rpt_portal_catalog cat;
    pthread_rwlock_t lock;
    FILE *log;
    pthread_mutex_t log_lock;
    pthread_mutex_t counters_lock;
    rpt_buf counters; /* "ID\tN\n" lines for flaky and counter endpoints */
} portal;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_event(portal *p, const char *what, const char *path)
{
    if (!p->log) return;
    pthread_mutex_lock(&p->log_lock);
    fprintf(p->log, "%s %lld %s\n", what, now_ms(), path);
    fflush(p->log);
    pthread_mutex_unlock(&p->log_lock);
}

/* Increments and returns the request count of `id`. */
static long bump(portal *p, const char *id)
{
    pthread_mutex_lock(&p->counters_lock);
    long n = 0;
    char *hit = NULL;
    size_t idlen = strlen(id);
    for (char *s = p->counters.data; s && *s;) {
        char *nl = strchr(s, '\n');
        if (!strncmp(s, id, idlen) && s[idlen] == '\t') {
            hit = s;
            break;
        }
        s = nl ? nl + 1 : s + strlen(s);
    }
    if (hit) {
        n = strtol(hit + idlen + 1, NULL, 10) + 1;
        /* rewrite in place: counts are padded to 10 digits */
        char num[32];
        snprintf(num, sizeof num, "%010ld", n);
        memcpy(hit + idlen + 1, num, 10);
    } else {
        n = 1;
        rpt_buf_printf(&p->counters, "%s\t%010ld\n", id, n);
    }
    pthread_mutex_unlock(&p->counters_lock);
    return n;
}

/* Body for a response that logs its end when the last byte is produced. */
typedef struct stream {
    portal *p;
    char *path;
    char *data;
    size_t len;
    size_t chunk;   /* bytes per call (0: all) */
    int delay_ms;   /* between chunks */
    size_t fail_at; /* truncate: stop with an error after this many bytes (0: never) */
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (s->fail_at && pos >= s->fail_at) return MHD_CONTENT_READER_END_WITH_ERROR;
    if (pos >= s->len) return MHD_CONTENT_READER_END_OF_STREAM;
    if (s->delay_ms && pos > 0) usleep((useconds_t)s->delay_ms * 1000);
    size_t n = s->len - (size_t)pos;
    if (s->chunk && n > s->chunk) n = s->chunk;
    if (n > max) n = max;
    if (s->fail_at && pos + n > s->fail_at) n = s->fail_at - (size_t)pos;
    memcpy(buf, s->data + pos, n);
    if (pos + n >= s->len) log_event(s->p, "end", s->path);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *s = cls;
    free(s->path);
    free(s->data);
    free(s);
}

/* Queues `body` (taken over) with status and content type. */
static enum MHD_Result send_body(portal *p, struct MHD_Connection *c, const char *path,
                                 unsigned status, const char *ctype, char *body, size_t len,
                                 int delay_ms, size_t chunk, size_t declared)
{
    stream *s = calloc(1, sizeof *s);
    if (!s) {
        free(body);
        return MHD_NO;
    }
    s->p = p;
    s->path = strdup(path);
    s->data = body;
    s->len = len;
    s->delay_ms = delay_ms;
    s->chunk = chunk;
    uint64_t size = len;
    if (declared > len) {
        s->fail_at = len;
        s->len = declared; /* what the header promises */
        size = declared;
        char *grown = realloc(s->data, declared);
        if (grown) {
            s->data = grown;
            memset(s->data + len, ' ', declared - len);
        }
    }
    if (len == 0) log_event(p, "end", path);
    struct MHD_Response *r =
        MHD_create_response_from_callback(size, 4096, stream_read, s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    if (ctype) MHD_add_response_header(r, "Content-Type", ctype);
    if (status == 429 || status == 503) MHD_add_response_header(r, "Retry-After", "1");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_text(portal *p, struct MHD_Connection *c, const char *path,
                                 unsigned status, const char *ctype, const char *text)
{
    char *copy = strdup(text);
    return copy ? send_body(p, c, path, status, ctype, copy, strlen(copy), 0, 0, 0) : MHD_NO;
}

static enum MHD_Result send_buf(portal *p, struct MHD_Connection *c, const char *path,
                                unsigned status, const char *ctype, rpt_buf *b)
{
    size_t len = b->len;
    char *data = rpt_buf_steal(b);
    if (!data) data = strdup("");
    return send_body(p, c, path, status, ctype, data, len, 0, 0, 0);
}

static enum MHD_Result redirect(portal *p, struct MHD_Connection *c, const char *path,
                                const char *location)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Location", location);
    log_event(p, "end", path);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
    MHD_destroy_response(r);
    return ret;
}

/* Converts UTF-8 to GBK (characters GBK lacks become '?'). Caller frees. */
static char *to_gbk(const char *in, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1) return NULL;
    size_t cap = len * 2 + 16, left = cap;
    char *out = malloc(cap), *o = out;
    char *i = (char *)in;
    size_t ileft = len;
    while (out && ileft > 0) {
        if (iconv(cd, &i, &ileft, &o, &left) == (size_t)-1) {
            if (errno == EILSEQ || errno == EINVAL) {
                /* skip one UTF-8 sequence */
                unsigned char ch = (unsigned char)*i;
                size_t skip = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc0 ? 2 : 1;
                if (skip > ileft) skip = ileft;
                i += skip;
                ileft -= skip;
                if (left) {
                    *o++ = '?';
                    left--;
                }
            } else {
                break;
            }
        }
    }
    iconv_close(cd);
    if (out) *out_len = cap - left;
    return out;
}

/* Answers 304 when the request's validators match; else adds them to the response. */
static int not_modified(struct MHD_Connection *c, const char *etag, const char *lm)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
    if (inm) return strcmp(inm, etag) == 0;
    if (ims) return strcmp(ims, lm) == 0;
    return 0;
}

static enum MHD_Result send_versioned(portal *p, struct MHD_Connection *c, const char *path,
                                      const char *ctype, char *body, size_t len, time_t mtime)
{
    char sha[65], etag[24], lm[64];
    rpt_sha256_hex(body, len, sha);
    snprintf(etag, sizeof etag, "\"%.16s\"", sha);
    struct tm tm;
    gmtime_r(&mtime, &tm);
    strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    struct MHD_Response *r;
    unsigned status = MHD_HTTP_OK;
    if (not_modified(c, etag, lm)) {
        free(body);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_MODIFIED;
        log_event(p, "end", path);
    } else {
        stream *s = calloc(1, sizeof *s);
        if (!s) {
            free(body);
            return MHD_NO;
        }
        s->p = p;
        s->path = strdup(path);
        s->data = body;
        s->len = len;
        if (len == 0) log_event(p, "end", path);
        r = MHD_create_response_from_callback(len, 16384, stream_read, s, stream_free);
        if (!r) stream_free(s);
    }
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Last-Modified", lm);
    if (status == MHD_HTTP_OK) MHD_add_response_header(r, "Content-Type", ctype);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void refresh(portal *p)
{
    pthread_rwlock_rdlock(&p->lock);
    int stale = g_rescan || rpt_portal_catalog_stale(&p->cat);
    pthread_rwlock_unlock(&p->lock);
    if (!stale) return;
    pthread_rwlock_wrlock(&p->lock);
    if (g_rescan || rpt_portal_catalog_stale(&p->cat)) {
        g_rescan = 0;
        if (rpt_portal_catalog_scan(&p->cat, p->dir))
            rpt_log_error("dev-portal", "cannot scan folder", "dir=%s error=\"%s\"", p->dir,
                         strerror(errno));
    }
    pthread_rwlock_unlock(&p->lock);
}

static enum MHD_Result serve_article(portal *p, struct MHD_Connection *c, const char *path,
                                     const char *file)
{
    char stem[512];
    size_t n = strlen(file);
    int gbk = 0;
    if (n > 9 && !strcmp(file + n - 9, ".gbk.html")) {
        gbk = 1;
        n -= 9;
    } else if (n > 5 && !strcmp(file + n - 5, ".html")) {
        n -= 5;
    } else {
        return send_text(p, c, path, 404, "text/plain", "not found\n");
    }
    if (n >= sizeof stem) return send_text(p, c, path, 404, "text/plain", "not found\n");
    memcpy(stem, file, n);
    stem[n] = '\0';
    pthread_rwlock_rdlock(&p->lock);
    const rpt_portal_article *a = rpt_portal_catalog_find(&p->cat, stem);
    char *apath = a ? strdup(a->path) : NULL;
    rpt_portal_article copy;
    if (a) copy = *a;
    rpt_buf page = RPT_BUF_INIT;
    size_t len = 0;
    char *text = apath ? rpt_read_file(apath, MAX_FILE, &len) : NULL;
    struct stat st;
    time_t mtime = apath && stat(apath, &st) == 0 ? st.st_mtime : 0;
    if (text && a->is_html) {
        rpt_buf_append(&page, text, len);
    } else if (text) {
        rpt_portal_article_page(&copy, text, len, gbk, &page);
    }
    pthread_rwlock_unlock(&p->lock);
    free(text);
    free(apath);
    if (!page.data) {
        rpt_buf_clear(&page);
        return send_text(p, c, path, 404, "text/html; charset=utf-8", "<p>页面不存在</p>\n");
    }
    if (gbk) {
        size_t glen = 0;
        char *g = to_gbk(page.data, page.len, &glen);
        rpt_buf_clear(&page);
        if (!g) return send_text(p, c, path, 500, "text/plain", "iconv failed\n");
        return send_versioned(p, c, path, "text/html; charset=GBK", g, glen, mtime);
    }
    size_t plen = page.len;
    return send_versioned(p, c, path, "text/html; charset=utf-8", rpt_buf_steal(&page), plen, mtime);
}

/* The Content-Type of an attachment by its extension. */
static const char *attachment_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strcasecmp(dot, ".pdf")) return "application/pdf";
    if (dot && !strcasecmp(dot, ".doc")) return "application/msword";
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
}

static enum MHD_Result serve_file(portal *p, struct MHD_Connection *c, const char *path,
                                  const char *name, const char *ctype)
{
    if (strstr(name, "..") || strchr(name, '/'))
        return send_text(p, c, path, 404, "text/plain", "not found\n");
    rpt_buf fp = RPT_BUF_INIT;
    rpt_buf_printf(&fp, "%s/%s", p->dir, name);
    size_t len = 0;
    char *data = rpt_read_file(fp.data, MAX_FILE, &len);
    struct stat st;
    time_t mtime = stat(fp.data, &st) == 0 ? st.st_mtime : 0;
    rpt_buf_clear(&fp);
    if (!data) return send_text(p, c, path, 404, "text/plain", "not found\n");
    return send_versioned(p, c, path, ctype, data, len, mtime);
}

typedef struct list_ctx {
    rpt_buf *out;
    int i;
} list_ctx;

static enum MHD_Result add_list_link(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    list_ctx *l = cls;
    if (strcmp(key, "l") || !value) return MHD_YES;
    rpt_buf_printf(l->out, "<li><a href=\"%s\">工作总结 %d</a></li>\n", value, ++l->i);
    return MHD_YES;
}

/* Queues body (taken over, len bytes) with status and extra "Name", "value" header pairs
 * (NULL-terminated). */
static enum MHD_Result send_with_headers(struct MHD_Connection *c, unsigned status, char *body,
                                         size_t len, const char *const *headers)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    for (size_t i = 0; headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* gzip of mb MiB of zeros (caller frees); NULL on failure. */
static char *gzip_zeros(int mb, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    static unsigned char zeros[1 << 16];
    size_t cap = ((size_t)mb << 20) / 64 + 4096, out = 0;
    unsigned char *buf = malloc(cap);
    int rc = Z_OK;
    for (long long left = (long long)mb << 20; buf && rc == Z_OK;) {
        size_t n = left > (long long)sizeof zeros ? sizeof zeros : (size_t)left;
        left -= (long long)n;
        z.next_in = zeros;
        z.avail_in = (uInt)n;
        z.next_out = buf + out;
        z.avail_out = (uInt)(cap - out);
        rc = deflate(&z, left ? Z_NO_FLUSH : Z_FINISH);
        out = cap - z.avail_out;
        if (rc == Z_STREAM_END) break;
        if (z.avail_out == 0) rc = Z_BUF_ERROR;
    }
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return NULL;
    }
    *len = out;
    return (char *)buf;
}

static const char laughs_xml[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [\n"
    " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<url><loc>/jyj/art/&d;.html</loc></url></urlset>\n";

/* The hostile routes added for the fault-injection tests; MHD_NO + *handled = 0 when rest
 * is none of them. */
static enum MHD_Result serve_hostile(struct MHD_Connection *c, const char *rest, int *handled)
{
    char value[128];
    int mb = 0;
    *handled = 1;
    if (sscanf(rest, "retry-after/%127s", value) == 1) {
        const char *h[] = {"Retry-After", value, "Content-Type", "text/plain", NULL};
        return send_with_headers(c, 503, strdup("busy\n"), 5, h);
    }
    if (sscanf(rest, "gzip-bomb/%d", &mb) == 1 && mb > 0 && mb <= 4096) {
        size_t len = 0;
        char *body = gzip_zeros(mb, &len);
        if (!body) return MHD_NO;
        const char *h[] = {"Content-Encoding", "gzip", "Content-Type", "text/html", NULL};
        return send_with_headers(c, 200, body, len, h);
    }
    if (!strcmp(rest, "bad-headers")) {
        const char *h[] = {"ETag", "\"\xff\xfe\"", "Last-Modified",
                           "Mon, 01 Jan 2024 00:00:00 \xff\xc3", "Content-Type",
                           "text/html; charset=utf-8", NULL};
        const char *html = "<html><body><h1>工作总结 bad headers</h1><p>全年新增学位1200个。</p>"
                           "</body></html>\n";
        return send_with_headers(c, 200, strdup(html), strlen(html), h);
    }
    if (!strcmp(rest, "laughs.xml")) {
        const char *h[] = {"Content-Type", "application/xml", NULL};
        return send_with_headers(c, 200, strdup(laughs_xml), strlen(laughs_xml), h);
    }
    if (!strcmp(rest, "wrong-type")) {
        size_t len = 4096;
        char *body = malloc(len);
        if (!body) return MHD_NO;
        for (size_t i = 0; i < len; i++)
            body[i] = (char)((i * 2654435761u) >> 13);
        memcpy(body, "\x89PNG\r\n\x1a\n", 8);
        const char *h[] = {"Content-Type", "text/html; charset=utf-8", NULL};
        return send_with_headers(c, 200, body, len, h);
    }
    *handled = 0;
    return MHD_NO;
}

static enum MHD_Result serve_bad(portal *p, struct MHD_Connection *c, const char *path,
                                 const char *rest)
{
    int handled = 0;
    enum MHD_Result hr = serve_hostile(c, rest, &handled);
    if (handled) return hr;
    char id[256] = "";
    int code = 0, k = 0, ms = 0;
    long long bytes = 0;
    if (sscanf(rest, "status/%d", &code) == 1 && code >= 100 && code < 600)
        return send_text(p, c, path, (unsigned)code, "text/html; charset=utf-8",
                         "<p>status page</p>\n");
    if (sscanf(rest, "flaky/%d/%d/%255s", &code, &k, id) == 3 && code >= 100 && code < 600) {
        if (bump(p, path) <= k)
            return send_text(p, c, path, (unsigned)code, "text/plain", "try again later\n");
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_printf(
            &b, "<html><body><h1>工作总结 %s</h1><p>flaky page served</p></body></html>\n", id);
        return send_buf(p, c, path, 200, "text/html; charset=utf-8", &b);
    }
    if (sscanf(rest, "slow/%d/%255s", &ms, id) == 2 && ms >= 0) {
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_puts(&b, "<html><body><h1>工作总结 slow</h1><p>");
        while (b.len < 2048)
            rpt_buf_puts(&b, "教育工作稳步推进。");
        rpt_buf_puts(&b, "</p></body></html>\n");
        size_t len = b.len;
        return send_body(p, c, path, 200, "text/html; charset=utf-8", rpt_buf_steal(&b), len, ms, 16,
                         0);
    }
    if (sscanf(rest, "truncated/%255s", id) == 1) {
        char *body = strdup("<html><body><h1>工作总结 truncated</h1><p>");
        return send_body(p, c, path, 200, "text/html; charset=utf-8", body, strlen(body), 0, 0,
                         10000);
    }
    if (sscanf(rest, "redirect-loop/%d", &k) == 1) {
        char loc[64];
        snprintf(loc, sizeof loc, "/bad/redirect-loop/%d", k + 1);
        return redirect(p, c, path, loc);
    }
    if (sscanf(rest, "redirect/%d/%255s", &k, id) == 2) {
        if (k <= 0) {
            rpt_buf b = RPT_BUF_INIT;
            rpt_buf_printf(
                &b, "<html><body><h1>工作总结 %s</h1><p>after redirects</p></body></html>\n", id);
            return send_buf(p, c, path, 200, "text/html; charset=utf-8", &b);
        }
        char loc[400];
        snprintf(loc, sizeof loc, "/bad/redirect/%d/%s", k - 1, id);
        return redirect(p, c, path, loc);
    }
    if (!strcmp(rest, "redirect-to")) {
        const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "url");
        return to ? redirect(p, c, path, to) : send_text(p, c, path, 400, "text/plain", "url?\n");
    }
    if (sscanf(rest, "big/%lld", &bytes) == 1 && bytes >= 0 && bytes <= (1ll << 30)) {
        char *body = malloc((size_t)bytes + 1);
        if (!body) return MHD_NO;
        memset(body, 'x', (size_t)bytes);
        return send_body(p, c, path, 200, "text/html", body, (size_t)bytes, 0, 0, 0);
    }
    if (sscanf(rest, "counter/%255s", id) == 1) {
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_printf(&b, "<html><body><h1>工作总结 %s</h1><p>version %ld</p></body></html>\n", id,
                      bump(p, path));
        return send_buf(p, c, path, 200, "text/html; charset=utf-8", &b);
    }
    if (!strcmp(rest, "headers")) {
        const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
        const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_printf(&b, "User-Agent: %s\nAccept-Encoding: %s\n", ua ? ua : "", ae ? ae : "");
        return send_buf(p, c, path, 200, "text/plain", &b);
    }
    if (!strcmp(rest, "list")) {
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_puts(&b, "<html><head><meta charset=\"utf-8\"></head><body><ul class=\"list\">\n");
        list_ctx l = {.out = &b};
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_list_link, &l);
        rpt_buf_puts(&b, "</ul></body></html>\n");
        return send_buf(p, c, path, 200, "text/html; charset=utf-8", &b);
    }
    return send_text(p, c, path, 404, "text/plain", "unknown misbehaviour\n");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    portal *p = cls;
    (void)version;
    (void)upload;
    static int first_call_marker;
    if (!*con_cls) { /* headers only: answer on the next call, so MHD keeps the connection */
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_size) { /* a body nobody asked for: discard it */
        *upload_size = 0;
        return MHD_YES;
    }
    log_event(p, "start", url);
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_text(p, c, url, 405, "text/plain", "method not allowed\n");
    refresh(p);
    size_t page = 0;
    char extra;
    if (!strcmp(url, "/robots.txt")) {
        rpt_buf fp = RPT_BUF_INIT;
        rpt_buf_printf(&fp, "%s/robots.txt", p->dir);
        size_t len = 0;
        char *data = rpt_read_file(fp.data, MAX_FILE, &len);
        rpt_buf_clear(&fp);
        if (data) return send_body(p, c, url, 200, "text/plain", data, len, 0, 0, 0);
        return send_text(p, c, url, 200, "text/plain", DEFAULT_ROBOTS);
    }
    if (!strcmp(url, "/jyj/index.html") || !strcmp(url, "/jyj/") ||
        (sscanf(url, "/jyj/index_%zu.htm%c", &page, &extra) == 2 && extra == 'l' && page > 0)) {
        rpt_buf b = RPT_BUF_INIT;
        pthread_rwlock_rdlock(&p->lock);
        int rc = rpt_portal_listing(&p->cat, page, p->per_page, &b);
        pthread_rwlock_unlock(&p->lock);
        if (rc) {
            rpt_buf_clear(&b);
            return send_text(p, c, url, 404, "text/html; charset=utf-8", "<p>页面不存在</p>\n");
        }
        return send_buf(p, c, url, 200, "text/html; charset=utf-8", &b);
    }
    if (!strncmp(url, "/jyj/art/", 9)) return serve_article(p, c, url, url + 9);
    if (!strncmp(url, "/jyj/att/", 9))
        return serve_file(p, c, url, url + 9, attachment_type(url + 9));
    if (!strcmp(url, "/rss.xml") || !strcmp(url, "/sitemap.xml") || !strcmp(url, "/api/list")) {
        rpt_buf b = RPT_BUF_INIT;
        const char *ctype = "application/xml";
        pthread_rwlock_rdlock(&p->lock);
        if (url[1] == 'r') {
            rpt_portal_rss(&p->cat, p->base, &b);
            ctype = "application/rss+xml";
        } else if (url[1] == 's') {
            rpt_portal_sitemap(&p->cat, p->base, &b);
        } else {
            const char *pg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
            rpt_portal_api_list(&p->cat, pg ? strtoul(pg, NULL, 10) : 1, p->per_page, &b);
            ctype = "application/json";
        }
        pthread_rwlock_unlock(&p->lock);
        return send_buf(p, c, url, 200, ctype, &b);
    }
    if (!strcmp(url, "/sitemap_index.xml")) {
        rpt_buf b = RPT_BUF_INIT;
        pthread_rwlock_rdlock(&p->lock);
        rpt_portal_sitemap_index(p->base, &b);
        pthread_rwlock_unlock(&p->lock);
        return send_buf(p, c, url, 200, "application/xml", &b);
    }
    if (!strncmp(url, "/private/", 9))
        return send_text(p, c, url, 200, "text/html; charset=utf-8",
                         "<h1>工作总结（内部）</h1><p>robots.txt keeps crawlers out</p>\n");
    if (!strncmp(url, "/bad/", 5)) return serve_bad(p, c, url, url + 5);
    return send_text(p, c, url, 404, "text/html; charset=utf-8", "<p>页面不存在</p>\n");
}

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        g_rescan = 1;
    else
        g_stop = 1;
}

static int run_dev_portal(int argc, char **argv)
{
    static const struct option longopts[] = {{"dir", required_argument, NULL, 'd'},
                                             {"port", required_argument, NULL, 'p'},
                                             {"per-page", required_argument, NULL, 'n'},
                                             {"log", required_argument, NULL, 'l'},
                                             {NULL, 0, NULL, 0}};
    const char *dir = NULL, *log_path = NULL;
    long port = 0, per_page = 20;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:p:n:l:", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'd':
            dir = optarg;
            break;
        case 'l':
            log_path = optarg;
            break;
        case 'p':
            port = strtol(optarg, &end, 10);
            if (*end || port < 0 || port > 65535) goto usage;
            break;
        case 'n':
            per_page = strtol(optarg, &end, 10);
            if (*end || per_page < 1 || per_page > 100000) goto usage;
            break;
        default:
            goto usage;
        }
    }
    if (!dir || optind < argc) goto usage;
    portal p;
    memset(&p, 0, sizeof p);
    p.dir = (char *)dir;
    p.per_page = (size_t)per_page;
    pthread_rwlock_init(&p.lock, NULL);
    pthread_mutex_init(&p.log_lock, NULL);
    pthread_mutex_init(&p.counters_lock, NULL);
    if (rpt_portal_catalog_scan(&p.cat, dir)) {
        fprintf(stderr, "reportd-dev portal: %s: %s\n", dir, strerror(errno));
        return RPT_EXIT_USAGE;
    }
    if (log_path && !(p.log = fopen(log_path, "a"))) {
        fprintf(stderr, "reportd-dev portal: %s: %s\n", log_path, strerror(errno));
        rpt_portal_catalog_clear(&p.cat);
        return RPT_EXIT_USAGE;
    }
    size_t articles = p.cat.n; /* read before the connection threads may rescan */
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, handle, &p, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "reportd-dev portal: cannot listen on 127.0.0.1:%ld\n", port);
        rpt_portal_catalog_clear(&p.cat);
        if (p.log) fclose(p.log);
        return RPT_EXIT_FAILURE;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    /* the connection threads already run: they read the base under the lock */
    pthread_rwlock_wrlock(&p.lock);
    snprintf(p.base, sizeof p.base, "http://127.0.0.1:%u", info ? info->port : (unsigned)port);
    pthread_rwlock_unlock(&p.lock);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("%s\n", p.base);
    fflush(stdout);
    rpt_log_info("dev-portal", "serving", "dir=%s url=%s articles=%zu", dir, p.base, articles);
    while (!g_stop)
        usleep(100000);
    MHD_stop_daemon(d);
    rpt_portal_catalog_clear(&p.cat);
    rpt_buf_clear(&p.counters);
    if (p.log) fclose(p.log);
    pthread_rwlock_destroy(&p.lock);
    return RPT_EXIT_OK;
usage:
    fputs(rpt_devcmd_portal.usage, stderr);
    return RPT_EXIT_USAGE;
}

const rpt_command rpt_devcmd_portal = {
    .name = "portal",
    .summary = "serve a folder of reports as a government portal would",
    .usage = "usage: reportd-dev portal --dir DIR [--port N] [--per-page N] [--log FILE]\n"
             "\n"
             "Serves the .txt/.html reports (and .docx/.pdf/.doc attachments) of DIR on 127.0.0.1 as a\n"
             "county portal: /jyj/index.html (paginated), article pages in UTF-8 or GBK,\n"
             "/rss.xml, /sitemap.xml, /api/list?page=N, /robots.txt, and misbehaving URLs\n"
             "under /bad/ for tests. Prints its base URL on the first line of stdout.\n"
             "Adding a file to DIR shows up at once; SIGHUP forces a rescan.\n"
             "\n"
             "  --port N       port (default 0: any free port)\n"
             "  --per-page N   articles per listing page (default 20)\n"
             "  --log FILE     append \"start|end MS PATH\" per request\n",
    .run = run_dev_portal,
};
