/* reportd run: the long-running service. Hosts the fetch, transform and load roles on
 * threads (all of them by default, any subset with --role) under daemon/runtime.c. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "pipeline/fetch/sources/source.h"
#include "daemon/command.h"
#include "daemon/runtime.h"

static int run_run(int argc, char **argv)
{
    /* Hold SIGTERM/SIGINT/SIGHUP from the first instruction: a stop requested while the
     * config loads is then a drain once the runtime waits for signals, not a kill. */
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &held, NULL);
    const char *config_path = rpt_config_path_from_env();
    const char *roles_arg = NULL, *instance_arg = NULL;
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"role", required_argument, NULL, 'r'},
                                             {"instance", required_argument, NULL, 'i'},
                                             {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:r:i:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            config_path = optarg;
            break;
        case 'r':
            roles_arg = optarg;
            break;
        case 'i':
            instance_arg = optarg;
            break;
        default:
            fputs(rpt_cmd_run.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reportd run: unexpected argument '%s'\n%s", argv[optind],
                rpt_cmd_run.usage);
        return RPT_EXIT_USAGE;
    }
    const rpt_role_def all[] = {
        {.name = "fetch", .run = rpt_role_fetch, .needs_postgres = 1},
        {.name = "transform", .run = rpt_role_transform, .needs_postgres = 0},
        {.name = "load", .run = rpt_role_load, .needs_postgres = 1},
    };
    rpt_role_def selected[3];
    rpt_runtime_opts opts = {.roles = selected, .instance = 0, .instances = 1};
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_runtime_select_roles(roles_arg, all, 3, selected, &opts.n_roles, &err) ||
        (instance_arg &&
         rpt_runtime_parse_instance(instance_arg, &opts.instance, &opts.instances, &err))) {
        fprintf(stderr, "reportd run: %s\n", err.data ? err.data : "invalid arguments");
        rpt_buf_clear(&err);
        return RPT_EXIT_USAGE;
    }
    rpt_config cfg;
    if (rpt_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "reportd run: %s\n", err.data ? err.data : "invalid config");
        rpt_buf_clear(&err);
        return RPT_EXIT_USAGE;
    }
    rpt_source *sources = NULL;
    size_t n_sources = 0;
    if (rpt_sources_load(&cfg, &sources, &n_sources, &err)) {
        fprintf(stderr, "reportd run: %s\n", err.data ? err.data : "invalid source");
        rpt_buf_clear(&err);
        rpt_config_clear(&cfg);
        return RPT_EXIT_USAGE;
    }
    rpt_sources_free(sources, n_sources);
    rpt_buf_clear(&err);
    signal(SIGPIPE, SIG_IGN);
    rpt_log_info("runtime", "starting", "version=%s config=%s sources=%zu", REPORTD_VERSION,
                config_path ? config_path : "(defaults)", cfg.sources ? cfg.sources->n : 0);
    return rpt_runtime_run(&opts, &cfg);
}

const rpt_command rpt_cmd_run = {
    .name = "run",
    .summary = "run the daemon (fetch, transform and load roles)",
    .usage = "usage: reportd run [--config FILE] [--role fetch,transform,load] [--instance I/N]\n"
             "\n"
             "Runs the pipeline as a service until SIGTERM or SIGINT (which drain: in-flight\n"
             "batches are finished and committed within runtime.shutdown_grace_s). SIGHUP\n"
             "re-reads the config file; an invalid file is logged and the old config kept.\n"
             "\n"
             "  --config FILE     JSON config (default: $REPORTD_CONFIG, else built-in defaults;\n"
             "                    REPORTD_<SECTION>_<KEY> environment variables override keys)\n"
             "  --role LIST       roles to host, comma-separated (default: all three)\n"
             "  --instance I/N    this fetcher handles the sources whose name hashes to I mod N\n"
             "\n"
             "Serves /metrics, /healthz and /readyz on http.listen (default 127.0.0.1:9464).\n"
             "Under systemd (Type=notify) it reports READY=1 once Postgres and Kafka answer,\n"
             "STATUS= lines, STOPPING=1 and WATCHDOG=1 when WatchdogSec= is set.\n"
             "exit codes: 0 clean stop, 1 runtime failure, 2 usage or config error\n",
    .run = run_run,
};
