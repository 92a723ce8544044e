/* robots.txt: the rules of the group that applies to reportd (its own group, or "*"),
 * matched as RFC 9309 says: the longest matching rule wins, Allow wins a tie, '*' matches
 * any run of characters and a trailing '$' anchors the end. */
#ifndef REPORTD_CONNECTORS_HTTP_ROBOTS_H
#define REPORTD_CONNECTORS_HTTP_ROBOTS_H

#include <stddef.h>

typedef struct rpt_robots rpt_robots;

/* Bounds on the work a robots.txt can cause. Bytes past MAX_BYTES are ignored (RFC 9309
 * allows a 500 KiB floor); runs of '*' count as one; a longer pattern is cut to
 * MAX_PATTERN bytes when it disallows and dropped when it allows (both err towards not
 * fetching); rules past MAX_RULES are dropped. Matching is linear in pattern + path. */
#define RPT_ROBOTS_MAX_BYTES (512 * 1024)
#define RPT_ROBOTS_MAX_PATTERN 2048
#define RPT_ROBOTS_MAX_RULES 10000
enum {
    RPT_ROBOTS_LIMIT_BYTES = 1,   /* the body was cut */
    RPT_ROBOTS_LIMIT_PATTERN = 2, /* a pattern was cut or dropped */
    RPT_ROBOTS_LIMIT_RULES = 4    /* rules were dropped */
};

/* Parses a robots.txt body for the product token `agent` ("reportd"). Never fails on
 * content (unknown lines are skipped); NULL only on ENOMEM. Caller frees. */
rpt_robots *rpt_robots_parse(const char *text, size_t len, const char *agent);
/* True when `path` (path and query, starting with '/') may be fetched. NULL allows all. */
int rpt_robots_allowed(const rpt_robots *r, const char *path);
/* The RPT_ROBOTS_LIMIT_* bits hit while parsing r (0 for NULL), for a log line and metric. */
unsigned rpt_robots_limits(const rpt_robots *r);
void rpt_robots_free(rpt_robots *r);

#endif
