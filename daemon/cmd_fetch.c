/* reportd fetch: one pass over the configured sources (--once), printing a summary per
 * source, or the fetch role alone as a service. */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "connectors/fetch_role.h"
#include "daemon/command.h"
#include "daemon/runtime.h"

static atomic_int g_stop;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&g_stop, 1);
}

/* Prints "source=NAME pages=N new=N changed=N unchanged=N failed=N" per source. */
static void print_summary(const rd_fetch_summary *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rd_crawl_counts *k = &s[i].counts;
        printf("source=%s pages=%ld new=%ld changed=%ld unchanged=%ld failed=%ld", s[i].source,
               k->pages, k->new_docs, k->changed, k->unchanged, k->failed);
        if (s[i].error) printf(" error=\"%s\"", s[i].error);
        putchar('\n');
    }
    fflush(stdout);
}

static int run_fetch(int argc, char **argv)
{
    const char *config_path = rd_config_path_from_env(), *instance_arg = NULL;
    int once = 0;
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"once", no_argument, NULL, 'o'},
                                             {"instance", required_argument, NULL, 'i'},
                                             {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:oi:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            config_path = optarg;
            break;
        case 'o':
            once = 1;
            break;
        case 'i':
            instance_arg = optarg;
            break;
        default:
            fputs(rd_cmd_fetch.usage, stderr);
            return RD_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reportd fetch: unexpected argument '%s'\n%s", argv[optind],
                rd_cmd_fetch.usage);
        return RD_EXIT_USAGE;
    }
    int instance = 0, instances = 1;
    rd_buf err = RD_BUF_INIT;
    if (instance_arg && rd_runtime_parse_instance(instance_arg, &instance, &instances, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "invalid --instance");
        rd_buf_free(&err);
        return RD_EXIT_USAGE;
    }
    rd_config cfg;
    if (rd_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "invalid config");
        rd_buf_free(&err);
        return RD_EXIT_USAGE;
    }
    rd_log_level lvl;
    if (rd_log_level_parse(cfg.log.level, &lvl) == 0) rd_log_set_level(lvl);
    rd_log_set_format(cfg.log.format);
    signal(SIGPIPE, SIG_IGN);
    if (!once) {
        const rd_role_def role = {.name = "fetch", .run = rd_role_fetch, .needs_postgres = 1};
        rd_runtime_opts opts = {
            .roles = &role, .n_roles = 1, .instance = instance, .instances = instances};
        rd_buf_free(&err);
        return rd_runtime_run(&opts, &cfg);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rd_fetch_summary *sum = NULL;
    size_t n = 0;
    int rc = RD_EXIT_OK;
    if (rd_fetch_once(&cfg, instance, instances, &g_stop, &sum, &n, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "cannot run");
        rc = err.data && strstr(err.data, "sources[") ? RD_EXIT_USAGE : RD_EXIT_FAILURE;
    } else {
        print_summary(sum, n);
    }
    rd_fetch_summaries_free(sum, n);
    rd_config_free(&cfg);
    rd_buf_free(&err);
    return rc;
}

const rd_command rd_cmd_fetch = {
    .name = "fetch",
    .summary = "one pass (or a loop) over the configured sources",
    .usage = "usage: reportd fetch [--config FILE] [--once] [--instance I/N]\n"
             "\n"
             "Discovers new and changed documents of the configured sources and produces them to\n"
             "kafka.topic.raw, keeping per-URL state in reports.fetch_state (PostgreSQL).\n"
             "\n"
             "  --config FILE   JSON config (default: $REPORTD_CONFIG)\n"
             "  --once          one pass over every source, then exit, printing per source:\n"
             "                  source=NAME pages=N new=N changed=N unchanged=N failed=N\n"
             "                  (exit 0 when the pass ran, even if some fetches failed; 1 when\n"
             "                  Kafka or PostgreSQL cannot be used; 2 for a config error)\n"
             "  --instance I/N  handle only the sources whose name hashes to I mod N\n"
             "\n"
             "Without --once, runs the fetch role as a service until SIGTERM/SIGINT; SIGHUP\n"
             "re-reads the config.\n",
    .run = run_fetch,
};
