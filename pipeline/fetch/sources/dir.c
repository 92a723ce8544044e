/* dir: a local folder (backfills, air-gapped drops). Every regular file under `path`
 * (hidden files skipped) is a document identified by its file:// URL; new and changed files
 * are produced. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pipeline/config.h"
#include "common/fs.h"
#include "pipeline/fetch/crawl.h"

#define MAX_DEPTH 8

typedef struct dir_settings {
    rpt_source_common common;
    char *path;
} dir_settings;

static const rpt_opt dir_opts[] = {{"path", RPT_OPT_STRING, NULL, 0, 0, offsetof(dir_settings, path),
                                   RPT_OPT_REQUIRED, "folder to read documents from (recursively)"},
                                  RPT_OPT_END};

static int validate(const void *settings, const char **key, rpt_buf *reason)
{
    const dir_settings *s = settings;
    if (s->common.url) {
        *key = "url";
        rpt_buf_puts(reason, "not used by kind dir (use path)");
        return -1;
    }
    if (!*s->path) {
        *key = "path";
        rpt_buf_puts(reason, "must not be empty");
        return -1;
    }
    return 0;
}

static const char *content_type_of(const char *name)
{
    static const char *const map[][2] = {
        {".html", "text/html"},
        {".htm", "text/html"},
        {".shtml", "text/html"},
        {".txt", "text/plain"},
        {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {".doc", "application/msword"},
        {".pdf", "application/pdf"},
        {".wps", "application/vnd.ms-works"},
        {".xml", "application/xml"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof *map; i++)
        if (!strcasecmp(dot, map[i][0])) return map[i][1];
    return "application/octet-stream";
}

/* file:// URL of an absolute path, percent-encoding what is not a plain URL character. */
static void file_url(rpt_buf *b, const char *abs)
{
    static const char hex[] = "0123456789ABCDEF";
    rpt_buf_puts(b, "file://");
    for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p)) {
            rpt_buf_putc(b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            rpt_buf_append(b, e, 3);
        }
    }
}

static void read_one(rpt_crawl *c, const char *path, const char *name)
{
    size_t max = (size_t)rpt_crawl_fetch_settings(c)->max_body_bytes, len = 0;
    char abs[PATH_MAX];
    if (!realpath(path, abs)) snprintf(abs, sizeof abs, "%s", path);
    rpt_buf id = RPT_BUF_INIT;
    file_url(&id, abs);
    char *data = rpt_read_file(path, max, &len);
    if (!data) {
        char why[300];
        snprintf(why, sizeof why, "%s",
                 errno == EFBIG ? "file larger than max_body_bytes" : strerror(errno));
        rpt_crawl_fail(c, id.data, why);
    } else {
        rpt_crawl_add_file(c, id.data, content_type_of(name), (const unsigned char *)data, len);
    }
    free(data);
    rpt_buf_clear(&id);
}

static void walk(rpt_crawl *c, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        rpt_crawl_fail(c, dir, strerror(errno));
        return;
    }
    struct dirent **names = NULL;
    closedir(d);
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.') {
            rpt_buf path = RPT_BUF_INIT;
            rpt_buf_printf(&path, "%s/%s", dir, name);
            struct stat st;
            if (stat(path.data, &st) == 0) {
                if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
                    walk(c, path.data, depth + 1);
                else if (S_ISREG(st.st_mode))
                    read_one(c, path.data, name);
            }
            rpt_buf_clear(&path);
        }
        free(names[i]);
    }
    free(names);
}

static int start(rpt_crawl *c)
{
    const dir_settings *s = rpt_crawl_source(c)->settings;
    rpt_crawl_count_page(c);
    walk(c, s->path, 0);
    return 0;
}

const rpt_source_kind rpt_source_dir = {
    .name = "dir",
    .doc = "a local folder of documents",
    .opts = dir_opts,
    .settings_size = sizeof(dir_settings),
    .needs_url = 0,
    .validate = validate,
    .start = start,
};
