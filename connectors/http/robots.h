/* robots.txt: the rules of the group that applies to reportd (its own group, or "*"),
 * matched as RFC 9309 says: the longest matching rule wins, Allow wins a tie, '*' matches
 * any run of characters and a trailing '$' anchors the end. */
#ifndef REPORTD_CONNECTORS_HTTP_ROBOTS_H
#define REPORTD_CONNECTORS_HTTP_ROBOTS_H

#include <stddef.h>

typedef struct rd_robots rd_robots;

/* Parses a robots.txt body for the product token `agent` ("reportd"). Never fails on
 * content (unknown lines are skipped); NULL only on ENOMEM. Caller frees. */
rd_robots *rd_robots_parse(const char *text, size_t len, const char *agent);
/* True when `path` (path and query, starting with '/') may be fetched. NULL allows all. */
int rd_robots_allowed(const rd_robots *r, const char *path);
void rd_robots_free(rd_robots *r);

#endif
