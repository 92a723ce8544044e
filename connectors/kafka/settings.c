#include "connectors/kafka/settings.h"

#include <librdkafka/rdkafka.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const rpt_opt rpt_kafka_opts[] = {
    {"bootstrap.servers", RPT_OPT_STRING, "127.0.0.1:9092", 0, 0,
     offsetof(rpt_kafka_settings, bootstrap_servers), 0, "Kafka bootstrap servers (host:port,...)"},
    {"topic.raw", RPT_OPT_STRING, "reports.raw", 0, 0, offsetof(rpt_kafka_settings, topic_raw), 0,
     "topic of fetched documents"},
    {"topic.parsed", RPT_OPT_STRING, "reports.parsed", 0, 0,
     offsetof(rpt_kafka_settings, topic_parsed), 0, "topic of extracted documents"},
    {"topic.dlq", RPT_OPT_STRING, "reports.dlq", 0, 0, offsetof(rpt_kafka_settings, topic_dlq), 0,
     "dead-letter topic"},
    {"group.transform", RPT_OPT_STRING, "reportd-transform", 0, 0,
     offsetof(rpt_kafka_settings, group_transform), 0, "consumer group of the transform role"},
    {"group.load", RPT_OPT_STRING, "reportd-load", 0, 0, offsetof(rpt_kafka_settings, group_load),
     0, "consumer group of the load role"},
    {"session.timeout.ms", RPT_OPT_INT, "10000", 1000, 3600000,
     offsetof(rpt_kafka_settings, session_timeout_ms), 0, "consumer session timeout"},
    {"librdkafka", RPT_OPT_KV, NULL, 0, 0, offsetof(rpt_kafka_settings, librdkafka), 0,
     "extra librdkafka properties (security.protocol, sasl.*, ssl.*), passed verbatim"},
    {"librdkafka_secret_files", RPT_OPT_KV, NULL, 0, 0,
     offsetof(rpt_kafka_settings, librdkafka_secret_files), 0,
     "secret librdkafka properties read from files (first line), e.g. "
     "{\"sasl.password\": \"/run/credentials/reportd.service/kafka\"}; masked in output"},
    RPT_OPT_END};

int rpt_kafka_key_is_secret(const char *key)
{
    /* passwords, SASL credentials, OAuth client secrets, and private key material given
     * inline (ssl.key.pem, or the ssl_key PEM blob) rather than as a file path */
    return strstr(key, "password") || strstr(key, "secret") || strncmp(key, "sasl.", 5) == 0 ||
           strcmp(key, "ssl.key.pem") == 0 || strcmp(key, "ssl_key") == 0 ||
           strcmp(key, "ssl.keystore.pem") == 0;
}


/* librdkafka's reading of a boolean: 1 true, 0 false, -1 neither. */
static int conf_bool(const char *v)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "t") || !strcmp(v, "1")) return 1;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "f") || !strcmp(v, "0")) return 0;
    return -1;
}

/* A property a user may not set to anything but `required` (NULL: not at all), with the
 * reason. Aliases librdkafka accepts for the same property are listed as their own rows. */
typedef struct refused_prop {
    const char *key;
    const char *required;
    const char *why;
} refused_prop;

static const refused_prop refused[] = {
    {"enable.idempotence", "true", "producers must be idempotent (no duplicates or reordering "
                                   "on retries)"},
    {"acks", "all", "idempotent producers need every in-sync replica to acknowledge"},
    {"request.required.acks", "all", "idempotent producers need every in-sync replica to "
                                     "acknowledge"},
    {"enable.auto.commit", "false", "offsets are committed only after the batch is delivered "
                                    "or written"},
    {"auto.commit.enable", "false", "offsets are committed only after the batch is delivered "
                                    "or written"},
    {"enable.auto.offset.store", "false", "offsets are stored only after the batch is "
                                          "delivered or written"},
    {"transactional.id", NULL, "reportd does not use Kafka transactions: exactly-once comes from "
                               "offsets stored in PostgreSQL"},
    {"bootstrap.servers", NULL, "set kafka.bootstrap.servers instead"},
    {"metadata.broker.list", NULL, "set kafka.bootstrap.servers instead"},
    {"group.id", NULL, "set kafka.group.transform or kafka.group.load instead"},
    {"enable.partition.eof", NULL, "reportd sets it per consumer (replay ranges)"},
};

/* The value of key in the pass-through list, or NULL. */
static const char *prop(const rpt_kafka_settings *ks, const char *key)
{
    for (size_t i = 0; i < ks->librdkafka.n; i++)
        if (strcmp(ks->librdkafka.keys[i], key) == 0) return ks->librdkafka.vals[i];
    return NULL;
}

