/* The dev-portal's view of its folder: one article per .txt or .html file (newest first),
 * .docx, .pdf and .doc files attached to the article with the same stem (or the first
 * article without one), and an
 * optional robots.txt. Rescanned when the folder's mtime changes (a file added, removed or
 * renamed; touch the folder after editing a file in place to refresh dates) or on SIGHUP. */
#ifndef REPORTD_DEVTOOLS_DEV_PORTAL_CATALOG_H
#define REPORTD_DEVTOOLS_DEV_PORTAL_CATALOG_H

#include <stddef.h>
#include <time.h>

typedef struct rpt_portal_article {
    char *stem;  /* file name without extension: the URL slug */
    char *path;  /* file path */
    char *title; /* from the text (a line that names the report) or the stem */
    int is_html; /* served as-is */
    int gbk;     /* listed with its GBK-encoded page (by a hash of the stem) */
    time_t mtime;
    char *attachment; /* file name of the .docx/.pdf/.doc attached, or NULL */
} rpt_portal_article;

typedef struct rpt_portal_catalog {
    rpt_portal_article *articles;
    size_t n;
    char **attach; /* file names of the .docx, .pdf and .doc files */
    size_t n_attach;
    size_t *by_stem; /* article indices sorted by stem (lookups) */
    char *dir;
    struct timespec dir_mtime;
} rpt_portal_catalog;

/* Scans dir into cat (previous content freed). Returns 0 or -1 (errno set). */
int rpt_portal_catalog_scan(rpt_portal_catalog *cat, const char *dir);
/* True when the folder changed since the last scan. */
int rpt_portal_catalog_stale(const rpt_portal_catalog *cat);
const rpt_portal_article *rpt_portal_catalog_find(const rpt_portal_catalog *cat, const char *stem);
void rpt_portal_catalog_clear(rpt_portal_catalog *cat);

#endif
