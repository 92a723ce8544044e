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

/* The command line of a replay. */
typedef struct replay_args {
    const char *config_path, *topic, *from, *to, *group;
} replay_args;

/* The resolved range of a replay: offsets per partition and optional time bounds. */
typedef struct replay_range {
    rd_kafka_topic_partition_list_t *start, *end;
    long long from_ms, to_ms;
} replay_range;

/* What the stage did, for the summary line. */
typedef struct replay_summary {
    const char *noun;
    long long updated, unchanged, rejected;
} replay_summary;

/* Parses the options into a. Returns 0, or -1 after printing the usage. */
static int parse_args(int argc, char **argv, replay_args *a)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"topic", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 'u'},
        {"group", required_argument, NULL, 'g'},  {NULL, 0, NULL, 0}};
    *a = (replay_args){.config_path = getenv("REPORTD_CONFIG")};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            a->config_path = optarg;
            break;
        case 't':
            a->topic = optarg;
            break;
        case 'f':
            a->from = optarg;
            break;
        case 'u':
            a->to = optarg;
            break;
        case 'g':
            a->group = optarg;
            break;
        default:
            fputs(rpt_cmd_replay.usage, stderr);
            return -1;
        }
    }
    if (optind < argc || !a->topic || !a->from) {
        fputs(rpt_cmd_replay.usage, stderr);
        return -1;
    }
    return 0;
}

/* Loads the config and checks that the topic is one a stage consumes; sets *is_raw and the
 * log level. Returns 0, or -1 after printing the reason (cfg freed). */
static int load_config(const replay_args *a, rpt_config *cfg, int *is_raw)
{
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(cfg, a->config_path, &err)) {
        fprintf(stderr, "reportd replay: %s\n", err.data);
        rpt_buf_clear(&err);
        return -1;
    }
    *is_raw = strcmp(a->topic, cfg->kafka.topic_raw) == 0;
    if (!*is_raw && strcmp(a->topic, cfg->kafka.topic_parsed) != 0) {
        fprintf(stderr, "reportd replay: --topic: expected %s or %s, got '%s'\n",
                cfg->kafka.topic_raw, cfg->kafka.topic_parsed, a->topic);
        rpt_config_clear(cfg);
        return -1;
    }
    rpt_log_level lvl;
    if (rpt_log_level_parse(cfg->log.level, &lvl) == 0) rpt_log_set_level(lvl);
    return 0;
}

/* Resolves --from/--to against the broker. Returns RPT_EXIT_OK, RPT_EXIT_USAGE (a bad
 * range) or RPT_EXIT_FAILURE (no client), after printing the reason. */
static int resolve_range(const rpt_config *cfg, const replay_args *a, const char *group,
                         replay_range *r)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_kafka_client_spec spec = {
        .kind = RPT_KAFKA_CONSUMER, .client_id = "reportd-replay", .group = group};
    rd_kafka_t *rk = rpt_kafka_client_new(&cfg->kafka, &spec, &err);
    int rc = RPT_EXIT_FAILURE;
    if (rk) {
        rc = rpt_kafka_range_resolve(rk, a->topic, a->from, a->to, &r->start, &r->end,
                                     &r->from_ms, &r->to_ms, &err)
                 ? RPT_EXIT_USAGE
                 : RPT_EXIT_OK;
        rd_kafka_destroy(rk);
    }
    if (rc != RPT_EXIT_OK) fprintf(stderr, "reportd replay: %s\n", err.data);
    rpt_buf_clear(&err);
    return rc;
}

/* Runs the stage downstream of the topic over the range. Returns the stage's rc. */
static int run_stage(int is_raw, const rpt_stage_params *sp, replay_summary *sum)
{
    if (!is_raw) {
        rpt_load_stats st = {0};
        rpt_loader_params p = {.stage = *sp, .stats = &st};
        int rc = rpt_loader_run(&p);
        *sum = (replay_summary){"documents", st.updated, st.unchanged, st.rejected};
        return rc;
    }
    rpt_transform_stats st = {0};
    rpt_transform_params p = {.stage = *sp, .skip_unchanged = 1, .stats = &st};
    int rc = rpt_transform_run(&p);
    *sum = (replay_summary){"documents re-extracted", st.produced, st.unchanged, st.rejected};
    return rc;
}

static int run_replay(int argc, char **argv)
{
    replay_args a;
    if (parse_args(argc, argv, &a)) return RPT_EXIT_USAGE;
    rpt_config cfg;
    int is_raw;
    if (load_config(&a, &cfg, &is_raw)) return RPT_EXIT_USAGE;
    const char *group = a.group ? a.group : is_raw ? "reportd-replay-raw" : "reportd-replay";
    replay_range range = {.from_ms = -1, .to_ms = -1};
    int rc = resolve_range(&cfg, &a, group, &range);
    if (rc != RPT_EXIT_OK) {
        rpt_config_clear(&cfg);
        goto out;
    }
    rc = RPT_EXIT_FAILURE;
    rpt_config_holder *holder = rpt_config_holder_new(&cfg); /* takes cfg */
    if (!holder) {
        rpt_config_clear(&cfg);
        goto out;
    }
    rpt_role_ctl ctl = {.config = holder, .instances = 1};
    g_stop = &ctl.stop;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    progress_state ps = {.tty = isatty(STDERR_FILENO), .started = rpt_now_s(), .what = "replay"};
    rpt_stage_params sp = {.ctl = &ctl,
                           .group = group,
                           .start = range.start,
                           .end = range.end,
                           .from_ms = range.from_ms,
                           .to_ms = range.to_ms,
                           .progress = on_progress,
                           .progress_opaque = &ps};
    replay_summary sum;
    int stage_rc = run_stage(is_raw, &sp, &sum);
    g_stop = NULL;
    int interrupted = atomic_load(&ctl.stop);
    rpt_config_holder_free(holder);
    printf("replay %s: %s updated %lld, unchanged %lld, rejected %lld%s\n", a.topic, sum.noun,
           sum.updated, sum.unchanged, sum.rejected, interrupted ? " (interrupted)" : "");
    fflush(stdout);
    rc = stage_rc == 0 && !interrupted ? RPT_EXIT_OK : RPT_EXIT_FAILURE;
out:
    if (range.start) rd_kafka_topic_partition_list_destroy(range.start);
    if (range.end) rd_kafka_topic_partition_list_destroy(range.end);
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
