/* Subcommands of the reportd binary. Each lives in its own daemon/cmd_*.c and registers one
 * rpt_command; main() dispatches by name. Exit codes: 0 ok, 1 runtime failure, 2 usage or
 * config error. */
#ifndef REPORTD_DAEMON_COMMAND_H
#define REPORTD_DAEMON_COMMAND_H

#include <stdio.h>

enum { RPT_EXIT_OK = 0, RPT_EXIT_FAILURE = 1, RPT_EXIT_USAGE = 2 };

typedef struct rpt_command {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(int argc, char **argv);
} rpt_command;

extern const rpt_command rpt_cmd_extract;
extern const rpt_command rpt_cmd_fetch;
extern const rpt_command rpt_cmd_migrate;
extern const rpt_command rpt_cmd_replay;
extern const rpt_command rpt_cmd_run;
extern const rpt_command rpt_cmd_check_config;

/* NULL-terminated list of every command, in --help order. */
extern const rpt_command *const rpt_commands[];

/* True when argv holds -h or --help; prints cmd->usage to stdout. */
int rpt_command_wants_help(const rpt_command *cmd, int argc, char **argv);

#endif
