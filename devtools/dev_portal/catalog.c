#include "devtools/dev_portal/catalog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "pipeline/config.h"

#define TITLE_SCAN_BYTES 4096

static const char *const title_words[] = {"总结", "计划", "报告", "要点", NULL};

/* A title from the first lines of a text: the first line naming a report, else the first
 * non-empty line; NULL when the file cannot be read. Caller frees. */
static char *title_of(const char *path, int is_html)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char buf[TITLE_SCAN_BYTES + 1];
    size_t n = fread(buf, 1, TITLE_SCAN_BYTES, f);
    fclose(f);
    buf[n] = '\0';
    if (is_html) {
        char *t = strcasestr(buf, "<title>");
        char *e = t ? strcasestr(t, "</title>") : NULL;
        return t && e ? strndup(t + 7, (size_t)(e - t - 7)) : NULL;
    }
    char *first = NULL, *save = NULL;
    for (char *line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || strlen(line) > 200) continue;
        if (!first) first = line;
        for (int i = 0; title_words[i]; i++)
            if (strstr(line, title_words[i]) && !strstr(line, ">")) return strdup(line);
    }
    return first ? strdup(first) : NULL;
}

static int by_date_desc(const void *a, const void *b)
{
    const rpt_portal_article *x = a, *y = b;
    if (x->mtime != y->mtime) return x->mtime < y->mtime ? 1 : -1;
    return strcmp(x->stem, y->stem);
}

static const rpt_portal_catalog *g_sort_cat; /* scans run under the server's lock */

static int by_stem_cmp(const void *a, const void *b)
{
    return strcmp(g_sort_cat->articles[*(const size_t *)a].stem,
                  g_sort_cat->articles[*(const size_t *)b].stem);
}

static void clear(rpt_portal_catalog *cat)
{
    for (size_t i = 0; i < cat->n; i++) {
        free(cat->articles[i].stem);
        free(cat->articles[i].path);
        free(cat->articles[i].title);
        free(cat->articles[i].attachment);
    }
    free(cat->articles);
    for (size_t i = 0; i < cat->n_attach; i++)
        free(cat->attach[i]);
    free(cat->attach);
    free(cat->by_stem);
    cat->by_stem = NULL;
    cat->articles = NULL;
    cat->attach = NULL;
    cat->n = cat->n_attach = 0;
}

int rpt_portal_catalog_scan(rpt_portal_catalog *cat, const char *dir)
{
    struct stat st;
    if (stat(dir, &st)) return -1;
    DIR *d = opendir(dir);
    if (!d) return -1;
    clear(cat);
    if (!cat->dir || strcmp(cat->dir, dir)) {
        free(cat->dir);
        cat->dir = strdup(dir);
    }
    cat->dir_mtime = st.st_mtim;
    size_t cap = 0, dcap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        const char *dot = strrchr(name, '.');
        if (name[0] == '.' || !dot) continue;
        int html = !strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm");
        int txt = !strcasecmp(dot, ".txt");
        int attach = !strcasecmp(dot, ".docx") || !strcasecmp(dot, ".pdf") ||
                     !strcasecmp(dot, ".doc");
        if (!html && !txt && !attach) continue;
        if (attach) {
            char *file = strdup(name);
            if (!file) continue;
            if (cat->n_attach == dcap) {
                dcap = dcap ? dcap * 2 : 8;
                char **g = realloc(cat->attach, dcap * sizeof *g);
                if (!g) {
                    free(file);
                    continue;
                }
                cat->attach = g;
            }
            cat->attach[cat->n_attach++] = file;
            continue;
        }
        char *stem = strndup(name, (size_t)(dot - name));
        if (!stem) continue;
        if (cat->n == cap) {
            cap = cap ? cap * 2 : 64;
            rpt_portal_article *g = realloc(cat->articles, cap * sizeof *g);
            if (!g) {
                free(stem);
                continue;
            }
            cat->articles = g;
        }
        rpt_portal_article *a = &cat->articles[cat->n];
        memset(a, 0, sizeof *a);
        rpt_buf p = RPT_BUF_INIT;
        rpt_buf_printf(&p, "%s/%s", dir, name);
        a->path = rpt_buf_steal(&p);
        a->stem = stem;
        a->is_html = html;
        struct stat fs;
        a->mtime = stat(a->path, &fs) == 0 ? fs.st_mtime : 0;
        a->title = title_of(a->path, html);
        if (!a->title) a->title = strdup(stem);
        cat->n++;
    }
    closedir(d);
    qsort(cat->articles, cat->n, sizeof *cat->articles, by_date_desc);
    cat->by_stem = malloc((cat->n ? cat->n : 1) * sizeof *cat->by_stem);
    if (!cat->by_stem) {
        clear(cat);
        return -1;
    }
    for (size_t i = 0; i < cat->n; i++)
        cat->by_stem[i] = i;
    g_sort_cat = cat;
    qsort(cat->by_stem, cat->n, sizeof *cat->by_stem, by_stem_cmp);
    for (size_t i = 0; i < cat->n; i++) {
        /* GBK for about half of the .txt articles, stable as articles come and go */
        unsigned h = 2166136261u;
        for (const char *c = cat->articles[i].stem; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        cat->articles[i].gbk = !cat->articles[i].is_html && (h & 1);
    }
    for (size_t k = 0; k < cat->n_attach && cat->n; k++) {
        const char *file = cat->attach[k];
        char *stem = strndup(file, (size_t)(strrchr(file, '.') - file));
        rpt_portal_article *owner =
            stem ? (rpt_portal_article *)rpt_portal_catalog_find(cat, stem) : NULL;
        free(stem);
        if (!owner || owner->attachment) owner = &cat->articles[0];
        if (!owner->attachment) owner->attachment = strdup(file);
    }
    return 0;
}

int rpt_portal_catalog_stale(const rpt_portal_catalog *cat)
{
    struct stat st;
    if (!cat->dir || stat(cat->dir, &st)) return 1;
    return st.st_mtim.tv_sec != cat->dir_mtime.tv_sec ||
           st.st_mtim.tv_nsec != cat->dir_mtime.tv_nsec;
}

const rpt_portal_article *rpt_portal_catalog_find(const rpt_portal_catalog *cat, const char *stem)
{
    size_t lo = 0, hi = cat->by_stem ? cat->n : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const rpt_portal_article *a = &cat->articles[cat->by_stem[mid]];
        int c = strcmp(a->stem, stem);
        if (!c) return a;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void rpt_portal_catalog_clear(rpt_portal_catalog *cat)
{
    clear(cat);
    free(cat->dir);
    memset(cat, 0, sizeof *cat);
}
