/* reportd dev-portal: serve a folder of reports as a government portal would. Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_dev_portal(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd dev-portal: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_dev_portal = {
    .name = "dev-portal",
    .summary = "serve a folder of reports as a government portal would",
    .usage = "usage: reportd dev-portal\n",
    .run = run_dev_portal,
};
