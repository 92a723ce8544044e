#include "connectors/kafka/conf.h"

#include "common/log.h"

/* Routes librdkafka's own log lines (syslog levels) into reportd's log, one logfmt line each,
 * instead of its default "%3|..." lines on stderr. Called from librdkafka's threads. */
static void kafka_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    rpt_log_level l = level <= 3 ? RPT_LOG_ERROR : level == 4 ? RPT_LOG_WARN
                   : level <= 6 ? RPT_LOG_INFO : RPT_LOG_DEBUG;
    if (!rpt_log_enabled(l)) return;
    rpt_log(l, "kafka", buf, "client=%s facility=%s", rk ? rd_kafka_name(rk) : "-", fac ? fac : "-");
}

void rpt_kafka_conf_route_logs(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, kafka_log);
}

int rpt_kafka_conf_put(rd_kafka_conf_t *conf, const char *key, const char *val, rpt_buf *err)
{
    char errstr[512];
    if (rd_kafka_conf_set(conf, key, val, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        rpt_buf_printf(err, "kafka property %s: %s", key, errstr);
        return -1;
    }
    return 0;
}