/* A property's value as a byte count, or -1 when absent; -2 when not a number. */
static long long prop_ll(const rpt_kafka_settings *ks, const char *key)
{
    const char *v = prop(ks, key);
    if (!v) return -1;
    char *end;
    long long n = strtoll(v, &end, 10);
    return end == v || *end ? -2 : n;
}

static int check_refused(const rpt_kafka_settings *ks, rpt_buf *err)
{
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        const refused_prop *r = &refused[i];
        const char *v = prop(ks, r->key);
        if (!v) continue;
        int ok = 0;
        if (r->required && !strcmp(r->required, "all"))
            ok = !strcasecmp(v, "all") || !strcmp(v, "-1");
        else if (r->required)
            ok = conf_bool(v) == conf_bool(r->required);
        if (ok) continue;
        if (r->required)
            rpt_buf_printf(err, "kafka.librdkafka.%s: must be %s (got \"%s\"): %s", r->key,
                           r->required, v, r->why);
        else
            rpt_buf_printf(err, "kafka.librdkafka.%s: may not be set: %s", r->key, r->why);
        return -1;
    }
    const char *strategy = prop(ks, "partition.assignment.strategy");
    if (strategy && strstr(strategy, "cooperative")) {
        rpt_buf_printf(err,
                       "kafka.librdkafka.partition.assignment.strategy: \"%s\" is refused: the "
                       "loader's rebalance handling needs an eager strategy (range, roundrobin)",
                       strategy);
        return -1;
    }
    return 0;
}

/* Every property through librdkafka's own validation, so a typo is a config error rather
 * than a role that fails to start. Secret values are never echoed. */
static int check_known(const rpt_kafka_settings *ks, rpt_buf *err)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    int rc = 0;
    for (size_t i = 0; i < ks->librdkafka.n && !rc; i++) {
        char errstr[512];
        const char *k = ks->librdkafka.keys[i];
        if (rd_kafka_conf_set(conf, k, ks->librdkafka.vals[i], errstr, sizeof errstr) ==
            RD_KAFKA_CONF_OK)
            continue;
        if (rpt_kafka_key_is_secret(k))
            rpt_buf_printf(err, "kafka.librdkafka.%s: not accepted by librdkafka", k);
        else
            rpt_buf_printf(err, "kafka.librdkafka.%s: %s", k, errstr);
        rc = -1;
    }
    rd_kafka_conf_destroy(conf);
    return rc;
}

static int check_sizes(rpt_kafka_settings *ks, long long max_payload_bytes, rpt_buf *err)
{
    long long need = max_payload_bytes + RPT_KAFKA_HEADER_ROOM;
    if (need > RPT_KAFKA_MESSAGE_MAX_LIMIT) {
        rpt_buf_printf(err,
                       "fetch.max_body_bytes: %lld bytes plus %lld of header room exceed the "
                       "largest Kafka message librdkafka can send (%lld)",
                       max_payload_bytes, RPT_KAFKA_HEADER_ROOM, RPT_KAFKA_MESSAGE_MAX_LIMIT);
        return -1;
    }
    static const char *const at_least[] = {"message.max.bytes", "fetch.max.bytes"};
    for (size_t i = 0; i < 2; i++) {
        long long v = prop_ll(ks, at_least[i]);
        if (v == -1 || v >= need) continue;
        rpt_buf_printf(err,
                       "kafka.librdkafka.%s: %s is smaller than the largest message reportd "
                       "produces, %lld bytes (fetch.max_body_bytes %lld + %lld of header room): "
                       "raise it or lower fetch.max_body_bytes",
                       at_least[i], prop(ks, at_least[i]), need, max_payload_bytes,
                       RPT_KAFKA_HEADER_ROOM);
        return -1;
    }
    long long fetch = prop_ll(ks, "fetch.max.bytes"), recv = prop_ll(ks, "receive.message.max.bytes");
    if (recv >= 0) {
        long long want = (fetch >= 0 ? fetch : need > 52428800LL ? need : 52428800LL) + 512;
        if (recv < want) {
            rpt_buf_printf(err,
                           "kafka.librdkafka.receive.message.max.bytes: %lld is smaller than "
                           "fetch.max.bytes + 512 (%lld): consumers could not read the largest "
                           "message",
                           recv, want);
            return -1;
        }
    }
    ks->max_message_bytes = need;
    return 0;
}

int rpt_kafka_settings_check(rpt_kafka_settings *ks, long long max_payload_bytes, rpt_buf *err)
{
    if (check_known(ks, err) || check_refused(ks, err)) return -1;
    return check_sizes(ks, max_payload_bytes, err);
}
