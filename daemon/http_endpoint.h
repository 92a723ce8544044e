/* The observability endpoint (libmicrohttpd, its own thread): GET /metrics renders the
 * metrics registry in Prometheus text format, /healthz answers 200 while the process is
 * alive, /readyz answers 200 when the readiness callback says so and 503 with the reason
 * otherwise. Anything else is 404; methods other than GET and HEAD are 405. */
#ifndef REPORTD_DAEMON_HTTP_ENDPOINT_H
#define REPORTD_DAEMON_HTTP_ENDPOINT_H

#include "common/buf.h"

typedef struct rpt_http_endpoint rpt_http_endpoint;

/* Returns 1 when ready; otherwise 0 with a one-line reason appended to `why`. Called from
 * the endpoint's thread: it must be thread-safe and must not block. */
typedef int (*rpt_readiness_fn)(void *arg, rpt_buf *why);

/* Starts listening on `listen` ("HOST:PORT", "[V6]:PORT"; port 0 picks a free one). Returns
 * the endpoint (free it with rpt_http_endpoint_stop) or NULL with the reason in err. */
rpt_http_endpoint *rpt_http_endpoint_start(const char *listen, rpt_readiness_fn ready, void *arg,
                                         rpt_buf *err);
/* The TCP port actually bound. */
int rpt_http_endpoint_port(const rpt_http_endpoint *ep);
void rpt_http_endpoint_stop(rpt_http_endpoint *ep);

/* Splits "HOST:PORT" / "[V6]:PORT" into host (caller frees) and port. Returns 0 or -1. */
int rpt_http_parse_listen(const char *listen, char **host, int *port);

#endif
