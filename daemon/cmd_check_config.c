/* reportd check-config: validate a config file and print the effective settings. Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_check_config(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd check-config: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_check_config = {
    .name = "check-config",
    .summary = "validate a config file and print the effective settings",
    .usage = "usage: reportd check-config\n",
    .run = run_check_config,
};
