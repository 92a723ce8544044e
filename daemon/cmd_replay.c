/* reportd replay: re-runs the stage downstream of a topic over a range of it. A replay of
 * reports.raw re-extracts with the current transform version and produces to
 * reports.parsed (the load role then updates the warehouse); a replay of reports.parsed
 * loads into Postgres directly. Progress on stderr, summary on stdout. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "connectors/kafka/client.h"
#include "pipeline/load.h"
#include "connectors/kafka/range.h"
#include "pipeline/transform.h"
#include "daemon/command.h"
#include "pipeline/stage.h"

static atomic_int *g_stop;

static void on_signal(int sig)
{
    (void)sig;
    if (g_stop) atomic_store(g_stop, 1);
}

typedef struct progress_state {
    int tty;
    double started, last;
    const char *what;
} progress_state;

static void fmt_eta(char *out, size_t n, double s)
{
    if (s < 0 || s > 1e7)
        snprintf(out, n, "?");
    else if (s >= 3600)
        snprintf(out, n, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
    else if (s >= 60)
        snprintf(out, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
        snprintf(out, n, "%ds", (int)s);
}

/* Progress: a bar redrawn in place on a terminal, a plain line every 2 s otherwise. */
static void on_progress(void *opaque, const rpt_stage_progress *p)
{
    progress_state *ps = opaque;
    double now = rpt_now_s();
    if (!p->finished && !ps->tty && now - ps->last < 2.0) return;
    ps->last = now;
    double elapsed = now - ps->started;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    long long left = p->total >= 0 ? p->total - p->done : -1;
    char eta[32];
    fmt_eta(eta, sizeof eta, left >= 0 && rate > 0 ? (double)left / rate : -1);
    if (ps->tty) {
        char bar[31];
        int filled = p->total > 0 ? (int)(30.0 * (double)p->done / (double)p->total) : 0;
        if (filled > 30) filled = 30;
        for (int i = 0; i < 30; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r%s [%s] %lld/%lld %.0f msg/s lag %lld ETA %s   ", ps->what, bar, p->done,
                p->total, rate, p->lag, eta);
        if (p->finished) fputc('\n', stderr);
    } else {
        fprintf(stderr, "%s: %lld/%lld messages, %.0f msg/s, lag %lld, ETA %s\n", ps->what, p->done,
                p->total, rate, p->lag, eta);
    }
    fflush(stderr);
}

