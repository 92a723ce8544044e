/* reportd-dev broker: an embedded Kafka broker for local runs and tests, built on
 * librdkafka's mock cluster. It listens on a real TCP port on 127.0.0.1, speaks the real
 * Kafka protocol (kcat, librdkafka clients and consumer groups work against it), creates the
 * reportd topics and stops cleanly on SIGTERM/SIGINT.
 *
 * The mock cluster binds its brokers to ephemeral ports. To honour --port, this file
 * interposes bind(): while a port is requested, the first bind of an AF_INET socket to
 * 127.0.0.1:0 gets that port instead. Nothing else in the process binds during that window. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "connectors/kafka/conf.h"
#include "devtools/devtools.h"

static volatile sig_atomic_t g_stop = 0;
static volatile sig_atomic_t g_down_req = 0, g_up_req = 0;
static volatile int g_wanted_port = 0; /* 0: no interposition */

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* SIGUSR1 takes the broker down (connections refused, as a crashed broker), SIGUSR2 brings
 * it back: tests use this to check that clients recover by themselves. */
static void on_usr(int sig)
{
    if (sig == SIGUSR1) g_down_req = 1;
    else g_up_req = 1;
}

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    static bind_fn real_bind;
    if (!real_bind) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
    if (!real_bind) {
        errno = ENOSYS;
        return -1;
    }
    if (g_wanted_port && addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in sin;
        memcpy(&sin, addr, sizeof sin);
        if (sin.sin_port == 0 && sin.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
            sin.sin_port = htons((uint16_t)g_wanted_port);
            g_wanted_port = 0;
            return real_bind(fd, (const struct sockaddr *)&sin, sizeof sin);
        }
    }
    return real_bind(fd, addr, len);
}

/* Checks that 127.0.0.1:port can be bound, so that a taken port is reported clearly:
 * librdkafka 2.0.2's mock cluster asserts (aborts) when its own bind fails. */
static int port_available(int port, char *why, size_t whylen)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(why, whylen, "socket: %s", strerror(errno));
        return 0;
    }
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = bind(fd, (const struct sockaddr *)&sin, sizeof sin) == 0;
    if (!ok) snprintf(why, whylen, "%s", strerror(errno));
    close(fd);
    return ok;
}

static const char *const topics[] = {"reports.raw", "reports.parsed", "reports.dlq"};

static int run_dev_broker(int argc, char **argv)
{
    int port = 9092, partitions = 4;
    static const struct option longopts[] = {{"port", required_argument, NULL, 'p'},
                                             {"partitions", required_argument, NULL, 'n'},
                                             {"topic", required_argument, NULL, 't'},
                                             {NULL, 0, NULL, 0}};
    const char *extra_topics[16];
    int n_extra = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'p':
            port = (int)strtol(optarg, &end, 10);
            if (*end || port < 0 || port > 65535) {
                fprintf(stderr, "reportd-dev broker: --port: expected 0..65535, got '%s'\n", optarg);
                return RPT_EXIT_USAGE;
            }
            break;
        case 'n':
            partitions = (int)strtol(optarg, &end, 10);
            if (*end || partitions < 1 || partitions > 1000) {
                fprintf(stderr, "reportd-dev broker: --partitions: expected 1..1000, got '%s'\n", optarg);
                return RPT_EXIT_USAGE;
            }
            break;
        case 't':
            if (n_extra < 16) extra_topics[n_extra++] = optarg;
            break;
        default:
            fputs(rpt_devcmd_broker.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reportd-dev broker: unexpected argument '%s'\n", argv[optind]);
        return RPT_EXIT_USAGE;
    }

    char errstr[512];
    if (port != 0 && !port_available(port, errstr, sizeof errstr)) {
        rpt_log_error("dev-broker", "cannot listen on the requested port", "port=%d error=\"%s\"",
                     port, errstr);
        return RPT_EXIT_FAILURE;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rpt_kafka_conf_route_logs(conf);
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        rpt_log_error("dev-broker", "cannot create the mock cluster's handle", "error=\"%s\"", errstr);
        return RPT_EXIT_FAILURE;
    }
    g_wanted_port = port;
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, 1);
    int unclaimed = g_wanted_port != 0;
    g_wanted_port = 0;
    if (!mc) {
        rpt_log_error("dev-broker", "cannot start the mock cluster", "port=%d error=\"%s\"", port,
                     strerror(errno));
        rd_kafka_destroy(rk);
        return RPT_EXIT_FAILURE;
    }
    const char *bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
    char wanted[32];
    snprintf(wanted, sizeof wanted, "127.0.0.1:%d", port);
    if (port != 0 && (unclaimed || strcmp(bootstraps, wanted) != 0)) {
        rpt_log_error("dev-broker", "could not listen on the requested port", "port=%d got=%s",
                     port, bootstraps);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return RPT_EXIT_FAILURE;
    }
    int rc = RPT_EXIT_OK;
    for (size_t i = 0; i < sizeof topics / sizeof *topics + (size_t)n_extra; i++) {
        const char *t = i < 3 ? topics[i] : extra_topics[i - 3];
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, t, partitions, 1);
        if (err) {
            rpt_log_error("dev-broker", "cannot create topic", "topic=%s error=\"%s\"", t,
                         rd_kafka_err2str(err));
            rc = RPT_EXIT_FAILURE;
            goto out;
        }
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction su = {.sa_handler = on_usr};
    sigemptyset(&su.sa_mask);
    sigaction(SIGUSR1, &su, NULL);
    sigaction(SIGUSR2, &su, NULL);

    printf("%s\n", bootstraps);
    fflush(stdout);
    rpt_log_info("dev-broker", "listening", "bootstrap=%s partitions=%d", bootstraps, partitions);
    while (!g_stop) {
        rd_kafka_poll(rk, 100);
        if (g_down_req) {
            g_down_req = 0;
            rd_kafka_mock_broker_set_down(mc, 1);
            rpt_log_warn("dev-broker", "broker set down (SIGUSR1)", "bootstrap=%s", bootstraps);
        }
        if (g_up_req) {
            g_up_req = 0;
            rd_kafka_mock_broker_set_up(mc, 1);
            rpt_log_info("dev-broker", "broker set up (SIGUSR2)", "bootstrap=%s", bootstraps);
        }
    }
    rpt_log_info("dev-broker", "stopping", "bootstrap=%s", bootstraps);
out:
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return rc;
}

const rpt_command rpt_devcmd_broker = {
    .name = "broker",
    .summary = "run an embedded Kafka broker for local runs and tests",
    .usage = "usage: reportd-dev broker [--port N] [--partitions N] [--topic NAME]...\n\n"
             "Starts librdkafka's mock cluster (one broker) on 127.0.0.1:PORT (default 9092;\n"
             "0 picks a free port), creates reports.raw, reports.parsed and reports.dlq (and\n"
             "any --topic) with N partitions each (default 4), prints the bootstrap address\n"
             "on stdout and runs until SIGTERM or SIGINT. SIGUSR1 takes the broker down\n"
             "(as if it crashed), SIGUSR2 brings it back up: for failure tests.\n\n"
             "Limits of the mock: each partition keeps about 5 MB (older messages are\n"
             "dropped) and data lives in memory only. It has no per-topic configuration:\n"
             "any message size is accepted (max.message.bytes is not enforced, and the\n"
             "start-up check of the topics' limit is skipped against it).\n",
    .run = run_dev_broker,
};
