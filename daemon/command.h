/* Subcommands of the reportd binary. Each lives in its own daemon/cmd_*.c and registers one
 * rd_command; main() dispatches by name. Exit codes: 0 ok, 1 runtime failure, 2 usage or
 * config error. */
#ifndef REPORTD_DAEMON_COMMAND_H
#define REPORTD_DAEMON_COMMAND_H

#include <stdio.h>

enum { RD_EXIT_OK = 0, RD_EXIT_FAILURE = 1, RD_EXIT_USAGE = 2 };

typedef struct rd_command {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(int argc, char **argv);
} rd_command;

extern const rd_command rd_cmd_extract;
extern const rd_command rd_cmd_dev_broker;
extern const rd_command rd_cmd_dev_portal;
extern const rd_command rd_cmd_fetch;
extern const rd_command rd_cmd_migrate;
extern const rd_command rd_cmd_replay;
extern const rd_command rd_cmd_run;
extern const rd_command rd_cmd_check_config;

/* NULL-terminated list of every command, in --help order. */
extern const rd_command *const rd_commands[];

/* True when argv holds -h or --help; prints cmd->usage to stdout. */
int rd_command_wants_help(const rd_command *cmd, int argc, char **argv);

#endif