static int run_replay(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"topic", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 'u'},
        {"group", required_argument, NULL, 'g'},  {NULL, 0, NULL, 0}};
    const char *config_path = getenv("REPORTD_CONFIG"), *topic = NULL, *from = NULL, *to = NULL,
               *group = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 't':
            topic = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'u':
            to = optarg;
            break;
        case 'g':
            group = optarg;
            break;
        default:
            fputs(rpt_cmd_replay.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind < argc || !topic || !from) {
        fputs(rpt_cmd_replay.usage, stderr);
        return RPT_EXIT_USAGE;
    }
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "reportd replay: %s\n", err.data);
        rpt_buf_free(&err);
        return RPT_EXIT_USAGE;
    }
    int is_raw = strcmp(topic, cfg.kafka.topic_raw) == 0;
    int is_parsed = strcmp(topic, cfg.kafka.topic_parsed) == 0;
    if (!is_raw && !is_parsed) {
        fprintf(stderr, "reportd replay: --topic: expected %s or %s, got '%s'\n",
                cfg.kafka.topic_raw, cfg.kafka.topic_parsed, topic);
        rpt_config_free(&cfg);
        rpt_buf_free(&err);
        return RPT_EXIT_USAGE;
    }
    rpt_log_level lvl;
    if (rpt_log_level_parse(cfg.log.level, &lvl) == 0) rpt_log_set_level(lvl);
    int rc = RPT_EXIT_FAILURE;
    rd_kafka_topic_partition_list_t *start = NULL, *end = NULL;
    const char *replay_group = group ? group : is_raw ? "reportd-replay-raw" : "reportd-replay";
    rpt_kafka_client_spec spec = {
        .kind = RPT_KAFKA_CONSUMER, .client_id = "reportd-replay", .group = replay_group};
    rd_kafka_t *probe = rpt_kafka_client_new(&cfg.kafka, &spec, &err);
    if (!probe) {
        fprintf(stderr, "reportd replay: %s\n", err.data);
        rpt_config_free(&cfg);
        goto out;
    }
    long long from_ms = -1, to_ms = -1;
    int resolved =
        rpt_kafka_range_resolve(probe, topic, from, to, &start, &end, &from_ms, &to_ms, &err);
    rd_kafka_destroy(probe);
    if (resolved) {
        fprintf(stderr, "reportd replay: %s\n", err.data);
        rpt_config_free(&cfg);
        rc = RPT_EXIT_USAGE;
        goto out;
    }
    rpt_config_holder *holder = rpt_config_holder_new(&cfg); /* takes cfg */
    if (!holder) {
        rpt_config_free(&cfg);
        goto out;
    }
    rpt_role_ctl ctl = {.config = holder, .instances = 1};
    g_stop = &ctl.stop;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    progress_state ps = {.tty = isatty(STDERR_FILENO), .started = rpt_now_s(), .what = "replay"};
    int stage_rc;
    long long updated, unchanged, rejected;
    const char *noun;
    if (is_parsed) {
        rpt_load_stats st = {0};
        rpt_loader_params p = {.ctl = &ctl,
                              .group = replay_group,
                              .start = start,
                              .end = end,
                              .from_ms = from_ms,
                              .to_ms = to_ms,
                              .progress = on_progress,
                              .progress_opaque = &ps,
                              .stats = &st};
        stage_rc = rpt_loader_run(&p);
        updated = st.updated, unchanged = st.unchanged, rejected = st.rejected;
        noun = "documents";
    } else {
        rpt_transform_stats st = {0};
        rpt_transform_params p = {.ctl = &ctl,
                                 .group = replay_group,
                                 .start = start,
                                 .end = end,
                                 .from_ms = from_ms,
                                 .to_ms = to_ms,
                                 .skip_unchanged = 1,
                                 .progress = on_progress,
                                 .progress_opaque = &ps,
                                 .stats = &st};
        stage_rc = rpt_transform_run(&p);
        updated = st.produced, unchanged = st.unchanged, rejected = st.rejected;
        noun = "documents re-extracted";
    }
    g_stop = NULL;
    int interrupted = atomic_load(&ctl.stop);
    rpt_config_holder_free(holder);
    printf("replay %s: %s updated %lld, unchanged %lld, rejected %lld%s\n", topic, noun, updated,
           unchanged, rejected, interrupted ? " (interrupted)" : "");
    fflush(stdout);
    rc = stage_rc == 0 && !interrupted ? RPT_EXIT_OK : RPT_EXIT_FAILURE;
out:
    if (start) rd_kafka_topic_partition_list_destroy(start);
    if (end) rd_kafka_topic_partition_list_destroy(end);
    rpt_buf_free(&err);
    return rc;
}

const rpt_command rpt_cmd_replay = {
    .name = "replay",
    .summary = "re-run a stage over a range of a Kafka topic",
    .usage = "usage: reportd replay --config FILE --topic reports.raw|reports.parsed\n"
             "                      --from earliest|TIME|PARTITION:OFFSET [--to TIME|OFFSET]\n"
             "                      [--group G]\n\n"
             "Re-runs the stage downstream of TOPIC over a range of it:\n"
             "  reports.raw     re-extracts every document with the current transform version\n"
             "                  and produces it to reports.parsed (documents whose warehouse row\n"
             "                  already has this version of the same bytes are skipped)\n"
             "  reports.parsed  loads the messages into PostgreSQL; a message older than what a\n"
             "                  document holds leaves it unchanged\n"
             "--from earliest, an RFC 3339 time (messages at or after it) or PARTITION:OFFSET\n"
             "(that partition only); --to an RFC 3339 time or an offset to stop before (default:\n"
             "the end of each partition when the replay starts). --group names the consumer group\n"
             "whose offsets the replay stores (default reportd-replay). Progress goes to stderr,\n"
             "a summary line to stdout. Exit 0 when the whole range was processed.\n"
             "REPORTD_TRANSFORM_VERSION=N sets the transform version written by a raw replay\n"
             "(default: the version built in), to force a re-derivation.\n",
    .run = run_replay,
};
