/* robots.txt: the rules of the group that applies to reportd (its own group, or "*"),
 * matched as RFC 9309 says: the longest matching rule wins, Allow wins a tie, '*' matches
 * any run of characters and a trailing '$' anchors the end. */
#ifndef REPORTD_CONNECTORS_HTTP_ROBOTS_H
#define REPORTD_CONNECTORS_HTTP_ROBOTS_H

#include <stddef.h>

typedef struct rpt_robots rpt_robots;

/* Parses a robots.txt body for the product token `agent` ("reportd"). Never fails on
 * content (unknown lines are skipped); NULL only on ENOMEM. Caller frees. */
rpt_robots *rpt_robots_parse(const char *text, size_t len, const char *agent);
/* True when `path` (path and query, starting with '/') may be fetched. NULL allows all. */
int rpt_robots_allowed(const rpt_robots *r, const char *path);
void rpt_robots_free(rpt_robots *r);

#endif
