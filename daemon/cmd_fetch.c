/* reportd fetch: one pass over the configured sources (--once), printing a summary per
 * source, or the fetch role alone as a service. */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "pipeline/fetch/fetch.h"
#include "daemon/command.h"
#include "daemon/runtime.h"

static atomic_int g_stop;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&g_stop, 1);
}

/* Prints "source=NAME pages=N new=N changed=N unchanged=N failed=N" per source. */
static void print_summary(const rpt_fetch_summary *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rpt_crawl_counts *k = &s[i].counts;
        printf("source=%s pages=%ld new=%ld changed=%ld unchanged=%ld failed=%ld", s[i].source,
               k->pages, k->new_docs, k->changed, k->unchanged, k->failed);
        if (s[i].error) printf(" error=\"%s\"", s[i].error);
        putchar('\n');
    }
    fflush(stdout);
}

static int run_fetch(int argc, char **argv)
{
    const char *config_path = rpt_config_path_from_env(), *instance_arg = NULL;
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
            fputs(rpt_cmd_fetch.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reportd fetch: unexpected argument '%s'\n%s", argv[optind],
                rpt_cmd_fetch.usage);
        return RPT_EXIT_USAGE;
    }
    int instance = 0, instances = 1;
    rpt_buf err = RPT_BUF_INIT;
    if (instance_arg && rpt_runtime_parse_instance(instance_arg, &instance, &instances, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "invalid --instance");
        rpt_buf_clear(&err);
        return RPT_EXIT_USAGE;
    }
    rpt_config cfg;
    if (rpt_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "invalid config");
        rpt_buf_clear(&err);
        return RPT_EXIT_USAGE;
    }
    rpt_log_level lvl;
    if (rpt_log_level_parse(cfg.log.level, &lvl) == 0) rpt_log_set_level(lvl);
    rpt_log_set_format(cfg.log.format);
    signal(SIGPIPE, SIG_IGN);
    if (!once) {
        const rpt_role_def role = {.name = "fetch", .run = rpt_role_fetch, .needs_postgres = 1};
        rpt_runtime_opts opts = {
            .roles = &role, .n_roles = 1, .instance = instance, .instances = instances};
        rpt_buf_clear(&err);
        return rpt_runtime_run(&opts, &cfg);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rpt_fetch_summary *sum = NULL;
    size_t n = 0;
    int rc = RPT_EXIT_OK;
    if (rpt_fetch_once(&cfg, instance, instances, &g_stop, &sum, &n, &err)) {
        fprintf(stderr, "reportd fetch: %s\n", err.data ? err.data : "cannot run");
        rc = err.data && strstr(err.data, "sources[") ? RPT_EXIT_USAGE : RPT_EXIT_FAILURE;
    } else {
        print_summary(sum, n);
    }
    rpt_fetch_summaries_free(sum, n);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
    return rc;
}

const rpt_command rpt_cmd_fetch = {
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
