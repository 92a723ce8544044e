#include "daemon/http_endpoint.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/metrics.h"

struct rpt_http_endpoint {
    struct MHD_Daemon *daemon;
    rpt_readiness_fn ready;
    void *ready_arg;
    int port;
};

int rpt_http_parse_listen(const char *listen, char **host, int *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || !colon[1]) return -1;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535) return -1;
    const char *h = listen;
    size_t hlen = (size_t)(colon - listen);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    } else if (memchr(h, ':', hlen)) {
        return -1; /* a bare IPv6 address needs brackets */
    }
    if (hlen == 0 || (hlen == 1 && *h == '*')) {
        h = "0.0.0.0";
        hlen = 7;
    }
    *host = strndup(h, hlen);
    if (!*host) return -1;
    *port = (int)p;
    return 0;
}

/* Resident set size of this process in bytes, from /proc/self/statm (0 when unknown). */
static double resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : 0;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
                             const char *content_type, rpt_buf *body)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        body->len, body->data ? body->data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* One request: answers from the registry or the readiness callback; no request body kept. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_state)
{
    (void)version;
    (void)upload;
    rpt_http_endpoint *ep = cls;
    static int first_call_marker;
    if (*req_state == NULL) { /* headers only so far; answer on the next call */
        *req_state = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_size) { /* ignore any body */
        *upload_size = 0;
        return MHD_YES;
    }
    rpt_buf body = RPT_BUF_INIT;
    enum MHD_Result rc;
    const char *text = "text/plain; charset=utf-8";
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        rpt_buf_puts(&body, "method not allowed\n");
        rc = reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, text, &body);
    } else if (strcmp(url, "/metrics") == 0) {
        rpt_metrics_set("process_resident_memory_bytes", NULL, resident_bytes());
        rpt_metrics_render(&body);
        rc = reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", &body);
    } else if (strcmp(url, "/healthz") == 0) {
        rpt_buf_puts(&body, "ok\n");
        rc = reply(conn, MHD_HTTP_OK, text, &body);
    } else if (strcmp(url, "/readyz") == 0) {
        rpt_buf why = RPT_BUF_INIT;
        int ok = ep->ready ? ep->ready(ep->ready_arg, &why) : 1;
        if (ok) {
            rpt_buf_puts(&body, "ready\n");
        } else {
            rpt_buf_printf(&body, "not ready: %s\n", why.data ? why.data : "starting");
        }
        rpt_buf_clear(&why);
        rc = reply(conn, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, text, &body);
    } else {
        rpt_buf_puts(&body, "not found: try /metrics, /healthz or /readyz\n");
        rc = reply(conn, MHD_HTTP_NOT_FOUND, text, &body);
    }
    rpt_buf_clear(&body);
    return rc;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    rpt_log_warn("http", "endpoint error", "detail=\"%s\"", msg);
}

rpt_http_endpoint *rpt_http_endpoint_start(const char *listen, rpt_readiness_fn ready, void *arg,
                                         rpt_buf *err)
{
    char *host = NULL;
    int port = 0;
    struct addrinfo *ai = NULL;
    rpt_http_endpoint *ep = NULL;
    if (rpt_http_parse_listen(listen, &host, &port)) {
        rpt_buf_printf(err, "http.listen: expected HOST:PORT, got \"%s\"", listen);
        goto fail;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    int gai = getaddrinfo(host, portbuf, &hints, &ai);
    if (gai) {
        rpt_buf_printf(err, "http.listen: cannot resolve \"%s\": %s", host, gai_strerror(gai));
        goto fail;
    }
    ep = calloc(1, sizeof *ep);
    if (!ep) goto fail;
    ep->ready = ready;
    ep->ready_arg = arg;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    ep->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, ep, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error,
        NULL, MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    if (!ep->daemon) {
        rpt_buf_printf(err, "http.listen: cannot listen on %s (address in use or not local?)",
                      listen);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(ep->daemon, MHD_DAEMON_INFO_BIND_PORT);
    ep->port = info ? info->port : port;
    rpt_metrics_declare("process_resident_memory_bytes", RPT_METRIC_GAUGE,
                       "Resident memory size in bytes.");
    freeaddrinfo(ai);
    free(host);
    return ep;
fail:
    if (ai) freeaddrinfo(ai);
    free(host);
    free(ep);
    return NULL;
}

int rpt_http_endpoint_port(const rpt_http_endpoint *ep)
{
    return ep->port;
}

void rpt_http_endpoint_stop(rpt_http_endpoint *ep)
{
    if (!ep) return;
    MHD_stop_daemon(ep->daemon);
    free(ep);
}
