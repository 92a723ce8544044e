/* Structured logging: one logfmt (or JSON) line per event on stderr.
 *
 *   rpt_log_info("fetch", "fetched", "url=%s status=%d", url, status);
 *
 * The third argument is a short message; the format string adds key=value fields. */
#ifndef REPORTD_COMMON_LOG_H
#define REPORTD_COMMON_LOG_H

#include "common/buf.h"

typedef enum { RPT_LOG_DEBUG = 0, RPT_LOG_INFO, RPT_LOG_WARN, RPT_LOG_ERROR, RPT_LOG_OFF } rpt_log_level;

void rpt_log_set_level(rpt_log_level level);
/* Parses "debug" | "info" | "warn" | "error" | "off"; returns -1 for anything else. */
int rpt_log_level_parse(const char *s, rpt_log_level *out);
/* "logfmt" (default) or "json"; returns -1 for anything else. */
int rpt_log_set_format(const char *fmt);
int rpt_log_enabled(rpt_log_level level);

void rpt_log(rpt_log_level level, const char *component, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends s to out with the credentials of every URL in it masked (user:***@host,
 * ***@host). rpt_log applies it to every line; also for text stored in tables. */
void rpt_mask_url_credentials(rpt_buf *out, const char *s);

#define rpt_log_debug(c, m, ...) rpt_log(RPT_LOG_DEBUG, c, m, __VA_ARGS__)
#define rpt_log_info(c, m, ...) rpt_log(RPT_LOG_INFO, c, m, __VA_ARGS__)
#define rpt_log_warn(c, m, ...) rpt_log(RPT_LOG_WARN, c, m, __VA_ARGS__)
#define rpt_log_error(c, m, ...) rpt_log(RPT_LOG_ERROR, c, m, __VA_ARGS__)

#endif
