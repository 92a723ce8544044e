/* Structured logging: one logfmt (or JSON) line per event on stderr.
 *
 *   rd_log_info("fetch", "fetched", "url=%s status=%d", url, status);
 *
 * The third argument is a short message; the format string adds key=value fields. */
#ifndef REPORTD_COMMON_LOG_H
#define REPORTD_COMMON_LOG_H

typedef enum { RD_LOG_DEBUG = 0, RD_LOG_INFO, RD_LOG_WARN, RD_LOG_ERROR, RD_LOG_OFF } rd_log_level;

void rd_log_set_level(rd_log_level level);
/* Parses "debug" | "info" | "warn" | "error" | "off"; returns -1 for anything else. */
int rd_log_level_parse(const char *s, rd_log_level *out);
/* "logfmt" (default) or "json"; returns -1 for anything else. */
int rd_log_set_format(const char *fmt);
int rd_log_enabled(rd_log_level level);

void rd_log(rd_log_level level, const char *component, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define rd_log_debug(c, m, ...) rd_log(RD_LOG_DEBUG, c, m, __VA_ARGS__)
#define rd_log_info(c, m, ...) rd_log(RD_LOG_INFO, c, m, __VA_ARGS__)
#define rd_log_warn(c, m, ...) rd_log(RD_LOG_WARN, c, m, __VA_ARGS__)
#define rd_log_error(c, m, ...) rd_log(RD_LOG_ERROR, c, m, __VA_ARGS__)

#endif
