/* reportd-dev: dispatches to the developer servers (devtools/devtools.h). */
#include <stdio.h>
#include <string.h>

#include "devtools/devtools.h"

static const rpt_command *const dev_commands[] = {&rpt_devcmd_broker, &rpt_devcmd_portal, NULL};

static void print_help(FILE *out)
{
    fprintf(out, "usage: reportd-dev COMMAND [ARGS]\n\n"
                 "Developer servers for local runs, tests and benchmarks (not for production).\n\n"
                 "commands:\n");
    for (const rpt_command *const *c = dev_commands; *c; c++)
        fprintf(out, "  %-8s %s\n", (*c)->name, (*c)->summary);
    fprintf(out, "\nrun 'reportd-dev COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return RPT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(stdout);
        return RPT_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("reportd-dev %s\n", REPORTD_VERSION);
        return RPT_EXIT_OK;
    }
    for (const rpt_command *const *c = dev_commands; *c; c++) {
        if (strcmp(argv[1], (*c)->name) != 0) continue;
        if (rpt_command_wants_help(*c, argc - 1, argv + 1)) return RPT_EXIT_OK;
        return (*c)->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "reportd-dev: unknown command '%s'\n\n", argv[1]);
    print_help(stderr);
    return RPT_EXIT_USAGE;
}
