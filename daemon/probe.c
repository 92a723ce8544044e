#include "daemon/probe.h"

#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/kafka/client.h"
#include "daemon/freshness.h"

/* Appends the first line of `msg` (libpq and librdkafka messages may span lines). */
static void put_line(rpt_buf *why, const char *prefix, const char *msg)
{
    rpt_buf_puts(why, prefix);
    size_t n = strcspn(msg, "\n");
    for (size_t i = 0; i < n; i++) /* reasons end up inside quoted log values */
        rpt_buf_putc(why, msg[i] == '"' ? '\'' : msg[i]);
}

int rpt_probe_postgres(const rpt_config *cfg, int timeout_s, rpt_buf *why)
{
    char *conninfo = rpt_config_pg_conninfo(cfg);
    if (!conninfo) {
        rpt_buf_puts(why, "postgres: out of memory");
        return -1;
    }
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", timeout_s);
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {conninfo, timeout, "reportd-probe", NULL};
    /* expand_dbname=1: the first dbname is a full conninfo; later keys fill what it lacks. */
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    memset(conninfo, 0, strlen(conninfo));
    free(conninfo);
    int rc = -1;
    if (!c) {
        rpt_buf_puts(why, "postgres: out of memory");
        return -1;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        put_line(why, "postgres unreachable: ", PQerrorMessage(c));
        goto done;
    }
    PGresult *r = PQexec(c, "SELECT 1");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        rc = 0;
    else
        put_line(why, "postgres: ", PQerrorMessage(c));
    PQclear(r);
    if (rc == 0) rpt_freshness_update(c, 0); /* per-source freshness gauges, rate-limited */
done:
    PQfinish(c);
    return rc;
}

struct rpt_kafka_probe {
    rd_kafka_t *rk;
    char *servers; /* bootstrap.servers rk was made for */
};

rpt_kafka_probe *rpt_kafka_probe_new(void)
{
    return calloc(1, sizeof(rpt_kafka_probe));
}

void rpt_kafka_probe_free(rpt_kafka_probe *p)
{
    if (!p) return;
    if (p->rk) rd_kafka_destroy(p->rk);
    free(p->servers);
    free(p);
}

int rpt_kafka_probe_check(rpt_kafka_probe *p, const rpt_config *cfg, int timeout_s, rpt_buf *why)
{
    const char *servers = cfg->kafka.bootstrap_servers ? cfg->kafka.bootstrap_servers : "";
    if (p->rk && strcmp(p->servers, servers) != 0) {
        rd_kafka_destroy(p->rk);
        p->rk = NULL;
    }
    if (!p->rk) {
        rpt_buf err = RPT_BUF_INIT;
        rpt_kafka_client_spec spec = {.kind = RPT_KAFKA_PROBE, .client_id = "reportd-probe"};
        p->rk = rpt_kafka_client_new(&cfg->kafka, &spec, &err);
        if (!p->rk) {
            put_line(why, "kafka: ", err.data ? err.data : "cannot create a client");
            rpt_buf_clear(&err);
            return -1;
        }
        rpt_buf_clear(&err);
        free(p->servers);
        p->servers = strdup(servers);
        if (!p->servers) {
            rd_kafka_destroy(p->rk);
            p->rk = NULL;
            rpt_buf_puts(why, "kafka: out of memory");
            return -1;
        }
    }
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(p->rk, 0, NULL, &md, timeout_s * 1000);
    if (err) {
        rpt_buf_printf(why, "kafka unreachable (%s): ", servers);
        put_line(why, "", rd_kafka_err2str(err));
        return -1;
    }
    int brokers = md->broker_cnt;
    rd_kafka_metadata_destroy(md);
    if (brokers <= 0) {
        rpt_buf_printf(why, "kafka (%s): no brokers in metadata", servers);
        return -1;
    }
    return 0;
}
